//! 建设项目 JSON API under `/api/v1/projects`: the register with the year's figures, one
//! project, and the planning office's investment and progress records.

use super::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::projects::{self as service, InvestmentForm, ProgressForm, ProjectFilter};

/// The register: `?year=2021&category=改扩建&township=…&school=…&status=已竣工`.
pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(filter): Query<ProjectFilter>,
) -> ApiResult<service::ProjectRegister> {
    let a = caller.account()?;
    Ok(Json(
        service::register(&state.db, a, &filter, state.clock.today()).await?,
    ))
}

pub async fn project(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<service::ProjectDetail> {
    let a = caller.account()?;
    Ok(Json(
        service::detail(&state.db, a, id, state.clock.today()).await?,
    ))
}

/// Records a year's investment: `{"year": "2021", "amount": "3718", "source": "省级专项"}`
/// (万元).
pub async fn record_investment(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<InvestmentForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_investment(&state.db, a, id, &body, state.clock.today(), &caller.source)
        .await?;
    Ok(Json(Done { ok: true }))
}

/// Records progress or completion: `{"progress": "60"}` or `{"completed_on": "2021-08-20"}`.
pub async fn record_progress(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ProgressForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_progress(&state.db, a, id, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
