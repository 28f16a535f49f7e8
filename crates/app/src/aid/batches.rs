//! 发放批次: disbursement batches matched against the payments imported back, their
//! status changes, the batch sheet, and a student's aid history.

use super::queries::Batch;
use super::{catalog, school_of};
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::BatchStatus;
use emis_domain::term::Term;
use emis_storage::aid::{self as store, BatchRow, LineRow, PaymentRow};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{registry, Db};
use std::collections::BTreeMap;

/// Batches the scope sees (optionally of one term), oldest first.
pub async fn batches(db: &Db, scope: &Scope, term: Option<Term>) -> Result<Vec<Batch>> {
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: LineRow,
    pub paid_fen: i64,
    pub state: LineState,
}

/// A batch matched against the payments imported back: each line paid or not, and the
/// payments of the batch's school and term that are on no line (extra).
#[derive(Clone, Debug)]
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
pub(super) fn match_batch(
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

impl BatchMatch {
    /// 已发放 when every line was paid its amount, 待发放 when none was paid at all,
    /// 部分发放 otherwise (some lines unpaid or paid another amount).
    pub fn status(&self) -> BatchStatus {
        if self.lines.iter().all(|l| l.state == LineState::Paid) {
            BatchStatus::Paid
        } else if self.lines.iter().all(|l| l.state == LineState::Unpaid) {
            BatchStatus::Pending
        } else {
            BatchStatus::PartlyPaid
        }
    }
}

/// A batch whose status the payments being imported change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchStatusChange {
    pub id: i64,
    pub before: BatchStatus,
    pub after: BatchStatus,
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
        let (id, before) = (batch.id, batch.status);
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
        Entry::new(county, "update", "aid_batch", &key)
            .before_json(&serde_json::json!({"status": c.before.label()}))
            .after_json(&serde_json::json!({"status": c.after.label()}))
            .record(tx, actor)
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
