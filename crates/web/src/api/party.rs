//! 党建 JSON API under `/api/v1/party`: the branches the caller sees, a branch's people with
//! their stages, its meeting log, a person's stage history, and recording a stage (the
//! party office) or a meeting (the office or the branch's secretary).

use super::{ApiResult, Created, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Path;
use axum::Json;
use emis_app::party::{branches as service, meetings, BranchRow};

pub async fn branches(Ctx { state, caller }: Ctx) -> ApiResult<Vec<BranchRow>> {
    let a = caller.account()?;
    Ok(Json(service::list(&state.db, a).await?))
}

pub async fn branch(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<service::BranchDetail> {
    let a = caller.account()?;
    Ok(Json(service::detail(&state.db, a, id).await?))
}

pub async fn person(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<service::PersonDetail> {
    let a = caller.account()?;
    Ok(Json(
        service::person(&state.db, a, id, &caller.source).await?,
    ))
}

/// Records a stage: `{"name": "张三", "id_number": "…", "stage": "预备党员", "reached_on":
/// "2021-07-01"}`; the person's id.
pub async fn record_stage(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<service::StageForm>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let person =
        service::record_stage(&state.db, a, id, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Created { id: person }))
}

pub async fn meetings(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<meetings::MeetingLog> {
    let a = caller.account()?;
    Ok(Json(meetings::log(&state.db, a, id).await?))
}

/// Records a meeting: `{"held_on": "2021-07-01", "kind": "主题党日", "topic": "…",
/// "expected": "12", "attended": "11"}`.
pub async fn record_meeting(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<meetings::MeetingForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    meetings::record(&state.db, a, id, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
