//! 督导评估 JSON API under `/api/v1/supervision`: the 督导检查 desk (through
//! `api::campaigns` with area 督导) and the yearly assessment.

use super::{ApiResult, Created, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Query;
use axum::Json;
use chrono::Datelike;
use emis_app::safety::campaigns::{CampaignPicture, LaunchForm};
use emis_app::safety::HazardForm;
use emis_app::supervision::assessment::{
    self as service, ResultsView, SchemeForm, SchemeView, ScoreForm,
};
use emis_domain::safety::Area;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

pub async fn visits(ctx: Ctx, Query(p): Query<YearParams>) -> ApiResult<CampaignPicture> {
    super::campaigns::picture(ctx, Area::Supervision, p.year).await
}

/// Launches a 督导检查: `{"title": "…", "planned_on": "2021-10-12"}`.
pub async fn launch_visit(ctx: Ctx, ApiJson(body): ApiJson<LaunchForm>) -> ApiResult<Created> {
    super::campaigns::launch(ctx, Area::Supervision, body).await
}

/// Records a problem found on a visit (then `/api/v1/safety/hazards/{id}/…` as any).
pub async fn record_problem(ctx: Ctx, ApiJson(body): ApiJson<HazardForm>) -> ApiResult<Created> {
    super::campaigns::record_problem(ctx, Area::Supervision, body).await
}

fn year_or_now(ctx: &Ctx, year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| ctx.state.clock.today().year())
}

pub async fn results(ctx: Ctx, Query(p): Query<YearParams>) -> ApiResult<ResultsView> {
    let year = year_or_now(&ctx, p.year);
    let a = ctx.caller.account()?;
    Ok(Json(service::results(&ctx.state.db, a, year).await?))
}

pub async fn scheme(ctx: Ctx, Query(p): Query<YearParams>) -> ApiResult<SchemeView> {
    let year = year_or_now(&ctx, p.year);
    let a = ctx.caller.account()?;
    Ok(Json(service::scheme(&ctx.state.db, a, year).await?))
}

/// Saves a year's scheme: `{"year": "2021", "items": "教育教学质量，20，督学评分\n…"}`.
pub async fn save_scheme(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<SchemeForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::save_scheme(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

/// Records inspectors' scores: `{"year": "2021", "school": "…", "scores": {"教育教学质量": "18"}}`.
pub async fn record_scores(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<ScoreForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_scores(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

/// The year a compute or publish is for.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(default)]
pub struct YearBody {
    year: Option<i32>,
}

/// How many schools were computed.
#[derive(Serialize, JsonSchema)]
pub struct ComputedSchools {
    schools: usize,
}

pub async fn compute(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<YearBody>,
) -> ApiResult<ComputedSchools> {
    let a = caller.account()?;
    let today = state.clock.today();
    let year = body.year.unwrap_or(today.year());
    let schools = service::compute(&state.db, a, year, today, &caller.source).await?;
    Ok(Json(ComputedSchools { schools }))
}

pub async fn publish(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<YearBody>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    let year = body.year.unwrap_or(state.clock.today().year());
    service::publish(&state.db, a, year, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
