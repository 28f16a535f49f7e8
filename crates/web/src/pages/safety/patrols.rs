//! 巡查: the patrol logs with missing patrols, and recording a patrol.

use super::{crumbs, pct, YearQuery};
use crate::error::PageResult;
use crate::form::{Round, SplitRefusal};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::drowning;

pub struct MissingLine {
    pub water_id: i64,
    pub water: String,
    pub day: String,
    pub done: u32,
    /// Who the roster had due that day and did not patrol, or 未排班.
    pub due: String,
}

#[derive(Template)]
#[template(path = "safety_patrols.html")]
struct PatrolsPage {
    chrome: Chrome,
    year: i32,
    rate: String,
    missing: Vec<MissingLine>,
    roster_gaps: Vec<service::roster::RosterGap>,
    logs: Vec<queries::PatrolRow>,
    waters: Vec<(i64, String)>,
    slots: Vec<&'static str>,
    can_record: bool,
    form: service::PatrolForm,
    error_field: String,
    error: String,
}

async fn patrols_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<service::PatrolForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let report = service::roster::patrol_report(
        &state.db,
        &account.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    let waters = queries::waters(&state.db, account).await?;
    let missing = report
        .missing
        .iter()
        .take(200)
        .map(|m| MissingLine {
            water_id: m.water_id,
            water: format!("{} {}", m.township, m.water),
            day: m.day.to_string(),
            done: m.done,
            due: if m.unrostered {
                "未排班".into()
            } else {
                m.due.join("、")
            },
        })
        .collect();
    let logs = queries::patrols(
        &state.db,
        account,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
        None,
        100,
    )
    .await?;
    let chrome = Chrome::new(
        caller,
        "暑期巡查",
        "patrols",
        &[crumbs(), ("巡查", "/safety/patrols")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let mut form = round.form;
    if form.day.is_empty() {
        form.day = state.clock.today().to_string();
    }
    Ok((
        code,
        render(&PatrolsPage {
            chrome,
            year,
            rate: pct(report.compliance.rate()),
            missing,
            roster_gaps: report.roster_gaps,
            logs,
            waters: waters
                .iter()
                .filter(|w| drowning::is_dangerous(&w.risk))
                .map(|w| (w.id, format!("{} {}", w.township_name, w.name)))
                .collect(),
            slots: drowning::PATROL_SLOTS.to_vec(),
            can_record: account.role.permits(Permission::RecordHazards),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn patrols(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    patrols_page(&state, &caller, q.year, Round::default()).await
}

pub async fn record_patrol(
    Ctx { state, caller }: Ctx,
    Form(form): Form<service::PatrolForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_patrol(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?;
    patrols_page(
        &state,
        &caller,
        None,
        Round::after(outcome, form, "巡查记录已保存。"),
    )
    .await
}
