//! 双减 JSON API under `/api/v1/double-reduction`: the institution register and an
//! institution's history, a status change, after-school service of a term, a school's
//! record, the 专项督查 (its picture, launching one, recording a problem: `campaigns` of
//! area 双减), and the year's
//! indicators of the caller's org unit.

use super::{ApiResult, Created, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::double_reduction::{after_school, institutions, InstitutionRow};
use emis_app::safety::campaigns;
use emis_domain::double_reduction::InstitutionStatus;
use emis_domain::safety::Area;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
pub struct RegisterParams {
    township: Option<String>,
    status: Option<String>,
}

pub async fn institutions(
    Ctx { state, caller }: Ctx,
    Query(p): Query<RegisterParams>,
) -> ApiResult<Vec<InstitutionRow>> {
    let a = caller.account()?;
    let status = p.status.as_deref().and_then(InstitutionStatus::parse);
    Ok(Json(
        institutions::register(&state.db, a, p.township.as_deref(), status).await?,
    ))
}

pub async fn institution(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<institutions::InstitutionDetail> {
    let a = caller.account()?;
    Ok(Json(institutions::detail(&state.db, a, id).await?))
}

/// The status after the change.
#[derive(Serialize, JsonSchema)]
pub struct InstitutionChanged {
    status: InstitutionStatus,
}

/// Records a status change: `{"status": "注销", "happened_on": "2021-10-08", "document": "溆教发〔2021〕45号"}`.
pub async fn record_change(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<institutions::ChangeForm>,
) -> ApiResult<InstitutionChanged> {
    let a = caller.account()?;
    let status =
        institutions::record_change(&state.db, a, id, &body, state.clock.today(), &caller.source)
            .await?;
    Ok(Json(InstitutionChanged { status }))
}

#[derive(Deserialize, Default)]
pub struct TermParams {
    term: Option<String>,
}

pub async fn after_school(
    Ctx { state, caller }: Ctx,
    Query(p): Query<TermParams>,
) -> ApiResult<after_school::AfterSchoolPicture> {
    let a = caller.account()?;
    let term = match p.term {
        Some(t) => t,
        None => state.clock.current_term().code(),
    };
    Ok(Json(after_school::picture(&state.db, a, &term).await?))
}

/// Records a school's service: `{"school": "…", "term": "2021-autumn", "offered": "是",
/// "days_a_week": "5", "minutes_a_day": "120", "students": "300"}`.
pub async fn save_after_school(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<after_school::ServiceForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    after_school::save(&state.db, a, &body, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

/// The year's `double_reduction.*` and `after_school.*` indicators of the caller's org unit.
#[derive(Serialize, JsonSchema)]
pub struct Figures {
    year: i32,
    /// Counts as integers, rates 0–1 (null when there is nothing to divide by).
    indicators: BTreeMap<String, Option<f64>>,
}

pub async fn indicators(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Figures> {
    let a = caller.account()?;
    let year = p
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&state.clock.today()));
    let values = emis_app::double_reduction::indicators_for(&state.db, a, year).await?;
    let indicators = values
        .into_iter()
        .map(|(code, v)| {
            let n = match v {
                emis_domain::indicators::Value::Count(n) => Some(n as f64),
                emis_domain::indicators::Value::Fen(h)
                | emis_domain::indicators::Value::Hundredths(h) => Some(h as f64 / 100.0),
                emis_domain::indicators::Value::Rate(r) => r.is_finite().then_some(r),
            };
            (code.to_string(), n)
        })
        .collect();
    Ok(Json(Figures { year, indicators }))
}

/// The year's 专项督查: campaigns with their progress, problems by item and one by one.
pub async fn supervision(
    ctx: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<campaigns::CampaignPicture> {
    super::campaigns::picture(ctx, Area::DoubleReduction, p.year).await
}

/// Launches a 专项督查: `{"title": "秋季学期双减工作专项督查", "planned_on": "2021-11-15"}`
/// (the standard checklist unless `checklist` lists items one a line).
pub async fn launch_supervision(
    ctx: Ctx,
    ApiJson(body): ApiJson<campaigns::LaunchForm>,
) -> ApiResult<Created> {
    super::campaigns::launch(ctx, Area::DoubleReduction, body).await
}

/// Records a problem found at a school: `{"inspection": "12", "school": "…", "category":
/// "作业总量与时长", "place": "四年级", "grade": "一般", "description": "…", "found_on":
/// "2021-11-16"}`. It then goes through `/api/v1/safety/hazards/{id}/assign|rectify|close`.
pub async fn record_problem(
    ctx: Ctx,
    ApiJson(body): ApiJson<emis_app::safety::HazardForm>,
) -> ApiResult<Created> {
    super::campaigns::record_problem(ctx, Area::DoubleReduction, body).await
}
