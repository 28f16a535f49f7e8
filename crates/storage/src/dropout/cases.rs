//! 一人一案 cases and their log (events), scoped reads and transactional writes.

use crate::sql::insert_many;
use crate::sql::{rows_as, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::dropout::cases::{CaseStatus, EventKind};
use sqlx::AssertSqlSafe;

/// A case as stored, and as the workflow returns, audits and shows it (`Masked` where a
/// page or the API shows it).
#[derive(
    Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct CaseRow {
    pub id: i64,
    pub person_id_number: String,
    pub name: String,
    pub snapshot_id: i64,
    pub township_code: String,
    pub opened_on: String,
    #[sqlx(try_from = "Label")]
    pub status: CaseStatus,
    pub township_cadre: Option<String>,
    pub village_cadre: Option<String>,
    pub school_code: Option<String>,
    pub school_contact: Option<String>,
    pub teacher: Option<String>,
    pub deadline: Option<String>,
    pub outcome: Option<String>,
    pub closed_on: Option<String>,
    pub evidence: Option<String>,
}

const CASE_COLUMNS: &str = "c.id, c.person_id_number, c.name, c.snapshot_id, c.township_code, c.opened_on, c.status, \
     c.township_cadre, c.village_cadre, c.school_code, c.school_contact, c.teacher, c.deadline, c.outcome, c.closed_on, c.evidence";

/// ID numbers with a case that is not closed.
pub async fn open_case_ids(tx: &mut Tx, county: &str) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT person_id_number FROM dropout_cases WHERE county = $1 AND status <> '已销号'",
    )
    .bind(county)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Inserts new cases in multi-row statements (a comparison opens hundreds at once).
pub async fn insert_cases(tx: &mut Tx, county: &str, cases: &[CaseRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "dropout_cases",
        &[
            "county",
            "person_id_number",
            "name",
            "snapshot_id",
            "township_code",
            "opened_on",
            "status",
            "township_cadre",
            "village_cadre",
            "school_code",
            "school_contact",
            "teacher",
            "deadline",
            "outcome",
            "closed_on",
            "evidence",
            "updated_at",
        ],
        "",
        cases,
        |q, case| {
            q.bind(county)
                .bind(&case.person_id_number)
                .bind(&case.name)
                .bind(case.snapshot_id)
                .bind(&case.township_code)
                .bind(&case.opened_on)
                .bind(case.status.label())
                .bind(case.township_cadre.clone())
                .bind(case.village_cadre.clone())
                .bind(case.school_code.clone())
                .bind(case.school_contact.clone())
                .bind(case.teacher.clone())
                .bind(case.deadline.clone())
                .bind(case.outcome.clone())
                .bind(case.closed_on.clone())
                .bind(case.evidence.clone())
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

/// Writes a case's state (everything but its identity).
pub async fn update_case(tx: &mut Tx, case: &CaseRow) -> Result<()> {
    sqlx::query(
        "UPDATE dropout_cases SET status = $1, township_cadre = $2, village_cadre = $3, school_code = $4, \
         school_contact = $5, teacher = $6, deadline = $7, outcome = $8, closed_on = $9, evidence = $10, updated_at = $11 \
         WHERE id = $12",
    )
    .bind(case.status.label())
    .bind(case.township_cadre.clone())
    .bind(case.village_cadre.clone())
    .bind(case.school_code.clone())
    .bind(case.school_contact.clone())
    .bind(case.teacher.clone())
    .bind(case.deadline.clone())
    .bind(case.outcome.clone())
    .bind(case.closed_on.clone())
    .bind(case.evidence.clone())
    .bind(crate::now_text())
    .bind(case.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn case_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND c.township_code = ")
                .bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND c.school_code = ").bind_text(school.clone());
        }
    }
}

/// A case in the scope, or `None` (not there or outside the scope: the same answer).
pub async fn case_in_scope(db: &Db, scope: &Scope, id: i64) -> Result<Option<CaseRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CASE_COLUMNS} FROM dropout_cases c WHERE c.county = "
    ));
    sql.bind_text(scope.county())
        .push(" AND c.id = ")
        .bind_int(id);
    case_scope(&mut sql, scope);
    Ok(rows_as::<CaseRow>(&sql.fetch_all(db).await?)?
        .into_iter()
        .next())
}

#[derive(Clone, Debug, Default)]
pub struct CaseQuery {
    pub township: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    /// Only the cases overdue on this date (`YYYY-MM-DD`): not closed and past their
    /// deadline, the rule of `emis_domain::dropout::cases::is_overdue`.
    pub overdue_on: Option<String>,
    pub limit: i64,
}

/// Cases in the scope, newest first.
pub async fn cases(db: &Db, scope: &Scope, query: &CaseQuery) -> Result<Vec<CaseRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CASE_COLUMNS} FROM dropout_cases c WHERE c.county = "
    ));
    sql.bind_text(scope.county());
    case_scope(&mut sql, scope);
    if let Some(t) = query.township.as_deref().filter(|t| !t.is_empty()) {
        sql.push(" AND c.township_code = ").bind_text(t);
    }
    if let Some(s) = query.status.as_deref().filter(|t| !t.is_empty()) {
        sql.push(" AND c.status = ").bind_text(s);
    }
    if let Some(today) = &query.overdue_on {
        sql.push(" AND c.status <> '已销号' AND c.deadline < ")
            .bind_text(today.clone());
    }
    if let Some(q) = query.q.as_deref().filter(|t| !t.is_empty()) {
        sql.push(" AND (c.name = ")
            .bind_text(q)
            .push(" OR c.person_id_number = ")
            .bind_text(q)
            .push(")");
    }
    sql.push(" ORDER BY c.id DESC LIMIT ")
        .bind_int(if query.limit > 0 { query.limit } else { 500 });
    rows_as(&sql.fetch_all(db).await?)
}

/// Every case of the county (for the indicators and the dashboard).
pub async fn all_cases(db: &Db, county: &str) -> Result<Vec<CaseRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CASE_COLUMNS} FROM dropout_cases c WHERE c.county = $1 ORDER BY c.id"
    )))
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    rows_as(&rows)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub case_id: i64,
    pub event_date: String,
    #[sqlx(try_from = "Label")]
    pub kind: EventKind,
    pub note: String,
    pub detail: Option<String>,
    pub actor: String,
    pub recorded_at: String,
}

pub async fn insert_event(tx: &mut Tx, county: &str, event: &EventRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO dropout_case_events (county, case_id, event_date, kind, note, detail, actor, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(county)
    .bind(event.case_id)
    .bind(&event.event_date)
    .bind(event.kind.label())
    .bind(&event.note)
    .bind(event.detail.clone())
    .bind(&event.actor)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Multi-row insert of events (the demo).
pub async fn insert_events(tx: &mut Tx, county: &str, events: &[EventRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "dropout_case_events",
        &[
            "county",
            "case_id",
            "event_date",
            "kind",
            "note",
            "detail",
            "actor",
            "recorded_at",
        ],
        "",
        events,
        |q, e| {
            q.bind(county)
                .bind(e.case_id)
                .bind(&e.event_date)
                .bind(e.kind.label())
                .bind(&e.note)
                .bind(e.detail.clone())
                .bind(&e.actor)
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

/// A case's log in date order.
pub async fn events(db: &Db, case_id: i64) -> Result<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, event_date, kind, note, detail, actor, recorded_at FROM dropout_case_events \
         WHERE case_id = $1 ORDER BY event_date, id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}

/// A county setting's value.
pub async fn setting(db: &Db, county: &str, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE county = $1 AND key = $2")
            .bind(county)
            .bind(key)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// ID numbers with a case opened on a snapshot.
pub async fn case_ids_on_snapshot(
    tx: &mut Tx,
    county: &str,
    snapshot_id: i64,
) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT person_id_number FROM dropout_cases WHERE county = $1 AND snapshot_id = $2",
    )
    .bind(county)
    .bind(snapshot_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// For ledger rows of the snapshot dated `snapshot_date`: each child's latest case opened
/// on that snapshot or an earlier one (a case stays open across snapshots), by ID number.
pub async fn case_ids_up_to_snapshot(
    db: &Db,
    county: &str,
    snapshot_date: &str,
    ids: &[String],
) -> Result<std::collections::HashMap<String, i64>> {
    /// A child's latest case.
    #[derive(sqlx::FromRow)]
    struct Latest {
        person_id_number: String,
        case_id: i64,
    }
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(
            "SELECT c.person_id_number, MAX(c.id) AS case_id FROM dropout_cases c \
             JOIN population_snapshots s ON s.county = c.county AND s.id = c.snapshot_id WHERE c.county = ",
        );
        sql.bind_text(county.to_string())
            .push(" AND s.snapshot_date <= ")
            .bind_text(snapshot_date.to_string())
            .push(" AND c.person_id_number IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_text(id.clone());
        }
        sql.push(") GROUP BY c.person_id_number");
        out.extend(
            rows_as::<Latest>(&sql.fetch_all(db).await?)?
                .into_iter()
                .map(|r| (r.person_id_number, r.case_id)),
        );
    }
    Ok(out)
}
