//! 排查计划与专项行动: the inspection list, scheduling, and an inspection's checklist.

use super::{area_trail, crumbs, value, YearQuery};
use crate::error::PageResult;
use crate::form::{round_trip, Round, SplitRefusal};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::{self as rules};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "safety_inspections.html")]
struct InspectionsPage {
    chrome: Chrome,
    year: i32,
    campaigns: Vec<queries::InspectionRow>,
    monthly: Vec<queries::InspectionRow>,
    can_schedule: bool,
    error_form: String,
    error_field: String,
    error: String,
    checklist: String,
}

async fn inspections_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    error: Option<(&'static str, FieldError)>,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let campaigns = queries::inspections(
        &state.db,
        account,
        queries::Area::Safety,
        year,
        Some("专项行动"),
        100,
    )
    .await?;
    let monthly = queries::inspections(
        &state.db,
        account,
        queries::Area::Safety,
        year,
        Some("月度排查"),
        200,
    )
    .await?;
    let chrome = Chrome::new(
        caller,
        "排查与专项行动",
        "inspections",
        &[crumbs(), ("排查与专项行动", "/safety/inspections")],
    )?
    .with_flash(flash);
    let (error_form, error_field, error) = match error {
        Some((form, e)) => (form.to_string(), e.field.to_string(), e.reason),
        None => Default::default(),
    };
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        code,
        render(&InspectionsPage {
            chrome,
            year,
            campaigns,
            monthly,
            can_schedule: account.role.permits(Permission::ReviewHazards),
            error_form,
            error_field,
            error,
            checklist: rules::CAMPAIGN_CHECKLIST.join("、"),
        })?,
    )
        .into_response())
}

pub async fn inspections(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    inspections_page(&state, &caller, q.year, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MonthlyForm {
    month: String,
}

pub async fn schedule_monthly(
    Ctx { state, caller }: Ctx,
    Form(form): Form<MonthlyForm>,
) -> PageResult {
    let account = caller.account()?;
    // month as 2021-07
    let parsed = form
        .month
        .split_once('-')
        .and_then(|(y, m)| Some((y.trim().parse::<i32>().ok()?, m.trim().parse::<u32>().ok()?)));
    let outcome = match parsed {
        Some((y, m)) => service::schedule_monthly(&state.db, account, y, m, &caller.source)
            .await
            .split_refusal()?,
        None => Err(FieldError {
            field: "month",
            reason: "请选择月份，如 2021-07".into(),
        }),
    };
    match outcome {
        Ok(n) => {
            inspections_page(
                &state,
                &caller,
                parsed.map(|p| p.0),
                None,
                Some(format!("已为 {n} 所学校安排月度排查。")),
            )
            .await
        }
        Err(e) => inspections_page(&state, &caller, None, Some(("monthly", e)), None).await,
    }
}

pub async fn schedule_campaign(
    Ctx { state, caller }: Ctx,
    Form(form): Form<service::LaunchForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::schedule_campaign(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |_| "/safety/inspections".into(),
        |e| inspections_page(&state, &caller, None, Some(("campaign", e)), None),
    )
    .await
}

pub struct ProgressLine {
    pub school: String,
    pub checked: usize,
    pub missing: String,
    pub last_checked_on: String,
    pub hazards: i64,
}

#[derive(Template)]
#[template(path = "safety_inspection.html")]
struct InspectionPage {
    chrome: Chrome,
    i: queries::InspectionRow,
    total: usize,
    rows: Vec<ProgressLine>,
    complete: usize,
    can_check: bool,
    school_fixed: bool,
    schools: Vec<(String, String)>,
    form: service::checklist::ChecksForm,
    error: String,
    /// The 文号 the campaign was issued under.
    document: Option<emis_app::documents::DocLink>,
    /// Where the problems it found are worked on.
    problems_href: &'static str,
}

async fn inspection_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<service::checklist::ChecksForm>,
) -> PageResult {
    let account = caller.account()?;
    let i = service::checklist::visible_inspection(&state.db, account, id).await?;
    let progress = service::checklist::progress(&state.db, account, &i).await?;
    let total = i.checklist.len();
    let rows: Vec<ProgressLine> = progress
        .iter()
        .map(|p| ProgressLine {
            school: p.school_name.clone(),
            checked: p.checked.len(),
            missing: i
                .checklist
                .iter()
                .filter(|c| !p.checked.contains(c))
                .cloned()
                .collect::<Vec<_>>()
                .join("、"),
            last_checked_on: p.last_checked_on.clone().unwrap_or_default(),
            hazards: p.hazards,
        })
        .collect();
    let complete = rows.iter().filter(|r| r.checked >= total).count();
    let document = emis_app::documents::Register::load(&state.db, account.county())
        .await?
        .link(i.document.as_deref());
    let problems_href = crate::pages::campaigns::desk(i.area).map_or("/safety/hazards", |d| d.base);
    let title = i.title.clone();
    let href = format!("/safety/inspections/{id}");
    let (key, [home, list]) = area_trail(
        i.area,
        "inspections",
        ("排查与专项行动", "/safety/inspections"),
    );
    let chrome = Chrome::new(caller, &title, key, &[home, list, (&title, &href)])?
        .with_flash(round.flash.take());
    let (code, _, error) = round.error_parts();
    let mut form = round.form;
    if form.checked_on.is_empty() {
        form.checked_on = state.clock.today().to_string();
    }
    Ok((
        code,
        render(&InspectionPage {
            chrome,
            total,
            complete,
            can_check: account.role.permits(Permission::RecordHazards),
            school_fixed: matches!(
                account.scope,
                emis_domain::access::Scope::School { .. }
                    | emis_domain::access::Scope::Class { .. }
            ),
            schools: progress
                .into_iter()
                .map(|p| (p.school_code, p.school_name))
                .collect(),
            rows,
            i,
            form,
            error,
            document,
            problems_href,
        })?,
    )
        .into_response())
}

pub async fn inspection(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    inspection_page(&state, &caller, id, Round::default()).await
}

/// Ticks checklist items for a school (checkboxes named `items`, repeated).
pub async fn record_checks(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let account = caller.account()?;
    let form = service::checklist::ChecksForm {
        school: value(&pairs, "school"),
        items: pairs
            .iter()
            .filter(|(k, _)| k == "items")
            .map(|(_, v)| v.clone())
            .collect(),
        checked_on: value(&pairs, "checked_on"),
        note: value(&pairs, "note"),
    };
    let today = state.clock.today();
    let round = match service::checklist::record_checks(
        &state.db,
        account,
        id,
        &form,
        &caller.source,
        today,
    )
    .await
    .split_refusal()?
    {
        Ok(n) => Round::done(format!("已登记排查项目，该校已完成 {n} 项。")),
        Err(e) => Round::refused(form, e),
    };
    inspection_page(&state, &caller, id, round).await
}
