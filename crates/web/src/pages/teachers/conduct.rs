//! 师德师风: campaigns and cases (only for the roles that handle them), a case's steps.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::masked::Masked;
use emis_app::teachers::conduct::{self as service, ConductBook, NewCampaign, StepForm};
use emis_app::teachers::ConductCaseRow;
use emis_domain::teachers::conduct::{ConductStatus, Sanction};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "teachers_conduct.html")]
struct ConductPage {
    chrome: Chrome,
    book: ConductBook,
    form: NewCampaign,
    error_field: String,
    error: String,
}

async fn conduct_page(
    state: &AppState,
    caller: &Caller,
    mut round: Round<NewCampaign>,
) -> PageResult {
    let account = caller.account()?;
    let book = service::book(&state.db, account).await?;
    let chrome = Chrome::new(
        caller,
        "师德师风",
        "conduct",
        &[crumbs(), ("师德师风", "/teachers/conduct")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&ConductPage {
            chrome,
            book,
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn conduct(Ctx { state, caller }: Ctx) -> PageResult {
    conduct_page(&state, &caller, Round::default()).await
}

pub async fn add_campaign(Ctx { state, caller }: Ctx, Form(form): Form<NewCampaign>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::add_campaign(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| "/teachers/conduct".to_string(),
        |e| conduct_page(&state, &caller, Round::refused(form, e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "teachers_case.html")]
struct CasePage {
    chrome: Chrome,
    c: Masked<ConductCaseRow>,
    next: Option<&'static str>,
    deciding: bool,
    sanctions: Vec<&'static str>,
    form: StepForm,
    error_field: String,
    error: String,
}

async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<StepForm>,
) -> PageResult {
    let account = caller.account()?;
    let c = service::case(&state.db, account, id).await?;
    let next = emis_domain::teachers::conduct::advance(c.status);
    let chrome = Chrome::new(
        caller,
        &format!("师德师风案件 {}", c.name),
        "conduct",
        &[
            crumbs(),
            ("师德师风", "/teachers/conduct"),
            ("案件", &format!("/teachers/conduct/{id}")),
        ],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&CasePage {
            chrome,
            next: next.map(|s| s.label()),
            deciding: next == Some(ConductStatus::Decided),
            sanctions: Sanction::ALL.iter().map(|s| s.label()).collect(),
            c,
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CaseQuery {
    done: Option<String>,
}

pub async fn conduct_case(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<CaseQuery>,
) -> PageResult {
    let round = Round {
        flash: q.done.map(|_| "已保存。".to_string()),
        ..Round::default()
    };
    case_page(&state, &caller, id, round).await
}

pub async fn advance_case(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::advance_case(
        &state.db,
        account,
        id,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| format!("/teachers/conduct/{id}?done=step"),
        |e| case_page(&state, &caller, id, Round::refused(form, e)),
    )
    .await
}
