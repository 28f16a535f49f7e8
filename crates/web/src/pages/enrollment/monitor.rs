//! 班额监测 page: the class-size monitor of a term with its charts.

use super::{bad, band_chart, bar_chart};
use crate::error::PageError;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::pages::{nonempty, pick_term, terms};
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::enrollment::{self as service, GroupRow, Monitor};
use emis_domain::term::Term;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TermQuery {
    term: Option<String>,
}

#[derive(Template)]
#[template(path = "enrollment_monitor.html")]
struct MonitorPage {
    chrome: Chrome,
    terms: Vec<(String, String)>,
    m: Monitor,
    township_chart: String,
    stage_chart: String,
    schools: Vec<GroupRow>,
    can_plan: bool,
}

async fn term_of(
    state: &AppState,
    account: &emis_app::auth::Account,
    asked: Option<&str>,
) -> Result<(Vec<(String, String)>, Term), PageError> {
    let terms = terms(state, account).await?;
    let (code, _) = pick_term(&terms, asked);
    let term = Term::parse(&code).ok_or_else(|| bad("学期无效"))?;
    Ok((terms, term))
}

pub async fn monitor(Ctx { state, caller }: Ctx, Query(q): Query<TermQuery>) -> PageResult {
    let account = caller.account()?;
    let (terms, term) = term_of(&state, account, nonempty(&q.term).as_deref()).await?;
    let m = service::monitor(&state.db, &account.scope, term).await?;
    let township_chart = bar_chart(
        &format!(
            "{}大班额（56人及以上）班级数",
            crate::page::scope_title(account)
        ),
        [&m.prev_label, &m.term_label],
        &m.by_township
            .iter()
            .map(|t| (t.label.clone(), t.prev.large, t.now.large))
            .collect::<Vec<_>>(),
    );
    let stage_chart = band_chart(
        &format!("{} 各学段班额分布", m.term_label),
        &m.by_stage
            .iter()
            .map(|s| (s.label.clone(), s.now))
            .collect::<Vec<_>>(),
    );
    let schools: Vec<GroupRow> = m.by_school.iter().take(60).cloned().collect();
    let chrome = Chrome::new(
        &caller,
        "班额监测",
        "enrollment",
        &[("招生与班额", "/enrollment"), ("班额监测", "/enrollment")],
    )?;
    Ok(render(&MonitorPage {
        chrome,
        terms,
        township_chart,
        stage_chart,
        schools,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        m,
    })?
    .into_response())
}
