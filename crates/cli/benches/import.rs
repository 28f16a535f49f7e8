//! Import benchmark: a 150,000-row student xlsx in the template, generated here, imported
//! by the release `emis` binary on SQLite and (when reachable) PostgreSQL.
//! Reports wall time (median of runs) and the process's peak resident memory (VmHWM), and
//! the time of reading and checking the same sheet alone (`--dry-run` on a database with
//! the schools only), the yardstick the import is held to.
//!
//!   cargo bench -p emis --bench import            # 150,000 rows, 3 runs per engine
//!   EMIS_BENCH_ROWS=20000 cargo bench -p emis --bench import
//!   EMIS_BENCH_RUNS=1 EMIS_BENCH_DIR=/tmp/bench cargo bench -p emis --bench import

mod common;

use common::median;
use emis_domain::identity::IdNumber;
use emis_domain::registry::{Grade, Sex};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn emis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_emis"))
}

fn write_students(path: &Path, rows: u32) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .expect("sheet");
    let headers = [
        "学校标识码",
        "姓名",
        "性别",
        "身份证件号",
        "年级",
        "班级",
        "民族",
        "寄宿生",
        "家庭经济困难类型",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let grades = &Grade::ALL[3..12];
    for n in 0..rows {
        let grade = grades[(n % 9) as usize];
        let birth_year = 2021 - grade.typical_age() - 1;
        let day = n / 9;
        let birth = chrono::NaiveDate::from_ymd_opt(birth_year, 1, 1).expect("date")
            + chrono::Days::new(u64::from(day % 365));
        // Unique numbers: the area code and sequence vary with n.
        let area = format!("4312{:02}", 20 + (day / 365 / 1000) % 80);
        let id = IdNumber::compose(&area, birth, ((day / 365) % 1000) as u16);
        let sex = if id.sex() == Sex::Male { "男" } else { "女" };
        let school = 2143100000 + (n / 9) % common::SCHOOLS;
        let r = n + 1;
        sheet.write_string(r, 0, school.to_string()).expect("cell");
        sheet.write_string(r, 1, format!("学生{n}")).expect("cell");
        sheet.write_string(r, 2, sex).expect("cell");
        sheet.write_string(r, 3, id.as_str()).expect("cell");
        sheet.write_string(r, 4, grade.label()).expect("cell");
        sheet
            .write_number(r, 5, f64::from(1 + (n / 2700) % 6))
            .expect("cell");
        sheet.write_string(r, 6, "汉族").expect("cell");
        sheet.write_string(r, 7, "否").expect("cell");
        sheet.write_string(r, 8, "无").expect("cell");
    }
    workbook.save(path).expect("save");
}

/// A run's figures: wall time, peak resident set (VmHWM: private memory and the mapped
/// database file's pages together, since SQLite reads through mmap) and the peak of the
/// private part alone (RssAnon, sampled every 5 ms), and whether it succeeded.
struct Measured {
    elapsed: Duration,
    peak_kb: u64,
    private_kb: u64,
    ok: bool,
}

/// Runs a command, polling its memory until it exits.
fn measure(mut cmd: Command) -> Measured {
    let started = Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let status_path = format!("/proc/{}/status", child.id());
    let (mut peak_kb, mut private_kb) = (0, 0);
    let field = |status: &str, name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    let ok = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            peak_kb = peak_kb.max(field(&status, "VmHWM:"));
            private_kb = private_kb.max(field(&status, "RssAnon:"));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Measured {
        elapsed: started.elapsed(),
        peak_kb,
        private_kb,
        ok,
    }
}

fn import_schools(url: &str, schools: &Path) {
    let status = emis()
        .args([
            "--db",
            url,
            "import",
            "schools",
            schools.to_str().expect("path"),
        ])
        .output()
        .expect("schools");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

fn import_students(url: &str, students: &Path, dry_run: bool) -> Command {
    let mut cmd = emis();
    cmd.args([
        "--db",
        url,
        "import",
        "students",
        students.to_str().expect("path"),
        "--term",
        "2021-autumn",
    ]);
    if dry_run {
        cmd.arg("--dry-run");
    }
    cmd
}

fn run_engine(name: &str, urls: Vec<String>, schools: &Path, students: &Path) {
    let mut reads = Vec::new();
    let mut times = Vec::new();
    let mut reimport = Vec::new();
    let (mut peak_kb, mut private_kb) = (0, 0);
    for url in urls {
        import_schools(&url, schools);
        let dry = measure(import_students(&url, students, true));
        assert!(dry.ok, "dry run failed on {name}");
        reads.push(dry.elapsed);
        for (runs, again) in [(&mut times, false), (&mut reimport, true)] {
            let run = measure(import_students(&url, students, false));
            assert!(run.ok, "import failed on {name} (again: {again})");
            runs.push(run.elapsed);
            peak_kb = peak_kb.max(run.peak_kb);
            private_kb = private_kb.max(run.private_kb);
        }
    }
    let read = median(reads).as_secs_f64();
    let import = median(times.clone()).as_secs_f64();
    let again = median(reimport).as_secs_f64();
    println!(
        "{name:<10} read+check (dry run): {read:.2} s; import: median {import:>6.2} s (runs {:?}) = {:.2}x read; \
         re-import (no change): median {again:.2} s = {:.2}x read; peak of both: RSS {:.0} MB, private {:.0} MB",
        times.iter().map(|t| format!("{:.2}", t.as_secs_f64())).collect::<Vec<_>>(),
        import / read,
        again / read,
        peak_kb as f64 / 1024.0,
        private_kb as f64 / 1024.0,
    );
}

fn main() {
    let rows: u32 = std::env::var("EMIS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150_000);
    let runs: usize = std::env::var("EMIS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let temp = tempfile::tempdir().expect("temp");
    // EMIS_BENCH_DIR keeps the generated files (and SQLite databases) for a look afterwards.
    let dir = std::env::var_os("EMIS_BENCH_DIR").map_or(temp.path().to_path_buf(), Into::into);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let schools = dir.join("schools.csv");
    let students = dir.join("students.xlsx");
    common::write_schools(&schools);
    let started = Instant::now();
    write_students(&students, rows);
    let size_mb = std::fs::metadata(&students).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "generated {rows} rows ({size_mb:.1} MB xlsx) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let sqlite: Vec<String> = (0..runs)
        .map(|i| {
            // A kept folder (EMIS_BENCH_DIR) holds the last run's databases: start empty.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("b{i}.db{suffix}")));
            }
            format!("sqlite://{}", dir.join(format!("b{i}.db")).display())
        })
        .collect();
    run_engine("SQLite", sqlite, &schools, &students);

    let base = std::env::var("EMIS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://emis:emis@127.0.0.1:5432/emis_test".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg: Result<Vec<String>, _> = rt.block_on(async {
        let mut urls = Vec::new();
        for _ in 0..runs {
            urls.push(emis_storage::testing::fresh_postgres_schema(&base).await?);
        }
        Ok::<_, emis_storage::StorageError>(urls)
    });
    match pg {
        Ok(urls) => run_engine("PostgreSQL", urls, &schools, &students),
        Err(e) => println!("PostgreSQL skipped: {e}"),
    }
}
