//! 一人一案: cases kept to the scope, the audited workflow and the indicators it moves, and
//! the same cases over the pages and the JSON API.

use super::*;

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
