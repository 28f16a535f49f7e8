//! Hazards (隐患): the audited workflow on both engines, and the same flow over the JSON
//! API and the pages, with the state's clock deciding what today is.

use super::*;
use crate::web::{fixture, Client, Multipart};
use axum::http::StatusCode;

async fn workflow(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let officer = officer();
    let own = school(URBAN_PRIMARY);
    let title = "安全隐患大排查大整治";
    let campaign = safety::schedule_campaign(
        db,
        &officer,
        &campaign_form(title, "2021-03-01", ""),
        "test",
    )
    .await
    .accepted("campaign");
    assert!(campaign > 0);
    let monthly = safety::schedule_monthly(db, &officer, 2021, 3, "test")
        .await
        .accepted("monthly");
    assert_eq!(monthly, 3);

    // A school records a hazard of its own school: naming another is refused, left out it
    // is its own.
    let mut form = hazard_form("2021-03-10");
    form.school = TOWN_JUNIOR.into();
    let foreign = safety::record_hazard(db, &own, &form, "test", today())
        .await
        .refused("another school");
    assert_eq!(foreign.field, "school");
    assert!(foreign.is_out_of_scope());
    form.school = String::new();
    form.inspection = "999999".into();
    let unknown = safety::record_hazard(db, &own, &form, "test", today())
        .await
        .refused("no such inspection");
    assert_eq!(unknown.field, "inspection");
    form.inspection = campaign.to_string();
    let id = safety::record_hazard(db, &own, &form, "test", today())
        .await
        .accepted("record");
    let h = safety::visible_hazard(db, &own, id).await.expect("visible");
    assert_eq!(h.school_code, URBAN_PRIMARY);
    assert_eq!(h.status.label(), "待整改");
    assert_eq!(h.inspection_id, Some(campaign));

    // Other schools and other townships do not see it.
    for other in [school(TOWN_JUNIOR), longtan()] {
        assert!(matches!(
            safety::visible_hazard(db, &other, id).await,
            Err(AppError::NotFound)
        ));
    }

    // Closing before rectification is refused, in Chinese, on the status field.
    let e = safety::close(db, &officer, id, &review("已复查", ""), "test", today())
        .await
        .refused("closed before rectification");
    assert_eq!(e.field, "status");
    assert!(e.reason.contains("待整改"), "{}", e.reason);

    // A bad deadline is tied to its field.
    let assign = |form: AssignForm| {
        let own = own.clone();
        async move { safety::assign(db, &own, id, &form, "test").await }
    };
    let bad = assign(assignment("向校长", "更换插座面板", "明天", "200")).await;
    assert_eq!(bad.refused("a bad deadline").field, "deadline");
    // Money and text are bounded (issue #11): no 92233720368547758.07 元, no 1.5 MB text.
    let budget = "92233720368547758.07";
    let rich = assign(assignment("向校长", "更换插座面板", "2021-03-20", budget))
        .await
        .refused("too rich");
    assert_eq!(rich.field, "budget");
    assert!(
        rich.reason.contains("不能超过1000000000元"),
        "{}",
        rich.reason
    );
    let measures = "换".repeat(2_001);
    let wordy = assign(assignment("向校长", &measures, "2021-03-20", "200"))
        .await
        .refused("too wordy");
    assert_eq!(wordy.field, "measures");
    let mut huge = form.clone();
    huge.place = "x".repeat(1_500_000);
    let e = safety::record_hazard(db, &own, &huge, "test", today())
        .await
        .refused("too long a place");
    assert_eq!(
        (e.field, e.reason.as_str()),
        ("place", "隐患部位不能超过200个字（现有1500000个字）")
    );
    assign(assignment(
        "向校长",
        "更换插座面板，线路穿管",
        "2021-03-20",
        "1,200.50",
    ))
    .await
    .accepted("assign");
    let rectify = |result: &str, on: &str| {
        let (own, form) = (own.clone(), rectification(result, on));
        async move { safety::rectify(db, &own, id, &form, None, "test").await }
    };
    rectify("已更换面板并穿管", "2021-03-15")
        .await
        .accepted("rectify");
    // A school cannot close its own hazard.
    assert!(matches!(
        safety::close(db, &own, id, &ReviewForm::default(), "test", today()).await,
        Err(AppError::Forbidden)
    ));
    // Sent back once, rectified again, then closed.
    safety::send_back(db, &officer, id, &review("线路未穿管", ""), "test")
        .await
        .accepted("send back");
    let status = || async {
        let hazard = safety::visible_hazard(db, &own, id).await.expect("h");
        hazard.status
    };
    assert_eq!(status().await.label(), "退回");
    rectify("已全部穿管", "2021-03-18")
        .await
        .accepted("rectify");
    let closing = review("复查合格", "2021-03-19");
    safety::close(db, &officer, id, &closing, "test", today())
        .await
        .accepted("close");
    let h = safety::visible_hazard(db, &own, id).await.expect("h");
    assert_eq!(h.status.label(), "已销号");
    assert_eq!(h.budget_fen, 120_050);
    assert_eq!(h.closed_on.as_deref(), Some("2021-03-19"));

    assert_eq!(
        audit_actions(t, &id.to_string()).await,
        vec![
            "hazard_record",
            "hazard_assign",
            "hazard_rectify",
            "hazard_send_back",
            "hazard_rectify",
            "hazard_close"
        ]
    );

    // The ledger in the usual layout.
    let rows = safety::ledger_rows(db, &officer, &Default::default())
        .await
        .expect("ledger");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "2021-03-10");
    assert_eq!(rows[0][10], "1200.50");
    assert_eq!(rows[0][13], "2021-03-19");
    let path = t.path("ledger.xlsx");
    safety::write_ledger(db, &officer, &Default::default(), &path)
        .await
        .expect("xlsx");
    assert!(std::fs::metadata(&path).expect("file").len() > 0);

    assert_eq!(hazard_counts(db).await, [1, 1, 0].map(counted));
}
crate::on_both_engines!(hazard_workflow, super::workflow);

/// The web state's clock decides what "today" is for the rules and the forms: pinned to
/// 2021-10-08, the hazard form offers that day and a hazard found the day after is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_in_the_state_is_today_for_pages_and_rules() {
    let f = fixture(sqlite().await).await;
    let day = chrono::NaiveDate::from_ymd_opt(2021, 10, 8).expect("date");
    let mut state = emis_web::AppState::new(f.t.db.clone(), "431224".into());
    state.clock = emis_app::Clock::pinned(day);
    let app = emis_web::app(state);
    let mut school = Client::signed_in(&app, "xiaoxue").await;
    let page = school.get("/safety/hazards").await;
    assert!(page.body.contains("value=\"2021-10-08\""), "{}", page.body);
    let body = |found_on: &str| {
        format!(
            r#"{{"school":"","place":"实验室","category":"实验室危化品","grade":"一般","description":"危化品未双人双锁","found_on":"{found_on}"}}"#
        )
    };
    let uri = "/api/v1/safety/hazards";
    let late = school.post_json(uri, &body("2021-10-09")).await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.body
    );
    assert!(late.body.contains("不能晚于今天"), "{}", late.body);
    let on_the_day = school.post_json(uri, &body("2021-10-08")).await;
    assert_eq!(on_the_day.status, StatusCode::OK, "{}", on_the_day.body);
}

/// The same flow over HTTP: a school records and rectifies through the JSON API, another
/// school gets 404, an upload through the page form is checked by content, the officer
/// closes, and the ledger downloads as xlsx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_over_the_api_and_the_pages() {
    let f = fixture(sqlite().await).await;
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let reply = school
        .post_json(
            "/api/v1/safety/hazards",
            r#"{"school":"","place":"实验室","category":"实验室危化品","grade":"重大","description":"危化品未双人双锁","found_on":"2021-10-08"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v = reply.json();
    let id = v["hazard"]["id"].as_i64().expect("id");
    assert_eq!(v["hazard"]["school_code"], URBAN_PRIMARY);
    assert_eq!(v["hazard"]["status"], "待整改");

    let assign = format!("/api/v1/safety/hazards/{id}/assign");
    let bad = school
        .post_json(
            &assign,
            r#"{"responsible":"","measures":"双人双锁","deadline":"2021-10-20"}"#,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("责任人"), "{}", bad.body);
    let ok = school
        .post_json(
            &assign,
            r#"{"responsible":"舒老师","measures":"双人双锁","deadline":"2021-10-20","budget":"800"}"#,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    // 重大 hazards are on the leadership's dashboard at once.
    let mut leader = Client::signed_in(&f.app, "leader").await;
    let d = leader.json("/api/v1/safety/dashboard").await;
    assert!(d["dashboard"]["major"]
        .as_array()
        .expect("major")
        .iter()
        .any(|h| h["id"] == id));
    let page = leader.get("/safety").await;
    assert!(page.body.contains("危化品未双人双锁"));
    // …and on the home page's safety card, the first page leadership opens.
    let home = leader.get("/").await;
    let card = home
        .body
        .split("id=\"home-major-list\"")
        .nth(1)
        .expect("the card lists 重大 hazards");
    assert!(card.contains("危化品未双人双锁"));

    // The town school's account does not see it (its township's officer neither).
    let mut township = Client::signed_in(&f.app, "longtan").await;
    for uri in [
        format!("/api/v1/safety/hazards/{id}"),
        format!("/safety/hazards/{id}"),
    ] {
        let status = township.get(&uri).await.status;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }

    // A multipart rectification with a disguised file is refused next to the field.
    let rectification = |file: &[u8]| {
        Multipart::new()
            .text("result", "已双人双锁")
            .text("rectified_on", "2021-10-12")
            .file("photo", "lock.jpg", "image/jpeg", file)
    };
    let rectify = format!("/safety/hazards/{id}/rectify");
    let script = rectification(b"<script>alert(1)</script>");
    let refused = school.post_multipart(&rectify, script).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error"));
    assert!(refused.body.contains("只接受 JPG、PNG"));
    let photo = rectification(&[0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9]);
    let done = school.post_multipart(&rectify, photo).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let detail = school.get(&format!("/safety/hazards/{id}")).await;
    assert!(detail.body.contains("待复查"));
    assert!(detail.body.contains("lock.jpg"));

    // The school cannot close; the officer can, through the API.
    let close = format!("/api/v1/safety/hazards/{id}/close");
    let forbidden = school.post_json(&close, r#"{"review":"合格"}"#).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let closed = officer
        .post_json(&close, r#"{"review":"复查合格","closed_on":"2021-10-15"}"#)
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let v = closed.json();
    assert_eq!(v["hazard"]["status"], "已销号");
    assert_eq!(v["evidence"].as_array().expect("evidence").len(), 1);

    let ledger = officer
        .get("/safety/hazards/export?grade=%E9%87%8D%E5%A4%A7")
        .await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert!(ledger.disposition().contains(".xlsx"));

    // Parents' letters: a school registers a signature for its own student only.
    let id_number = |student: i64| {
        let db = f.t.db.clone();
        async move {
            let county = Scope::County { county: county() };
            emis_storage::lists::student(&db, &county, student)
                .await
                .expect("student")
                .expect("exists")
                .id_number
        }
    };
    let letter =
        |id: &str| format!(r#"{{"id_number":"{id}","year":2021,"signed_on":"2021-09-10"}}"#);
    let own = letter(&id_number(f.own_student).await);
    let signed = school.post_json("/api/v1/safety/letters", &own).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let other = letter(&id_number(f.other_student).await);
    let refused = school.post_json("/api/v1/safety/letters", &other).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = indicators(&f.t.db).await;
    let Some(Value::Rate(rate)) = set.get("drowning.letters.signed") else {
        panic!("no letters rate");
    };
    assert!((rate - 1.0 / 18.0).abs() < 1e-9, "{rate}");
    let page = school.get("/safety/letters?year=2021").await;
    assert!(page.body.contains("签收率"));
}
