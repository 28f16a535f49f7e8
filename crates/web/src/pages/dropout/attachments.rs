//! 佐证材料: a case's evidence files, uploaded and downloaded.

use super::cases::case_page;
use crate::error::PageResult;
use crate::form::round_trip;
use crate::session::Ctx;
use axum::extract::{Multipart, Path};
use emis_app::dropout::{self as service, CaseForm};

pub async fn attach(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let account = caller.account()?;
    // The case must be in scope before anything about the upload is answered.
    service::case(&state.db, &account.scope, id, state.clock.today()).await?;
    let mut multipart = multipart.map_err(|e| crate::error::upload_refusal(e.status()))?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| crate::error::upload_refusal(e.status()))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let form = CaseForm {
        action: "attach".into(),
        ..CaseForm::default()
    };
    round_trip(
        service::attach(&state.db, account, id, &name, &bytes, &caller.source).await,
        |()| format!("/dropout/cases/{id}?done=attach"),
        |e| case_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}

/// An evidence file of a case in the scope, as a download under its own name; never
/// sniffed by the browser as something else.
pub async fn attachment(
    Ctx { state, caller }: Ctx,
    Path((case_id, attachment_id)): Path<(i64, i64)>,
) -> PageResult {
    let account = caller.account()?;
    let (file, bytes) =
        service::attachment(&state.db, account, case_id, attachment_id, &caller.source).await?;
    Ok(crate::download::file(
        bytes,
        &file.mime,
        crate::download::Disposition::Attachment,
        &file.file_name,
        &file.file_name,
    ))
}
