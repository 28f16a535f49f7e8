//! 职业教育 page: the programmes with their partners, agreements and intake by year, and the
//! 职成股's forms (a programme with its agreement; a year's intake).

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::response::IntoResponse;
use axum::Form;
use chrono::Datelike;
use emis_app::vocational::{self as service, IntakeForm, ProgrammeForm, VocationalOverview};
use emis_domain::access::Permission;
use emis_domain::registry::SchoolType;
use emis_domain::vocational::Schooling;

#[derive(Template)]
#[template(path = "vocational.html")]
struct VocationalPage {
    chrome: Chrome,
    o: VocationalOverview,
    can_keep: bool,
    schools: Vec<(String, String)>,
    schoolings: Vec<&'static str>,
    programme: ProgrammeForm,
    intake: IntakeForm,
    error_field: String,
    error: String,
}

/// The page's two forms.
#[derive(Default)]
pub struct VocationalForms {
    programme: ProgrammeForm,
    intake: IntakeForm,
}

async fn page(state: &AppState, caller: &Caller, mut round: Round<VocationalForms>) -> PageResult {
    let account = caller.account()?;
    let o = service::overview(&state.db, account).await?;
    let chrome = Chrome::new(
        caller,
        "职业教育",
        "vocational",
        &[("职业教育", "/vocational")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .filter(|s| s.school_type == SchoolType::Vocational)
        .map(|s| (s.code, s.name))
        .collect();
    let mut intake = round.form.intake;
    if intake.year.is_empty() {
        intake.year = state.clock.today().year().to_string();
    }
    Ok((
        code,
        render(&VocationalPage {
            chrome,
            o,
            can_keep: account.role.permits(Permission::KeepVocational),
            schools,
            schoolings: Schooling::ALL.iter().map(|s| s.label()).collect(),
            programme: round.form.programme,
            intake,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn overview(Ctx { state, caller }: Ctx) -> PageResult {
    page(&state, &caller, Round::default()).await
}

pub async fn record_programme(
    Ctx { state, caller }: Ctx,
    Form(form): Form<ProgrammeForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_programme(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    let posted = VocationalForms {
        programme: form,
        ..VocationalForms::default()
    };
    round_trip(
        outcome,
        |_| "/vocational".into(),
        |e| page(&state, &caller, Round::refused(posted, e)),
    )
    .await
}

pub async fn record_intake(Ctx { state, caller }: Ctx, Form(form): Form<IntakeForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_intake(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    let posted = VocationalForms {
        intake: form,
        ..VocationalForms::default()
    };
    round_trip(
        outcome,
        |_| "/vocational".into(),
        |e| page(&state, &caller, Round::refused(posted, e)),
    )
    .await
}
