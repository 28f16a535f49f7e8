//! Hazards (隐患): the ledger, one hazard, its workflow steps and evidence.

use super::*;
use crate::api::ApiResult;
use crate::extract::{ApiJson, JsonBody};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, EvidenceRow, HazardQuery, HazardRow, Page};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct HazardParams {
    status: Option<String>,
    grade: Option<String>,
    category: Option<String>,
    school: Option<String>,
    overdue: Option<bool>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn hazards(
    Ctx { state, caller }: Ctx,
    Query(p): Query<HazardParams>,
) -> ApiResult<Page<HazardRow>> {
    let a = caller.account()?;
    let q = HazardQuery {
        status: p.status,
        grade: p.grade,
        category: p.category,
        school: p.school,
        overdue_on: p
            .overdue
            .unwrap_or(false)
            .then(|| state.clock.today().to_string()),
        from: p.from,
        to: p.to,
        q: p.q,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
        ..HazardQuery::default()
    };
    Ok(Json(queries::hazards(&state.db, a, &q).await?))
}

/// A hazard with its evidence files and whether it is past its deadline.
#[derive(Serialize, JsonSchema)]
pub struct Hazard {
    hazard: HazardRow,
    overdue: bool,
    evidence: Vec<EvidenceRow>,
}

pub async fn hazard(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<Hazard> {
    let a = caller.account()?;
    let hazard = service::visible_hazard(&state.db, a, id).await?;
    let evidence = queries::hazard_evidence(&state.db, &hazard).await?;
    let overdue = service::overdue(&hazard, state.clock.today());
    Ok(Json(Hazard {
        hazard,
        overdue,
        evidence,
    }))
}

pub async fn record(
    Ctx { state, caller }: Ctx,
    ApiJson(form): ApiJson<service::HazardForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    let id =
        service::record_hazard(&state.db, a, &form, &caller.source, state.clock.today()).await?;
    hazard(Ctx { state, caller }, Path(id)).await
}

/// A workflow step over the API: the hazard must be visible to the caller before its body
/// is read (an unseen hazard answers 404 whatever the body); the reply is the hazard as the
/// step left it.
async fn take_step<F: serde::de::DeserializeOwned>(
    state: AppState,
    caller: Caller,
    id: i64,
    body: JsonBody<F>,
    step: impl AsyncFnOnce(&AppState, &emis_app::auth::Account, &F, &str) -> emis_app::Result<()>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form = body.parse()?;
    step(&state, a, &form, &caller.source).await?;
    hazard(Ctx { state, caller }, Path(id)).await
}

pub async fn assign(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::AssignForm>,
) -> ApiResult<Hazard> {
    take_step(state, caller, id, body, async |s, a, form, source| {
        service::assign(&s.db, a, id, form, source).await
    })
    .await
}

pub async fn rectify(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::RectifyForm>,
) -> ApiResult<Hazard> {
    take_step(state, caller, id, body, async |s, a, form, source| {
        service::rectify(&s.db, a, id, form, None, source).await
    })
    .await
}

pub async fn close(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::ReviewForm>,
) -> ApiResult<Hazard> {
    take_step(state, caller, id, body, async |s, a, form, source| {
        service::close(&s.db, a, id, form, source, s.clock.today()).await
    })
    .await
}

pub async fn send_back(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::ReviewForm>,
) -> ApiResult<Hazard> {
    take_step(state, caller, id, body, async |s, a, form, source| {
        service::send_back(&s.db, a, id, form, source).await
    })
    .await
}

/// A hazard photo or PDF (multipart: `file`, optional `stage` 发现 / 整改); size and type
/// are checked by content.
pub async fn upload_evidence(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> ApiResult<EvidenceAdded> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let (fields, (name, bytes)) = multipart_with_file(&state, request).await?;
    let stage = crate::upload::value(&fields, "stage");
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let evidence = service::add_evidence(&state.db, a, id, &stage, &upload, &caller.source).await?;
    let Json(hazard) = hazard(Ctx { state, caller }, Path(id)).await?;
    Ok(Json(EvidenceAdded {
        hazard,
        evidence_id: evidence,
    }))
}

/// The hazard with the new evidence file's id.
#[derive(Serialize, JsonSchema)]
pub struct EvidenceAdded {
    #[serde(flatten)]
    hazard: Hazard,
    evidence_id: i64,
}
