//! 十有 items and their evidence files.

use super::*;
use crate::api::schema::Download;
use crate::api::ApiResult;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, TenHaveFile, TenHaveRow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One 十有 item: `{"year": 2021, "org": "431224104", "item": "工作班子", "done": true,
/// "evidence": "溆政办发〔2021〕12号"}`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct TenHaveBody {
    year: i32,
    org: String,
    item: String,
    done: bool,
    evidence: String,
}

/// The 十有 items of a year in the scope, and their evidence files.
#[derive(Serialize, JsonSchema)]
pub struct TenHaves {
    year: i32,
    items: Vec<TenHaveRow>,
    files: Vec<TenHaveFile>,
}

pub async fn ten_haves(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<TenHaves> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::ten_haves(&state.db, a, year).await?;
    let files = queries::ten_have_files(&state.db, a, year).await?;
    Ok(Json(TenHaves { year, items, files }))
}

/// A 十有 evidence file's bytes, if its township or school is in the scope (audited).
pub async fn ten_have_file(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> Result<Download, ApiError> {
    let a = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, a, id, &caller.source).await?;
    let ascii_name = format!("ten-have-{id}");
    Ok(Download(crate::pages::safety::file_response(
        &meta.mime,
        &meta.file_name,
        &ascii_name,
        bytes,
    )))
}

/// A 十有 evidence file (multipart: `year`, `org`, `item`, `file`); type and size are
/// checked by content; the reply carries the new file's id.
pub async fn upload_ten_have_file(
    Ctx { state, caller }: Ctx,
    request: axum::extract::Request,
) -> ApiResult<TenHaveFileAdded> {
    let a = caller.account()?;
    let (fields, (name, bytes)) = multipart_with_file(&state, request).await?;
    let field = |k: &str| crate::upload::value(&fields, k);
    let year = year_of(&state, a.county(), field("year").trim().parse().ok()).await?;
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let id = service::add_ten_have_file(
        &state.db,
        a,
        year,
        &field("org"),
        &field("item"),
        &upload,
        &caller.source,
    )
    .await?;
    Ok(Json(TenHaveFileAdded {
        ok: true,
        file_id: id,
        year,
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct TenHaveFileAdded {
    ok: bool,
    file_id: i64,
    year: i32,
}

pub async fn set_ten_have(
    Ctx { state, caller }: Ctx,
    ApiJson(b): ApiJson<TenHaveBody>,
) -> ApiResult<TenHaves> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), (b.year != 0).then_some(b.year)).await?;
    let form = service::TenHaveForm {
        year,
        org: b.org,
        item: b.item,
        done: b.done.then(|| "1".to_string()),
        evidence: b.evidence,
    };
    service::set_ten_have(&state.db, a, &form, &caller.source).await?;
    let year = Query(YearParams { year: Some(year) });
    ten_haves(Ctx { state, caller }, year).await
}
