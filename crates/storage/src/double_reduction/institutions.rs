//! 校外培训机构 and their status changes.

use crate::sql::{county_rows, county_rows_by, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::double_reduction::{InstitutionCategory, InstitutionStatus};

/// An institution as stored, with its township's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct InstitutionRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    #[sqlx(try_from = "Label")]
    pub category: InstitutionCategory,
    pub township_code: String,
    pub township: Option<String>,
    /// 办学许可证号; `None`: 无证.
    pub licence: Option<String>,
    pub owner: Option<String>,
    pub address: Option<String>,
    #[sqlx(try_from = "Label")]
    pub status: InstitutionStatus,
    pub status_on: Option<String>,
}

const INSTITUTION_SELECT: &str =
    "SELECT i.id, i.name, i.credit_code, i.category, i.township_code, o.name AS township, \
     i.licence, i.owner, i.address, i.status, i.status_on FROM institutions i \
     LEFT JOIN org_units o ON o.county = i.county AND o.code = i.township_code WHERE i.county = $1";

pub async fn institutions(db: &Db, county: &str) -> Result<Vec<InstitutionRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{INSTITUTION_SELECT} ORDER BY i.township_code, i.name"
        )),
        county,
    )
    .await
}

pub async fn institution(db: &Db, county: &str, id: i64) -> Result<Option<InstitutionRow>> {
    crate::sql::county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{INSTITUTION_SELECT} AND i.id = $2")),
        county,
        id,
    )
    .await
}

/// An institution as the import writes it (status by the events below).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewInstitution {
    pub name: String,
    pub credit_code: String,
    pub category: InstitutionCategory,
    pub township_code: String,
    pub licence: Option<String>,
    pub owner: Option<String>,
    pub address: Option<String>,
}

/// Writes institutions by credit code (a stored one takes the new details) and returns
/// every institution's id by credit code.
pub async fn write_institutions(
    tx: &mut Tx,
    county: &str,
    rows: &[NewInstitution],
) -> Result<std::collections::HashMap<String, i64>> {
    insert_many(
        tx,
        "institutions",
        &[
            "county",
            "name",
            "credit_code",
            "category",
            "township_code",
            "licence",
            "owner",
            "address",
            "status",
        ],
        "ON CONFLICT (county, credit_code) DO UPDATE SET name = excluded.name, category = excluded.category, \
         township_code = excluded.township_code, licence = excluded.licence, owner = excluded.owner, address = excluded.address",
        rows,
        |q, r| {
            q.bind(county)
                .bind(&r.name)
                .bind(&r.credit_code)
                .bind(r.category.label())
                .bind(&r.township_code)
                .bind(&r.licence)
                .bind(&r.owner)
                .bind(&r.address)
                .bind(InstitutionStatus::Normal.label())
        },
    )
    .await?;
    let ids: Vec<(String, i64)> =
        sqlx::query_as("SELECT credit_code, id FROM institutions WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    Ok(ids.into_iter().collect())
}

/// A status change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewEvent {
    pub institution_id: i64,
    pub status: InstitutionStatus,
    pub happened_on: String,
    pub document: Option<String>,
    pub note: Option<String>,
}

/// Records status changes and moves each institution to its latest status; a change
/// already recorded (same status and day) is not recorded twice.
pub async fn record_events(tx: &mut Tx, county: &str, events: &[NewEvent], by: &str) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "institution_events",
        &[
            "county",
            "institution_id",
            "status",
            "happened_on",
            "document",
            "note",
            "recorded_by",
            "recorded_at",
        ],
        "ON CONFLICT (county, institution_id, status, happened_on) DO NOTHING",
        events,
        |q, e| {
            q.bind(county)
                .bind(e.institution_id)
                .bind(e.status.label())
                .bind(&e.happened_on)
                .bind(&e.document)
                .bind(&e.note)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await?;
    for e in events {
        // The latest event by date is the institution's status.
        sqlx::query(
            "UPDATE institutions SET status = $1, status_on = $2 WHERE county = $3 AND id = $4 \
             AND (status_on IS NULL OR status_on <= $5)",
        )
        .bind(e.status.label())
        .bind(&e.happened_on)
        .bind(county)
        .bind(e.institution_id)
        .bind(&e.happened_on)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// An institution's status change as shown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct InstitutionEventRow {
    #[sqlx(try_from = "Label")]
    pub status: InstitutionStatus,
    pub happened_on: String,
    pub document: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
}

pub async fn events_of(
    db: &Db,
    county: &str,
    institution: i64,
) -> Result<Vec<InstitutionEventRow>> {
    county_rows_by(
        db,
        "SELECT status, happened_on, document, note, recorded_by FROM institution_events \
         WHERE county = $1 AND institution_id = $2 ORDER BY happened_on, id",
        county,
        institution,
    )
    .await
}

/// The status changes of a year with what the indicators read: (status, category,
/// licensed) per change.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct YearEvent {
    #[sqlx(try_from = "Label")]
    pub status: InstitutionStatus,
    #[sqlx(try_from = "Label")]
    pub category: InstitutionCategory,
    pub licence: Option<String>,
    pub institution_id: i64,
}

pub async fn events_of_year(db: &Db, county: &str, year: i32) -> Result<Vec<YearEvent>> {
    Ok(sqlx::query_as(
        "SELECT e.status, i.category, i.licence, e.institution_id FROM institution_events e \
         JOIN institutions i ON i.county = e.county AND i.id = e.institution_id \
         WHERE e.county = $1 AND e.happened_on >= $2 AND e.happened_on <= $3",
    )
    .bind(county)
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_all(db.pool())
    .await?)
}

/// A case against an institution (a complaint or an inspection's finding).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct InstitutionCaseRow {
    pub id: i64,
    pub opened_on: String,
    #[sqlx(try_from = "Label")]
    pub source: emis_domain::double_reduction::CaseSource,
    pub summary: String,
    #[sqlx(try_from = "Label")]
    pub status: emis_domain::double_reduction::InstitutionCaseStatus,
    pub outcome: Option<String>,
    pub closed_on: Option<String>,
    pub created_by: String,
}

pub async fn cases_of(db: &Db, county: &str, institution: i64) -> Result<Vec<InstitutionCaseRow>> {
    county_rows_by(
        db,
        "SELECT id, opened_on, source, summary, status, outcome, closed_on, created_by FROM institution_cases \
         WHERE county = $1 AND institution_id = $2 ORDER BY opened_on DESC, id DESC",
        county,
        institution,
    )
    .await
}

pub async fn open_institution_case(
    tx: &mut Tx,
    county: &str,
    institution: i64,
    opened_on: &str,
    source: emis_domain::double_reduction::CaseSource,
    summary: &str,
    by: &str,
) -> Result<i64> {
    let now = crate::now_text();
    Ok(sqlx::query_scalar(
        "INSERT INTO institution_cases (county, institution_id, opened_on, source, summary, status, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(institution)
    .bind(opened_on)
    .bind(source.label())
    .bind(summary)
    .bind(emis_domain::double_reduction::InstitutionCaseStatus::Open.label())
    .bind(by)
    .bind(now.clone())
    .bind(by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Closes an open case of an institution with its outcome; whether one was closed.
pub async fn close_institution_case(
    tx: &mut Tx,
    county: &str,
    institution: i64,
    case: i64,
    outcome: &str,
    closed_on: &str,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE institution_cases SET status = $1, outcome = $2, closed_on = $3, updated_by = $4, updated_at = $5 \
         WHERE county = $6 AND institution_id = $7 AND id = $8 AND status = $9",
    )
    .bind(emis_domain::double_reduction::InstitutionCaseStatus::Closed.label())
    .bind(outcome)
    .bind(closed_on)
    .bind(by)
    .bind(crate::now_text())
    .bind(county)
    .bind(institution)
    .bind(case)
    .bind(emis_domain::double_reduction::InstitutionCaseStatus::Open.label())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
