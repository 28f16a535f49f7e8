//! 完成情况: an assignment's completeness overall and by township (with a chart), and every
//! respondent of the account's scope, late and missing first.

use super::{crumbs, shown};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Path;
use axum::response::IntoResponse;
use emis_app::forms::assignments::{self as service, StatusPicture};

#[derive(Template)]
#[template(path = "forms_assignment.html")]
struct AssignmentPage {
    chrome: Chrome,
    s: StatusPicture,
    overall: String,
    townships: Vec<(String, String, usize)>,
    chart: String,
    results: service::Results,
}

pub async fn assignment(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let s = service::status(&state.db, account, id, state.clock.today()).await?;
    let title = format!("{}（{}）", s.assignment.title, s.assignment.period);
    let href = format!("/forms/assignments/{id}");
    let chrome = Chrome::new(&caller, &title, "forms", &[crumbs(), (&title, &href)])?;
    let bars: Vec<(String, u32, u32)> = s
        .by_township
        .iter()
        .map(|(name, c)| (name.clone(), c.assigned as u32, c.submitted as u32))
        .collect();
    let chart = crate::pages::charts::bar_chart("各乡镇填报情况", ["应填", "已提交"], &bars);
    let results = service::results(&state.db, account, id, state.clock.today()).await?;
    Ok(render(&AssignmentPage {
        chrome,
        overall: shown(&s.overall),
        townships: s
            .by_township
            .iter()
            .map(|(name, c)| (name.clone(), shown(c), c.overdue))
            .collect(),
        chart,
        results,
        s,
    })?
    .into_response())
}

/// The results as xlsx: one row per respondent of the account's scope, every field.
pub async fn export_results(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let internal = |e: std::io::Error| {
        crate::error::PageError(crate::error::WebError::Message(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
        ))
    };
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("results.xlsx");
    let today = state.clock.today();
    service::write_results(&state.db, account, id, today, &path, &caller.source).await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(crate::download::xlsx(
        bytes,
        "form-results.xlsx",
        "填报结果.xlsx",
    ))
}
