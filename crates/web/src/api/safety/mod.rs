//! 安全管理 JSON API under `/api/v1/safety`: the same services and scope as the pages.
//! Bodies are JSON; a refused step answers 422 with the field and the reason in Chinese.

use super::ApiResult;
use crate::error::ApiError;
use crate::session::Ctx;
use crate::AppState;
use axum::extract::Query;
use axum::Json;
use emis_app::safety as service;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod chain;
mod hazards;
mod inspections;
mod letters;
mod patrols;
mod roster;
mod ten_haves;
mod waters;

pub use self::{
    chain::*, hazards::*, inspections::*, letters::*, patrols::*, roster::*, ten_haves::*,
    waters::*,
};

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

pub(super) async fn year_of(
    state: &AppState,
    county: &str,
    year: Option<i32>,
) -> Result<i32, ApiError> {
    Ok(match year {
        Some(y) => y,
        None => service::default_year(&state.db, county, state.clock.today()).await?,
    })
}

pub async fn dashboard(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<DashboardOfYear> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let dashboard = service::dashboard_of_year(&state.db, a, state.clock.today(), year).await?;
    Ok(Json(DashboardOfYear { year, dashboard }))
}

#[derive(Serialize, JsonSchema)]
pub struct DashboardOfYear {
    year: i32,
    dashboard: service::Dashboard,
}

/// A township's drowning-prevention coverage of the year.
#[derive(Serialize, JsonSchema)]
pub struct TownshipRates {
    township: String,
    township_name: String,
    dangerous_waters: usize,
    equipped_waters: usize,
    /// null: no dangerous water (无数据).
    equipped_rate: Option<f64>,
    patrol_required: u32,
    patrol_compliant: u32,
    /// null: no patrol due.
    patrol_rate: Option<f64>,
    on_roll: i64,
    letters_signed: i64,
    /// null: no pupil on the roll.
    letter_rate: Option<f64>,
}

/// A school's letters signed and 十有 items done.
#[derive(Serialize, JsonSchema)]
pub struct SchoolRates {
    school: String,
    school_name: String,
    township: String,
    on_roll: i64,
    letters_signed: i64,
    /// null: no pupil on the roll.
    letter_rate: Option<f64>,
    ten_haves_done: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct Coverage {
    year: i32,
    townships: Vec<TownshipRates>,
    schools: Vec<SchoolRates>,
}

pub async fn coverage(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Coverage> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (c, schools) = service::coverage_by_level(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    let townships = c
        .into_iter()
        .map(|t| TownshipRates {
            equipped_rate: t.equipped_rate(),
            patrol_rate: t.patrol_rate(),
            letter_rate: t.letter_rate(),
            township: t.township_code,
            township_name: t.township_name,
            dangerous_waters: t.dangerous_waters,
            equipped_waters: t.equipped_waters,
            patrol_required: t.patrol_required,
            patrol_compliant: t.patrol_compliant,
            on_roll: t.on_roll,
            letters_signed: t.signed,
        })
        .collect();
    let schools = schools
        .into_iter()
        .map(|s| SchoolRates {
            letter_rate: s.letter_rate(),
            school: s.school_code,
            school_name: s.school_name,
            township: s.township_code,
            on_roll: s.on_roll,
            letters_signed: s.signed,
            ten_haves_done: s.ten_haves_done,
        })
        .collect();
    Ok(Json(Coverage {
        year,
        townships,
        schools,
    }))
}

// ---------------------------------------------------------------- writes beyond the hazard workflow

/// A multipart body's text fields and its file, refused next to `file` when there is none.
pub(super) async fn multipart_with_file(
    state: &AppState,
    request: axum::extract::Request,
) -> Result<(Vec<(String, String)>, (String, Vec<u8>)), ApiError> {
    let (fields, file) = crate::upload::read_multipart(state, request)
        .await
        .map_err(ApiError)?;
    let file = file.ok_or_else(|| {
        ApiError::from(emis_app::AppError::Invalid {
            field: "file",
            message: "请选择要上传的照片或 PDF".into(),
        })
    })?;
    Ok((fields, file))
}
