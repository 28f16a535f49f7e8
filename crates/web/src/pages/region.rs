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

pub async fn rollup(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let rollup = emis_app::region::rollup(&state.db, account, q.year, state.clock.today()).await?;
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
    let rollup = emis_app::region::rollup(&state.db, account, q.year, state.clock.today()).await?;
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
