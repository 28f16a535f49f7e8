//! 后台任务: long work (a confirmed import, the 户籍 roll and its comparison) runs beside
//! the request; the browser is sent at once to the job's page, which shows a progress bar
//! and refreshes itself until the result page takes its place. A job that makes a file (a
//! county's export, the annual summary) keeps it in a temporary file for its owner to
//! download from that page. Jobs live in the server's memory: a restart forgets them (their
//! work is committed or not, as for a request; their files go with them).

use emis_app::Progress;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Finished jobs are kept this long for their owner to read the result.
const KEPT: Duration = Duration::from_secs(30 * 60);
/// At most this many jobs are kept; the oldest finished ones go first.
const MAX_JOBS: usize = 200;

#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<String, Arc<Job>>>,
    /// Marked when a job ends: its work may have changed what the homes show.
    changes: crate::fresh::Changes,
}

pub struct Job {
    /// The account that started it: the only one that may see it.
    pub owner: String,
    pub title: String,
    started: Instant,
    state: Mutex<JobState>,
}

#[derive(Clone, Default)]
struct JobState {
    stage: String,
    total: u64,
    done: u64,
    result: Option<Finished>,
    finished: Option<Instant>,
}

/// What a finished job left.
#[derive(Clone)]
enum Finished {
    /// A page: its status and html.
    Page(axum::http::StatusCode, String),
    /// A file to download.
    File(Arc<JobFile>),
}

/// A finished job's file, on disk until the job is forgotten.
pub struct JobFile {
    pub content_type: String,
    pub disposition: String,
    /// The name the browser saves it under.
    pub name: String,
    pub size: u64,
    pub file: tempfile::NamedTempFile,
}

/// What the job's page shows.
pub enum Seen {
    Running {
        title: String,
        stage: String,
        /// Done and total of the current stage (total 0: not countable).
        done: u64,
        total: u64,
        seconds: u64,
    },
    Finished(axum::http::StatusCode, String),
    /// Done, with a file to download.
    File {
        title: String,
        name: String,
        size: u64,
        seconds: u64,
    },
}

impl Jobs {
    pub fn new(changes: crate::fresh::Changes) -> Jobs {
        Jobs {
            jobs: Mutex::default(),
            changes,
        }
    }

    /// Starts `work` beside the request and returns the job's id. `work` reports its
    /// progress through the job and ends with the result page.
    pub fn spawn<F, Fut>(self: &Arc<Self>, owner: &str, title: &str, work: F) -> String
    where
        F: FnOnce(Arc<Job>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = axum::response::Response> + Send + 'static,
    {
        let id = emis_app::auth::random_token()[..24].to_string();
        let job = Arc::new(Job {
            owner: owner.to_string(),
            title: title.to_string(),
            started: Instant::now(),
            state: Mutex::new(JobState {
                stage: "排队中".into(),
                ..JobState::default()
            }),
        });
        self.insert(&id, job.clone());
        let changes = self.changes.clone();
        tokio::spawn(async move {
            let response = work(job.clone()).await;
            changes.mark();
            let finished = finished(response).await;
            let mut state = job.lock();
            state.result = Some(finished);
            state.finished = Some(Instant::now());
        });
        id
    }

    fn insert(&self, id: &str, job: Arc<Job>) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.retain(|_, j| j.lock().finished.is_none_or(|f| f.elapsed() < KEPT));
        if jobs.len() >= MAX_JOBS {
            let oldest = jobs
                .iter()
                .filter(|(_, j)| j.lock().finished.is_some())
                .min_by_key(|(_, j)| j.started)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                jobs.remove(&oldest);
            }
        }
        jobs.insert(id.to_string(), job);
    }

    /// The job as its owner sees it; `None` for anyone else or an unknown id.
    pub fn seen(&self, id: &str, username: &str) -> Option<Seen> {
        let job = self.owned(id, username)?;
        let state = job.lock().clone();
        Some(match state.result {
            Some(Finished::Page(status, page)) => Seen::Finished(status, page),
            Some(Finished::File(f)) => Seen::File {
                title: job.title.clone(),
                name: f.name.clone(),
                size: f.size,
                seconds: state
                    .finished
                    .map_or(0, |at| at.duration_since(job.started).as_secs()),
            },
            None => Seen::Running {
                title: job.title.clone(),
                stage: state.stage,
                done: state.done.min(state.total),
                total: state.total,
                seconds: job.started.elapsed().as_secs(),
            },
        })
    }
}

impl Jobs {
    /// The file a finished job of `username` made; `None` for anyone else, an unknown id or
    /// a job without a file.
    pub fn file(&self, id: &str, username: &str) -> Option<Arc<JobFile>> {
        let job = self.owned(id, username)?;
        let state = job.lock();
        match &state.result {
            Some(Finished::File(f)) => Some(f.clone()),
            _ => None,
        }
    }
}

impl Jobs {
    /// The job `id` when `username` started it.
    fn owned(&self, id: &str, username: &str) -> Option<Arc<Job>> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.get(id).filter(|j| j.owner == username).cloned()
    }
}

/// Keeps what a job answered: a response that is an attachment goes to a temporary file,
/// anything else is its page.
async fn finished(response: axum::response::Response) -> Finished {
    use axum::http::header;
    let status = response.status();
    let (disposition, content_type) = {
        let text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        (
            text(header::CONTENT_DISPOSITION).filter(|d| d.starts_with("attachment")),
            text(header::CONTENT_TYPE).unwrap_or_default(),
        )
    };
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    if let (true, Some(disposition)) = (status.is_success(), disposition) {
        let kept = tempfile::NamedTempFile::new()
            .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes).map(|()| f));
        match kept {
            Ok(file) => {
                return Finished::File(Arc::new(JobFile {
                    name: saved_name(&disposition),
                    size: bytes.len() as u64,
                    content_type,
                    disposition,
                    file,
                }))
            }
            Err(e) => {
                tracing::error!(error = %e, "a job's file could not be kept");
                return Finished::Page(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "文件已生成，但无法保存到临时目录，请联系管理员。".into(),
                );
            }
        }
    }
    Finished::Page(status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The real name of a download from its Content-Disposition (`filename*`, else `filename`).
fn saved_name(disposition: &str) -> String {
    if let Some((_, encoded)) = disposition.split_once("filename*=UTF-8''") {
        let encoded = encoded.split(';').next().unwrap_or_default();
        return percent_encoding::percent_decode_str(encoded)
            .decode_utf8_lossy()
            .into_owned();
    }
    disposition
        .split_once("filename=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .unwrap_or("下载文件")
        .to_string()
}

impl Job {
    fn lock(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Progress for Job {
    fn stage(&self, name: &str, total: u64) {
        let mut state = self.lock();
        state.stage = name.to_string();
        state.total = total;
        state.done = 0;
    }

    fn advance(&self, by: u64) {
        let mut state = self.lock();
        state.done = state.done.saturating_add(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_reports_progress_to_its_owner_then_its_result() {
        let jobs = Arc::new(Jobs::default());
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let id = jobs.spawn("xiaoxue", "导入学生", move |job| async move {
            job.stage("校验", 10);
            job.advance(4);
            let _ = wait.await;
            axum::response::IntoResponse::into_response("完成")
        });
        // Only the owner sees it.
        assert!(jobs.seen(&id, "other").is_none());
        assert!(jobs.seen("nothing", "xiaoxue").is_none());
        let mut seen = jobs.seen(&id, "xiaoxue");
        for _ in 0..100 {
            if matches!(&seen, Some(Seen::Running { done: 4, .. })) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            seen = jobs.seen(&id, "xiaoxue");
        }
        match seen {
            Some(Seen::Running {
                stage, done, total, ..
            }) => assert_eq!((stage.as_str(), done, total), ("校验", 4, 10)),
            _ => panic!("running"),
        }
        go.send(()).expect("send");
        for _ in 0..100 {
            if let Some(Seen::Finished(status, page)) = jobs.seen(&id, "xiaoxue") {
                assert_eq!((status.as_u16(), page.as_str()), (200, "完成"));
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("never finished");
    }

    #[tokio::test]
    async fn a_job_that_makes_a_file_keeps_it_for_its_owner() {
        let jobs = Arc::new(Jobs::default());
        let id = jobs.spawn("kezhang", "导出学生名册", |_job| async {
            crate::download::xlsx(b"PK-sheet".to_vec(), "students.xlsx", "学生名册.xlsx")
        });
        for _ in 0..100 {
            if let Some(Seen::File { name, size, .. }) = jobs.seen(&id, "kezhang") {
                assert_eq!((name.as_str(), size), ("学生名册.xlsx", 8));
                let file = jobs.file(&id, "kezhang").expect("the file");
                assert_eq!(std::fs::read(file.file.path()).expect("read"), b"PK-sheet");
                assert!(file.disposition.starts_with("attachment"));
                assert!(jobs.file(&id, "other").is_none(), "only its owner");
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("never finished");
    }
}
