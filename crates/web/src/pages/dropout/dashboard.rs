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
    can_import: bool,
    today: String,
}

pub async fn dashboard(Ctx { state, caller }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let account = caller.account()?;
    let d = service::dashboard(&state.db, &account.scope, state.clock.today()).await?;
    let chrome = Chrome::new(&caller, "控辍保学", "dropout", &[("控辍保学", "/dropout")])?
        .with_flash(q.done.map(|d| d.to_string()).filter(|d| !d.is_empty()));
    Ok(render(&DashboardPage {
        chrome,
        d,
        can_import: account
            .role
            .permits(emis_domain::access::Permission::ImportPopulationRoll),
        today: state.clock.today().to_string(),
    })?
    .into_response())
}
