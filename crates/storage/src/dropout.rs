//! 控辍保学 storage: population snapshots and their findings, cases (一人一案) with their
//! log and attachments, the 脱贫户 list, and 送教上门 plans and visits.

use crate::sql::Sql;
use crate::sql::{insert_many, json_array_functions, positional};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use sqlx::{AssertSqlSafe, Row};

/// One person of a snapshot with the comparison's finding.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct PersonRow {
    pub source_row: i64,
    pub id_number: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub township_code: String,
    pub village: Option<String>,
    pub guardian: Option<String>,
    pub phone: Option<String>,
    /// `None` when not of compulsory age.
    pub finding: Option<String>,
    pub school_code: Option<String>,
    pub candidate_id: Option<String>,
    pub candidate_reason: Option<String>,
    pub poverty: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct SnapshotRow {
    pub id: i64,
    pub snapshot_date: String,
    pub term: String,
    pub source: String,
    pub imported_at: String,
    pub school_age: i64,
    pub suspected: i64,
    pub probable: i64,
    pub not_in_school: i64,
    /// SHA-256 over the persons and findings: a re-import with the same digest changes nothing.
    pub digest: String,
}

fn snapshot_from(r: &sqlx::any::AnyRow) -> SnapshotRow {
    SnapshotRow {
        id: r.get(0),
        snapshot_date: r.get(1),
        term: r.get(2),
        source: r.get(3),
        imported_at: r.get(4),
        school_age: r.get(5),
        suspected: r.get(6),
        probable: r.get(7),
        not_in_school: r.get(8),
        digest: r.get(9),
    }
}

const SNAPSHOT_COLUMNS: &str =
    "id, snapshot_date, term, source, imported_at, school_age, suspected, probable, not_in_school, digest";

pub async fn snapshot_by_date(db: &Db, county: &str, date: &str) -> Result<Option<SnapshotRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 AND snapshot_date = $2"
    )))
    .bind(county)
    .bind(date)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(snapshot_from))
}

/// Snapshots, latest first.
pub async fn snapshots(db: &Db, county: &str) -> Result<Vec<SnapshotRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 ORDER BY snapshot_date DESC"
    )))
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(snapshot_from).collect())
}

/// The latest snapshot taken in a year.
pub async fn latest_snapshot_of_year(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Option<SnapshotRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 AND snapshot_date LIKE $2 \
         ORDER BY snapshot_date DESC LIMIT 1"
    )))
    .bind(county)
    .bind(format!("{year}-%"))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(snapshot_from))
}

/// Ledger counts of a snapshot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotCounts {
    pub school_age: i64,
    pub suspected: i64,
    pub probable: i64,
    pub not_in_school: i64,
}

/// Creates the snapshot, or replaces its persons and counts when it exists; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn write_snapshot(
    tx: &mut Tx,
    county: &str,
    date: &str,
    term: &str,
    source: &str,
    counts: SnapshotCounts,
    digest: &str,
    persons: &[PersonRow],
) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM population_snapshots WHERE county = $1 AND snapshot_date = $2",
    )
    .bind(county)
    .bind(date)
    .fetch_optional(&mut **tx)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query("DELETE FROM population_persons WHERE snapshot_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE population_snapshots SET term = $1, source = $2, imported_at = $3, school_age = $4, \
                 suspected = $5, probable = $6, not_in_school = $7, digest = $8 WHERE id = $9",
            )
            .bind(term)
            .bind(source)
            .bind(crate::now_text())
            .bind(counts.school_age)
            .bind(counts.suspected)
            .bind(counts.probable)
            .bind(counts.not_in_school)
            .bind(digest)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            sqlx::query(
                "INSERT INTO population_snapshots (county, snapshot_date, term, source, imported_at, school_age, \
                 suspected, probable, not_in_school, digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(county)
            .bind(date)
            .bind(term)
            .bind(source)
            .bind(crate::now_text())
            .bind(counts.school_age)
            .bind(counts.suspected)
            .bind(counts.probable)
            .bind(counts.not_in_school)
            .bind(digest)
            .execute(&mut **tx)
            .await?;
            sqlx::query_scalar(
                "SELECT id FROM population_snapshots WHERE county = $1 AND snapshot_date = $2",
            )
            .bind(county)
            .bind(date)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    insert_persons(tx, id, county, persons).await?;
    Ok(id)
}

/// Persons go in as JSON arrays that the database unpacks (`jsonb_each` /
/// `jsonb_array_elements`): one bound value per chunk instead of sixteen per row through
/// the `Any` driver.
async fn insert_persons(
    tx: &mut Tx,
    snapshot_id: i64,
    county: &str,
    persons: &[PersonRow],
) -> Result<()> {
    const CHUNK: usize = 20_000;
    // Each row comes out as binary JSON (JSONB), so that its fourteen `->>` read a parsed
    // array instead of parsing the row's text fourteen times.
    let elements = if positional(tx) {
        "jsonb_each($3) AS j"
    } else {
        "jsonb_array_elements(CAST($3 AS JSONB)) AS j"
    };
    let sql = format!(
        "INSERT INTO population_persons (snapshot_id, county, source_row, id_number, name, sex, birth_date, \
         township_code, village, guardian, phone, finding, school_code, candidate_id, candidate_reason, poverty) \
         SELECT $1, $2, CAST(j.value ->> 0 AS BIGINT), j.value ->> 1, j.value ->> 2, j.value ->> 3, \
         j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9, \
         j.value ->> 10, j.value ->> 11, j.value ->> 12, CAST(j.value ->> 13 AS BIGINT) FROM {elements}"
    );
    for chunk in persons.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|p| {
                (
                    p.source_row,
                    &p.id_number,
                    &p.name,
                    &p.sex,
                    &p.birth_date,
                    &p.township_code,
                    &p.village,
                    &p.guardian,
                    &p.phone,
                    &p.finding,
                    &p.school_code,
                    &p.candidate_id,
                    &p.candidate_reason,
                    i64::from(p.poverty),
                )
            })
            .collect();
        let json = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(snapshot_id)
            .bind(county)
            .bind(json)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn person_from(r: &sqlx::any::AnyRow) -> PersonRow {
    PersonRow {
        source_row: r.get(0),
        id_number: r.get(1),
        name: r.get(2),
        sex: r.get(3),
        birth_date: r.get(4),
        township_code: r.get(5),
        village: r.get(6),
        guardian: r.get(7),
        phone: r.get(8),
        finding: r.get(9),
        school_code: r.get(10),
        candidate_id: r.get(11),
        candidate_reason: r.get(12),
        poverty: r.get::<i64, _>(13) != 0,
    }
}

const PERSON_COLUMNS: &str =
    "p.source_row, p.id_number, p.name, p.sex, p.birth_date, p.township_code, p.village, \
     p.guardian, p.phone, p.finding, p.school_code, p.candidate_id, p.candidate_reason, p.poverty";

/// Every person of a snapshot, in file order.
pub async fn persons(db: &Db, snapshot_id: i64) -> Result<Vec<PersonRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = $1 ORDER BY p.source_row"
    )))
    .bind(snapshot_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(person_from).collect())
}

/// Which ledger a query lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ledger {
    /// 适龄儿童: every compulsory-age person.
    SchoolAge,
    /// 疑似辍学: compulsory-age persons whose ID number is not on the roll.
    Suspected,
    /// 辍学 (在籍不在校): on the roll as 转出 or 毕业.
    NotInSchool,
}

impl Ledger {
    pub fn parse(raw: &str) -> Option<Ledger> {
        match raw {
            "school-age" | "适龄儿童" => Some(Ledger::SchoolAge),
            "suspected" | "疑似辍学" => Some(Ledger::Suspected),
            "dropout" | "not-in-school" | "辍学" => Some(Ledger::NotInSchool),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Ledger::SchoolAge => "school-age",
            Ledger::Suspected => "suspected",
            Ledger::NotInSchool => "dropout",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Ledger::SchoolAge => "适龄儿童",
            Ledger::Suspected => "疑似辍学",
            Ledger::NotInSchool => "辍学（在籍不在校）",
        }
    }
}

pub const FINDING_SUSPECTED: &str = "疑似辍学";
pub const FINDING_PROBABLE: &str = "疑似匹配待确认";
pub const FINDING_NOT_IN_SCHOOL: &str = "在籍不在校";

/// What a ledger lists: which ledger of which snapshot (the latest when none), and the
/// filters of the page. The page, its export and the API all read a ledger through this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerQuery {
    pub ledger: Ledger,
    /// Snapshot date; the latest snapshot when `None`.
    pub snapshot: Option<String>,
    /// 户籍乡镇 code.
    pub township: Option<String>,
    /// 学校标识码: the school the child is on the roll of, or matched to.
    pub school: Option<String>,
    /// A name (or its beginning) or a full ID number.
    pub q: Option<String>,
}

impl LedgerQuery {
    /// The whole ledger of the latest snapshot.
    pub fn of(ledger: Ledger) -> LedgerQuery {
        LedgerQuery {
            ledger,
            snapshot: None,
            township: None,
            school: None,
            q: None,
        }
    }

    /// From request parameters: blanks are no filter, an unknown ledger is 疑似辍学.
    pub fn from_params(
        ledger: Option<&str>,
        snapshot: Option<&str>,
        township: Option<&str>,
        school: Option<&str>,
        q: Option<&str>,
    ) -> LedgerQuery {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        LedgerQuery {
            ledger: ledger.and_then(Ledger::parse).unwrap_or(Ledger::Suspected),
            snapshot: given(snapshot),
            township: given(township),
            school: given(school),
            q: given(q),
        }
    }
}

/// A ledger's rows, limited to the scope (a township sees its own 户籍乡镇; a school the
/// children whose case is assigned to it, or who are on its roll).
pub async fn ledger(
    db: &Db,
    scope: &Scope,
    snapshot_id: i64,
    query: &LedgerQuery,
    limit: i64,
) -> Result<Vec<PersonRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = "
    ));
    sql.bind_int(snapshot_id);
    match query.ledger {
        Ledger::SchoolAge => {
            sql.push(" AND p.finding IS NOT NULL");
        }
        Ledger::Suspected => {
            sql.push(" AND p.finding IN ('疑似辍学', '疑似匹配待确认')");
        }
        Ledger::NotInSchool => {
            sql.push(" AND p.finding = '在籍不在校'");
        }
    }
    if let Some(t) = &query.township {
        sql.push(" AND p.township_code = ").bind_text(t.clone());
    }
    if let Some(school) = &query.school {
        sql.push(" AND p.school_code = ").bind_text(school.clone());
    }
    if let Some(q) = &query.q {
        let prefix: String = q.chars().filter(|c| !matches!(c, '%' | '_')).collect();
        sql.push(" AND (p.id_number = ")
            .bind_text(q.to_ascii_uppercase())
            .push(" OR p.name LIKE ")
            .bind_text(format!("{prefix}%"))
            .push(")");
    }
    person_scope(&mut sql, scope);
    sql.push(" ORDER BY p.township_code, p.source_row LIMIT ")
        .bind_int(limit);
    Ok(sql.fetch_all(db).await?.iter().map(person_from).collect())
}

fn person_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND p.township_code = ")
                .bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND (p.school_code = ")
                .bind_text(school.clone())
                .push(" OR p.id_number IN (SELECT person_id_number FROM dropout_cases WHERE school_code = ")
                .bind_text(school.clone())
                .push("))");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cases

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub person_id_number: String,
    pub name: String,
    pub snapshot_id: i64,
    pub township_code: String,
    pub opened_on: String,
    pub status: String,
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

fn case_from(r: &sqlx::any::AnyRow) -> CaseRow {
    CaseRow {
        id: r.get(0),
        person_id_number: r.get(1),
        name: r.get(2),
        snapshot_id: r.get(3),
        township_code: r.get(4),
        opened_on: r.get(5),
        status: r.get(6),
        township_cadre: r.get(7),
        village_cadre: r.get(8),
        school_code: r.get(9),
        school_contact: r.get(10),
        teacher: r.get(11),
        deadline: r.get(12),
        outcome: r.get(13),
        closed_on: r.get(14),
        evidence: r.get(15),
    }
}

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
                .bind(&case.status)
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
    .bind(&case.status)
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
    Ok(sql.fetch_all(db).await?.first().map(case_from))
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
    Ok(sql.fetch_all(db).await?.iter().map(case_from).collect())
}

/// Every case of the county (for the indicators and the dashboard).
pub async fn all_cases(db: &Db, county: &str) -> Result<Vec<CaseRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CASE_COLUMNS} FROM dropout_cases c WHERE c.county = $1 ORDER BY c.id"
    )))
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(case_from).collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct EventRow {
    pub id: i64,
    pub case_id: i64,
    pub event_date: String,
    pub kind: String,
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
    .bind(&event.kind)
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
                .bind(&e.kind)
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
    let rows = sqlx::query(
        "SELECT id, case_id, event_date, kind, note, detail, actor, recorded_at FROM dropout_case_events \
         WHERE case_id = $1 ORDER BY event_date, id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| EventRow {
            id: r.get(0),
            case_id: r.get(1),
            event_date: r.get(2),
            kind: r.get(3),
            note: r.get(4),
            detail: r.get(5),
            actor: r.get(6),
            recorded_at: r.get(7),
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub mime: String,
    pub stored_path: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

pub async fn insert_attachment(tx: &mut Tx, county: &str, a: &AttachmentRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO dropout_attachments (county, case_id, file_name, size_bytes, mime, stored_path, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(county)
    .bind(a.case_id)
    .bind(&a.file_name)
    .bind(a.size_bytes)
    .bind(&a.mime)
    .bind(&a.stored_path)
    .bind(&a.uploaded_by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn attachments(db: &Db, case_id: i64) -> Result<Vec<AttachmentRow>> {
    let rows = sqlx::query(
        "SELECT id, case_id, file_name, size_bytes, mime, stored_path, uploaded_by, uploaded_at \
         FROM dropout_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| AttachmentRow {
            id: r.get(0),
            case_id: r.get(1),
            file_name: r.get(2),
            size_bytes: r.get(3),
            mime: r.get(4),
            stored_path: r.get(5),
            uploaded_by: r.get(6),
            uploaded_at: r.get(7),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// The 脱贫户 list

pub async fn poverty_ids(db: &Db, county: &str) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT id_number FROM poverty_households WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

/// Adds persons to the 脱贫户 list: `(id_number, name, household_head)`.
pub async fn write_poverty(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, String, Option<String>)],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "poverty_households",
        &["county", "id_number", "name", "household_head", "imported_at"],
        "ON CONFLICT (county, id_number) DO UPDATE SET name = excluded.name, household_head = excluded.household_head",
        rows,
        |q, (id, name, head)| {
        q
            .bind(county)
            .bind(id)
            .bind(name)
            .bind(head.clone())
            .bind(&now)
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The roll as matching reads it

/// One roll row for matching: ID number, name, sex, birth date, school, status labels.
#[derive(Clone, Debug)]
pub struct RollRow {
    pub id_number: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub school_code: String,
    pub status: String,
}

/// The county's roll of a term. The database hands the rows over as one JSON array:
/// through the `Any` driver each row and value costs allocations and a hand-off between
/// threads, which for a county's 150,000 students took longer than the matching itself.
pub async fn roll_for_matching(db: &Db, county: &str, term: &str) -> Result<Vec<RollRow>> {
    let (aggregate, row) = json_array_functions(db.backend());
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST({aggregate}({row}(s.id_number, s.name, s.sex, s.birth_date, e.school_code, e.status)) AS TEXT) \
         FROM enrollments e JOIN students s ON s.id = e.student_id WHERE e.county = $1 AND e.term = $2"
    )))
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?;
    let rows: Vec<(String, String, String, String, String, String)> =
        serde_json::from_str(text.as_deref().unwrap_or("[]"))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(rows
        .into_iter()
        .map(
            |(id_number, name, sex, birth_date, school_code, status)| RollRow {
                id_number,
                name,
                sex,
                birth_date,
                school_code,
                status,
            },
        )
        .collect())
}

// ---------------------------------------------------------------------------------------
// 送教上门

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub student_id_number: String,
    pub name: String,
    pub school_code: String,
    pub term: String,
    pub teachers: String,
    pub plan: String,
    pub visits: i64,
    pub minutes: i64,
}

pub async fn insert_plans(tx: &mut Tx, county: &str, plans: &[PlanRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "home_teaching_plans",
        &["county", "student_id_number", "name", "school_code", "term", "teachers", "plan", "created_at"],
        "ON CONFLICT (county, student_id_number, term) DO UPDATE SET school_code = excluded.school_code,  teachers = excluded.teachers, plan = excluded.plan",
        plans,
        |q, p| {
        q
            .bind(county)
            .bind(&p.student_id_number)
            .bind(&p.name)
            .bind(&p.school_code)
            .bind(&p.term)
            .bind(&p.teachers)
            .bind(&p.plan)
            .bind(&now)
        },
    )
    .await?;
    Ok(())
}

/// Plan ids by (student ID number, term).
pub async fn plan_ids(
    tx: &mut Tx,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), i64>> {
    let rows = sqlx::query(
        "SELECT id, student_id_number, term FROM home_teaching_plans WHERE county = $1",
    )
    .bind(county)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(1), r.get(2)), r.get(0)))
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct HomeVisitRow {
    pub id: i64,
    pub plan_id: i64,
    pub visit_date: String,
    pub minutes: i64,
    pub teacher: String,
    pub content: String,
}

pub async fn insert_home_visits(tx: &mut Tx, county: &str, visits: &[HomeVisitRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "home_teaching_visits",
        &[
            "county",
            "plan_id",
            "visit_date",
            "minutes",
            "teacher",
            "content",
            "recorded_at",
        ],
        "",
        visits,
        |q, v| {
            q.bind(county)
                .bind(v.plan_id)
                .bind(&v.visit_date)
                .bind(v.minutes)
                .bind(&v.teacher)
                .bind(&v.content)
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

fn plan_scope(sql: &mut Sql, scope: &Scope) {
    crate::lists::scope_filter(sql, scope, "p.school_code");
}

/// Plans of a term in the scope, with their visit counts and hours.
pub async fn plans(db: &Db, scope: &Scope, term: &str, limit: i64) -> Result<Vec<PlanRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan, \
         CAST(COUNT(v.id) AS BIGINT), CAST(COALESCE(SUM(v.minutes), 0) AS BIGINT) \
         FROM home_teaching_plans p LEFT JOIN home_teaching_visits v ON v.plan_id = p.id WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.term = ")
        .bind_text(term);
    plan_scope(&mut sql, scope);
    sql.push(" GROUP BY p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan ORDER BY p.school_code, p.id LIMIT ")
        .bind_int(limit);
    Ok(sql.fetch_all(db).await?.iter().map(plan_from).collect())
}

fn plan_from(r: &sqlx::any::AnyRow) -> PlanRow {
    PlanRow {
        id: r.get(0),
        student_id_number: r.get(1),
        name: r.get(2),
        school_code: r.get(3),
        term: r.get(4),
        teachers: r.get(5),
        plan: r.get(6),
        visits: r.get(7),
        minutes: r.get(8),
    }
}

pub async fn plan_in_scope(db: &Db, scope: &Scope, id: i64) -> Result<Option<PlanRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan, \
         CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM home_teaching_plans p WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.id = ")
        .bind_int(id);
    plan_scope(&mut sql, scope);
    Ok(sql.fetch_all(db).await?.first().map(plan_from))
}

pub async fn home_visits(db: &Db, plan_id: i64) -> Result<Vec<HomeVisitRow>> {
    let rows = sqlx::query(
        "SELECT id, plan_id, visit_date, minutes, teacher, content FROM home_teaching_visits WHERE plan_id = $1 ORDER BY visit_date, id",
    )
    .bind(plan_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| HomeVisitRow {
            id: r.get(0),
            plan_id: r.get(1),
            visit_date: r.get(2),
            minutes: r.get(3),
            teacher: r.get(4),
            content: r.get(5),
        })
        .collect())
}

/// Distinct 送教上门 children of a term: those with a plan, and those on the roll as 送教上门.
pub async fn home_taught_count(db: &Db, county: &str, term: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (\
         SELECT student_id_number AS id_number FROM home_teaching_plans WHERE county = $1 AND term = $2 \
         UNION SELECT s.id_number FROM enrollments e JOIN students s ON s.id = e.student_id \
         WHERE e.county = $3 AND e.term = $4 AND e.status = '送教上门') t",
    )
    .bind(county)
    .bind(term)
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?)
}

/// A student's roll entry in a term: (school code, name, status).
pub async fn student_in_term(
    db: &Db,
    county: &str,
    id_number: &str,
    term: &str,
) -> Result<Option<(String, String, String)>> {
    let row = sqlx::query(
        "SELECT e.school_code, s.name, e.status FROM enrollments e JOIN students s ON s.id = e.student_id \
         WHERE s.county = $1 AND s.id_number = $2 AND e.term = $3",
    )
    .bind(county)
    .bind(id_number)
    .bind(term)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
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
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(
            "SELECT c.person_id_number, MAX(c.id) FROM dropout_cases c \
             JOIN population_snapshots s ON s.id = c.snapshot_id WHERE c.county = ",
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
            sql.fetch_all(db)
                .await?
                .iter()
                .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1))),
        );
    }
    Ok(out)
}

/// The 脱贫户 list as stored: id number → (name, household head).
pub async fn poverty_rows(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<String, (String, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT id_number, name, household_head FROM poverty_households WHERE county = $1",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect())
}

/// The persons of a snapshot with these ID numbers (one pass over the snapshot per 500).
pub async fn persons_by_ids(db: &Db, snapshot_id: i64, ids: &[String]) -> Result<Vec<PersonRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(&format!(
            "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = "
        ));
        sql.bind_int(snapshot_id).push(" AND p.id_number IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_text(id.clone());
        }
        sql.push(")");
        out.extend(sql.fetch_all(db).await?.iter().map(person_from));
    }
    Ok(out)
}

/// One person of a snapshot by ID number.
pub async fn person(db: &Db, snapshot_id: i64, id_number: &str) -> Result<Option<PersonRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = $1 AND p.id_number = $2"
    )))
    .bind(snapshot_id)
    .bind(id_number)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(person_from))
}

// ---------------------------------------------------------------------------------------
// Decisions on probable matches

/// An officer's decision on a probable match: the child `person_id_number` is (or is not)
/// the roll student `candidate_id`.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct MatchDecisionRow {
    pub person_id_number: String,
    pub candidate_id: String,
    /// `confirmed` or `rejected`
    pub decision: String,
    pub case_id: Option<i64>,
    pub decided_by: String,
    pub decided_at: String,
}

/// Every decision of the county by (child ID number, student ID number): what the next
/// comparison applies.
pub async fn match_decisions(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), String>> {
    let rows = sqlx::query(
        "SELECT person_id_number, candidate_id, decision FROM dropout_match_decisions WHERE county = $1",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect())
}

/// The decisions taken about one child, oldest first.
pub async fn match_decisions_of(
    db: &Db,
    county: &str,
    person_id_number: &str,
) -> Result<Vec<MatchDecisionRow>> {
    let rows = sqlx::query(
        "SELECT person_id_number, candidate_id, decision, case_id, decided_by, decided_at \
         FROM dropout_match_decisions WHERE county = $1 AND person_id_number = $2 ORDER BY decided_at",
    )
    .bind(county)
    .bind(person_id_number)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| MatchDecisionRow {
            person_id_number: r.get(0),
            candidate_id: r.get(1),
            decision: r.get(2),
            case_id: r.get(3),
            decided_by: r.get(4),
            decided_at: r.get(5),
        })
        .collect())
}

/// Records (or replaces) a decision.
pub async fn record_match_decision(tx: &mut Tx, county: &str, d: &MatchDecisionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO dropout_match_decisions (county, person_id_number, candidate_id, decision, case_id, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (county, person_id_number, candidate_id) DO UPDATE SET \
         decision = excluded.decision, case_id = excluded.case_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(county)
    .bind(&d.person_id_number)
    .bind(&d.candidate_id)
    .bind(&d.decision)
    .bind(d.case_id)
    .bind(&d.decided_by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a decision makes of the child's pending probable-match rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidedFinding {
    /// The new finding: the student's placement when confirmed, 疑似辍学 when rejected.
    pub finding: String,
    /// The student's school when confirmed; none when rejected.
    pub school_code: Option<String>,
    /// Whether the child leaves the 疑似辍学 count (confirmed).
    pub leaves_suspected: bool,
    /// Whether the child joins the 在籍不在校 count (confirmed on a 转出/毕业 student).
    pub joins_not_in_school: bool,
}

/// Writes a decision onto every snapshot row where the child still awaits it (finding
/// 疑似匹配待确认 with this candidate), with the snapshots' counts; returns the rows changed.
pub async fn decide_pending_rows(
    tx: &mut Tx,
    county: &str,
    person_id_number: &str,
    candidate_id: &str,
    decided: &DecidedFinding,
) -> Result<u64> {
    let pending =
        "SELECT snapshot_id FROM population_persons WHERE county = $1 AND id_number = $2 \
                   AND candidate_id = $3 AND finding = '疑似匹配待确认'";
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE population_snapshots SET probable = probable - 1, suspected = suspected - $4, \
         not_in_school = not_in_school + $5 WHERE id IN ({pending})"
    )))
    .bind(county)
    .bind(person_id_number)
    .bind(candidate_id)
    .bind(i64::from(decided.leaves_suspected))
    .bind(i64::from(decided.joins_not_in_school))
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE population_persons SET finding = $4, school_code = $5, \
         candidate_id = NULL, candidate_reason = NULL WHERE county = $1 AND id_number = $2 \
         AND candidate_id = $3 AND finding = '疑似匹配待确认'",
    )
    .bind(county)
    .bind(person_id_number)
    .bind(candidate_id)
    .bind(&decided.finding)
    .bind(decided.school_code.clone())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// A student's place on the roll of a term: school, class and status.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct RollPlace {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    pub grade: String,
    pub class_number: i64,
    pub status: String,
}

/// Where a student stands on the roll of a term, or `None` when not on it.
pub async fn roll_place(
    db: &Db,
    county: &str,
    id_number: &str,
    term: &str,
) -> Result<Option<RollPlace>> {
    let row = sqlx::query(
        "SELECT s.id_number, s.name, e.school_code, sc.name, e.grade, c.number, e.status \
         FROM enrollments e JOIN students s ON s.id = e.student_id \
         JOIN schools sc ON sc.code = e.school_code JOIN classes c ON c.id = e.class_id \
         WHERE s.county = $1 AND s.id_number = $2 AND e.term = $3",
    )
    .bind(county)
    .bind(id_number)
    .bind(term)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| RollPlace {
        id_number: r.get(0),
        name: r.get(1),
        school_code: r.get(2),
        school_name: r.get(3),
        grade: r.get(4),
        class_number: r.get(5),
        status: r.get(6),
    }))
}
