//! 双减 pages: the training-institution register with each institution's history and its
//! status form (`institutions`), after-school service with its rates, chart and the schools'
//! form (`after_school`), the 五项管理 self-checks (`five`) and the 专项督查 (the campaign
//! desk of area 双减, `pages::campaigns`): the same parts as in app and storage.

pub mod after_school;
pub mod five;
pub mod institutions;

pub use self::{after_school::*, five::*, institutions::*};

use crate::pages::campaigns;
use emis_app::safety::campaigns::LaunchForm;
use emis_app::safety::HazardForm;
use emis_domain::safety::Area;

/// 专项督查: the 双减 office's campaign desk.
pub async fn supervision(ctx: Ctx, q: Query<campaigns::YearQuery>) -> PageResult {
    campaigns::show(ctx, Area::DoubleReduction, q).await
}

pub async fn launch_supervision(ctx: Ctx, form: axum::Form<LaunchForm>) -> PageResult {
    campaigns::launch(ctx, Area::DoubleReduction, form).await
}

pub async fn record_problem(ctx: Ctx, form: axum::Form<HazardForm>) -> PageResult {
    campaigns::record_problem(ctx, Area::DoubleReduction, form).await
}

fn crumbs() -> (&'static str, &'static str) {
    ("双减", "/double-reduction")
}

use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "double_reduction.html")]
struct OverviewPage {
    chrome: Chrome,
    year: i32,
    /// (name, code, value as shown) for the scope's org unit.
    figures: Vec<(&'static str, &'static str, String)>,
}

/// The year's 双减 figures of the account's own org unit (county, township or school).
pub async fn overview(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = q.year.unwrap_or_else(|| {
        let today = state.clock.today();
        chrono::Datelike::year(&today)
    });
    let figures = emis_app::double_reduction::indicators_for(&state.db, account, year)
        .await?
        .into_iter()
        .filter_map(|(code, value)| {
            let i = emis_domain::indicators::find(code)?;
            let shown = match value {
                emis_domain::indicators::Value::Rate(r) => after_school::pct(r),
                other => other.display(),
            };
            Some((i.name, i.code, shown))
        })
        .collect();
    let chrome = Chrome::new(
        &caller,
        &format!("{}双减", account.org_name),
        "double_reduction",
        &[crumbs()],
    )?;
    Ok(render(&OverviewPage {
        chrome,
        year,
        figures,
    })?
    .into_response())
}
