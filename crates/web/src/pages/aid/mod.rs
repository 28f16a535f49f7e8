//! 学生资助 pages: the term's eligibility and gap lists (scoped, ID numbers masked), the
//! policy catalog of a year, and proposals with their batches.
//!
//! The parts have the same names as in the app layer (`checks`, `indicators`, `policies`,
//! `proposals`, `review`, `batches`); this file holds what they share (the term asked
//! for, school and policy names, xlsx responses).

use crate::error::{PageError, WebError};
use crate::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use emis_app::aid as service;
use emis_domain::term::Term;
use serde::Deserialize;

mod batches;
mod checks;
mod indicators;
mod policies;
mod proposals;
mod review;

pub use self::{batches::*, checks::*, indicators::*, policies::*, proposals::*, review::*};

fn crumbs() -> (&'static str, &'static str) {
    ("学生资助", "/aid")
}

#[derive(Deserialize, Default)]
pub struct AidQuery {
    term: Option<String>,
}

/// The filters of the proposals' and the batches' lists.
#[derive(Deserialize, Default)]
pub struct AidListQuery {
    term: Option<String>,
    township: Option<String>,
    school: Option<String>,
    status: Option<String>,
    #[serde(flatten)]
    paging: crate::list::Paging,
}

/// The term, township, school and status filters of an aid list, resolved in the account's
/// scope: (term, township code, school code, status, filters as shown).
#[allow(clippy::type_complexity)]
async fn aid_filters(
    state: &AppState,
    account: &emis_app::auth::Account,
    q: &AidListQuery,
    statuses: &[&str],
) -> Result<
    (
        Term,
        Option<String>,
        Option<String>,
        Option<String>,
        Vec<crate::list::Filter>,
    ),
    PageError,
> {
    use crate::list::{Choices, Filter};
    let term = term_of(q.term.as_deref())?;
    let mut terms = crate::pages::terms(state, account).await?;
    if !terms.iter().any(|(code, _)| *code == term.code()) {
        terms.push((term.code(), term.label()));
    }
    let choices = Choices::of(state, account).await?;
    let crate::list::Place {
        township,
        school,
        pickers,
    } = choices.place(account, q.township.as_deref(), q.school.as_deref());
    let status = crate::pages::nonempty(&q.status).filter(|s| statuses.contains(&s.as_str()));
    let mut filters = vec![Filter::select("term", "学期", &term.code(), "", terms)];
    filters.extend(pickers);
    filters.push(Filter::labels(
        "status",
        "状态",
        status.as_deref().unwrap_or_default(),
        "全部状态",
        statuses,
    ));
    Ok((term, township.code, school.code, status, filters))
}

fn term_of(raw: Option<&str>) -> Result<Term, PageError> {
    match raw.filter(|t| !t.is_empty()) {
        None => Ok(Term::autumn(2021)),
        Some(t) => Term::parse(t).ok_or_else(|| {
            PageError(WebError::Message(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("学期“{t}”无法识别"),
            ))
        }),
    }
}

fn school_names(schools: &[emis_domain::registry::School]) -> impl Fn(&str) -> String + '_ {
    move |code: &str| {
        schools
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

/// The catalog names of a year's policies, by code.
async fn policy_names(
    state: &AppState,
    county: &str,
    year: i32,
) -> Result<std::collections::HashMap<String, String>, PageError> {
    Ok(service::catalog(&state.db, county, year)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect())
}

fn xlsx_response(bytes: Vec<u8>, ascii: &str, chinese: &str) -> Response {
    crate::download::xlsx(bytes, ascii, chinese)
}

fn internal(e: impl std::fmt::Display) -> PageError {
    PageError(WebError::Message(
        StatusCode::INTERNAL_SERVER_ERROR,
        e.to_string(),
    ))
}
