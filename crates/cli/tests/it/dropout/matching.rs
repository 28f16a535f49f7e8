//! Probable matches (疑似同一人): confirmed, the case closes and is not raised again;
//! rejected, the child stays suspected; the same decision over the JSON API.

use super::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;

/// The last action audited on a case.
async fn last_action(t: &TestDb, case: i64) -> Option<String> {
    case_audit_actions(t, case).await.pop()
}

/// A case whose match was decided by `action`: the decision is the last audited action and
/// no match is left pending; the case as the county sees it.
async fn decided(t: &TestDb, case: i64, action: &str) -> dropout::CaseView {
    assert_eq!(last_action(t, case).await.as_deref(), Some(action));
    let view = dropout::case(&t.db, &county_scope(), case, as_of())
        .await
        .expect("case");
    assert!(view.pending_match.is_none());
    view
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
    assert_eq!(indicators(t, ["dropout.probable"]).await, [1]);

    // The case is 卢峰镇's: 龙潭镇's office gets "not found".
    let confirm = decide("confirm-match");
    let err = act(t, &township(LONGTAN), probable, &confirm).await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)), "{err:?}");
    // A case without a probable match has nothing to confirm.
    let officer = officer();
    let nothing = act(t, &officer, missing, &confirm)
        .await
        .refused("no match to confirm");
    assert_eq!(nothing.field, "action");

    // The closing date the officer picks: not after today, not before the snapshot.
    let on = |date: NaiveDate| CaseForm {
        date: Some(date.to_string()),
        ..decide("confirm-match")
    };
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
    let before_snapshot = as_of() - chrono::Days::new(1);
    for refused in [tomorrow, before_snapshot] {
        let err = act(t, &officer, probable, &on(refused))
            .await
            .refused("date refused");
        assert_eq!(err.field, "date", "{refused}: {}", err.reason);
        assert!(err.reason.contains(&refused.to_string()), "{}", err.reason);
    }
    let closing = as_of() + chrono::Days::new(20);
    let closed = act(t, &officer, probable, &on(closing))
        .await
        .accepted("confirmed");
    assert_eq!(closed.closed_on, Some(closing.to_string()));
    assert_eq!(closed.status.label(), "已销号");
    assert_eq!(closed.outcome.as_deref(), Some("已在籍"));
    assert!(closed
        .evidence
        .as_deref()
        .is_some_and(|e| e.contains("同一人")));
    let view = decided(t, probable, "case.match_confirm").await;
    let person = view.person.expect("person");
    assert_eq!(person.finding.as_deref(), Some("在籍在校"));
    assert_eq!(person.school_code.as_deref(), Some(URBAN_PRIMARY));
    assert!(view
        .events
        .iter()
        .any(|e| e.kind == "匹配核实" && e.event_date == closing.to_string()));
    // Deciding twice is refused.
    let again = act(t, &officer, probable, &decide("reject-match"))
        .await
        .refused("decided already");
    assert_eq!(again.field, "action");

    let snapshot = store::snapshot_by_date(&t.db, COUNTY, &as_of().to_string())
        .await
        .expect("snapshot")
        .expect("stored");
    assert_eq!((snapshot.suspected, snapshot.probable), (1, 0));
    assert_eq!(suspected_probable_unresolved(t).await, [1, 0, 1]);

    // The same file again on the same date changes nothing; on a later date the child
    // counts as found on the roll and gets no new case.
    let same = import_on(t, as_of()).await;
    assert!(!same.import.committed);
    let next = import_on(t, later()).await;
    assert!(next.import.committed);
    assert_eq!(next.counts.in_school, 10);
    assert_eq!((next.counts.suspected, next.counts.probable), (1, 0));
    assert_eq!(next.cases_created, 0);
    let ledger = suspected(
        t,
        store::LedgerQuery {
            snapshot: Some(later().to_string()),
            ..store::LedgerQuery::of(store::Ledger::Suspected)
        },
    )
    .await;
    assert!(ledger.iter().all(|p| p.name != "学生3"));
}
on_both_engines!(
    dropout_match_confirmed,
    super::a_confirmed_match_closes_the_case_and_is_not_raised_again
);

async fn a_rejected_match_keeps_the_child_suspected_and_is_not_asked_again(t: &TestDb) {
    let (_, probable) = imported(t).await;
    let row = act(t, &township(LUFENG), probable, &decide("reject-match"))
        .await
        .accepted("rejected");
    assert_eq!(row.status.label(), "待核查");
    assert_eq!(row.outcome, None);
    let view = decided(t, probable, "case.match_reject").await;
    assert_eq!(
        view.person.and_then(|p| p.finding).as_deref(),
        Some("疑似辍学")
    );
    assert_eq!(suspected_probable_unresolved(t).await, [2, 0, 2]);

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
    let report = import_as_of(t, &path, december, None)
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

    // Each township office reads its own township's figures; together they are the county's.
    let counts = |scope: emis_domain::access::Scope| {
        let db = t.db.clone();
        async move {
            let s = dropout::dashboard(&db, &scope, december)
                .await
                .expect("dashboard")
                .snapshot
                .expect("a snapshot");
            (s.school_age, s.suspected, s.probable, s.not_in_school)
        }
    };
    let county = counts(county_scope()).await;
    let lufeng = counts(township(LUFENG).scope).await;
    let longtan = counts(township(LONGTAN).scope).await;
    // December's roll has its school-age children in 卢峰镇 only (the 龙潭镇 child left it).
    assert!(county.0 > 0 && county.1 > 0, "{county:?}");
    assert_eq!(lufeng, county);
    assert_eq!(
        longtan,
        (0, 0, 0, 0),
        "龙潭镇 does not read the county's figures"
    );
}
on_both_engines!(
    dropout_match_rejected,
    super::a_rejected_match_keeps_the_child_suspected_and_is_not_asked_again
);

/// The JSON API decides a probable match like the page: the case shows the roll student
/// (ID masked), `confirm-match` closes it as 已在籍, and the decision is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_confirms_a_probable_match() {
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
    let report = import_as_of(&f.t, &path, later(), None)
        .await
        .expect("import runs");
    assert_eq!(report.counts.probable, 1, "{:?}", report.import.problems);
    let case = cases(&f.t)
        .await
        .into_iter()
        .find(|c| c.person_id_number == other.as_str())
        .expect("the case")
        .id;

    let mut officer = Client::signed_in(&f.app, "officer").await;
    let uri = format!("/api/v1/dropout/cases/{case}");
    let json = officer.json(&uri).await;
    let student = &json["pending_match"]["student"];
    assert_eq!(student["name"], pupil.name.as_str());
    assert_eq!(student["school_code"], URBAN_PRIMARY);
    assert!(student["id_number"]
        .as_str()
        .is_some_and(|id| id.contains("**********") && id != pupil.id_number));
    // A closing date before the November snapshot is refused next to the date.
    let early = officer
        .post_json(&uri, r#"{"action":"confirm-match","date":"2021-10-31"}"#)
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
    let confirm = r#"{"action":"confirm-match"}"#;
    let json = officer.post_json(&uri, confirm).await.ok_json();
    assert_eq!(json["case"]["status"], "已销号");
    assert_eq!(json["case"]["outcome"], "已在籍");
    // Without a date, today.
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(json["case"]["closed_on"], today.as_str());
    assert!(json["pending_match"].is_null());
    assert_eq!(
        last_action(&f.t, case).await.as_deref(),
        Some("case.match_confirm")
    );
    // Deciding again is refused next to the action.
    let again = officer
        .post_json(&uri, r#"{"action":"reject-match"}"#)
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
}
