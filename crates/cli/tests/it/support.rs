//! Fixtures: a fresh database per test on each engine, and sample sheets.

use emis_app::Db;
use emis_domain::identity::IdNumber;
use std::path::{Path, PathBuf};

pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file of the test's directory with the given contents.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write");
        path
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("emis.db").display());
    let db = Db::open(&url).await.expect("open sqlite");
    TestDb { db, url, dir }
}

/// A private schema on the test PostgreSQL server. Without one, the test is skipped with
/// a message, unless EMIS_TEST_REQUIRE_POSTGRES is set (as CI does): then it fails.
pub async fn postgres() -> Option<TestDb> {
    let base = std::env::var("EMIS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://emis:emis@127.0.0.1:5432/emis_test".to_string());
    let required = std::env::var("EMIS_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v != "0");
    match emis_storage::testing::fresh_postgres_schema(&base).await {
        Ok(url) => {
            let db = Db::open(&url).await.expect("open postgres schema");
            Some(TestDb {
                db,
                url,
                dir: tempfile::tempdir().expect("temp dir"),
            })
        }
        Err(e) if required => panic!(
            "PostgreSQL is required (EMIS_TEST_REQUIRE_POSTGRES) but unreachable at {base}: {e}"
        ),
        Err(e) => {
            eprintln!("SKIPPED: PostgreSQL test, no server at {base} ({e}); set EMIS_TEST_POSTGRES_URL or run .ci/run");
            None
        }
    }
}

/// Runs an async check once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $check:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::support::sqlite().await;
                $check(&t).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::support::postgres().await {
                    $check(&t).await;
                }
            }
        }
    };
}

pub const URBAN_PRIMARY: &str = "2143000001";
pub const TOWN_JUNIOR: &str = "2143000002";
pub const SENIOR_HIGH: &str = "2143000003";

/// Three schools: an urban primary, a town junior school and a senior high school.
pub fn write_schools_csv(path: &Path) {
    let text = "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
        2143000001,溆浦县卢峰镇第一小学,小学,卢峰镇,城区,公办,否\n\
        2143000002,龙潭镇中学,初级中学,龙潭镇,镇区,公办,是\n\
        2143000003,溆浦县第一中学,高级中学,卢峰镇,城区,公办,是\n";
    std::fs::write(path, text).expect("write schools");
}

/// A valid ID number for the n-th test student born in `year`.
pub fn student_id(year: i32, n: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(year, 1 + (n % 12), 1 + (n % 28)).expect("date");
    IdNumber::compose("431224", birth, (n % 1000) as u16)
        .as_str()
        .to_string()
}

/// One student row in template order (学校标识码, 姓名, 性别, 身份证件号, 年级, 班级).
pub fn student_row(school: &str, n: u32, grade: &str, class: u32) -> Vec<String> {
    let year = match grade {
        "小班" => 2018,
        "混龄班" => 2017,
        "一年级" => 2014,
        "三年级" => 2012,
        "八年级" => 2007,
        "高二" => 2004,
        _ => 2010,
    };
    let id = student_id(year, n);
    let sex = if IdNumber::parse(&id).expect("valid").sex() == emis_domain::registry::Sex::Male {
        "男"
    } else {
        "女"
    };
    vec![
        school.to_string(),
        format!("学生{n}"),
        sex.to_string(),
        id,
        grade.to_string(),
        class.to_string(),
    ]
}

/// Writes an xlsx as schools send them: a title row, a blank row, then the header in the
/// given column order, then rows.
pub fn write_xlsx(path: &Path, headers: &[&str], rows: &[Vec<String>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .write_string(0, 0, "溆浦县2021年秋季学期学生名册")
        .expect("title");
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(3 + r as u32, c as u16, v).expect("cell");
        }
    }
    workbook.save(path).expect("save xlsx");
}

pub const STUDENT_HEADERS: [&str; 6] = ["学校标识码", "姓名", "性别", "身份证件号", "年级", "班级"];

/// A service outcome with its field refusal split out, as the pages see it: the tests
/// assert which field was refused and why.
pub trait FieldRefusal<T> {
    fn field_refusal(
        self,
    ) -> emis_app::Result<std::result::Result<T, emis_app::registry::FieldError>>;
}

impl<T> FieldRefusal<T> for emis_app::Result<T> {
    fn field_refusal(
        self,
    ) -> emis_app::Result<std::result::Result<T, emis_app::registry::FieldError>> {
        emis_app::AppError::field_error(self)
    }
}

/// A service call that ran (no fault) and either took its form or refused it on a field:
/// what `.field_refusal().expect(..).expect(..)` and `.expect_err(..)` say, in one step.
pub trait Outcome<T> {
    /// The call ran and took the form.
    fn accepted(self, what: &str) -> T;
    /// The call ran and refused the form on a field: that refusal.
    fn refused(self, what: &str) -> emis_app::registry::FieldError;
}

impl<T> Outcome<T> for emis_app::Result<T> {
    fn accepted(self, what: &str) -> T {
        match self.field_refusal() {
            Ok(Ok(value)) => value,
            Ok(Err(refusal)) => panic!("{what}: refused: {refusal:?}"),
            Err(e) => panic!("{what}: {e:?}"),
        }
    }

    fn refused(self, what: &str) -> emis_app::registry::FieldError {
        match self.field_refusal() {
            Ok(Err(refusal)) => refusal,
            Ok(Ok(_)) => panic!("{what}: taken, a refusal was expected"),
            Err(e) => panic!("{what}: {e:?}"),
        }
    }
}

/// The 2021 autumn term, as most imports of the tests state it.
pub fn autumn_2021() -> emis_app::imports::ImportOptions {
    emis_app::imports::ImportOptions {
        term: Some(emis_domain::term::Term::autumn(2021)),
        ..emis_app::imports::ImportOptions::default()
    }
}

/// Imports a file into the test county as the command line does.
pub async fn import_with(
    t: &TestDb,
    kind: emis_app::imports::ImportKind,
    path: &Path,
    options: &emis_app::imports::ImportOptions,
) -> emis_app::imports::ImportReport {
    emis_app::imports::import_file(
        &t.db,
        "431224",
        kind,
        path,
        options,
        &emis_app::Actor::cli(),
        &emis_app::NoProgress,
    )
    .await
    .expect("import runs")
}

/// `count` template rows of the urban primary school's class 1 of a grade.
pub fn urban_rows(count: u32, grade: &str) -> Vec<Vec<String>> {
    (0..count)
        .map(|n| student_row(URBAN_PRIMARY, n, grade, 1))
        .collect()
}

/// Where an import's problems are: (row, column).
pub fn rows_and_columns(problems: &[emis_app::imports::Problem]) -> Vec<(u32, &str)> {
    problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect()
}

/// An import's problems as the command line prints them, one a line.
pub fn problem_lines(problems: &[impl std::fmt::Display]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

/// Asserts that each of `starts` opens one of the lines.
#[track_caller]
pub fn assert_lines_start(lines: &[String], starts: &[&str]) {
    for start in starts {
        assert!(
            lines.iter().any(|l| l.starts_with(start)),
            "{start}: {lines:?}"
        );
    }
}

/// Asserts the import was refused and its problems open with each of `starts`.
#[track_caller]
pub fn assert_refused(report: &emis_app::imports::ImportReport, starts: &[&str]) {
    assert!(report.refused(), "{report:?}");
    assert_lines_start(&problem_lines(&report.problems), starts);
}

/// Imports a file with the given options and asserts it was committed.
pub async fn import_committed(
    t: &TestDb,
    kind: emis_app::imports::ImportKind,
    path: &Path,
    options: &emis_app::imports::ImportOptions,
) -> emis_app::imports::ImportReport {
    let report = import_with(t, kind, path, options).await;
    assert!(report.committed, "{:?}", report.problems);
    report
}

/// The county of 溆浦县 with its townships.
pub async fn with_county(t: &TestDb) {
    emis_storage::registry::ensure_county(&t.db, &emis_domain::divisions::XUPU)
        .await
        .expect("county");
}

/// The county of 溆浦县 and the three test schools, imported with no term stated.
pub async fn schools_without_term(t: &TestDb) -> emis_app::imports::ImportReport {
    with_county(t).await;
    let schools = t.path("schools.csv");
    write_schools_csv(&schools);
    let kind = emis_app::imports::ImportKind::Schools;
    import_committed(t, kind, &schools, &Default::default()).await
}

/// The county of 溆浦县 and the three test schools, imported for 2021 autumn.
pub async fn county_with_schools(t: &TestDb) {
    with_county(t).await;
    let schools = t.path("schools.csv");
    write_schools_csv(&schools);
    let kind = emis_app::imports::ImportKind::Schools;
    import_committed(t, kind, &schools, &autumn_2021()).await;
}

/// Template student rows imported as the 2021 autumn roll.
pub async fn autumn_roll(t: &TestDb, rows: &[Vec<String>]) {
    let file = t.path("students.xlsx");
    write_xlsx(&file, &STUDENT_HEADERS, rows);
    let kind = emis_app::imports::ImportKind::Students;
    import_committed(t, kind, &file, &autumn_2021()).await;
}

/// An account as the services see it, for calls that do not go through a login.
pub fn account_of(
    name: &str,
    role: emis_domain::access::Role,
    scope: emis_domain::access::Scope,
) -> emis_app::auth::Account {
    emis_app::auth::Account {
        username: name.into(),
        display_name: name.into(),
        role,
        org_code: String::new(),
        org_name: String::new(),
        scope,
        must_change_password: false,
    }
}

/// A county officer (股室) of 溆浦县, as the services see it.
pub fn county_officer(name: &str) -> emis_app::auth::Account {
    account_of(
        name,
        emis_domain::access::Role::Officer,
        emis_domain::access::Scope::County {
            county: "431224".into(),
        },
    )
}

/// The administrator account of one school.
pub fn school_admin(code: &str) -> emis_app::auth::Account {
    account_of(
        "principal",
        emis_domain::access::Role::SchoolAdmin,
        emis_domain::access::Scope::School {
            county: "431224".into(),
            school: code.into(),
        },
    )
}

/// 龙潭镇's township office (the town junior school's township).
pub fn longtan_office() -> emis_app::auth::Account {
    account_of(
        "longtan",
        emis_domain::access::Role::Township,
        emis_domain::access::Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        },
    )
}

/// Today on the system clock, as the services are given it by the web state.
pub fn today() -> chrono::NaiveDate {
    emis_app::Clock::system().today()
}

/// A campaign as the launch form sends it, without a 文号.
pub fn campaign_form(
    title: &str,
    planned_on: &str,
    checklist: &str,
) -> emis_app::safety::LaunchForm {
    emis_app::safety::LaunchForm {
        title: title.into(),
        planned_on: planned_on.into(),
        checklist: checklist.into(),
        document: String::new(),
    }
}

/// A second county of 怀化市 for the tests of counties side by side, with one township (the
/// compiled divisions hold 溆浦县 only; `ensure_county` makes it known).
pub const HECHENG: emis_domain::divisions::County = emis_domain::divisions::County {
    code: "431202",
    name: "鹤城区",
    full_name: "湖南省怀化市鹤城区",
    townships: &[emis_domain::divisions::Township {
        code: "431202001",
        name: "城中街道",
        urban: true,
    }],
};
