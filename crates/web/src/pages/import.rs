//! 网页导入: upload, preview every problem with its row and column (nothing written),
//! then confirm. The same import service as the command line, limited to the account's scope.

use super::terms;
use crate::error::PageResult;
use crate::error::{PageError, WebError};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::imports::{self, ImportKind, ImportOptions, Problem};
use emis_app::uploads::Staging;
use emis_app::NoProgress;
use emis_domain::term::Term;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    terms: Vec<(String, String)>,
    can_import_schools: bool,
    /// The kind and term chosen before a refusal, kept selected.
    kind: String,
    term: String,
    /// Why the upload was refused (shown beside the file field).
    error: String,
    /// 最近导入: the account's own imports of the last 30 days, newest first.
    recent: Vec<RecentImport>,
    /// One of them skipped rows: say what to do.
    any_skipped: bool,
}

/// One line of 最近导入.
struct RecentImport {
    at: String,
    kind: String,
    file: String,
    rows: i64,
    inserted: i64,
    updated: i64,
    refused_rows: i64,
}

pub async fn page(Ctx { state, caller }: Ctx) -> PageResult {
    import_page(&state, &caller, String::new(), String::new(), None).await
}

/// The upload form, again with the refusal beside the file when there is one (422).
async fn import_page(
    state: &AppState,
    caller: &Caller,
    kind: String,
    term: String,
    error: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let mut terms = terms(state, account).await?;
    let next = state.clock.current_term();
    if !terms.iter().any(|(c, _)| *c == next.code()) {
        // Offered, but the default stays the latest term that has data.
        terms.push((next.code(), next.label()));
    }
    let chrome = Chrome::new(
        caller,
        "导入",
        "import",
        &[("学籍管理", "/schools"), ("导入", "/import")],
    )?;
    let recent: Vec<RecentImport> =
        emis_app::imports::recent(&state.db, account, state.clock.today(), 30)
            .await?
            .into_iter()
            .map(|i| RecentImport {
                at: emis_domain::dates::local_time(&i.at),
                kind: emis_domain::audit::entity_label(&i.entity).to_string(),
                file: i.file,
                rows: i.rows,
                inserted: i.inserted,
                updated: i.updated,
                refused_rows: i.refused_rows,
            })
            .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&ImportPage {
            chrome,
            terms,
            can_import_schools: account.scope.is_county(),
            kind,
            term,
            error: error.unwrap_or_default(),
            any_skipped: recent.iter().any(|i| i.refused_rows > 0),
            recent,
        })?,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    summary: String,
    notes: Vec<String>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    upload: String,
    valid: usize,
    done: bool,
    /// The first rows as read (students): coded values as their labels, each document.
    read_as: Option<emis_app::imports::ReadAs>,
}

fn bad(message: impl Into<String>) -> PageError {
    PageError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        message.into(),
    ))
}

/// The staged upload's kind, term and file (`students.2021-autumn.<hex>.xlsx`).
fn parse_upload(state: &AppState, token: &str) -> Option<(ImportKind, Term, PathBuf)> {
    let (kind, term, path) = crate::upload::staged(&state.db, token)?;
    Some((ImportKind::parse(kind)?, Term::parse(term)?, path))
}

async fn run(
    state: &AppState,
    caller: &Caller,
    token: &str,
    dry_run: bool,
    skip_invalid: bool,
    progress: &dyn emis_app::Progress,
) -> PageResult {
    let account = caller.account()?;
    let staging = Staging::of(&state.db);
    let (kind, term, path) =
        parse_upload(state, token).ok_or_else(|| bad("上传的文件已失效，请重新上传"))?;
    if !path.exists() {
        return Err(bad("上传的文件已失效，请重新上传"));
    }
    let options = ImportOptions {
        term: Some(term),
        skip_invalid,
        errors_out: None,
        dry_run,
        scope: Some(account.scope.clone()),
        clock: state.clock,
    };
    let actor = account.actor(&caller.source);
    let source = staging
        .name(token)
        .unwrap_or_else(|| format!("{}.xlsx", kind.label()));
    let report = imports::import_file_as(
        &state.db,
        account.county(),
        kind,
        &path,
        &source,
        &options,
        &actor,
        progress,
    )
    .await
    .map_err(|e| match e {
        // The staging path (and with it the upload's name) is never shown.
        emis_app::AppError::Sheet(emis_io::SheetError::Open { .. }) => {
            tracing::error!(error = %e, "staged upload unreadable");
            bad("上传的文件无法读取，请重新上传")
        }
        other => other.into(),
    });
    if !dry_run {
        // Confirmed (or refused on confirmation): the upload is not needed again.
        staging.remove(token).await;
    }
    let report = report?;
    let done = !dry_run && report.committed;
    let chrome = Chrome::new(
        caller,
        if done { "导入结果" } else { "导入预览" },
        "import",
        &[("导入", "/import")],
    )?;
    let refused = !dry_run && !report.committed && !report.problems.is_empty();
    let done = done || (!dry_run && report.problems.is_empty());
    Ok(render(&PreviewPage {
        chrome,
        summary: if refused {
            format!("{}（导入被拒绝，数据库未改动）", report.summary(kind))
        } else {
            report.summary(kind)
        },
        notes: report.notes.clone(),
        valid: report.valid_rows,
        problems: report.problems,
        warnings: report.warnings,
        upload: token.to_string(),
        done,
        read_as: report.read_as,
    })?
    .into_response())
}

pub async fn preview(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    let (fields, file) = crate::upload::read_fields(multipart).await?;
    let field = |name: &str| crate::upload::value(&fields, name);
    match staged_preview(&state, &caller, &field("kind"), &field("term"), file).await {
        // An ordinary refusal (a picture instead of a sheet, a file too large or unreadable)
        // stays on the upload form, with the reason beside the file.
        Err(e) if e.refusal().is_some() => {
            import_page(&state, &caller, field("kind"), field("term"), e.refusal()).await
        }
        other => other,
    }
}

async fn staged_preview(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    term: &str,
    file: Option<(String, Vec<u8>)>,
) -> PageResult {
    let kind = ImportKind::parse(kind).ok_or_else(|| bad("请选择导入类型"))?;
    let term = Term::parse(term).ok_or_else(|| bad("请选择学期"))?;
    let crate::upload::SheetUpload { name, ext, bytes } =
        crate::upload::sheet_upload(file).map_err(bad)?;
    let token = crate::upload::stage(&state.db, kind.code(), &term.code(), &ext, bytes)
        .await
        .map_err(bad)?;
    // The name only labels the import in the audit log and 最近导入: the last part of what
    // the browser sent, bounded.
    let name: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    if let Err(e) = Staging::of(&state.db).name_as(&token, &name).await {
        tracing::warn!(error = %e, "upload's name not kept");
    }
    let preview = run(state, caller, &token, true, false, &NoProgress).await;
    if preview.is_err() {
        // A file that cannot even be read is not kept for a confirmation.
        Staging::of(&state.db).remove(&token).await;
    }
    preview
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    upload: String,
    skip_invalid: Option<String>,
}

/// 确认导入 runs as a background job: the browser goes at once to the job's page, whose
/// progress bar follows the import's stages until the result page replaces it.
pub async fn confirm(Ctx { state, caller }: Ctx, Form(form): Form<ConfirmForm>) -> PageResult {
    let owner = caller.account()?.username.clone();
    let skip_invalid = form.skip_invalid.is_some();
    let jobs = state.jobs.clone();
    let id = jobs.spawn(&owner, "导入", move |job| async move {
        run(&state, &caller, &form.upload, false, skip_invalid, &*job)
            .await
            .into_response()
    });
    Ok(axum::response::Redirect::to(&format!("/jobs/{id}")).into_response())
}
