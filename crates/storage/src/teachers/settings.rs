//! The county's teacher settings, recruitment plans and award funds.

use crate::sql::{county_rows, Label};
use crate::{Db, Result, StorageError, Tx};
use emis_domain::registry::RecruitChannel;
use emis_domain::teachers::hours::HoursRequirement;
use emis_domain::teachers::staffing::StaffingStandard;
use sqlx::AssertSqlSafe;

/// The staffing standard and hours requirement; the defaults until the county sets its own.
pub async fn teacher_settings(
    db: &Db,
    county: &str,
) -> Result<(StaffingStandard, HoursRequirement)> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT staffing_json, hours_json FROM teacher_settings WHERE county = $1")
            .bind(county)
            .fetch_optional(db.pool())
            .await?;
    let Some((staffing, hours)) = row else {
        return Ok(Default::default());
    };
    let unreadable = |e: serde_json::Error| StorageError::Document {
        what: "teacher settings",
        detail: e.to_string(),
    };
    Ok((
        serde_json::from_str(&staffing).map_err(unreadable)?,
        serde_json::from_str(&hours).map_err(unreadable)?,
    ))
}

pub async fn save_teacher_settings(
    tx: &mut Tx,
    county: &str,
    staffing: &StaffingStandard,
    hours: &HoursRequirement,
    by: &str,
) -> Result<()> {
    let text = |json: serde_json::Result<String>| {
        json.map_err(|e| StorageError::Document {
            what: "teacher settings",
            detail: e.to_string(),
        })
    };
    sqlx::query(
        "INSERT INTO teacher_settings (county, staffing_json, hours_json, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (county) DO UPDATE SET staffing_json = excluded.staffing_json, hours_json = excluded.hours_json, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(county)
    .bind(text(serde_json::to_string(staffing))?)
    .bind(text(serde_json::to_string(hours))?)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One line of a year's recruitment plan: posts planned for a channel, a 学段 (a school
/// type) and a subject; a blank 学段 or subject means any.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct RecruitmentPlanRow {
    pub year: i64,
    #[sqlx(try_from = "Label")]
    pub channel: RecruitChannel,
    pub stage: String,
    pub subject: String,
    pub planned: i64,
}

pub async fn recruitment_plan(db: &Db, county: &str, year: i32) -> Result<Vec<RecruitmentPlanRow>> {
    Ok(sqlx::query_as(
        "SELECT year, channel, stage, subject, planned FROM recruitment_plans WHERE county = $1 AND year = $2 ORDER BY channel, stage, subject",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?)
}

/// Sets one plan line (a zero removes it).
pub async fn save_plan_line(
    tx: &mut Tx,
    county: &str,
    line: &RecruitmentPlanRow,
    by: &str,
) -> Result<()> {
    if line.planned == 0 {
        sqlx::query(
            "DELETE FROM recruitment_plans WHERE county = $1 AND year = $2 AND channel = $3 AND stage = $4 AND subject = $5",
        )
        .bind(county)
        .bind(line.year)
        .bind(line.channel.label())
        .bind(&line.stage)
        .bind(&line.subject)
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO recruitment_plans (county, year, channel, stage, subject, planned, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (county, year, channel, stage, subject) DO UPDATE SET planned = excluded.planned, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(county)
    .bind(line.year)
    .bind(line.channel.label())
    .bind(&line.stage)
    .bind(&line.subject)
    .bind(line.planned)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The year's award fund in fen (0 when not set).
pub async fn award_fund(db: &Db, county: &str, year: i32) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT fen FROM award_funds WHERE county = $1 AND year = $2")
            .bind(county)
            .bind(i64::from(year))
            .fetch_optional(db.pool())
            .await?
            .unwrap_or(0),
    )
}

pub async fn save_award_fund(
    tx: &mut Tx,
    county: &str,
    year: i32,
    fen: i64,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO award_funds (county, year, fen, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (county, year) DO UPDATE SET fen = excluded.fen, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(fen)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Years that have a plan or a fund, newest first (for the year pickers).
pub async fn settings_years(db: &Db, county: &str) -> Result<Vec<i64>> {
    let mut years: Vec<i64> = Vec::new();
    for table in ["recruitment_plans", "award_funds"] {
        years.extend(
            county_rows::<(i64,)>(
                db,
                AssertSqlSafe(format!(
                    "SELECT DISTINCT year FROM {table} WHERE county = $1"
                )),
                county,
            )
            .await?
            .into_iter()
            .map(|(y,)| y),
        );
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}
