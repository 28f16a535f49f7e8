//! 资助核查 page (`/aid`): a term's eligibility, payments and the five gap lists within
//! the scope, and the gap lists as a sheet.

use super::{crumbs, internal, term_of, xlsx_response, AidQuery};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::aid as service;
use emis_domain::aid::yuan;
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
    /// 符合条件 against 发放人次 per project, for the projects with either.
    chart: String,
    missed_total: usize,
    missed: Vec<MissedLine>,
    not_eligible: usize,
    duplicates: usize,
    two_schools: usize,
    off_roll: usize,
}

/// `/aid`: a term's eligibility, payments and the five gap lists within the scope.
pub async fn overview(Ctx { state, caller }: Ctx, Query(q): Query<AidQuery>) -> PageResult {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let county = account.county();
    let schools = emis_app::registry::queries::county_schools(&state.db, county).await?;
    let catalog = service::catalog(&state.db, county, term.year).await?;
    let service::queries::Overview {
        check,
        eligible_by_policy,
        summary,
    } = service::queries::overview(&state.db, account, term).await?;
    let mut missed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &check.missed {
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
    let policies: Vec<PolicyLine> = catalog
        .iter()
        .map(|p| {
            let (pt, fen) = summary.by_policy.get(&p.code).copied().unwrap_or((0, 0));
            PolicyLine {
                code: p.code.clone(),
                name: p.name.clone(),
                eligible: eligible_by_policy.get(&p.code).copied().unwrap_or(0),
                person_times: pt,
                amount: yuan(fen),
                missed: missed_by.get(p.code.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let chart = policies_chart(&crate::page::scope_title(account), &term.label(), &policies);
    let chrome = Chrome::new(&caller, "学生资助", "aid", &[crumbs()])?;
    Ok(render(&OverviewPage {
        chrome,
        term: term.code(),
        term_label: term.label(),
        eligible: check.eligible,
        person_times: summary.person_times,
        amount: yuan(summary.fen),
        policies,
        chart,
        missed_total: check.missed.len(),
        missed: check
            .missed
            .iter()
            .take(200)
            .map(|e| MissedLine {
                id_number: e.id_number.clone(),
                name: e.name.clone(),
                school: school_name(&e.school),
                grade: e.grade.to_string(),
                policy: name_of(&e.policy),
                amount: e.amount.clone(),
            })
            .collect(),
        not_eligible: check.not_eligible.len(),
        duplicates: check.duplicates.len(),
        two_schools: check.two_schools.len(),
        off_roll: check.off_roll.len(),
    })?
    .into_response())
}

/// `/aid/gaps.xlsx?term=`: the five gap lists within the scope.
pub async fn export_gaps(Ctx { state, caller }: Ctx, Query(q): Query<AidQuery>) -> PageResult {
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

/// 符合条件 against 发放人次 for each project that has either, in the scope.
fn policies_chart(scope: &str, term: &str, policies: &[PolicyLine]) -> String {
    let bars: Vec<(String, u32, u32)> = policies
        .iter()
        .filter(|p| p.eligible > 0 || p.person_times > 0)
        .map(|p| {
            (
                p.name.clone(),
                u32::try_from(p.eligible).unwrap_or(u32::MAX),
                u32::try_from(p.person_times).unwrap_or(u32::MAX),
            )
        })
        .collect();
    crate::pages::charts::bar_chart(
        &format!("{scope}{term}资助（人次）"),
        ["符合条件", "已发放"],
        &bars,
    )
}
