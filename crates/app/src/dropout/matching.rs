//! 疑似匹配 matching review: the probable match a case awaits, and the officer's decision
//! (same child or not), kept for later comparisons.

use super::queries::{CaseRecord, MatchedStudent, PendingMatch};
use super::{apply_to_row, field_err, to_domain};
use crate::auth::Account;
use crate::Result;
use chrono::NaiveDate;
use emis_domain::dropout::cases::{self, CaseEvent, EventKind, Outcome};
use emis_domain::dropout::{Finding, MatchDecision};
use emis_domain::identity::mask_id;
use emis_domain::registry::StudentStatus;
use emis_storage::audit::Entry;
use emis_storage::dropout::{self as store, CaseRow, EventRow};
use emis_storage::Db;

/// The probable match a case's child awaits a decision on: the roll student (in the term
/// of the case's snapshot; ID number in full) and why they look alike. `None` once decided
/// or when there is none.
pub async fn pending_match(db: &Db, county: &str, row: &CaseRow) -> Result<Option<PendingMatch>> {
    let Some(person) = store::person(db, row.snapshot_id, &row.person_id_number).await? else {
        return Ok(None);
    };
    let (Some(candidate), Some(store::FINDING_PROBABLE)) =
        (person.candidate_id.as_deref(), person.finding.as_deref())
    else {
        return Ok(None);
    };
    let term = match store::snapshots(db, county)
        .await?
        .into_iter()
        .find(|s| s.id == row.snapshot_id)
    {
        Some(s) => s.term,
        None => return Ok(None),
    };
    let student = match store::roll_place(db, county, candidate, &term).await? {
        Some(place) => MatchedStudent::from(place),
        None => MatchedStudent {
            id_number: candidate.to_string(),
            school_code: person.school_code.clone().unwrap_or_default(),
            ..MatchedStudent::default()
        },
    };
    Ok(Some(PendingMatch {
        student,
        reason: person.candidate_reason.unwrap_or_default(),
    }))
}

/// 确认是同一人 / 不是同一人 on the case's pending probable match. Confirmed: the child is
/// on the roll after all; the snapshot rows and counts say so and the case is closed as
/// 已在籍 (found enrolled). Rejected: the child stays 疑似辍学 and the case stays open with
/// the check logged. Either way the decision is kept for later comparisons, and audited.
/// A confirmation closes the case on `closing` (default today): not after today, not before
/// the snapshot that found the match.
pub(super) async fn decide_match(
    db: &Db,
    account: &Account,
    row: CaseRow,
    decision: MatchDecision,
    closing: Option<NaiveDate>,
    source: &str,
    today: NaiveDate,
) -> Result<CaseRecord> {
    let county = account.county();
    let Some(PendingMatch {
        student: place,
        reason,
    }) = pending_match(db, county, &row).await?
    else {
        return Err(field_err("action", "该儿童没有待确认的疑似匹配").into());
    };
    if let Some(date) = closing {
        let snapshot = store::snapshots(db, county)
            .await?
            .into_iter()
            .find(|s| s.id == row.snapshot_id)
            .and_then(|s| s.snapshot_date.parse::<NaiveDate>().ok());
        if let Some(snapshot) = snapshot.filter(|&s| date < s) {
            return Err(field_err(
                "date",
                format!("销号日期{date}早于发现该疑似匹配的比对日期{snapshot}"),
            )
            .into());
        }
    }
    let masked = mask_id(&place.id_number);
    let place_text = if place.school_name.is_empty() {
        format!("学籍 {masked}")
    } else {
        format!(
            "学籍 {masked}（{} {}{}班）",
            place.school_name, place.grade, place.class_number
        )
    };
    let events = store::events(db, row.id).await?;
    let before = to_domain(&row, &events);
    let mut next = row.clone();
    let decided = match decision {
        MatchDecision::Confirmed => {
            let closed = cases::apply(
                &before,
                CaseEvent::Close {
                    outcome: Some(Outcome::FoundEnrolled),
                    date: closing.unwrap_or(today.max(before.opened_on)),
                    evidence: format!("疑似匹配核实为同一人：{place_text}；{reason}"),
                },
            );
            let closed = match closed {
                Ok(c) => c,
                Err(e) => return Err(field_err("action", e.to_string()).into()),
            };
            next = apply_to_row(&row, &closed);
            let status = StudentStatus::parse(&place.status).unwrap_or(StudentStatus::Enrolled);
            let finding = Finding::Enrolled { student: 0, status };
            store::DecidedFinding {
                finding: finding.label().to_string(),
                school_code: Some(place.school_code.clone()).filter(|c| !c.is_empty()),
                leaves_suspected: true,
                joins_not_in_school: emis_domain::dropout::Placement::of(status)
                    == emis_domain::dropout::Placement::NotInSchool,
            }
        }
        MatchDecision::Rejected => store::DecidedFinding {
            finding: store::FINDING_SUSPECTED.to_string(),
            school_code: None,
            leaves_suspected: false,
            joins_not_in_school: false,
        },
    };
    let mut tx = db.begin().await?;
    store::record_match_decision(
        &mut tx,
        county,
        &store::MatchDecisionRow {
            person_id_number: row.person_id_number.clone(),
            candidate_id: place.id_number.clone(),
            decision,
            case_id: Some(row.id),
            decided_by: account.username.clone(),
            decided_at: String::new(),
        },
    )
    .await?;
    store::decide_pending_rows(
        &mut tx,
        county,
        &row.person_id_number,
        &place.id_number,
        &decided,
    )
    .await?;
    if next != row {
        store::update_case(&mut tx, &next).await?;
    }
    store::insert_event(
        &mut tx,
        county,
        &EventRow {
            id: 0,
            case_id: row.id,
            event_date: match decision {
                MatchDecision::Confirmed => closing.unwrap_or(today).to_string(),
                MatchDecision::Rejected => today.to_string(),
            },
            kind: EventKind::MatchChecked,
            note: format!("{}：{place_text}", decision.label()),
            detail: None,
            actor: account.username.clone(),
            recorded_at: String::new(),
        },
    )
    .await?;
    let key = row.id.to_string();
    Entry::new(
        county,
        match decision {
            MatchDecision::Confirmed => "case.match_confirm",
            MatchDecision::Rejected => "case.match_reject",
        },
        "dropout_case",
        &key,
    )
    .before_json(&row.clone())
    .after(
        serde_json::to_string(&serde_json::json!({
            "case": next.clone(),
            "candidate": masked,
            "decision": decision.code(),
        }))
        .ok(),
    )
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(next.clone())
}
