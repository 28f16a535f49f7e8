//! 后台任务 page: the progress bar of a job the account started, then its result: a page,
//! or a file to download.

use crate::error::PageResult;
use crate::jobs::Seen;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect};
use emis_app::AppError;

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    chrome: Chrome,
    title: String,
    stage: String,
    done: u64,
    total: u64,
    percent: u64,
    seconds: u64,
}

#[derive(Template)]
#[template(path = "job_file.html")]
struct FilePage {
    chrome: Chrome,
    id: String,
    title: String,
    name: String,
    size: String,
    seconds: u64,
}

pub async fn job(Ctx { state, caller }: Ctx, Path(id): Path<String>) -> PageResult {
    let account = caller.account()?;
    match state.jobs.seen(&id, &account.username) {
        None => Err(AppError::NotFound.into()),
        Some(Seen::Finished(status, page)) => Ok((status, Html(page)).into_response()),
        Some(Seen::File {
            title,
            name,
            size,
            seconds,
        }) => {
            let chrome = Chrome::new(&caller, "处理进度", "", &[])?;
            Ok(render(&FilePage {
                chrome,
                id,
                title,
                name,
                size: shown_size(size),
                seconds,
            })?
            .into_response())
        }
        Some(Seen::Running {
            title,
            stage,
            done,
            total,
            seconds,
        }) => {
            let chrome = Chrome::new(&caller, "处理进度", "", &[])?;
            Ok(render(&JobPage {
                chrome,
                percent: (done * 100).checked_div(total).unwrap_or(0),
                title,
                stage,
                done,
                total,
                seconds,
            })?
            .into_response())
        }
    }
}

/// The file a finished job made, to its owner.
pub async fn download(Ctx { state, caller }: Ctx, Path(id): Path<String>) -> PageResult {
    let account = caller.account()?;
    let kept = state
        .jobs
        .file(&id, &account.username)
        .ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(kept.file.path())
        .await
        .map_err(super::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, kept.content_type.clone()),
            (header::CONTENT_DISPOSITION, kept.disposition.clone()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// How long a download's making is expected to be.
pub enum Making {
    /// A list of this many rows: past the state's `download_job_rows`, a job.
    Rows(i64),
    /// Always long (the annual summary computed from the records): a job.
    Long,
}

/// Answers a download at once when it is quick to make; a longer one runs as the
/// account's background job and the browser goes to its progress page, where the file
/// waits when it is made.
pub async fn download_or_job<F, Fut>(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
    making: Making,
    title: &str,
    make: F,
) -> PageResult
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = PageResult> + Send + 'static,
{
    let stage = match making {
        Making::Rows(rows) if rows <= state.download_job_rows => return make().await,
        Making::Rows(rows) => format!("正在生成（{rows} 行）"),
        Making::Long => "正在由记录计算并生成".to_string(),
    };
    let id = state
        .jobs
        .spawn(&account.username, title, move |job| async move {
            emis_app::Progress::stage(&*job, &stage, 0);
            match make().await {
                Ok(response) => response,
                Err(e) => e.into_response(),
            }
        });
    Ok(Redirect::to(&format!("/jobs/{id}")).into_response())
}

/// 1.2 MB, 35 KB.
fn shown_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1 << 10))
    }
}
