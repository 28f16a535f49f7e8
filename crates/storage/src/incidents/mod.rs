//! 安全事故登记: incidents and their follow-up steps.

use crate::sql::{county_row_by, county_rows, county_rows_by, Flag, Label};
use crate::{Db, Result, Tx};
use emis_domain::incidents::{IncidentCategory, IncidentFacts, StepKind};

/// An incident as stored, with its school's name and township.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct IncidentRow {
    pub id: i64,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub township: Option<String>,
    pub happened_on: String,
    #[sqlx(try_from = "Label")]
    pub category: IncidentCategory,
    /// 在校期间 (true) or 校外.
    #[sqlx(try_from = "Flag")]
    pub in_school: bool,
    pub deaths: i64,
    pub injuries: i64,
    /// 经过.
    pub account: String,
    /// 结案日期; `None` while open.
    pub closed_on: Option<String>,
    pub recorded_by: String,
}

impl IncidentRow {
    /// The incident as the figures read it (`None` if its stored date does not read).
    pub fn facts(&self) -> Option<IncidentFacts> {
        Some(IncidentFacts {
            happened_on: self.happened_on.parse().ok()?,
            category: self.category,
            in_school: self.in_school,
            deaths: self.deaths,
            injuries: self.injuries,
        })
    }
}

const INCIDENT_SELECT: &str =
    "SELECT n.id, n.school_code, s.name AS school_name, s.township_code, \
     o.name AS township, n.happened_on, n.category, n.in_school, n.deaths, n.injuries, n.account, \
     n.closed_on, n.recorded_by FROM incidents n JOIN schools s ON s.county = n.county AND s.code = n.school_code \
     LEFT JOIN org_units o ON o.county = s.county AND o.code = s.township_code WHERE n.county = $1";

/// Every incident of the county, the latest first.
pub async fn incidents(db: &Db, county: &str) -> Result<Vec<IncidentRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{INCIDENT_SELECT} ORDER BY n.happened_on DESC, n.id DESC"
        )),
        county,
    )
    .await
}

pub async fn incident(db: &Db, county: &str, id: i64) -> Result<Option<IncidentRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{INCIDENT_SELECT} AND n.id = $2")),
        county,
        id,
    )
    .await
}

/// An incident as the form and the demo write it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewIncident {
    pub school_code: String,
    pub happened_on: String,
    pub category: IncidentCategory,
    pub in_school: bool,
    pub deaths: i64,
    pub injuries: i64,
    pub account: String,
}

/// Inserts one incident and returns its id.
pub async fn insert_incident(
    tx: &mut Tx,
    county: &str,
    row: &NewIncident,
    by: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO incidents (county, school_code, happened_on, category, in_school, deaths, \
         injuries, account, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(&row.school_code)
    .bind(&row.happened_on)
    .bind(row.category.label())
    .bind(i64::from(row.in_school))
    .bind(row.deaths)
    .bind(row.injuries)
    .bind(&row.account)
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// One follow-up step.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct IncidentStepRow {
    pub id: i64,
    #[sqlx(try_from = "Label")]
    pub kind: StepKind,
    pub happened_on: String,
    pub note: String,
    pub recorded_by: String,
}

/// The steps of an incident in the order they happened.
pub async fn steps_of(db: &Db, county: &str, incident: i64) -> Result<Vec<IncidentStepRow>> {
    county_rows_by(
        db,
        "SELECT id, kind, happened_on, note, recorded_by FROM incident_steps \
         WHERE county = $1 AND incident_id = $2 ORDER BY happened_on, id",
        county,
        incident,
    )
    .await
}

/// A step as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewStep {
    pub kind: StepKind,
    pub happened_on: String,
    pub note: String,
}

/// Records a step; a 结案 closes the incident on its date.
pub async fn add_step(
    tx: &mut Tx,
    county: &str,
    incident: i64,
    step: &NewStep,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO incident_steps (county, incident_id, kind, happened_on, note, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(county)
    .bind(incident)
    .bind(step.kind.label())
    .bind(&step.happened_on)
    .bind(&step.note)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    if step.kind == StepKind::Close {
        sqlx::query("UPDATE incidents SET closed_on = $1 WHERE county = $2 AND id = $3")
            .bind(&step.happened_on)
            .bind(county)
            .bind(incident)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
