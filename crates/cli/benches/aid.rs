//! 学生资助 benchmark: eligibility and all five gap checks for the demo county, two terms
//! (2021 spring and autumn), every policy of the 2021 catalog, read from the database on
//! SQLite (schools, both rolls, the stored catalog and the 2021 payments). Target: under 1 s.
//!
//!   cargo bench -p emis --bench aid

use emis_app::{Actor, Db, NoProgress};
use emis_domain::term::Term;
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("aid.db").display());
    let db = Db::open(&url).await.expect("open");
    let started = Instant::now();
    emis_app::demo::load_demo(&db, 2021, &Actor::cli(), &NoProgress)
        .await
        .expect("demo");
    println!(
        "demo county loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let terms = Term::of_year(2021);
    let mut best = f64::MAX;
    for run in 1..=3 {
        let started = Instant::now();
        let check = emis_app::aid::check(&db, "431224", &terms)
            .await
            .expect("check");
        let secs = started.elapsed().as_secs_f64();
        best = best.min(secs);
        println!(
            "run {run}: eligibility + gaps, 2 terms, every policy, from SQLite: {:.3} s \
             ({} entitlements, {} 人次, missed {}, not eligible {}, duplicates {}, two schools {}, off roll {})",
            secs,
            check.entitlements.len(),
            check.summary.person_times,
            check.gaps.missed.len(),
            check.gaps.not_eligible.len(),
            check.gaps.duplicates.len(),
            check.gaps.two_schools.len(),
            check.gaps.off_roll.len(),
        );
    }
    println!("best wall time: {best:.3} s (target < 1 s)");
    db.close().await;
}
