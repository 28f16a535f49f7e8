//! Drowning records around the waters (重点水域): a township's waters, their measures,
//! patrols, 十有 and the demo's bulk writers on both engines; the same writes over the JSON
//! API and the pages.

use super::*;
use crate::web::{fixture, Client, Multipart};
use axum::http::StatusCode;

/// Drowning records: a township registers a water of its own, the chain refuses a bad
/// phone, measures decide the equipped share, and two patrols a day make a summer day.
async fn drowning_records(t: &TestDb) {
    use emis_app::safety::{ChainForm, MeasuresForm, WaterForm};
    county_with_schools(t).await;
    let db = &t.db;
    let town = longtan();
    let mut form = WaterForm {
        longitude: "110.61".into(),
        latitude: "27.9".into(),
        ..water_form("431224100", "桐木山塘", "高")
    };
    // Another township's code is refused, not rewritten; left out, it is the township's own.
    let foreign = safety::add_water(db, &town, &form, "test")
        .await
        .refused("another township");
    assert_eq!(foreign.field, "township");
    assert!(foreign.is_out_of_scope());
    form.township = String::new();
    let id = add_water(db, &town, &form).await;
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
        .refused("duplicate");
    assert_eq!(again.field, "name");
    let head = |phone: &str| ChainForm {
        role: "河(库)长".into(),
        person: "舒村长".into(),
        phone: phone.into(),
    };
    let bad_phone = safety::add_chain_link(db, &town, id, &head("12345"), "test")
        .await
        .refused("phone");
    assert_eq!(bad_phone.field, "phone");
    safety::add_chain_link(db, &town, id, &head("13807451234"), "test")
        .await
        .accepted("valid link");
    let scope = Scope::County { county: county() };
    let chain = emis_storage::safety::chain(db, &scope, Some(id), None)
        .await
        .expect("chain");
    assert_eq!(chain.len(), 1);

    let end = emis_domain::dates::parse_date("2021-12-31").expect("date");
    let equipped = || async { indicators(db).await.get("drowning.waters.equipped") };
    assert_eq!(equipped().await, Some(Value::Rate(0.0)));
    let on = Some("1".to_string());
    let measures = MeasuresForm {
        risk: "高".into(),
        sign: on.clone(),
        pole: on.clone(),
        ring: on.clone(),
        rope: on.clone(),
        ..Default::default()
    };
    safety::save_measures(db, &officer(), id, &measures, "test")
        .await
        .accepted("measures");
    assert_eq!(equipped().await, Some(Value::Rate(1.0)));

    for slot in ["中午", "放学后"] {
        patrol(db, &town, id, "2021-07-01", slot).await;
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
    let roster = || async {
        emis_storage::safety::roster(db, "431224", id)
            .await
            .expect("roster")
    };
    assert!(roster().await.is_empty());
    assert_eq!(
        safety::default_year(db, "431224", today())
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
        .accepted("ten");
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
        grade: emis_domain::safety::Grade::General,
        description: "单杠立柱锈蚀".into(),
        found_on: "2021-04-02".into(),
        found_by: "演示数据".into(),
        deadline: Some("2021-04-12".into()),
        status: emis_domain::safety::Status::Closed,
        closed_on: Some("2021-04-10".into()),
        ..Default::default()
    };
    emis_storage::safety::write_hazards(&mut tx, "431224", &[closed.clone(), closed])
        .await
        .expect("bulk hazards");
    let shift = (
        id,
        "向老师".into(),
        "13807450000".into(),
        "中午".into(),
        "2021-07-01".into(),
        "2021-08-31".into(),
    );
    emis_storage::safety::write_roster(&mut tx, "431224", &[shift])
        .await
        .expect("roster");
    emis_storage::commit(tx).await.expect("commit");
    assert_eq!(roster().await.len(), 1);
    let [found, rectified, _] = hazard_counts(db).await;
    assert_eq!((found, rectified), (counted(2), counted(2)));
}

crate::on_both_engines!(drowning, super::drowning_records);

/// The drowning records over the JSON API and the pages: a township registers a water,
/// sets its measures, keeps its roster and chain, a school its class link, 十有 with evidence
/// and a hazard photo by multipart; each write is scoped (another township gets 404, a
/// 班主任 403), and the home page, the coverage export and the printable ledger show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drowning_writes_over_the_api_and_the_pages() {
    let f = fixture(sqlite().await).await;
    let mut town = Client::signed_in(&f.app, "longtan").await;

    // A water of its own township: the township left out is its own (naming another is
    // refused, see scope::requests_naming_another_org_are_refused).
    let reply = town.post_json("/api/v1/safety/waters", r#"{"village":"龙潭村","name":"龙潭野泳点","kind":"野泳点","risk":"高","longitude":"110.6","latitude":"27.7"}"#).await.ok_json();
    let water = reply["water"]["id"].as_i64().expect("id");
    assert_eq!(reply["water"]["township_code"], "431224104");
    let bad = town
        .post_json(
            "/api/v1/safety/waters",
            r#"{"village":"龙潭村","name":"无名","kind":"水沟","risk":"高"}"#,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("水域类型"), "{}", bad.body);
    let equip = r#"{"risk":"高","sign":true,"pole":true,"ring":true,"rope":true}"#;
    let measures = format!("/api/v1/safety/waters/{water}/measures");
    let measures = town.post_json(&measures, equip).await.ok_json();
    assert_eq!(measures["complete"], true);
    let elsewhere = format!("/api/v1/safety/waters/{}/measures", f.own_water);
    let elsewhere = town.post_json(&elsewhere, r#"{"risk":"高"}"#).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    // The roster: add, edit (blank phone keeps it), list masked, remove.
    let roster = format!("/api/v1/safety/waters/{water}/roster");
    let shift = town.post_json(&roster, r#"{"patroller":"向老师","phone":"13807451234","slot":"中午","from_day":"2021-07-01","to_day":"2021-08-31"}"#).await.ok_json();
    let shift_id = shift["shift"]["id"].as_i64().expect("id");
    assert_eq!(shift["shift"]["phone"], "138****1234");
    let edited = town.post_json(&format!("/api/v1/safety/roster/{shift_id}"), r#"{"patroller":"向老师","phone":"","slot":"放学后","from_day":"2021-07-01","to_day":"2021-08-31"}"#).await.ok_json();
    assert_eq!(edited["shift"]["slot"], "放学后");
    assert_eq!(edited["shift"]["phone"], "138****1234");
    let list = town.json(&roster).await;
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    let report = town.json("/api/v1/safety/patrols/report?year=2021").await;
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
    let remove = format!("/api/v1/safety/roster/{shift_id}/remove");
    town.post_json(&remove, "")
        .await
        .with_status(StatusCode::OK);
    let left = town.get(&roster).await.body.matches("patroller").count();
    assert_eq!(left, 0);

    // The chain: a township's village link; the school's class link; the 班主任 sees its own.
    let chain = "/api/v1/safety/chain";
    let village = town.post_json(chain, r#"{"level":"村","township":"431224104","village":"龙潭村","role":"村长","person":"舒村长","phone":"13907450001"}"#).await.ok_json();
    assert_eq!(village["link"]["phone"], "139****0001");
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let class = school.post_json(chain, r#"{"level":"班级","grade":"三年级","class_number":"1","role":"班长","person":"米老师","phone":"13907450002"}"#).await.ok_json();
    let class_link = class["link"]["id"].as_i64().expect("id");
    let foreign = school.post_json(chain, r#"{"level":"村","township":"431224100","village":"城东村","role":"村长","person":"某","phone":"13907450003"}"#).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let mut teacher = Client::signed_in(&f.app, "banzhuren").await;
    let seen = teacher.json("/api/v1/safety/chain?level=班级").await;
    assert_eq!(seen["total"], 1);
    assert_eq!(seen["items"][0]["id"], class_link);
    assert_eq!(seen["items"][0]["phone"], "139****0002");
    let reveal = format!("/api/v1/safety/chain/{class_link}/reveal");
    let status = teacher.post_json(&reveal, "").await.status;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let full = school.post_json(&reveal, "").await.json();
    assert_eq!(full["phone"], "13907450002");
    let status = town.get(&reveal).await.status;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let status = town.post_json(&reveal, "").await.status;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // 十有 with evidence, and a campaign with its checklist.
    let ten = town.post_json("/api/v1/safety/ten-haves", r#"{"year":2021,"org":"431224104","item":"巡查机制","done":true,"evidence":"龙潭镇巡查制度"}"#).await.ok_json();
    assert!(ten["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["item"] == "巡查机制" && i["done"] == true));
    let other_org = town
        .post_json(
            "/api/v1/safety/ten-haves",
            r#"{"year":2021,"org":"431224100","item":"巡查机制","done":true}"#,
        )
        .await;
    assert_eq!(other_org.status, StatusCode::NOT_FOUND);
    let mut officer = Client::signed_in(&f.app, "officer").await;
    officer.post_json("/api/v1/safety/campaigns", r#"{"title":"防溺水专项行动","planned_on":"2021-06-01","checklist":["警示标牌","救生设施"]}"#).await.with_status(StatusCode::OK);
    let listed = officer.json("/api/v1/safety/inspections?year=2021").await;
    assert!(listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["title"] == "防溺水专项行动"
            && i["checklist"] == serde_json::json!(["警示标牌", "救生设施"])));

    // A hazard photo by multipart: checked by content, scoped.
    let upload = |bytes: &[u8]| {
        Multipart::new()
            .text("stage", "发现")
            .file("file", "site.png", "image/png", bytes)
    };
    let uri = format!("/api/v1/safety/hazards/{}/evidence", f.own_hazard);
    let refused = school.post_multipart(&uri, upload(b"MZ\x90\x00")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("只接受"), "{}", refused.body);
    let stored = school.post_multipart(&uri, upload(PNG)).await.ok_json();
    assert_eq!(stored["evidence"].as_array().expect("files").len(), 2);
    let other = format!("/api/v1/safety/hazards/{}/evidence", f.other_hazard);
    let other = school.post_multipart(&other, upload(PNG)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let spec = officer.json("/api/v1/openapi.json").await;
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
    assert!(export.disposition().contains(".xlsx"));
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
