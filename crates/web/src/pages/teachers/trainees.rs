//! 公费定向师范生: the trainees of the scope with their standing, warnings first.

use super::crumbs;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::teachers::trainees::{self as service, TraineeView};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TraineesQuery {
    year: Option<i64>,
}

#[derive(Template)]
#[template(path = "teachers_trainees.html")]
struct TraineesPage {
    chrome: Chrome,
    year: String,
    rows: Vec<TraineeView>,
    warnings: usize,
    /// (standing, count) in the order of the standings.
    standings: Vec<(&'static str, usize)>,
}

pub async fn trainees(Ctx { state, caller }: Ctx, Query(q): Query<TraineesQuery>) -> PageResult {
    let account = caller.account()?;
    let rows = service::list(&state.db, account, q.year, state.clock.today()).await?;
    let standings = emis_domain::teachers::funded::TraineeStanding::ALL
        .iter()
        .map(|s| {
            (
                s.label(),
                rows.iter().filter(|r| r.obligation.standing == *s).count(),
            )
        })
        .collect();
    let chrome = Chrome::new(
        &caller,
        "公费定向师范生",
        "trainees",
        &[crumbs(), ("公费定向师范生", "/teachers/trainees")],
    )?;
    Ok(render(&TraineesPage {
        chrome,
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        warnings: rows
            .iter()
            .filter(|r| r.obligation.standing.is_warning())
            .count(),
        standings,
        rows,
    })?
    .into_response())
}
