//! 后台任务 page: the progress bar of a job the account started, then its result.

use crate::error::PageResult;
use crate::jobs::Seen;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse};
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

pub async fn job(Ctx { state, caller }: Ctx, Path(id): Path<String>) -> PageResult {
    let account = caller.account()?;
    match state.jobs.seen(&id, &account.username) {
        None => Err(AppError::NotFound.into()),
        Some(Seen::Finished(status, page)) => Ok((status, Html(page)).into_response()),
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
