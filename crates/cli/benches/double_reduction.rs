//! 双减 benchmark on the demo county (SQLite): every `double_reduction.*` and `after_school.*`
//! indicator of the county from the database (target under 100 ms), against counting the
//! term's roll alone (the anchor measured in the same run). Median and best of 10 runs.
//!
//!   cargo bench -p emis --bench double_reduction
//!   EMIS_DR_BENCH_DB=/tmp/dr.db cargo bench -p emis --bench double_reduction   # keep the county

mod common;

use std::time::{Duration, Instant};

const RUNS: usize = 10;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (_dir, db) = common::demo_db("EMIS_DR_BENCH_DB", "dr.db", "schools").await;
    let county = "431224";
    let (mut figures, mut anchor): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    let mut last = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        last = emis_app::double_reduction::indicators(&db, county, 2021)
            .await
            .expect("indicators");
        figures.push(started.elapsed());
        let started = Instant::now();
        let roll = emis_storage::registry::students_on_roll_by_school(&db, county, "2021-autumn")
            .await
            .expect("roll");
        anchor.push(started.elapsed());
        assert!(roll.len() > 250);
    }
    figures.sort();
    anchor.sort();
    let (median, best, roll) = (figures[RUNS / 2], figures[0], anchor[RUNS / 2]);
    println!(
        "双减 indicators of the county: median {:.1} ms, best {:.1} ms of {RUNS} (target < 100 ms); \
         counting the autumn roll by school alone {:.1} ms ({:.1}×)",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        roll.as_secs_f64() * 1e3,
        median.as_secs_f64() / roll.as_secs_f64()
    );
    for (code, value) in last {
        println!("  {code} = {}", value.to_json());
    }
}
