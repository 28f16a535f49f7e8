//! 五项管理 self-checks per school and term.

use crate::sql::county_rows_by;
use crate::{Db, Result, StorageError, Tx};
use emis_domain::double_reduction::five::SelfCheck;

/// Every school's self-check of a term: (school, check).
pub async fn five_checks(db: &Db, county: &str, term: &str) -> Result<Vec<(String, SelfCheck)>> {
    let rows: Vec<(String, String)> = county_rows_by(
        db,
        "SELECT school_code, check_json FROM five_checks WHERE county = $1 AND term = $2",
        county,
        term,
    )
    .await?;
    rows.into_iter()
        .map(|(school, json)| {
            serde_json::from_str(&json)
                .map(|check| (school, check))
                .map_err(|e| StorageError::Document {
                    what: "five-management self-check",
                    detail: e.to_string(),
                })
        })
        .collect()
}

/// Writes a school's self-check of a term (replacing the stored one).
pub async fn write_five_check(
    tx: &mut Tx,
    county: &str,
    school: &str,
    term: &str,
    check: &SelfCheck,
    by: &str,
) -> Result<()> {
    let json = serde_json::to_string(check).map_err(|e| StorageError::Document {
        what: "five-management self-check",
        detail: e.to_string(),
    })?;
    sqlx::query(
        "INSERT INTO five_checks (county, school_code, term, check_json, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (county, school_code, term) DO UPDATE SET check_json = excluded.check_json, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(county)
    .bind(school)
    .bind(term)
    .bind(json)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
