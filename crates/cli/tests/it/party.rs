//! 党建: the `party` import (every refusal with its row and column, the rules against the
//! file's other rows and the stored stages, re-import and dry run), the office's stage form
//! and the meeting form, who sees a branch (the party office all, a secretary their own,
//! everyone else refused), the `party.*` indicators and the demo county's 50 / 62 / 42.

use crate::support::*;
use chrono::NaiveDate;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_app::party::{branches, meetings};
use emis_app::AppError;
use emis_domain::access::{Role, Scope};
use emis_domain::identity::IdNumber;
use emis_domain::indicators::Value;

const HEADER: &str = "姓名,身份证件号,党支部,阶段,日期\n";
pub const BUREAU: &str = "局机关党支部";
pub const SCHOOL_BRANCH: &str = "城区第一小学党支部";

/// A valid ID number for the n-th test person.
pub fn person(n: u16) -> String {
    let birth = NaiveDate::from_ymd_opt(1990, 1, 1).expect("date");
    IdNumber::compose("431224", birth, 100 + n)
        .as_str()
        .to_string()
}

async fn figures(t: &TestDb, year: i32) -> [Option<Value>; 3] {
    let set = emis_app::report::annual_indicators(&t.db, "431224", year)
        .await
        .expect("indicators");
    ["party.activists", "party.probationary", "party.confirmed"].map(|c| set.get(c))
}

fn counts(a: i64, p: i64, c: i64) -> [Option<Value>; 3] {
    [a, p, c].map(|n| Some(Value::Count(n)))
}

async fn stored_stages(t: &TestDb) -> usize {
    emis_storage::party::stages(&t.db, "431224")
        .await
        .expect("stages")
        .len()
}

async fn import_and_rules(t: &TestDb) {
    with_county(t).await;
    let bad_id = {
        let good = person(9);
        let last = good.chars().last().expect("check");
        format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' })
    };
    let text = format!(
        "{HEADER}\
         张伟,{p1},{BUREAU},入党申请人,2019-03-01\n\
         张伟,{p1},{BUREAU},入党积极分子,2019-09-01\n\
         张伟,{p1},{BUREAU},发展对象,2020-10-01\n\
         张伟,{p1},{BUREAU},预备党员,2020-12-01\n\
         李娜,{p2},{SCHOOL_BRANCH},入党申请人,2020-03-01\n\
         李娜,{p2},{SCHOOL_BRANCH},入党积极分子,2021-04-01\n\
         王芳,{p3},{SCHOOL_BRANCH},预备党员,2020-06-01\n\
         王芳,{p3},{SCHOOL_BRANCH},正式党员,2021-05-01\n\
         赵强,{bad_id},{BUREAU},入党申请人,2021-01-01\n\
         刘洋,{p4},{BUREAU},入党积极,2021-01-01\n\
         张伟,{p1},{BUREAU},入党积极分子,2019-10-01\n\
         陈静,{p5},{BUREAU},入党积极分子,2021-02-01\n\
         陈静,{p5},{BUREAU},入党申请人,2021-03-01\n\
         孙磊,{p6},,入党申请人,2021-01-01\n\
         周敏,{p7},{SCHOOL_BRANCH},入党申请人,2099-01-01\n",
        p1 = person(1),
        p2 = person(2),
        p3 = person(3),
        p4 = person(4),
        p5 = person(5),
        p6 = person(6),
        p7 = person(7),
    );
    let file = t.write("party.csv", text);
    let report = import_with(t, ImportKind::Party, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 8, column 日期: 正式党员日期 2021-05-01 距预备党员日期 2020-06-01 不足一年",
            "row 9, column 日期: 正式党员日期 2021-05-01 距预备党员日期 2020-06-01 不足一年（预备期一年，最早 2021-06-01 转正）",
            "row 10, column 身份证件号: ",
            "row 11, column 阶段: 阶段“入党积极”无法识别，应为 入党申请人 / 入党积极分子 / 发展对象 / 预备党员 / 正式党员",
            "row 12, column 阶段: 该人员的“入党积极分子”与第3行重复",
            "row 13, column 日期: 入党积极分子日期 2021-02-01 早于该人员入党申请人日期 2021-03-01",
            "row 14, column 日期: 入党申请人日期 2021-03-01 晚于该人员入党积极分子日期 2021-02-01",
            "row 15, column 党支部: 党支部不能为空",
            "row 16, column 日期: 日期 2099-01-01 晚于今天",
        ],
    );
    assert_eq!(report.problems.len(), 9, "{:?}", report.problems);
    assert_eq!(stored_stages(t).await, 0, "a refused import writes nothing");

    // A dry run checks and counts, and writes nothing.
    let dry = ImportOptions {
        skip_invalid: true,
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Party, &file, &dry).await;
    assert_eq!((report.valid_rows, report.inserted), (6, 6));
    assert!(!report.committed);
    assert_eq!(stored_stages(t).await, 0);

    // Skipping the refused rows writes the six good ones, and adds the two branches.
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Party, &file, &skip).await;
    assert!(report.committed);
    assert_eq!(report.inserted, 6);
    assert!(
        report.notes.iter().any(|n| n.contains(BUREAU)),
        "{:?}",
        report.notes
    );
    assert_eq!(stored_stages(t).await, 6);
    assert_eq!(figures(t, 2021).await, counts(1, 0, 0));
    assert_eq!(figures(t, 2020).await, counts(0, 1, 0));
    // The same file again changes nothing.
    let again = import_with(t, ImportKind::Party, &file, &skip).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 6));
    assert_eq!(stored_stages(t).await, 6);

    // A later file is checked against the stored stages too.
    let later = t.write(
        "later.csv",
        format!(
            "{HEADER}张伟,{p1},{BUREAU},正式党员,2021-11-30\n李娜,{p2},{SCHOOL_BRANCH},发展对象,2021-01-01\n",
            p1 = person(1),
            p2 = person(2)
        ),
    );
    let report = import_with(t, ImportKind::Party, &later, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 2, column 日期: 正式党员日期 2021-11-30 距预备党员日期 2020-12-01 不足一年",
            "row 3, column 日期: 发展对象日期 2021-01-01 早于该人员入党积极分子日期 2021-04-01",
        ],
    );
    let fixed = t.write(
        "fixed.csv",
        format!("{HEADER}张伟,{},{BUREAU},正式党员,2021-12-01\n", person(1)),
    );
    let report = import_committed(t, ImportKind::Party, &fixed, &Default::default()).await;
    assert_eq!(report.inserted, 1);
    assert_eq!(figures(t, 2021).await, counts(1, 0, 1));

    // The command line takes the same kind and names every bad row.
    let out = crate::cli::emis(&t.url, &["import", "party", later.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let printed = crate::cli::text(&out);
    assert!(printed.contains("row 2, column 日期"), "{printed}");
    assert!(printed.contains("row 3, column 日期"), "{printed}");
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "party" && a.action == "import"));
}
crate::on_both_engines!(import, super::import_and_rules);

/// Accounts for the visibility checks: the party office, a school account that is the school
/// branch's secretary, and roles that are not.
pub fn secretary() -> emis_app::auth::Account {
    account_of(
        "xiaoxue",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: URBAN_PRIMARY.into(),
        },
    )
}

/// Two branches for the route walk and the pages: the urban primary school's, whose
/// secretary is `xiaoxue` (the fixture's school account), and the bureau's, with one person
/// each: (own branch, other branch, own person, other person).
pub async fn party_records(t: &TestDb) -> (i64, i64, i64, i64) {
    let file = t.write(
        "party-records.csv",
        format!(
            "{HEADER}李娜,{},{SCHOOL_BRANCH},入党申请人,2021-03-01\n张伟,{},{BUREAU},入党申请人,2021-03-01\n",
            person(2),
            person(1)
        ),
    );
    import_committed(t, ImportKind::Party, &file, &Default::default()).await;
    let office = county_officer("officer");
    let form = branches::BranchForm {
        name: SCHOOL_BRANCH.into(),
        secretary: "xiaoxue".into(),
    };
    let own = branches::save_branch(&t.db, &office, &form, "test")
        .await
        .expect("secretary named");
    let all = branches::list(&t.db, &office).await.expect("branches");
    let other = all.iter().find(|b| b.name == BUREAU).expect("bureau").id;
    let people = emis_storage::party::people(&t.db, "431224")
        .await
        .expect("people");
    let of = |id: String| {
        people
            .iter()
            .find(|p| p.id_number == id)
            .expect("person")
            .id
    };
    (own, other, of(person(2)), of(person(1)))
}

async fn visibility_and_forms(t: &TestDb) {
    county_with_schools(t).await;
    for (name, role, org) in [
        ("xiaoxue", Role::SchoolAdmin, URBAN_PRIMARY),
        ("officer", Role::Officer, "431224"),
    ] {
        emis_app::accounts::add_user(
            &t.db,
            "431224",
            name,
            role,
            org,
            None,
            None,
            &emis_app::Actor::cli(),
        )
        .await
        .expect("user");
    }
    let (own, other, own_person, other_person) = party_records(t).await;
    let office = county_officer("officer");
    let today = NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");

    // The party office sees every branch; the secretary their own only.
    assert_eq!(branches::list(&t.db, &office).await.expect("all").len(), 2);
    let mine = branches::list(&t.db, &secretary()).await.expect("own");
    assert_eq!(mine.iter().map(|b| b.id).collect::<Vec<_>>(), [own]);
    let d = branches::detail(&t.db, &secretary(), own)
        .await
        .expect("own branch");
    assert_eq!(d.members.len(), 1);
    assert!(!d.office);
    assert!(d.members[0].id_number.contains('*'), "masked in lists");
    assert!(matches!(
        branches::detail(&t.db, &secretary(), other).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        branches::person(&t.db, &secretary(), other_person, "test").await,
        Err(AppError::NotFound)
    ));
    // The school account holds SeePersonalData: its full view is audited.
    let p = branches::person(&t.db, &secretary(), own_person, "test")
        .await
        .expect("own person");
    assert!(p.unmasked && p.person.id_number == person(2));
    // Everyone else is refused: another school, the township, the leader, a class teacher.
    let leader = account_of(
        "leader",
        Role::Leader,
        Scope::County {
            county: "431224".into(),
        },
    );
    for outsider in [school_admin(TOWN_JUNIOR), longtan_office(), leader.clone()] {
        assert!(matches!(
            branches::list(&t.db, &outsider).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            branches::detail(&t.db, &outsider, own).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            meetings::log(&t.db, &outsider, own).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            emis_app::party::indicators_for(&t.db, &outsider, 2021).await,
            Ok(v) if v.iter().all(|(_, n)| *n == Value::Count(0))
        ));
    }
    // The leader's masked person view is refused too.
    assert!(matches!(
        branches::person(&t.db, &leader, own_person, "test").await,
        Err(AppError::Forbidden)
    ));

    // The secretary records the branch's meetings, not another branch's; refusals by field.
    let meeting = meetings::MeetingForm {
        held_on: "2021-07-01".into(),
        kind: "主题党日".into(),
        topic: "重温入党誓词".into(),
        expected: "12".into(),
        attended: "11".into(),
    };
    meetings::record(&t.db, &secretary(), own, &meeting, today, "test")
        .await
        .expect("recorded");
    assert!(matches!(
        meetings::record(&t.db, &secretary(), other, &meeting, today, "test").await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        meetings::record(&t.db, &longtan_office(), own, &meeting, today, "test").await,
        Err(AppError::Forbidden)
    ));
    let too_many = meetings::MeetingForm {
        attended: "13".into(),
        ..meeting.clone()
    };
    assert!(matches!(
        meetings::record(&t.db, &secretary(), own, &too_many, today, "test").await,
        Err(AppError::Invalid {
            field: "attended",
            ..
        })
    ));
    let log = meetings::log(&t.db, &office, own).await.expect("log");
    assert_eq!(log.meetings.len(), 1);
    assert_eq!(log.meetings[0].kind.label(), "主题党日");

    // The stage form: the office only, under the import's rules.
    let stage = |name: &str, id: String, stage: &str, on: &str| branches::StageForm {
        name: name.into(),
        id_number: id,
        stage: stage.into(),
        reached_on: on.into(),
    };
    let activist = stage("李娜", person(2), "入党积极分子", "2021-02-01");
    assert!(matches!(
        branches::record_stage(&t.db, &secretary(), own, &activist, today, "test").await,
        Err(AppError::Forbidden)
    ));
    match branches::record_stage(&t.db, &office, own, &activist, today, "test").await {
        Err(AppError::Invalid { field, message }) => {
            assert_eq!(field, "reached_on");
            assert!(
                message.contains("早于该人员入党申请人日期 2021-03-01"),
                "{message}"
            );
        }
        other => panic!("refused by date: {other:?}"),
    }
    let wrong_id = {
        let good = person(2);
        let last = good.chars().last().expect("check");
        format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' })
    };
    let wrong = stage("李娜", wrong_id, "入党积极分子", "2021-09-01");
    assert!(matches!(
        branches::record_stage(&t.db, &office, own, &wrong, today, "test").await,
        Err(AppError::Invalid {
            field: "id_number",
            ..
        })
    ));
    let again = stage("李娜", person(2), "入党申请人", "2021-03-01");
    assert!(matches!(
        branches::record_stage(&t.db, &office, own, &again, today, "test").await,
        Err(AppError::Invalid { field: "stage", .. })
    ));
    let good = stage("李娜", person(2), "入党积极分子", "2021-09-01");
    let id = branches::record_stage(&t.db, &office, own, &good, today, "test")
        .await
        .expect("recorded");
    assert_eq!(id, own_person);
    assert_eq!(figures(t, 2021).await, counts(1, 0, 0));
    // The branch's figures: the secretary's own; the office's the county's.
    let own_figures = emis_app::party::indicators_for(&t.db, &secretary(), 2021)
        .await
        .expect("figures");
    assert!(own_figures.contains(&("party.activists", Value::Count(1))));

    // A branch's secretary must be an account of the county.
    let unknown = branches::BranchForm {
        name: BUREAU.into(),
        secretary: "nobody".into(),
    };
    assert!(matches!(
        branches::save_branch(&t.db, &office, &unknown, "test").await,
        Err(AppError::Invalid {
            field: "secretary",
            ..
        })
    ));
    assert!(matches!(
        branches::save_branch(&t.db, &secretary(), &unknown, "test").await,
        Err(AppError::Forbidden)
    ));
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    for (entity, action) in [
        ("party_stage", "create"),
        ("party_meeting", "create"),
        ("party_branch", "update"),
        ("party_person", "view_unmasked"),
    ] {
        assert!(
            audit
                .iter()
                .any(|a| a.entity == entity && a.action == action),
            "{entity} {action}"
        );
    }
}
crate::on_both_engines!(visibility, super::visibility_and_forms);

/// The demo county's 党建 records give the seed's 2021 figures through the indicators.
async fn demo_figures(t: &TestDb) {
    emis_app::demo::load_party(&t.db, 2021, &emis_app::Actor::cli())
        .await
        .expect("demo party");
    assert_eq!(figures(t, 2021).await, counts(50, 62, 42));
    let office = county_officer("officer");
    let all = branches::list(&t.db, &office).await.expect("branches");
    assert!(all.iter().any(|b| b.name == "溆浦县教育局机关党支部"));
    assert!(all.iter().all(|b| b.meetings >= 12));
}
crate::on_both_engines!(demo, super::demo_figures);

fn as_refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The pages in the browser: the office's list, branch, stage form with its refusal beside
/// the field, and the person's history; the secretary's branch and meeting form; the
/// refusals of everyone else; the import page's preview of a party sheet.
async fn pages(f: crate::web::Fixture) {
    use crate::web::Client;
    use axum::http::StatusCode;
    let (own, other) = (f.own_branch, f.other_branch);
    let mut office = Client::signed_in(&f.app, "officer").await;
    let list = office.get("/party").await;
    assert_eq!(list.status, StatusCode::OK);
    for text in [
        BUREAU,
        SCHOOL_BRANCH,
        "party.activists",
        "党支部与党员发展",
        "branch-form",
    ] {
        assert!(list.body.contains(text), "{text}");
    }
    let branch = office.get(&format!("/party/branches/{own}")).await;
    assert_eq!(branch.status, StatusCode::OK);
    assert!(branch.body.contains("李娜") && branch.body.contains("stage-form"));
    assert!(
        !branch.body.contains(&person(2)),
        "ID numbers masked in the list"
    );
    let stage_uri = format!("/party/branches/{own}/stages");
    let p2 = person(2);
    let early = [
        ("_csrf", office.csrf.clone()),
        ("name", "李娜".to_string()),
        ("id_number", p2.clone()),
        ("stage", "入党积极分子".to_string()),
        ("reached_on", "2021-02-01".to_string()),
    ];
    let refused = office.post_fields(&stage_uri, &as_refs(&early)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("reached-on-error"));
    assert!(refused.body.contains("早于该人员入党申请人日期 2021-03-01"));
    let mut good = early.clone();
    good[4].1 = "2021-09-01".into();
    let done = office.post_fields(&stage_uri, &as_refs(&good)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location, format!("/party/people/{}", f.own_person));
    let history = office.get(&done.location).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("入党积极分子") && history.body.contains("2021-09-01"));
    assert!(
        history.body.contains(&person(2)),
        "the office sees the full number, audited"
    );

    // The secretary: their branch only, and its meeting form.
    let mut secretary = Client::signed_in(&f.app, "xiaoxue").await;
    let home = secretary.get("/").await;
    assert!(
        home.body
            .contains(&format!("/party/branches/{own}/meetings")),
        "the secretary's home links the branch"
    );
    let list = secretary.get("/party").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(SCHOOL_BRANCH) && !list.body.contains(BUREAU));
    assert!(!list.body.contains("branch-form"));
    assert_eq!(
        secretary
            .get(&format!("/party/branches/{other}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let branch = secretary.get(&format!("/party/branches/{own}")).await;
    assert_eq!(branch.status, StatusCode::OK);
    assert!(
        !branch.body.contains("stage-form"),
        "stages are the office's"
    );
    let meetings_uri = format!("/party/branches/{own}/meetings");
    let csrf = secretary.csrf.clone();
    let too_many = secretary
        .post_fields(
            &meetings_uri,
            &[
                ("_csrf", csrf.as_str()),
                ("held_on", "2021-07-01"),
                ("kind", "主题党日"),
                ("topic", "重温入党誓词"),
                ("expected", "12"),
                ("attended", "13"),
            ],
        )
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_many.body.contains("attended-error") && too_many.body.contains("重温入党誓词"));
    let done = secretary
        .post_fields(
            &meetings_uri,
            &[
                ("_csrf", csrf.as_str()),
                ("held_on", "2021-07-01"),
                ("kind", "主题党日"),
                ("topic", "重温入党誓词"),
                ("expected", "12"),
                ("attended", "11"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let log = secretary.get(&meetings_uri).await;
    assert!(log.body.contains("重温入党誓词") && log.body.contains("主题党日"));

    // Everyone else is refused.
    for name in ["leader", "longtan", "banzhuren"] {
        let mut c = Client::signed_in(&f.app, name).await;
        assert_eq!(
            c.get("/party").await.status,
            StatusCode::FORBIDDEN,
            "{name}"
        );
        assert_eq!(
            c.get(&format!("/party/branches/{own}")).await.status,
            StatusCode::FORBIDDEN,
            "{name}"
        );
        assert!(
            !c.get("/").await.body.contains("党支部与党员发展"),
            "{name}: no menu"
        );
    }

    // The import page previews a party sheet with its refusals.
    let sheet = format!(
        "{HEADER}孙磊,{},{BUREAU},入党积极分子,2099-01-01\n",
        person(6)
    );
    let preview = office
        .preview_import_of("party", "party.csv", sheet.as_bytes())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("晚于今天"), "{}", preview.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_on_sqlite() {
    pages(crate::web::fixture(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_on_postgres() {
    if let Some(t) = postgres().await {
        pages(crate::web::fixture(t).await).await;
    }
}
