//! 安全事故登记 JSON API under `/api/v1/incidents`: the register with its counts, one
//! incident with its steps, recording an incident and a step.

use super::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::incidents::{self as service, IncidentFilter, IncidentForm, IncidentStepForm};

/// The register: `?year=2021&category=交通&township=431224104`.
pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(filter): Query<IncidentFilter>,
) -> ApiResult<service::IncidentRegister> {
    let a = caller.account()?;
    Ok(Json(service::register(&state.db, a, &filter).await?))
}

pub async fn incident(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<service::IncidentDetail> {
    let a = caller.account()?;
    Ok(Json(service::detail(&state.db, a, id).await?))
}

/// The id of a recorded incident.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct IncidentCreated {
    pub id: i64,
}

/// Records an incident: `{"school": "…", "happened_on": "2021-03-20", "category": "交通",
/// "in_school": "否", "deaths": "0", "injuries": "2", "account": "…"}`.
pub async fn record(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<IncidentForm>,
) -> ApiResult<IncidentCreated> {
    let a = caller.account()?;
    let id = service::record(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(IncidentCreated { id }))
}

/// Records a step: `{"kind": "处置", "happened_on": "2021-03-20", "note": "…"}`; `结案`
/// is the bureau's.
pub async fn add_step(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<IncidentStepForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::add_step(&state.db, a, id, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
