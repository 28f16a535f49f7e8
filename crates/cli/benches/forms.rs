//! 数据采集 benchmark on the demo county (SQLite):
//! * the completeness of a monthly form sent to every school for 12 months (targets: the
//!   list of every assignment with its completeness, and one month's page, under 100 ms);
//! * a filled county sheet of one row per school taken back (target under 300 ms), each
//!   run on a fresh assignment so every row is written;
//!
//! against counting the term's roll by school (the anchor, measured in the same run).
//! Median and best of 10 runs.
//!
//!   cargo bench -p emis --bench forms
//!   EMIS_FORMS_BENCH_DB=/tmp/forms.db cargo bench -p emis --bench forms   # keep the county

mod common;

use emis_app::auth::Account;
use emis_app::forms::{assignments, sheets};
use emis_domain::access::{Role, Scope};
use std::time::{Duration, Instant};

const RUNS: usize = 10;

fn median(mut d: Vec<Duration>) -> (f64, f64) {
    d.sort();
    (d[d.len() / 2].as_secs_f64() * 1e3, d[0].as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (dir, db) = common::demo_db("EMIS_FORMS_BENCH_DB", "forms.db", "schools").await;
    let county = "431224";
    let office = Account {
        username: "bench".into(),
        display_name: "bench".into(),
        role: Role::Admin,
        org_code: county.into(),
        org_name: county.into(),
        scope: Scope::County {
            county: county.into(),
        },
        must_change_password: false,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("day");
    // The demo sends 晨午检 for September to December; the rest of the year completes 12.
    for month in 1..=8 {
        let send = assignments::SendForm {
            code: "morning_checks".into(),
            period: format!("2021-{month:02}"),
            due_on: format!("2021-{month:02}-28"),
            ..Default::default()
        };
        let _ = assignments::assign(&db, &office, &send, "bench").await;
    }
    let all = assignments::list(&db, &office, today).await.expect("list");
    let monthly: Vec<_> = all
        .iter()
        .filter(|(a, _)| a.code == "morning_checks")
        .collect();
    let tasks: usize = monthly.iter().map(|(_, c)| c.assigned).sum();
    let december = monthly
        .iter()
        .find(|(a, _)| a.period == "2021-12")
        .expect("december")
        .0
        .id;
    let (mut list, mut month, mut anchor) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let started = Instant::now();
        let l = assignments::list(&db, &office, today).await.expect("list");
        list.push(started.elapsed());
        assert!(l.len() >= 15);
        let started = Instant::now();
        let s = assignments::status(&db, &office, december, today)
            .await
            .expect("status");
        month.push(started.elapsed());
        assert!(s.overall.assigned > 250);
        let started = Instant::now();
        let roll = emis_storage::registry::students_on_roll_by_school(&db, county, "2021-autumn")
            .await
            .expect("roll");
        anchor.push(started.elapsed());
        assert!(roll.len() > 250);
    }
    let (roll, _) = median(anchor.clone());
    let (l_med, l_best) = median(list);
    let (m_med, m_best) = median(month);
    println!(
        "completeness of {} monthly assignments ({tasks} tasks) with every other form: median {l_med:.1} ms, \
         best {l_best:.1} ms (target < 100 ms; {:.1}× the roll count {roll:.1} ms)",
        monthly.len(),
        l_med / roll
    );
    println!(
        "one month's completeness page (every school, by township): median {m_med:.1} ms, best {m_best:.1} ms \
         ({:.1}× the roll count)",
        m_med / roll
    );

    // A filled county sheet taken back, one fresh assignment a run (canteens, 2022 on).
    let mut imports = Vec::new();
    let mut rows = 0;
    for run in 0..RUNS {
        let period = (2022 + run).to_string();
        let send = assignments::SendForm {
            code: "canteens".into(),
            period: period.clone(),
            due_on: String::new(),
            ..Default::default()
        };
        assignments::assign(&db, &office, &send, "bench")
            .await
            .expect("send");
        let blank = dir.path().join(format!("blank{run}.csv"));
        sheets::write_template(&db, &office, "canteens", &period, None, &blank)
            .await
            .expect("template");
        let text = std::fs::read_to_string(&blank).expect("read");
        let filled: String = text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 {
                    format!("{line}\n")
                } else {
                    let mut cells: Vec<&str> = line.split(',').take(2).collect();
                    cells.extend(["自营", "300", "8", "8", "是"]);
                    format!("{}\n", cells.join(","))
                }
            })
            .collect();
        let sheet = dir.path().join(format!("filled{run}.csv"));
        std::fs::write(&sheet, filled).expect("write");
        let started = Instant::now();
        let report = sheets::import(
            &db, &office, "canteens", &period, &sheet, false, "bench", today,
        )
        .await
        .expect("import");
        imports.push(started.elapsed());
        assert!(report.committed, "{:?}", report.problems.first());
        rows = report.updated;
    }
    let (i_med, i_best) = median(imports);
    println!(
        "a filled county sheet of {rows} rows taken back: median {i_med:.1} ms, best {i_best:.1} ms \
         (target < 300 ms; {:.1}× the roll count)",
        i_med / roll
    );
}
