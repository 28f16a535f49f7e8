//! 学生资助 benchmark: eligibility and all five gap checks for the demo county, two terms
//! (2021 spring and autumn), every policy of the 2021 catalog, read from the database on
//! SQLite (schools, both rolls, the stored catalog and the 2021 payments). Target: under 1 s.
//!
//! Prints each run's wall time split into reading (schools, catalog, rolls, payments) and
//! the pure evaluation, the median and best of 5 runs, and the peak resident memory during
//! the runs (VmHWM, reset before them).
//!
//! Then the batch statuses a payment import recomputes: every batch of the term the
//! payments are for, matched against the stored payments (read-only, one new payment).
//!
//!   cargo bench -p emis --bench aid
//!   EMIS_AID_BENCH_DB=/tmp/aid.db cargo bench -p emis --bench aid   # keep the demo database

mod common;

use common::status_kb;
use emis_app::{Actor, Db, NoProgress};
use emis_domain::term::Term;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = std::env::var("EMIS_AID_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("aid.db"));
    let url = format!("sqlite://{}", path.display());
    let db = Db::open(&url).await.expect("open");
    let started = Instant::now();
    let county = "431224";
    let loaded = emis_storage::registry::count(&db, "enrollments", county)
        .await
        .unwrap_or(0);
    if loaded == 0 {
        emis_app::demo::load_demo(&db, 2021, &Actor::cli(), &NoProgress)
            .await
            .expect("demo");
    }
    println!(
        "demo county ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let terms = Term::of_year(2021);
    let rss_before = status_kb("VmRSS:").unwrap_or(0);
    // Linux `clear_refs` 5 resets the peak to the current resident set.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let mut totals: Vec<Duration> = Vec::new();
    for run in 1..=RUNS {
        let started = Instant::now();
        let check = emis_app::aid::check(&db, county, &terms)
            .await
            .expect("check");
        let total = started.elapsed();
        // The same work split in two, to see where the time goes.
        let started = Instant::now();
        let schools = emis_storage::registry::schools(&db, county)
            .await
            .expect("schools");
        let policies = emis_app::aid::catalog(&db, county, 2021)
            .await
            .expect("catalog");
        let (roll, payments) = emis_storage::aid::check_inputs(&db, county, &terms)
            .await
            .expect("inputs");
        let read = started.elapsed();
        let started = Instant::now();
        let again = emis_app::aid::evaluate(&policies, &roll, &schools, &payments);
        let evaluate = started.elapsed();
        assert_eq!(again.entitlements.len(), check.entitlements.len());
        totals.push(total);
        println!(
            "run {run}: eligibility + gaps, 2 terms, every policy, from SQLite: {:.3} s \
             (read {:.3} s + evaluate {:.3} s when split; {} roll records, {} payments; \
             {} entitlements, {} 人次, missed {}, not eligible {}, duplicates {}, two schools {}, off roll {})",
            total.as_secs_f64(),
            read.as_secs_f64(),
            evaluate.as_secs_f64(),
            roll.len(),
            payments.len(),
            check.entitlements.len(),
            check.summary.person_times,
            check.gaps.missed.len(),
            check.gaps.not_eligible.len(),
            check.gaps.duplicates.len(),
            check.gaps.two_schools.len(),
            check.gaps.off_roll.len(),
        );
    }
    totals.sort();
    println!(
        "median {:.3} s, best {:.3} s of {RUNS} runs (target < 1 s); peak RSS during the runs {} MB (before {} MB)",
        totals[RUNS / 2].as_secs_f64(),
        totals[0].as_secs_f64(),
        status_kb("VmHWM:").unwrap_or(0) / 1024,
        rss_before / 1024,
    );
    let sample = emis_storage::aid::payment_rows(&db, county, Some("2021-autumn"))
        .await
        .expect("payments");
    let mut new = sample[0].clone();
    new.row_key = "bench".into();
    let batches = emis_storage::aid::batches(&db, county)
        .await
        .expect("batches")
        .iter()
        .filter(|b| b.term == "2021-autumn")
        .count();
    let started = Instant::now();
    let changes = emis_app::aid::batch_status_changes(&db, county, &[new])
        .await
        .expect("statuses");
    println!(
        "batch statuses for a payment import of 2021-autumn: {batches} batches matched against {} payments in {:.3} s ({} would change)",
        sample.len(),
        started.elapsed().as_secs_f64(),
        changes.len()
    );
    db.close().await;
}
