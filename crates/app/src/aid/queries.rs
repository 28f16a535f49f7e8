//! Read models of 学生资助: a term's payments within the account's aid scope, the batches
//! of the proposals the account sees, a proposal's lines and a student's evidence
//! (certificate numbers masked unless the ID number's audited full view was asked for).

use super::AidScope;
use crate::auth::Account;
use crate::Result;
use emis_domain::aid::Payment;
use emis_domain::term::Term;
use emis_storage::aid as store;
use emis_storage::Db;

pub use emis_storage::aid::{BatchRow, LineRow, ProposalRow};

/// The term's payments to people the aid scope `within` admits (the account's, built by
/// [`AidScope::of`]).
pub async fn payments(
    db: &Db,
    account: &Account,
    within: &AidScope,
    term: Term,
) -> Result<Vec<Payment>> {
    Ok(store::payments(db, account.county(), &[term])
        .await?
        .into_iter()
        .filter(|p| within.admits(p.school_code.as_deref(), &p.id_number))
        .collect())
}

/// The disbursement batches made from the proposals the account sees (from
/// [`super::proposals`]).
pub async fn batches_of(
    db: &Db,
    account: &Account,
    proposals: &[ProposalRow],
) -> Result<Vec<BatchRow>> {
    let ids: std::collections::HashSet<i64> = proposals.iter().map(|p| p.id).collect();
    Ok(store::batches(db, account.county())
        .await?
        .into_iter()
        .filter(|b| ids.contains(&b.proposal_id))
        .collect())
}

/// The lines of a proposal the account was shown ([`super::proposal_in_scope`]).
pub async fn proposal_lines(db: &Db, proposal: &ProposalRow) -> Result<Vec<LineRow>> {
    Ok(store::proposal_lines(db, proposal.id).await?)
}

/// A student's 资助 evidence as (kind, certificate number): the number in full only with
/// the ID number's audited full view (`revealed`), else masked.
pub async fn student_evidence(
    db: &Db,
    account: &Account,
    id_number: &str,
    revealed: bool,
) -> Result<Vec<(String, String)>> {
    Ok(store::evidence(db, account.county(), id_number)
        .await?
        .into_iter()
        .map(|(kind, no)| match revealed {
            true => (kind, no),
            false => (kind, store::mask_certificate(&no)),
        })
        .collect())
}
