//! 安全事故登记 pages: the register by year, category and township with its counts (in
//! school or out, deaths, injuries) and the recording form; one incident with its follow-up
//! timeline and the step form (结案 offered to the bureau only).

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use chrono::Datelike;
use emis_app::incidents::{
    self as service, IncidentDetail, IncidentFilter, IncidentForm, IncidentRegister,
    IncidentStepForm,
};
use emis_domain::access::Permission;
use emis_domain::incidents::{IncidentCategory, StepKind};

fn crumbs() -> (&'static str, &'static str) {
    ("安全事故登记", "/incidents")
}

/// The register's filters as the page sends them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct IncidentQuery {
    year: String,
    category: String,
    township: String,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct RegisterPage {
    chrome: Chrome,
    r: IncidentRegister,
    year: String,
    category: String,
    township: String,
    categories: Vec<&'static str>,
    townships: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    can_record: bool,
    form: IncidentForm,
    error_field: String,
    error: String,
}

async fn register_page(
    state: &AppState,
    caller: &Caller,
    mut query: IncidentQuery,
    mut round: Round<IncidentForm>,
) -> PageResult {
    let account = caller.account()?;
    if query.year.trim().is_empty() {
        query.year = state.clock.today().year().to_string();
    }
    let filter = IncidentFilter {
        year: query.year.trim().parse().ok(),
        category: Some(query.category.clone()),
        township: Some(query.township.clone()),
    };
    let r = service::register(&state.db, account, &filter).await?;
    let chrome = Chrome::new(caller, "安全事故登记", "incidents", &[crumbs()])?
        .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    Ok((
        code,
        render(&RegisterPage {
            chrome,
            r,
            year: query.year,
            category: query.category,
            township: query.township,
            categories: IncidentCategory::ALL.iter().map(|c| c.label()).collect(),
            townships: emis_app::registry::queries::townships(&state.db, account).await?,
            schools,
            can_record: account.role.permits(Permission::RecordHazards),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(query): Query<IncidentQuery>,
) -> PageResult {
    register_page(&state, &caller, query, Round::default()).await
}

pub async fn record(Ctx { state, caller }: Ctx, Form(form): Form<IncidentForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |id| format!("/incidents/{id}"),
        |e| {
            register_page(
                &state,
                &caller,
                IncidentQuery::default(),
                Round::refused(form, e),
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    chrome: Chrome,
    d: IncidentDetail,
    can_record: bool,
    kinds: Vec<&'static str>,
    form: IncidentStepForm,
    error_field: String,
    error: String,
}

async fn incident_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<IncidentStepForm>,
) -> PageResult {
    let account = caller.account()?;
    let d = service::detail(&state.db, account, id).await?;
    let title = format!(
        "{} {} {}",
        d.incident.happened_on, d.incident.school_name, d.incident.category
    );
    let chrome = Chrome::new(
        caller,
        &title,
        "incidents",
        &[crumbs(), (&title, &format!("/incidents/{id}"))],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let can_close = account.role.permits(Permission::ReviewHazards);
    let kinds = StepKind::ALL
        .iter()
        .filter(|k| can_close || **k != StepKind::Close)
        .map(|k| k.label())
        .collect();
    Ok((
        code,
        render(&IncidentPage {
            chrome,
            can_record: account.role.permits(Permission::RecordHazards)
                && d.incident.closed_on.is_none(),
            d,
            kinds,
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn incident(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    incident_page(&state, &caller, id, Round::default()).await
}

pub async fn add_step(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<IncidentStepForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::add_step(
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
        |_| format!("/incidents/{id}"),
        |e| incident_page(&state, &caller, id, Round::refused(form, e)),
    )
    .await
}
