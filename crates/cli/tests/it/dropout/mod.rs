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
mod region;

const COUNTY: &str = "431224";

const LUFENG: &str = "431224100";

const LONGTAN: &str = "431224104";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 9, 15).expect("date")
}

/// Three schools and ten 三年级 students (born 2012) at the urban primary school, autumn 2021.
async fn with_roll(t: &TestDb) {
    county_with_schools(t).await;
    autumn_roll(t, &urban_rows(10, "三年级")).await;
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

/// One person of the population sheet: name, the ID number's sex, the ID number, 户籍乡镇,
/// 户籍村(社区), 监护人 and 联系电话.
fn person(name: &str, id: String, township: &str, contact: [&str; 3]) -> Vec<String> {
    let mut row = vec![name.into(), sex_of(&id).into(), id, township.into()];
    row.extend(contact.map(String::from));
    row
}

fn population_rows() -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for n in (0..10).filter(|n| *n != 3) {
        let (guardian, phone) = (format!("家长{n}"), format!("1380000{n:04}"));
        let contact = ["桐木村", &guardian, &phone];
        rows.push(person(
            &format!("学生{n}"),
            student_id(2012, n),
            "卢峰镇",
            contact,
        ));
    }
    let probable = other_number_of_student3();
    rows.push(person("学生3", probable, "卢峰镇", ["", "", ""]));
    let contact = ["石门村", "监护人甲", "13912345678"];
    rows.push(person("失学儿童", missing_child(), "龙潭镇", contact));
    // 17 years old: not of compulsory age.
    let older = IdNumber::compose("431224", NaiveDate::from_ymd_opt(2004, 3, 3).expect("d"), 7)
        .as_str()
        .to_string();
    rows.push(person("大龄青年", older, "卢峰镇", ["", "", ""]));
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

/// A population file imported as the snapshot of a day, compared with the given term's roll
/// (the day's term when `None`).
async fn import_as_of(
    t: &TestDb,
    path: &std::path::Path,
    day: NaiveDate,
    term: Option<Term>,
) -> emis_app::Result<PopulationReport> {
    dropout::import_population_file(&t.db, COUNTY, path, day, term, false, &Actor::cli()).await
}

async fn import(t: &TestDb, path: &std::path::Path) -> PopulationReport {
    import_as_of(t, path, as_of(), None)
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

fn officer() -> Account {
    account(Role::Officer, county_scope())
}

/// The office of a township.
fn township(code: &str) -> Account {
    let scope = Scope::Township {
        county: COUNTY.into(),
        township: code.into(),
    };
    account(Role::Township, scope)
}

/// A case action as the web state does it, today.
async fn act(
    t: &TestDb,
    who: &Account,
    case: i64,
    form: &CaseForm,
) -> emis_app::Result<dropout::queries::CaseRecord> {
    dropout::act(&t.db, who, case, form, "test", today()).await
}

/// The suspected children of a ledger query, as the county sees them.
async fn suspected(t: &TestDb, query: store::LedgerQuery) -> Vec<store::PersonRow> {
    let (_, rows) = dropout::ledger(&t.db, &county_scope(), &query, 100)
        .await
        .expect("ledger");
    rows
}

/// The population sheet written as `population.csv`.
fn population_file(t: &TestDb) -> std::path::PathBuf {
    let path = t.path("population.csv");
    write_gbk(&path, &population_rows());
    path
}

/// Every case of the county.
async fn cases(t: &TestDb) -> Vec<store::CaseRow> {
    store::all_cases(&t.db, COUNTY).await.expect("cases")
}

/// A refused import stored no snapshot, opened no case and wrote no audit entry.
async fn assert_nothing_stored(t: &TestDb, audit_before: i64) {
    assert!(store::snapshots(&t.db, COUNTY).await.expect("s").is_empty());
    assert!(cases(t).await.is_empty());
    assert_eq!(audit_count(t).await, audit_before);
}

async fn imported(t: &TestDb) -> (i64, i64) {
    with_roll(t).await;
    assert!(import(t, &population_file(t)).await.import.committed);
    let cases = cases(t).await;
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
    import_as_of(t, &path, date, None)
        .await
        .expect("import runs")
}

/// The counts of the year's indicators, in the order asked.
async fn indicators<const N: usize>(t: &TestDb, codes: [&str; N]) -> [i64; N] {
    let set = emis_app::report::annual_indicators(&t.db, COUNTY, 2021)
        .await
        .expect("indicators");
    codes.map(|code| match set.get(code) {
        Some(emis_domain::indicators::Value::Count(n)) => n,
        other => panic!("{code}: {other:?}"),
    })
}

/// dropout.suspected, dropout.probable and dropout.unresolved.
async fn suspected_probable_unresolved(t: &TestDb) -> [i64; 3] {
    let codes = ["suspected", "probable", "unresolved"].map(|c| format!("dropout.{c}"));
    indicators(t, codes.each_ref().map(String::as_str)).await
}

fn decide(action: &str) -> CaseForm {
    CaseForm {
        action: action.into(),
        ..CaseForm::default()
    }
}

/// A visit to the family on a day.
fn visit(date: &str, kind: &str, note: &str) -> CaseForm {
    CaseForm {
        date: Some(date.into()),
        kind: Some(kind.into()),
        note: Some(note.into()),
        ..decide("visit")
    }
}

/// A case closed with an outcome on a day, with its evidence.
fn close(outcome: &str, date: &str, evidence: Option<&str>) -> CaseForm {
    CaseForm {
        outcome: Some(outcome.into()),
        date: Some(date.into()),
        evidence: evidence.map(Into::into),
        ..decide("close")
    }
}

fn school_scope(code: &str) -> Scope {
    Scope::School {
        county: COUNTY.into(),
        school: code.into(),
    }
}
