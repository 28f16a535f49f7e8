//! 绩效目标管理评估 benchmark on the demo county (SQLite): every school of the county (304)
//! scored on a 30-item scheme (the 5 system metrics read from the year's records and 25
//! items scored by inspectors, every school scored on each) and ranked, target under
//! 500 ms; and a school's page of the published results, against counting the term's roll
//! by school (the anchor, measured in the same run). Median and best of 10 runs, and the
//! peak resident memory (VmHWM, reset before the runs).
//!
//! The scheme and scores are written on the demo's 2021 straight through storage: the
//! published 2021 freezes them for the office's pages, not for the bench.
//!
//!   cargo bench -p emis --bench assessment
//!   EMIS_ASSESSMENT_BENCH_DB=/tmp/assessment.db cargo bench -p emis --bench assessment

mod common;

use emis_app::supervision::assessment;
use emis_domain::access::{Role, Scope};
use emis_domain::supervision::assessment::{default_scheme, Item, Source};
use emis_storage::supervision as store;
use std::time::{Duration, Instant};

const RUNS: usize = 10;
const INSPECTOR_ITEMS: usize = 25;
const YEAR: i32 = 2021;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (_dir, db) = common::demo_db("EMIS_ASSESSMENT_BENCH_DB", "assessment.db", "schools").await;
    let county = "431224";
    // The default scheme's system items (40 points) and 25 inspector items of 2.4 points.
    let mut items: Vec<Item> = default_scheme()
        .into_iter()
        .filter(|i| i.source != Source::Inspector)
        .collect();
    for n in 1..=INSPECTOR_ITEMS {
        items.push(Item {
            name: format!("督学评分项{n:02}"),
            weight: 2.4,
            source: Source::Inspector,
        });
    }
    assert_eq!(items.len(), 30);
    let schools = emis_storage::registry::schools(&db, county)
        .await
        .expect("schools");
    let scores: Vec<store::Score> = schools
        .iter()
        .enumerate()
        .flat_map(|(s, school)| {
            (1..=INSPECTOR_ITEMS).map(move |n| store::Score {
                school_code: school.code.clone(),
                item: format!("督学评分项{n:02}"),
                score: 120 + ((s * 7 + n * 13) % 121) as i64,
                note: None,
            })
        })
        .collect();
    let mut tx = db.begin().await.expect("tx");
    let json = serde_json::to_string(&items).expect("json");
    store::save_scheme(&mut tx, county, YEAR, &json, None, "bench")
        .await
        .expect("scheme");
    store::save_scores(&mut tx, county, YEAR, &scores, "bench")
        .await
        .expect("scores");
    emis_storage::commit(tx).await.expect("commit");

    let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("day");
    let principal = account(
        Role::SchoolAdmin,
        Scope::School {
            county: county.into(),
            school: schools[schools.len() / 2].code.clone(),
        },
    );
    common::reset_peak();
    let (mut computed, mut page, mut anchor) = (Vec::new(), Vec::new(), Vec::new());
    let mut ranked = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let c = assessment::compute_figures(&db, county, YEAR, today)
            .await
            .expect("compute");
        computed.push(started.elapsed());
        assert_eq!(c.items.len(), 30);
        assert!(c.results.iter().all(|r| r.unscored == 0));
        ranked = c.results.len();
        let started = Instant::now();
        let own = assessment::results(&db, &principal, YEAR)
            .await
            .expect("results");
        page.push(started.elapsed());
        assert_eq!(own.results.len(), 1);
        let started = Instant::now();
        let roll = emis_storage::registry::students_on_roll_by_school(&db, county, "2021-autumn")
            .await
            .expect("roll");
        anchor.push(started.elapsed());
        assert!(roll.len() > 250);
    }
    let peak = common::status_kb("VmHWM:").unwrap_or(0) / 1024;
    let best = |d: &[Duration]| ms(*d.iter().min().expect("runs"));
    let (c_best, p_best) = (best(&computed), best(&page));
    let roll = ms(common::median(anchor));
    let (c, p) = (ms(common::median(computed)), ms(common::median(page)));
    println!(
        "{ranked} schools × 30 items computed from the records and ranked: median {c:.1} ms, best {c_best:.1} ms \
         (target < 500 ms; {:.1}× the roll count {roll:.1} ms)",
        c / roll
    );
    println!(
        "a school's page of the published results: median {p:.1} ms, best {p_best:.1} ms ({:.1}× the roll count)",
        p / roll
    );
    println!("peak resident memory over the runs: {peak} MB");
}

fn account(role: Role, scope: Scope) -> emis_app::auth::Account {
    emis_app::auth::Account {
        username: "bench".into(),
        display_name: "bench".into(),
        role,
        org_code: scope.county().into(),
        org_name: scope.county().into(),
        scope,
        must_change_password: false,
    }
}
