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
