//! A short-lived cache of figures per scope (the homes' counts and 待办), so that many
//! users landing on their home at once share one computation instead of queueing behind
//! each other's. A value is used while it is younger than its time to live and no change
//! has been made through this server since it was computed: every request that may write
//! (any method but GET and HEAD, except signing in and out) and every background job marks
//! a change when it ends.
//! Changes made elsewhere (the command line, another server) show within the time to live.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a home's figures are reused at most.
pub const HOME_TTL: Duration = Duration::from_secs(60);
/// How long a student list's class walk (`registry::queries::class_walk`) is reused at
/// most: its pages' totals and boundaries lag changes made elsewhere by no more than this.
pub const LIST_TTL: Duration = Duration::from_secs(15);
/// Past this many keys, the stale ones are dropped (a county has a few hundred scopes).
const MAX_KEYS: usize = 2_000;

/// The count of changes made through this server, shared by the caches, the layer that
/// marks a writing request and the background jobs.
#[derive(Clone, Default)]
pub struct Changes(Arc<AtomicU64>);

impl Changes {
    /// Something may have changed: no value computed before now is reused.
    pub fn mark(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    fn seen(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub struct Fresh<V> {
    ttl: Duration,
    /// A value computed under an older count is not reused.
    changes: Changes,
    slots: Mutex<HashMap<String, Arc<Slot<V>>>>,
}

struct Slot<V> {
    made: Instant,
    generation: u64,
    /// Filled once; callers arriving while it is computed wait for that one computation.
    value: tokio::sync::OnceCell<Arc<V>>,
}

impl<V> Fresh<V> {
    pub fn new(ttl: Duration, changes: Changes) -> Fresh<V> {
        Fresh {
            ttl,
            changes,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The value for `key`: the cached one while fresh, else `make`'s (an error is not
    /// cached; the next caller tries again).
    pub async fn get_or<E, F, Fut>(&self, key: String, make: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let slot = self.slot(key);
        slot.value
            .get_or_try_init(|| async { make().await.map(Arc::new) })
            .await
            .cloned()
    }

    fn slot(&self, key: String) -> Arc<Slot<V>> {
        // Read the generation before computing, so that a change made during the
        // computation leaves the value stale rather than current.
        let generation = self.changes.seen();
        let fresh = |s: &Slot<V>| s.generation == generation && s.made.elapsed() < self.ttl;
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get(&key).filter(|s| fresh(s)) {
            return slot.clone();
        }
        if slots.len() >= MAX_KEYS {
            slots.retain(|_, s| fresh(s));
        }
        let slot = Arc::new(Slot {
            made: Instant::now(),
            generation,
            value: tokio::sync::OnceCell::new(),
        });
        slots.insert(key, slot.clone());
        slot
    }
}

/// The layer that marks a change when a request that may write has been answered.
pub async fn mark_writes(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Signing in and out and changing one's password change no figure: a morning of
    // logins must not keep every home recomputing.
    let writes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) && !matches!(request.uri().path(), "/login" | "/logout" | "/password");
    let response = next.run(request).await;
    if writes {
        state.changes.mark();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn count(fresh: &Fresh<usize>, key: &str, calls: &AtomicUsize) -> usize {
        let v: Result<Arc<usize>, ()> = fresh
            .get_or(key.to_string(), || async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(calls.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await;
        *v.expect("value")
    }

    #[tokio::test]
    async fn callers_at_once_share_one_computation_until_a_change() {
        let changes = Changes::default();
        let fresh = Fresh::new(Duration::from_secs(60), changes.clone());
        let calls = AtomicUsize::new(0);
        let (a, b, c) = tokio::join!(
            count(&fresh, "county", &calls),
            count(&fresh, "county", &calls),
            count(&fresh, "county", &calls)
        );
        assert_eq!((a, b, c), (1, 1, 1));
        // Another scope is its own value.
        assert_eq!(count(&fresh, "township", &calls).await, 2);
        assert_eq!(count(&fresh, "county", &calls).await, 1);
        changes.mark();
        assert_eq!(count(&fresh, "county", &calls).await, 3);
        assert_eq!(count(&fresh, "county", &calls).await, 3);
    }

    #[tokio::test]
    async fn a_value_is_not_reused_past_its_time_nor_after_an_error() {
        let fresh = Fresh::new(Duration::from_millis(30), Changes::default());
        let calls = AtomicUsize::new(0);
        assert_eq!(count(&fresh, "county", &calls).await, 1);
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(count(&fresh, "county", &calls).await, 2);

        let failed: Result<Arc<usize>, &str> = fresh
            .get_or("school".into(), || async { Err("数据库忙") })
            .await;
        assert_eq!(failed, Err("数据库忙"));
        assert_eq!(count(&fresh, "school", &calls).await, 3);
    }
}
