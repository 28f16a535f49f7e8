//! 控辍保学 dashboard: the counts by township.

use super::DoneQuery;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::dropout as service;

#[derive(Template)]
#[template(path = "dropout.html")]
struct DashboardPage {
    chrome: Chrome,
    d: service::Dashboard,
    chart: String,
    can_import: bool,
    today: String,
}

pub async fn dashboard(Ctx { state, caller }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let account = caller.account()?;
    let d = service::dashboard(&state.db, &account.scope, state.clock.today()).await?;
    let chart = cases_chart(&crate::page::scope_title(account), &d.lines);
    let chrome = Chrome::new(&caller, "控辍保学", "dropout", &[("控辍保学", "/dropout")])?
        .with_flash(q.done.map(|d| d.to_string()).filter(|d| !d.is_empty()));
    Ok(render(&DashboardPage {
        chrome,
        d,
        chart,
        can_import: account
            .role
            .permits(emis_domain::access::Permission::ImportPopulationRoll),
        today: state.clock.today().to_string(),
    })?
    .into_response())
}

/// 一人一案 by township: in hand against closed (the dashboard and the home page).
pub fn cases_chart(scope: &str, lines: &[service::TownshipLine]) -> String {
    let bars: Vec<(String, u32, u32)> = lines
        .iter()
        .map(|l| {
            let n = |v: i64| u32::try_from(v).unwrap_or(0);
            (l.township.clone(), n(l.open), n(l.closed))
        })
        .collect();
    crate::pages::charts::bar_chart(&format!("{scope}一人一案（件）"), ["在办", "已销号"], &bars)
}
