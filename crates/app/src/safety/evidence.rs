//! 整改材料: the photos and PDFs of a hazard (发现 and 整改 stages), kept in the one
//! attachments store; the row names the file by its key.

use super::hazards::visible_hazard;
use super::{field, require, Checked};
use crate::attachments::{open_audited, Attachments, FileView, PutError, StoredFile};
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_domain::safety::Status;
use emis_storage::audit::Entry;
use emis_storage::safety as store;
use emis_storage::Db;

/// An uploaded file as received.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Checks and keeps an upload in the attachments store (nothing is written when it is
/// refused); the reason goes to the form's `file` field.
pub(super) fn store_upload(db: &Db, upload: &Upload<'_>) -> Checked<StoredFile> {
    Attachments::of(db)
        .put(upload.file_name, upload.bytes)
        .map_err(|e| match e {
            PutError::Refused(reason) => field("file", reason),
            PutError::Io(e) => field("file", format!("无法保存文件：{e}")),
        })
}

/// The row of a stored file of a hazard, in the caller's transaction.
pub(super) async fn insert_stored(
    tx: &mut emis_storage::Tx,
    account: &Account,
    hazard_id: i64,
    stage: &str,
    f: &StoredFile,
) -> Result<i64> {
    Ok(store::insert_evidence(
        tx,
        account.county(),
        &store::NewEvidence {
            hazard_id,
            stage,
            file_name: &f.file_name,
            stored_name: &f.key,
            mime: f.mime(),
            size_bytes: f.size as i64,
            sha256: &f.sha256,
            uploaded_by: &account.username,
        },
    )
    .await?)
}

/// Adds an evidence file (photo or PDF) to a hazard at a stage (发现 / 整改).
pub async fn add_evidence(
    db: &Db,
    account: &Account,
    id: i64,
    stage: &str,
    upload: &Upload<'_>,
    source: &str,
) -> Result<i64> {
    let hazard = visible_hazard(db, account, id).await?;
    require(account, Permission::RecordHazards)?;
    if hazard.status == Status::Closed {
        return Err(field("file", "隐患已销号，不能再上传材料").into());
    }
    let stored = store_upload(db, upload)?;
    let stage = if stage == "整改" {
        "整改"
    } else {
        "发现"
    };
    let mut tx = db.begin().await?;
    let evidence_id = insert_stored(&mut tx, account, id, stage, &stored).await?;
    let key = id.to_string();
    Entry::new(account.county(), "hazard_evidence", "safety_hazard", &key).after_json(&serde_json::json!({"evidence": evidence_id, "stage": stage, "file": stored.file_name, "mime": stored.mime(), "size": stored.size, "sha256": stored.sha256})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(evidence_id)
}

/// An evidence file if its hazard is visible: metadata and bytes; the view is audited.
pub async fn evidence_file(
    db: &Db,
    account: &Account,
    evidence_id: i64,
    source: &str,
) -> Result<(store::EvidenceRow, Vec<u8>)> {
    let e = store::evidence(db, account.county(), evidence_id)
        .await?
        .ok_or(AppError::NotFound)?;
    visible_hazard(db, account, e.hazard_id).await?;
    let key = e.hazard_id.to_string();
    let view = FileView::of("hazard_evidence_view", "safety_hazard", &key).file(e.id, &e.file_name);
    let bytes = open_audited(db, account, source, &e.stored_name, view).await?;
    Ok((e, bytes))
}
