//! 党建 pages: the branches with the year's figures and the office's branch form, a branch's
//! people with their stages and the office's stage form, the branch's meeting log with its
//! form (the office or the branch's secretary), and a person's stage history. Refusals are
//! shown next to the field.

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::party::branches::{
    self as service, BranchDetail, BranchForm, PersonDetail, StageForm,
};
use emis_app::party::meetings::{self, MeetingForm, MeetingLog};
use emis_app::party::BranchRow;
use emis_domain::access::Permission;
use emis_domain::party::{MeetingKind, PartyStage};

fn crumbs() -> (&'static str, &'static str) {
    ("党建", "/party")
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "party.html")]
struct OverviewPage {
    chrome: Chrome,
    year: i32,
    /// (name, code, value) of the branches shown.
    figures: Vec<(&'static str, &'static str, String)>,
    branches: Vec<BranchRow>,
    office: bool,
    form: BranchForm,
    error_field: String,
    error: String,
}

async fn overview_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<BranchForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.clock.today()));
    let branches = service::list(&state.db, account).await?;
    let figures = emis_app::party::indicators_for(&state.db, account, year)
        .await?
        .into_iter()
        .filter_map(|(code, value)| {
            let i = emis_domain::indicators::find(code)?;
            Some((i.name, i.code, value.display()))
        })
        .collect();
    let chrome =
        Chrome::new(caller, "党建工作", "party", &[crumbs()])?.with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&OverviewPage {
            chrome,
            year,
            figures,
            branches,
            office: account.role.permits(Permission::KeepParty),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn overview(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    overview_page(&state, &caller, q.year, Round::default()).await
}

/// Adds a branch or names its secretary, then back to the list.
pub async fn save_branch(Ctx { state, caller }: Ctx, Form(form): Form<BranchForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::save_branch(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |_| "/party".to_string(),
        |e| overview_page(&state, &caller, None, Round::refused(form, e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "party_branch.html")]
struct BranchPage {
    chrome: Chrome,
    d: BranchDetail,
    stages: Vec<&'static str>,
    form: StageForm,
    error_field: String,
    error: String,
}

async fn branch_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<StageForm>,
) -> PageResult {
    let account = caller.account()?;
    let d = service::detail(&state.db, account, id).await?;
    let href = format!("/party/branches/{id}");
    let chrome = Chrome::new(
        caller,
        &d.branch.name,
        "party",
        &[crumbs(), (&d.branch.name, &href)],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    if round.form.reached_on.is_empty() {
        round.form.reached_on = state.clock.today().to_string();
    }
    Ok((
        code,
        render(&BranchPage {
            chrome,
            d,
            stages: PartyStage::ALL.iter().map(|s| s.label()).collect(),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn branch(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    branch_page(&state, &caller, id, Round::default()).await
}

/// Records a stage for a person of the branch, then to the person's history.
pub async fn record_stage(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StageForm>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome = service::record_stage(&state.db, account, id, &form, today, &caller.source).await;
    round_trip(
        outcome,
        |person| format!("/party/people/{person}"),
        |e| branch_page(&state, &caller, id, Round::refused(form, e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "party_meetings.html")]
struct MeetingsPage {
    chrome: Chrome,
    log: MeetingLog,
    kinds: Vec<&'static str>,
    form: MeetingForm,
    error_field: String,
    error: String,
}

async fn meetings_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<MeetingForm>,
) -> PageResult {
    let account = caller.account()?;
    let log = meetings::log(&state.db, account, id).await?;
    let href = format!("/party/branches/{id}");
    let chrome = Chrome::new(
        caller,
        &format!("{}组织生活", log.branch.name),
        "party",
        &[
            crumbs(),
            (&log.branch.name, &href),
            ("组织生活", &format!("{href}/meetings")),
        ],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    if round.form.held_on.is_empty() {
        round.form.held_on = state.clock.today().to_string();
    }
    Ok((
        code,
        render(&MeetingsPage {
            chrome,
            log,
            kinds: MeetingKind::ALL.iter().map(|k| k.label()).collect(),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn meetings(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    meetings_page(&state, &caller, id, Round::default()).await
}

/// Logs a meeting of the branch, then back to the log.
pub async fn record_meeting(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MeetingForm>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome = meetings::record(&state.db, account, id, &form, today, &caller.source).await;
    round_trip(
        outcome,
        |_| format!("/party/branches/{id}/meetings"),
        |e| meetings_page(&state, &caller, id, Round::refused(form, e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "party_person.html")]
struct PersonPage {
    chrome: Chrome,
    d: PersonDetail,
}

pub async fn person(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let d = service::person(&state.db, account, id, &caller.source).await?;
    let branch = format!("/party/branches/{}", d.person.branch_id);
    let chrome = Chrome::new(
        &caller,
        &d.person.name,
        "party",
        &[
            crumbs(),
            (&d.person.branch, &branch),
            (&d.person.name, &format!("/party/people/{id}")),
        ],
    )?;
    Ok(render(&PersonPage { chrome, d })?.into_response())
}
