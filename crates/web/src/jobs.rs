//! 后台任务: long work (a confirmed import, the 户籍 roll and its comparison) runs beside
//! the request; the browser is sent at once to the job's page, which shows a progress bar
//! and refreshes itself until the result page takes its place. Jobs live in the server's
//! memory: a restart forgets them (their work is committed or not, as for a request).

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
    /// The finished result: its status and page.
    result: Option<(axum::http::StatusCode, String)>,
    finished: Option<Instant>,
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
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let mut state = job.lock();
            state.result = Some((status, body));
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
        let job = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()?;
        if job.owner != username {
            return None;
        }
        let state = job.lock().clone();
        Some(match state.result {
            Some((status, page)) => Seen::Finished(status, page),
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
}
