//! 整改材料: uploading a hazard's evidence and sending a stored file back.

use super::hazards::{hazard_page, Shown};
use super::{file_response, read_multipart, value};
use crate::error::PageError;
use crate::error::PageResult;
use crate::form::round_trip;
use crate::session::Ctx;
use axum::extract::{Path, Request};
use emis_app::registry::FieldError;
use emis_app::safety::{self as service};

pub async fn evidence_upload(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    request: Request,
) -> PageResult {
    let account = caller.account()?;
    service::visible_hazard(&state.db, account, id).await?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let Some((name, bytes)) = file else {
        return hazard_page(
            &state,
            &caller,
            id,
            Shown {
                error: Some((
                    "evidence",
                    FieldError {
                        field: "file",
                        reason: "请选择要上传的照片或 PDF".into(),
                    },
                )),
                ..Shown::default()
            },
        )
        .await;
    };
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let stage = value(&fields, "stage");
    let outcome =
        service::add_evidence(&state.db, account, id, &stage, &upload, &caller.source).await;
    round_trip(
        outcome,
        |_| format!("/safety/hazards/{id}?done=evidence"),
        |e| {
            hazard_page(
                &state,
                &caller,
                id,
                Shown {
                    error: Some(("evidence", e)),
                    ..Shown::default()
                },
            )
        },
    )
    .await
}

/// An evidence file, if its hazard is in the scope (sent as an attachment; never run inline).
pub async fn evidence_file(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let (meta, bytes) = service::evidence_file(&state.db, account, id, &caller.source).await?;
    Ok(file_response(
        &meta.mime,
        &meta.file_name,
        &format!("evidence-{id}"),
        bytes,
    ))
}
