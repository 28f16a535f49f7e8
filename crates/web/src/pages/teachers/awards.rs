//! 表彰奖励: the year's awards and proposals with the fund, the reviewers' decisions and the
//! fund's amount.

use super::{crumbs, year_of};
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
use emis_app::teachers::awards::{self as service, Fund};
use emis_app::teachers::AwardRow;
use emis_app::AppError;
use emis_domain::access::{OrgLevel, Permission};
use emis_domain::teachers::awards::{AwardDecision, AwardStatus};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct AwardsQuery {
    year: Option<i32>,
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FundForm {
    year: String,
    fund: String,
}

#[derive(Template)]
#[template(path = "teachers_awards.html")]
struct AwardsPage {
    chrome: Chrome,
    year: i32,
    status: String,
    statuses: Vec<&'static str>,
    fund: Fund,
    rows: Vec<Masked<AwardRow>>,
    /// The status this account decides on (乡镇审核 for a township, 县局授予 for the bureau).
    decides: Option<AwardStatus>,
    can_keep: bool,
    form: FundForm,
    error_field: String,
    error: String,
}

async fn awards_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    status: Option<&str>,
    mut round: Round<FundForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => year_of(state, account.county(), None).await?,
    };
    let status = status.and_then(AwardStatus::parse);
    let rows = service::list(&state.db, account, year, status).await?;
    let fund = service::fund(&state.db, account.county(), year).await?;
    let decides = if account.role.permits(Permission::ReviewAwards) {
        match account.role.org_level() {
            OrgLevel::Township => Some(AwardStatus::Proposed),
            OrgLevel::County => Some(AwardStatus::Checked),
            OrgLevel::School | OrgLevel::Region => None,
        }
    } else {
        None
    };
    let chrome = Chrome::new(
        caller,
        "表彰奖励",
        "awards",
        &[crumbs(), ("表彰奖励", "/teachers/awards")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&AwardsPage {
            chrome,
            year,
            status: status.map(|s| s.label().to_string()).unwrap_or_default(),
            statuses: AwardStatus::ALL.iter().map(|s| s.label()).collect(),
            fund,
            rows,
            decides,
            can_keep: account.role.permits(Permission::KeepTeachers),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn awards(Ctx { state, caller }: Ctx, Query(q): Query<AwardsQuery>) -> PageResult {
    awards_page(
        &state,
        &caller,
        q.year,
        q.status.as_deref(),
        Round::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    reason: String,
}

pub async fn decide_award(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    let account = caller.account()?;
    let decision = match form.decision.as_str() {
        "pass" => AwardDecision::Pass,
        _ => AwardDecision::SendBack,
    };
    let year = service::award_year(&state.db, account, id).await?;
    match service::decide(
        &state.db,
        account,
        id,
        decision,
        &form.reason,
        state.clock.today(),
        &caller.source,
    )
    .await
    {
        Ok(next) => {
            let round = Round::done(format!(
                "已{}。",
                if next == AwardStatus::SentBack {
                    "退回"
                } else {
                    next.label()
                }
            ));
            awards_page(&state, &caller, year, None, round).await
        }
        // A refusal (fund spent, wrong step, no reason) is shown on the list it came from.
        Err(AppError::Refused(message)) => {
            let round = Round {
                error: Some(emis_app::registry::FieldError {
                    field: "decision",
                    reason: message,
                }),
                ..Round::default()
            };
            awards_page(&state, &caller, year, None, round).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn save_fund(Ctx { state, caller }: Ctx, Form(form): Form<FundForm>) -> PageResult {
    let account = caller.account()?;
    let year: i32 = form.year.trim().parse().unwrap_or(0);
    let outcome = service::set_fund(&state.db, account, year, &form.fund, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/teachers/awards?year={year}"),
        |e| awards_page(&state, &caller, Some(year), None, Round::refused(form, e)),
    )
    .await
}
