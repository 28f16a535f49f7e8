//! 人口名单 upload: the population roll import with the comparison (三比对).

use super::bad;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Multipart;
use axum::response::IntoResponse;
use emis_app::dropout as service;

#[derive(Template)]
#[template(path = "dropout_import.html")]
struct ImportResultPage {
    chrome: Chrome,
    lines: Vec<String>,
    problems: Vec<String>,
    warnings: Vec<String>,
    committed: bool,
}

pub async fn import(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    let account = caller.account()?;
    let (fields, file) = crate::upload::read_fields(multipart).await?;
    let as_of = emis_domain::dates::parse_date(&crate::upload::value(&fields, "as_of"))
        .ok_or_else(|| bad("请填写名册日期，如 2021-09-15"))?;
    let crate::upload::SheetUpload { name, ext, bytes } =
        crate::upload::sheet_upload(file).map_err(bad)?;
    let dir = tempfile::tempdir().map_err(|e| bad(e.to_string()))?;
    let path = dir.path().join(format!("population.{ext}"));
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(|e| bad(e.to_string()))?;
    let table = emis_io::read_table(&path, service::POPULATION_COLUMNS)
        .map_err(emis_app::AppError::from)?;
    let report = service::import_population(
        &state.db,
        account.county(),
        table,
        &name,
        as_of,
        None,
        false,
        Some(&account.scope),
        &account.actor(&caller.source),
    )
    .await?;
    let mut lines = report.import.notes.clone();
    if report.import.problems.is_empty() {
        lines.push(format!(
            "名册日期{}，比对{}学籍，共{}行",
            report.snapshot_date, report.term, report.import.rows
        ));
        lines.extend(report.ledger_lines());
        lines.push(format!("新建一人一案：{}件", report.cases_created));
    } else {
        lines.push(format!(
            "导入被拒绝：共{}处问题，数据库未作任何改动。",
            report.import.problems.len()
        ));
    }
    let chrome = Chrome::new(
        &caller,
        "户籍适龄人口导入结果",
        "dropout",
        &[("控辍保学", "/dropout")],
    )?;
    Ok(render(&ImportResultPage {
        chrome,
        lines,
        problems: report
            .import
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect(),
        warnings: report
            .import
            .warnings
            .iter()
            .map(|p| p.to_string())
            .collect(),
        committed: report.import.committed,
    })?
    .into_response())
}
