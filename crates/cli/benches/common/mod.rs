//! What the benches share: the demo county in SQLite, kept at `$var` when set (to reuse it
//! between runs), else in a temporary directory; a county of 300 schools for the import
//! benches; the peak memory and the median of timings.
// Each bench uses a part of this file.
#![allow(dead_code)]

pub mod web;

/// The allocator the `emis` binary runs with (its `main.rs`), so that what a bench measures
/// in process is what the server does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use emis_app::{Actor, Db, NoProgress};
use std::time::Instant;

/// The demo county's database (`$var`: a SQLite path or a `postgres://` URL), loaded unless
/// `table` already has rows. The directory must outlive the database.
pub async fn demo_db(var: &str, file: &str, table: &str) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    // A `postgres://` URL measures the same on PostgreSQL.
    let url = match std::env::var(var) {
        Ok(url) if url.starts_with("postgres") => url,
        Ok(path) => format!("sqlite://{path}"),
        Err(_) => format!("sqlite://{}", dir.path().join(file).display()),
    };
    let db = Db::open(&url).await.expect("open");
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
pub fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak resident set to the current one (Linux `clear_refs` 5).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The median of some timings.
pub fn median(mut times: Vec<std::time::Duration>) -> std::time::Duration {
    times.sort();
    times[times.len() / 2]
}

/// Schools of the import benches: 300 九年一贯制 schools, codes 2143100000 on, spread over
/// the county's townships.
pub const SCHOOLS: u32 = 300;

/// Writes the [`SCHOOLS`] as a `schools` import sheet (CSV).
pub fn write_schools(path: &std::path::Path) {
    let mut csv = String::from("学校标识码,学校名称,办学类型,所在乡镇\n");
    let townships = emis_domain::divisions::XUPU.townships;
    for s in 0..SCHOOLS {
        let t = townships[(s as usize) % townships.len()];
        csv.push_str(&format!(
            "{},{}第{}学校,九年一贯制学校,{}\n",
            2143100000 + s,
            t.name,
            s + 1,
            t.name
        ));
    }
    std::fs::write(path, csv).expect("schools csv");
}
