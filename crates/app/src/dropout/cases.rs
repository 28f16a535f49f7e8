//! 一人一案 cases: the case as the workflow sees it and the changes made to it (assign,
//! visit, deadline, close, reopen), scoped and audited.

use super::queries::{CaseRecord, EventItem, PendingMatch};
use super::{decide_match, pending_match};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::registry::FieldError;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::dates::parse_date;
use emis_domain::dropout::cases::{
    self, Case, CaseError, CaseEvent, CaseStatus, Closure, EventKind, Outcome, Reopening,
    Responsible, ResponsibleRole, Visit,
};
use emis_domain::dropout::MatchDecision;
use emis_domain::identity::mask_id;
use emis_domain::limits::{FREE_TEXT, NAME, SHORT_TEXT};
use emis_storage::audit::Entry;
use emis_storage::dropout::{self as store, CaseRow, EventRow, PersonRow};
use emis_storage::Db;
use serde::Serialize;

/// A case as the workflow sees it: the case as recorded, its log, and the child. Values
/// in full except the pending match's ID number; the pages and the API read
/// [`super::queries::case`], which masks them.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub row: CaseRecord,
    pub events: Vec<EventItem>,
    pub attachments: Vec<store::AttachmentRow>,
    pub overdue: bool,
    /// The child's row of the snapshot the case was opened on: guardian, phone, finding
    /// and the probable match's reason for the officer to confirm or reject.
    pub person: Option<PersonRow>,
    /// The probable match awaiting 确认是同一人 / 不是同一人, ID number masked.
    pub pending_match: Option<PendingMatch>,
}

/// Builds the domain case from its stored row and log.
pub fn to_domain(row: &CaseRow, events: &[EventRow]) -> Case {
    let date = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
    let mut case = Case::open(
        &row.person_id_number,
        &row.township_code,
        date(&row.opened_on),
    );
    case.status = row.status;
    let mut responsible = Vec::new();
    for (role, name) in [
        (ResponsibleRole::TownshipCadre, &row.township_cadre),
        (ResponsibleRole::VillageCadre, &row.village_cadre),
        (ResponsibleRole::School, &row.school_contact),
        (ResponsibleRole::Teacher, &row.teacher),
    ] {
        if let Some(name) = name.as_ref().filter(|n| !n.is_empty()) {
            responsible.push(Responsible {
                role,
                name: name.clone(),
            });
        }
    }
    case.responsible = responsible;
    case.deadline = row.deadline.as_deref().map(date);
    for e in events {
        match e.kind {
            EventKind::Contact(kind) => case.visits.push(Visit {
                date: date(&e.event_date),
                kind,
                note: e.note.clone(),
            }),
            EventKind::Reopened => {
                if let Some(previous) = e
                    .detail
                    .as_deref()
                    .and_then(|d| serde_json::from_str::<Closure>(d).ok())
                {
                    case.reopenings.push(Reopening {
                        date: date(&e.event_date),
                        reason: e.note.clone(),
                        previous,
                    });
                }
            }
            EventKind::MatchChecked => {}
        }
    }
    if case.status == CaseStatus::Closed {
        case.closure = row
            .outcome
            .as_deref()
            .and_then(Outcome::parse)
            .map(|o| Closure {
                outcome: o,
                date: row.closed_on.as_deref().map(date).unwrap_or(case.opened_on),
                evidence: row.evidence.clone().unwrap_or_default(),
            });
    }
    case
}

fn responsible_named(case: &Case, role: ResponsibleRole) -> Option<String> {
    case.responsible
        .iter()
        .find(|r| r.role == role)
        .map(|r| r.name.clone())
}

/// Writes a domain case's state back onto its row.
pub(crate) fn apply_to_row(row: &CaseRow, case: &Case) -> CaseRow {
    let mut next = row.clone();
    next.status = case.status;
    next.township_cadre = responsible_named(case, ResponsibleRole::TownshipCadre);
    next.village_cadre = responsible_named(case, ResponsibleRole::VillageCadre);
    next.school_contact = responsible_named(case, ResponsibleRole::School);
    next.teacher = responsible_named(case, ResponsibleRole::Teacher);
    next.deadline = case.deadline.map(|d| d.to_string());
    next.outcome = case.closure.as_ref().map(|c| c.outcome.label());
    next.closed_on = case.closure.as_ref().map(|c| c.date.to_string());
    next.evidence = case.closure.as_ref().map(|c| c.evidence.clone());
    next
}

pub async fn case(db: &Db, scope: &Scope, id: i64, today: NaiveDate) -> Result<CaseView> {
    let row = store::case_in_scope(db, scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = store::events(db, id).await?;
    let domain = to_domain(&row, &events);
    let pending_match = if domain.status == CaseStatus::Closed {
        None
    } else {
        pending_match(db, scope.county(), &row)
            .await?
            .map(|mut pending| {
                pending.student.id_number = mask_id(&pending.student.id_number);
                pending
            })
    };
    Ok(CaseView {
        pending_match,
        person: store::person(db, row.snapshot_id, &row.person_id_number).await?,
        overdue: cases::is_overdue(&domain, today),
        attachments: store::attachments(db, id).await?,
        row: row.clone(),
        events: events.iter().map(EventItem::from).collect(),
    })
}

/// One change to a case, as a form or the API sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CaseForm {
    /// assign, visit, deadline, close, reopen
    pub action: String,
    pub township_cadre: Option<String>,
    pub village_cadre: Option<String>,
    pub school_code: Option<String>,
    pub school_contact: Option<String>,
    pub teacher: Option<String>,
    pub date: Option<String>,
    pub kind: Option<String>,
    pub note: Option<String>,
    pub outcome: Option<String>,
    pub evidence: Option<String>,
    pub reason: Option<String>,
}

pub(super) fn field_err(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

fn case_field(e: &CaseError) -> &'static str {
    match e {
        CaseError::NoOutcome => "outcome",
        CaseError::NoEvidence => "evidence",
        CaseError::EmptyNote => "note",
        CaseError::NoResponsible | CaseError::UnnamedResponsible => "township_cadre",
        CaseError::NoReason => "reason",
        CaseError::Closed { .. } | CaseError::NotClosed | CaseError::AlreadyClosed { .. } => {
            "action"
        }
        _ => "date",
    }
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

/// Applies a change to a case in the account's scope; audited with before and after.
pub async fn act(
    db: &Db,
    account: &Account,
    id: i64,
    form: &CaseForm,
    source: &str,
    today: NaiveDate,
) -> Result<CaseRecord> {
    let row = store::case_in_scope(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    let (cadre, village) = (text(&form.township_cadre), text(&form.village_cadre));
    let (contact, teacher) = (text(&form.school_contact), text(&form.teacher));
    let (kind, note) = (text(&form.kind), text(&form.note));
    check_lengths(&[
        ("township_cadre", "乡镇干部", &cadre, NAME),
        ("village_cadre", "村干部", &village, NAME),
        ("school_contact", "学校联系人", &contact, NAME),
        ("teacher", "教师", &teacher, NAME),
        ("kind", "类型", &kind, SHORT_TEXT),
        ("note", "情况说明", &note, FREE_TEXT),
    ])?;
    if let Some(decision) = form
        .action
        .strip_suffix("-match")
        .and_then(MatchDecision::parse)
    {
        let closing = match form
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => None,
            Some(raw) => match parse_date(raw) {
                None => {
                    return Err(field_err(
                        "date",
                        format!("销号日期“{raw}”无法识别，应如 2021-10-08"),
                    )
                    .into())
                }
                Some(date) if date > today => {
                    return Err(
                        field_err("date", format!("销号日期{date}晚于今天，不能预先销号")).into(),
                    )
                }
                Some(date) => Some(date),
            },
        };
        return decide_match(db, account, row, decision, closing, source, today).await;
    }
    let events = store::events(db, id).await?;
    let before = to_domain(&row, &events);
    let date = match form
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(raw) => match parse_date(raw) {
            Some(d) => Some(d),
            None => {
                return Err(
                    field_err("date", format!("日期“{raw}”无法识别，应如 2021-10-08")).into(),
                )
            }
        },
        None => None,
    };
    let need_date = || field_err("date", "请填写日期");
    let mut new_school = row.school_code.clone();
    let event = match form.action.as_str() {
        "assign" => {
            let mut responsible = Vec::new();
            for (role, value) in [
                (ResponsibleRole::TownshipCadre, &form.township_cadre),
                (ResponsibleRole::VillageCadre, &form.village_cadre),
                (ResponsibleRole::School, &form.school_contact),
                (ResponsibleRole::Teacher, &form.teacher),
            ] {
                let name = text(value);
                if !name.is_empty() {
                    responsible.push(Responsible { role, name });
                }
            }
            if let Some(code) = form.school_code.as_deref().map(str::trim) {
                if code.is_empty() {
                    new_school = None;
                } else {
                    let school = emis_storage::registry::schools(db, account.county())
                        .await?
                        .into_iter()
                        .find(|s| s.code == code);
                    match school {
                        None => {
                            return Err(field_err(
                                "school_code",
                                format!("学校标识码 {code} 不在本县学校名单中"),
                            )
                            .into())
                        }
                        Some(s) => {
                            if !account.scope.is_county()
                                && !matches!(&account.scope, Scope::Township { township, .. } if *township == s.township_code)
                                && Some(code) != row.school_code.as_deref()
                            {
                                return Err(
                                    field_err("school_code", "该学校不在您的管理范围内").into()
                                );
                            }
                            new_school = Some(s.code);
                        }
                    }
                }
            }
            CaseEvent::Assign { responsible }
        }
        "visit" => {
            let kind = match text(&form.kind).as_str() {
                "走访" | "visit" => cases::VisitKind::Visit,
                "电话" | "phone" => cases::VisitKind::Phone,
                _ => return Err(field_err("kind", "请选择方式：走访或电话").into()),
            };
            CaseEvent::LogVisit {
                date: match date {
                    Some(d) => d,
                    None => return Err(need_date().into()),
                },
                kind,
                note: text(&form.note),
            }
        }
        "deadline" => CaseEvent::SetDeadline {
            date: match date {
                Some(d) => d,
                None => return Err(need_date().into()),
            },
        },
        "close" => {
            let raw = text(&form.outcome);
            let outcome = if raw.is_empty() {
                None
            } else {
                match Outcome::parse(&raw) {
                    Some(o) => Some(o),
                    None => {
                        return Err(field_err("outcome", format!("处理结果“{raw}”无法识别")).into())
                    }
                }
            };
            CaseEvent::Close {
                outcome,
                date: match date {
                    Some(d) => d,
                    None => return Err(need_date().into()),
                },
                evidence: text(&form.evidence),
            }
        }
        "reopen" => CaseEvent::Reopen {
            date: match date {
                Some(d) => d,
                None => return Err(need_date().into()),
            },
            reason: text(&form.reason),
        },
        other => return Err(field_err("action", format!("未知操作“{other}”")).into()),
    };
    let after = match cases::apply(&before, event.clone()) {
        Ok(c) => c,
        Err(e) => return Err(field_err(case_field(&e), e.to_string()).into()),
    };
    let mut next = apply_to_row(&row, &after);
    next.school_code = new_school;
    let mut tx = db.begin().await?;
    store::update_case(&mut tx, &next).await?;
    match &event {
        CaseEvent::LogVisit { date, kind, note } => {
            store::insert_event(
                &mut tx,
                account.county(),
                &EventRow {
                    id: 0,
                    case_id: id,
                    event_date: date.to_string(),
                    kind: EventKind::Contact(*kind),
                    note: note.clone(),
                    detail: None,
                    actor: account.username.clone(),
                    recorded_at: String::new(),
                },
            )
            .await?;
        }
        CaseEvent::Reopen { date, reason } => {
            store::insert_event(
                &mut tx,
                account.county(),
                &EventRow {
                    id: 0,
                    case_id: id,
                    event_date: date.to_string(),
                    kind: EventKind::Reopened,
                    note: reason.clone(),
                    detail: before
                        .closure
                        .as_ref()
                        .and_then(|c| serde_json::to_string(c).ok()),
                    actor: account.username.clone(),
                    recorded_at: String::new(),
                },
            )
            .await?;
        }
        _ => {}
    }
    let key = id.to_string();
    Entry::new(
        account.county(),
        match form.action.as_str() {
            "assign" => "case.assign",
            "visit" => "case.visit",
            "deadline" => "case.deadline",
            "close" => "case.close",
            _ => "case.reopen",
        },
        "dropout_case",
        &key,
    )
    .before_json(&row.clone())
    .after_json(&next.clone())
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(next.clone())
}
