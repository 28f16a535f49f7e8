//! Safety: the hazard workflow on both engines, scope, audit, evidence uploads, overdue
//! hazards and the indicators computed from records.

use crate::support::*;
use emis_app::auth::Account;
use emis_app::safety::{self, AssignForm, HazardForm, RectifyForm, ReviewForm, Upload};
use emis_app::AppError;
use emis_domain::access::{Role, Scope};
use emis_domain::indicators::Value;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

fn account(name: &str, role: Role, scope: Scope) -> Account {
    account_of(name, role, scope)
}

fn county() -> String {
    "431224".into()
}

pub fn officer() -> Account {
    account("anquan", Role::Officer, Scope::County { county: county() })
}

pub fn school(code: &str) -> Account {
    account(
        &format!("school{code}"),
        Role::SchoolAdmin,
        Scope::School {
            county: county(),
            school: code.into(),
        },
    )
}

fn longtan() -> Account {
    account(
        "longtan",
        Role::Township,
        Scope::Township {
            county: county(),
            township: "431224104".into(),
        },
    )
}

fn hazard_form(found_on: &str) -> HazardForm {
    HazardForm {
        school: URBAN_PRIMARY.into(),
        place: "教学楼二楼走廊".into(),
        category: "用电".into(),
        grade: "一般".into(),
        description: "走廊插座面板破损，电线裸露".into(),
        found_on: found_on.into(),
        inspection: String::new(),
    }
}

async fn audit_actions(t: &TestDb, key: &str) -> Vec<String> {
    audit_of(t, "safety_hazard", key).await
}

/// The audited actions on one record, oldest first.
async fn audit_of(t: &TestDb, entity: &str, key: &str) -> Vec<String> {
    let page = emis_storage::lists::audit(&t.db, "431224", None, Some(key), None, None, 1)
        .await
        .expect("audit");
    page.items
        .into_iter()
        .rev()
        .filter(|r| r.entity == entity)
        .map(|r| r.action)
        .collect()
}

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

async fn overdue(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let id = safety::record_hazard(
        db,
        &own,
        &hazard_form("2021-11-02"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("record")
    .expect("valid");
    safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "舒主任".into(),
            measures: "加装护栏".into(),
            deadline: "2021-11-30".into(),
            budget: "".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign")
    .expect("valid");
    let day = |s: &str| emis_domain::dates::parse_date(s).expect("date");
    let before = safety::dashboard(db, &officer(), day("2021-11-30"))
        .await
        .expect("dash");
    assert_eq!(before.counts.overdue, 0);
    assert_eq!(before.counts.open, 1);
    let after = safety::dashboard(db, &officer(), day("2021-12-01"))
        .await
        .expect("dash");
    assert_eq!(after.counts.overdue, 1);
    assert_eq!(after.overdue[0].id, id);
    // A 一般 hazard goes up to the township at once and to the bureau after 7 days late.
    assert_eq!((after.escalated_township, after.escalated_county), (1, 0));
    let week = safety::dashboard(db, &officer(), day("2021-12-07"))
        .await
        .expect("dash");
    assert_eq!((week.escalated_township, week.escalated_county), (1, 0));
    let late = safety::dashboard(db, &officer(), day("2021-12-08"))
        .await
        .expect("dash");
    assert_eq!((late.escalated_township, late.escalated_county), (0, 1));
    // The township sees no overdue hazard outside it; the school sees its own.
    assert_eq!(
        safety::dashboard(db, &longtan(), day("2021-12-01"))
            .await
            .expect("d")
            .counts
            .overdue,
        0
    );
    assert_eq!(
        safety::dashboard(db, &own, day("2021-12-01"))
            .await
            .expect("d")
            .counts
            .overdue,
        1
    );
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("report");
    assert_eq!(set.get("safety.hazards.found"), Some(Value::Count(1)));
    assert_eq!(set.get("safety.hazards.rectified"), Some(Value::Count(0)));
    assert_eq!(set.get("safety.hazards.overdue"), Some(Value::Count(1)));
}
crate::on_both_engines!(overdue_hazards, super::overdue);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_checked_stored_and_scoped() {
    let t = sqlite().await;
    county_with_schools(&t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let id = safety::record_hazard(
        db,
        &own,
        &hazard_form("2021-05-06"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("record")
    .expect("valid");
    let exe = Upload {
        file_name: "photo.jpg",
        bytes: b"MZ\x90\x00\x03",
    };
    let refused = safety::add_evidence(db, &own, id, "发现", &exe, "test")
        .await
        .field_refusal()
        .expect("call");
    assert!(refused.expect_err("not an image").reason.contains("JPG"));
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(10 * 1024 * 1024 + 1, 0);
    let too_big = Upload {
        file_name: "big.jpg",
        bytes: &big,
    };
    let refused = safety::add_evidence(db, &own, id, "发现", &too_big, "test")
        .await
        .field_refusal()
        .expect("call");
    assert!(refused.expect_err("too big").reason.contains("10 MB"));
    let photo = Upload {
        file_name: "../../etc/现场.png",
        bytes: PNG,
    };
    let evidence = safety::add_evidence(db, &own, id, "发现", &photo, "test")
        .await
        .field_refusal()
        .expect("call")
        .expect("stored");
    let (meta, bytes) = safety::evidence_file(db, &own, evidence)
        .await
        .expect("read back");
    assert_eq!(bytes, PNG);
    assert_eq!(meta.mime, "image/png");
    assert_eq!(meta.file_name, "现场.png");
    assert!(t
        .dir
        .path()
        .join("emis-files")
        .join(&meta.stored_name)
        .exists());
    assert!(matches!(
        safety::evidence_file(db, &school(TOWN_JUNIOR), evidence).await,
        Err(AppError::NotFound)
    ));
    // Rectification with a photo stores it as 整改 evidence, in the same step.
    safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "舒主任".into(),
            measures: "修复".into(),
            deadline: "2021-05-20".into(),
            budget: "0".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign")
    .expect("valid");
    let jpg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    safety::rectify(
        db,
        &own,
        id,
        &RectifyForm {
            result: "已修复".into(),
            rectified_on: "2021-05-10".into(),
        },
        Some(&Upload {
            file_name: "after.jpg",
            bytes: &jpg,
        }),
        "test",
    )
    .await
    .field_refusal()
    .expect("rectify")
    .expect("valid");
    let all = emis_storage::safety::evidence_of(db, id)
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].stage, "整改");
    assert_eq!(
        audit_actions(&t, &id.to_string()).await,
        vec![
            "hazard_record",
            "hazard_evidence",
            "hazard_assign",
            "hazard_rectify"
        ]
    );
}

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

/// Drowning records: a township registers a water of its own, the chain refuses a bad
/// phone, measures decide the equipped share, and two patrols a day make a summer day.
async fn drowning_records(t: &TestDb) {
    use emis_app::safety::{ChainForm, MeasuresForm, PatrolForm, WaterForm};
    county_with_schools(t).await;
    let db = &t.db;
    let town = longtan();
    let mut form = WaterForm {
        township: "431224100".into(),
        village: "桐木村".into(),
        name: "桐木山塘".into(),
        kind: "山塘".into(),
        longitude: "110.61".into(),
        latitude: "27.9".into(),
        risk: "高".into(),
    };
    // Another township's code is refused, not rewritten; left out, it is the township's own.
    let foreign = safety::add_water(db, &town, &form, "test")
        .await
        .field_refusal()
        .expect("add")
        .expect_err("another township");
    assert_eq!(foreign.field, "township");
    assert!(foreign.is_out_of_scope());
    form.township = String::new();
    let id = safety::add_water(db, &town, &form, "test")
        .await
        .field_refusal()
        .expect("add")
        .expect("valid water");
    let w = safety::visible_water(db, &town, id).await.expect("visible");
    assert_eq!(
        w.township_code, "431224104",
        "a township registers in its own township"
    );
    assert!(matches!(
        safety::visible_water(db, &school(URBAN_PRIMARY), id).await,
        Err(AppError::NotFound)
    ));
    let again = safety::add_water(db, &town, &form, "test")
        .await
        .field_refusal()
        .expect("call");
    assert_eq!(again.expect_err("duplicate").field, "name");
    let bad_phone = safety::add_chain_link(
        db,
        &town,
        id,
        &ChainForm {
            role: "河(库)长".into(),
            person: "舒村长".into(),
            phone: "12345".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("call");
    assert_eq!(bad_phone.expect_err("phone").field, "phone");
    safety::add_chain_link(
        db,
        &town,
        id,
        &ChainForm {
            role: "河(库)长".into(),
            person: "舒村长".into(),
            phone: "13807451234".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("call")
    .expect("valid link");
    let scope = Scope::County { county: county() };
    let chain = emis_storage::safety::chain(db, &scope, Some(id), None)
        .await
        .expect("chain");
    assert_eq!(chain.len(), 1);

    let end = emis_domain::dates::parse_date("2021-12-31").expect("date");
    let equipped =
        |set: &emis_domain::indicators::IndicatorSet| set.get("drowning.waters.equipped");
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("r");
    assert_eq!(equipped(&set), Some(Value::Rate(0.0)));
    let on = Some("1".to_string());
    safety::save_measures(
        db,
        &officer(),
        id,
        &MeasuresForm {
            risk: "高".into(),
            sign: on.clone(),
            pole: on.clone(),
            ring: on.clone(),
            rope: on.clone(),
            ..Default::default()
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("measures")
    .expect("valid measures");
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("r");
    assert_eq!(equipped(&set), Some(Value::Rate(1.0)));

    for slot in ["中午", "放学后"] {
        safety::record_patrol(
            db,
            &town,
            &PatrolForm {
                water: id,
                day: "2021-07-01".into(),
                slot: slot.into(),
                patroller: "向老师".into(),
                note: String::new(),
            },
            "test",
        )
        .await
        .field_refusal()
        .expect("patrol")
        .expect("valid patrol");
    }
    let (_, check) = safety::patrol_check(db, &scope, 2021, end)
        .await
        .expect("check");
    assert_eq!(check.required_days, 62);
    assert_eq!(check.compliant_days, 1);
    assert_eq!(check.missing.len(), 61);
    let coverage = safety::coverage(db, &town.scope, 2021, end)
        .await
        .expect("coverage");
    assert_eq!(coverage.len(), 1);
    assert_eq!(coverage[0].township_name, "龙潭镇");
    assert_eq!(coverage[0].patrol_compliant, 1);
    let logs = emis_storage::safety::patrols(db, &town.scope, "2021-01-01", "2021-12-31", None, 10)
        .await
        .expect("logs");
    assert_eq!(logs.len(), 2);
    assert!(emis_storage::safety::roster(db, "431224", id)
        .await
        .expect("roster")
        .is_empty());
    assert_eq!(
        safety::default_year(db, "431224", emis_app::Clock::system().today())
            .await
            .expect("year"),
        2021
    );

    // 十有: a township keeps its own items; a school cannot touch the township's.
    let item = safety::TenHaveForm {
        year: 2021,
        org: "431224104".into(),
        item: "工作班子".into(),
        done: Some("1".into()),
        evidence: "溆政办发〔2021〕12号".into(),
    };
    safety::set_ten_have(db, &town, &item, "test")
        .await
        .field_refusal()
        .expect("ten")
        .expect("valid item");
    assert!(matches!(
        safety::set_ten_have(db, &school(URBAN_PRIMARY), &item, "test").await,
        Err(AppError::NotFound)
    ));
    let rows = emis_storage::safety::ten_haves(db, &town.scope, 2021)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].done);

    // The demo's letter rule runs on both engines (no students here: nothing to sign).
    let mut tx = db.begin().await.expect("tx");
    let signed = emis_storage::safety::sign_letters_by_rule(
        &mut tx,
        "431224",
        "2021-autumn",
        "2021-09-10",
        263,
        17,
    )
    .await
    .expect("rule");
    assert_eq!(signed, 0);
    // The demo's bulk writers.
    let ids = emis_storage::safety::inspection_ids(&mut tx, "431224")
        .await
        .expect("ids");
    assert!(ids.is_empty());
    let closed = emis_storage::safety::HazardRow {
        school_code: TOWN_JUNIOR.into(),
        place: "操场".into(),
        category: "体育器材".into(),
        grade: "一般".into(),
        description: "单杠立柱锈蚀".into(),
        found_on: "2021-04-02".into(),
        found_by: "演示数据".into(),
        deadline: Some("2021-04-12".into()),
        status: "已销号".into(),
        closed_on: Some("2021-04-10".into()),
        ..Default::default()
    };
    emis_storage::safety::write_hazards(&mut tx, "431224", &[closed.clone(), closed])
        .await
        .expect("bulk hazards");
    emis_storage::safety::write_roster(
        &mut tx,
        "431224",
        &[(
            id,
            "向老师".into(),
            "13807450000".into(),
            "中午".into(),
            "2021-07-01".into(),
            "2021-08-31".into(),
        )],
    )
    .await
    .expect("roster");
    emis_storage::commit(tx).await.expect("commit");
    assert_eq!(
        emis_storage::safety::roster(db, "431224", id)
            .await
            .expect("roster")
            .len(),
        1
    );
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("r");
    assert_eq!(set.get("safety.hazards.found"), Some(Value::Count(2)));
    assert_eq!(set.get("safety.hazards.rectified"), Some(Value::Count(2)));
}
crate::on_both_engines!(drowning, super::drowning_records);

/// Photos up to 10 MB go through the page form (the route lifts the default body limit);
/// larger ones are refused next to the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_photos_upload_up_to_ten_megabytes() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let boundary = "BoUnDaRy";
    let upload = |size: usize| {
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xE0];
        file.resize(size, 7);
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"stage\"\r\n\r\n发现\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
        body.extend_from_slice(&file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let uri = format!("/safety/hazards/{}/evidence", f.own_hazard);
    let ok = school
        .send(
            Method::POST,
            &uri,
            Some(ct.as_str()),
            upload(6 * 1024 * 1024),
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::SEE_OTHER,
        "{}",
        ok.body.chars().take(300).collect::<String>()
    );
    let too_big = school
        .send(
            Method::POST,
            &uri,
            Some(ct.as_str()),
            upload(10 * 1024 * 1024 + 1),
        )
        .await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_big.body.contains("10 MB"),
        "{}",
        too_big.body.chars().take(300).collect::<String>()
    );
    let all = emis_storage::safety::evidence_of(&f.t.db, f.own_hazard)
        .await
        .expect("list");
    assert_eq!(all.len(), 2, "the fixture's photo and the 6 MB one");
}

/// 九长 links and roster shifts for the route walk: the own side is the urban primary
/// school (卢峰镇) and a water of 卢峰镇, the other side the town junior school and a water of
/// 龙潭镇.
#[derive(Clone, Copy, Debug, Default)]
pub struct DutyRecords {
    pub own_link: i64,
    pub other_link: i64,
    pub own_shift: i64,
    pub other_shift: i64,
    /// Monthly inspections of the two schools.
    pub own_inspection: i64,
    pub other_inspection: i64,
}

pub async fn duty_records(db: &emis_storage::Db, own_water: i64, other_water: i64) -> DutyRecords {
    use emis_storage::safety::{insert_chain, insert_roster, ChainRow, RosterRow};
    let mut tx = db.begin().await.expect("tx");
    let mut ids = Vec::new();
    for (school, township, water) in [
        (URBAN_PRIMARY, "431224100", own_water),
        (TOWN_JUNIOR, "431224104", other_water),
    ] {
        let link = ChainRow {
            level: "学校".into(),
            township_code: township.into(),
            school_code: Some(school.into()),
            role: "校长".into(),
            person: "向校长".into(),
            phone: "13807451234".into(),
            ..ChainRow::default()
        };
        ids.push(insert_chain(&mut tx, "431224", &link).await.expect("link"));
        let shift = RosterRow {
            water_id: water,
            patroller: "舒老师".into(),
            phone: "13907459876".into(),
            slot: "中午".into(),
            from_day: "2021-07-01".into(),
            to_day: "2021-08-31".into(),
            ..RosterRow::default()
        };
        ids.push(
            insert_roster(&mut tx, "431224", &shift)
                .await
                .expect("shift"),
        );
        let monthly = emis_storage::safety::NewInspection {
            kind: "月度排查".into(),
            title: "2021年9月安全隐患排查".into(),
            school_code: Some(school.into()),
            planned_on: "2021-09-10".into(),
            done_on: None,
            checklist: vec!["消防设施".into(), "防溺水".into()],
        };
        ids.push(
            emis_storage::safety::insert_inspection(&mut tx, "431224", "test", &monthly)
                .await
                .expect("inspection"),
        );
    }
    emis_storage::commit(tx).await.expect("commit");
    DutyRecords {
        own_link: ids[0],
        own_shift: ids[1],
        own_inspection: ids[2],
        other_link: ids[3],
        other_shift: ids[4],
        other_inspection: ids[5],
    }
}

fn class_teacher() -> Account {
    account(
        "banzhuren",
        Role::ClassTeacher,
        Scope::Class {
            county: county(),
            school: URBAN_PRIMARY.into(),
            grade: emis_domain::registry::Grade::parse("三年级").expect("grade"),
            number: 1,
        },
    )
}

async fn a_water(t: &TestDb, township: &str) -> i64 {
    let mut tx = t.db.begin().await.expect("tx");
    let w = emis_storage::safety::WaterRow {
        township_code: township.into(),
        village: "桐木村".into(),
        name: "桐木河段".into(),
        kind: "河段".into(),
        risk: "高".into(),
        ..Default::default()
    };
    let id = emis_storage::safety::insert_water(&mut tx, "431224", &w)
        .await
        .expect("water");
    emis_storage::commit(tx).await.expect("commit");
    id
}

/// The patrol roster: a township keeps the roster of its own waters only, a bad phone or
/// period is refused, a blank phone on edit keeps the one on file, every change is audited;
/// the patrol check names who was due and missed, and flags days nobody was rostered.
async fn roster(t: &TestDb) {
    use emis_app::safety::roster::{self, RosterForm};
    county_with_schools(t).await;
    let db = &t.db;
    let water = a_water(t, "431224104").await;
    let elsewhere = a_water(t, "431224100").await;
    let town = longtan();
    let form = |who: &str, phone: &str, slot: &str, from: &str, to: &str| RosterForm {
        patroller: who.into(),
        phone: phone.into(),
        slot: slot.into(),
        from_day: from.into(),
        to_day: to.into(),
    };
    let bad = roster::add_shift(
        db,
        &town,
        water,
        &form("向老师", "1380745", "中午", "2021-07-01", "2021-08-31"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(bad.expect_err("bad phone").field, "phone");
    let backwards = roster::add_shift(
        db,
        &town,
        water,
        &form("向老师", "13807451234", "中午", "2021-08-31", "2021-07-01"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(backwards.expect_err("backwards").field, "to_day");
    assert!(matches!(
        roster::add_shift(
            db,
            &town,
            elsewhere,
            &form("向老师", "13807451234", "中午", "2021-07-01", "2021-08-31"),
            "test"
        )
        .await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        roster::add_shift(
            db,
            &school(TOWN_JUNIOR),
            water,
            &form("向老师", "13807451234", "中午", "2021-07-01", "2021-08-31"),
            "test"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    let noon = roster::add_shift(
        db,
        &town,
        water,
        &form("向老师", "13807451234", "中午", "2021-07-01", "2021-08-31"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("noon shift");
    let after_school = roster::add_shift(
        db,
        &town,
        water,
        &form(
            "舒老师",
            "13907459876",
            "放学后",
            "2021-07-01",
            "2021-07-31",
        ),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("after-school shift");
    // A blank phone keeps the one on file; the slot and the days change.
    roster::edit_shift(
        db,
        &town,
        after_school,
        &form("舒老师", "", "放学后", "2021-07-05", "2021-07-31"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("edit");
    let entries = emis_storage::safety::roster(db, "431224", water)
        .await
        .expect("roster");
    assert_eq!(entries.len(), 2);
    let edited = entries
        .iter()
        .find(|r| r.id == after_school)
        .expect("edited");
    assert_eq!(edited.phone, "13907459876");
    assert_eq!(edited.from_day, "2021-07-05");
    let audit = audit_of(t, "patrol_roster", &after_school.to_string()).await;
    assert!(
        audit.contains(&"roster_add".to_string()) && audit.contains(&"roster_edit".to_string()),
        "{audit:?}"
    );

    // One noon patrol on 7月10日: 舒老师 (放学后) was due and is named; before 7月5日 only the
    // noon slot is rostered, and August has one slot a day: both are roster gaps.
    let patrol = safety::PatrolForm {
        water,
        day: "2021-07-10".into(),
        slot: "中午".into(),
        patroller: "向老师".into(),
        note: String::new(),
    };
    safety::record_patrol(db, &town, &patrol, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("patrol");
    let end = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let report = roster::patrol_report(db, &town.scope, 2021, end)
        .await
        .expect("report");
    let july10 = report
        .missing
        .iter()
        .find(|m| m.water_id == water && m.day.to_string() == "2021-07-10")
        .expect("7月10日 is missing a patrol");
    assert_eq!(july10.done, 1);
    assert_eq!(july10.due, vec!["舒老师（放学后）".to_string()]);
    let july11 = report
        .missing
        .iter()
        .find(|m| m.water_id == water && m.day.to_string() == "2021-07-11")
        .expect("7月11日");
    assert_eq!(july11.due.len(), 2);
    assert!(!july11.unrostered);
    let gap = report
        .roster_gaps
        .iter()
        .find(|g| g.water_id == water)
        .expect("gap");
    assert_eq!(gap.first.to_string(), "2021-07-01");
    assert_eq!(gap.days, 4 + 31);
    // Removing the noon shift leaves August unrostered.
    roster::remove_shift(db, &town, noon, "test")
        .await
        .expect("remove");
    let report = roster::patrol_report(db, &town.scope, 2021, end)
        .await
        .expect("report");
    assert!(report
        .missing
        .iter()
        .any(|m| m.water_id == water && m.day.to_string() == "2021-08-15" && m.unrostered));
    assert!(audit_of(t, "patrol_roster", &noon.to_string())
        .await
        .contains(&"roster_remove".to_string()));
}

crate::on_both_engines!(patrol_roster, super::roster);

/// The 九长 chain beyond water bodies: a school keeps its own school and class links, not
/// another school's nor a village's; a township keeps its villages; a 班主任 sees its own class
/// link only and cannot see phones in full; a keeper's full view is audited.
async fn chain_links(t: &TestDb) {
    use emis_app::safety::chain::{self, PersonForm, TargetForm};
    county_with_schools(t).await;
    let db = &t.db;
    let person = |role: &str, name: &str, phone: &str| PersonForm {
        role: role.into(),
        person: name.into(),
        phone: phone.into(),
    };
    let class = |grade: &str, number: &str| TargetForm {
        level: "班级".into(),
        grade: grade.into(),
        class_number: number.into(),
        ..TargetForm::default()
    };
    let own = school(URBAN_PRIMARY);
    let mine = chain::add_link(
        db,
        &own,
        &class("三年级", "1"),
        &person("班长", "米老师", "13807450001"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("own class");
    let other_class = chain::add_link(
        db,
        &own,
        &class("三年级", "2班"),
        &person("班长", "贺老师", "13807450002"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("another class");
    let bad_grade = chain::add_link(
        db,
        &own,
        &class("三年", "2"),
        &person("班长", "贺老师", "13807450002"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(bad_grade.expect_err("grade").field, "grade");
    let mut head = TargetForm {
        level: "学校".into(),
        school: TOWN_JUNIOR.into(),
        ..TargetForm::default()
    };
    // A school naming another school is refused; left out, the school is its own.
    let foreign = chain::add_link(
        db,
        &own,
        &head,
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("another school");
    assert!(foreign.is_out_of_scope(), "{foreign:?}");
    head.school = String::new();
    let school_link = chain::add_link(
        db,
        &own,
        &head,
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("school link");
    assert_eq!(
        chain::visible_link(db, &own, school_link)
            .await
            .expect("link")
            .school_code
            .as_deref(),
        Some(URBAN_PRIMARY)
    );
    let refused = chain::add_link(
        db,
        &officer(),
        &TargetForm {
            school: "9999999999".into(),
            ..head.clone()
        },
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(refused.expect_err("no such school").field, "school");
    let village = TargetForm {
        level: "村".into(),
        township: "431224104".into(),
        village: "桐木村".into(),
        ..TargetForm::default()
    };
    assert!(matches!(
        chain::add_link(
            db,
            &own,
            &village,
            &person("村长", "舒村长", "13807450004"),
            "test"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    let village_link = chain::add_link(
        db,
        &longtan(),
        &village,
        &person("村长", "舒村长", "13807450004"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("village link");
    // 龙潭镇 does not see 卢峰镇's school links; the urban school does not see 龙潭镇's village.
    assert!(matches!(
        chain::visible_link(db, &longtan(), mine).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        chain::visible_link(db, &own, village_link).await,
        Err(AppError::NotFound)
    ));

    // The 班主任 of 三年级1班 sees its class and its school, not the other class.
    let teacher = class_teacher();
    let seen: Vec<i64> = chain::links(db, &teacher, None)
        .await
        .expect("links")
        .iter()
        .map(|l| l.id)
        .collect();
    assert!(
        seen.contains(&mine) && seen.contains(&school_link),
        "{seen:?}"
    );
    assert!(!seen.contains(&other_class));
    assert!(matches!(
        chain::reveal_phone(db, &teacher, mine, "test").await,
        Err(AppError::Forbidden)
    ));
    let full = chain::reveal_phone(db, &own, mine, "test")
        .await
        .expect("reveal");
    assert_eq!(full.phone, "13807450001");
    let audit = audit_of(t, "drowning_chain", &mine.to_string()).await;
    assert!(audit.contains(&"view_unmasked".to_string()), "{audit:?}");

    // Edit keeps the phone when left blank; the audit log keeps phones masked.
    chain::edit_link(db, &own, mine, &person("班长", "米红", ""), "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("edit");
    let edited = chain::visible_link(db, &own, mine).await.expect("link");
    assert_eq!(
        (edited.person.as_str(), edited.phone.as_str()),
        ("米红", "13807450001")
    );
    let logged: Vec<String> =
        emis_storage::lists::audit(db, "431224", None, Some(&mine.to_string()), None, None, 1)
            .await
            .expect("audit")
            .items
            .into_iter()
            .filter(|r| r.entity == "drowning_chain" && r.action == "chain_edit")
            .filter_map(|r| r.after_json)
            .collect();
    assert_eq!(logged.len(), 1);
    assert!(
        logged
            .iter()
            .all(|a| a.contains("138****0001") && !a.contains("13807450001")),
        "{logged:?}"
    );
    chain::remove_link(db, &own, other_class, "test")
        .await
        .expect("remove");
    assert!(matches!(
        chain::visible_link(db, &own, other_class).await,
        Err(AppError::NotFound)
    ));
}

crate::on_both_engines!(chain_of_nine_heads, super::chain_links);

/// The drowning records over the JSON API and the pages: a township registers a water,
/// sets its measures, keeps its roster and chain, a school its class link, 十有 with evidence
/// and a hazard photo by multipart; each write is scoped (another township gets 404, a
/// 班主任 403), and the home page, the coverage export and the printable ledger show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drowning_writes_over_the_api_and_the_pages() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut town = Client::new(&f.app);
    town.login("longtan", PASSWORD).await;
    async fn post(c: &mut Client, uri: &str, body: &str) -> crate::web::Reply {
        c.send(
            Method::POST,
            uri,
            Some("application/json"),
            body.as_bytes().to_vec(),
        )
        .await
    }
    let parse = |body: &str| serde_json::from_str::<serde_json::Value>(body).expect("json");

    // A water of its own township: the township left out is its own (naming another is
    // refused, see scope::requests_naming_another_org_are_refused).
    let reply = post(&mut town, "/api/v1/safety/waters", r#"{"village":"龙潭村","name":"龙潭野泳点","kind":"野泳点","risk":"高","longitude":"110.6","latitude":"27.7"}"#).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let water = parse(&reply.body)["water"]["id"].as_i64().expect("id");
    assert_eq!(parse(&reply.body)["water"]["township_code"], "431224104");
    let bad = post(
        &mut town,
        "/api/v1/safety/waters",
        r#"{"village":"龙潭村","name":"无名","kind":"水沟","risk":"高"}"#,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("水域类型"), "{}", bad.body);
    let measures = post(
        &mut town,
        &format!("/api/v1/safety/waters/{water}/measures"),
        r#"{"risk":"高","sign":true,"pole":true,"ring":true,"rope":true}"#,
    )
    .await;
    assert_eq!(measures.status, StatusCode::OK, "{}", measures.body);
    assert_eq!(parse(&measures.body)["complete"], true);
    let elsewhere = post(
        &mut town,
        &format!("/api/v1/safety/waters/{}/measures", f.own_water),
        r#"{"risk":"高"}"#,
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    // The roster: add, edit (blank phone keeps it), list masked, remove.
    let shift = post(&mut town, &format!("/api/v1/safety/waters/{water}/roster"), r#"{"patroller":"向老师","phone":"13807451234","slot":"中午","from_day":"2021-07-01","to_day":"2021-08-31"}"#).await;
    assert_eq!(shift.status, StatusCode::OK, "{}", shift.body);
    let shift_id = parse(&shift.body)["shift"]["id"].as_i64().expect("id");
    assert_eq!(parse(&shift.body)["shift"]["phone"], "138****1234");
    let edited = post(&mut town, &format!("/api/v1/safety/roster/{shift_id}"), r#"{"patroller":"向老师","phone":"","slot":"放学后","from_day":"2021-07-01","to_day":"2021-08-31"}"#).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(parse(&edited.body)["shift"]["slot"], "放学后");
    assert_eq!(parse(&edited.body)["shift"]["phone"], "138****1234");
    let list = town
        .get(&format!("/api/v1/safety/waters/{water}/roster"))
        .await;
    assert_eq!(
        parse(&list.body)["items"].as_array().expect("items").len(),
        1
    );
    let report = town.get("/api/v1/safety/patrols/report?year=2021").await;
    let report = parse(&report.body);
    assert!(report["report"]["roster_gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .any(|g| g["water_id"] == water));
    let page = town.get(&format!("/safety/waters/{water}")).await;
    assert!(
        page.body.contains("排班不足两个时段"),
        "the water page flags the gap"
    );
    assert!(page.body.contains("138****1234") && !page.body.contains("13807451234"));
    let removed = post(
        &mut town,
        &format!("/api/v1/safety/roster/{shift_id}/remove"),
        "",
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        town.get(&format!("/api/v1/safety/waters/{water}/roster"))
            .await
            .body
            .matches("patroller")
            .count(),
        0
    );

    // The chain: a township's village link; the school's class link; the 班主任 sees its own.
    let village = post(&mut town, "/api/v1/safety/chain", r#"{"level":"村","township":"431224104","village":"龙潭村","role":"村长","person":"舒村长","phone":"13907450001"}"#).await;
    assert_eq!(village.status, StatusCode::OK, "{}", village.body);
    assert_eq!(parse(&village.body)["link"]["phone"], "139****0001");
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let class = post(&mut school, "/api/v1/safety/chain", r#"{"level":"班级","grade":"三年级","class_number":"1","role":"班长","person":"米老师","phone":"13907450002"}"#).await;
    assert_eq!(class.status, StatusCode::OK, "{}", class.body);
    let class_link = parse(&class.body)["link"]["id"].as_i64().expect("id");
    let foreign = post(&mut school, "/api/v1/safety/chain", r#"{"level":"村","township":"431224100","village":"城东村","role":"村长","person":"某","phone":"13907450003"}"#).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let mut teacher = Client::new(&f.app);
    teacher.login("banzhuren", PASSWORD).await;
    let seen = parse(&teacher.get("/api/v1/safety/chain?level=班级").await.body);
    assert_eq!(seen["total"], 1);
    assert_eq!(seen["items"][0]["id"], class_link);
    assert_eq!(seen["items"][0]["phone"], "139****0002");
    assert_eq!(
        post(
            &mut teacher,
            &format!("/api/v1/safety/chain/{class_link}/reveal"),
            ""
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let full = post(
        &mut school,
        &format!("/api/v1/safety/chain/{class_link}/reveal"),
        "",
    )
    .await;
    assert_eq!(parse(&full.body)["phone"], "13907450002");
    assert_eq!(
        town.get(&format!("/api/v1/safety/chain/{class_link}/reveal"))
            .await
            .status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        post(
            &mut town,
            &format!("/api/v1/safety/chain/{class_link}/reveal"),
            ""
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // 十有 with evidence, and a campaign with its checklist.
    let ten = post(&mut town, "/api/v1/safety/ten-haves", r#"{"year":2021,"org":"431224104","item":"巡查机制","done":true,"evidence":"龙潭镇巡查制度"}"#).await;
    assert_eq!(ten.status, StatusCode::OK, "{}", ten.body);
    assert!(parse(&ten.body)["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["item"] == "巡查机制" && i["done"] == true));
    let other_org = post(
        &mut town,
        "/api/v1/safety/ten-haves",
        r#"{"year":2021,"org":"431224100","item":"巡查机制","done":true}"#,
    )
    .await;
    assert_eq!(other_org.status, StatusCode::NOT_FOUND);
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    let campaign = post(&mut officer, "/api/v1/safety/campaigns", r#"{"title":"防溺水专项行动","planned_on":"2021-06-01","checklist":["警示标牌","救生设施"]}"#).await;
    assert_eq!(campaign.status, StatusCode::OK, "{}", campaign.body);
    let listed = parse(
        &officer
            .get("/api/v1/safety/inspections?year=2021")
            .await
            .body,
    );
    assert!(listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["title"] == "防溺水专项行动"
            && i["checklist"] == serde_json::json!(["警示标牌", "救生设施"])));

    // A hazard photo by multipart: checked by content, scoped.
    let boundary = "B0undary";
    let upload = |bytes: &[u8]| {
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"stage\"\r\n\r\n发现\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"site.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let uri = format!("/api/v1/safety/hazards/{}/evidence", f.own_hazard);
    let refused = school
        .send(Method::POST, &uri, Some(ct.as_str()), upload(b"MZ\x90\x00"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("只接受"), "{}", refused.body);
    let stored = school
        .send(Method::POST, &uri, Some(ct.as_str()), upload(PNG))
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert_eq!(
        parse(&stored.body)["evidence"]
            .as_array()
            .expect("files")
            .len(),
        2
    );
    let other = school
        .send(
            Method::POST,
            &format!("/api/v1/safety/hazards/{}/evidence", f.other_hazard),
            Some(ct.as_str()),
            upload(PNG),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let spec = parse(&officer.get("/api/v1/openapi.json").await.body);
    assert!(
        spec["paths"]["/api/v1/safety/hazards/{hazard}/evidence"]["post"]["requestBody"]["content"]
            ["multipart/form-data"]
            .is_object()
    );

    // The home card, the coverage export by township and school, the printable ledger.
    let home = school.get("/").await;
    assert!(
        home.body.contains("id=\"safety-card\""),
        "the home page has the safety card"
    );
    let home = town.get("/").await;
    assert!(home.body.contains("重点水域设施到位"));
    let export = town.get("/safety/coverage/export?year=2021").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .expect("header")
        .contains(".xlsx"));
    let end = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let rows = safety::coverage_rows(&f.t.db, &longtan().scope, 2021, end)
        .await
        .expect("rows");
    assert_eq!(rows[0][..3], ["乡镇", "龙潭镇", ""]);
    assert_eq!(
        rows[0][3], "2",
        "the fixture's pond and the new swimming spot"
    );
    assert_eq!(rows[0][4], "1", "the swimming spot is equipped");
    let school_row = rows.iter().find(|r| r[0] == "学校").expect("a school row");
    assert_eq!(school_row[1], "龙潭镇");
    assert!(rows
        .iter()
        .all(|r| r.len() == safety::COVERAGE_COLUMNS.len()));
    let print = officer.get("/safety/hazards/print").await;
    assert_eq!(print.status, StatusCode::OK);
    for column in emis_app::safety::LEDGER_COLUMNS {
        assert!(print.body.contains(column), "{column}");
    }
    assert!(print.body.contains("灭火器压力不足"));
    let print = school.get("/safety/hazards/print").await;
    assert_eq!(
        print.body.matches("灭火器压力不足").count(),
        1,
        "a school prints its own hazards"
    );
}

/// A campaign's checklist, ticked per school: a school ticks for itself only, items off the
/// list are refused, progress shows what each school still has to check, and a monthly
/// inspection is done once its school has checked every item.
async fn checklists(t: &TestDb) {
    use emis_app::safety::checklist::{self, ChecksForm};
    county_with_schools(t).await;
    let db = &t.db;
    let campaign = safety::schedule_campaign(
        db,
        &officer(),
        "防溺水专项行动",
        "2021-06-01",
        "警示标牌、救生设施、家长告知",
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("campaign");
    let ticks = |items: &[&str], school: &str| ChecksForm {
        school: school.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
        checked_on: "2021-06-08".into(),
        note: "已排查".into(),
    };
    let own = school(URBAN_PRIMARY);
    let off_list = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["消防设施"], ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs");
    assert!(off_list
        .expect_err("off the list")
        .reason
        .contains("不在本次排查的检查清单"));
    // A school account ticks its own school: naming another is refused, not rewritten.
    let foreign = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["警示标牌", "救生设施"], TOWN_JUNIOR),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("another school");
    assert!(foreign.is_out_of_scope());
    let n = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["警示标牌", "救生设施"], ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("ticked");
    assert_eq!(n, 2);
    let refused = checklist::record_checks(
        db,
        &longtan(),
        campaign,
        &ticks(&["警示标牌"], URBAN_PRIMARY),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(refused.expect_err("outside 龙潭镇").field, "school");
    let inspection = checklist::visible_inspection(db, &officer(), campaign)
        .await
        .expect("campaign");
    let progress = checklist::progress(db, &officer(), &inspection)
        .await
        .expect("progress");
    let urban = progress
        .iter()
        .find(|p| p.school_code == URBAN_PRIMARY)
        .expect("urban");
    assert_eq!(urban.checked.len(), 2);
    let town = progress
        .iter()
        .find(|p| p.school_code == TOWN_JUNIOR)
        .expect("town");
    assert!(town.checked.is_empty());
    // 龙潭镇 sees its own schools' progress only.
    let seen = checklist::progress(db, &longtan(), &inspection)
        .await
        .expect("progress");
    assert!(seen.iter().all(|p| p.school_code != URBAN_PRIMARY));

    // A monthly inspection: done when the last item is ticked.
    safety::schedule_monthly(db, &officer(), 2021, 6, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("scheduled");
    let monthly = emis_storage::safety::inspections(db, &own.scope, 2021, Some("月度排查"), 10)
        .await
        .expect("monthly")
        .into_iter()
        .find(|i| i.school_code.as_deref() == Some(URBAN_PRIMARY))
        .expect("own monthly");
    assert!(matches!(
        checklist::visible_inspection(db, &school(TOWN_JUNIOR), monthly.id).await,
        Err(AppError::NotFound)
    ));
    let (first, rest) = monthly.checklist.split_at(1);
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    checklist::record_checks(
        db,
        &own,
        monthly.id,
        &ticks(&first, ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("first");
    assert_eq!(
        checklist::visible_inspection(db, &own, monthly.id)
            .await
            .expect("m")
            .done_on,
        None
    );
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    checklist::record_checks(
        db,
        &own,
        monthly.id,
        &ticks(&rest, ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("rest");
    assert_eq!(
        checklist::visible_inspection(db, &own, monthly.id)
            .await
            .expect("m")
            .done_on
            .as_deref(),
        Some("2021-06-08")
    );
    assert!(audit_of(t, "safety_inspection", &monthly.id.to_string())
        .await
        .contains(&"inspection_checks".to_string()));
}

crate::on_both_engines!(inspection_checklists, super::checklists);

/// A hazard recorded from the page with its photo: a disguised file is refused next to the
/// field and nothing is recorded; a real photo is kept as the hazard's 发现 evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hazard_is_recorded_with_its_photo() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let boundary = "HazardB0undary";
    let form = |photo: &[u8]| {
        let mut body = Vec::new();
        for (k, v) in [
            ("place", "围墙"),
            ("category", "校舍建筑"),
            ("grade", "一般"),
            ("description", "围墙墙体开裂"),
            ("found_on", "2021-10-09"),
        ] {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"wall.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend_from_slice(photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let count = |db: emis_storage::Db| async move {
        emis_storage::safety::hazards(
            &db,
            &Scope::County { county: county() },
            &emis_storage::safety::HazardQuery {
                q: Some("围墙墙体开裂".into()),
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .expect("hazards")
        .items
    };
    let refused = school
        .send(
            Method::POST,
            "/safety/hazards",
            Some(ct.as_str()),
            form(b"GIF89a"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error") && refused.body.contains("只接受"));
    assert!(count(f.t.db.clone()).await.is_empty(), "nothing recorded");
    let done = school
        .send(
            Method::POST,
            "/safety/hazards",
            Some(ct.as_str()),
            form(PNG),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let found = count(f.t.db.clone()).await;
    assert_eq!(found.len(), 1);
    let files = emis_storage::safety::evidence_of(&f.t.db, found[0].id)
        .await
        .expect("files");
    assert_eq!(files.len(), 1);
    assert_eq!(
        (files[0].stage.as_str(), files[0].file_name.as_str()),
        ("发现", "wall.png")
    );
}

/// The home card counts its totals in the database, the dashboard row by row: they agree in
/// every scope, and each student's letter is counted once on the dashboard.
async fn home_card_totals(t: &TestDb) {
    use emis_app::safety::{LetterForm, MeasuresForm, PatrolForm, WaterForm};
    county_with_schools(t).await;
    let db = &t.db;
    let rows = vec![
        student_row(URBAN_PRIMARY, 1, "三年级", 1),
        student_row(URBAN_PRIMARY, 2, "三年级", 1),
        student_row(URBAN_PRIMARY, 3, "一年级", 2),
        student_row(TOWN_JUNIOR, 4, "八年级", 1),
        student_row(TOWN_JUNIOR, 5, "八年级", 1),
    ];
    autumn_roll(t, &rows).await;
    for row in [&rows[0], &rows[1], &rows[3]] {
        let form = LetterForm {
            year: 2021,
            id_number: row[3].clone(),
            signed_on: "2021-09-10".into(),
        };
        safety::sign_letter(db, &officer(), &form, "test")
            .await
            .field_refusal()
            .expect("sign")
            .expect("on the roll");
    }
    let on = || Some("1".to_string());
    // 龙潭镇: a 高 water equipped, a 较高 one not; 卢峰镇: a 高 water backfilled (equipped,
    // no patrols due) and an 一般 one (neither counted).
    let waters = [
        (
            "431224104",
            "龙潭山塘",
            "高",
            MeasuresForm {
                sign: on(),
                pole: on(),
                ring: on(),
                rope: on(),
                ..Default::default()
            },
        ),
        (
            "431224104",
            "龙潭河段",
            "较高",
            MeasuresForm {
                sign: on(),
                ..Default::default()
            },
        ),
        (
            "431224100",
            "卢峰水库",
            "高",
            MeasuresForm {
                backfilled: on(),
                ..Default::default()
            },
        ),
        ("431224100", "卢峰河段", "一般", MeasuresForm::default()),
    ];
    let mut ids = Vec::new();
    for (township, name, risk, measures) in waters {
        let form = WaterForm {
            township: township.into(),
            village: "桐木村".into(),
            name: name.into(),
            kind: "山塘".into(),
            risk: risk.into(),
            ..Default::default()
        };
        let id = safety::add_water(db, &officer(), &form, "test")
            .await
            .field_refusal()
            .expect("add")
            .expect("valid water");
        let measures = MeasuresForm {
            risk: risk.into(),
            ..measures
        };
        safety::save_measures(db, &officer(), id, &measures, "test")
            .await
            .field_refusal()
            .expect("measures")
            .expect("valid measures");
        ids.push(id);
    }
    // Compliant (two or more patrols): 龙潭山塘 on 7月1日, 龙潭河段 on 7月3日 and 7月4日;
    // one patrol on 7月2日 is not enough; the backfilled water's patrols are not due.
    let patrols = [
        (ids[0], "2021-07-01", 2),
        (ids[0], "2021-07-02", 1),
        (ids[1], "2021-07-03", 2),
        (ids[1], "2021-07-04", 3),
        (ids[2], "2021-07-01", 2),
        (ids[3], "2021-07-01", 2),
    ];
    for (water, day, times) in patrols {
        for slot in &drowning_slots()[..times] {
            safety::record_patrol(
                db,
                &officer(),
                &PatrolForm {
                    water,
                    day: day.into(),
                    slot: slot.to_string(),
                    patroller: "向老师".into(),
                    note: String::new(),
                },
                "test",
            )
            .await
            .field_refusal()
            .expect("patrol")
            .expect("valid patrol");
        }
    }
    let today = emis_domain::dates::parse_date("2021-12-31").expect("date");
    let card = safety::home_card(db, &officer(), today)
        .await
        .expect("card");
    assert_eq!(card.year, 2021);
    assert_eq!(card.letter_rate, 3.0 / 5.0);
    assert_eq!(card.equipped_rate, 2.0 / 3.0);
    assert_eq!(card.patrol_rate, 3.0 / (2.0 * 62.0));
    let dashboard = safety::dashboard_of_year(db, &officer(), today, 2021)
        .await
        .expect("dashboard");
    let signed: i64 = dashboard.schools.iter().map(|s| s.signed).sum();
    let on_roll: i64 = dashboard.schools.iter().map(|s| s.on_roll).sum();
    assert_eq!((signed, on_roll), (3, 5), "each student's letter once");

    for account in [
        officer(),
        longtan(),
        school(URBAN_PRIMARY),
        school(TOWN_JUNIOR),
    ] {
        let card = safety::home_card(db, &account, today).await.expect("card");
        let d = safety::dashboard_of_year(db, &account, today, 2021)
            .await
            .expect("dashboard");
        let sum = |f: fn(&safety::TownshipCoverage) -> (usize, usize)| {
            d.coverage
                .iter()
                .map(f)
                .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
        };
        let rate = |(part, whole): (usize, usize)| emis_domain::safety::drowning::rate(part, whole);
        let who = &account.username;
        assert_eq!(
            card.equipped_rate,
            rate(sum(|c| (c.equipped_waters, c.dangerous_waters))),
            "{who}"
        );
        assert_eq!(
            card.patrol_rate,
            rate(sum(|c| (
                c.patrol_compliant as usize,
                c.patrol_required as usize
            ))),
            "{who}"
        );
        assert_eq!(
            card.letter_rate,
            rate(sum(|c| (c.signed as usize, c.on_roll as usize))),
            "{who}"
        );
        assert_eq!(card.counts.total, d.counts.total, "{who}");
    }
    // A school sees its own letters and its township's waters.
    let own = safety::home_card(db, &school(TOWN_JUNIOR), today)
        .await
        .expect("card");
    assert_eq!(own.letter_rate, 1.0 / 2.0);
    assert_eq!(own.equipped_rate, 1.0 / 2.0);

    // A student who signed and then left the roll counts neither on the roll nor as signed.
    let signed_student = emis_storage::lists::students(
        db,
        &officer().scope,
        &emis_storage::lists::StudentQuery {
            term: "2021-autumn".into(),
            q: Some(rows[1][3].clone()),
            page: 1,
            per_page: 1,
            ..Default::default()
        },
    )
    .await
    .expect("find")
    .items[0]
        .id;
    let mut tx = db.begin().await.expect("tx");
    emis_storage::registry::set_status(&mut tx, signed_student, "2021-autumn", "转出")
        .await
        .expect("status");
    emis_storage::commit(tx).await.expect("commit");
    for account in [officer(), school(URBAN_PRIMARY)] {
        let card = safety::home_card(db, &account, today).await.expect("card");
        let d = safety::dashboard_of_year(db, &account, today, 2021)
            .await
            .expect("dashboard");
        let (signed, on_roll) = d
            .schools
            .iter()
            .fold((0, 0), |(a, b), s| (a + s.signed, b + s.on_roll));
        assert_eq!(card.letter_rate, signed as f64 / on_roll as f64);
    }
    let card = safety::home_card(db, &officer(), today)
        .await
        .expect("card");
    assert_eq!(card.letter_rate, 2.0 / 4.0);
}
crate::on_both_engines!(home_card_counts_in_the_database, super::home_card_totals);

fn drowning_slots() -> &'static [&'static str] {
    emis_domain::safety::drowning::PATROL_SLOTS
}

/// 十有 evidence as files: checked by content, kept to the org units of the scope, listed on
/// the page, downloaded whole, and each upload and download audited; page and API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_have_evidence_files() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{header, Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut town = Client::new(&f.app);
    town.login("longtan", PASSWORD).await;
    let boundary = "TenHave";
    let upload = |org: &str, name: &str, bytes: &[u8]| {
        let text = |k: &str, v: &str| {
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
        };
        let mut body = [
            text("year", "2021"),
            text("org", org),
            text("item", "值班值守"),
        ]
        .concat()
        .into_bytes();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let pdf = b"%PDF-1.4\n% duty roster\n";
    let api = "/api/v1/safety/ten-haves/files";

    let disguised = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224104", "值班表.pdf", b"<html>x</html>"),
        )
        .await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised.body.contains("只接受 JPG、PNG"),
        "{}",
        disguised.body
    );
    let elsewhere = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224100", "值班表.pdf", pdf),
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "卢峰镇 is not 龙潭镇's"
    );
    let stored = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224104", "值班表.pdf", pdf),
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let reply: serde_json::Value = serde_json::from_str(&stored.body).expect("json");
    let id = reply["file_id"].as_i64().expect("file id");

    // The township's own school uploads from the page; the file is listed there.
    let page = town
        .send(
            Method::POST,
            "/safety/ten-haves/files",
            Some(ct.as_str()),
            upload(TOWN_JUNIOR, "巡查照片.pdf", pdf),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("佐证材料已上传"), "{}", page.body);
    assert!(page.body.contains(&format!("/safety/ten-have-files/{id}")));
    assert!(page.body.contains("巡查照片.pdf"));

    // Downloaded whole by whoever sees the township; 404 for a school of another township.
    let file = town
        .get(&format!("/api/v1/safety/ten-haves/files/{id}"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_bytes(), pdf);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    assert_eq!(
        officer
            .get(&format!("/safety/ten-have-files/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    assert_eq!(
        school
            .get(&format!("/safety/ten-have-files/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = school.get("/api/v1/safety/ten-haves?year=2021").await;
    assert!(
        !listed.body.contains("值班表.pdf"),
        "another township's file is not listed"
    );

    let actions = audit_of(&f.t, "org_unit", "2021:431224104:值班值守").await;
    assert_eq!(
        actions,
        ["ten_have_file", "ten_have_file_view", "ten_have_file_view"]
    );
}

/// 九长 targets are checked against the registry: a class link names a class of the school's
/// roll of the latest term; a village link a village known for its township, where known.
async fn chain_targets(t: &TestDb) {
    use emis_app::safety::chain::{add_link, PersonForm, TargetForm};
    use emis_app::safety::WaterForm;
    county_with_schools(t).await;
    let db = &t.db;
    autumn_roll(t, &[student_row(URBAN_PRIMARY, 1, "三年级", 1)]).await;
    let person = PersonForm {
        role: "班长".into(),
        person: "米老师".into(),
        phone: "13907450002".into(),
    };
    let class = |grade: &str, number: &str| TargetForm {
        level: "班级".into(),
        grade: grade.into(),
        class_number: number.into(),
        ..TargetForm::default()
    };
    let own = school(URBAN_PRIMARY);
    add_link(db, &own, &class("三年级", "1班"), &person, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("三年级1班 is on the roll");
    let missing = add_link(db, &own, &class("三年级", "9"), &person, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect_err("no such class");
    assert_eq!(missing.field, "class_number");
    assert!(missing.reason.contains("三年级9班"), "{}", missing.reason);
    assert!(
        missing.reason.contains("2021年秋季学期"),
        "{}",
        missing.reason
    );
    let other_grade = add_link(db, &own, &class("四年级", "1"), &person, "test")
        .await
        .field_refusal()
        .expect("runs");
    assert_eq!(
        other_grade.expect_err("no such grade").field,
        "class_number"
    );

    // 龙潭镇 knows 桐木村 from its water; 低庄镇 knows no village, so any name is taken.
    let water = WaterForm {
        township: "431224104".into(),
        village: "桐木村".into(),
        name: "桐木山塘".into(),
        kind: "山塘".into(),
        risk: "高".into(),
        ..Default::default()
    };
    safety::add_water(db, &officer(), &water, "test")
        .await
        .field_refusal()
        .expect("add")
        .expect("water");
    let village = |township: &str, name: &str| TargetForm {
        level: "村".into(),
        township: township.into(),
        village: name.into(),
        ..TargetForm::default()
    };
    let head = PersonForm {
        role: "村长".into(),
        person: "舒村长".into(),
        phone: "13907450001".into(),
    };
    add_link(
        db,
        &longtan(),
        &village("431224104", "桐木村"),
        &head,
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("known village");
    let unknown = add_link(
        db,
        &longtan(),
        &village("431224104", "无名村"),
        &head,
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("unknown village");
    assert_eq!(unknown.field, "village");
    assert!(unknown.reason.contains("桐木村"), "{}", unknown.reason);
    add_link(db, &officer(), &village("431224102", "新村"), &head, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("no villages known for 低庄镇");
}
crate::on_both_engines!(chain_targets_are_registered, super::chain_targets);
