//! The campaign desk of an area beyond safety (双减 专项督查, 教育督导 督导检查): the year's
//! campaigns with each one's progress, the problems by checklist item and one by one, the
//! office's launch form and the inspectors' problem form. A campaign's own page (its
//! checklist per school) and a problem's page (整改 → 复查 → 销号) are the safety ledger's
//! pages, which show the record under its area's desk ([`desk`]).

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
use emis_app::registry::FieldError;
use emis_app::safety::campaigns::{self as service, CampaignPicture, LaunchForm};
use emis_app::safety::HazardForm;
use emis_domain::access::{Permission, Scope};
use emis_domain::safety::{Area, Grade};

/// Where an area's campaigns are kept: its page, menu key and the trail above it.
#[derive(Clone, Copy)]
pub(crate) struct Desk {
    pub area: Area,
    /// What a campaign is called (专项督查, 督导检查).
    pub title: &'static str,
    pub base: &'static str,
    pub menu_key: &'static str,
    /// The module the desk sits in: (label, href).
    pub module: (&'static str, &'static str),
}

/// The desk of an area other than safety.
pub(crate) fn desk(area: Area) -> Option<Desk> {
    match area {
        Area::Safety => None,
        Area::DoubleReduction => Some(Desk {
            area,
            title: "专项督查",
            base: "/double-reduction/supervision",
            menu_key: "supervision",
            module: ("双减", "/double-reduction"),
        }),
        Area::Supervision => Some(Desk {
            area,
            title: "督导检查",
            base: "/supervision/visits",
            menu_key: "visits",
            module: ("督导评估", "/supervision/assessment"),
        }),
    }
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignPage {
    chrome: Chrome,
    desk: Desk,
    p: CampaignPicture,
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

async fn desk_page(
    state: &AppState,
    caller: &Caller,
    desk: Desk,
    year: Option<i32>,
    mut shown: Shown,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let area = desk.area;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account, area, today).await?,
    };
    let p = service::picture(&state.db, account, area, year, today).await?;
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let chrome = Chrome::new(
        caller,
        desk.title,
        desk.menu_key,
        &[desk.module, (desk.title, desk.base)],
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
        shown.launch.checklist = area.checklist().join("\n");
    }
    if shown.problem.found_on.is_empty() {
        shown.problem.found_on = today.to_string();
    }
    Ok((
        code,
        render(&CampaignPage {
            chrome,
            desk,
            can_launch: account.role.permits(Permission::ReviewHazards),
            can_record: account.role.permits(Permission::RecordHazards) && !p.campaigns.is_empty(),
            school_fixed: matches!(account.scope, Scope::School { .. } | Scope::Class { .. }),
            schools,
            items: area.categories(),
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

/// An area's desk for a year.
pub(crate) async fn show(
    Ctx { state, caller }: Ctx,
    area: Area,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let desk = desk(area).ok_or(emis_app::AppError::NotFound)?;
    desk_page(&state, &caller, desk, q.year, Shown::default()).await
}

/// Launches a campaign and opens its page, where the inspectors record each school.
pub(crate) async fn launch(
    Ctx { state, caller }: Ctx,
    area: Area,
    Form(form): Form<LaunchForm>,
) -> PageResult {
    let desk = desk(area).ok_or(emis_app::AppError::NotFound)?;
    let account = caller.account()?;
    let outcome = service::launch(&state.db, account, area, &form, &caller.source).await;
    round_trip(
        outcome,
        |id| format!("/safety/inspections/{id}"),
        |e| {
            let shown = Shown {
                launch: form,
                error: Some(("launch", e)),
                ..Shown::default()
            };
            desk_page(&state, &caller, desk, None, shown)
        },
    )
    .await
}

/// Records a problem found at a school and opens it, to send it back with a deadline.
pub(crate) async fn record_problem(
    Ctx { state, caller }: Ctx,
    area: Area,
    Form(form): Form<HazardForm>,
) -> PageResult {
    let desk = desk(area).ok_or(emis_app::AppError::NotFound)?;
    let account = caller.account()?;
    let outcome = service::record_problem(
        &state.db,
        account,
        area,
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
            desk_page(&state, &caller, desk, None, shown)
        },
    )
    .await
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}
