//! 人口名单 upload: the population roll previewed (every refused row by row and column, the
//! comparison's counts, nothing written), then confirmed as a background job that imports
//! it and compares it with the roll (三比对), its progress shown until the result.

use super::bad;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::NaiveDate;
use emis_app::dropout as service;
use emis_app::uploads::Staging;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "dropout_import.html")]
struct ImportResultPage {
    chrome: Chrome,
    lines: Vec<String>,
    problems: Vec<String>,
    warnings: Vec<String>,
    committed: bool,
    /// The staged upload to confirm (a preview without refused rows), else empty, and the
    /// file's name, kept with the snapshot as its source.
    upload: String,
    name: String,
}

/// The staged roll's date and file (`population.2021-09-15.<hex>.xlsx`).
fn staged(state: &AppState, token: &str) -> Option<(NaiveDate, std::path::PathBuf)> {
    match crate::upload::staged(&state.db, token)? {
        ("population", as_of, path) => Some((emis_domain::dates::parse_date(as_of)?, path)),
        _ => None,
    }
}

/// Reads the staged roll and imports it (or, `dry_run`, only checks and compares it).
async fn run(
    state: &AppState,
    caller: &Caller,
    token: &str,
    name: &str,
    dry_run: bool,
) -> PageResult {
    let account = caller.account()?;
    let (as_of, path) = staged(state, token)
        .filter(|(_, path)| path.exists())
        .ok_or_else(|| bad("上传的文件已失效，请重新上传"))?;
    let table = emis_io::read_table(&path, service::POPULATION_COLUMNS)
        .map_err(emis_app::AppError::from)?;
    let report = service::import_population(
        &state.db,
        account.county(),
        table,
        name,
        as_of,
        None,
        dry_run,
        Some(&account.scope),
        &account.actor(&caller.source),
    )
    .await;
    let refused = report
        .as_ref()
        .map_or(true, |r| !r.import.problems.is_empty());
    if !dry_run || refused {
        // Confirmed, or not confirmable: the upload is not needed again.
        Staging::of(&state.db).remove(token).await;
    }
    let report = report?;
    let mut lines = report.import.notes.clone();
    if report.import.problems.is_empty() {
        lines.push(format!(
            "{}名册日期{}，比对{}学籍，共{}行",
            if dry_run {
                "预览（尚未写入）："
            } else {
                ""
            },
            report.snapshot_date,
            emis_domain::term::Term::label_of(&report.term),
            report.import.rows
        ));
        lines.extend(report.ledger_lines());
        if !dry_run {
            lines.push(format!("新建一人一案：{}件", report.cases_created));
        }
    } else {
        lines.push(format!(
            "导入被拒绝：共{}处问题，数据库未作任何改动。请改正后重新上传。",
            report.import.problems.len()
        ));
    }
    let chrome = Chrome::new(
        caller,
        if dry_run {
            "户籍适龄人口导入预览"
        } else {
            "户籍适龄人口导入结果"
        },
        "dropout",
        &[("控辍保学", "/dropout")],
    )?;
    let confirmable = dry_run && !refused;
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
        upload: if confirmable {
            token.to_string()
        } else {
            String::new()
        },
        name: name.to_string(),
    })?
    .into_response())
}

/// The upload: kept for the confirmation and previewed.
pub async fn import(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    caller.account()?;
    let (fields, file) = crate::upload::read_fields(multipart).await?;
    let as_of = emis_domain::dates::parse_date(&crate::upload::value(&fields, "as_of"))
        .ok_or_else(|| bad("请填写名册日期，如 2021-09-15"))?;
    let crate::upload::SheetUpload { name, ext, bytes } =
        crate::upload::sheet_upload(file).map_err(bad)?;
    let token = crate::upload::stage(&state.db, "population", &as_of.to_string(), &ext, bytes)
        .await
        .map_err(bad)?;
    let preview = run(&state, &caller, &token, &name, true).await;
    if preview.is_err() {
        Staging::of(&state.db).remove(&token).await;
    }
    preview
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    upload: String,
    #[serde(default)]
    name: String,
}

/// 确认导入: the import and comparison run as a background job; the browser goes to its
/// progress page, which the result page replaces.
pub async fn confirm(Ctx { state, caller }: Ctx, Form(form): Form<ConfirmForm>) -> PageResult {
    let owner = caller.account()?.username.clone();
    if staged(&state, &form.upload).is_none() {
        return Err(bad("上传的文件已失效，请重新上传"));
    }
    let jobs = state.jobs.clone();
    let id = jobs.spawn(
        &owner,
        "导入户籍适龄人口名册并比对",
        move |job| async move {
            emis_app::Progress::stage(&*job, "读取名册、比对学籍并开立个案", 0);
            // The name only labels the snapshot: a long one is cut, not refused.
            let name: String = form.name.chars().take(120).collect();
            run(&state, &caller, &form.upload, &name, false)
                .await
                .into_response()
        },
    );
    Ok(Redirect::to(&format!("/jobs/{id}")).into_response())
}
