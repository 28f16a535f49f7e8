//! 课后服务: the term's rates by township with a chart, every compulsory-stage school's
//! service (shortfalls first), and the form a school fills for itself.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::pages::{pick_term, terms};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::double_reduction::after_school::{self as service, AfterSchoolPicture, ServiceForm};
use emis_domain::access::Permission;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TermQuery {
    pub(super) term: Option<String>,
}

#[derive(Template)]
#[template(path = "double_reduction_after_school.html")]
struct AfterSchoolPage {
    chrome: Chrome,
    p: AfterSchoolPicture,
    term_label: String,
    terms: Vec<(String, String)>,
    chart: String,
    can_record: bool,
    /// The schools the form offers: (code, name).
    schools: Vec<(String, String)>,
    form: ServiceForm,
    error_field: String,
    error: String,
}

/// A rate for people: 95.5%, or 无数据 when there is nothing to divide by.
pub fn pct(rate: f64) -> String {
    emis_domain::indicators::Value::Rate(rate).display()
}

async fn after_school_page(
    state: &AppState,
    caller: &Caller,
    term: Option<&str>,
    mut round: Round<ServiceForm>,
) -> PageResult {
    let account = caller.account()?;
    let terms = terms(state, account).await?;
    let (term, term_label) = pick_term(
        &terms,
        term.or(Some(round.form.term.as_str()))
            .filter(|t| !t.is_empty()),
    );
    let p = service::picture(&state.db, account, &term).await?;
    let scope_title = crate::page::scope_title(account);
    let bars: Vec<(String, u32, u32)> = p
        .townships
        .iter()
        .map(|(_, name, r)| (name.clone(), r.schools, r.meeting))
        .collect();
    let chart = crate::pages::charts::bar_chart(
        &format!("{scope_title}：学校数与5+2达标数"),
        ["学校数", "达标"],
        &bars,
    );
    let schools = p
        .schools
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let chrome = Chrome::new(
        caller,
        "课后服务",
        "after_school",
        &[crumbs(), ("课后服务", "/double-reduction/after-school")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let mut form = round.form;
    if form.term.is_empty() {
        form.term = term.clone();
    }
    Ok((
        code,
        render(&AfterSchoolPage {
            chrome,
            term_label,
            terms,
            chart,
            can_record: account.role.permits(Permission::RecordAfterSchool),
            schools,
            form,
            error_field,
            error,
            p,
        })?,
    )
        .into_response())
}

pub async fn after_school(Ctx { state, caller }: Ctx, Query(q): Query<TermQuery>) -> PageResult {
    after_school_page(&state, &caller, q.term.as_deref(), Round::default()).await
}

pub async fn save_after_school(
    Ctx { state, caller }: Ctx,
    Form(form): Form<ServiceForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::save(&state.db, account, &form, &caller.source).await;
    let term = form.term.clone();
    round_trip(
        outcome,
        |()| format!("/double-reduction/after-school?term={term}"),
        |e| after_school_page(&state, &caller, None, Round::refused(form, e)),
    )
    .await
}
