//! 控辍保学: the population import and comparison, the scope of cases, the audited case
//! workflow and the indicators, on SQLite and PostgreSQL.

use crate::on_both_engines;
use crate::support::*;
use chrono::NaiveDate;
use emis_app::auth::Account;
use emis_app::dropout::{self, CaseForm, PopulationReport};
use emis_app::Actor;
use emis_domain::access::{Role, Scope};
use emis_domain::identity::IdNumber;
use emis_domain::term::Term;
use emis_storage::dropout as store;
use emis_storage::registry;

const COUNTY: &str = "431224";
const LUFENG: &str = "431224100";
const LONGTAN: &str = "431224104";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 9, 15).expect("date")
}

/// Three schools and ten 三年级 students (born 2012) at the urban primary school, autumn 2021.
async fn with_roll(t: &TestDb) {
    county_with_schools(t).await;
    let rows: Vec<Vec<String>> = (0..10)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
        .collect();
    autumn_roll(t, &rows).await;
}

fn sex_of(id: &str) -> &'static str {
    if IdNumber::parse(id).expect("valid").sex() == emis_domain::registry::Sex::Male {
        "男"
    } else {
        "女"
    }
}

/// The suspected child: not on the roll at all, 龙潭镇.
fn missing_child() -> String {
    IdNumber::compose(
        "431224",
        NaiveDate::from_ymd_opt(2011, 5, 5).expect("d"),
        101,
    )
    .as_str()
    .to_string()
}

/// 学生3 under another number: same name, birth date and sex (a probable match).
fn other_number_of_student3() -> String {
    let own = student_id(2012, 3);
    let id = IdNumber::parse(&own).expect("valid");
    let sequence: u16 = own[14..17].parse().expect("digits");
    IdNumber::compose("431224", id.birth_date(), (sequence + 200) % 1000)
        .as_str()
        .to_string()
}

fn population_rows() -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for n in (0..10).filter(|n| *n != 3) {
        let id = student_id(2012, n);
        rows.push(vec![
            format!("学生{n}"),
            sex_of(&id).to_string(),
            id,
            "卢峰镇".into(),
            "桐木村".into(),
            format!("家长{n}"),
            format!("1380000{n:04}"),
        ]);
    }
    let probable = other_number_of_student3();
    rows.push(vec![
        "学生3".into(),
        sex_of(&probable).into(),
        probable,
        "卢峰镇".into(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let missing = missing_child();
    rows.push(vec![
        "失学儿童".into(),
        sex_of(&missing).into(),
        missing,
        "龙潭镇".into(),
        "石门村".into(),
        "监护人甲".into(),
        "13912345678".into(),
    ]);
    // 17 years old: not of compulsory age.
    let older = IdNumber::compose("431224", NaiveDate::from_ymd_opt(2004, 3, 3).expect("d"), 7)
        .as_str()
        .to_string();
    rows.push(vec![
        "大龄青年".into(),
        sex_of(&older).into(),
        older,
        "卢峰镇".into(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    rows
}

const HEADER: &str = "姓名,性别,身份证件号,户籍乡镇,户籍村(社区),监护人,联系电话";

/// A GBK csv as Excel on Chinese Windows saves it, with a title row.
fn write_gbk(path: &std::path::Path, rows: &[Vec<String>]) {
    let mut text = format!("溆浦县户籍适龄人口名册\n{HEADER}\n");
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    std::fs::write(path, bytes).expect("write gbk");
}

async fn import(t: &TestDb, path: &std::path::Path) -> PopulationReport {
    dropout::import_population_file(&t.db, COUNTY, path, as_of(), None, false, &Actor::cli())
        .await
        .expect("import runs")
}

async fn audit_count(t: &TestDb) -> i64 {
    registry::count(&t.db, "audit_log", COUNTY)
        .await
        .expect("count")
}

fn account(role: Role, scope: Scope) -> Account {
    Account {
        username: format!("{}-user", role.code()),
        display_name: "测试".into(),
        role,
        org_code: String::new(),
        org_name: String::new(),
        scope,
        must_change_password: false,
    }
}

fn county_scope() -> Scope {
    Scope::County {
        county: COUNTY.into(),
    }
}

async fn population_import_compares_and_opens_cases(t: &TestDb) {
    with_roll(t).await;
    let path = t.path("population.csv");
    write_gbk(&path, &population_rows());
    let report = import(t, &path).await;
    assert!(report.import.committed, "{:?}", report.import.problems);
    assert_eq!(report.term, "2021-autumn");
    assert_eq!(report.counts.school_age, 11);
    assert_eq!(report.counts.in_school, 9);
    assert_eq!(report.counts.suspected, 2);
    assert_eq!(report.counts.probable, 1);
    assert_eq!(report.cases_created, 2);

    let snapshot = store::snapshot_by_date(&t.db, COUNTY, "2021-09-15")
        .await
        .expect("snapshot")
        .expect("stored");
    assert_eq!(snapshot.suspected, 2);
    let (_, suspected) = dropout::ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        100,
    )
    .await
    .expect("ledger");
    assert_eq!(suspected.len(), 2);
    let probable = suspected
        .iter()
        .find(|p| p.name == "学生3")
        .expect("probable in ledger");
    assert_eq!(
        probable.candidate_id.as_deref(),
        Some(student_id(2012, 3).as_str())
    );
    assert!(probable
        .candidate_reason
        .as_deref()
        .is_some_and(|r| r.contains("姓名、出生日期、性别相同")));
    let case_id = store::all_cases(&t.db, COUNTY)
        .await
        .expect("cases")
        .into_iter()
        .find(|c| c.name == "学生3")
        .expect("case")
        .id;
    let view = dropout::case(&t.db, &county_scope(), case_id, as_of())
        .await
        .expect("case view");
    assert_eq!(
        view.person.and_then(|p| p.candidate_id),
        Some(student_id(2012, 3))
    );

    // Re-importing the same snapshot changes nothing: no new case, no audit entry.
    let audit_before = audit_count(t).await;
    let again = import(t, &path).await;
    assert!(!again.import.committed);
    assert_eq!(again.import.unchanged, 12);
    assert_eq!(again.cases_created, 0);
    assert_eq!(audit_count(t).await, audit_before);

    // A later snapshot with the same children does not duplicate the open cases.
    let later = dropout::import_population_file(
        &t.db,
        COUNTY,
        &path,
        NaiveDate::from_ymd_opt(2021, 10, 15).expect("d"),
        None,
        false,
        &Actor::cli(),
    )
    .await
    .expect("later");
    assert!(later.import.committed);
    assert_eq!(later.cases_created, 0);
    assert_eq!(
        store::all_cases(&t.db, COUNTY).await.expect("cases").len(),
        2
    );
}
on_both_engines!(
    population_import,
    super::population_import_compares_and_opens_cases
);

async fn bad_rows_are_named_and_nothing_changes(t: &TestDb) {
    with_roll(t).await;
    let mut rows = population_rows();
    rows[0][1] = if rows[0][1] == "男" { "女" } else { "男" }.into();
    rows[1][3] = "火星镇".into();
    rows[2][2] = "12345".into();
    rows[4][1] = rows[5][1].clone();
    rows[4][2] = rows[5][2].clone();
    let path = t.path("bad.csv");
    write_gbk(&path, &rows);
    let audit_before = audit_count(t).await;
    let report = import(t, &path).await;
    assert!(!report.import.committed);
    let lines: Vec<String> = report
        .import
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect();
    // The header is on line 2, so the first person is row 3.
    assert!(
        lines.contains(&"row 3, column 性别: 性别“女”与身份证件号不一致".to_string())
            || lines.contains(&"row 3, column 性别: 性别“男”与身份证件号不一致".to_string()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 4, column 户籍乡镇:")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 5, column 身份证件号:")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 8, column 身份证件号: 与第7行重复")),
        "{lines:?}"
    );
    assert!(store::snapshots(&t.db, COUNTY).await.expect("s").is_empty());
    assert!(store::all_cases(&t.db, COUNTY).await.expect("c").is_empty());
    assert_eq!(audit_count(t).await, audit_before);
}
on_both_engines!(
    population_bad_rows,
    super::bad_rows_are_named_and_nothing_changes
);

async fn imported(t: &TestDb) -> (i64, i64) {
    with_roll(t).await;
    let path = t.path("population.csv");
    write_gbk(&path, &population_rows());
    assert!(import(t, &path).await.import.committed);
    let cases = store::all_cases(&t.db, COUNTY).await.expect("cases");
    let missing = cases
        .iter()
        .find(|c| c.person_id_number == missing_child())
        .expect("missing child's case")
        .id;
    let probable = cases
        .iter()
        .find(|c| c.name == "学生3")
        .expect("probable case")
        .id;
    (missing, probable)
}

async fn cases_are_scoped(t: &TestDb) {
    let (missing, probable) = imported(t).await;
    let longtan = Scope::Township {
        county: COUNTY.into(),
        township: LONGTAN.into(),
    };
    let lufeng = Scope::Township {
        county: COUNTY.into(),
        township: LUFENG.into(),
    };
    let q = store::CaseQuery::default();
    let seen = |rows: Vec<store::CaseRow>| rows.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        seen(store::cases(&t.db, &longtan, &q).await.expect("l")),
        vec![missing]
    );
    assert_eq!(
        seen(store::cases(&t.db, &lufeng, &q).await.expect("f")),
        vec![probable]
    );
    // The probable match's case goes to the candidate's school.
    let school = Scope::School {
        county: COUNTY.into(),
        school: URBAN_PRIMARY.into(),
    };
    assert_eq!(
        seen(store::cases(&t.db, &school, &q).await.expect("s")),
        vec![probable]
    );
    let other = Scope::School {
        county: COUNTY.into(),
        school: TOWN_JUNIOR.into(),
    };
    assert!(store::cases(&t.db, &other, &q).await.expect("o").is_empty());

    // A township office cannot work another township's case: not found, nothing written.
    let office = account(Role::Township, lufeng);
    let form = CaseForm {
        action: "visit".into(),
        date: Some("2021-09-20".into()),
        kind: Some("走访".into()),
        note: Some("入户走访".into()),
        ..CaseForm::default()
    };
    let err = dropout::act(
        &t.db,
        &office,
        missing,
        &form,
        "test",
        crate::support::today(),
    )
    .await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)), "{err:?}");
    // A leader reads but does not work cases.
    let leader = account(Role::Leader, county_scope());
    let err = dropout::act(
        &t.db,
        &leader,
        missing,
        &form,
        "test",
        crate::support::today(),
    )
    .await;
    assert!(matches!(err, Err(emis_app::AppError::Forbidden)), "{err:?}");
    assert!(store::events(&t.db, missing).await.expect("e").is_empty());
}
on_both_engines!(dropout_case_scope, super::cases_are_scoped);

async fn workflow_is_audited_and_indicators_follow(t: &TestDb) {
    let (missing, probable) = imported(t).await;
    let office = account(
        Role::Township,
        Scope::Township {
            county: COUNTY.into(),
            township: LONGTAN.into(),
        },
    );
    let act = |form: CaseForm, id: i64| {
        let office = office.clone();
        async move {
            dropout::act(&t.db, &office, id, &form, "test", crate::support::today())
                .await
                .field_refusal()
                .expect("act runs")
        }
    };
    let indicators = || async {
        emis_app::report::annual_indicators(&t.db, COUNTY, 2021)
            .await
            .expect("indicators")
    };
    let count = |set: &emis_domain::indicators::IndicatorSet, code: &str| match set.get(code) {
        Some(emis_domain::indicators::Value::Count(n)) => n,
        other => panic!("{code}: {other:?}"),
    };
    let set = indicators().await;
    assert_eq!(count(&set, "dropout.suspected"), 2);
    assert_eq!(count(&set, "dropout.probable"), 1);
    assert_eq!(count(&set, "dropout.unresolved"), 2);

    let audit_before = audit_count(t).await;
    let assigned = act(
        CaseForm {
            action: "assign".into(),
            township_cadre: Some("乡干部甲".into()),
            school_code: Some(TOWN_JUNIOR.into()),
            school_contact: Some("校长乙".into()),
            teacher: Some("教师丙".into()),
            ..CaseForm::default()
        },
        missing,
    )
    .await
    .expect("assigned");
    assert_eq!(assigned.school_code.as_deref(), Some(TOWN_JUNIOR));
    // Closing as 劝返复学 without a visit is refused, next to the field.
    let refused = act(
        CaseForm {
            action: "close".into(),
            outcome: Some("劝返复学".into()),
            date: Some("2021-09-30".into()),
            evidence: Some("复学登记表".into()),
            ..CaseForm::default()
        },
        missing,
    )
    .await
    .expect_err("needs a visit");
    assert_eq!(refused.field, "date");
    assert!(refused.reason.contains("走访或电话"), "{}", refused.reason);
    let no_evidence = act(
        CaseForm {
            action: "close".into(),
            outcome: Some("劝返复学".into()),
            date: Some("2021-09-30".into()),
            ..CaseForm::default()
        },
        missing,
    )
    .await
    .expect_err("needs evidence");
    assert_eq!(no_evidence.field, "evidence");
    let visited = act(
        CaseForm {
            action: "visit".into(),
            date: Some("2021-09-20".into()),
            kind: Some("走访".into()),
            note: Some("入户走访，家长同意返校".into()),
            ..CaseForm::default()
        },
        missing,
    )
    .await
    .expect("visit");
    assert_eq!(visited.status, "劝返中");
    let closed = act(
        CaseForm {
            action: "close".into(),
            outcome: Some("劝返复学".into()),
            date: Some("2021-09-30".into()),
            evidence: Some("复学登记表".into()),
            ..CaseForm::default()
        },
        missing,
    )
    .await
    .expect("closed");
    assert_eq!(closed.status, "已销号");
    assert_eq!(closed.outcome.as_deref(), Some("劝返复学"));
    assert_eq!(audit_count(t).await, audit_before + 3);
    let entries: Vec<String> =
        emis_storage::lists::audit(&t.db, COUNTY, None, Some("dropout_case"), None, None, 1)
            .await
            .expect("audit")
            .items
            .into_iter()
            .map(|e| e.action)
            .collect();
    for action in ["case.assign", "case.visit", "case.close"] {
        assert!(entries.iter().any(|a| a == action), "{action}: {entries:?}");
    }
    // The school assigned now sees the case and its log.
    let school = Scope::School {
        county: COUNTY.into(),
        school: TOWN_JUNIOR.into(),
    };
    let view = dropout::case(&t.db, &school, missing, as_of())
        .await
        .expect("school sees it");
    assert_eq!(view.events.len(), 1);

    let set = indicators().await;
    assert_eq!(count(&set, "dropout.unresolved"), 1);

    // The probable match confirmed by the county office closes the last case.
    let officer = account(Role::Officer, county_scope());
    dropout::act(
        &t.db,
        &officer,
        probable,
        &CaseForm {
            action: "close".into(),
            outcome: Some("户籍信息错误（姓名或证件号错误）".into()),
            date: Some("2021-09-25".into()),
            evidence: Some("与学籍核对为同一人".into()),
            ..CaseForm::default()
        },
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("closed");
    let set = indicators().await;
    assert_eq!(count(&set, "dropout.suspected"), 2);
    assert_eq!(count(&set, "dropout.probable"), 0);
    assert_eq!(count(&set, "dropout.unresolved"), 0);

    // Reopening keeps the earlier closure in the log and counts the child again.
    dropout::act(
        &t.db,
        &office,
        missing,
        &CaseForm {
            action: "reopen".into(),
            date: Some("2021-10-20".into()),
            reason: Some("复学后再次未到校".into()),
            ..CaseForm::default()
        },
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("reopened");
    let set = indicators().await;
    assert_eq!(count(&set, "dropout.unresolved"), 1);
    let view = dropout::case(&t.db, &county_scope(), missing, as_of())
        .await
        .expect("case");
    assert_eq!(view.row.status, "待核查");
    assert!(view.events.iter().any(|e| e.kind == "重新打开"));

    // 送教上门: a plan for a student of the term counts for that term.
    let plan = dropout::save_plan(
        &t.db,
        &officer,
        &dropout::PlanForm {
            id_number: student_id(2012, 5),
            term: "2021-autumn".into(),
            teachers: "教师甲、教师乙".into(),
            plan: "每两周送教一次".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("plan");
    dropout::log_home_visit(
        &t.db,
        &officer,
        plan,
        &dropout::HomeVisitForm {
            date: "2021-10-08".into(),
            hours: "2".into(),
            teacher: "教师甲".into(),
            content: "生活适应训练".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("visit");
    let set = indicators().await;
    assert_eq!(count(&set, "dropout.home_teaching.autumn"), 1);
    assert_eq!(count(&set, "dropout.home_teaching.spring"), 0);
    let dashboard = dropout::dashboard(&t.db, &county_scope(), as_of())
        .await
        .expect("dashboard");
    let per_term: Vec<i64> = dashboard.home_teaching.iter().map(|t| t.1).collect();
    assert_eq!(per_term, vec![0, 1], "spring, autumn");
    let plans = store::plans(&t.db, &county_scope(), "2021-autumn", 10)
        .await
        .expect("plans");
    assert_eq!(plans[0].visits, 1);
    assert_eq!(plans[0].minutes, 120);
}
on_both_engines!(
    dropout_workflow,
    super::workflow_is_audited_and_indicators_follow
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_masks_unless_asked_and_audits_unmasked() {
    let t = sqlite().await;
    imported(&t).await;
    let out = t.path("ledger.csv");
    let rows = dropout::export_ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        &out,
        false,
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert_eq!(rows, 2);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(!text.contains(&missing_child()));
    assert!(text.contains("139****5678"));
    let before = audit_count(&t).await;
    dropout::export_ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        &out,
        true,
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert!(std::fs::read_to_string(&out)
        .expect("read")
        .contains(&missing_child()));
    assert_eq!(audit_count(&t).await, before + 1);
}

async fn poverty_list_marks_the_suspected(t: &TestDb) {
    with_roll(t).await;
    let list = t.path("poverty.csv");
    std::fs::write(
        &list,
        format!(
            "身份证件号,姓名,户主姓名\n{},失学儿童,监护人甲\n{},学生1,家长1\n",
            missing_child(),
            student_id(2012, 1)
        ),
    )
    .expect("write");
    let report = dropout::import_poverty_file(&t.db, COUNTY, &list, &Actor::cli())
        .await
        .expect("poverty");
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.inserted, 2);
    let again = dropout::import_poverty_file(&t.db, COUNTY, &list, &Actor::cli())
        .await
        .expect("poverty again");
    assert!(!again.committed);
    assert_eq!(again.unchanged, 2);

    let path = t.path("population.csv");
    write_gbk(&path, &population_rows());
    let report = import(t, &path).await;
    assert!(report.import.committed);
    // Only the suspected child is marked: 学生1 is in school.
    assert_eq!(report.counts.poverty_household, 1);
    let (_, suspected) = dropout::ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        100,
    )
    .await
    .expect("ledger");
    let marked: Vec<&str> = suspected
        .iter()
        .filter(|p| p.poverty)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(marked, vec!["失学儿童"]);
}
on_both_engines!(dropout_poverty, super::poverty_list_marks_the_suspected);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_files_are_type_checked_and_stored_next_to_the_database() {
    let t = sqlite().await;
    let (missing, _) = imported(&t).await;
    let officer = account(Role::Officer, county_scope());
    let refused = dropout::attach(&t.db, &officer, missing, "note.txt", b"hello", "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect_err("not an image or pdf");
    assert_eq!(refused.field, "file");
    let too_big = vec![0xFFu8; emis_domain::files::MAX_FILE_BYTES + 1];
    let refused = dropout::attach(&t.db, &officer, missing, "big.jpg", &too_big, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect_err("too big");
    assert!(refused.reason.contains("10 MB"));
    let pdf = b"%PDF-1.4\n%evidence\n";
    dropout::attach(&t.db, &officer, missing, "复学登记表.pdf", pdf, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("stored");
    let view = dropout::case(&t.db, &county_scope(), missing, as_of())
        .await
        .expect("case");
    assert_eq!(view.attachments.len(), 1);
    let a = &view.attachments[0];
    assert_eq!(a.mime, "application/pdf");
    assert_eq!(a.file_name, "复学登记表.pdf");
    let stored = emis_app::attachments::Attachments::of(&t.db)
        .path(&a.stored_path)
        .expect("a key inside the data directory");
    assert!(stored.starts_with(t.dir.path()));
    assert_eq!(std::fs::read(&stored).expect("file"), pdf);
    // Another township's office cannot attach to the case.
    let lufeng = account(
        Role::Township,
        Scope::Township {
            county: COUNTY.into(),
            township: LUFENG.into(),
        },
    );
    let err = dropout::attach(&t.db, &lufeng, missing, "x.pdf", pdf, "test").await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)));
}

/// The pages and the JSON API over the same services: the township office lists and works
/// its case through the API, the page shows the visit, a school sees nothing of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_api_work_the_same_cases() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut office = Client::new(&f.app);
    assert_eq!(
        office.login("longtan", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let list = office.get("/api/v1/dropout/cases").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let json: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert!(items[0]["person_id_number"]
        .as_str()
        .is_some_and(|id| id.contains("**********")));
    let id = items[0]["id"].as_i64().expect("id");
    assert_eq!(id, f.other_case);

    let reply = office
        .send(
            Method::POST,
            &format!("/api/v1/dropout/cases/{id}"),
            Some("application/json"),
            r#"{"action":"close","outcome":"劝返复学","date":"2021-09-30","evidence":"复学登记表"}"#
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("走访或电话"), "{}", reply.body);
    let reply = office
        .send(
            Method::POST,
            &format!("/api/v1/dropout/cases/{id}"),
            Some("application/json"),
            r#"{"action":"visit","date":"2021-09-20","kind":"电话","note":"电话联系监护人"}"#
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(json["case"]["status"], "劝返中");
    assert_eq!(json["events"].as_array().map(Vec::len), Some(1));

    let page = office.get(&format!("/dropout/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("电话联系监护人"));
    assert!(
        page.body.contains("id=\"case-finding\">疑似辍学"),
        "{}",
        page.body
    );
    let dashboard = office.get("/dropout").await;
    assert!(dashboard.body.contains("龙潭镇"), "{}", dashboard.body);
    let ledger = office.get("/dropout/ledger?ledger=suspected").await;
    assert!(ledger.body.contains("失学儿童"));

    // A school account sees neither the case nor the child.
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let list = school.get("/api/v1/dropout/cases").await;
    let json: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        school.get(&format!("/dropout/cases/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let ledger = school.get("/dropout/ledger?ledger=suspected").await;
    assert!(!ledger.body.contains("失学儿童"));

    // Home-teaching plan through the API, counted in the list.
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let reply = officer
        .send(
            Method::POST,
            &format!("/api/v1/dropout/home-teaching/{}/visits", f.other_plan),
            Some("application/json"),
            r#"{"date":"2021-10-08","hours":"2","teacher":"教师甲","content":"生活适应"}"#
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let plans = officer
        .get("/api/v1/dropout/home-teaching?term=2021-autumn")
        .await;
    let json: serde_json::Value = serde_json::from_str(&plans.body).expect("json");
    assert_eq!(json["students"], 1);
    assert_eq!(json["items"][0]["visits"], 1);
}

/// The dropout-case actions audited on a case, oldest first.
async fn case_audit_actions(t: &TestDb, case: i64) -> Vec<String> {
    let page =
        emis_storage::lists::audit(&t.db, COUNTY, None, Some(&case.to_string()), None, None, 1)
            .await
            .expect("audit");
    page.items
        .into_iter()
        .rev()
        .filter(|r| r.entity == "dropout_case")
        .map(|r| r.action)
        .collect()
}

fn later() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 1).expect("date")
}

/// Imports the same population file again as the snapshot of `date`.
async fn import_on(t: &TestDb, date: NaiveDate) -> PopulationReport {
    let path = t.path("population.csv");
    dropout::import_population_file(&t.db, COUNTY, &path, date, None, false, &Actor::cli())
        .await
        .expect("import runs")
}

async fn indicator(t: &TestDb, code: &str) -> i64 {
    let set = emis_app::report::annual_indicators(&t.db, COUNTY, 2021)
        .await
        .expect("indicators");
    match set.get(code) {
        Some(emis_domain::indicators::Value::Count(n)) => n,
        other => panic!("{code}: {other:?}"),
    }
}

fn decide(action: &str) -> CaseForm {
    CaseForm {
        action: action.into(),
        ..CaseForm::default()
    }
}

async fn a_confirmed_match_closes_the_case_and_is_not_raised_again(t: &TestDb) {
    let (missing, probable) = imported(t).await;
    let view = dropout::case(&t.db, &county_scope(), probable, as_of())
        .await
        .expect("case");
    let pending = view.pending_match.expect("a match to decide");
    let student = &pending.student;
    assert_eq!(student.name, "学生3");
    assert_eq!(student.school_code, URBAN_PRIMARY);
    assert_eq!(
        (student.grade.as_str(), student.class_number),
        ("三年级", 1)
    );
    assert!(!student.id_number.contains(&student_id(2012, 3)[6..14]));
    assert!(pending.reason.contains("姓名、出生日期、性别相同"));
    assert_eq!(indicator(t, "dropout.probable").await, 1);

    // The case is 卢峰镇's: 龙潭镇's office gets "not found".
    let longtan = account(
        Role::Township,
        Scope::Township {
            county: COUNTY.into(),
            township: LONGTAN.into(),
        },
    );
    let err = dropout::act(
        &t.db,
        &longtan,
        probable,
        &decide("confirm-match"),
        "test",
        crate::support::today(),
    )
    .await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)), "{err:?}");
    // A case without a probable match has nothing to confirm.
    let officer = account(Role::Officer, county_scope());
    let nothing = dropout::act(
        &t.db,
        &officer,
        missing,
        &decide("confirm-match"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("no match to confirm");
    assert_eq!(nothing.field, "action");

    // The closing date the officer picks: not after today, not before the snapshot.
    let on = |date: NaiveDate| CaseForm {
        date: Some(date.to_string()),
        ..decide("confirm-match")
    };
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
    let before_snapshot = as_of() - chrono::Days::new(1);
    for refused in [tomorrow, before_snapshot] {
        let err = dropout::act(
            &t.db,
            &officer,
            probable,
            &on(refused),
            "test",
            crate::support::today(),
        )
        .await
        .field_refusal()
        .expect("runs")
        .expect_err("date refused");
        assert_eq!(err.field, "date", "{refused}: {}", err.reason);
        assert!(err.reason.contains(&refused.to_string()), "{}", err.reason);
    }
    let closing = as_of() + chrono::Days::new(20);
    let closed = dropout::act(
        &t.db,
        &officer,
        probable,
        &on(closing),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("confirmed");
    assert_eq!(closed.closed_on, Some(closing.to_string()));
    assert_eq!(closed.status, "已销号");
    assert_eq!(closed.outcome.as_deref(), Some("已在籍"));
    assert!(closed
        .evidence
        .as_deref()
        .is_some_and(|e| e.contains("同一人")));
    assert_eq!(
        case_audit_actions(t, probable)
            .await
            .last()
            .map(String::as_str),
        Some("case.match_confirm")
    );
    let view = dropout::case(&t.db, &county_scope(), probable, as_of())
        .await
        .expect("case");
    assert!(view.pending_match.is_none());
    let person = view.person.expect("person");
    assert_eq!(person.finding.as_deref(), Some("在籍在校"));
    assert_eq!(person.school_code.as_deref(), Some(URBAN_PRIMARY));
    assert!(view
        .events
        .iter()
        .any(|e| e.kind == "匹配核实" && e.event_date == closing.to_string()));
    // Deciding twice is refused.
    let again = dropout::act(
        &t.db,
        &officer,
        probable,
        &decide("reject-match"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("decided already");
    assert_eq!(again.field, "action");

    let snapshot = store::snapshot_by_date(&t.db, COUNTY, &as_of().to_string())
        .await
        .expect("snapshot")
        .expect("stored");
    assert_eq!((snapshot.suspected, snapshot.probable), (1, 0));
    assert_eq!(indicator(t, "dropout.suspected").await, 1);
    assert_eq!(indicator(t, "dropout.probable").await, 0);
    assert_eq!(indicator(t, "dropout.unresolved").await, 1);

    // The same file again on the same date changes nothing; on a later date the child
    // counts as found on the roll and gets no new case.
    let same = import_on(t, as_of()).await;
    assert!(!same.import.committed);
    let next = import_on(t, later()).await;
    assert!(next.import.committed);
    assert_eq!(next.counts.in_school, 10);
    assert_eq!((next.counts.suspected, next.counts.probable), (1, 0));
    assert_eq!(next.cases_created, 0);
    let (_, ledger) = dropout::ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery {
            snapshot: Some(later().to_string()),
            ..store::LedgerQuery::of(store::Ledger::Suspected)
        },
        100,
    )
    .await
    .expect("ledger");
    assert!(ledger.iter().all(|p| p.name != "学生3"));
}
on_both_engines!(
    dropout_match_confirmed,
    super::a_confirmed_match_closes_the_case_and_is_not_raised_again
);

async fn a_rejected_match_keeps_the_child_suspected_and_is_not_asked_again(t: &TestDb) {
    let (_, probable) = imported(t).await;
    let lufeng = account(
        Role::Township,
        Scope::Township {
            county: COUNTY.into(),
            township: LUFENG.into(),
        },
    );
    let row = dropout::act(
        &t.db,
        &lufeng,
        probable,
        &decide("reject-match"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("rejected");
    assert_eq!(row.status, "待核查");
    assert_eq!(row.outcome, None);
    assert_eq!(
        case_audit_actions(t, probable)
            .await
            .last()
            .map(String::as_str),
        Some("case.match_reject")
    );
    let view = dropout::case(&t.db, &county_scope(), probable, as_of())
        .await
        .expect("case");
    assert!(view.pending_match.is_none());
    assert_eq!(
        view.person.and_then(|p| p.finding).as_deref(),
        Some("疑似辍学")
    );
    assert_eq!(indicator(t, "dropout.suspected").await, 2);
    assert_eq!(indicator(t, "dropout.probable").await, 0);
    assert_eq!(indicator(t, "dropout.unresolved").await, 2);

    let next = import_on(t, later()).await;
    assert!(next.import.committed);
    assert_eq!((next.counts.suspected, next.counts.probable), (2, 0));
    // Still the one open case: no second case for the same child.
    assert_eq!(next.cases_created, 0);
    let snapshot = store::snapshot_by_date(&t.db, COUNTY, &later().to_string())
        .await
        .expect("snapshot")
        .expect("stored");
    let person = store::persons(&t.db, snapshot.id)
        .await
        .expect("persons")
        .into_iter()
        .find(|p| p.name == "学生3")
        .expect("学生3");
    assert_eq!(person.finding.as_deref(), Some("疑似辍学"));
    assert_eq!(person.candidate_id, None);

    // The change view: a December roll without the missing child.
    let without: Vec<Vec<String>> = population_rows()
        .into_iter()
        .filter(|r| r[2] != missing_child())
        .collect();
    let path = t.path("population-december.csv");
    write_gbk(&path, &without);
    let december = NaiveDate::from_ymd_opt(2021, 12, 1).expect("date");
    let report =
        dropout::import_population_file(&t.db, COUNTY, &path, december, None, false, &Actor::cli())
            .await
            .expect("import runs");
    assert!(report.import.committed);
    let dashboard = dropout::dashboard(&t.db, &county_scope(), december)
        .await
        .expect("dashboard");
    let changes = dashboard.changes.expect("two snapshots to compare");
    assert_eq!(
        (changes.previous.as_str(), changes.current.as_str()),
        ("2021-11-01", "2021-12-01")
    );
    assert!(changes.newly_suspected.is_empty());
    let gone: Vec<(&str, &str)> = changes
        .no_longer_suspected
        .iter()
        .map(|c| (c.name.as_str(), c.other_finding.as_str()))
        .collect();
    assert_eq!(gone, vec![("失学儿童", "不在名册中")]);
    assert_eq!(changes.no_longer_suspected[0].township, "龙潭镇");
}
on_both_engines!(
    dropout_match_rejected,
    super::a_rejected_match_keeps_the_child_suspected_and_is_not_asked_again
);

/// The export writes what the page lists: the same filters (township, school, search).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_follows_the_filters() {
    let t = sqlite().await;
    imported(&t).await;
    let out = t.path("ledger.csv");
    let export = |query: store::LedgerQuery| {
        let out = out.clone();
        let t = &t;
        async move {
            dropout::export_ledger(&t.db, &county_scope(), &query, &out, false, &Actor::cli())
                .await
                .expect("export");
            std::fs::read_to_string(&out).expect("read")
        }
    };
    let all = export(store::LedgerQuery::of(store::Ledger::SchoolAge)).await;
    assert!(all.contains("失学儿童") && all.contains("学生0"));
    let query =
        store::LedgerQuery::from_params(Some("school-age"), None, Some(LONGTAN), None, Some(" "));
    let longtan = export(query.clone()).await;
    assert!(longtan.contains("失学儿童") && !longtan.contains("学生0"));
    let (_, listed) = dropout::ledger(&t.db, &county_scope(), &query, 100)
        .await
        .expect("ledger");
    assert_eq!(listed.len(), 1);
    let by_name = export(store::LedgerQuery::from_params(
        Some("school-age"),
        None,
        None,
        None,
        Some("学生"),
    ))
    .await;
    assert!(!by_name.contains("失学儿童") && by_name.contains("学生9"));
    let by_school = export(store::LedgerQuery::from_params(
        Some("school-age"),
        None,
        None,
        Some(URBAN_PRIMARY),
        None,
    ))
    .await;
    assert!(by_school.contains("学生0") && !by_school.contains("失学儿童"));
}

/// Ledger rows link to their 一人一案, and a case links back to its child's row in the
/// ledger of the case's snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_rows_and_cases_link_to_each_other() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::StatusCode;
    let f = fixture(sqlite().await).await;
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let case_href = format!("/dropout/cases/{}\"", f.other_case);
    let suspected = officer.get("/dropout/ledger?ledger=suspected").await;
    assert_eq!(suspected.status, StatusCode::OK);
    assert!(suspected.body.contains(&case_href), "{}", suspected.body);
    // every suspected child has a case, so every row links to one
    let rows = suspected.body.matches("<tr><td>").count();
    assert!(rows > 0);
    assert_eq!(suspected.body.matches("class=\"case-link\"").count(), rows);
    // children in school have no case
    let in_school = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&school={URBAN_PRIMARY}"
        ))
        .await;
    assert!(in_school.body.matches("<tr><td>").count() > 0);
    assert!(!in_school.body.contains("class=\"case-link\""));

    let case_page = officer
        .get(&format!("/dropout/cases/{}", f.other_case))
        .await;
    let ledger_href = case_page
        .body
        .split("id=\"case-ledger-link\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the ledger")
        .replace("&#38;", "&");
    assert!(
        ledger_href.starts_with("/dropout/ledger?ledger=school-age&snapshot=2021-09-15&"),
        "{ledger_href}"
    );
    let ledger = officer.get(&ledger_href).await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert_eq!(
        ledger.body.matches("<tr><td>").count(),
        1,
        "{}",
        ledger.body
    );
    assert!(ledger.body.contains(&case_href), "{}", ledger.body);
}

/// On the pages: the export link carries the page's filters, and evidence files download
/// under their name (audited, 404 outside the scope).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_export_with_filters_and_download_evidence() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{header, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let page = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&township={LONGTAN}&q=%E5%A4%B1%E5%AD%A6"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "/dropout/ledger/export?ledger=school-age&#38;snapshot=2021-09-15&#38;township={LONGTAN}&#38;school=&#38;q=%E5%A4%B1%E5%AD%A6"
        )),
        "{}",
        page.body
    );
    let export = officer
        .get(&format!(
            "/dropout/ledger/export?ledger=school-age&township={LONGTAN}"
        ))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    // 送教上门 per term: the fixture's one plan, autumn 2021.
    let plans = officer.get("/dropout/home-teaching?term=2021-autumn").await;
    let per_term = plans
        .body
        .split("id=\"per-term\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("per-term line");
    assert!(
        per_term.contains("秋季") && per_term.contains(" 1 人"),
        "{per_term}"
    );

    let href = format!(
        "/dropout/cases/{}/attachments/{}",
        f.other_case, f.other_attachment
    );
    let case_page = officer
        .get(&format!("/dropout/cases/{}", f.other_case))
        .await;
    assert!(case_page.body.contains(&href), "{}", case_page.body);
    let before = audit_count(&f.t).await;
    let file = officer.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = file.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("UTF-8''%E5%A4%8D%E5%AD%A6%E8%AF%81%E6%98%8E.pdf"),
        "{disposition}"
    );
    assert!(file.body.starts_with("%PDF-"));
    assert_eq!(audit_count(&f.t).await, before + 1);
    // The urban school's accounts do not see the case: not found (a 班主任 is refused
    // dropout records altogether), nothing audited.
    for (user, status) in [
        ("xiaoxue", StatusCode::NOT_FOUND),
        ("banzhuren", StatusCode::FORBIDDEN),
    ] {
        let mut other = Client::new(&f.app);
        other.login(user, PASSWORD).await;
        let before = audit_count(&f.t).await;
        assert_eq!(other.get(&href).await.status, status, "{user}");
        assert_eq!(audit_count(&f.t).await, before);
    }
    // Another case's id with this file's id: not found either.
    let wrong = format!(
        "/dropout/cases/{}/attachments/{}",
        f.other_case + 1000,
        f.other_attachment
    );
    assert_eq!(officer.get(&wrong).await.status, StatusCode::NOT_FOUND);
}

/// The JSON API decides a probable match like the page: the case shows the roll student
/// (ID masked), `confirm-match` closes it as 已在籍, and the decision is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_confirms_a_probable_match() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    // A November roll listing one urban pupil under another number (same name, birth
    // date and sex).
    let pupil = store::roll_for_matching(&f.t.db, COUNTY, "2021-autumn")
        .await
        .expect("roll")
        .into_iter()
        .find(|s| s.school_code == URBAN_PRIMARY)
        .expect("an urban pupil");
    let own = IdNumber::parse(&pupil.id_number).expect("valid");
    let sequence: u16 = pupil.id_number[14..17].parse().expect("digits");
    let other = IdNumber::compose("431224", own.birth_date(), (sequence + 200) % 1000);
    let path = f.t.path("population-november.csv");
    std::fs::write(
        &path,
        format!(
            "姓名,性别,身份证件号,户籍乡镇\n{},{},{},卢峰镇\n",
            pupil.name,
            pupil.sex,
            other.as_str()
        ),
    )
    .expect("write");
    let report = dropout::import_population_file(
        &f.t.db,
        COUNTY,
        &path,
        later(),
        None,
        false,
        &Actor::cli(),
    )
    .await
    .expect("import runs");
    assert_eq!(report.counts.probable, 1, "{:?}", report.import.problems);
    let case = store::all_cases(&f.t.db, COUNTY)
        .await
        .expect("cases")
        .into_iter()
        .find(|c| c.person_id_number == other.as_str())
        .expect("the case")
        .id;

    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let shown = officer.get(&format!("/api/v1/dropout/cases/{case}")).await;
    let json: serde_json::Value = serde_json::from_str(&shown.body).expect("json");
    let student = &json["pending_match"]["student"];
    assert_eq!(student["name"], pupil.name.as_str());
    assert_eq!(student["school_code"], URBAN_PRIMARY);
    assert!(student["id_number"]
        .as_str()
        .is_some_and(|id| id.contains("**********") && id != pupil.id_number));
    // A closing date before the November snapshot is refused next to the date.
    let early = officer
        .send(
            Method::POST,
            &format!("/api/v1/dropout/cases/{case}"),
            Some("application/json"),
            br#"{"action":"confirm-match","date":"2021-10-31"}"#.to_vec(),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(
        early.body.contains("date") && early.body.contains("2021-10-31"),
        "{}",
        early.body
    );
    let reply = officer
        .send(
            Method::POST,
            &format!("/api/v1/dropout/cases/{case}"),
            Some("application/json"),
            br#"{"action":"confirm-match"}"#.to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(json["case"]["status"], "已销号");
    assert_eq!(json["case"]["outcome"], "已在籍");
    // Without a date, today.
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(json["case"]["closed_on"], today.as_str());
    assert!(json["pending_match"].is_null());
    assert_eq!(
        case_audit_actions(&f.t, case)
            .await
            .last()
            .map(String::as_str),
        Some("case.match_confirm")
    );
    // Deciding again is refused next to the action.
    let again = officer
        .send(
            Method::POST,
            &format!("/api/v1/dropout/cases/{case}"),
            Some("application/json"),
            br#"{"action":"reject-match"}"#.to_vec(),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
}

/// A snapshot dated in a term without a roll is not compared (every child would look like a
/// dropout): refused naming the empty term, nothing stored; `--term` picks the roll to use.
async fn empty_roll_is_refused_and_term_chooses_the_roll(t: &TestDb) {
    with_roll(t).await;
    let path = t.path("population.csv");
    write_gbk(&path, &population_rows());
    let spring = NaiveDate::from_ymd_opt(2022, 3, 1).expect("date");
    let audit_before = audit_count(t).await;
    let refused =
        dropout::import_population_file(&t.db, COUNTY, &path, spring, None, false, &Actor::cli())
            .await
            .expect_err("empty spring roll");
    let message = refused.to_string();
    assert!(message.contains("2022年春季学期没有学籍数据"), "{message}");
    assert!(store::snapshots(&t.db, COUNTY).await.expect("s").is_empty());
    assert!(store::all_cases(&t.db, COUNTY).await.expect("c").is_empty());
    assert_eq!(audit_count(t).await, audit_before);

    // Compared with the autumn roll instead, only the children not on it are suspected.
    let report = dropout::import_population_file(
        &t.db,
        COUNTY,
        &path,
        spring,
        Some(Term::autumn(2021)),
        false,
        &Actor::cli(),
    )
    .await
    .expect("compared with autumn");
    assert!(report.import.committed, "{:?}", report.import.problems);
    assert_eq!(report.term, "2021-autumn");
    let cases = store::all_cases(&t.db, COUNTY).await.expect("cases");
    assert!(!cases.is_empty() && cases.len() < population_rows().len());
}
on_both_engines!(
    empty_roll,
    super::empty_roll_is_refused_and_term_chooses_the_roll
);
