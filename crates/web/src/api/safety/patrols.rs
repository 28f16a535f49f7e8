//! Patrols (巡查) and the patrol report of a year.

use super::*;
use crate::api::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Query;
use axum::Json;
use emis_app::safety as service;
use schemars::JsonSchema;
use serde::Serialize;

/// The summer patrol check of a year: the days with at least two patrols of the required.
#[derive(Serialize, JsonSchema)]
pub struct Patrols {
    year: i32,
    required: u32,
    compliant: u32,
    /// null: no patrol was due (无数据).
    rate: Option<f64>,
    missing: Vec<emis_domain::safety::drowning::MissingPatrol>,
}

pub async fn patrols(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Patrols> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (_, check) = service::patrol_check(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(Patrols {
        year,
        required: check.required_days,
        compliant: check.compliant_days,
        rate: check.rate(),
        missing: check.missing,
    }))
}

pub async fn record_patrol(
    Ctx { state, caller }: Ctx,
    ApiJson(form): ApiJson<service::PatrolForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_patrol(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

/// The patrol check against the roster: missing patrols with who was due, roster gaps.
#[derive(Serialize, JsonSchema)]
pub struct PatrolReportOfYear {
    year: i32,
    /// null: no patrol was due (无数据).
    rate: Option<f64>,
    report: service::roster::PatrolReport,
}

pub async fn patrol_report(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<PatrolReportOfYear> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let r = service::roster::patrol_report(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(PatrolReportOfYear {
        year,
        rate: r.compliance.rate(),
        report: r,
    }))
}
