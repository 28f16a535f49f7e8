//! 建设项目 pages: the register with the year's figures and filters, one project with its
//! money by year, and the planning office's forms (a year's investment; progress and
//! completion, from which day the classrooms count at the school).

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
use emis_app::projects::{
    self as service, InvestmentForm, ProgressForm, ProjectDetail, ProjectFilter, ProjectRegisterRow,
};
use emis_domain::access::Permission;
use emis_domain::projects::{wan, ProjectCategory, ProjectStatus, YearFigures};

fn crumbs() -> (&'static str, &'static str) {
    ("建设项目", "/projects")
}

#[derive(Template)]
#[template(path = "projects.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<ProjectRegisterRow>,
    figures: YearFigures,
    year: i32,
    category: String,
    township: String,
    status: String,
    categories: Vec<&'static str>,
    statuses: Vec<&'static str>,
    townships: Vec<(String, String)>,
}

impl RegisterPage {
    fn wan(&self, fen: &i64) -> String {
        wan(*fen)
    }
}

pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(mut filter): Query<ProjectFilter>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let year = *filter.year.get_or_insert(today.year());
    let register = service::register(&state.db, account, &filter, today).await?;
    let chrome = Chrome::new(&caller, "建设项目", "projects", &[crumbs()])?;
    Ok(render(&RegisterPage {
        chrome,
        figures: register.figures.unwrap_or_default(),
        rows: register.rows,
        year,
        category: filter.category.unwrap_or_default(),
        township: filter.township.unwrap_or_default(),
        status: filter.status.unwrap_or_default(),
        categories: ProjectCategory::ALL.iter().map(|c| c.label()).collect(),
        statuses: ProjectStatus::ALL.iter().map(|s| s.label()).collect(),
        townships: emis_app::registry::queries::townships(&state.db, account).await?,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    chrome: Chrome,
    d: ProjectDetail,
    can_keep: bool,
    investment: InvestmentForm,
    progress: ProgressForm,
    error_field: String,
    error: String,
}

impl ProjectPage {
    fn wan(&self, fen: &i64) -> String {
        wan(*fen)
    }
}

/// The project page's two forms.
#[derive(Default)]
pub struct ProjectForms {
    investment: InvestmentForm,
    progress: ProgressForm,
}

async fn project_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<ProjectForms>,
) -> PageResult {
    let account = caller.account()?;
    let d = service::detail(&state.db, account, id, state.clock.today()).await?;
    let chrome = Chrome::new(
        caller,
        &d.project.name,
        "projects",
        &[crumbs(), (&d.project.name, &format!("/projects/{id}"))],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let mut progress = round.form.progress;
    if progress.progress.is_empty() && error_field.is_empty() {
        progress.progress = d
            .project
            .progress
            .map(|p| p.to_string())
            .unwrap_or_default();
    }
    Ok((
        code,
        render(&ProjectPage {
            chrome,
            can_keep: account.role.permits(Permission::KeepProjects),
            d,
            investment: round.form.investment,
            progress,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn project(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    project_page(&state, &caller, id, Round::default()).await
}

async fn after_post(
    state: &AppState,
    caller: &Caller,
    id: i64,
    outcome: emis_app::Result<()>,
    posted: ProjectForms,
) -> PageResult {
    round_trip(
        outcome,
        |_| format!("/projects/{id}"),
        |e| project_page(state, caller, id, Round::refused(posted, e)),
    )
    .await
}

pub async fn record_investment(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<InvestmentForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_investment(
        &state.db,
        account,
        id,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    let posted = ProjectForms {
        investment: form,
        ..ProjectForms::default()
    };
    after_post(&state, &caller, id, outcome, posted).await
}

pub async fn record_progress(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ProgressForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record_progress(
        &state.db,
        account,
        id,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    let posted = ProjectForms {
        progress: form,
        ..ProjectForms::default()
    };
    after_post(&state, &caller, id, outcome, posted).await
}
