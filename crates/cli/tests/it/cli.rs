//! The command line as users and outside checks call it (CONTRACTS.md).

use crate::support::*;
use std::path::Path;
use std::process::{Command, Output};

pub fn emis(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emis"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("emis runs")
}

/// What a run printed, standard output then standard error.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A run refused (exit 1): what it printed on standard output.
#[track_caller]
pub fn refused_stdout(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{}", text(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts that one line of the output is `line`.
#[track_caller]
pub fn assert_prints(stdout: &str, line: &str) {
    assert!(stdout.lines().any(|l| l == line), "{stdout}");
}

/// A path as the command line takes it.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("path")
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("cli.db").display())
}

/// A database in the directory with the three test schools imported from the command line.
pub fn county_db(dir: &Path) -> String {
    let db = sqlite_url(dir);
    let schools = dir.join("schools.csv");
    write_schools_csv(&schools);
    let out = emis(&db, &["import", "schools", arg(&schools)]);
    assert!(out.status.success(), "{}", text(&out));
    db
}

/// `emis import students FILE --term 2021-autumn`, with any further arguments.
pub fn import_students(db: &str, path: &Path, more: &[&str]) -> Output {
    let mut args = vec!["import", "students", arg(path), "--term", "2021-autumn"];
    args.extend(more);
    emis(db, &args)
}

/// `emis user add NAME --role teacher` at the urban primary school, bound to a class.
pub fn add_teacher(db: &str, name: &str, class: &str) -> Output {
    emis(
        db,
        &[
            "user",
            "add",
            name,
            "--role",
            "teacher",
            "--org",
            URBAN_PRIMARY,
            "--class",
            class,
        ],
    )
}

/// Runs a check against the database the command line wrote.
pub fn with_db<T>(db: &str, check: impl AsyncFnOnce(&emis_app::Db) -> T) -> T {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = emis_app::Db::open(db).await.expect("open");
        check(&db).await
    })
}

/// The county's rows of a table.
pub fn count(db: &str, table: &str) -> i64 {
    with_db(db, async |db| {
        emis_storage::registry::count(db, table, "431224")
            .await
            .expect("count")
    })
}

#[test]
fn refused_import_exits_1_and_names_row_column_reason() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let mut rows = urban_rows(3, "一年级");
    rows[2][3] = "43122420140101".into();
    let path = dir.path().join("students.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let stdout = refused_stdout(&import_students(&db, &path, &[]));
    let line = "row 6, column 身份证件号: 身份证件号应为18位（或旧式15位），实为14位";
    assert_prints(&stdout, line);

    let export = dir.path().join("out.csv");
    let export_students = || emis(&db, &["export", "students", "-o", arg(&export)]);
    let out = export_students();
    assert_eq!(
        out.status.code(),
        Some(1),
        "nothing was imported, so there is no roll: {}",
        text(&out)
    );

    rows.pop();
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let out = import_students(&db, &path, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let out = export_students();
    assert!(out.status.success(), "{}", text(&out));
    let csv = std::fs::read_to_string(&export).expect("csv");
    assert!(csv.starts_with('\u{feff}'), "CSV carries a BOM for Excel");
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sqlite_url(dir.path());
    let code = |args: &[&str]| emis(&db, args).status.code();
    assert_eq!(code(&["import", "pets", "x.csv"]), Some(2));
    assert_eq!(code(&["report", "annual"]), Some(2), "--year is required");
    let user = ["user", "add", "li", "--role", "root", "--org", "431224"];
    assert_eq!(code(&user), Some(2));
    let out = emis(
        &db,
        &["user", "add", "li", "--role", "school", "--org", "431224"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a school role cannot bind to the county"
    );
    assert!(text(&out).contains("学校"));
}

#[test]
fn user_add_prints_a_one_time_password_and_stores_a_hash() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sqlite_url(dir.path());
    let zhang = [
        "user",
        "add",
        "zhang",
        "--role",
        "township",
        "--org",
        "431224104",
    ];
    let out = emis(&db, &zhang);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout
        .split("初始密码：")
        .nth(1)
        .expect("password shown")
        .chars()
        .take(12)
        .collect::<String>();
    with_db(&db, async |db| {
        let hash = emis_storage::users::password_hash(db, "zhang")
            .await
            .expect("query")
            .expect("stored");
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains(&password));
        assert!(emis_app::accounts::verify_password(&password, &hash));
    });
    assert_eq!(emis(&db, &zhang).status.code(), Some(2));

    // A class teacher is bound to a class; a bad class is refused before the account exists.
    county_db(dir.path());
    assert_eq!(add_teacher(&db, "wang", "三班").status.code(), Some(2));
    assert_eq!(
        add_teacher(&db, "wang", "九年级99班").status.code(),
        Some(2),
        "a primary school"
    );
    let ok = add_teacher(&db, "wang", "三年级3班");
    assert!(ok.status.success(), "{}", text(&ok));
    with_db(&db, async |db| {
        let user = emis_storage::users::find(db, "wang")
            .await
            .expect("query")
            .expect("created once");
        assert_eq!(
            (user.class_grade.as_deref(), user.class_number),
            (Some("三年级"), Some(3))
        );
    });
}

#[test]
fn killing_an_import_midway_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().expect("temp");
    let db_path = dir.path().join("cli.db");
    let db = county_db(dir.path());

    let mut csv = String::from("学校标识码,姓名,性别,身份证件号,年级,班级\n");
    for n in 0..60_000u32 {
        let birth = chrono::NaiveDate::from_ymd_opt(2005 + (n % 6) as i32, 1 + n % 12, 1 + n % 28)
            .expect("date");
        let id = emis_domain::identity::IdNumber::compose(
            &format!("4312{:02}", 20 + n / 1000 % 10),
            birth,
            (n % 1000) as u16,
        );
        let sex = if id.sex() == emis_domain::registry::Sex::Male {
            "男"
        } else {
            "女"
        };
        csv.push_str(&format!(
            "{SENIOR_HIGH},学生{n},{sex},{id},高二,{}\n",
            1 + n % 40
        ));
    }
    let big = dir.path().join("big.csv");
    std::fs::write(&big, csv).expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_emis"))
        .args([
            "--db",
            &db,
            "import",
            "students",
            arg(&big),
            "--term",
            "2021-autumn",
            "--skip-invalid",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let wal = db_path.with_extension("db-wal");
    let started = std::time::Instant::now();
    let mut killed_mid_write = false;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if std::fs::metadata(&wal)
            .map(|m| m.len() > 2_000_000)
            .unwrap_or(false)
        {
            child.kill().expect("kill");
            killed_mid_write = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.wait();
    assert!(
        killed_mid_write,
        "the import finished before it could be killed mid-write"
    );

    // Reopened after the kill: no student, no enrollment, the three schools.
    let tables = ["students", "enrollments", "schools"];
    assert_eq!(tables.map(|table| count(&db, table)), [0, 0, 3]);
    // And the same import then goes through whole.
    let out = import_students(&db, &big, &["--skip-invalid"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn backup_copies_a_live_database() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let copy = dir.path().join("copy.db");
    let out = emis(&db, &["backup", "-o", arg(&copy)]);
    assert!(out.status.success(), "{}", text(&out));
    // The copy is a working database with the same records.
    let copy_url = format!("sqlite://{}", copy.display());
    let export = dir.path().join("schools-from-copy.csv");
    let out = emis(&copy_url, &["export", "schools", "-o", arg(&export)]);
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&export).expect("csv");
    assert_eq!(csv.lines().count(), 4);
    // Backing up onto an existing file is refused rather than overwriting it.
    let again = emis(&db, &["backup", "-o", arg(&copy)]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn enrollment_imports_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let zones = dir.path().join("zones.csv");
    std::fs::write(
        &zones,
        format!("学校标识码,年级,社区编码,社区名称\n{URBAN_PRIMARY},一年级,C01,城东社区\n"),
    )
    .expect("zones");
    let out = emis(&db, &["import", "zones", arg(&zones)]);
    assert!(out.status.success(), "{}", text(&out));
    let applicants = dir.path().join("applicants.csv");
    std::fs::write(
        &applicants,
        format!(
            "姓名,身份证件号,社区或村\n甲,{},城东社区\n乙,43122420150101,C01\n",
            student_id(2015, 1)
        ),
    )
    .expect("applicants");
    let path = arg(&applicants);
    let out = emis(&db, &["import", "applicants", path]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = emis(&db, &["import", "applicants", path, "--grade", "一年级"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("row 3, column 身份证件号:"),
        "{}",
        text(&out)
    );
    std::fs::write(
        &applicants,
        format!(
            "姓名,身份证件号,社区或村\n甲,{},城东社区\n",
            student_id(2015, 1)
        ),
    )
    .expect("applicants");
    let out = emis(&db, &["import", "applicants", path, "--grade", "一年级"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("写入1条"), "{}", text(&out));
}

/// A mistyped `EMIS_TODAY` (the pinned date) is a usage error: exit 2, named, and the
/// server does not say it started.
#[test]
fn a_mistyped_pinned_date_stops_serve_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp");
    let out = Command::new(env!("CARGO_BIN_EXE_emis"))
        .env(emis_app::clock::PIN_VARIABLE, "2021-13-40")
        .args([
            "--db",
            &sqlite_url(dir.path()),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .expect("emis runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("EMIS_TODAY=“2021-13-40”不是日期"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("已启动"), "{}", text(&out));
}

/// `--office`: a county officer's 股室, read as people write it (安全股 → 安全); an unknown
/// office, or an office for another role, is refused in Chinese before the account exists.
#[test]
fn user_add_gives_an_officer_an_office() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sqlite_url(dir.path());
    let add = |name: &str, role: &str, office: &str| {
        emis(
            &db,
            &[
                "user", "add", name, "--role", role, "--org", "431224", "--office", office,
            ],
        )
    };
    let ok = add("anquan", "officer", "安全股");
    assert!(ok.status.success(), "{}", text(&ok));
    let unknown = add("caiwu", "officer", "财务股");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown).contains("股室“财务股”无法识别（可选：办公室、党建、基础教育、资助中心"),
        "{}",
        text(&unknown)
    );
    let leader = add("juzhang", "leader", "办公室");
    assert_eq!(leader.status.code(), Some(2));
    assert!(
        text(&leader).contains("股室只用于股室账号"),
        "{}",
        text(&leader)
    );
    let plain = emis(
        &db,
        &[
            "user", "add", "renshi", "--role", "officer", "--org", "431224",
        ],
    );
    assert!(text(&plain).contains("未指定 --office"), "{}", text(&plain));
    with_db(&db, async |db| {
        assert_eq!(
            emis_storage::users::office(db, "anquan")
                .await
                .expect("office"),
            Some("安全".to_string())
        );
        assert_eq!(
            emis_storage::users::office(db, "renshi")
                .await
                .expect("office"),
            None
        );
        for refused in ["caiwu", "juzhang"] {
            assert!(emis_storage::users::find(db, refused)
                .await
                .expect("query")
                .is_none());
        }
    });
}
