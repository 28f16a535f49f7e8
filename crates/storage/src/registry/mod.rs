//! Registry storage: counties and org units, schools, students and their per-term roll,
//! classes, staff. Bulk writes go in multi-row statements inside the caller's transaction.
//!
//! Here: the county, its org units and the import counter; `schools`, `students` (identity
//! and roll writes of an import), `staff`, and `term_roll` (a term's roll read back, copied,
//! and one student's status or school changed).

use crate::sql::{
    county_rows, insert_json, insert_many, json_array_functions, json_rows, Json, Label,
};
use crate::{Db, Result, StorageError, Tx};
use emis_domain::divisions::County;
use emis_domain::registry::{
    Grade, Hardship, Ownership, PostType, RecruitChannel, School, SchoolType, Sex, StaffRecord,
    StudentRecord, StudentStatus, UrbanRural,
};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

mod schools;
mod staff;
mod students;
mod term_roll;

pub use schools::*;
pub use staff::*;
pub use students::*;
pub use term_roll::*;

/// The county's import counter, read before an import checks its rows against the database.
pub async fn import_seq(db: &Db, county: &str) -> Result<i64> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT import_seq FROM counties WHERE code = $1")
        .bind(county)
        .fetch_optional(db.pool())
        .await?;
    seq.ok_or_else(|| StorageError::NoCounty(county.to_string()))
}

/// Advances the county's import counter inside the import's write transaction, as its first
/// statement, if it still reads `seen`. The update takes the county row's write lock, so a
/// second import waits here for the first to commit and then finds the counter moved on:
/// `false` means another import wrote since `seen` and this one must check again.
pub async fn claim_import(tx: &mut Tx, county: &str, seen: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE counties SET import_seq = import_seq + 1 WHERE code = $1 AND import_seq = $2",
    )
    .bind(county)
    .bind(seen)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates the county with its townships as org units; does nothing if it exists.
pub async fn ensure_county(db: &Db, county: &County) -> Result<bool> {
    let mut tx = db.begin().await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT code FROM counties WHERE code = $1")
        .bind(county.code)
        .fetch_optional(&mut *tx)
        .await?;
    emis_domain::divisions::register(*county);
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO counties (code, name, full_name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(county.code)
        .bind(county.name)
        .bind(county.full_name)
        .bind(crate::now_text())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO org_units (code, county, parent_code, kind, name) VALUES ($1, $2, NULL, 'county', $3)")
        .bind(county.code)
        .bind(county.code)
        .bind(county.name)
        .execute(&mut *tx)
        .await?;
    for township in county.townships {
        sqlx::query("INSERT INTO org_units (code, county, parent_code, kind, name) VALUES ($1, $2, $3, 'township', $4)")
            .bind(township.code)
            .bind(county.code)
            .bind(county.code)
            .bind(township.name)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Makes every county the database holds known to the rules ([`emis_domain::divisions`]),
/// with its townships as its org units list them: a city's database holds counties beyond
/// the compiled ones.
pub async fn know_counties(db: &Db) -> Result<()> {
    let counties: Vec<(String, String, String)> =
        // A region's row (migration 0031) is no county: it has no townships of its own.
        sqlx::query_as(
            "SELECT code, name, full_name FROM counties WHERE level = 'county' ORDER BY code",
        )
            .fetch_all(db.pool())
            .await?;
    for (code, name, full_name) in counties {
        if emis_domain::divisions::county(&code).is_some() {
            continue;
        }
        let townships: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, name FROM org_units WHERE county = $1 AND kind = 'township' ORDER BY code",
        )
        .bind(&code)
        .fetch_all(db.pool())
        .await?;
        emis_domain::divisions::register_stored(&code, &name, &full_name, &townships);
    }
    Ok(())
}

/// The county codes present, oldest first (a region's row is no county: see `region`).
pub async fn counties(db: &Db) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT code FROM counties WHERE level = 'county' ORDER BY created_at, code",
    )
    .fetch_all(db.pool())
    .await?)
}

/// The one county of a single-county database (the usual deployment).
pub async fn default_county(db: &Db) -> Result<String> {
    counties(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StorageError::NoCounty(String::new()))
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OrgUnit {
    pub code: String,
    /// The county (or region) the unit belongs to.
    pub county: String,
    pub parent_code: Option<String>,
    pub kind: String,
    pub name: String,
}

pub async fn org_unit(db: &Db, code: &str) -> Result<Option<OrgUnit>> {
    Ok(sqlx::query_as(
        "SELECT code, county, parent_code, kind, name FROM org_units WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// Counts for status lines and tests.
pub async fn count(db: &Db, table: &str, county: &str) -> Result<i64> {
    let table = match table {
        "schools" | "students" | "staff" | "classes" | "enrollments" | "audit_log" | "users" => {
            table
        }
        _ => return Err(StorageError::UnknownTable(table.to_string())),
    };
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {table} WHERE county = $1"
    )))
    .bind(county)
    .fetch_one(db.pool())
    .await?)
}
