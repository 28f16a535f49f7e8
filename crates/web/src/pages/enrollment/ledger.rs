//! 大班额台账 page: the ledger, its sync from a term and an entry's update.

use super::{bad, run_id};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::pages::terms;
use crate::session::Ctx;
use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::enrollment as service;
use emis_app::enrollment::queries;
use emis_domain::term::Term;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "enrollment_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    rows: Vec<queries::LedgerEntry>,
    open: usize,
    terms: Vec<(String, String)>,
    can_plan: bool,
}

pub async fn ledger(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let rows = service::ledger(&state.db, &account.scope).await?;
    let open = rows.iter().filter(|r| r.closed_on.is_none()).count();
    let chrome = Chrome::new(
        &caller,
        "大班额台账",
        "ledger",
        &[
            ("招生与班额", "/enrollment"),
            ("大班额台账", "/enrollment/ledger"),
        ],
    )?;
    Ok(render(&LedgerPage {
        chrome,
        rows,
        open,
        terms: terms(&state).await?,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct SyncForm {
    term: String,
}

pub async fn ledger_sync(Ctx { state, caller }: Ctx, Form(f): Form<SyncForm>) -> PageResult {
    let account = caller.account()?;
    let term = Term::parse(&f.term).ok_or_else(|| bad("学期无效"))?;
    service::ledger_sync(&state.db, account, term, &caller.source).await?;
    Ok(Redirect::to("/enrollment/ledger").into_response())
}

#[derive(Deserialize)]
pub struct LedgerForm {
    plan: String,
    owner: String,
    target_date: Option<String>,
    closed_on: Option<String>,
}

pub async fn ledger_update(
    Ctx { state, caller }: Ctx,
    Path(entry): Path<String>,
    Form(f): Form<LedgerForm>,
) -> PageResult {
    let account = caller.account()?;
    let id = run_id(&entry)?;
    service::ledger_update(
        &state.db,
        account,
        id,
        &f.plan,
        &f.owner,
        f.target_date.as_deref().unwrap_or(""),
        f.closed_on.as_deref().unwrap_or(""),
        &caller.source,
    )
    .await?;
    Ok(Redirect::to("/enrollment/ledger").into_response())
}
