//! 招聘计划: the year's plan by channel and subject against the roll, and its lines.

use super::{crumbs, year_of, YearQuery};
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use chrono::Datelike;
use emis_app::teachers::recruitment::{self as service, PlanLine, RecruitmentPlanForm};
use emis_domain::access::Permission;
use emis_domain::registry::RecruitChannel;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "teachers_recruitment.html")]
struct RecruitmentPage {
    chrome: Chrome,
    year: i32,
    lines: Vec<PlanLine>,
    planned: i64,
    recruited: i64,
    channels: Vec<&'static str>,
    stages: Vec<&'static str>,
    can_keep: bool,
    form: RecruitmentPlanForm,
    error_field: String,
    error: String,
}

async fn recruitment_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<RecruitmentPlanForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = year_of(state, account.county(), year).await?;
    let lines = service::fulfilment(&state.db, account, year).await?;
    let chrome = Chrome::new(
        caller,
        "招聘计划",
        "recruitment",
        &[crumbs(), ("招聘计划", "/teachers/recruitment")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&RecruitmentPage {
            chrome,
            year,
            planned: lines.iter().map(|l| l.planned).sum(),
            recruited: lines
                .iter()
                .filter(|l| l.stage.is_empty() && l.subject.is_empty())
                .map(|l| l.recruited)
                .sum(),
            lines,
            channels: RecruitChannel::ALL.iter().map(|c| c.label()).collect(),
            stages: emis_domain::registry::SchoolType::ALL
                .iter()
                .map(|t| t.label())
                .collect(),
            can_keep: account.role.permits(Permission::KeepTeachers),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn recruitment(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    recruitment_page(&state, &caller, q.year, Round::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlanPost {
    /// Text: a flattened form reads every value as text.
    year: String,
    #[serde(flatten)]
    line: RecruitmentPlanForm,
}

pub async fn save_plan(Ctx { state, caller }: Ctx, Form(post): Form<PlanPost>) -> PageResult {
    let account = caller.account()?;
    let year = post
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| state.clock.today().year());
    let outcome = service::save_line(&state.db, account, year, &post.line, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/teachers/recruitment?year={year}"),
        |e| recruitment_page(&state, &caller, Some(year), Round::refused(post.line, e)),
    )
    .await
}
