//! Inspections and campaigns, and the schools' checklists.

use super::*;
use crate::api::{ApiResult, Created};
use crate::extract::{ApiJson, JsonBody};
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, InspectionRow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Serialize, JsonSchema)]
pub struct Inspections {
    year: i32,
    total: usize,
    items: Vec<InspectionRow>,
}

pub async fn inspections(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Inspections> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::inspections(&state.db, a, queries::Area::Safety, year, None, 5000).await?;
    Ok(Json(Inspections {
        year,
        total: items.len(),
        items,
    }))
}

/// `{"title": "安全隐患大排查大整治", "planned_on": "2021-06-01", "checklist": ["消防设施", …]}`;
/// an empty checklist takes the county's standard one.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct CampaignBody {
    title: String,
    planned_on: String,
    checklist: Vec<String>,
    /// 依据文号; may be empty.
    document: String,
}

pub async fn schedule_campaign(
    Ctx { state, caller }: Ctx,
    ApiJson(b): ApiJson<CampaignBody>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let form = service::LaunchForm {
        title: b.title,
        planned_on: b.planned_on,
        checklist: b.checklist.join("\n"),
        document: b.document,
    };
    let id = service::schedule_campaign(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Created { id }))
}

/// `{"year": 2021, "month": 7}`: the monthly inspection of every school in the scope.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct MonthlyBody {
    year: i32,
    month: u32,
}

pub async fn schedule_monthly(
    Ctx { state, caller }: Ctx,
    ApiJson(b): ApiJson<MonthlyBody>,
) -> ApiResult<Scheduled> {
    let a = caller.account()?;
    let n = service::schedule_monthly(&state.db, a, b.year, b.month, &caller.source).await?;
    Ok(Json(Scheduled { scheduled: n }))
}

/// How many monthly inspections were scheduled.
#[derive(Serialize, JsonSchema)]
pub struct Scheduled {
    scheduled: usize,
}

/// An inspection or campaign with each school's progress on its checklist.
#[derive(Serialize, JsonSchema)]
pub struct Inspection {
    inspection: InspectionRow,
    schools: Vec<service::checklist::SchoolProgress>,
}

/// An inspection or campaign with each school's progress on its checklist.
pub async fn inspection(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<Inspection> {
    let a = caller.account()?;
    let inspection = service::checklist::visible_inspection(&state.db, a, id).await?;
    let schools = service::checklist::progress(&state.db, a, &inspection).await?;
    Ok(Json(Inspection {
        inspection,
        schools,
    }))
}

/// `{"school": "…", "items": ["消防设施", …], "checked_on": "2021-06-08", "note": "…"}`.
pub async fn record_checks(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::checklist::ChecksForm>,
) -> ApiResult<Inspection> {
    let a = caller.account()?;
    service::checklist::visible_inspection(&state.db, a, id).await?;
    let form = body.parse()?;
    service::checklist::record_checks(&state.db, a, id, &form, &caller.source, state.clock.today())
        .await?;
    inspection(Ctx { state, caller }, Path(id)).await
}
