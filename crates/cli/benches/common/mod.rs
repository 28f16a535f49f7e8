//! What the benches share: the demo county in SQLite, kept at `$var` when set (to reuse it
//! between runs), else in a temporary directory.

use emis_app::{Actor, Db, NoProgress};
use std::time::Instant;

/// The demo county's database, loaded unless `table` already has rows. The directory must
/// outlive the database.
pub async fn demo_db(var: &str, file: &str, table: &str) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = std::env::var(var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join(file));
    let db = Db::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    let started = Instant::now();
    if emis_storage::registry::count(&db, table, "431224")
        .await
        .unwrap_or(0)
        == 0
    {
        emis_app::demo::load_demo(&db, 2021, &Actor::cli(), &NoProgress)
            .await
            .expect("demo");
    }
    println!(
        "demo county ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    (dir, db)
}

/// A field of `/proc/self/status` in kB (`VmHWM:` the peak resident set, `VmRSS:` now).
#[allow(dead_code)] // not every bench reads memory
pub fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak resident set to the current one (Linux `clear_refs` 5).
#[allow(dead_code)]
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The median of some timings.
#[allow(dead_code)]
pub fn median(mut times: Vec<std::time::Duration>) -> std::time::Duration {
    times.sort();
    times[times.len() / 2]
}
