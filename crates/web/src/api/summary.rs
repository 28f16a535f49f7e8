//! 年度工作总结 JSON API under `/api/v1/reports`: the year's sections, statuses and
//! published versions, and the leadership dashboard's figures.

use super::ApiResult;
use crate::session::Ctx;
use axum::extract::Query;
use axum::Json;
use emis_app::summary::{self as service, Dashboard, SummaryView};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

/// The year's sections as their offices drafted them, their statuses and the published
/// versions (default: the year the bureau is writing about).
pub async fn summary(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<SummaryView> {
    let account = caller.account()?;
    let year = p
        .year
        .unwrap_or_else(|| crate::pages::summary::default_year(state.clock.today()));
    Ok(Json(service::view(&state.db, account, year).await?))
}

/// The summary's figures for a year against the year before (default: this year).
pub async fn dashboard(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Dashboard> {
    use chrono::Datelike;
    let account = caller.account()?;
    let year = p.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(service::dashboard(&state.db, account, year).await?))
}
