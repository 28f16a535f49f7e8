//! The county's class-size settings (班额分档与标准班额).

use crate::{Db, Result, Tx};
use emis_domain::class_size::ClassSizeRules;

/// The county's class-size rules (RULES.md defaults when none are stored).
pub async fn settings(db: &Db, county: &str) -> Result<ClassSizeRules> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT rules_json FROM class_size_settings WHERE county = $1")
            .bind(county)
            .fetch_optional(db.pool())
            .await?;
    Ok(row
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

pub async fn save_settings(
    tx: &mut Tx,
    county: &str,
    rules: &ClassSizeRules,
    by: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM class_size_settings WHERE county = $1")
        .bind(county)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO class_size_settings (county, rules_json, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(county)
    .bind(serde_json::to_string(rules).unwrap_or_default())
    .bind(crate::now_text())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
