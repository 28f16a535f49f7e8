//! National-layout import benchmark (issue #20): the same 150,000 students written twice,
//! once in our template (bare labels: 男, 土家族, 是, class 2) and once as the national 学籍
//! system exports them (`1-男`, `15-土家族`, `2-住校`, `20120305`, `三年级(2)班`, the
//! national column names), each imported into a fresh SQLite database holding the schools.
//! The national sheet must import within 1.1× the time of ours. Prints both times (median
//! of the runs) and the ratio. Not run in CI.
//!
//!   cargo bench -p emis --bench national_import          # 150,000 rows, 3 runs each
//!   EMIS_BENCH_ROWS=20000 EMIS_BENCH_RUNS=1 cargo bench -p emis --bench national_import
//!   RUST_LOG=info cargo bench -p emis --bench national_import   # with each import's phases

mod common;

use emis_app::imports::{import_file, ImportKind, ImportOptions};
use emis_app::{Actor, Db, NoProgress};
use emis_domain::identity::IdNumber;
use emis_domain::national::coded;
use emis_domain::registry::{Grade, Sex};
use std::path::Path;
use std::time::{Duration, Instant};

/// The ratio the national layout is held to.
const WITHIN: f64 = 1.1;

/// Our template's columns, then the same facts in the national export's names and order.
const OURS: [&str; 15] = [
    "学校标识码",
    "姓名",
    "性别",
    "身份证件号",
    "年级",
    "班级",
    "出生日期",
    "民族",
    "寄宿生",
    "学籍号",
    "户口性质",
    "国籍/地区",
    "留守儿童",
    "随迁子女",
    "孤儿",
];
const NATIONAL: [&str; 16] = [
    "学校标识码",
    "姓名",
    "性别",
    "出生日期",
    "身份证件类型",
    "身份证件号",
    "民族",
    "年级",
    "班级名称",
    "全国学籍号",
    "就读方式",
    "户口性质",
    "国籍/地区",
    "是否留守儿童",
    "是否进城务工人员随迁子女",
    "是否孤儿",
];

/// The n-th student's facts, the same in both sheets.
struct Student {
    school: String,
    name: String,
    sex: Sex,
    id: IdNumber,
    grade: Grade,
    class: u32,
    ethnicity: &'static str,
    boarding: bool,
    left_behind: &'static str,
    migrant: bool,
    orphan: bool,
}

fn student(n: u32) -> Student {
    let grades = &Grade::ALL[3..12];
    let grade = grades[(n % 9) as usize];
    let birth_year = 2021 - grade.typical_age() - 1;
    let day = n / 9;
    let birth = chrono::NaiveDate::from_ymd_opt(birth_year, 1, 1).expect("date")
        + chrono::Days::new(u64::from(day % 365));
    // Unique numbers: the area code and sequence vary with n.
    let area = format!("4312{:02}", 20 + (day / 365 / 1000) % 80);
    let id = IdNumber::compose(&area, birth, ((day / 365) % 1000) as u16);
    Student {
        school: (2143100000 + (n / 9) % common::SCHOOLS).to_string(),
        name: format!("学生{n}"),
        sex: id.sex(),
        id,
        grade,
        class: 1 + (n / 2700) % 6,
        ethnicity: ["汉族", "苗族", "土家族", "侗族"][(n % 4) as usize],
        boarding: n.is_multiple_of(3),
        left_behind: ["非留守儿童", "单亲留守儿童", "双亲留守儿童"][(n % 7 % 3) as usize],
        migrant: n.is_multiple_of(11),
        orphan: n.is_multiple_of(97),
    }
}

/// The class as the national export names it: `三年级(2)班`, and for primary grades every
/// other row in the short form `小三(02)班`.
fn national_class(s: &Student, n: u32) -> String {
    let ordinal = s.grade.ordinal();
    if (3..9).contains(&ordinal) && n % 2 == 1 {
        let digit = ["一", "二", "三", "四", "五", "六"][ordinal - 3];
        format!("小{digit}({:02})班", s.class)
    } else {
        format!("{}({})班", s.grade.label(), s.class)
    }
}

fn write_sheet(path: &Path, rows: u32, national: bool) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .expect("sheet");
    let headers: &[&str] = if national { &NATIONAL } else { &OURS };
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let yes_no = |b: bool| if b { "是" } else { "否" };
    for n in 0..rows {
        let s = student(n);
        let cells: Vec<String> = if national {
            vec![
                s.school.clone(),
                s.name.clone(),
                coded("性别", s.sex.label()),
                s.id.birth_date().format("%Y%m%d").to_string(),
                "1-居民身份证".into(),
                s.id.as_str().into(),
                coded("民族", s.ethnicity),
                s.grade.label().into(),
                national_class(&s, n),
                format!("G{}", s.id),
                coded(
                    "就读方式",
                    emis_domain::national::attendance_label(s.boarding),
                ),
                "1-农业户口".into(),
                "156-中国".into(),
                coded("留守儿童", s.left_behind),
                coded("随迁子女", yes_no(s.migrant)),
                coded("孤儿", yes_no(s.orphan)),
            ]
        } else {
            vec![
                s.school.clone(),
                s.name.clone(),
                s.sex.label().into(),
                s.id.as_str().into(),
                s.grade.label().into(),
                s.class.to_string(),
                s.id.birth_date().to_string(),
                s.ethnicity.into(),
                yes_no(s.boarding).into(),
                format!("G{}", s.id),
                "1-农业户口".into(),
                "156-中国".into(),
                s.left_behind.into(),
                yes_no(s.migrant).into(),
                yes_no(s.orphan).into(),
            ]
        };
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(n + 1, c as u16, v).expect("cell");
        }
    }
    workbook.save(path).expect("save");
}

/// One import of a sheet into a fresh database holding the schools: its wall time and the
/// records the import wrote (checked equal between the layouts).
async fn import_once(
    dir: &Path,
    label: &str,
    run: usize,
    schools: &Path,
    sheet: &Path,
) -> (Duration, usize) {
    let file = dir.join(format!("{label}{run}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let db = Db::open(&format!("sqlite://{}", file.display()))
        .await
        .expect("open");
    emis_storage::registry::ensure_county(&db, &emis_domain::divisions::XUPU)
        .await
        .expect("county");
    let options = ImportOptions {
        term: Some(emis_domain::term::Term::autumn(2021)),
        ..ImportOptions::default()
    };
    let actor = Actor::cli();
    let report = import_file(
        &db,
        "431224",
        ImportKind::Schools,
        schools,
        &options,
        &actor,
        &NoProgress,
    )
    .await
    .expect("schools");
    assert!(report.committed, "{:?}", report.problems);
    let started = Instant::now();
    let report = import_file(
        &db,
        "431224",
        ImportKind::Students,
        sheet,
        &options,
        &actor,
        &NoProgress,
    )
    .await
    .expect("students");
    let elapsed = started.elapsed();
    assert!(
        report.committed && report.problems.is_empty(),
        "{label}: {:?}",
        report.problems
    );
    (elapsed, report.inserted)
}

fn median(times: Vec<Duration>) -> f64 {
    common::median(times).as_secs_f64()
}

fn main() {
    // The import's phases (sheet read, rows checked, compared, written) when RUST_LOG asks.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_target(false)
            .init();
    }
    let rows: u32 = std::env::var("EMIS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150_000);
    let runs: usize = std::env::var("EMIS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path();
    let schools = dir.join("schools.csv");
    let ours = dir.join("ours.xlsx");
    let national = dir.join("national.xlsx");
    common::write_schools(&schools);
    let started = Instant::now();
    write_sheet(&ours, rows, false);
    write_sheet(&national, rows, true);
    let mb = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "generated {rows} rows twice (ours {:.1} MB, national {:.1} MB) in {:.1} s",
        mb(&ours),
        mb(&national),
        started.elapsed().as_secs_f64()
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut ours_times, mut national_times) = (Vec::new(), Vec::new());
    // The highest resident set of any import of each layout (MB).
    let (mut ours_peak, mut national_peak) = (0, 0);
    for run in 0..runs {
        // Alternate the order so that neither layout always runs on a warmer cache.
        let order = if run % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for is_national in order {
            let (label, sheet) = if is_national {
                ("national", &national)
            } else {
                ("ours", &ours)
            };
            common::reset_peak();
            let (time, written) = rt.block_on(import_once(dir, label, run, &schools, sheet));
            let peak = common::status_kb("VmHWM:").unwrap_or(0) / 1024;
            let highest = if is_national {
                &mut national_peak
            } else {
                &mut ours_peak
            };
            *highest = peak.max(*highest);
            assert_eq!(written, rows as usize, "{label}: every row written");
            println!("run {run} {label:<8} {:.2} s", time.as_secs_f64());
            if is_national {
                national_times.push(time);
            } else {
                ours_times.push(time);
            }
            let _ = std::fs::remove_file(dir.join(format!("{label}{run}.db")));
        }
    }
    // The fastest run too: on a shared machine the other load only ever adds time.
    let fastest = |times: &[Duration]| times.iter().min().map_or(0.0, Duration::as_secs_f64);
    let (ours_min, national_min) = (fastest(&ours_times), fastest(&national_times));
    let (ours, national) = (median(ours_times), median(national_times));
    let ratio = national / ours;
    let ratio_min = national_min / ours_min;
    let verdict = |r: f64| if r <= WITHIN { "within" } else { "OVER" };
    println!(
        "SQLite, {rows} rows: our template {ours:.2} s, national layout {national:.2} s (medians of {runs}); \
         ratio {ratio:.3} ({} the {WITHIN}x bound); fastest runs {ours_min:.2} s / {national_min:.2} s, \
         ratio {ratio_min:.3} ({})",
        verdict(ratio),
        verdict(ratio_min)
    );
    println!(
        "peak resident memory during an import: ours {ours_peak} MB, national {national_peak} MB"
    );
}
