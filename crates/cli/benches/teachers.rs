//! 教师队伍 benchmark on the demo county (SQLite): importing a training sheet of 40,000
//! participant rows (target under 2 s), against reading and checking the same sheet alone
//! (`--dry-run`, the anchor measured in the same run), then importing it again (nothing
//! changes); and the county officer's staffing picture (target under 200 ms), against
//! reading the staff roll alone. Medians of 3 runs (5 for the picture), and the peak
//! resident memory (VmHWM, reset before the runs).
//!
//!   cargo bench -p emis --bench teachers
//!   EMIS_TEACHERS_BENCH_DB=/tmp/teachers.db cargo bench -p emis --bench teachers   # keep the county
//!   EMIS_TEACHERS_BENCH_RUNS=0 cargo bench -p emis --bench teachers                 # the picture only

mod common;

use emis_app::imports::{import_file, ImportKind, ImportOptions};
use emis_app::{Actor, NoProgress};
use emis_domain::access::{Role, Scope};
use std::time::{Duration, Instant};

const ROWS: usize = 40_000;

fn median(times: Vec<Duration>) -> f64 {
    common::median(times).as_secs_f64()
}

/// 40,000 rows: teachers of the roll in turn, 25 trainings of a run's own names.
fn write_sheet(path: &std::path::Path, ids: &[String], run: usize) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .expect("sheet");
    for (c, h) in [
        "培训项目",
        "级别",
        "开始日期",
        "结束日期",
        "身份证件号",
        "学时",
        "结业",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let per_training = ids.len().min(ROWS / 25);
    for n in 0..ROWS {
        let training = n / per_training;
        let r = (n + 1) as u32;
        let day = 1 + training % 28;
        sheet
            .write_string(r, 0, format!("基准测试培训第{run}批第{training}期"))
            .expect("cell");
        sheet.write_string(r, 1, "县级").expect("cell");
        sheet
            .write_string(r, 2, format!("2021-10-{day:02}"))
            .expect("cell");
        sheet
            .write_string(r, 3, format!("2021-10-{day:02}"))
            .expect("cell");
        sheet
            .write_string(r, 4, &ids[(n + training * 7) % ids.len()])
            .expect("cell");
        sheet.write_number(r, 5, 6.0).expect("cell");
        sheet.write_string(r, 6, "是").expect("cell");
    }
    workbook.save(path).expect("save");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (dir, db) = common::demo_db("EMIS_TEACHERS_BENCH_DB", "teachers.db", "staff").await;
    let county = "431224";
    let mut ids: Vec<String> = emis_storage::registry::load_staff(&db, county)
        .await
        .expect("staff")
        .into_keys()
        .collect();
    ids.sort();
    let runs: usize = std::env::var("EMIS_TEACHERS_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    common::reset_peak();
    let (mut dry, mut first, mut again) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let sheet = dir.path().join(format!("trainings-{run}.xlsx"));
        write_sheet(&sheet, &ids, run);
        let size = std::fs::metadata(&sheet).map(|m| m.len()).unwrap_or(0);
        let import = |dry_run: bool| {
            let (db, sheet) = (db.clone(), sheet.clone());
            async move {
                let options = ImportOptions {
                    dry_run,
                    ..ImportOptions::default()
                };
                let started = Instant::now();
                let report = import_file(
                    &db,
                    county,
                    ImportKind::Trainings,
                    &sheet,
                    &options,
                    &Actor::cli(),
                    &NoProgress,
                )
                .await
                .expect("import");
                assert!(
                    report.problems.is_empty(),
                    "{:?}",
                    &report.problems[..report.problems.len().min(3)]
                );
                (started.elapsed(), report)
            }
        };
        let (d, _) = import(true).await;
        let (i, report) = import(false).await;
        assert_eq!(report.inserted, ROWS);
        let (a, report) = import(false).await;
        assert_eq!(report.unchanged, ROWS);
        println!(
            "run {}: {ROWS} rows ({:.1} MB xlsx): read and check (dry run) {:.3} s, import {:.3} s ({:.2}× the dry run), again unchanged {:.3} s",
            run + 1,
            size as f64 / 1e6,
            d.as_secs_f64(),
            i.as_secs_f64(),
            i.as_secs_f64() / d.as_secs_f64(),
            a.as_secs_f64()
        );
        dry.push(d);
        first.push(i);
        again.push(a);
    }
    if runs > 0 {
        let (d, i, a) = (median(dry), median(first), median(again));
        println!(
        "trainings import, median of {runs}: dry {d:.3} s, import {i:.3} s = {:.2}× (target < 2 s), again {a:.3} s = {:.2}×; peak RSS {} MB",
        i / d,
        a / d,
        common::status_kb("VmHWM:").unwrap_or(0) / 1024
    );
    }

    let officer = emis_app::auth::Account {
        username: "bench".into(),
        display_name: "bench".into(),
        role: Role::Officer,
        org_code: county.into(),
        org_name: "溆浦县".into(),
        scope: Scope::County {
            county: county.into(),
        },
        must_change_password: false,
    };
    let (mut picture, mut anchor) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        let p = emis_app::teachers::staffing::picture(&db, &officer, None)
            .await
            .expect("picture");
        picture.push(started.elapsed());
        let started = Instant::now();
        let staff = emis_storage::registry::load_staff(&db, county)
            .await
            .expect("staff");
        anchor.push(started.elapsed());
        assert!(p.schools.len() > 250 && staff.len() > 9_000);
    }
    let (p, s) = (median(picture), median(anchor));
    println!(
        "staffing picture of the county: median {:.1} ms (target < 200 ms), reading the staff roll alone {:.1} ms ({:.1}×)",
        p * 1e3,
        s * 1e3,
        p / s
    );
}
