//! 控辍保学 benchmark.
//!
//! 1. The matching core (`emis_domain::dropout::match_roll`) at province size: 10,000,000
//!    population rows against 10,000,000 roll rows from `synthetic_compact`: the generator's
//!    rows go straight into columnar tables (`CompactRows`: packed ID keys, interned names,
//!    about 17 bytes a row), so its millions of small strings never pile up. Reported: wall
//!    time of `match_roll`, the peak resident memory during matching above the inputs (VmHWM
//!    reset through /proc/self/clear_refs just before), and the process's overall peak.
//! 2. The whole county-size run from the database: 150,000 students imported into SQLite
//!    (and PostgreSQL when reachable), then `emis import population` of 200,000 rows with
//!    `--as-of`: reading the file, loading the roll from the database, matching, storing the
//!    snapshot, its findings and the cases. The median wall time of three runs (each on its
//!    own copy of the database), CPU time and peak RSS of that process.
//!
//!   cargo bench -p emis --bench dropout
//!   EMIS_BENCH_PROVINCE=2000000 cargo bench -p emis --bench dropout   # smaller core run
//!   EMIS_BENCH_PROVINCE=0 …                                            # county run only

mod common;

use chrono::NaiveDate;
use emis_domain::dropout::{
    match_roll, synthetic_as_of, synthetic_compact, synthetic_population, MatchSettings,
};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn province(n: usize) {
    let started = Instant::now();
    let (population, roll) = synthetic_compact(n, n, 2021);
    let input_bytes = population.heap_bytes() + roll.heap_bytes();
    println!(
        "province: generated {} population rows and {} roll rows in {:.1} s (columnar rows: {} MB, peak while generating {:.0} MB)",
        population.len(),
        roll.len(),
        started.elapsed().as_secs_f64(),
        input_bytes / 1_000_000,
        status_kb("VmHWM:") as f64 / 1024.0
    );
    let settings = MatchSettings::default();
    let mut best = Duration::MAX;
    let mut extra_kb = 0;
    let mut summary = String::new();
    for run in 0..3 {
        let baseline = status_kb("VmRSS:");
        // Resets VmHWM to the current RSS (Linux ≥ 4.0).
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let started = Instant::now();
        let result = match_roll(&population, &roll, synthetic_as_of(), &settings).expect("match");
        let elapsed = started.elapsed();
        let peak = status_kb("VmHWM:");
        if reset {
            extra_kb = extra_kb.max(peak.saturating_sub(baseline));
        }
        best = best.min(elapsed);
        let c = result.counts;
        summary = format!(
            "school-age {}, in school {}, accounted {}, not in school {}, suspected {}, probable {}",
            c.school_age, c.in_school, c.accounted, c.not_in_school, c.suspected, c.probable
        );
        drop(result);
        println!(
            "  run {}: match_roll {:.2} s",
            run + 1,
            elapsed.as_secs_f64()
        );
    }
    println!("province: {summary}");
    println!(
        "province: match_roll best {:.2} s; peak memory of matching above its inputs {:.0} MB; process peak {:.0} MB (inputs {:.0} MB)",
        best.as_secs_f64(),
        extra_kb as f64 / 1024.0,
        status_kb("VmHWM:") as f64 / 1024.0,
        input_bytes as f64 / 1_048_576.0
    );
}

// ---------------------------------------------------------------------------------------
// County size, from the database

fn emis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_emis"))
}

/// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Runs a command, polling its peak resident set (VmHWM) and CPU time until it exits.
/// The machine is shared, so CPU time is reported next to wall time.
fn measure(mut cmd: Command) -> (Duration, u64, bool, String, f64) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let mut cpu = 0.0f64;
    let ok = loop {
        if let Some(seconds) = cpu_seconds(child.id()) {
            cpu = cpu.max(seconds);
        }
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
                let kb: u64 = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let text = reader.join().unwrap_or_default();
    (started.elapsed(), peak_kb, ok, text, cpu)
}

fn grade_for(birth: NaiveDate) -> &'static str {
    const GRADES: [&str; 12] = [
        "一年级",
        "二年级",
        "三年级",
        "四年级",
        "五年级",
        "六年级",
        "七年级",
        "八年级",
        "九年级",
        "高一",
        "高二",
        "高三",
    ];
    let age =
        emis_domain::dates::full_years(birth, NaiveDate::from_ymd_opt(2021, 8, 31).expect("date"));
    GRADES[(age - 6).clamp(0, 11) as usize]
}

fn write_county_files(dir: &Path, students: usize, persons: usize) {
    let (population, roll) = synthetic_population(students, persons, 7);
    let xupu = &emis_domain::divisions::XUPU;
    let mut schools = String::from("学校标识码,学校名称,办学类型,所在乡镇\n");
    for s in 0..300 {
        let t = xupu.townships[s % xupu.townships.len()];
        schools.push_str(&format!(
            "21430{:05},{}第{}学校,十二年一贯制学校,{}\n",
            1000 + s,
            t.name,
            s + 1,
            t.name
        ));
    }
    std::fs::write(dir.join("schools.csv"), schools).expect("schools");
    let mut seen = std::collections::HashSet::new();
    let mut out = String::from("学校标识码,姓名,性别,身份证件号,年级,班级,学籍状态\n");
    for s in &roll {
        if !seen.insert(s.id_number.clone()) {
            continue;
        }
        out.push_str(&format!(
            "{},{},{},{},{},1,{}\n",
            s.school_code,
            s.name,
            s.sex.label(),
            s.id_number,
            grade_for(s.birth_date),
            s.status.label()
        ));
    }
    std::fs::write(dir.join("students.csv"), out).expect("students");
    let mut out = String::from("姓名,性别,身份证件号,户籍乡镇,户籍村(社区),监护人,联系电话\n");
    for (i, p) in population.iter().enumerate() {
        let township = xupu
            .township(&p.township)
            .unwrap_or(&xupu.townships[i % xupu.townships.len()]);
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            p.name,
            p.sex.label(),
            p.id_number,
            township.name,
            p.village.clone().unwrap_or_default(),
            p.guardian.clone().unwrap_or_default(),
            p.phone.clone().unwrap_or_default()
        ));
    }
    std::fs::write(dir.join("population.csv"), out).expect("population");
}

/// Schools and the 150,000-student roll, imported into an empty database.
fn load_roll(url: &str, dir: &Path) {
    let path = |f: &str| dir.join(f).to_string_lossy().to_string();
    let out = emis()
        .args(["--db", url, "import", "schools", &path("schools.csv")])
        .output()
        .expect("schools");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = emis()
        .args([
            "--db",
            url,
            "import",
            "students",
            &path("students.csv"),
            "--term",
            "2021-autumn",
            "--skip-invalid",
        ])
        .output()
        .expect("students");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `emis import population` of the county file, measured: (wall, peak RSS KiB, CPU s, output).
fn import_population(name: &str, url: &str, dir: &Path) -> (Duration, u64, f64, String) {
    let mut cmd = emis();
    cmd.args([
        "--db",
        url,
        "import",
        "population",
        &dir.join("population.csv").to_string_lossy(),
        "--as-of",
        "2021-09-01",
    ]);
    let (elapsed, peak, ok, text, cpu) = measure(cmd);
    assert!(ok, "population import failed on {name}: {text}");
    (elapsed, peak, cpu, text)
}

/// The whole run on `urls.len()` databases holding the same roll: the median of the
/// imports (each the first import of the snapshot: compare, store, open the cases), then
/// a re-import of the same file on the first database (nothing changes).
fn county_run(name: &str, urls: &[String], dir: &Path) {
    let mut runs: Vec<(Duration, u64, f64, String)> = urls
        .iter()
        .map(|url| import_population(name, url, dir))
        .collect();
    let times: Vec<String> = runs
        .iter()
        .map(|r| format!("{:.2}", r.0.as_secs_f64()))
        .collect();
    let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
    runs.sort_by_key(|r| r.0);
    let (median, _, cpu, text) = &runs[runs.len() / 2];
    println!(
        "county {name:<10} import + compare: median {:.2} s wall of {} runs ({} s), {:.2} s CPU (user+sys, polled), peak RSS {:.0} MB",
        median.as_secs_f64(),
        runs.len(),
        times.join(", "),
        cpu,
        peak as f64 / 1024.0
    );
    for line in text.lines().filter(|l| !l.starts_with("warning")) {
        println!("    {line}");
    }
    let (elapsed, peak, cpu, _) = import_population(name, &urls[0], dir);
    println!(
        "county {name:<10} re-import (no change): {:.2} s wall, {:.2} s CPU (user+sys, polled), peak RSS {:.0} MB",
        elapsed.as_secs_f64(),
        cpu,
        peak as f64 / 1024.0
    );
}

/// Runs per engine; the median is reported.
const COUNTY_RUNS: usize = 3;

fn main() {
    // `cargo bench` passes --bench; nothing else is read from the arguments.
    let n: usize = std::env::var("EMIS_BENCH_PROVINCE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    if n > 0 {
        province(n);
    }

    let temp = tempfile::tempdir().expect("temp");
    // EMIS_BENCH_DIR keeps the generated files and databases for a closer look.
    let kept = std::env::var("EMIS_BENCH_DIR")
        .ok()
        .map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).expect("bench dir");
    for run in 0..=COUNTY_RUNS {
        let name = if run == 0 {
            "county.db".to_string()
        } else {
            format!("county-{run}.db")
        };
        let _ = std::fs::remove_file(dir.join(name));
    }
    let started = Instant::now();
    write_county_files(dir, 150_000, 200_000);
    println!(
        "county: generated 150,000 students and 200,000 persons in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // SQLite: the roll imported once, the database copied for each run.
    let roll_db = dir.join("county.db");
    load_roll(&format!("sqlite://{}", roll_db.display()), dir);
    let sqlite: Vec<String> = (1..=COUNTY_RUNS)
        .map(|run| {
            let copy = dir.join(format!("county-{run}.db"));
            std::fs::copy(&roll_db, &copy).expect("copy database");
            let wal = dir.join("county.db-wal");
            if wal.exists() {
                std::fs::copy(&wal, dir.join(format!("county-{run}.db-wal"))).expect("copy wal");
            }
            format!("sqlite://{}", copy.display())
        })
        .collect();
    county_run("SQLite", &sqlite, dir);
    let base = std::env::var("EMIS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://emis:emis@127.0.0.1:5432/emis_test".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut postgres = Vec::new();
    for _ in 0..COUNTY_RUNS {
        match rt.block_on(emis_storage::testing::fresh_postgres_schema(&base)) {
            Ok(url) => {
                load_roll(&url, dir);
                postgres.push(url);
            }
            Err(e) => {
                println!("PostgreSQL skipped: {e}");
                break;
            }
        }
    }
    if postgres.len() == COUNTY_RUNS {
        county_run("PostgreSQL", &postgres, dir);
    }
}
