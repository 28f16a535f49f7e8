//! Read models of 控辍保学: the scoped case list and a case with its log and child, the
//! ledgers of the population snapshots, and 送教上门 plans with their visits. Each read
//! takes the caller's account and filters by its scope; statuses leave as their labels, and
//! the views are `Masked` (ID and phone numbers) when they are built, so that the pages and
//! the API show them as they are. (The ledger in full is [`super::export_ledger`], audited.)

use super::{to_domain, CaseView};
use crate::auth::Account;
use crate::masked::{self, Mask};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::dropout::cases;
use emis_storage::dropout::{self as store, CaseRow, EventRow, RollPlace};
use emis_storage::Db;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

pub use crate::masked::Masked;
pub use emis_storage::dropout::{
    AttachmentRow, CaseQuery, HomeVisitRow, Ledger, LedgerQuery, PersonRow, PlanRow, SnapshotRow,
};

/// A case as the workflow returns and audits it: the stored row.
pub type CaseRecord = CaseRow;

/// A case (ID number masked) and whether it is past its deadline.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CaseItem {
    #[serde(flatten)]
    pub case: CaseRecord,
    pub overdue: bool,
}

// A line of a case's log, its kind as the label (走访, 电话, 重新打开, 匹配核实).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "EventRow")]
pub struct EventItem {
    pub id: i64,
    pub case_id: i64,
    pub event_date: String,
    pub kind: String,
    pub note: String,
    pub detail: Option<String>,
    pub actor: String,
    pub recorded_at: String,
}

impl From<&EventRow> for EventItem {
    fn from(e: &EventRow) -> EventItem {
        EventItem {
            id: e.id,
            case_id: e.case_id,
            event_date: e.event_date.clone(),
            kind: e.kind.label().to_string(),
            note: e.note.clone(),
            detail: e.detail.clone(),
            actor: e.actor.clone(),
            recorded_at: e.recorded_at.clone(),
        }
    }
}

/// A student's place on the roll of a term: school, class and status.
// Grade and status as labels; empty when the student is not on the roll of the snapshot's
// term.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[schemars(rename = "RollPlace")]
pub struct MatchedStudent {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    pub grade: String,
    pub class_number: i64,
    pub status: String,
}

impl From<RollPlace> for MatchedStudent {
    fn from(p: RollPlace) -> MatchedStudent {
        MatchedStudent {
            id_number: p.id_number,
            name: p.name,
            school_code: p.school_code,
            school_name: p.school_name,
            grade: p.grade.label().to_string(),
            class_number: p.class_number,
            status: p.status.label().to_string(),
        }
    }
}

/// A probable match as the officer sees it before deciding: the roll student, ID number
/// masked, and why the two look alike.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
pub struct PendingMatch {
    pub student: MatchedStudent,
    pub reason: String,
}

/// The child of a case as the population snapshot has it (phone and the probable
/// match's ID number masked).
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CasePerson {
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub township_code: String,
    pub village: Option<String>,
    pub guardian: Option<String>,
    pub phone: Option<String>,
    pub finding: Option<String>,
    pub candidate_id: Option<String>,
    pub candidate_reason: Option<String>,
    pub poverty: bool,
}

/// A case with its log, evidence files and the child, ID and phone numbers masked.
#[derive(Clone, Debug)]
pub struct CaseDetail {
    pub case: CaseRecord,
    pub pending_match: Option<PendingMatch>,
    pub person: Option<CasePerson>,
    pub overdue: bool,
    pub events: Vec<EventItem>,
    pub attachments: Vec<AttachmentRow>,
}

/// A ledger of a population snapshot (the latest unless asked): ID numbers and phones
/// masked.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(rename = "LedgerReply")]
pub struct LedgerList {
    /// `school-age`, `suspected` or `dropout`.
    pub ledger: &'static str,
    pub snapshot: Option<SnapshotRow>,
    pub items: Vec<PersonRow>,
    /// Each item's child's latest case opened on the ledger's snapshot or an earlier one, in
    /// the order of `items` (filled by [`ledger_with_cases`] for the page's links; empty
    /// otherwise, and not part of the API's reply).
    #[serde(skip)]
    pub case_ids: Vec<Option<i64>>,
}

masked::masks! {
    CaseRecord { id: person_id_number }
    CasePerson { optional_phone: phone, optional_id: candidate_id }
    PersonRow { id: id_number, optional_phone: phone, optional_id: candidate_id }
    PlanRow { id: student_id_number }
}

impl Mask for CaseItem {
    fn mask(&mut self) {
        self.case.mask();
    }
}

impl Mask for CaseDetail {
    fn mask(&mut self) {
        self.case.mask();
        if let Some(p) = &mut self.person {
            p.mask();
        }
        // The workflow's view masks it already; again changes nothing.
        if let Some(m) = &mut self.pending_match {
            masked::id(&mut m.student.id_number);
        }
    }
}

impl Mask for LedgerList {
    fn mask(&mut self) {
        self.items.iter_mut().for_each(Mask::mask);
    }
}

/// The cases in the account's scope, newest first, each with whether it is overdue on
/// `today`.
pub async fn cases(
    db: &Db,
    account: &Account,
    q: &CaseQuery,
    today: NaiveDate,
) -> Result<Vec<Masked<CaseItem>>> {
    Ok(store::cases(db, &account.scope, q)
        .await?
        .iter()
        .map(|c| {
            Masked::new(CaseItem {
                overdue: cases::is_overdue(&to_domain(c, &[]), today),
                case: c.clone(),
            })
        })
        .collect())
}

/// A case in the account's scope with its log, evidence files and the child, as of
/// `today`; else `NotFound`.
pub async fn case(
    db: &Db,
    account: &Account,
    id: i64,
    today: NaiveDate,
) -> Result<Masked<CaseDetail>> {
    let CaseView {
        row,
        events,
        attachments,
        overdue,
        person,
        pending_match,
    } = super::case(db, &account.scope, id, today).await?;
    Ok(Masked::new(CaseDetail {
        case: row,
        pending_match,
        person: person.map(|p| CasePerson {
            phone: p.phone,
            candidate_id: p.candidate_id,
            name: p.name,
            sex: p.sex,
            birth_date: p.birth_date,
            township_code: p.township_code,
            village: p.village,
            guardian: p.guardian,
            finding: p.finding,
            candidate_reason: p.candidate_reason,
            poverty: p.poverty,
        }),
        overdue,
        events,
        attachments,
    }))
}

/// The county's population snapshots (户籍 rolls), for the ledger's picker.
pub async fn snapshots(db: &Db, account: &Account) -> Result<Vec<SnapshotRow>> {
    Ok(store::snapshots(db, account.county()).await?)
}

/// A ledger in the account's scope, at most `limit` rows, masked.
pub async fn ledger(
    db: &Db,
    account: &Account,
    query: &LedgerQuery,
    limit: i64,
) -> Result<Masked<LedgerList>> {
    ledger_list(db, account, query, limit, false).await
}

/// [`ledger`] with each child's latest case opened on the snapshot or an earlier one.
pub async fn ledger_with_cases(
    db: &Db,
    account: &Account,
    query: &LedgerQuery,
    limit: i64,
) -> Result<Masked<LedgerList>> {
    ledger_list(db, account, query, limit, true).await
}

/// One page of a ledger with each row's 一人一案 and the number of people it lists in all.
pub async fn ledger_page_with_cases(
    db: &Db,
    account: &Account,
    query: &LedgerQuery,
    page: i64,
    per_page: i64,
) -> Result<(Masked<LedgerList>, i64)> {
    let (snapshot, rows, total) =
        super::ledger_paged(db, &account.scope, query, page, per_page).await?;
    let case_ids: HashMap<String, i64> = match &snapshot {
        Some(s) => {
            let ids: Vec<String> = rows.iter().map(|p| p.id_number.clone()).collect();
            store::case_ids_up_to_snapshot(db, account.county(), &s.snapshot_date, &ids).await?
        }
        None => HashMap::new(),
    };
    Ok((
        Masked::new(LedgerList {
            ledger: query.ledger.code(),
            snapshot,
            case_ids: rows
                .iter()
                .map(|p| case_ids.get(&p.id_number).copied())
                .collect(),
            items: rows,
        }),
        total,
    ))
}

async fn ledger_list(
    db: &Db,
    account: &Account,
    query: &LedgerQuery,
    limit: i64,
    with_cases: bool,
) -> Result<Masked<LedgerList>> {
    let (snapshot, rows) = super::ledger(db, &account.scope, query, limit).await?;
    let case_ids: HashMap<String, i64> = match (&snapshot, with_cases) {
        (Some(s), true) => {
            let ids: Vec<String> = rows.iter().map(|p| p.id_number.clone()).collect();
            store::case_ids_up_to_snapshot(db, account.county(), &s.snapshot_date, &ids).await?
        }
        _ => HashMap::new(),
    };
    Ok(Masked::new(LedgerList {
        ledger: query.ledger.code(),
        snapshot,
        case_ids: match with_cases {
            true => rows
                .iter()
                .map(|p| case_ids.get(&p.id_number).copied())
                .collect(),
            false => Vec::new(),
        },
        items: rows,
    }))
}

/// The 送教上门 plans of a term in the account's scope, at most `limit`.
pub async fn plans(
    db: &Db,
    account: &Account,
    term: &str,
    limit: i64,
) -> Result<Vec<Masked<PlanRow>>> {
    Ok(Masked::all(
        store::plans(db, &account.scope, term, limit).await?,
    ))
}

/// One 送教上门 plan in the account's scope, else `NotFound`.
pub async fn plan(db: &Db, account: &Account, id: i64) -> Result<Masked<PlanRow>> {
    store::plan_in_scope(db, &account.scope, id)
        .await?
        .map(Masked::new)
        .ok_or(AppError::NotFound)
}

/// The home visits of a plan the account was shown.
pub async fn plan_visits(db: &Db, plan: &PlanRow) -> Result<Vec<HomeVisitRow>> {
    Ok(store::home_visits(db, plan.id).await?)
}
