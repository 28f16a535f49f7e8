//! 公文登记 JSON API under `/api/v1/documents`: the register, one document with the records
//! that cite its 文号, and registering a document (without a file; the page takes files).

use super::ApiResult;
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::documents::{self as service, DocumentFilter, DocumentForm};

/// The register: `?year=2021&category=方案&office=基础教育股`.
pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(filter): Query<DocumentFilter>,
) -> ApiResult<service::DocumentRegister> {
    let a = caller.account()?;
    Ok(Json(service::register(&state.db, a, &filter).await?))
}

pub async fn document(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<service::DocumentDetail> {
    let a = caller.account()?;
    Ok(Json(service::detail(&state.db, a, id).await?))
}

/// The id of a registered document.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct DocumentCreated {
    pub id: i64,
}

/// Registers a document: `{"number": "溆教发〔2021〕45号", "title": "…", "issued_on":
/// "2021-05-14", "office": "基础教育股", "category": "方案"}`.
pub async fn record(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<DocumentForm>,
) -> ApiResult<DocumentCreated> {
    let a = caller.account()?;
    let id = service::record(
        &state.db,
        a,
        &body,
        None,
        state.clock.today(),
        &caller.source,
    )
    .await?;
    Ok(Json(DocumentCreated { id }))
}
