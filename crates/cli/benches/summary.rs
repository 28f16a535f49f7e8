//! 年度工作总结 benchmark: the whole 2021 summary of the demo county, from its records on
//! SQLite, as docx (target under 2 s) and as html (target under 1 s): every indicator of
//! 2021 and of 2020 (the year-over-year column), the modules without records, the default
//! template rendered and written. Prints each run, the median and best of 5 runs per format
//! and the peak resident memory during each format's runs (VmHWM, reset before them).
//!
//!   cargo bench -p emis --bench summary
//!   EMIS_SUMMARY_BENCH_DB=/tmp/summary.db cargo bench -p emis --bench summary   # keep the demo

mod common;

use emis_app::report::{annual_report, ReportFormat};
use std::time::Instant;

const RUNS: usize = 5;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (_dir, db) = common::demo_db("EMIS_SUMMARY_BENCH_DB", "summary.db", "enrollments").await;
    let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("date");
    for (format, label, target) in [
        (ReportFormat::Docx, "docx", 2.0),
        (ReportFormat::Html, "html", 1.0),
    ] {
        common::reset_peak();
        let before = common::status_kb("VmRSS:").unwrap_or(0);
        let mut times = Vec::new();
        for run in 1..=RUNS {
            let started = Instant::now();
            let bytes = annual_report(&db, "431224", 2021, format, date)
                .await
                .expect("summary");
            let took = started.elapsed();
            println!(
                "run {run}: 2021 summary of the demo county as {label}: {:.3} s ({} bytes)",
                took.as_secs_f64(),
                bytes.len()
            );
            times.push(took);
        }
        let best = times.iter().min().copied().unwrap_or_default();
        println!(
            "{label}: median {:.3} s, best {:.3} s of {RUNS} runs (target < {target} s); peak RSS during the runs {} MB (before {} MB)",
            common::median(times).as_secs_f64(),
            best.as_secs_f64(),
            common::status_kb("VmHWM:").unwrap_or(0) / 1024,
            before / 1024
        );
    }
    db.close().await;
}
