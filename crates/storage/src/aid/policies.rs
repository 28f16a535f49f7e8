//! The policy catalog (资助政策), one JSON document per policy and year.

use crate::{Db, Result, StorageError, Tx};
use emis_domain::aid::Policy;

/// Writes (or replaces) a year's policies.
pub async fn write_policies(
    tx: &mut Tx,
    county: &str,
    policies: &[Policy],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    for p in policies {
        let json = serde_json::to_string(p).map_err(|e| StorageError::Document {
            what: "aid policy",
            detail: e.to_string(),
        })?;
        sqlx::query(
            "INSERT INTO aid_policies (county, year, code, name, policy_json, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (county, year, code) DO UPDATE SET \
             name = excluded.name, policy_json = excluded.policy_json, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(county)
        .bind(i64::from(p.year))
        .bind(&p.code)
        .bind(&p.name)
        .bind(json)
        .bind(by)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The stored policies of a year, in the order they were first written.
pub async fn policies(db: &Db, county: &str, year: i32) -> Result<Vec<Policy>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT policy_json FROM aid_policies WHERE county = $1 AND year = $2 ORDER BY id",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|j| {
            serde_json::from_str(j).map_err(|e| StorageError::Document {
                what: "aid policy",
                detail: e.to_string(),
            })
        })
        .collect()
}

/// The years with a stored catalog, oldest first.
pub async fn policy_years(db: &Db, county: &str) -> Result<Vec<i32>> {
    let years: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT year FROM aid_policies WHERE county = $1 ORDER BY year",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(years.into_iter().map(|y| y as i32).collect())
}
