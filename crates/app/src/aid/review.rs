//! 审核与审批: decisions on a proposal (checked, approved into a batch, or sent back) and
//! its status history.

use super::{match_batch, proposal_in_scope, APPROVED, CHECKED, PROPOSED};
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::{BatchStatus, ProposalStatus};
use emis_storage::aid::{self as store, BatchRow};
use emis_storage::audit::{Actor, Entry};
use emis_storage::Db;

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
    let stage_allowed = match p.status {
        ProposalStatus::Proposed => matches!(scope, Scope::Township { .. } | Scope::County { .. }),
        ProposalStatus::Checked => scope.is_county(),
        ProposalStatus::Approved | ProposalStatus::SentBack => false,
    };
    if !stage_allowed {
        return Err(
            if matches!(p.status, ProposalStatus::Proposed | ProposalStatus::Checked) {
                AppError::Forbidden
            } else {
                AppError::Refused(format!("申报当前状态为“{}”，无需审核", p.status))
            },
        );
    }
    let county = scope.county();
    let mut batch = BatchRow {
        id: 0,
        proposal_id: id,
        term: p.term.clone(),
        school_code: p.school_code.clone(),
        lines: p.lines,
        fen: p.fen,
        status: BatchStatus::Pending,
        created_by: actor.name.clone(),
    };
    if p.status == ProposalStatus::Checked && matches!(decision, Decision::Pass) {
        // Payments imported before the approval already count against the new batch.
        let lines = store::proposal_lines(db, id).await?;
        let paid = store::batch_payments(db, county, &p.term, &p.school_code).await?;
        batch.status = match_batch(batch.clone(), lines, paid).status();
    }
    let mut tx = db.begin().await?;
    let (status, reason) = match &decision {
        Decision::SendBack(reason) => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(AppError::Refused("退回须填写原因".into()));
            }
            (ProposalStatus::SentBack, Some(reason.to_string()))
        }
        Decision::Pass if p.status == ProposalStatus::Proposed => (ProposalStatus::Checked, None),
        Decision::Pass => (ProposalStatus::Approved, None),
    };
    let checked_by = (p.status == ProposalStatus::Proposed && status == ProposalStatus::Checked)
        .then_some(actor.name.as_str());
    let approved_by = (status == ProposalStatus::Approved).then_some(actor.name.as_str());
    store::set_proposal_status(
        &mut tx,
        id,
        status,
        reason.as_deref(),
        checked_by,
        approved_by,
    )
    .await?;
    if status == ProposalStatus::Approved {
        store::insert_batch(&mut tx, county, &batch).await?;
    }
    let key = id.to_string();
    Entry::new(
        county,
        if status == ProposalStatus::SentBack {
            "send_back"
        } else {
            "approve"
        },
        "aid_proposal",
        &key,
    )
    .before_json(&serde_json::json!({"status": p.status.label()}))
    .after_json(&serde_json::json!({"status": status.label(), "reason": reason}))
    .record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(status.label().to_string())
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
