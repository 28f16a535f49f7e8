//! 一人一案: cases kept to the scope, the audited workflow and the indicators it moves, and
//! the same cases over the pages and the JSON API.

use super::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;

async fn cases_are_scoped(t: &TestDb) {
    let (missing, probable) = imported(t).await;
    let q = &store::CaseQuery::default();
    let seen = |scope: Scope| async move {
        let rows = store::cases(&t.db, &scope, q).await.expect("cases");
        rows.iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(seen(township(LONGTAN).scope).await, vec![missing]);
    assert_eq!(seen(township(LUFENG).scope).await, vec![probable]);
    // The probable match's case goes to the candidate's school.
    assert_eq!(seen(school_scope(URBAN_PRIMARY)).await, vec![probable]);
    assert!(seen(school_scope(TOWN_JUNIOR)).await.is_empty());

    // A township office cannot work another township's case: not found, nothing written.
    let form = visit("2021-09-20", "走访", "入户走访");
    let err = act(t, &township(LUFENG), missing, &form).await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)), "{err:?}");
    // A leader reads but does not work cases.
    let leader = account(Role::Leader, county_scope());
    let err = act(t, &leader, missing, &form).await;
    assert!(matches!(err, Err(emis_app::AppError::Forbidden)), "{err:?}");
    assert!(store::events(&t.db, missing).await.expect("e").is_empty());
}

on_both_engines!(dropout_case_scope, super::cases_are_scoped);

async fn workflow_is_audited_and_indicators_follow(t: &TestDb) {
    let (missing, probable) = imported(t).await;
    let office = township(LONGTAN);
    assert_eq!(suspected_probable_unresolved(t).await, [2, 1, 2]);

    let audit_before = audit_count(t).await;
    let assignment = CaseForm {
        township_cadre: Some("乡干部甲".into()),
        school_code: Some(TOWN_JUNIOR.into()),
        school_contact: Some("校长乙".into()),
        teacher: Some("教师丙".into()),
        ..decide("assign")
    };
    let assigned = act(t, &office, missing, &assignment)
        .await
        .accepted("assigned");
    assert_eq!(assigned.school_code.as_deref(), Some(TOWN_JUNIOR));
    // Closing as 劝返复学 without a visit is refused, next to the field.
    let returned = close("劝返复学", "2021-09-30", Some("复学登记表"));
    let refused = act(t, &office, missing, &returned)
        .await
        .refused("needs a visit");
    assert_eq!(refused.field, "date");
    assert!(refused.reason.contains("走访或电话"), "{}", refused.reason);
    let no_evidence = close("劝返复学", "2021-09-30", None);
    let no_evidence = act(t, &office, missing, &no_evidence)
        .await
        .refused("needs evidence");
    assert_eq!(no_evidence.field, "evidence");
    let agreed = visit("2021-09-20", "走访", "入户走访，家长同意返校");
    let visited = act(t, &office, missing, &agreed).await.accepted("visit");
    assert_eq!(visited.status.label(), "劝返中");
    let closed = act(t, &office, missing, &returned).await.accepted("closed");
    assert_eq!(closed.status.label(), "已销号");
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
    let view = dropout::case(&t.db, &school_scope(TOWN_JUNIOR), missing, as_of())
        .await
        .expect("school sees it");
    assert_eq!(view.events.len(), 1);
    let [_, _, unresolved] = suspected_probable_unresolved(t).await;
    assert_eq!(unresolved, 1);

    // The probable match confirmed by the county office closes the last case.
    let officer = officer();
    let same_child = close(
        "户籍信息错误（姓名或证件号错误）",
        "2021-09-25",
        Some("与学籍核对为同一人"),
    );
    act(t, &officer, probable, &same_child)
        .await
        .accepted("closed");
    assert_eq!(suspected_probable_unresolved(t).await, [2, 0, 0]);

    // Reopening keeps the earlier closure in the log and counts the child again.
    let reopen = CaseForm {
        date: Some("2021-10-20".into()),
        reason: Some("复学后再次未到校".into()),
        ..decide("reopen")
    };
    act(t, &office, missing, &reopen).await.accepted("reopened");
    let [_, _, unresolved] = suspected_probable_unresolved(t).await;
    assert_eq!(unresolved, 1);
    let view = dropout::case(&t.db, &county_scope(), missing, as_of())
        .await
        .expect("case");
    assert_eq!(view.row.status.label(), "待核查");
    assert!(view.events.iter().any(|e| e.kind == "重新打开"));

    // 送教上门: a plan for a student of the term counts for that term.
    let plan = dropout::PlanForm {
        id_number: student_id(2012, 5),
        term: "2021-autumn".into(),
        teachers: "教师甲、教师乙".into(),
        plan: "每两周送教一次".into(),
    };
    let plan = dropout::save_plan(&t.db, &officer, &plan, "test")
        .await
        .accepted("plan");
    let lesson = dropout::HomeVisitForm {
        date: "2021-10-08".into(),
        hours: "2".into(),
        teacher: "教师甲".into(),
        content: "生活适应训练".into(),
    };
    dropout::log_home_visit(&t.db, &officer, plan, &lesson, "test")
        .await
        .accepted("visit");
    let home_teaching = [
        "dropout.home_teaching.autumn",
        "dropout.home_teaching.spring",
    ];
    assert_eq!(indicators(t, home_teaching).await, [1, 0]);
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

/// The pages and the JSON API over the same services: the township office lists and works
/// its case through the API, the page shows the visit, a school sees nothing of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_api_work_the_same_cases() {
    let f = fixture(sqlite().await).await;
    let mut office = Client::signed_in(&f.app, "longtan").await;
    let json = office.get("/api/v1/dropout/cases").await.ok_json();
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert!(items[0]["person_id_number"]
        .as_str()
        .is_some_and(|id| id.contains("**********")));
    let id = items[0]["id"].as_i64().expect("id");
    assert_eq!(id, f.other_case);

    let case = format!("/api/v1/dropout/cases/{id}");
    let reply = office
        .post_json(
            &case,
            r#"{"action":"close","outcome":"劝返复学","date":"2021-09-30","evidence":"复学登记表"}"#,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("走访或电话"), "{}", reply.body);
    let json = office
        .post_json(
            &case,
            r#"{"action":"visit","date":"2021-09-20","kind":"电话","note":"电话联系监护人"}"#,
        )
        .await
        .ok_json();
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
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let json = school.json("/api/v1/dropout/cases").await;
    assert_eq!(json["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        school.get(&format!("/dropout/cases/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let ledger = school.get("/dropout/ledger?ledger=suspected").await;
    assert!(!ledger.body.contains("失学儿童"));

    // Home-teaching plan through the API, counted in the list.
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let visits = format!("/api/v1/dropout/home-teaching/{}/visits", f.other_plan);
    officer
        .post_json(
            &visits,
            r#"{"date":"2021-10-08","hours":"2","teacher":"教师甲","content":"生活适应"}"#,
        )
        .await
        .with_status(StatusCode::OK);
    let json = officer
        .json("/api/v1/dropout/home-teaching?term=2021-autumn")
        .await;
    assert_eq!(json["students"], 1);
    assert_eq!(json["items"][0]["visits"], 1);
}
