//! 数据采集: a form defined (refusals, versions), sent for a period, filled by a school with
//! its prefilled roll, refused by field, submitted, sent back and submitted again, with
//! completeness and `form.CODE.FIELD` from the records; on both engines.

use crate::support::*;
use emis_app::auth::Account;
use emis_app::forms::{assignments, definitions, tasks, TaskStatus};
use emis_app::AppError;
use std::collections::BTreeMap;

mod cli;
mod pages;

/// What the web fixture holds of forms.
#[derive(Clone, Copy, Debug)]
pub struct FormRecords {
    pub assignment: i64,
    pub own_task: i64,
    pub other_task: i64,
}

/// The vaccination form sent for 2021 to the three schools.
pub async fn form_records(t: &TestDb) -> FormRecords {
    let office = officer();
    definitions::define(&t.db, &office, FORM, "test")
        .await
        .expect("define");
    let send = assignments::SendForm {
        code: "covid_vaccination".into(),
        period: "2021".into(),
        due_on: "2021-10-15".into(),
        ..Default::default()
    };
    let assignment = assignments::assign(&t.db, &office, &send, "test")
        .await
        .expect("assign");
    let status = assignments::status(&t.db, &office, assignment, today())
        .await
        .expect("status");
    let task_of = |school: &str| {
        status
            .respondents
            .iter()
            .find(|r| r.respondent == school)
            .expect("task")
            .task_id
    };
    FormRecords {
        assignment,
        own_task: task_of(URBAN_PRIMARY),
        other_task: task_of(TOWN_JUNIOR),
    }
}

pub const FORM: &str = r#"{"code": "covid_vaccination", "title": "新冠疫苗接种情况", "period": "once",
  "respondent": "school", "fields": [
    {"code": "enrolled", "label": "在校生数", "type": "integer", "required": true, "min": 0,
     "prefill": "students.enrolled", "locked": true},
    {"code": "vaccinated", "label": "已接种学生数", "type": "integer", "required": true, "min": 0}],
  "checks": [{"rule": "vaccinated <= enrolled", "message": "接种人数不能超过在校生数"}]}"#;

fn officer() -> Account {
    county_officer("tongji")
}

fn school(code: &str) -> Account {
    school_admin(code)
}

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn day(text: &str) -> chrono::NaiveDate {
    emis_domain::dates::parse_date(text).expect("date")
}

/// The county, its three schools and ten pupils at the urban primary school (autumn 2021).
pub async fn county_with_pupils(t: &TestDb) {
    county_with_schools(t).await;
    let rows: Vec<Vec<String>> = (0..10)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
        .collect();
    autumn_roll(t, &rows).await;
}

async fn define_fill_and_count(t: &TestDb) {
    county_with_pupils(t).await;
    let db = &t.db;
    let office = officer();
    let own = school(URBAN_PRIMARY);

    // Defining: a school may not; a malformed rule is refused; the same JSON twice is one
    // version.
    assert!(matches!(
        definitions::define(db, &own, FORM, "t").await,
        Err(AppError::Forbidden)
    ));
    let broken = FORM.replace("vaccinated <= enrolled", "vaccinated <= enroled");
    let Err(AppError::Refused(reason)) = definitions::define(db, &office, &broken, "t").await
    else {
        panic!("a rule naming no field is refused");
    };
    assert!(reason.contains("没有代码为“enroled”的填报项"), "{reason}");
    let first = definitions::define(db, &office, FORM, "t")
        .await
        .expect("define");
    assert_eq!((first.version, first.changed), (1, true));
    let again = definitions::define(db, &office, FORM, "t")
        .await
        .expect("again");
    assert_eq!((again.version, again.changed), (1, false));

    // Sending it: the period is read by the form's kind; twice for one period is refused.
    let send = |period: &str, due: &str| assignments::SendForm {
        code: "covid_vaccination".into(),
        period: period.into(),
        due_on: due.into(),
        ..Default::default()
    };
    let bad = assignments::assign(db, &office, &send("2021-09", ""), "t")
        .await
        .refused("a month for a once form");
    assert_eq!(bad.field, "period");
    let id = assignments::assign(db, &office, &send("2021", "2021-10-15"), "t")
        .await
        .accepted("assign");
    let twice = assignments::assign(db, &office, &send("2021", ""), "t")
        .await
        .refused("twice");
    assert!(twice.reason.contains("已经下发过"), "{}", twice.reason);
    // A chosen list of schools: an unknown code is refused, the list gets one task each.
    let chosen = |list: &str| assignments::SendForm {
        respondents: list.into(),
        ..send("2022", "")
    };
    let unknown = assignments::assign(db, &office, &chosen("2143000001、9999999999"), "t")
        .await
        .refused("an unknown school");
    assert_eq!(unknown.field, "respondents");
    assert!(
        unknown.reason.contains("“9999999999”不是本县的学校代码"),
        "{}",
        unknown.reason
    );
    let few = assignments::assign(db, &office, &chosen("2143000001\n2143000001"), "t")
        .await
        .accepted("a chosen school");
    let few = assignments::status(db, &office, few, day("2022-01-01"))
        .await
        .expect("status");
    assert_eq!(few.overall.assigned, 1);

    // The school's list holds its task; it opens with its roll prefilled.
    let mine = tasks::my_tasks(db, &own, day("2021-10-01"))
        .await
        .expect("mine");
    assert_eq!(mine.len(), 2, "2021's and the chosen 2022 one");
    let task = mine
        .iter()
        .find(|l| l.task.period == "2021")
        .expect("2021")
        .task
        .id;
    let view = tasks::open(db, &own, task, day("2021-10-01"))
        .await
        .expect("open");
    assert_eq!(
        view.prefilled.get("enrolled").map(String::as_str),
        Some("10")
    );
    assert_eq!(view.respondent_name, "溆浦县卢峰镇第一小学");
    // Another school does not see it.
    assert!(matches!(
        tasks::open(db, &school(TOWN_JUNIOR), task, day("2021-10-01")).await,
        Err(AppError::NotFound)
    ));

    // A draft may be partial; a submission breaking the check, or changing the locked
    // roll, is refused field by field and writes nothing.
    let save = |raw: BTreeMap<String, String>, submit: bool| {
        let own = own.clone();
        async move { tasks::save(db, &own, task, &raw, submit, "t", day("2021-10-10")).await }
    };
    assert_eq!(
        save(answers(&[]), false).await.expect("draft"),
        TaskStatus::Draft
    );
    let Err(AppError::Answers(over)) = save(answers(&[("vaccinated", "11")]), true).await else {
        panic!("more vaccinated than enrolled is refused");
    };
    assert_eq!(over[0].field, "vaccinated");
    assert_eq!(over[0].reason, "接种人数不能超过在校生数");
    let Err(AppError::Answers(locked)) =
        save(answers(&[("enrolled", "12"), ("vaccinated", "11")]), true).await
    else {
        panic!("a changed locked value is refused");
    };
    assert_eq!(locked[0].field, "enrolled");
    let stored = tasks::open(db, &own, task, day("2021-10-10"))
        .await
        .expect("open");
    assert_eq!(stored.task.status, TaskStatus::Draft);
    // The draft holds the prefilled roll; the refused values were not kept.
    assert_eq!(
        stored.answers.get("enrolled").map(String::as_str),
        Some("10")
    );
    assert!(!stored.answers.contains_key("vaccinated"));
    assert_eq!(
        save(answers(&[("vaccinated", "9")]), true)
            .await
            .expect("submit"),
        TaskStatus::Submitted
    );

    // The office sends it back with a comment; the school corrects and submits again.
    assert!(matches!(
        tasks::send_back(db, &own, task, "请核实", "t").await,
        Err(AppError::Forbidden)
    ));
    let blank = tasks::send_back(db, &office, task, " ", "t")
        .await
        .refused("no comment");
    assert_eq!(blank.field, "comment");
    tasks::send_back(db, &office, task, "请核实接种人数", "t")
        .await
        .accepted("send back");
    let back = tasks::open(db, &own, task, day("2021-10-12"))
        .await
        .expect("open");
    assert_eq!(back.task.status, TaskStatus::SentBack);
    assert_eq!(back.task.comment.as_deref(), Some("请核实接种人数"));
    save(answers(&[("vaccinated", "10")]), true)
        .await
        .expect("resubmit");

    // Completeness as of a day after the due date: one of three submitted, two overdue; a
    // township sees its own schools only.
    let status = assignments::status(db, &office, id, day("2021-10-20"))
        .await
        .expect("status");
    assert_eq!(
        (
            status.overall.assigned,
            status.overall.submitted,
            status.overall.overdue
        ),
        (3, 1, 2)
    );
    assert_eq!(
        status.respondents[0].status,
        TaskStatus::Pending,
        "missing first"
    );
    let longtan = longtan_office();
    let theirs = assignments::status(db, &longtan, id, day("2021-10-20"))
        .await
        .expect("township");
    assert_eq!(theirs.overall.assigned, 1);
    assert_eq!(theirs.respondents[0].name, "龙潭镇中学");

    // The figure of the year, from the submitted response.
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        set.get("form.covid_vaccination.vaccinated"),
        Some(emis_domain::indicators::Value::Count(10))
    );
    assert!(set
        .to_json(2021, "431224")
        .contains("\"form.covid_vaccination.enrolled\": 10"));

    // A new version leaves the response readable as it was filled.
    let v2 = FORM.replace("已接种学生数", "已接种学生数（含加强针）");
    let second = definitions::define(db, &office, &v2, "t")
        .await
        .expect("v2");
    assert_eq!((second.version, second.changed), (2, true));
    let old = tasks::open(db, &own, task, day("2021-10-20"))
        .await
        .expect("open");
    assert_eq!(old.definition.fields[1].label, "已接种学生数");
    assert_eq!(
        old.answers.get("vaccinated").map(String::as_str),
        Some("10")
    );
}
crate::on_both_engines!(forms_define_fill_count, super::define_fill_and_count);

/// The starter forms are valid definitions, installed once.
async fn starters(t: &TestDb) {
    with_county(t).await;
    let actor = emis_app::Actor::cli();
    let n = definitions::install_starters(&t.db, "431224", &actor)
        .await
        .expect("install");
    assert_eq!(n, definitions::STARTERS.len());
    let again = definitions::install_starters(&t.db, "431224", &actor)
        .await
        .expect("again");
    assert_eq!(again, 0);
    let list = definitions::list(&t.db, &officer()).await.expect("list");
    assert!(list.iter().any(|f| f.code == "household_visits"
        && f.respondent == emis_domain::forms::RespondentKind::Township));
}
crate::on_both_engines!(starter_forms, super::starters);
