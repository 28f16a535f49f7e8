//! 区域汇总 (`/region`): the main indicators of each county of the account's region, the
//! region's total, and the same table as xlsx (导出).

use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RollupPage {
    chrome: Chrome,
    title: String,
    year: i32,
    years: Vec<i32>,
    headers: Vec<String>,
    /// County rows, then the total.
    rows: Vec<Vec<String>>,
    counties: usize,
}

/// The account's roll-up of a year, shared for a short while by the page, its 导出 and the
/// API ([`crate::fresh`]). The key holds the scope, so a value is only ever one region's;
/// a refusal (a county's account) is not kept.
pub(crate) async fn rollup_of(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
    year: Option<i32>,
) -> Result<std::sync::Arc<emis_app::region::Rollup>, emis_app::AppError> {
    let today = state.clock.today();
    let key = format!("{:?}|{:?}|{year:?}|{today}", account.role, account.scope);
    state
        .rollups
        .get_or(key, || {
            emis_app::region::rollup(&state.db, account, year, today)
        })
        .await
}

pub async fn rollup(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let rollup = rollup_of(&state, account, q.year).await?;
    let title = format!("{}各县主要指标", rollup.region.name);
    let chrome = Chrome::new(&caller, &title, "region", &[("各县主要指标", "/region")])?;
    Ok(render(&RollupPage {
        chrome,
        title,
        year: rollup.year,
        years: rollup.years.clone(),
        headers: rollup.headers(),
        rows: rollup.rows(),
        counties: rollup.counties.len(),
    })?
    .into_response())
}

/// 导出: the page's table, the total last, as one sheet.
pub async fn export(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let rollup = rollup_of(&state, account, q.year).await?;
    emis_app::region::record_export(&state.db, account, &rollup, &account.actor(&caller.source))
        .await?;
    let headers = rollup.headers();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let name = format!("{}{}年各县主要指标.xlsx", rollup.region.name, rollup.year);
    crate::download::sheet(
        "各县主要指标",
        &headers,
        rollup.rows(),
        &format!("region-{}-{}.xlsx", rollup.region.code, rollup.year),
        &name,
    )
}
