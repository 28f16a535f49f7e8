//! 学生资助 services: the policy catalog per year, eligibility and gap checks over the
//! stored rolls and payments, the proposal workflow (学校申报 → 乡镇审核 → 县资助中心审批,
//! sent back with a reason), disbursement batches, indicators and the demo's aid.

use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::{
    catalog_2021, entitlements, gaps, summarize, Entitlement, Gaps, Payment, Policy, PolicyError,
    PolicyForm, Summary,
};
use emis_domain::indicators::Value;
use emis_domain::registry::{School, StudentRecord};
use emis_domain::term::Term;
use emis_storage::aid::{self as store, BatchRow, LineRow, PaymentRow, ProposalRow};
use emis_storage::audit::{self, Actor, Entry};
use emis_storage::{registry, Db};
use std::collections::BTreeMap;

pub mod queries;

/// 学校申报.
pub const PROPOSED: &str = "学校申报";
/// 乡镇审核 (checked by the township).
pub const CHECKED: &str = "乡镇审核";
/// 县资助中心审批 (approved).
pub const APPROVED: &str = "县资助中心审批";
/// 退回 (sent back with a reason).
pub const SENT_BACK: &str = "退回";

/// The year's catalog: the stored one, or the built-in 2021 policies for 2021.
pub async fn catalog(db: &Db, county: &str, year: i32) -> Result<Vec<Policy>> {
    let stored = store::policies(db, county, year).await?;
    if stored.is_empty() && year == 2021 {
        return Ok(catalog_2021());
    }
    Ok(stored)
}

/// Adds a policy to a year's catalog, or replaces the one with its code (county officers
/// only), audited with the policy before and after. A year still on the built-in 2021
/// catalog is stored whole first, so editing one policy keeps the others.
pub async fn save_policy(
    db: &Db,
    scope: &Scope,
    year: i32,
    form: &PolicyForm,
    actor: &Actor,
) -> Result<Policy> {
    if !scope.is_county() {
        return Err(AppError::Forbidden);
    }
    let policy = form.policy(year)?;
    let county = scope.county();
    let mut list = catalog(db, county, year).await?;
    let before = list.iter().find(|p| p.code == policy.code).cloned();
    match list.iter_mut().find(|p| p.code == policy.code) {
        Some(p) => *p = policy.clone(),
        None => list.push(policy.clone()),
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &list, &actor.name).await?;
    let key = format!("{year}/{}", policy.code);
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: if before.is_some() { "update" } else { "create" },
            entity: "aid_policy",
            entity_key: &key,
            before: before.and_then(|b| serde_json::to_string(&b).ok()),
            after: serde_json::to_string(&policy).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(policy)
}

/// A refused field of the policy form is a field refusal like any other.
impl From<PolicyError> for AppError {
    fn from(e: PolicyError) -> Self {
        AppError::Invalid {
            field: e.field,
            message: e.reason,
        }
    }
}

/// Copies a year's catalog to another year that has none yet (county officers only),
/// audited. Returns the number of policies copied.
pub async fn copy_catalog(
    db: &Db,
    scope: &Scope,
    from: i32,
    to: i32,
    actor: &Actor,
) -> Result<usize> {
    if !scope.is_county() {
        return Err(AppError::Forbidden);
    }
    let county = scope.county();
    if from == to {
        return Err(AppError::Refused("目标年度须与源年度不同".into()));
    }
    if !store::policies(db, county, to).await?.is_empty() {
        return Err(AppError::Refused(format!(
            "{to}年已有资助政策目录，请逐项修改，不能整体复制覆盖"
        )));
    }
    let list: Vec<Policy> = catalog(db, county, from)
        .await?
        .into_iter()
        .map(|p| Policy { year: to, ..p })
        .collect();
    if list.is_empty() {
        return Err(AppError::Refused(format!("{from}年没有资助政策可复制")));
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &list, &actor.name).await?;
    let key = to.to_string();
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "copy",
            entity: "aid_policies",
            entity_key: &key,
            before: None,
            after: Some(
                serde_json::json!({"from": from, "to": to, "policies": list.len()}).to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(list.len())
}

/// Eligibility and the gap lists of some terms, with the payments' summary.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct AidCheck {
    pub entitlements: Vec<Entitlement>,
    pub gaps: Gaps,
    pub summary: Summary,
}

/// Runs eligibility and every gap check for the terms of a year, from the database.
pub async fn check(db: &Db, county: &str, terms: &[Term]) -> Result<AidCheck> {
    let schools = registry::schools(db, county).await?;
    let mut policies: Vec<Policy> = Vec::new();
    let mut years: Vec<i32> = terms.iter().map(|t| t.year).collect();
    years.dedup();
    for year in years {
        policies.extend(catalog(db, county, year).await?);
    }
    let (roll, payments) = store::check_inputs(db, county, terms).await?;
    Ok(evaluate(&policies, &roll, &schools, &payments))
}

/// Whom an aid list of some terms shows: the schools the scope admits and, for a 班主任,
/// only the students of the class (by ID number, on the roll of those terms). Every aid
/// list and export filters through it.
pub struct AidScope {
    schools: std::collections::HashSet<String>,
    class: Option<std::collections::HashSet<String>>,
}

impl AidScope {
    pub async fn of(db: &Db, scope: &Scope, terms: &[Term]) -> Result<AidScope> {
        let schools = registry::schools(db, scope.county())
            .await?
            .into_iter()
            .filter(|s| scope.admits_school(&s.code, &s.township_code))
            .map(|s| s.code)
            .collect();
        let class = if matches!(scope, Scope::Class { .. }) {
            let mut ids = std::collections::HashSet::new();
            for term in terms {
                let q = emis_storage::lists::StudentQuery {
                    term: term.code(),
                    per_page: 0,
                    ..Default::default()
                };
                ids.extend(
                    emis_storage::lists::students(db, scope, &q)
                        .await?
                        .items
                        .into_iter()
                        .map(|r| r.id_number),
                );
            }
            Some(ids)
        } else {
            None
        };
        Ok(AidScope { schools, class })
    }

    /// Whether a school lies in the scope (for counts by school).
    pub fn admits_school(&self, school: Option<&str>) -> bool {
        school.is_some_and(|c| self.schools.contains(c))
    }

    /// Whether a person paid or entitled at a school lies in the scope.
    pub fn admits(&self, school: Option<&str>, id_number: &str) -> bool {
        self.admits_school(school)
            && self
                .class
                .as_ref()
                .is_none_or(|ids| ids.contains(id_number))
    }
}

/// The pure part of [`check`].
pub fn evaluate(
    policies: &[Policy],
    roll: &[StudentRecord],
    schools: &[School],
    payments: &[Payment],
) -> AidCheck {
    let entitled = entitlements(policies, roll, schools);
    let gaps = gaps(policies, &entitled, roll, schools, payments);
    AidCheck {
        summary: summarize(payments),
        entitlements: entitled,
        gaps,
    }
}

/// `aid.person_times`, `aid.amount` and `aid.missed` for a year.
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let result = check(db, county, &Term::of_year(year)).await?;
    Ok(vec![
        (
            "aid.person_times",
            Value::Count(result.summary.person_times as i64),
        ),
        ("aid.amount", Value::Fen(result.summary.fen)),
        ("aid.missed", Value::Count(result.gaps.missed.len() as i64)),
    ])
}

/// Person-times and fen by a key (policy, stage, township or school).
pub fn breakdown(
    payments: &[Payment],
    key: impl Fn(&Payment) -> String,
) -> BTreeMap<String, (u64, i64)> {
    let mut groups: BTreeMap<String, Vec<Payment>> = BTreeMap::new();
    for p in payments {
        groups.entry(key(p)).or_default().push(p.clone());
    }
    groups
        .into_iter()
        .map(|(k, list)| {
            let s = summarize(&list);
            (k, (s.person_times, s.fen))
        })
        .collect()
}

fn school_of<'a>(schools: &'a [School], code: &str) -> Option<&'a School> {
    schools.iter().find(|s| s.code == code)
}

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
        if existing.status == CHECKED || existing.status == APPROVED {
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
        PROPOSED,
        &actor.name,
        &lines,
    )
    .await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "propose",
            entity: "aid_proposal",
            entity_key: &key,
            before: None,
            after: Some(
                serde_json::json!({"status": PROPOSED, "school": school_code, "term": term.code(), "lines": lines.len()})
                    .to_string(),
            ),
        },
    )
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
pub async fn proposals(db: &Db, scope: &Scope, term: Option<Term>) -> Result<Vec<ProposalRow>> {
    let code = term.map(|t| t.code());
    Ok(store::proposals(db, scope.county(), code.as_deref())
        .await?
        .into_iter()
        .filter(|p| scope.admits_school(&p.school_code, &p.township_code))
        .collect())
}

/// A decision on a proposal: pass it on, or send it back with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Pass,
    SendBack(String),
}

/// 乡镇审核 (a township, or the county, checks a 学校申报 proposal) or 县资助中心审批 (the
/// county approves a checked proposal, which becomes a disbursement batch). Returns the
/// proposal's new status.
pub async fn decide(
    db: &Db,
    scope: &Scope,
    id: i64,
    decision: Decision,
    actor: &Actor,
) -> Result<String> {
    let p = proposal_in_scope(db, scope, id).await?;
    let stage_allowed = match p.status.as_str() {
        PROPOSED => matches!(scope, Scope::Township { .. } | Scope::County { .. }),
        CHECKED => scope.is_county(),
        _ => false,
    };
    if !stage_allowed {
        return Err(if p.status == PROPOSED || p.status == CHECKED {
            AppError::Forbidden
        } else {
            AppError::Refused(format!("申报当前状态为“{}”，无需审核", p.status))
        });
    }
    let county = scope.county();
    let mut batch = BatchRow {
        id: 0,
        proposal_id: id,
        term: p.term.clone(),
        school_code: p.school_code.clone(),
        lines: p.lines,
        fen: p.fen,
        status: BATCH_PENDING.into(),
        created_by: actor.name.clone(),
    };
    if p.status == CHECKED && matches!(decision, Decision::Pass) {
        // Payments imported before the approval already count against the new batch.
        let lines = store::proposal_lines(db, id).await?;
        let paid = store::batch_payments(db, county, &p.term, &p.school_code).await?;
        batch.status = match_batch(batch.clone(), lines, paid).status().into();
    }
    let mut tx = db.begin().await?;
    let (status, reason) = match &decision {
        Decision::SendBack(reason) => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(AppError::Refused("退回须填写原因".into()));
            }
            (SENT_BACK, Some(reason.to_string()))
        }
        Decision::Pass if p.status == PROPOSED => (CHECKED, None),
        Decision::Pass => (APPROVED, None),
    };
    let checked_by = (p.status == PROPOSED && status == CHECKED).then_some(actor.name.as_str());
    let approved_by = (status == APPROVED).then_some(actor.name.as_str());
    store::set_proposal_status(
        &mut tx,
        id,
        status,
        reason.as_deref(),
        checked_by,
        approved_by,
    )
    .await?;
    if status == APPROVED {
        store::insert_batch(&mut tx, county, &batch).await?;
    }
    let key = id.to_string();
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: if status == SENT_BACK {
                "send_back"
            } else {
                "approve"
            },
            entity: "aid_proposal",
            entity_key: &key,
            before: Some(serde_json::json!({"status": p.status}).to_string()),
            after: Some(serde_json::json!({"status": status, "reason": reason}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(status.to_string())
}

/// One step of a proposal's status history, from the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub at: String,
    pub actor: String,
    pub status: String,
    pub reason: String,
}

/// A proposal's status history, oldest first (each step is an audit entry).
pub async fn proposal_history(db: &Db, scope: &Scope, id: i64) -> Result<Vec<Step>> {
    let proposal = proposal_in_scope(db, scope, id).await?;
    let key = id.to_string();
    let mut steps = Vec::new();
    for page in 1.. {
        let found =
            emis_storage::lists::audit(db, scope.county(), None, Some(&key), None, None, page)
                .await?;
        let last = found.items.is_empty() || (page * 50) >= found.total;
        for row in found
            .items
            .into_iter()
            .filter(|r| r.entity == "aid_proposal")
        {
            let after: serde_json::Value = row
                .after_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            let text = |k: &str| {
                after
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            steps.push(Step {
                at: row.at,
                actor: row.actor,
                status: match text("status") {
                    s if s.is_empty() => PROPOSED.to_string(),
                    s => s,
                },
                reason: text("reason"),
            });
        }
        if last {
            break;
        }
    }
    steps.reverse();
    if steps.is_empty() {
        // Records written without the workflow (the demo's) still say who did each step.
        let step = |actor: &str, status: &str| Step {
            at: String::new(),
            actor: actor.to_string(),
            status: status.to_string(),
            reason: String::new(),
        };
        steps.push(step(&proposal.proposed_by, PROPOSED));
        if let Some(by) = &proposal.checked_by {
            steps.push(step(by, CHECKED));
        }
        if let Some(by) = &proposal.approved_by {
            steps.push(step(by, APPROVED));
        }
    }
    Ok(steps)
}

/// Batches the scope sees (optionally of one term), oldest first.
pub async fn batches(db: &Db, scope: &Scope, term: Option<Term>) -> Result<Vec<BatchRow>> {
    let schools = registry::schools(db, scope.county()).await?;
    let code = term.map(|t| t.code());
    Ok(store::batches(db, scope.county())
        .await?
        .into_iter()
        .filter(|b| code.as_ref().is_none_or(|c| *c == b.term))
        .filter(|b| {
            school_of(&schools, &b.school_code)
                .is_some_and(|s| scope.admits_school(&s.code, &s.township_code))
        })
        .collect())
}

/// Whether a batch line was paid, by the payments imported back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum LineState {
    /// 已发放: paid the amount of the line.
    Paid,
    /// 金额不符: paid, but another amount.
    WrongAmount,
    /// 未发放.
    Unpaid,
}

impl LineState {
    pub fn label(self) -> &'static str {
        match self {
            LineState::Paid => "已发放",
            LineState::WrongAmount => "金额不符",
            LineState::Unpaid => "未发放",
        }
    }
}

/// A batch line with what was paid against it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BatchLine {
    pub line: LineRow,
    pub paid_fen: i64,
    pub state: LineState,
}

/// A batch matched against the payments imported back: each line paid or not, and the
/// payments of the batch's school and term that are on no line (extra).
#[derive(Clone, Debug, serde::Serialize)]
pub struct BatchMatch {
    pub batch: BatchRow,
    pub lines: Vec<BatchLine>,
    pub extra: Vec<PaymentRow>,
}

impl BatchMatch {
    /// (人次, fen, paid 人次, paid fen) by policy code.
    pub fn totals(&self) -> BTreeMap<String, (u64, i64, u64, i64)> {
        let mut out: BTreeMap<String, (u64, i64, u64, i64)> = BTreeMap::new();
        for l in &self.lines {
            let t = out.entry(l.line.policy.clone()).or_default();
            t.0 += 1;
            t.1 += l.line.fen;
            if l.state != LineState::Unpaid {
                t.2 += 1;
                t.3 += l.paid_fen;
            }
        }
        out
    }

    pub fn count(&self, state: LineState) -> usize {
        self.lines.iter().filter(|l| l.state == state).count()
    }
}

/// A batch inside the scope with its lines matched against the payments: a payment of
/// the batch's term counts when it names the batch's school, or names no school and is
/// for a student on the batch.
pub async fn batch_match(db: &Db, scope: &Scope, id: i64) -> Result<BatchMatch> {
    let county = scope.county();
    let batch = store::batch(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let schools = registry::schools(db, county).await?;
    if !school_of(&schools, &batch.school_code)
        .is_some_and(|s| scope.admits_school(&s.code, &s.township_code))
    {
        return Err(AppError::NotFound);
    }
    let lines = store::proposal_lines(db, batch.proposal_id).await?;
    let payments = store::batch_payments(db, county, &batch.term, &batch.school_code).await?;
    Ok(match_batch(batch, lines, payments))
}

/// A batch's lines matched against candidate payments (any; those of another term or
/// school are skipped): a payment counts when it names the batch's school, or names no
/// school and is for a student on the batch.
fn match_batch(
    batch: BatchRow,
    lines: Vec<LineRow>,
    payments: impl IntoIterator<Item = PaymentRow>,
) -> BatchMatch {
    let students: std::collections::HashSet<&str> =
        lines.iter().map(|l| l.id_number.as_str()).collect();
    let mut paid: std::collections::HashMap<(String, String), Vec<PaymentRow>> =
        std::collections::HashMap::new();
    let mut extra = Vec::new();
    let keys: std::collections::HashSet<(&str, &str)> = lines
        .iter()
        .map(|l| (l.id_number.as_str(), l.policy.as_str()))
        .collect();
    for p in payments {
        let ours = p.term == batch.term
            && match &p.school_code {
                Some(code) => *code == batch.school_code,
                None => students.contains(p.id_number.as_str()),
            };
        if !ours {
            continue;
        }
        if keys.contains(&(p.id_number.as_str(), p.policy.as_str())) {
            paid.entry((p.id_number.clone(), p.policy.clone()))
                .or_default()
                .push(p);
        } else {
            extra.push(p);
        }
    }
    let lines = lines
        .into_iter()
        .map(|line| {
            let paid_fen: i64 = paid
                .get(&(line.id_number.clone(), line.policy.clone()))
                .map(|ps| ps.iter().map(|p| p.fen).sum())
                .unwrap_or(0);
            let state = match paid.contains_key(&(line.id_number.clone(), line.policy.clone())) {
                false => LineState::Unpaid,
                true if paid_fen == line.fen => LineState::Paid,
                true => LineState::WrongAmount,
            };
            BatchLine {
                line,
                paid_fen,
                state,
            }
        })
        .collect();
    BatchMatch {
        batch,
        lines,
        extra,
    }
}

/// A batch's status before any payment is imported.
pub const BATCH_PENDING: &str = "待发放";
const BATCH_PARTLY_PAID: &str = "部分发放";
const BATCH_PAID: &str = "已发放";

impl BatchMatch {
    /// 已发放 when every line was paid its amount, 待发放 when none was paid at all,
    /// 部分发放 otherwise (some lines unpaid or paid another amount).
    pub fn status(&self) -> &'static str {
        if self.lines.iter().all(|l| l.state == LineState::Paid) {
            BATCH_PAID
        } else if self.lines.iter().all(|l| l.state == LineState::Unpaid) {
            BATCH_PENDING
        } else {
            BATCH_PARTLY_PAID
        }
    }
}

/// A batch whose status the payments being imported change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchStatusChange {
    pub id: i64,
    pub before: String,
    pub after: &'static str,
}

/// The status of every batch of the terms the new payments are for, from the stored
/// payments and the new ones (read before the import's transaction): the batches whose
/// status changes.
pub async fn batch_status_changes(
    db: &Db,
    county: &str,
    new: &[PaymentRow],
) -> Result<Vec<BatchStatusChange>> {
    // The payments of each term read once, by the school they name (None: no school).
    let mut by_school: std::collections::HashMap<(String, Option<String>), Vec<PaymentRow>> =
        std::collections::HashMap::new();
    let terms: std::collections::BTreeSet<&str> = new.iter().map(|p| p.term.as_str()).collect();
    for term in &terms {
        for p in store::payment_rows(db, county, Some(term))
            .await?
            .into_iter()
            .chain(new.iter().filter(|p| p.term == *term).cloned())
        {
            by_school
                .entry((p.term.clone(), p.school_code.clone()))
                .or_default()
                .push(p);
        }
    }
    let mut changes = Vec::new();
    for batch in store::batches(db, county).await? {
        if !terms.contains(batch.term.as_str()) {
            continue;
        }
        let lines = store::proposal_lines(db, batch.proposal_id).await?;
        let candidates = [Some(batch.school_code.clone()), None]
            .into_iter()
            .filter_map(|school| by_school.get(&(batch.term.clone(), school)))
            .flatten()
            .cloned()
            .collect::<Vec<_>>();
        let (id, before) = (batch.id, batch.status.clone());
        let after = match_batch(batch, lines, candidates).status();
        if before != after {
            changes.push(BatchStatusChange { id, before, after });
        }
    }
    Ok(changes)
}

/// Stores and audits the status changes inside the import's transaction.
pub(crate) async fn write_batch_statuses(
    tx: &mut emis_storage::Tx,
    county: &str,
    changes: &[BatchStatusChange],
    actor: &Actor,
) -> Result<()> {
    for c in changes {
        store::set_batch_status(tx, c.id, c.after).await?;
        let key = c.id.to_string();
        audit::record(
            tx,
            actor,
            Entry {
                county,
                action: "update",
                entity: "aid_batch",
                entity_key: &key,
                before: Some(serde_json::json!({"status": c.before}).to_string()),
                after: Some(serde_json::json!({"status": c.after}).to_string()),
            },
        )
        .await?;
    }
    Ok(())
}

/// A batch as an xlsx sheet in the `aid` import's columns (发放日期 left for the payer to
/// fill in, so the sheet comes back as the payments). ID numbers in full only when
/// `unmasked` (the role needs them to pay; audited as a full view), masked otherwise.
pub async fn write_batch(
    db: &Db,
    scope: &Scope,
    id: i64,
    unmasked: bool,
    actor: &Actor,
    out: &std::path::Path,
) -> Result<u64> {
    use emis_domain::identity::mask_id;
    let m = batch_match(db, scope, id).await?;
    let term = Term::parse(&m.batch.term).ok_or(AppError::NotFound)?;
    let names: std::collections::HashMap<String, String> = catalog(db, scope.county(), term.year)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect();
    let rows: Vec<Vec<String>> = m
        .lines
        .iter()
        .map(|l| {
            vec![
                if unmasked {
                    l.line.id_number.clone()
                } else {
                    mask_id(&l.line.id_number)
                },
                l.line.name.clone(),
                names
                    .get(&l.line.policy)
                    .cloned()
                    .unwrap_or_else(|| l.line.policy.clone()),
                term.label(),
                emis_domain::aid::yuan(l.line.fen),
                m.batch.school_code.clone(),
                String::new(),
            ]
        })
        .collect();
    let headers = [
        "身份证件号",
        "姓名",
        "资助项目",
        "学期",
        "金额(元)",
        "学校标识码",
        "发放日期",
    ];
    let n = emis_io::write_sheet(out, "资助发放批次", &headers, rows)?;
    let key = id.to_string();
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county: scope.county(),
            kind: "aid_batch",
            key: &key,
            filter: serde_json::json!({"scope": crate::exports::scope_json(scope), "batch": id}),
            rows: n,
            unmasked,
        },
    )
    .await?;
    Ok(n)
}

/// A student's aid history (latest term first).
pub async fn history(db: &Db, county: &str, id_number: &str) -> Result<Vec<PaymentRow>> {
    Ok(store::student_payments(db, county, id_number).await?)
}

/// Loads the demo's 2021 aid through the workflow's records: the catalog, one proposal
/// per school and term (checked and approved), a batch each, and the payments.
pub async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<usize> {
    if !store::payment_keys(db, county).await?.is_empty() {
        return Ok(0);
    }
    let aid = emis_demo::aid::generate(demo);
    let township: std::collections::HashMap<&str, &str> = demo
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.township_code.as_str()))
        .collect();
    let names: std::collections::HashMap<(&str, Term), &str> = demo
        .students
        .iter()
        .map(|s| ((s.id_number.as_str(), s.term), s.name.as_str()))
        .collect();
    let mut by_school: BTreeMap<(String, Term), Vec<&Payment>> = BTreeMap::new();
    for p in &aid.payments {
        let school = p.school_code.clone().unwrap_or_default();
        by_school.entry((school, p.term)).or_default().push(p);
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &aid.policies, &actor.name).await?;
    let mut rows: Vec<PaymentRow> = Vec::with_capacity(aid.payments.len());
    for ((school, term), list) in &by_school {
        let lines: Vec<LineRow> = list
            .iter()
            .map(|p| LineRow {
                id_number: p.id_number.clone(),
                name: names
                    .get(&(p.id_number.as_str(), p.term))
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                policy: p.policy.clone(),
                fen: p.fen,
            })
            .collect();
        let id = store::write_proposal(
            &mut tx,
            county,
            school,
            township.get(school.as_str()).copied().unwrap_or(""),
            &term.code(),
            PROPOSED,
            "demo",
            &lines,
        )
        .await?;
        store::set_proposal_status(&mut tx, id, APPROVED, None, Some("demo"), Some("demo")).await?;
        let batch = store::insert_batch(
            &mut tx,
            county,
            &BatchRow {
                id: 0,
                proposal_id: id,
                term: term.code(),
                school_code: school.clone(),
                lines: lines.len() as i64,
                fen: lines.iter().map(|l| l.fen).sum(),
                status: BATCH_PAID.into(),
                created_by: "demo".into(),
            },
        )
        .await?;
        let date = match term.season {
            emis_domain::term::Season::Spring => "2021-05-20",
            emis_domain::term::Season::Autumn => "2021-11-20",
        };
        rows.extend(list.iter().map(|p| PaymentRow {
            row_key: format!("demo|{}|{}|{}#1", p.id_number, p.policy, term.code()),
            id_number: p.id_number.clone(),
            policy: p.policy.clone(),
            term: term.code(),
            fen: p.fen,
            paid_on: Some(date.to_string()),
            school_code: Some(school.clone()),
            batch_id: Some(batch),
        }));
    }
    store::insert_payments(&mut tx, county, &rows, "demo").await?;
    // Hardship evidence: one certificate number per hardship student of the autumn roll
    // (脱贫/建档立卡, 低保, 特困, 孤儿, 残疾), shown masked on the student's page.
    let mut evidence: Vec<(String, String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in demo
        .students
        .iter()
        .filter(|s| s.term == Term::autumn(2021))
    {
        use emis_domain::registry::Hardship;
        let prefix = match s.hardship {
            Hardship::LiftedOut => "TP",
            Hardship::Dibao => "DB",
            Hardship::Tekun => "TK",
            Hardship::Orphan => "GE",
            Hardship::Disabled => "CJ",
            Hardship::Other | Hardship::None => continue,
        };
        if seen.insert(s.id_number.clone()) {
            let serial: String = s.id_number.chars().rev().take(8).collect();
            evidence.push((
                s.id_number.clone(),
                s.hardship.label().to_string(),
                format!("{prefix}431224{serial}"),
            ));
        }
    }
    store::write_evidence(&mut tx, county, &evidence).await?;
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "demo",
            entity: "aid",
            entity_key: county,
            before: None,
            after: Some(
                serde_json::json!({
                    "payments": rows.len(),
                    "proposals": by_school.len(),
                    "pilot_schools": aid.pilot_schools.len(),
                    "preschool_quota": aid.preschool_quota,
                    "preschool_fen": aid.preschool_fen,
                    "tier_moves": aid.tier_moves,
                })
                .to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(rows.len())
}

/// The five gap lists of some terms within a scope as one xlsx sheet (ID numbers masked).
pub async fn write_gaps(
    db: &Db,
    scope: &Scope,
    terms: &[Term],
    out: &std::path::Path,
    actor: &Actor,
) -> Result<u64> {
    use emis_domain::identity::mask_id;
    let county = scope.county();
    let within = AidScope::of(db, scope, terms).await?;
    let result = check(db, county, terms).await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for e in &result.gaps.missed {
        if within.admits(Some(&e.school_code), &e.id_number) {
            rows.push(vec![
                "应助未助".into(),
                mask_id(&e.id_number),
                e.name.clone(),
                e.school_code.clone(),
                e.policy.clone(),
                e.term.code(),
                emis_domain::aid::yuan(e.fen),
            ]);
        }
    }
    let mut push = |kind: &str, p: &Payment| {
        if within.admits(p.school_code.as_deref(), &p.id_number) {
            rows.push(vec![
                kind.to_string(),
                mask_id(&p.id_number),
                String::new(),
                p.school_code.clone().unwrap_or_default(),
                p.policy.clone(),
                p.term.code(),
                emis_domain::aid::yuan(p.fen),
            ]);
        }
    };
    for p in &result.gaps.not_eligible {
        push("不符合条件", p);
    }
    for g in &result.gaps.duplicates {
        for p in g {
            push("同项目同学期重复", p);
        }
    }
    for g in &result.gaps.two_schools {
        for p in g {
            push("同学期两校发放", p);
        }
    }
    for p in &result.gaps.off_roll {
        push("不在籍发放", p);
    }
    let headers = [
        "问题类别",
        "身份证件号",
        "姓名",
        "学校标识码",
        "资助项目",
        "学期",
        "金额(元)",
    ];
    let n = emis_io::write_sheet(out, "资助问题名单", &headers, rows)?;
    let codes: Vec<String> = terms.iter().map(|t| t.code()).collect();
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county,
            kind: "aid_gaps",
            key: &codes.join(","),
            filter: serde_json::json!({"scope": crate::exports::scope_json(scope), "terms": codes}),
            rows: n,
            unmasked: false,
        },
    )
    .await?;
    Ok(n)
}

/// Person-times and amounts by policy, stage, township and school as one xlsx sheet.
pub async fn write_breakdown(
    db: &Db,
    scope: &Scope,
    terms: &[Term],
    out: &std::path::Path,
) -> Result<u64> {
    let county = scope.county();
    let schools = registry::schools(db, county).await?;
    let by_code: std::collections::HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut grade_of = std::collections::HashMap::new();
    for r in store::roll_facts(db, county, terms).await? {
        grade_of.insert((r.id_number.clone(), r.term), r.grade);
    }
    let within = AidScope::of(db, scope, terms).await?;
    let payments: Vec<Payment> = store::payments(db, county, terms)
        .await?
        .into_iter()
        .filter(|p| within.admits(p.school_code.as_deref(), &p.id_number))
        .collect();
    let school = |p: &Payment| p.school_code.clone().unwrap_or_default();
    // Names for people, codes kept in brackets so the sheet can be joined back.
    let years: std::collections::BTreeSet<i32> = terms.iter().map(|t| t.year).collect();
    let mut policy_names: std::collections::HashMap<String, String> = Default::default();
    for year in years {
        for p in catalog(db, county, year).await? {
            policy_names.entry(p.code).or_insert(p.name);
        }
    }
    let division = emis_domain::divisions::county(county);
    let township_name = |code: &str| {
        division
            .and_then(|c| c.township(code))
            .map(|t| format!("{}（{code}）", t.name))
            .unwrap_or_else(|| code.to_string())
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut add = |dimension: &str, groups: BTreeMap<String, (u64, i64)>| {
        for (k, (pt, fen)) in groups {
            rows.push(vec![
                dimension.to_string(),
                k,
                pt.to_string(),
                emis_domain::aid::yuan(fen),
            ]);
        }
    };
    add(
        "资助项目",
        breakdown(&payments, |p| {
            policy_names
                .get(&p.policy)
                .cloned()
                .unwrap_or_else(|| p.policy.clone())
        }),
    );
    add(
        "学段",
        breakdown(&payments, |p| {
            grade_of
                .get(&(p.id_number.clone(), p.term))
                .map(|g| g.stage().label().to_string())
                .unwrap_or_else(|| "不在籍".into())
        }),
    );
    add(
        "乡镇",
        breakdown(&payments, |p| {
            by_code
                .get(school(p).as_str())
                .map(|s| township_name(&s.township_code))
                .unwrap_or_default()
        }),
    );
    add(
        "学校",
        breakdown(&payments, |p| {
            by_code
                .get(school(p).as_str())
                .map(|s| format!("{}（{}）", s.name, s.code))
                .unwrap_or_else(|| school(p))
        }),
    );
    let headers = ["维度", "名称", "人次", "金额(元)"];
    Ok(emis_io::write_sheet(out, "资助分类汇总", &headers, rows)?)
}
