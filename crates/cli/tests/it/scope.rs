//! Issue #11: a 班主任 reads its class only (school-wide reads refused), every export of
//! personal data is audited, and the aid batch export is masked unless asked for in full.

use crate::support::*;
use crate::web::{add_account, fixture, Client, Reply};
use axum::http::StatusCode;
use emis_domain::access::Role;

/// The newest audit entries of an actor and action, as (entity, after).
async fn audited(t: &TestDb, actor: &str, action: &str) -> Vec<(String, serde_json::Value)> {
    emis_storage::lists::audit(&t.db, "431224", Some(actor), None, None, None, 1)
        .await
        .expect("audit")
        .items
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| {
            let after =
                serde_json::from_str(r.after_json.as_deref().unwrap_or("{}")).expect("after json");
            (r.entity, after)
        })
        .collect()
}

/// The school-wide reads a 班主任 is refused: aid batches and proposals, the dropout
/// ledgers, cases and exports, enrollment runs and placements, staff.
const SCHOOL_WIDE: &[&str] = &[
    "/aid/batches",
    "/aid/batches/1",
    "/aid/batches/1/export",
    "/aid/proposals",
    "/aid/proposals/1",
    "/api/v1/aid/batches",
    "/api/v1/aid/batches/1",
    "/api/v1/aid/proposals",
    "/dropout",
    "/dropout/ledger",
    "/dropout/ledger/export?ledger=school-age",
    "/dropout/cases",
    "/dropout/home-teaching",
    "/api/v1/dropout/ledger?ledger=school-age",
    "/api/v1/dropout/cases",
    "/enrollment/runs",
    "/enrollment/runs/1",
    "/api/v1/enrollment/runs",
    "/api/v1/enrollment/runs/1/placements",
    "/staff",
    "/api/v1/staff",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class_teacher_reads_its_class_only() {
    let f = fixture(sqlite().await).await;
    let mut teacher = Client::signed_in(&f.app, "banzhuren").await;
    // Lists, API and export: 三年级1班's six students, none of 三年级2班.
    let api: serde_json::Value =
        serde_json::from_str(&teacher.get("/api/v1/students?per_page=100").await.body)
            .expect("json");
    assert_eq!(api["total"], 6, "{api}");
    for s in api["items"].as_array().expect("items") {
        assert_eq!(
            (s["grade"].as_str(), s["class_number"].as_i64()),
            (Some("三年级"), Some(1))
        );
    }
    let export = teacher.get("/students/export").await;
    assert_eq!(export.status, StatusCode::OK);
    let entries = audited(&f.t, "banzhuren", "export").await;
    let (entity, after) = entries.first().expect("the export is audited");
    assert_eq!(entity, "students");
    assert_eq!(after["rows"], 6, "{after}");
    assert_eq!(after["masked"], true);
    assert_eq!(after["filter"]["scope"]["class"], "三年级1班");

    // School-wide reads are refused, and their links left out of the menu.
    for uri in SCHOOL_WIDE {
        let reply = teacher.get(uri).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{uri}");
        if uri.starts_with("/api") {
            let e: serde_json::Value = serde_json::from_str(&reply.body).expect("json error");
            assert_eq!(e["code"], "forbidden", "{uri}");
        }
    }
    let home = teacher.get("/").await.body;
    for link in [
        "/aid/batches",
        "/aid/proposals",
        "/dropout/ledger",
        "/enrollment/runs",
        "/staff\"",
    ] {
        assert!(
            !home.contains(&format!("href=\"{link}")),
            "{link} is not offered"
        );
    }
    assert!(home.contains("href=\"/students\""));
    // The school's administrator still reads them.
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    for uri in [
        "/aid/batches",
        "/dropout/ledger",
        "/enrollment/runs",
        "/staff",
    ] {
        assert_eq!(school.get(uri).await.status, StatusCode::OK, "{uri}");
    }

    // A 班主任 with no class bound sees no student (it saw the whole school).
    add_account(&f.t, "unbound", Role::ClassTeacher, URBAN_PRIMARY, None).await;
    let mut unbound = Client::signed_in(&f.app, "unbound").await;
    let api: serde_json::Value =
        serde_json::from_str(&unbound.get("/api/v1/students").await.body).expect("json");
    assert_eq!(api["total"], 0, "{api}");
    assert_eq!(
        unbound
            .get(&format!("/students/{}", f.own_student))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Masked bulk exports write an audit entry too: the county students export and the
/// dropout school-age ledger; a full ledger export only for roles that may see full IDs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_export_of_personal_data_is_audited() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    assert_eq!(officer.get("/students/export").await.status, StatusCode::OK);
    let ledger = officer
        .get("/dropout/ledger/export?ledger=school-age")
        .await;
    assert_eq!(ledger.status, StatusCode::OK);
    let entries = audited(&f.t, "officer", "export").await;
    let students = entries
        .iter()
        .find(|(e, _)| e == "students")
        .expect("students export audited");
    assert_eq!(students.1["rows"], 18, "the county's 18 students");
    let ledger = entries
        .iter()
        .find(|(e, _)| e == "population_ledger")
        .expect("ledger export audited");
    assert_eq!(
        ledger.1["rows"], 19,
        "18 children on the roll and one missing"
    );
    assert_eq!(ledger.1["masked"], true);
    assert!(audited(&f.t, "officer", "export_unmasked").await.is_empty());

    let full = officer
        .get("/dropout/ledger/export?ledger=school-age&unmasked=1")
        .await;
    assert_eq!(full.status, StatusCode::OK);
    let entries = audited(&f.t, "officer", "export_unmasked").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].1["masked"], false);

    // A leader may not see full ID numbers: refused, nothing written.
    let mut leader = Client::signed_in(&f.app, "leader").await;
    let refused = leader
        .get("/dropout/ledger/export?ledger=school-age&unmasked=1")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("不能导出完整证件号"));
    assert!(audited(&f.t, "leader", "export").await.is_empty());
    assert!(audited(&f.t, "leader", "export_unmasked").await.is_empty());
}

/// The aid batch export is masked by default for every role; full ID numbers only with
/// `?unmasked=1`, for the roles that pay, audited as a view of personal data.
async fn batch_export_masked_by_default(t: &TestDb) {
    use emis_domain::access::Scope;
    let ids = crate::aid::county_with_students(t).await;
    let school = Scope::School {
        county: "431224".into(),
        school: TOWN_JUNIOR.into(),
    };
    crate::aid::approved(t, &school, TOWN_JUNIOR).await;
    let batch = emis_storage::aid::batches(&t.db, "431224")
        .await
        .expect("batches")[0]
        .id;
    add_account(t, "zizhu", Role::Officer, "431224", None).await;
    add_account(t, "lingdao", Role::Leader, "431224", None).await;
    let app = emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into()));
    let mut officer = Client::signed_in(&app, "zizhu").await;
    let uri = format!("/aid/batches/{batch}/export");
    for (query, full) in [("", false), ("?unmasked=1", true)] {
        let reply = officer.get(&format!("{uri}{query}")).await;
        assert_eq!(reply.status, StatusCode::OK);
        let path = t.write("batch.xlsx", &reply.bytes);
        let table =
            emis_io::read_table(&path, emis_app::imports::ImportKind::Aid.columns()).expect("read");
        let shown = &table.rows[0].cells[0];
        assert_eq!(shown == &ids.boarder, full, "{query}: {shown}");
        if !full {
            assert!(shown.contains('*'));
        }
    }
    let masked = audited(t, "zizhu", "export").await;
    assert_eq!(masked.len(), 1);
    assert_eq!(
        (masked[0].0.as_str(), &masked[0].1["rows"]),
        ("aid_batch", &serde_json::json!(1))
    );
    let unmasked = audited(t, "zizhu", "export_unmasked").await;
    assert_eq!(unmasked.len(), 1);
    assert_eq!(unmasked[0].0, "aid_batch");

    let mut leader = Client::signed_in(&app, "lingdao").await;
    assert_eq!(
        leader.get(&format!("{uri}?unmasked=1")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(leader.get(&uri).await.status, StatusCode::OK);
    assert!(audited(t, "lingdao", "export_unmasked").await.is_empty());
}

crate::on_both_engines!(
    aid_batch_export_masked_by_default,
    super::batch_export_masked_by_default
);

/// A request naming an org unit outside the caller's scope is refused (403 on the API with
/// `{code, message}`, a field error on the page), not rewritten to the caller's own; nothing
/// is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_naming_another_org_are_refused() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let before = list_totals(&mut officer).await;

    let refused = |reply: &Reply, what: &str| {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            reply.body
        );
        let e = reply.json();
        assert!(e["code"].is_string(), "{what}");
        assert!(
            e["message"]
                .as_str()
                .unwrap_or("")
                .contains("不在您的管理范围内"),
            "{what}: {e}"
        );
    };
    // 龙潭镇 registers a water body for 卢峰镇.
    let mut town = Client::signed_in(&f.app, "longtan").await;
    let reply = town.post_json("/api/v1/safety/waters", r#"{"township":"431224100","village":"城东村","name":"城东山塘","kind":"山塘","risk":"高"}"#).await;
    refused(&reply, "water for another township");
    // The same on the page: a field error, nothing written.
    let page = town
        .post_form(
            "/safety/waters",
            "township=431224100&village=%E5%9F%8E%E4%B8%9C%E6%9D%91&name=x&kind=%E5%B1%B1%E5%A1%98&risk=%E9%AB%98",
        )
        .await;
    assert!(
        page.body.contains("该乡镇不在您的管理范围内"),
        "{}",
        page.status
    );
    // The urban primary school records a hazard and a chain link for the town junior school.
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let reply = school.post_json("/api/v1/safety/hazards", &format!(r#"{{"school":"{TOWN_JUNIOR}","place":"食堂","category":"消防","grade":"一般","description":"灭火器过期","found_on":"2021-10-08"}}"#)).await;
    refused(&reply, "hazard for another school");
    let reply = school.post_json("/api/v1/safety/chain", &format!(r#"{{"level":"学校","school":"{TOWN_JUNIOR}","role":"校长","person":"某","phone":"13907450009"}}"#)).await;
    refused(&reply, "chain link for another school");
    let checks = format!(
        "/api/v1/safety/inspections/{}/checks",
        f.duty[0].own_inspection
    );
    let reply = school
        .post_json(
            &checks,
            &format!(
                r#"{{"school":"{TOWN_JUNIOR}","items":[],"checked_on":"2021-10-08","note":""}}"#
            ),
        )
        .await;
    refused(&reply, "checks for another school");
    assert_eq!(
        list_totals(&mut officer).await,
        before,
        "nothing was written"
    );

    // Left out, the field is the caller's own.
    let v = school.post_json("/api/v1/safety/hazards", r#"{"place":"食堂","category":"消防","grade":"一般","description":"灭火器过期","found_on":"2021-10-08"}"#).await.ok_json();
    assert_eq!(v["hazard"]["school_code"], URBAN_PRIMARY);
}

async fn list_totals(c: &mut Client) -> Vec<serde_json::Value> {
    let mut n = Vec::new();
    for uri in [
        "/api/v1/safety/waters",
        "/api/v1/safety/hazards",
        "/api/v1/safety/chain",
    ] {
        n.push(c.json(uri).await["total"].clone());
    }
    n
}

/// 龙潭镇's primary school, added to the web fixture with one 三年级1班 student.
pub(crate) const TOWN_PRIMARY: &str = "2143000004";

pub(crate) async fn add_town_primary(t: &TestDb) {
    use emis_app::imports::{ImportKind, ImportOptions};
    let schools = t.write(
        "more_schools.csv",
        "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
         2143000004,龙潭镇中心小学,小学,龙潭镇,镇区,公办,否\n",
    );
    import_committed(t, ImportKind::Schools, &schools, &autumn_2021()).await;
    let students = t.path("more_students.xlsx");
    let row = student_row(TOWN_PRIMARY, 500, "三年级", 1);
    write_xlsx(&students, &STUDENT_HEADERS, &[row]);
    let school = emis_domain::access::Scope::School {
        county: "431224".into(),
        school: TOWN_PRIMARY.into(),
    };
    let options = ImportOptions {
        scope: Some(school),
        ..autumn_2021()
    };
    import_committed(t, ImportKind::Students, &students, &options).await;
    add_account(t, "zhongxin", Role::SchoolAdmin, TOWN_PRIMARY, None).await;
}

/// A transfer to another school names an existing class of it, waits 待接收 with the student
/// still on the sending roll, and the receiving school accepts or declines it; each step audited.
async fn transfers_are_received(t: TestDb) {
    use axum::http::Method;
    let f = fixture(t).await;
    add_town_primary(&f.t).await;
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let classes_before = emis_storage::registry::count(&f.t.db, "classes", "431224")
        .await
        .expect("count");

    // Class 99 does not exist there: refused on the class field, nothing created.
    let uri = format!("/api/v1/students/{}/transfer", f.own_student);
    let body = |class: &str| {
        format!(r#"{{"school":"{TOWN_PRIMARY}","class":"{class}","reason":"随父母迁居"}}"#)
    };
    let reply = school.post_json(&uri, &body("99")).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let e = reply.json();
    let message = e["message"].as_str().unwrap_or("");
    assert!(message.starts_with("class："), "{message}");
    assert!(
        message.contains("没有三年级99班") && message.contains("1班"),
        "{message}"
    );
    let page = school
        .post_form(
            &format!("/students/{}/transfer", f.own_student),
            &format!("school={TOWN_PRIMARY}&class=99&reason=x"),
        )
        .await;
    assert!(page.body.contains("只能转入该校已有的班级"));
    assert_eq!(
        emis_storage::registry::count(&f.t.db, "classes", "431224")
            .await
            .expect("count"),
        classes_before,
        "no class was created"
    );

    // Class 1 exists: the transfer waits; the student stays on the sending roll.
    let v = school.post_json(&uri, &body("1")).await.ok_json();
    assert_eq!(v["status"], "待接收");
    let first = v["transfer"].as_i64().expect("id");
    assert_eq!(school.json("/api/v1/students").await["total"], 12);
    let again = school.post_json(&uri, &body("1")).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one pending at a time"
    );
    // The sending school sees it but cannot accept it.
    let listed = school.json("/api/v1/students/transfers").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["can_receive"], false);
    let own_accept = school
        .send(
            Method::POST,
            &format!("/api/v1/students/transfers/{first}/accept"),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(own_accept.status, StatusCode::FORBIDDEN);

    // The receiving school sees 待接收 on its page and accepts it with the CSRF form.
    let mut receiver = Client::signed_in(&f.app, "zhongxin").await;
    let page = receiver.get("/students/transfers").await;
    assert!(page.body.contains("转出待接收") && page.body.contains("接收"));
    assert!(page
        .body
        .contains(&format!("/students/transfers/{first}/accept")));
    assert_eq!(receiver.json("/api/v1/students").await["total"], 1);
    let done = receiver
        .post_form(&format!("/students/transfers/{first}/accept"), "")
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(receiver.json("/api/v1/students").await["total"], 2);
    assert_eq!(school.json("/api/v1/students").await["total"], 11);
    let twice = receiver
        .post_form(&format!("/students/transfers/{first}/accept"), "")
        .await;
    assert!(
        twice.body.contains("该转学已处理（已接收）"),
        "{}",
        twice.body
    );

    // A second transfer, declined with a reason: the student stays.
    let other = {
        let list = school.json("/api/v1/students?per_page=100").await;
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|s| s["grade"] == "三年级")
            .expect("a third-grader")["id"]
            .as_i64()
            .expect("id")
    };
    let second = school
        .post_json(&format!("/api/v1/students/{other}/transfer"), &body("1"))
        .await
        .ok_json()["transfer"]
        .as_i64()
        .expect("id");
    let decline = format!("/api/v1/students/transfers/{second}/decline");
    let empty = receiver.post_json(&decline, "{}").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("退回原因"));
    receiver
        .post_json(&decline, r#"{"reason":"三年级1班已满"}"#)
        .await
        .with_status(StatusCode::OK);
    assert_eq!(school.json("/api/v1/students").await["total"], 11);
    assert_eq!(receiver.json("/api/v1/students").await["total"], 2);
    // Another township's school neither sees nor decides it.
    let mut town = Client::signed_in(&f.app, "longtan").await;
    let all = town.json("/api/v1/students/transfers?all=1").await;
    assert_eq!(all["total"], 2, "龙潭镇 holds the receiving school");

    // Each step is audited.
    let actions: Vec<String> =
        emis_storage::lists::audit(&f.t.db, "431224", None, Some("transfer"), None, None, 1)
            .await
            .expect("audit")
            .items
            .into_iter()
            .map(|r| r.action)
            .collect();
    for action in ["transfer_request", "transfer_accept", "transfer_decline"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_are_received_sqlite() {
    transfers_are_received(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_are_received_postgres() {
    if let Some(t) = postgres().await {
        transfers_are_received(t).await;
    }
}
