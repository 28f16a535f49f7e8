//! 区域汇总 JSON API: the roll-up of the caller's region (市州/省教育局 accounts).

use super::ApiResult;
use crate::session::Ctx;
use axum::extract::Query;
use axum::Json;
use emis_app::region::Rollup;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

/// Each county's main indicators of the year and the region's total (default: the latest
/// year with a roll).
pub async fn rollup(Ctx { state, caller }: Ctx, Query(p): Query<YearParams>) -> ApiResult<Rollup> {
    let a = caller.account()?;
    let rollup = crate::pages::region::rollup_of(&state, a, p.year).await?;
    Ok(Json(rollup.as_ref().clone()))
}
