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

pub async fn import(Ctx { state, caller }: Ctx, mut multipart: Multipart) -> PageResult {
    let account = caller.account()?;
    let mut as_of = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        match field.name() {
            Some("as_of") => {
                as_of = emis_domain::dates::parse_date(&field.text().await.unwrap_or_default())
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| crate::error::upload_refusal(e.status()))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let as_of = as_of.ok_or_else(|| bad("请填写名册日期，如 2021-09-15"))?;
    let (name, bytes) = file
        .filter(|(n, b)| !n.is_empty() && !b.is_empty())
        .ok_or_else(|| bad("请选择要上传的文件"))?;
    let ext = name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let looks_right = match ext.as_str() {
        "xlsx" => bytes.starts_with(b"PK"),
        "csv" => !bytes.contains(&0),
        _ => false,
    };
    if !looks_right {
        return Err(bad("只支持 .xlsx 或 .csv 文件"));
    }
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
