//! 学校申报: a school proposes its eligible students for a term; the proposals a scope sees.

use super::queries::Proposal;
use super::{catalog, school_of};
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::{entitlements, ProposalStatus};
use emis_domain::term::Term;
use emis_storage::aid::{self as store, LineRow, ProposalRow};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{registry, Db};

/// 学校申报: a school proposes its eligible students for a term (replacing an earlier
/// proposal that was sent back or not yet checked). Returns the proposal's id.
pub async fn propose(
    db: &Db,
    scope: &Scope,
    school_code: &str,
    term: Term,
    actor: &Actor,
) -> Result<i64> {
    propose_selected(db, scope, school_code, term, None, actor).await
}

/// The key of a proposal line in a selection: `身份证件号|policy`.
pub fn line_key(id_number: &str, policy: &str) -> String {
    format!("{id_number}|{policy}")
}

/// 学校申报 of the eligible students the school kept (`keep`: keys of [`line_key`];
/// `None` keeps every eligible student). Only eligible students can be proposed: a kept
/// key that is not eligible is refused.
pub async fn propose_selected(
    db: &Db,
    scope: &Scope,
    school_code: &str,
    term: Term,
    keep: Option<&std::collections::HashSet<String>>,
    actor: &Actor,
) -> Result<i64> {
    let county = scope.county();
    let schools = registry::schools(db, county).await?;
    let school = school_of(&schools, school_code).ok_or(AppError::NotFound)?;
    if !scope.admits_school(&school.code, &school.township_code) {
        return Err(AppError::NotFound);
    }
    if let Some(existing) = store::proposals(db, county, Some(&term.code()))
        .await?
        .into_iter()
        .find(|p| p.school_code == school_code)
    {
        if !existing.status.allows_new_proposal() {
            return Err(AppError::Refused(format!(
                "该校{}的申报已{}，不能重新申报",
                term.label(),
                existing.status
            )));
        }
    }
    let policies = catalog(db, county, term.year).await?;
    let roll = store::school_roll_facts(db, county, term, school_code).await?;
    let lines: Vec<LineRow> = entitlements(&policies, &roll, std::slice::from_ref(school))
        .into_iter()
        .map(|e| LineRow {
            id_number: e.id_number,
            name: e.name,
            policy: e.policy,
            fen: e.fen,
        })
        .collect();
    let lines: Vec<LineRow> = match keep {
        None => lines,
        Some(keep) => {
            let eligible: std::collections::HashSet<String> = lines
                .iter()
                .map(|l| line_key(&l.id_number, &l.policy))
                .collect();
            if let Some(stray) = keep.iter().find(|k| !eligible.contains(*k)) {
                return Err(AppError::Refused(format!(
                    "申报名单中的“{}”不符合该项目本学期的资助条件",
                    stray.split('|').nth(1).unwrap_or(stray)
                )));
            }
            lines
                .into_iter()
                .filter(|l| keep.contains(&line_key(&l.id_number, &l.policy)))
                .collect()
        }
    };
    let mut tx = db.begin().await?;
    let id = store::write_proposal(
        &mut tx,
        county,
        school_code,
        &school.township_code,
        &term.code(),
        ProposalStatus::Proposed,
        &actor.name,
        &lines,
    )
    .await?;
    let key = id.to_string();
    Entry::new(county, "propose", "aid_proposal", &key).after_json(&serde_json::json!({"status": ProposalStatus::Proposed.label(), "school": school_code, "term": term.code(), "lines": lines.len()})).record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A proposal inside the scope, or not found.
pub async fn proposal_in_scope(db: &Db, scope: &Scope, id: i64) -> Result<ProposalRow> {
    let p = store::proposal(db, scope.county(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope.admits_school(&p.school_code, &p.township_code) {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// Proposals the scope sees.
pub async fn proposals(db: &Db, scope: &Scope, term: Option<Term>) -> Result<Vec<Proposal>> {
    let code = term.map(|t| t.code());
    Ok(store::proposals(db, scope.county(), code.as_deref())
        .await?
        .into_iter()
        .filter(|p| scope.admits_school(&p.school_code, &p.township_code))
        .collect())
}

/// 学校申报 again of a proposal in the scope, keeping only its lines at `keep` (positions
/// in the order [`super::queries::proposal_lines`] shows them; others are ignored).
pub async fn propose_kept(
    db: &Db,
    scope: &Scope,
    id: i64,
    keep: &[usize],
    actor: &Actor,
) -> Result<i64> {
    let p = proposal_in_scope(db, scope, id).await?;
    let term = Term::parse(&p.term)
        .ok_or_else(|| AppError::Refused(format!("学期“{}”无法识别", p.term)))?;
    let lines = store::proposal_lines(db, p.id).await?;
    let keep: std::collections::HashSet<String> = keep
        .iter()
        .filter_map(|&i| lines.get(i))
        .map(|l| line_key(&l.id_number, &l.policy))
        .collect();
    propose_selected(db, scope, &p.school_code, term, Some(&keep), actor).await
}
