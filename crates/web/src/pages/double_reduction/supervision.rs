//! 专项督查: the year's campaigns with each one's progress, the problems by checklist item and
//! one by one, the office's launch form and the inspectors' problem form. A campaign's own
//! page (its checklist per school) and a problem's page (整改 → 复查 → 销号) are the safety
//! ledger's pages, which show a 双减 record under 双减.

use super::{crumbs, YearQuery};
use crate::error::PageResult;
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::double_reduction::supervision::{self as service, LaunchForm, SupervisionPicture};
use emis_app::registry::FieldError;
use emis_app::safety::HazardForm;
use emis_domain::access::{Permission, Scope};
use emis_domain::safety::{Area, Grade};

#[derive(Template)]
#[template(path = "double_reduction_supervision.html")]
struct SupervisionPage {
    chrome: Chrome,
    p: SupervisionPicture,
    can_launch: bool,
    can_record: bool,
    school_fixed: bool,
    schools: Vec<(String, String)>,
    items: &'static [&'static str],
    grades: Vec<&'static str>,
    launch: LaunchForm,
    problem: HazardForm,
    /// Which form was refused (`launch` / `problem`), the field and the reason.
    error_form: &'static str,
    error_field: String,
    error: String,
}

/// The forms as posted and the refused one, when the page is shown again after a post.
#[derive(Default)]
struct Shown {
    launch: LaunchForm,
    problem: HazardForm,
    error: Option<(&'static str, FieldError)>,
}

async fn supervision_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut shown: Shown,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account, today).await?,
    };
    let p = service::picture(&state.db, account, year, today).await?;
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let chrome = Chrome::new(
        caller,
        "专项督查",
        "supervision",
        &[crumbs(), ("专项督查", "/double-reduction/supervision")],
    )?;
    let (error_form, error_field, error) = match shown.error.take() {
        Some((form, e)) => (form, e.field.to_string(), e.reason),
        None => ("", String::new(), String::new()),
    };
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if shown.launch.planned_on.is_empty() {
        shown.launch.planned_on = today.to_string();
    }
    if shown.launch.checklist.is_empty() {
        shown.launch.checklist = Area::DoubleReduction.checklist().join("\n");
    }
    if shown.problem.found_on.is_empty() {
        shown.problem.found_on = today.to_string();
    }
    Ok((
        code,
        render(&SupervisionPage {
            chrome,
            can_launch: account.role.permits(Permission::ReviewHazards),
            can_record: account.role.permits(Permission::RecordHazards) && !p.campaigns.is_empty(),
            school_fixed: matches!(account.scope, Scope::School { .. } | Scope::Class { .. }),
            schools,
            items: Area::DoubleReduction.categories(),
            grades: Grade::ALL.iter().map(|g| g.label()).collect(),
            launch: shown.launch,
            problem: shown.problem,
            error_form,
            error_field,
            error,
            p,
        })?,
    )
        .into_response())
}

pub async fn supervision(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    supervision_page(&state, &caller, q.year, Shown::default()).await
}

/// Launches a 专项督查 and opens its page, where the inspectors record each school.
pub async fn launch_supervision(
    Ctx { state, caller }: Ctx,
    Form(form): Form<LaunchForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::launch(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |id| format!("/safety/inspections/{id}"),
        |e| {
            let shown = Shown {
                launch: form,
                error: Some(("launch", e)),
                ..Shown::default()
            };
            supervision_page(&state, &caller, None, shown)
        },
    )
    .await
}

/// Records a problem found at a school and opens it, to send it back with a deadline.
pub async fn record_problem(
    Ctx { state, caller }: Ctx,
    Form(form): Form<HazardForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_problem(
        &state.db,
        account,
        &form,
        &caller.source,
        state.clock.today(),
    )
    .await;
    round_trip(
        outcome,
        |id| format!("/safety/hazards/{id}?done=record"),
        |e| {
            let shown = Shown {
                problem: form,
                error: Some(("problem", e)),
                ..Shown::default()
            };
            supervision_page(&state, &caller, None, shown)
        },
    )
    .await
}
