//! 佐证材料 case evidence files, kept in the one attachments store.

use crate::attachments::{open_audited, Attachments, FileView, PutError};
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_storage::audit::Entry;
use emis_storage::dropout as store;
use emis_storage::Db;

/// Stores an evidence file for a case in the scope (≤ 10 MB; jpg, png or pdf by content)
/// in the attachments store; a refused file is an invalid `file` field.
pub async fn attach(
    db: &Db,
    account: &Account,
    id: i64,
    file_name: &str,
    bytes: &[u8],
    source: &str,
) -> Result<()> {
    let row = store::case_in_scope(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    let stored = Attachments::of(db)
        .put(file_name, bytes)
        .map_err(|e| match e {
            PutError::Refused(reason) => AppError::Invalid {
                field: "file",
                message: reason,
            },
            PutError::Io(e) => AppError::Refused(format!("无法保存文件：{e}")),
        })?;
    let attachment = store::AttachmentRow {
        case_id: row.id,
        file_name: stored.file_name.clone(),
        size_bytes: stored.size as i64,
        mime: stored.mime().to_string(),
        // Relative to the data directory; older rows may hold an absolute path.
        stored_path: stored.key,
        uploaded_by: account.username.clone(),
        ..store::AttachmentRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_attachment(&mut tx, account.county(), &attachment).await?;
    let key = id.to_string();
    Entry::new(account.county(), "case.attach", "dropout_case", &key)
        .after_json(&attachment)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// An evidence file of a case in the scope, with its bytes; the view of personal data is
/// audited. Out of scope, or not this case's file: not found.
pub async fn attachment(
    db: &Db,
    account: &Account,
    case_id: i64,
    attachment_id: i64,
    source: &str,
) -> Result<(store::AttachmentRow, Vec<u8>)> {
    let case = store::case_in_scope(db, &account.scope, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = store::attachments(db, case.id)
        .await?
        .into_iter()
        .find(|a| a.id == attachment_id)
        .ok_or(AppError::NotFound)?;
    if !(account.role.permits(Permission::WorkDropoutCases)
        || account.role.permits(Permission::SeePersonalData))
    {
        return Err(AppError::Forbidden);
    }
    let key = case.id.to_string();
    let view =
        FileView::of("case.attachment_view", "dropout_case", &key).file(file.id, &file.file_name);
    let bytes = open_audited(db, account, source, &file.stored_path, view).await?;
    Ok((file, bytes))
}
