//! 招生与班额 end to end on both engines: zones, distances and applicants imported (bad
//! files refused whole with every row named), allocation runs with a what-if, comparison,
//! publication, balanced classes with a recorded seed, the monitor, `classes.*` for any
//! org unit, and the large-class ledger.

use crate::on_both_engines;
use crate::support::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;
use emis_app::auth::Account;
use emis_app::enrollment as svc;
use emis_app::imports::{ImportKind, ImportOptions};

use emis_domain::access::{Role, Scope};
use emis_domain::enrollment::{form_classes, BalanceStudent, ScenarioChange};
use emis_domain::registry::Grade;
use emis_domain::term::Term;

const SECOND_PRIMARY: &str = "2143000004";

pub(crate) fn officer() -> Account {
    Account {
        username: "officer".into(),
        display_name: "基教股".into(),
        role: Role::Officer,
        org_code: "431224".into(),
        org_name: "溆浦县".into(),
        scope: Scope::County {
            county: "431224".into(),
        },
        must_change_password: false,
    }
}

fn school_account(code: &str) -> Account {
    Account {
        username: "xiaoxue".into(),
        display_name: "学校".into(),
        role: Role::SchoolAdmin,
        org_code: code.into(),
        org_name: "学校".into(),
        scope: Scope::School {
            county: "431224".into(),
            school: code.into(),
        },
        must_change_password: false,
    }
}

async fn setup(t: &TestDb) {
    emis_storage::registry::ensure_county(&t.db, &emis_domain::divisions::XUPU)
        .await
        .expect("county");
    let schools = t.path("schools.csv");
    std::fs::write(
        &schools,
        "学校标识码,学校名称,办学类型,所在乡镇,城乡类别\n\
         2143000001,溆浦县卢峰镇第一小学,小学,卢峰镇,城区\n\
         2143000002,龙潭镇中学,初级中学,龙潭镇,镇区\n\
         2143000004,溆浦县第二完全小学,小学,卢峰镇,城区\n",
    )
    .expect("schools");
    let r = import_with(t, ImportKind::Schools, &schools, &autumn_2021()).await;
    assert!(r.committed, "{:?}", r.problems);
    // One class of 60 in each term (a 大班额), and a class of 30.
    for term in [Term::spring(2021), Term::autumn(2021)] {
        let mut rows: Vec<Vec<String>> = (0..60)
            .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
            .collect();
        rows.extend((200..230).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
        let path = t.path(&format!("students-{}.xlsx", term.code()));
        write_xlsx(&path, &STUDENT_HEADERS, &rows);
        let r = import_with(
            t,
            ImportKind::Students,
            &path,
            &ImportOptions {
                term: Some(term),
                ..ImportOptions::default()
            },
        )
        .await;
        assert!(r.committed, "{:?}", r.problems);
    }
}

pub(crate) fn table(
    t: &TestDb,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    spec: &[emis_io::Column<'static>],
) -> emis_io::Table<'static> {
    let path = t.path(name);
    write_xlsx(&path, headers, rows);
    emis_io::read_table(&path, spec).expect("read")
}

pub(crate) fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

pub(crate) fn applicant_rows(from: u32, n: u32, community: &str) -> Vec<Vec<String>> {
    (from..from + n)
        .map(|i| {
            s(&[
                &format!("新生{i}"),
                &student_id(2015, i),
                community,
                "",
                if i % 3 == 0 { "否" } else { "是" },
                if i % 2 == 0 { "是" } else { "否" },
                "",
                "",
                "",
                "",
            ])
        })
        .collect()
}

/// A zones sheet of 2021 as the officer imports it.
pub(crate) async fn import_zones(t: &TestDb, name: &str, rows: &[Vec<String>]) -> svc::SheetReport {
    let sheet = table(t, name, &ZONE_HEADERS, rows, svc::ZONE_COLUMNS);
    svc::import_zones(&t.db, &officer(), 2021, &sheet, "test")
        .await
        .expect("zones")
}

/// The 2021 一年级 applicants sheet as the officer imports it.
pub(crate) async fn import_applicants(
    t: &TestDb,
    name: &str,
    rows: &[Vec<String>],
) -> svc::SheetReport {
    let sheet = table(t, name, &APPLICANT_HEADERS, rows, svc::APPLICANT_COLUMNS);
    svc::import_applicants(&t.db, &officer(), 2021, Grade::G1, &sheet, "test")
        .await
        .expect("import")
}

const ZONE_HEADERS: [&str; 5] = ["学校标识码", "年级", "社区编码", "社区名称", "所属乡镇"];

pub(crate) const APPLICANT_HEADERS: [&str; 10] = [
    "姓名",
    "身份证件号",
    "社区或村",
    "性别",
    "户籍在片区",
    "房产在片区",
    "兄姐在读学校",
    "优先类别",
    "随迁子女",
    "成绩",
];

async fn allocation_flow(t: &TestDb) {
    setup(t).await;
    let db = &t.db;
    let me = officer();

    // A bad zone file is refused whole, every problem named.
    let bad_zones = [
        s(&["9999999999", "一年级", "C01", "城东社区", ""]),
        s(&[URBAN_PRIMARY, "三年级", "C02", "城西社区", ""]),
        s(&[URBAN_PRIMARY, "一年级", "C03", "", ""]),
        s(&[URBAN_PRIMARY, "一年级", "C04", "沿河社区", ""]),
        s(&[SECOND_PRIMARY, "一年级", "C04", "沿河社区", ""]),
    ];
    let r = import_zones(t, "zones-bad.xlsx", &bad_zones).await;
    assert!(!r.committed);
    let rows: Vec<u32> = r.problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, vec![4, 5, 6, 8], "{:?}", r.problems);
    assert!(r.problems[0]
        .to_string()
        .starts_with("row 4, column 学校标识码:"));
    assert!(svc::zone_table(db, "431224", 2021)
        .await
        .expect("zones")
        .is_empty());
    // A school account may not draw zones.
    let bad = table(
        t,
        "zones-bad.xlsx",
        &ZONE_HEADERS,
        &bad_zones,
        svc::ZONE_COLUMNS,
    );
    assert!(matches!(
        svc::import_zones(db, &school_account(URBAN_PRIMARY), 2021, &bad, "t").await,
        Err(emis_app::AppError::Forbidden)
    ));

    let zones = [
        s(&[URBAN_PRIMARY, "一年级", "C01", "城东社区", "卢峰镇"]),
        s(&[URBAN_PRIMARY, "一年级", "C02", "城西社区", ""]),
        s(&[SECOND_PRIMARY, "一年级", "C03", "沿河社区", ""]),
    ];
    let r = import_zones(t, "zones.xlsx", &zones).await;
    assert!(r.committed, "{:?}", r.problems);
    // Export gives the template back.
    let exported = svc::zone_rows(db, "431224", 2021).await.expect("rows");
    assert_eq!(exported.len(), 3);
    assert_eq!(exported[0][4], "卢峰镇");

    let dist_rows: Vec<Vec<String>> = [
        ("C01", URBAN_PRIMARY, "500"),
        ("C01", SECOND_PRIMARY, "1800"),
        ("C02", URBAN_PRIMARY, "700"),
        ("C02", SECOND_PRIMARY, "1200"),
        ("C03", URBAN_PRIMARY, "1500"),
        ("C03", SECOND_PRIMARY, "400"),
    ]
    .iter()
    .map(|(c, sc, m)| s(&[c, sc, m]))
    .collect();
    let d = table(
        t,
        "d.xlsx",
        &["社区编码", "学校标识码", "距离(米)"],
        &dist_rows,
        svc::DISTANCE_COLUMNS,
    );
    let r = svc::import_distances(db, &me, &d, "test")
        .await
        .expect("distances");
    assert!(r.committed, "{:?}", r.problems);

    svc::set_plan(db, &me, 2021, Grade::G1, URBAN_PRIMARY, 1, "t")
        .await
        .expect("plan");
    svc::set_plan(db, &me, 2021, Grade::G1, SECOND_PRIMARY, 2, "t")
        .await
        .expect("plan");
    assert!(svc::set_plan(db, &me, 2021, Grade::G1, TOWN_JUNIOR, 2, "t")
        .await
        .is_err());

    // Applicants: a bad file names every bad row and writes nothing.
    let mut bad_rows = applicant_rows(1, 4, "C01");
    bad_rows[0][1] = "4312242015010100".into();
    bad_rows[1][2] = "火星村".into();
    bad_rows[2][1] = bad_rows[3][1].clone();
    bad_rows[3][7] = "外星人子女".into();
    let r = import_applicants(t, "a-bad.xlsx", &bad_rows).await;
    assert!(!r.committed);
    let named: Vec<(u32, String)> = r
        .problems
        .iter()
        .map(|p| (p.row, p.column.clone()))
        .collect();
    assert!(named.contains(&(4, "身份证件号".into())), "{named:?}");
    assert!(named.contains(&(5, "社区或村".into())), "{named:?}");
    assert!(named.contains(&(7, "身份证件号".into())), "{named:?}");
    assert!(named.contains(&(7, "优先类别".into())), "{named:?}");
    assert!(
        emis_storage::enrollment::applicants(db, "431224", 2021, Grade::G1)
            .await
            .expect("list")
            .is_empty()
    );

    // 60 applicants in the first school's zone (45 places), 10 in the second's (90).
    let mut rows = applicant_rows(1, 30, "C01");
    rows.extend(applicant_rows(31, 30, "城西社区"));
    rows.extend(applicant_rows(61, 10, "C03"));
    rows[0][7] = "军人子女".into();
    rows[1][8] = "是".into();
    let r = import_applicants(t, "a.xlsx", &rows).await;
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!(r.written, 70);

    let base = svc::run_allocation(db, &me, 2021, Grade::G1, "基础方案", vec![], "t")
        .await
        .expect("run");
    let view = svc::run_view(db, &me, base).await.expect("view");
    assert_eq!(view.run.placed, 70);
    let first = view.result.school(URBAN_PRIMARY).expect("school");
    assert_eq!(
        (first.placed, first.placed_zone, first.capacity),
        (45, 45, 45)
    );
    let second = view.result.school(SECOND_PRIMARY).expect("school");
    assert_eq!((second.placed_zone, second.placed_overflow), (10, 15));
    let placements = svc::placements(db, &me, base, None)
        .await
        .expect("placements");
    assert_eq!(placements.len(), 70);
    assert!(placements.iter().all(|p| !p.reason.is_empty()));
    assert!(placements.iter().any(|p| p.kind == "统筹安排"));
    // The school sees its own intake only.
    let own = svc::placements(db, &school_account(SECOND_PRIMARY), base, None)
        .await
        .expect("own");
    assert_eq!(own.len(), 25);
    assert!(own
        .iter()
        .all(|p| p.school_code.as_deref() == Some(SECOND_PRIMARY)));

    // What-if: one more class at the first school; compare; publish it.
    let whatif = svc::run_allocation(
        db,
        &me,
        2021,
        Grade::G1,
        "一小增加1个班",
        vec![ScenarioChange::AddClasses {
            school_code: URBAN_PRIMARY.into(),
            grade: Grade::G1,
            n: 1,
        }],
        "t",
    )
    .await
    .expect("what-if");
    let cmp = svc::compare_runs(db, &me, base, whatif)
        .await
        .expect("compare");
    assert_eq!(cmp.changed.len(), 15);
    assert_eq!(cmp.zone_placed_after, 70);
    svc::publish(db, &me, base, "t").await.expect("publish");
    svc::publish(db, &me, whatif, "t").await.expect("publish");
    let runs = svc::runs(db, &me).await.expect("runs");
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().find(|r| r.id == whatif).expect("run").published);
    assert!(!runs.iter().find(|r| r.id == base).expect("run").published);

    // Balanced classes with a recorded seed, reproducible.
    let id = svc::form_balanced(db, &me, whatif, URBAN_PRIMARY, Some(7), "t")
        .await
        .expect("classes");
    let stored = emis_storage::enrollment::balanced(db, "431224", whatif, Some(URBAN_PRIMARY))
        .await
        .expect("balanced");
    assert_eq!(stored[0].id, id);
    assert_eq!(stored[0].seed, "7");
    let groups: Vec<Vec<String>> = serde_json::from_str(&stored[0].classes_json).expect("json");
    assert_eq!(groups.len(), 2);
    assert!(groups.iter().all(|g| g.len() <= 45));
    let applicants = emis_storage::enrollment::applicants(db, "431224", 2021, Grade::G1)
        .await
        .expect("applicants");
    let students: Vec<BalanceStudent> = applicants
        .iter()
        .filter(|a| groups.iter().flatten().any(|id| id == &a.id))
        .map(|a| BalanceStudent {
            id: a.id.clone(),
            sex: a.sex,
            score: a.score,
        })
        .collect();
    assert_eq!(form_classes(&students, 45, 7), groups);
    // Another school may not form this school's classes.
    assert!(matches!(
        svc::form_balanced(
            db,
            &school_account(SECOND_PRIMARY),
            whatif,
            URBAN_PRIMARY,
            None,
            "t"
        )
        .await,
        Err(emis_app::AppError::Forbidden)
    ));

    // The monitor, classes.* for any org unit, and the ledger.
    let m = svc::monitor(db, &me.scope, Term::autumn(2021))
        .await
        .expect("monitor");
    assert_eq!((m.total.large, m.prev_total.large), (1, 1));
    assert_eq!(m.large_classes.len(), 1);
    assert_eq!(m.large_classes[0].class.size, 60);
    let school_row = m
        .by_school
        .iter()
        .find(|r| r.code == URBAN_PRIMARY)
        .expect("school");
    assert_eq!(school_row.capacity, Some(45));
    assert_eq!(school_row.free, Some(-15));
    for (org, expected) in [
        ("431224", 1),
        ("431224100", 1),
        (URBAN_PRIMARY, 1),
        (TOWN_JUNIOR, 0),
        ("431224104", 0),
    ] {
        let set = svc::class_indicators(db, &me, org, 2021)
            .await
            .expect("indicators");
        assert_eq!(
            set.get("classes.large.compulsory.autumn"),
            Some(emis_domain::indicators::Value::Count(expected)),
            "{org}"
        );
    }
    assert!(matches!(
        svc::class_indicators(db, &school_account(TOWN_JUNIOR), URBAN_PRIMARY, 2021).await,
        Err(emis_app::AppError::NotFound)
    ));
    // Settings are data: raising the 大班额 line to 61 takes the class out.
    let mut rules = emis_storage::enrollment::settings(db, "431224")
        .await
        .expect("rules");
    rules.large_from = 61;
    svc::save_settings(db, &me, &rules, "t")
        .await
        .expect("settings");
    let m = svc::monitor(db, &me.scope, Term::autumn(2021))
        .await
        .expect("monitor");
    assert_eq!(m.total.large, 0);
    rules.large_from = 56;
    svc::save_settings(db, &me, &rules, "t")
        .await
        .expect("settings");

    assert_eq!(
        svc::ledger_sync(db, &me, Term::spring(2021), "t")
            .await
            .expect("sync"),
        1
    );
    assert_eq!(
        svc::ledger_sync(db, &me, Term::spring(2021), "t")
            .await
            .expect("sync"),
        0
    );
    let entry = svc::ledger(db, &me.scope).await.expect("ledger")[0].clone();
    assert!(entry.closed_on.is_none());
    svc::ledger_update(
        db,
        &me,
        entry.id,
        "增设班级分流",
        "校长",
        "2021-09-30",
        "2021年9月1日",
        "t",
    )
    .await
    .expect("update");
    let entry = svc::ledger(db, &me.scope).await.expect("ledger")[0].clone();
    assert_eq!(entry.closed_on.as_deref(), Some("2021-09-01"));
    assert!(svc::ledger(db, &school_account(SECOND_PRIMARY).scope)
        .await
        .expect("ledger")
        .is_empty());
}

on_both_engines!(allocation_flow_end_to_end, super::allocation_flow);

/// 报名名单 with children who hold no mainland ID card: 身份证件类型 names the document, its
/// number is checked by its own shape and 性别 must then be given; such a child is kept
/// under the registry's key for that document.
async fn applicants_with_other_documents(t: &TestDb) {
    setup(t).await;
    let zones = [s(&[URBAN_PRIMARY, "一年级", "C01", "城东社区", "卢峰镇"])];
    let r = import_zones(t, "zones.xlsx", &zones).await;
    assert!(r.committed, "{:?}", r.problems);
    let mut headers = APPLICANT_HEADERS.to_vec();
    headers.push("证件类型");
    let with_document = |i: u32, number: &str, sex: &str, kind: &str| {
        let mut row = applicant_rows(i, 1, "C01").remove(0);
        row[1] = number.into();
        row[3] = sex.into();
        row.push(kind.into());
        row
    };
    let bad = [
        with_document(1, "E12345678", "", "A-护照"),
        with_document(2, "E1", "女", "A-护照"),
    ];
    let sheet = table(t, "a-bad.xlsx", &headers, &bad, svc::APPLICANT_COLUMNS);
    let r = svc::import_applicants(&t.db, &officer(), 2021, Grade::G1, &sheet, "test")
        .await
        .expect("import");
    assert!(!r.committed);
    let lines: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        [
            "row 4, column 性别: 证件不是居民身份证的报名学生须填写性别",
            "row 5, column 身份证件号: 护照号码“E1”格式不对，应为5–17位字母或数字",
        ]
    );
    let mut good = applicant_rows(10, 2, "C01");
    for row in &mut good {
        row.push(String::new());
    }
    good.push(with_document(1, "E12345678", "女", "A-护照"));
    let sheet = table(t, "a.xlsx", &headers, &good, svc::APPLICANT_COLUMNS);
    let r = svc::import_applicants(&t.db, &officer(), 2021, Grade::G1, &sheet, "test")
        .await
        .expect("import");
    assert!(r.committed, "{:?}", r.problems);
    let stored = emis_storage::enrollment::applicants(&t.db, "431224", 2021, Grade::G1)
        .await
        .expect("list");
    let passport = stored
        .iter()
        .find(|a| a.id == "A:E12345678")
        .expect("kept under the passport's key");
    assert_eq!(passport.sex, emis_domain::registry::Sex::Female);
    assert_eq!(stored.len(), 3);
}
on_both_engines!(applicant_documents, super::applicants_with_other_documents);

/// The pages and the API: the officer runs an allocation; a school sees the monitor but
/// not the zones; the monitor draws its charts as SVG.
/// A sheet with more bad rows than the listing cap: the first 1,000 problems are listed by
/// row, the rest counted and said in a note; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sheet_problems_are_listed_up_to_the_cap() {
    let t = sqlite().await;
    setup(&t).await;
    let rows = applicant_rows(1, 1_200, "火星村");
    let r = import_applicants(&t, "a-bad.xlsx", &rows).await;
    assert!(!r.committed);
    assert_eq!(r.problems.len(), 1_000);
    // The first 1,000 rows of the sheet, in order.
    assert_eq!(r.problems[999].row, r.problems[0].row + 999);
    assert_eq!(r.omitted_problems, 200);
    let note = r.omitted_note().expect("note");
    assert!(note.contains("200"), "{note}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_api_by_role() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "officer").await;
    let page = c.get("/enrollment").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("班额监测"));
    assert!(page.body.contains("招生与班额"));
    for uri in [
        "/enrollment/ledger",
        "/enrollment/zones",
        "/enrollment/applicants",
        "/enrollment/runs",
        "/enrollment/compare",
        "/api/v1/enrollment/monitor",
        "/api/v1/enrollment/indicators?org=431224",
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
    // No applicants yet: the run is refused with the reason.
    let r = c
        .post_form(
            "/enrollment/runs",
            "name=x&grade=%E4%B8%80%E5%B9%B4%E7%BA%A7&year=2021",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("尚无报名学生"));
    let r = c.get("/enrollment/runs/999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    assert_eq!(school.get("/enrollment").await.status, StatusCode::OK);
    assert_eq!(
        school.get("/enrollment/zones").await.status,
        StatusCode::FORBIDDEN
    );
    let r = school
        .get("/api/v1/enrollment/indicators?org=2143000002")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
