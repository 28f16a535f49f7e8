//! Read models of 学生资助: a term's eligibility and gap lists, the proposals and batches
//! the account sees, a proposal's lines, a batch matched against the payments, and a
//! student's evidence. Statuses leave as their labels; the views with ID numbers are
//! `Masked` (and certificate numbers masked) when they are built, and the pages and the API
//! show them as they are. The full ID numbers leave only in the audited batch export.

use super::{batch_match, AidCheck, AidScope, LineState};
use crate::auth::Account;
use crate::masked::{self, Mask};
use crate::Result;
use emis_domain::aid::{summarize, yuan, Payment, Summary};
use emis_domain::term::Term;
use emis_storage::aid::{self as store, BatchRow, LineRow, ProposalRow};
use emis_storage::Db;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::masked::Masked;

/// A proposal (申报) of one school for one term: the stored row.
pub type Proposal = ProposalRow;

/// A disbursement batch (发放批次) made from an approved proposal: the stored row.
pub type Batch = BatchRow;

/// A payment (ID number masked; amount in yuan, two decimals).
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PaymentItem {
    pub id_number: String,
    pub policy: String,
    pub term: String,
    pub amount: String,
    pub school: Option<String>,
}

impl PaymentItem {
    fn of(p: &Payment) -> PaymentItem {
        PaymentItem {
            id_number: p.id_number.clone(),
            policy: p.policy.clone(),
            term: p.term.code(),
            amount: yuan(p.fen),
            school: p.school_code.clone(),
        }
    }
}

/// An eligible student not funded (应助未助).
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Missed {
    pub id_number: String,
    pub name: String,
    pub school: String,
    pub grade: &'static str,
    pub policy: String,
    pub amount: String,
}

/// Eligibility and the five gap lists of a term in the scope.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Check {
    pub term: String,
    /// Eligible (student, policy) pairs.
    pub eligible: usize,
    pub missed: Vec<Missed>,
    pub not_eligible: Vec<PaymentItem>,
    /// Groups of payments under one policy in one term.
    pub duplicates: Vec<Vec<PaymentItem>>,
    /// Groups of payments at two schools in one term.
    pub two_schools: Vec<Vec<PaymentItem>>,
    pub off_roll: Vec<PaymentItem>,
}

/// The 资助核查 page: the check, the eligible pairs by policy code, and the summary of the
/// term's payments, all within the scope.
#[derive(Clone, Debug)]
pub struct Overview {
    pub check: Masked<Check>,
    pub eligible_by_policy: BTreeMap<String, usize>,
    pub summary: Summary,
}

/// A line of a batch (ID number masked) and what was paid on it; amounts in yuan.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BatchLineItem {
    pub id_number: String,
    pub name: String,
    pub policy: String,
    pub amount: String,
    pub paid: String,
    /// 已发放, 金额不符 or 未发放.
    pub state: &'static str,
}

/// A payment of the batch's school and term on no line of it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ExtraPayment {
    pub id_number: String,
    pub policy: String,
    pub paid: String,
}

/// A policy's totals in a batch: person-times and amount, planned and paid.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PolicyTotal {
    pub policy: String,
    pub person_times: u64,
    pub amount: String,
    pub paid_person_times: u64,
    pub paid_amount: String,
}

// A batch with its lines (ID numbers masked) matched against the payments imported back.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(rename = "Batch")]
pub struct BatchDetail {
    pub batch: Batch,
    pub totals: Vec<PolicyTotal>,
    pub lines: Vec<BatchLineItem>,
    pub extra: Vec<ExtraPayment>,
}

masked::masks! {
    LineRow { id: id_number }
    PaymentItem { id: id_number }
    Missed { id: id_number }
    BatchLineItem { id: id_number }
    ExtraPayment { id: id_number }
}

impl Mask for Check {
    fn mask(&mut self) {
        let groups = self.duplicates.iter_mut().chain(&mut self.two_schools);
        self.missed.iter_mut().for_each(Mask::mask);
        self.not_eligible
            .iter_mut()
            .chain(&mut self.off_roll)
            .chain(groups.flatten())
            .for_each(Mask::mask);
    }
}

impl Mask for BatchDetail {
    fn mask(&mut self) {
        self.lines.iter_mut().for_each(Mask::mask);
        self.extra.iter_mut().for_each(Mask::mask);
    }
}

impl BatchDetail {
    /// How many lines are in a state.
    pub fn count(&self, state: LineState) -> usize {
        self.lines
            .iter()
            .filter(|l| l.state == state.label())
            .count()
    }
}

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

/// Eligibility and the five gap lists of a term, limited to the account's scope; ID
/// numbers masked.
pub async fn check(db: &Db, account: &Account, term: Term) -> Result<Masked<Check>> {
    let within = AidScope::of(db, &account.scope, &[term]).await?;
    let result = super::check(db, account.county(), &[term]).await?;
    Ok(Masked::new(check_within(term, &within, &result)))
}

/// [`check`] with what the 资助核查 page adds: eligible pairs by policy and the summary of
/// the term's payments in the scope.
pub async fn overview(db: &Db, account: &Account, term: Term) -> Result<Overview> {
    let within = AidScope::of(db, &account.scope, &[term]).await?;
    let result = super::check(db, account.county(), &[term]).await?;
    let mut eligible_by_policy: BTreeMap<String, usize> = BTreeMap::new();
    for e in result
        .entitlements
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
    {
        *eligible_by_policy.entry(e.policy.clone()).or_default() += 1;
    }
    let payments = payments(db, account, &within, term).await?;
    Ok(Overview {
        check: Masked::new(check_within(term, &within, &result)),
        eligible_by_policy,
        summary: summarize(&payments),
    })
}

fn check_within(term: Term, within: &AidScope, result: &AidCheck) -> Check {
    let list = |v: &[Payment]| -> Vec<PaymentItem> {
        v.iter()
            .filter(|p| within.admits(p.school_code.as_deref(), &p.id_number))
            .map(PaymentItem::of)
            .collect()
    };
    let groups = |v: &[Vec<Payment>]| -> Vec<Vec<PaymentItem>> {
        v.iter()
            .filter(|g| {
                g.iter()
                    .any(|p| within.admits(p.school_code.as_deref(), &p.id_number))
            })
            .map(|g| g.iter().map(PaymentItem::of).collect())
            .collect()
    };
    Check {
        term: term.code(),
        eligible: result
            .entitlements
            .iter()
            .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
            .count(),
        missed: result
            .gaps
            .missed
            .iter()
            .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
            .map(|e| Missed {
                id_number: e.id_number.clone(),
                name: e.name.clone(),
                school: e.school_code.clone(),
                grade: e.grade.label(),
                policy: e.policy.clone(),
                amount: yuan(e.fen),
            })
            .collect(),
        not_eligible: list(&result.gaps.not_eligible),
        duplicates: groups(&result.gaps.duplicates),
        two_schools: groups(&result.gaps.two_schools),
        off_roll: list(&result.gaps.off_roll),
    }
}

/// A proposal in the account's scope, else `NotFound`.
pub async fn proposal(db: &Db, account: &Account, id: i64) -> Result<Proposal> {
    super::proposal_in_scope(db, &account.scope, id).await
}

/// The disbursement batches made from the proposals the account sees (from
/// [`super::proposals`]).
pub async fn batches_of(db: &Db, account: &Account, proposals: &[Proposal]) -> Result<Vec<Batch>> {
    let ids: std::collections::HashSet<i64> = proposals.iter().map(|p| p.id).collect();
    Ok(store::batches(db, account.county())
        .await?
        .into_iter()
        .filter(|b| ids.contains(&b.proposal_id))
        .collect())
}

/// The lines of a proposal the account was shown ([`proposal`]), ID numbers masked.
pub async fn proposal_lines(db: &Db, proposal: &Proposal) -> Result<Vec<Masked<LineRow>>> {
    Ok(Masked::all(store::proposal_lines(db, proposal.id).await?))
}

/// A batch in the account's scope matched against the payments imported back, ID numbers
/// masked; totals by policy code.
pub async fn batch(db: &Db, account: &Account, id: i64) -> Result<Masked<BatchDetail>> {
    let m = batch_match(db, &account.scope, id).await?;
    let totals = m
        .totals()
        .into_iter()
        .map(|(policy, (n, fen, paid_n, paid_fen))| PolicyTotal {
            policy,
            person_times: n,
            amount: yuan(fen),
            paid_person_times: paid_n,
            paid_amount: yuan(paid_fen),
        })
        .collect();
    let lines = m
        .lines
        .iter()
        .map(|l| BatchLineItem {
            id_number: l.line.id_number.clone(),
            name: l.line.name.clone(),
            policy: l.line.policy.clone(),
            amount: yuan(l.line.fen),
            paid: yuan(l.paid_fen),
            state: l.state.label(),
        })
        .collect();
    let extra = m
        .extra
        .iter()
        .map(|p| ExtraPayment {
            id_number: p.id_number.clone(),
            policy: p.policy.clone(),
            paid: yuan(p.fen),
        })
        .collect();
    Ok(Masked::new(BatchDetail {
        batch: m.batch,
        totals,
        lines,
        extra,
    }))
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

pub use emis_storage::aid::{BatchQuery, ProposalQuery, BATCH_SORTS, PROPOSAL_SORTS};

/// A page of the proposals in the account's scope, filtered and sorted in the database.
pub async fn proposals_page(
    db: &Db,
    account: &Account,
    q: &ProposalQuery,
) -> Result<emis_storage::lists::Page<ProposalRow>> {
    Ok(store::proposals_page(db, &account.scope, q).await?)
}

/// A page of the batches in the account's scope, filtered and sorted in the database, with
/// the sum (分) of all that match.
pub async fn batches_page(
    db: &Db,
    account: &Account,
    q: &BatchQuery,
) -> Result<(emis_storage::lists::Page<BatchRow>, i64)> {
    Ok(store::batches_page(db, &account.scope, q).await?)
}
