//! 控辍保学, one file a part as in the services: `population` (the population import
//! and its comparison with the roll), `cases` (一人一案: scope, the audited workflow and the
//! indicators), `matching` (probable matches confirmed or rejected), `ledgers` (台账 and
//! their exports), `poverty` (the poverty list) and `attachments` (evidence files). Here:
//! the population sheet and the readers the parts share. On SQLite and PostgreSQL.

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

mod attachments;
mod cases;
mod ledgers;
mod matching;
mod population;
mod poverty;

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
