//! 师德师风: campaigns (专项整治) and cases.

use crate::sql::{county_rows, Label};
use crate::{Db, Result, Tx};
use emis_domain::teachers::conduct::{ConductStatus, Sanction};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub started_on: String,
    pub summary: String,
    pub cases: i64,
}

pub async fn campaigns(db: &Db, county: &str) -> Result<Vec<CampaignRow>> {
    county_rows(
        db,
        "SELECT c.id, c.name, c.started_on, c.summary, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM conduct_cases k WHERE k.campaign_id = c.id) AS cases \
         FROM conduct_campaigns c WHERE c.county = $1 ORDER BY c.started_on DESC, c.id DESC",
        county,
    )
    .await
}

pub async fn add_campaign(
    tx: &mut Tx,
    county: &str,
    name: &str,
    started_on: &str,
    summary: &str,
    by: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO conduct_campaigns (county, name, started_on, summary, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(county)
    .bind(name)
    .bind(started_on)
    .bind(summary)
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// A conduct case as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ConductCaseRow {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    pub campaign_id: Option<i64>,
    pub campaign: Option<String>,
    pub reported_on: String,
    pub source: String,
    pub summary: String,
    #[sqlx(try_from = "Label")]
    pub status: ConductStatus,
    pub findings: Option<String>,
    pub sanction: Option<String>,
    pub decided_on: Option<String>,
    pub updated_by: String,
}

const CASE_SELECT: &str = "SELECT k.id, k.id_number, k.name, k.school_code, COALESCE(sc.name, k.school_code) AS school_name, \
     k.campaign_id, c.name AS campaign, k.reported_on, k.source, k.summary, k.status, k.findings, k.sanction, k.decided_on, k.updated_by \
     FROM conduct_cases k LEFT JOIN schools sc ON sc.county = k.county AND sc.code = k.school_code LEFT JOIN conduct_campaigns c ON c.county = k.county AND c.id = k.campaign_id \
     WHERE k.county = $1";

pub async fn cases(db: &Db, county: &str) -> Result<Vec<ConductCaseRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{CASE_SELECT} ORDER BY k.status, k.reported_on DESC, k.id DESC"
        )),
        county,
    )
    .await
}

pub async fn case(db: &Db, county: &str, id: i64) -> Result<Option<ConductCaseRow>> {
    crate::sql::county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{CASE_SELECT} AND k.id = $2")),
        county,
        id,
    )
    .await
}

pub async fn cases_of_teacher(
    db: &Db,
    county: &str,
    id_number: &str,
) -> Result<Vec<ConductCaseRow>> {
    crate::sql::county_rows_by(
        db,
        sqlx::AssertSqlSafe(format!(
            "{CASE_SELECT} AND k.id_number = $2 ORDER BY k.reported_on DESC"
        )),
        county,
        id_number,
    )
    .await
}

/// A case to open.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewCase {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub campaign_id: Option<i64>,
    pub reported_on: String,
    pub source: String,
    pub summary: String,
}

pub async fn open_case(tx: &mut Tx, county: &str, case: &NewCase, by: &str) -> Result<i64> {
    let now = crate::now_text();
    Ok(sqlx::query_scalar(
        "INSERT INTO conduct_cases (county, id_number, name, school_code, campaign_id, reported_on, source, summary, status, \
         created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(county)
    .bind(&case.id_number)
    .bind(&case.name)
    .bind(&case.school_code)
    .bind(case.campaign_id)
    .bind(&case.reported_on)
    .bind(&case.source)
    .bind(&case.summary)
    .bind(ConductStatus::Reported.label())
    .bind(by)
    .bind(now.clone())
    .bind(by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// One step of a case: the status it moves to, with what the step records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseStep<'a> {
    pub status: ConductStatus,
    /// Kept as stored when `None`.
    pub findings: Option<&'a str>,
    pub sanction: Option<Sanction>,
    pub decided_on: Option<&'a str>,
}

/// Moves a case on: to investigation, or to its decision with findings and sanction.
pub async fn advance_case(
    tx: &mut Tx,
    county: &str,
    id: i64,
    step: &CaseStep<'_>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE conduct_cases SET status = $1, findings = COALESCE($2, findings), sanction = $3, decided_on = $4, \
         updated_by = $5, updated_at = $6 WHERE county = $7 AND id = $8",
    )
    .bind(step.status.label())
    .bind(step.findings)
    .bind(step.sanction.map(|s| s.label()))
    .bind(step.decided_on)
    .bind(by)
    .bind(crate::now_text())
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A teacher's decided sanctions: (sanction, decided on).
pub async fn sanctions_of(
    db: &Db,
    county: &str,
    id_number: &str,
) -> Result<Vec<(Sanction, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT sanction, decided_on FROM conduct_cases WHERE county = $1 AND id_number = $2 \
         AND sanction IS NOT NULL AND decided_on IS NOT NULL",
    )
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, d)| Some((Sanction::parse(&s)?, d)))
        .collect())
}
