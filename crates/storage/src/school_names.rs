//! 曾用名: a school's former names, each with the day it was given up.

use crate::sql::{county_rows, county_rows_by};
use crate::{Db, Result, Tx};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct FormerNameRow {
    pub school_code: String,
    pub former_name: String,
    /// The last day the school bore the name (the day it was renamed).
    pub until_on: String,
    pub recorded_by: String,
}

/// A school's former names, the latest first.
pub async fn former_names(db: &Db, county: &str, school: &str) -> Result<Vec<FormerNameRow>> {
    county_rows_by(
        db,
        "SELECT school_code, former_name, until_on, recorded_by FROM school_names \
         WHERE county = $1 AND school_code = $2 ORDER BY until_on DESC, former_name",
        county,
        school.to_string(),
    )
    .await
}

/// Every former name of the county's schools.
pub async fn all_former_names(db: &Db, county: &str) -> Result<Vec<FormerNameRow>> {
    county_rows(
        db,
        "SELECT school_code, former_name, until_on, recorded_by FROM school_names \
         WHERE county = $1 ORDER BY school_code, until_on",
        county,
    )
    .await
}

/// Records that `school` was called `former` until `until` (recorded once).
pub async fn record_rename(
    tx: &mut Tx,
    county: &str,
    school: &str,
    former: &str,
    until: &str,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO school_names (county, school_code, former_name, until_on, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (county, school_code, former_name, until_on) DO NOTHING",
    )
    .bind(county)
    .bind(school)
    .bind(former)
    .bind(until)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
