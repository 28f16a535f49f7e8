//! 职业教育 JSON API under `/api/v1/vocational`: programmes with partners, agreements and
//! intake by year; recording a programme (with an agreement) and a year's intake.

use super::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::Json;
use emis_app::vocational::{self as service, IntakeForm, ProgrammeForm};

pub async fn overview(Ctx { state, caller }: Ctx) -> ApiResult<service::VocationalOverview> {
    let a = caller.account()?;
    Ok(Json(service::overview(&state.db, a).await?))
}

/// The id of a recorded programme.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ProgrammeRecorded {
    pub id: i64,
}

/// Records a programme: `{"school": "…", "name": "电子商务", "schooling": "五年制大专",
/// "partner": "湖南商贸职业技术学院", "agreement": "五年制大专人才培养合作协议书",
/// "signed_on": "2021-05-28", "years": "5"}`.
pub async fn record_programme(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<ProgrammeForm>,
) -> ApiResult<ProgrammeRecorded> {
    let a = caller.account()?;
    let id =
        service::record_programme(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(ProgrammeRecorded { id }))
}

/// Records a year's intake: `{"programme": "1", "year": "2021", "students": "38"}`.
pub async fn record_intake(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<IntakeForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_intake(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
