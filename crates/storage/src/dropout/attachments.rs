//! 佐证材料 the rows naming a case's evidence files (the files are in the attachments store).

use crate::{Db, Result, Tx};

#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub mime: String,
    pub stored_path: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

pub async fn insert_attachment(tx: &mut Tx, county: &str, a: &AttachmentRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO dropout_attachments (county, case_id, file_name, size_bytes, mime, stored_path, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(county)
    .bind(a.case_id)
    .bind(&a.file_name)
    .bind(a.size_bytes)
    .bind(&a.mime)
    .bind(&a.stored_path)
    .bind(&a.uploaded_by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn attachments(db: &Db, case_id: i64) -> Result<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, file_name, size_bytes, mime, stored_path, uploaded_by, uploaded_at \
         FROM dropout_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?)
}
