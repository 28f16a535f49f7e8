//! 资助核查 page (`/aid`): a term's eligibility, payments and the five gap lists within
//! the scope, and the gap lists as a sheet.

use super::{crumbs, internal, term_of, xlsx_response, AidQuery};
use crate::error::PageError;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use emis_app::aid as service;
use emis_domain::aid::yuan;
use emis_domain::identity::mask_id;
use std::collections::BTreeMap;

pub struct PolicyLine {
    pub code: String,
    pub name: String,
    pub eligible: usize,
    pub person_times: u64,
    pub amount: String,
    pub missed: usize,
}

pub struct MissedLine {
    pub id_number: String,
    pub name: String,
    pub school: String,
    pub grade: String,
    pub policy: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "aid_overview.html")]
struct OverviewPage {
    chrome: Chrome,
    term: String,
    term_label: String,
    eligible: usize,
    person_times: u64,
    amount: String,
    policies: Vec<PolicyLine>,
    missed_total: usize,
    missed: Vec<MissedLine>,
    not_eligible: usize,
    duplicates: usize,
    two_schools: usize,
    off_roll: usize,
}

/// `/aid`: a term's eligibility, payments and the five gap lists within the scope.
pub async fn overview(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let county = account.county();
    let schools = emis_app::registry::queries::county_schools(&state.db, county).await?;
    let within = service::AidScope::of(&state.db, &account.scope, &[term]).await?;
    let result = service::check(&state.db, county, &[term]).await?;
    let catalog = service::catalog(&state.db, county, term.year).await?;
    let ours =
        |p: &emis_domain::aid::Payment| within.admits(p.school_code.as_deref(), &p.id_number);
    let payments = service::queries::payments(&state.db, account, &within, term).await?;
    let summary = emis_domain::aid::summarize(&payments);
    let entitled: Vec<_> = result
        .entitlements
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .collect();
    let missed: Vec<_> = result
        .gaps
        .missed
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .collect();
    let mut eligible_by: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entitled {
        *eligible_by.entry(e.policy.as_str()).or_default() += 1;
    }
    let mut missed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &missed {
        *missed_by.entry(e.policy.as_str()).or_default() += 1;
    }
    let name_of = |code: &str| {
        catalog
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let school_name = |code: &str| {
        schools
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let policies = catalog
        .iter()
        .map(|p| {
            let (pt, fen) = summary.by_policy.get(&p.code).copied().unwrap_or((0, 0));
            PolicyLine {
                code: p.code.clone(),
                name: p.name.clone(),
                eligible: eligible_by.get(p.code.as_str()).copied().unwrap_or(0),
                person_times: pt,
                amount: yuan(fen),
                missed: missed_by.get(p.code.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let count = |groups: &[Vec<emis_domain::aid::Payment>]| {
        groups.iter().filter(|g| g.iter().any(ours)).count()
    };
    let chrome = Chrome::new(&caller, "学生资助", "aid", &[crumbs()])?;
    Ok(render(&OverviewPage {
        chrome,
        term: term.code(),
        term_label: term.label(),
        eligible: entitled.len(),
        person_times: summary.person_times,
        amount: yuan(summary.fen),
        policies,
        missed_total: missed.len(),
        missed: missed
            .iter()
            .take(200)
            .map(|e| MissedLine {
                id_number: mask_id(&e.id_number),
                name: e.name.clone(),
                school: school_name(&e.school_code),
                grade: e.grade.label().to_string(),
                policy: name_of(&e.policy),
                amount: yuan(e.fen),
            })
            .collect(),
        not_eligible: result.gaps.not_eligible.iter().filter(|p| ours(p)).count(),
        duplicates: count(&result.gaps.duplicates),
        two_schools: count(&result.gaps.two_schools),
        off_roll: result.gaps.off_roll.iter().filter(|p| ours(p)).count(),
    })?
    .into_response())
}

/// `/aid/gaps.xlsx?term=`: the five gap lists within the scope.
pub async fn export_gaps(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("gaps.xlsx");
    service::write_gaps(
        &state.db,
        &account.scope,
        &[term],
        &path,
        &account.actor(&caller.source),
    )
    .await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(bytes, "aid-gaps.xlsx", "资助问题名单.xlsx"))
}
