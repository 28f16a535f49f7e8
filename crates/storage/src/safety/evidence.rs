//! 整改材料: the metadata of a hazard's evidence files (the files are in the attachments store).

use crate::{Db, Result, Tx};
use sqlx::AssertSqlSafe;

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub hazard_id: i64,
    pub stage: String,
    pub file_name: String,
    #[serde(skip)]
    pub stored_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

pub struct NewEvidence<'a> {
    pub hazard_id: i64,
    pub stage: &'a str,
    pub file_name: &'a str,
    pub stored_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
}

pub async fn insert_evidence(tx: &mut Tx, county: &str, e: &NewEvidence<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO safety_evidence (county, hazard_id, stage, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(e.hazard_id)
    .bind(e.stage)
    .bind(e.file_name)
    .bind(e.stored_name)
    .bind(e.mime)
    .bind(e.size_bytes)
    .bind(e.sha256)
    .bind(e.uploaded_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

const EVIDENCE_COLUMNS: &str =
    "id, hazard_id, stage, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at";

pub async fn evidence_of(db: &Db, hazard_id: i64) -> Result<Vec<EvidenceRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM safety_evidence WHERE hazard_id = $1 ORDER BY id"
    )))
    .bind(hazard_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn evidence(db: &Db, county: &str, id: i64) -> Result<Option<EvidenceRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM safety_evidence WHERE county = $1 AND id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}
