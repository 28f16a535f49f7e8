//! 送教上门 pages: the plans, a plan with its visits, and logging a visit.

use crate::error::PageResult;
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::pages::{pick_term, terms};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::dropout::queries;
use emis_app::dropout::{self as service, HomeVisitForm, PlanForm};
use emis_app::registry::FieldError;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TermQuery {
    term: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "home_teaching.html")]
struct PlansPage {
    chrome: Chrome,
    term: String,
    terms: Vec<(String, String)>,
    rows: Vec<queries::Masked<queries::PlanRow>>,
    students: usize,
    hours: String,
    /// (term label, children with a plan) for every term with roll data.
    per_term: Vec<(String, usize)>,
    can_work: bool,
    error_field: String,
    error: String,
    form: PlanForm,
}

async fn plans_page(
    state: &AppState,
    caller: &Caller,
    term: Option<&str>,
    error: Option<FieldError>,
    form: PlanForm,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let terms = terms(state, account).await?;
    let (term, _) = pick_term(&terms, term);
    let rows = queries::plans(&state.db, account, &term, 5000).await?;
    let minutes: i64 = rows.iter().map(|r| r.minutes).sum();
    let mut per_term = Vec::new();
    for (code, label) in &terms {
        let plans = queries::plans(&state.db, account, code, i64::MAX / 2).await?;
        per_term.push((label.clone(), plans.len()));
    }
    let chrome = Chrome::new(
        caller,
        "送教上门",
        "home-teaching",
        &[
            ("控辍保学", "/dropout"),
            ("送教上门", "/dropout/home-teaching"),
        ],
    )?
    .with_flash(flash);
    let (error_field, error) = match error {
        Some(e) => (e.field.to_string(), e.reason),
        None => Default::default(),
    };
    Ok(render(&PlansPage {
        chrome,
        students: rows.len(),
        hours: format!("{:.1}", minutes as f64 / 60.0),
        per_term,
        term,
        terms,
        rows,
        can_work: account
            .role
            .permits(emis_domain::access::Permission::WorkDropoutCases),
        error_field,
        error,
        form,
    })?
    .into_response())
}

pub async fn plans(Ctx { state, caller }: Ctx, Query(q): Query<TermQuery>) -> PageResult {
    let flash = (q.done.as_deref() == Some("plan")).then(|| "送教上门方案已保存。".to_string());
    plans_page(
        &state,
        &caller,
        q.term.as_deref(),
        None,
        PlanForm::default(),
        flash,
    )
    .await
}

pub async fn save_plan(Ctx { state, caller }: Ctx, Form(form): Form<PlanForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::save_plan(&state.db, account, &form, &caller.source).await;
    let term = form.term.clone();
    round_trip(
        outcome,
        |id| format!("/dropout/home-teaching/{id}?done=plan"),
        |e| plans_page(&state, &caller, Some(&term), Some(e), form, None),
    )
    .await
}

#[derive(Template)]
#[template(path = "home_teaching_plan.html")]
struct PlanPage {
    chrome: Chrome,
    p: queries::Masked<queries::PlanRow>,
    visits: Vec<queries::HomeVisitRow>,
    hours: String,
    can_work: bool,
    error_field: String,
    error: String,
    form: HomeVisitForm,
}

async fn plan_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    error: Option<FieldError>,
    form: HomeVisitForm,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let p = queries::plan(&state.db, account, id).await?;
    let visits = queries::plan_visits(&state.db, &p).await?;
    let minutes: i64 = visits.iter().map(|v| v.minutes).sum();
    let title = format!("{}（送教上门）", p.name);
    let href = format!("/dropout/home-teaching/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "home-teaching",
        &[("送教上门", "/dropout/home-teaching"), (&title, &href)],
    )?
    .with_flash(flash);
    let (error_field, error) = match error {
        Some(e) => (e.field.to_string(), e.reason),
        None => Default::default(),
    };
    Ok(render(&PlanPage {
        chrome,
        p,
        hours: format!("{:.1}", minutes as f64 / 60.0),
        visits,
        can_work: account
            .role
            .permits(emis_domain::access::Permission::WorkDropoutCases),
        error_field,
        error,
        form,
    })?
    .into_response())
}

pub async fn plan(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<TermQuery>,
) -> PageResult {
    let flash = match q.done.as_deref() {
        Some("plan") => Some("送教上门方案已保存。".to_string()),
        Some("visit") => Some("送教记录已登记。".to_string()),
        _ => None,
    };
    plan_page(&state, &caller, id, None, HomeVisitForm::default(), flash).await
}

pub async fn log_visit(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<HomeVisitForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::log_home_visit(&state.db, account, id, &form, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/dropout/home-teaching/{id}?done=visit"),
        |e| plan_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}
