//! 荣誉与竞赛 JSON API under `/api/v1/honours`: the register of a year with its summary,
//! and recording one honour.

use super::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Query;
use axum::Json;
use emis_app::honours::{self as service, HonourFilter, HonourForm};

/// The register: `?year=2021&kind=竞赛&level=市级&subject_kind=学生`.
pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(filter): Query<HonourFilter>,
) -> ApiResult<service::HonourRegister> {
    let a = caller.account()?;
    Ok(Json(service::register(&state.db, a, &filter).await?))
}

/// Records an honour: `{"subject_kind": "学校", "subject": "4343…", "title":
/// "全国青少年校园足球特色学校", "kind": "特色学校", "level": "国家级", "granted_by": "教育部",
/// "granted_on": "2021-11-20"}`; a competition also names its `prize` and `event`.
pub async fn record(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<HonourForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
