//! Hazards (隐患): the audited workflow on both engines, and the same flow over the JSON
//! API and the pages, with the state's clock deciding what today is.

use super::*;

async fn workflow(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let officer = officer();
    let own = school(URBAN_PRIMARY);
    let campaign = safety::schedule_campaign(
        db,
        &officer,
        "安全隐患大排查大整治",
        "2021-03-01",
        "",
        "test",
    )
    .await
    .field_refusal()
    .expect("campaign")
    .expect("valid campaign");
    assert!(campaign > 0);
    let monthly = safety::schedule_monthly(db, &officer, 2021, 3, "test")
        .await
        .field_refusal()
        .expect("monthly")
        .expect("valid month");
    assert_eq!(monthly, 3);

    // A school records a hazard of its own school: naming another is refused, left out it
    // is its own.
    let mut form = hazard_form("2021-03-10");
    form.school = TOWN_JUNIOR.into();
    let foreign = safety::record_hazard(db, &own, &form, "test", crate::support::today())
        .await
        .field_refusal()
        .expect("record call")
        .expect_err("another school");
    assert_eq!(foreign.field, "school");
    assert!(foreign.is_out_of_scope());
    form.school = String::new();
    form.inspection = "999999".into();
    let unknown = safety::record_hazard(db, &own, &form, "test", crate::support::today())
        .await
        .field_refusal()
        .expect("record call");
    assert_eq!(unknown.expect_err("no such inspection").field, "inspection");
    form.inspection = campaign.to_string();
    let id = safety::record_hazard(db, &own, &form, "test", crate::support::today())
        .await
        .field_refusal()
        .expect("record")
        .expect("valid hazard");
    let h = safety::visible_hazard(db, &own, id).await.expect("visible");
    assert_eq!(h.school_code, URBAN_PRIMARY);
    assert_eq!(h.status, "待整改");
    assert_eq!(h.inspection_id, Some(campaign));

    // Other schools and other townships do not see it.
    assert!(matches!(
        safety::visible_hazard(db, &school(TOWN_JUNIOR), id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        safety::visible_hazard(db, &longtan(), id).await,
        Err(AppError::NotFound)
    ));

    // Closing before rectification is refused, in Chinese, on the status field.
    let early = safety::close(
        db,
        &officer,
        id,
        &ReviewForm {
            review: "已复查".into(),
            closed_on: String::new(),
        },
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("close call");
    let e = early.expect_err("refused");
    assert_eq!(e.field, "status");
    assert!(e.reason.contains("待整改"), "{}", e.reason);

    // A bad deadline is tied to its field.
    let bad = safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "向校长".into(),
            measures: "更换插座面板".into(),
            deadline: "明天".into(),
            budget: "200".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign call");
    assert_eq!(bad.expect_err("refused").field, "deadline");
    // Money and text are bounded (issue #11): no 92233720368547758.07 元, no 1.5 MB text.
    let rich = safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "向校长".into(),
            measures: "更换插座面板".into(),
            deadline: "2021-03-20".into(),
            budget: "92233720368547758.07".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign call")
    .expect_err("refused");
    assert_eq!(rich.field, "budget");
    assert!(
        rich.reason.contains("不能超过1000000000元"),
        "{}",
        rich.reason
    );
    let wordy = safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "向校长".into(),
            measures: "换".repeat(2_001),
            deadline: "2021-03-20".into(),
            budget: "200".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign call")
    .expect_err("refused");
    assert_eq!(wordy.field, "measures");
    let mut huge = form.clone();
    huge.place = "x".repeat(1_500_000);
    let e = safety::record_hazard(db, &own, &huge, "test", crate::support::today())
        .await
        .field_refusal()
        .expect("record call")
        .expect_err("refused");
    assert_eq!(
        (e.field, e.reason.as_str()),
        ("place", "隐患部位不能超过200个字（现有1500000个字）")
    );
    safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "向校长".into(),
            measures: "更换插座面板，线路穿管".into(),
            deadline: "2021-03-20".into(),
            budget: "1,200.50".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign")
    .expect("valid assignment");
    safety::rectify(
        db,
        &own,
        id,
        &RectifyForm {
            result: "已更换面板并穿管".into(),
            rectified_on: "2021-03-15".into(),
        },
        None,
        "test",
    )
    .await
    .field_refusal()
    .expect("rectify")
    .expect("valid rectification");
    // A school cannot close its own hazard.
    assert!(matches!(
        safety::close(
            db,
            &own,
            id,
            &ReviewForm::default(),
            "test",
            crate::support::today()
        )
        .await,
        Err(AppError::Forbidden)
    ));
    // Sent back once, rectified again, then closed.
    safety::send_back(
        db,
        &officer,
        id,
        &ReviewForm {
            review: "线路未穿管".into(),
            closed_on: String::new(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("send back")
    .expect("valid");
    assert_eq!(
        safety::visible_hazard(db, &own, id)
            .await
            .expect("h")
            .status,
        "退回"
    );
    safety::rectify(
        db,
        &own,
        id,
        &RectifyForm {
            result: "已全部穿管".into(),
            rectified_on: "2021-03-18".into(),
        },
        None,
        "test",
    )
    .await
    .field_refusal()
    .expect("rectify")
    .expect("valid");
    safety::close(
        db,
        &officer,
        id,
        &ReviewForm {
            review: "复查合格".into(),
            closed_on: "2021-03-19".into(),
        },
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("close")
    .expect("valid close");
    let h = safety::visible_hazard(db, &own, id).await.expect("h");
    assert_eq!(h.status, "已销号");
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

    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("report");
    assert_eq!(set.get("safety.hazards.found"), Some(Value::Count(1)));
    assert_eq!(set.get("safety.hazards.rectified"), Some(Value::Count(1)));
    assert_eq!(set.get("safety.hazards.overdue"), Some(Value::Count(0)));
}

crate::on_both_engines!(hazard_workflow, super::workflow);

/// The web state's clock decides what "today" is for the rules and the forms: pinned to
/// 2021-10-08, the hazard form offers that day and a hazard found the day after is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_in_the_state_is_today_for_pages_and_rules() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let day = chrono::NaiveDate::from_ymd_opt(2021, 10, 8).expect("date");
    let app = emis_web::app(emis_web::AppState {
        clock: emis_app::Clock::pinned(day),
        ..emis_web::AppState::new(f.t.db.clone(), "431224".into())
    });
    let mut school = Client::new(&app);
    school.login("xiaoxue", PASSWORD).await;
    let page = school.get("/safety/hazards").await;
    assert!(page.body.contains("value=\"2021-10-08\""), "{}", page.body);
    let body = |found_on: &str| {
        format!(
            r#"{{"school":"","place":"实验室","category":"实验室危化品","grade":"一般","description":"危化品未双人双锁","found_on":"{found_on}"}}"#
        )
    };
    let json = Some("application/json");
    let late = school
        .send(
            Method::POST,
            "/api/v1/safety/hazards",
            json,
            body("2021-10-09").into(),
        )
        .await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.body
    );
    assert!(late.body.contains("不能晚于今天"), "{}", late.body);
    let on_the_day = school
        .send(
            Method::POST,
            "/api/v1/safety/hazards",
            json,
            body("2021-10-08").into(),
        )
        .await;
    assert_eq!(on_the_day.status, StatusCode::OK, "{}", on_the_day.body);
}

/// The same flow over HTTP: a school records and rectifies through the JSON API, another
/// school gets 404, an upload through the page form is checked by content, the officer
/// closes, and the ledger downloads as xlsx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_over_the_api_and_the_pages() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let json = Some("application/json");
    let reply = school
        .send(
            Method::POST,
            "/api/v1/safety/hazards",
            json,
            r#"{"school":"","place":"实验室","category":"实验室危化品","grade":"重大","description":"危化品未双人双锁","found_on":"2021-10-08"}"#.into(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let id = v["hazard"]["id"].as_i64().expect("id");
    assert_eq!(v["hazard"]["school_code"], URBAN_PRIMARY);
    assert_eq!(v["hazard"]["status"], "待整改");

    let bad = school
        .send(
            Method::POST,
            &format!("/api/v1/safety/hazards/{id}/assign"),
            json,
            r#"{"responsible":"","measures":"双人双锁","deadline":"2021-10-20"}"#.into(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("责任人"), "{}", bad.body);
    let ok = school
        .send(
            Method::POST,
            &format!("/api/v1/safety/hazards/{id}/assign"),
            json,
            r#"{"responsible":"舒老师","measures":"双人双锁","deadline":"2021-10-20","budget":"800"}"#.into(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    // 重大 hazards are on the leadership's dashboard at once.
    let mut leader = Client::new(&f.app);
    leader.login("leader", PASSWORD).await;
    let d = leader.get("/api/v1/safety/dashboard").await;
    let d: serde_json::Value = serde_json::from_str(&d.body).expect("json");
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
    let mut township = Client::new(&f.app);
    township.login("longtan", PASSWORD).await;
    assert_eq!(
        township
            .get(&format!("/api/v1/safety/hazards/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        township.get(&format!("/safety/hazards/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    // A multipart rectification with a disguised file is refused next to the field.
    let boundary = "XyZ";
    let multipart = |file: &[u8]| {
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"result\"\r\n\r\n已双人双锁\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"rectified_on\"\r\n\r\n2021-10-12\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"lock.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let refused = school
        .send(
            Method::POST,
            &format!("/safety/hazards/{id}/rectify"),
            Some(ct.as_str()),
            multipart(b"<script>alert(1)</script>"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error"));
    assert!(refused.body.contains("只接受 JPG、PNG"));
    let done = school
        .send(
            Method::POST,
            &format!("/safety/hazards/{id}/rectify"),
            Some(ct.as_str()),
            multipart(&[0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9]),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let detail = school.get(&format!("/safety/hazards/{id}")).await;
    assert!(detail.body.contains("待复查"));
    assert!(detail.body.contains("lock.jpg"));

    // The school cannot close; the officer can, through the API.
    let forbidden = school
        .send(
            Method::POST,
            &format!("/api/v1/safety/hazards/{id}/close"),
            json,
            r#"{"review":"合格"}"#.into(),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let closed = officer
        .send(
            Method::POST,
            &format!("/api/v1/safety/hazards/{id}/close"),
            json,
            r#"{"review":"复查合格","closed_on":"2021-10-15"}"#.into(),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let v: serde_json::Value = serde_json::from_str(&closed.body).expect("json");
    assert_eq!(v["hazard"]["status"], "已销号");
    assert_eq!(v["evidence"].as_array().expect("evidence").len(), 1);

    let ledger = officer
        .get("/safety/hazards/export?grade=%E9%87%8D%E5%A4%A7")
        .await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert!(ledger.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .expect("header")
        .contains(".xlsx"));

    // Parents' letters: a school registers a signature for its own student only.
    let county_scope = Scope::County { county: county() };
    let id_of = |id: i64| {
        let db = f.t.db.clone();
        let scope = county_scope.clone();
        async move {
            emis_storage::lists::student(&db, &scope, id)
                .await
                .expect("student")
                .expect("exists")
                .id_number
        }
    };
    let own_id = id_of(f.own_student).await;
    let other_id = id_of(f.other_student).await;
    let letter =
        |id: &str| format!(r#"{{"id_number":"{id}","year":2021,"signed_on":"2021-09-10"}}"#);
    let signed = school
        .send(
            Method::POST,
            "/api/v1/safety/letters",
            json,
            letter(&own_id).into_bytes(),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let refused = school
        .send(
            Method::POST,
            "/api/v1/safety/letters",
            json,
            letter(&other_id).into_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = emis_app::report::annual_indicators(&f.t.db, "431224", 2021)
        .await
        .expect("report");
    let Some(Value::Rate(rate)) = set.get("drowning.letters.signed") else {
        panic!("no letters rate");
    };
    assert!((rate - 1.0 / 18.0).abs() < 1e-9, "{rate}");
    let page = school.get("/safety/letters?year=2021").await;
    assert!(page.body.contains("签收率"));
}
