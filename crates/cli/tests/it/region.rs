//! Issue #19: two counties in one database (溆浦县 and a second county of 怀化市), each
//! county's accounts seeing only their own county by page, API and export, and 怀化市's
//! account reading both in the roll-up and writing nothing. Each scenario on both engines.

use crate::support::*;
use crate::web::{add_account, Client, PASSWORD};
use axum::http::{Method, StatusCode};
use emis_app::imports::ImportKind;
use emis_app::Actor;
use emis_domain::access::Role;
use emis_domain::identity::IdNumber;

/// 鹤城区's one school.
const HECHENG_PRIMARY: &str = "2143120201";

/// A student of 鹤城区: an ID number of that county.
fn hecheng_row(n: u32) -> Vec<String> {
    let birth = chrono::NaiveDate::from_ymd_opt(2012, 1 + (n % 12), 1 + (n % 28)).expect("date");
    let id = IdNumber::compose("431202", birth, (n % 1000) as u16);
    let sex = if id.sex() == emis_domain::registry::Sex::Male {
        "男"
    } else {
        "女"
    };
    vec![
        HECHENG_PRIMARY.to_string(),
        format!("鹤城学生{n}"),
        sex.to_string(),
        id.as_str().to_string(),
        "三年级".to_string(),
        "1".to_string(),
    ]
}

/// Two counties: 溆浦县 with its three test schools and 12 pupils, 鹤城区 with one school and
/// a class of 57 (a 大班额), each with an aid payment and a hazard; an officer of each
/// county, 溆浦县's administrator, and 怀化市's account (made by the operator, since the
/// city now holds two counties). Returns the app, and a student id of each county.
struct TwoCounties {
    app: axum::Router,
    xupu_student: i64,
    hecheng_student: i64,
}

async fn two_counties(t: &TestDb) -> TwoCounties {
    county_with_schools(t).await;
    let xupu_rows: Vec<Vec<String>> = (0..12)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
        .collect();
    autumn_roll(t, &xupu_rows).await;
    for (name, role, org) in [
        ("xupu_admin", Role::Admin, "431224"),
        ("xupu_officer", Role::Officer, "431224"),
    ] {
        add_account(t, name, role, org, None).await;
    }

    emis_storage::registry::ensure_county(&t.db, &HECHENG)
        .await
        .expect("county");
    let school = emis_domain::registry::School {
        code: HECHENG_PRIMARY.into(),
        name: "鹤城区城中小学".into(),
        school_type: emis_domain::registry::SchoolType::Primary,
        township_code: "431202001".into(),
        urban_rural: emis_domain::registry::UrbanRural::Urban,
        ownership: emis_domain::registry::Ownership::Public,
        boarding: false,
    };
    let mut tx = t.db.begin().await.expect("tx");
    emis_storage::registry::upsert_schools(&mut tx, HECHENG.code, &[school])
        .await
        .expect("school");
    emis_storage::commit(tx).await.expect("commit");
    let hecheng_rows: Vec<Vec<String>> = (0..57).map(hecheng_row).collect();
    hecheng_roll(t, &hecheng_rows, &autumn_2021()).await;

    // One aid payment in each county, whose amounts end in fen.
    for (county, school, id, amount) in [
        ("431224", URBAN_PRIMARY, &xupu_rows[0][3], "312.55"),
        (HECHENG.code, HECHENG_PRIMARY, &hecheng_rows[0][3], "100.10"),
    ] {
        let sheet = t.write(
            &format!("aid-{county}.csv"),
            format!(
                "学校标识码,身份证件号,资助项目,学期,金额(元)\n{school},{id},非寄宿生生活费补助,2021-autumn,{amount}\n"
            ),
        );
        let report = emis_app::imports::import_file(
            &t.db,
            county,
            ImportKind::Aid,
            &sheet,
            &Default::default(),
            &Actor::cli(),
            &emis_app::NoProgress,
        )
        .await
        .expect("aid import runs");
        assert!(report.committed, "{county}: {:?}", report.problems);
    }

    // 鹤城区's officer, made by the operator as the command line does for that county.
    emis_app::accounts::add_user(
        &t.db,
        HECHENG.code,
        "hecheng_officer",
        Role::Officer,
        HECHENG.code,
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect("鹤城区's officer");
    known_password(t, "hecheng_officer").await;
    // One hazard in each county, recorded by its own officer.
    for (county, school) in [("431224", URBAN_PRIMARY), (HECHENG.code, HECHENG_PRIMARY)] {
        let officer = officer_of(county);
        let form = emis_app::safety::HazardForm {
            school: school.into(),
            place: "食堂".into(),
            category: "消防".into(),
            grade: "一般".into(),
            description: "灭火器压力不足".into(),
            found_on: "2021-09-10".into(),
            inspection: String::new(),
        };
        emis_app::safety::record_hazard(&t.db, &officer, &form, "test", today())
            .await
            .accepted("hazard");
    }

    // 怀化市 holds both counties now: 溆浦县's administrator may not hand out its account.
    let refused = emis_app::accounts::add_user(
        &t.db,
        "431224",
        "huaihua",
        Role::Region,
        "431200",
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect_err("a county grants no city account over its neighbour");
    assert!(refused.to_string().contains("431202"), "{refused}");
    // Nor binds an account to the other county's org units.
    let refused = emis_app::accounts::add_user(
        &t.db,
        "431224",
        "spy",
        Role::Officer,
        HECHENG.code,
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect_err("another county's org");
    assert!(refused.to_string().contains("不属于本县"), "{refused}");
    // The operator (the command line, at the city's level) may.
    emis_app::accounts::add_user(
        &t.db,
        "431200",
        "huaihua",
        Role::Region,
        "431200",
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect("the operator makes 怀化市's account");
    known_password(t, "huaihua").await;

    let xupu_student = crate::web::student_key(&t.db, &xupu_rows[0][3]).await;
    let hecheng_student = student_id_in(&t.db, HECHENG.code, &hecheng_rows[0][3]).await;
    TwoCounties {
        app: emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into())),
        xupu_student,
        hecheng_student,
    }
}

/// Imports a roll of 鹤城区 as its operator would, for the term `options` name.
async fn hecheng_roll(
    t: &TestDb,
    rows: &[Vec<String>],
    options: &emis_app::imports::ImportOptions,
) {
    let file = t.path("hecheng.xlsx");
    write_xlsx(&file, &STUDENT_HEADERS, rows);
    let report = emis_app::imports::import_file(
        &t.db,
        HECHENG.code,
        ImportKind::Students,
        &file,
        options,
        &Actor::cli(),
        &emis_app::NoProgress,
    )
    .await
    .expect("import runs");
    assert!(report.committed, "{:?}", report.problems);
}

async fn known_password(t: &TestDb, name: &str) {
    let mut tx = t.db.begin().await.expect("tx");
    let hash = emis_app::accounts::hash_password(PASSWORD).expect("hash");
    emis_storage::users::set_password(&mut tx, name, &hash, false)
        .await
        .expect("password");
    emis_storage::commit(tx).await.expect("commit");
}

fn officer_of(county: &str) -> emis_app::auth::Account {
    emis_app::auth::Account {
        username: format!("officer{county}"),
        display_name: "股室".into(),
        role: Role::Officer,
        org_code: county.into(),
        org_name: county.into(),
        scope: emis_domain::access::Scope::County {
            county: county.into(),
        },
        must_change_password: false,
    }
}

async fn student_id_in(db: &emis_storage::Db, county: &str, id_number: &str) -> i64 {
    let q = emis_storage::lists::StudentQuery {
        term: "2021-autumn".into(),
        q: Some(id_number.into()),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    let scope = emis_domain::access::Scope::County {
        county: county.into(),
    };
    emis_storage::lists::students(db, &scope, &q)
        .await
        .expect("list")
        .items[0]
        .id
}

/// The names of an exported students workbook.
fn exported_names(t: &TestDb, bytes: &[u8]) -> Vec<String> {
    let path = t.path("export.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let table =
        emis_io::read_table(&path, &[emis_io::Column::required("姓名")]).expect("the export reads");
    table.rows.iter().map(|r| r.cells[0].clone()).collect()
}

async fn a_county_account_never_sees_another_county(t: &TestDb) {
    let f = two_counties(t).await;
    for (name, own, other, own_is_hecheng) in [
        ("xupu_officer", f.xupu_student, f.hecheng_student, false),
        ("hecheng_officer", f.hecheng_student, f.xupu_student, true),
    ] {
        let is_own = |n: &str| n.starts_with("鹤城学生") == own_is_hecheng;
        let mut c = Client::signed_in(&f.app, name).await;
        // The list, by page and API: the own county's students only.
        let list = c.get("/students?term=2021-autumn&size=200").await;
        assert_eq!(list.status, StatusCode::OK, "{name}");
        assert_eq!(list.body.contains("鹤城学生"), own_is_hecheng, "{name}");
        let api = c
            .get("/api/v1/students?term=2021-autumn&per_page=200")
            .await
            .ok_json();
        let names: Vec<String> = api["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|s| s["name"].as_str().expect("name").to_string())
            .collect();
        assert!(!names.is_empty(), "{name}");
        assert!(names.iter().all(|n| is_own(n)), "{name} lists {names:?}");
        // A student of the other county by id: the same 404 as a record outside the scope.
        assert_eq!(
            c.get(&format!("/students/{own}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            c.get(&format!("/students/{other}")).await.status,
            StatusCode::NOT_FOUND,
            "{name}: page"
        );
        assert_eq!(
            c.get(&format!("/api/v1/students/{other}")).await.status,
            StatusCode::NOT_FOUND,
            "{name}: API"
        );
        // Nor changes one.
        let change = c
            .post_form(
                &format!("/students/{other}/status"),
                "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85",
            )
            .await;
        assert_eq!(
            change.status,
            StatusCode::NOT_FOUND,
            "{name}: status change"
        );
        // The export: its own county's rows only.
        let export = c.get("/students/export?term=2021-autumn").await;
        assert_eq!(export.status, StatusCode::OK, "{name}: export");
        let exported = exported_names(t, &export.bytes);
        assert_eq!(
            exported.len(),
            names.len(),
            "{name}: the export is the list"
        );
        assert!(exported.iter().all(|n| is_own(n)), "{name}: {exported:?}");
        // The other county's school is not found either.
        let other_school = if name == "xupu_officer" {
            HECHENG_PRIMARY
        } else {
            URBAN_PRIMARY
        };
        assert_eq!(
            c.get(&format!("/schools/{other_school}")).await.status,
            StatusCode::NOT_FOUND,
            "{name}: school"
        );
        // A county account has no roll-up.
        assert_eq!(c.get("/region").await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            c.get("/api/v1/region/rollup").await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        exported_count(t, &f.app, "hecheng_officer").await,
        57,
        "鹤城区's class of 57"
    );
    assert_eq!(exported_count(t, &f.app, "xupu_officer").await, 12);
}

/// On a city's server (whose own county is 溆浦县), each county's lists offer the terms of
/// that county's roll: 鹤城区's 2022 spring roll is its officer's latest term, and not one
/// 溆浦县's officer is offered.
async fn each_county_lists_its_own_terms(t: &TestDb) {
    let f = two_counties(t).await;
    let spring_2022 = emis_app::imports::ImportOptions {
        term: Some(emis_domain::term::Term::spring(2022)),
        ..Default::default()
    };
    let rows: Vec<Vec<String>> = (0..5).map(hecheng_row).collect();
    hecheng_roll(t, &rows, &spring_2022).await;
    let mut hecheng = Client::signed_in(&f.app, "hecheng_officer").await;
    let list = hecheng.get("/students").await.with_status(StatusCode::OK);
    assert!(
        list.body.contains("<span id=\"total\">共 5 条</span>"),
        "the latest term's roll"
    );
    assert!(list.body.contains("2022年春季学期"));
    // The API's lists default to the same term.
    let api = hecheng.get("/api/v1/students").await.ok_json();
    assert_eq!(api["total"], 5, "{api}");
    let mut xupu = Client::signed_in(&f.app, "xupu_officer").await;
    let list = xupu.get("/students").await.with_status(StatusCode::OK);
    assert!(!list.body.contains("2022年春季学期"));
    assert!(list.body.contains("<span id=\"total\">共 12 条</span>"));
}
crate::on_both_engines!(own_terms, super::each_county_lists_its_own_terms);

async fn exported_count(t: &TestDb, app: &axum::Router, name: &str) -> usize {
    let mut c = Client::signed_in(app, name).await;
    exported_names(t, &c.get("/students/export?term=2021-autumn").await.bytes).len()
}

crate::on_both_engines!(
    county_isolation,
    super::a_county_account_never_sees_another_county
);

async fn the_city_reads_both_counties_and_writes_nothing(t: &TestDb) {
    let f = two_counties(t).await;
    let mut c = Client::signed_in(&f.app, "huaihua").await;
    // Its home is the roll-up; its menu holds nothing of a county.
    let home = c.get("/").await;
    assert_eq!(home.location, "/region");
    let page = c.get("/region?year=2021").await.with_status(StatusCode::OK);
    for text in [
        "怀化市各县主要指标",
        "溆浦县",
        "鹤城区",
        "怀化市合计",
        "导出",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(!page.body.contains("href=\"/students\""), "no county menu");

    let json = c.get("/api/v1/region/rollup?year=2021").await.ok_json();
    assert_eq!(json["region"]["code"], "431200");
    assert_eq!(json["region"]["level"], "市州");
    let counties = json["counties"].as_array().expect("counties");
    let codes: Vec<&str> = counties
        .iter()
        .map(|c| c["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["431202", "431224"]);
    let value = |line: &serde_json::Value, code: &str| line["indicators"][code].clone();
    let (hecheng, xupu, total) = (&counties[0], &counties[1], &json["total"]);
    assert_eq!(value(hecheng, "students.enrolled"), 57);
    assert_eq!(value(xupu, "students.enrolled"), 12);
    assert_eq!(value(total, "students.enrolled"), 69);
    assert_eq!(value(hecheng, "classes.large.compulsory.autumn"), 1);
    assert_eq!(value(total, "classes.large.compulsory.autumn"), 1);
    assert_eq!(hecheng["schools"], 1);
    assert_eq!(xupu["schools"], 3);
    assert_eq!(total["schools"], 4);
    assert_eq!(value(total, "aid.person_times"), 2);
    // 312.55 + 100.10 added in fen: 412.65, not the sum of rounded texts.
    assert_eq!(value(total, "aid.amount"), serde_json::json!(412.65));
    assert_eq!(value(total, "safety.hazards.found"), 2);
    assert_eq!(total["hazards_open"], 2);
    // The same figures as each county's own annual report.
    for line in counties {
        let set =
            emis_app::report::annual_indicators(&t.db, line["code"].as_str().expect("code"), 2021)
                .await
                .expect("annual");
        for code in emis_domain::region::ROLLUP_INDICATORS {
            let own: serde_json::Value =
                serde_json::from_str(&set.get(code).expect("in the report").to_json())
                    .expect("json");
            assert_eq!(value(line, code), own, "{code}");
        }
    }

    // 导出: the same table as xlsx, the total last; audited under the city.
    let export = c
        .get("/region/export?year=2021")
        .await
        .with_status(StatusCode::OK);
    assert!(export.disposition().contains("region-431200-2021.xlsx"));
    let path = t.path("rollup.xlsx");
    std::fs::write(&path, &export.bytes).expect("write");
    let table = emis_io::read_table(
        &path,
        &[
            emis_io::Column::required("县（市、区）"),
            emis_io::Column::required("在籍学生数"),
            emis_io::Column::required("资助金额（元）"),
        ],
    )
    .expect("the export reads");
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    assert_eq!(
        rows,
        [
            vec!["鹤城区".to_string(), "57".into(), "100.10".into()],
            vec!["溆浦县".to_string(), "12".into(), "312.55".into()],
            vec!["怀化市合计".to_string(), "69".into(), "412.65".into()],
        ]
    );
    let audited = emis_storage::lists::audit(&t.db, "431200", Some("huaihua"), None, None, None, 1)
        .await
        .expect("audit");
    assert!(audited
        .items
        .iter()
        .any(|r| r.action == "export" && r.entity == "region_rollup"));

    // No county's records, by page, API or export; no write.
    for uri in [
        "/students",
        &format!("/students/{}", f.xupu_student),
        &format!("/api/v1/students/{}", f.hecheng_student),
        "/api/v1/students",
        "/students/export",
        "/schools",
        "/reports/annual?year=2021",
        "/api/v1/reports/annual?year=2021",
        "/safety/hazards",
        "/aid",
    ] {
        assert_eq!(c.get(uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let write = c
        .post_form(
            &format!("/students/{}/status", f.xupu_student),
            "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85",
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let api_write = c
        .send(
            Method::POST,
            &format!("/api/v1/students/{}/status", f.hecheng_student),
            Some("application/json"),
            r#"{"status":"休学","reason":"走访核实"}"#.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(api_write.status, StatusCode::FORBIDDEN);
    // A county's administrator cannot take the city's account over, nor make another one
    // now that the city holds a second county.
    let mut admin = Client::signed_in(&f.app, "xupu_admin").await;
    let refused = admin
        .post_form("/admin/users", "username=huaihua2&role=region&org=431200")
        .await;
    assert!(
        refused.body.contains("还包含本系统中的其他县（431202）"),
        "{}",
        refused.body
    );
    assert!(emis_storage::users::find(&t.db, "huaihua2")
        .await
        .expect("query")
        .is_none());
    for action in ["reset", "token"] {
        let reply = admin
            .post_form(&format!("/admin/users/huaihua/{action}"), "days=30")
            .await;
        // The accounts page's own answer for a name that is not the county's.
        assert!(
            reply.body.contains("账号不存在"),
            "{action}: {}",
            reply.body
        );
        assert!(!reply.body.contains("API 令牌："), "{action}");
    }
    // Still on the roll as before.
    let mut officer = Client::signed_in(&f.app, "hecheng_officer").await;
    let student = officer
        .get(&format!("/api/v1/students/{}", f.hecheng_student))
        .await
        .ok_json();
    assert_eq!(student["terms"][0]["status"], "在读", "{student}");
}

crate::on_both_engines!(
    city_rollup,
    super::the_city_reads_both_counties_and_writes_nothing
);

/// A city with no county of its own in the database shows an empty roll-up, not an error;
/// an unknown region code is refused before an account is made.
async fn a_region_without_counties_and_unknown_codes(t: &TestDb) {
    with_county(t).await;
    emis_app::accounts::add_user(
        &t.db,
        "430100",
        "changsha",
        Role::Region,
        "430100",
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect("长沙市");
    known_password(t, "changsha").await;
    let app = emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into()));
    // With 溆浦县 alone in the database, its administrator may make 怀化市's account on the
    // accounts page (as the demo does).
    add_account(t, "xupu_admin", Role::Admin, "431224", None).await;
    let mut admin = Client::signed_in(&app, "xupu_admin").await;
    let made = admin
        .post_form("/admin/users", "username=huaihua&role=region&org=431200")
        .await;
    assert!(made.body.contains("已创建账号 huaihua"), "{}", made.body);
    let user = emis_storage::users::find(&t.db, "huaihua")
        .await
        .expect("query")
        .expect("made");
    assert_eq!(
        (user.role.as_str(), user.county.as_str()),
        ("region", "431200")
    );
    let mut c = Client::signed_in(&app, "changsha").await;
    let page = c.get("/region").await.with_status(StatusCode::OK);
    assert!(page.body.contains("暂无数据"), "{}", page.body);
    let json = c.get("/api/v1/region/rollup").await.ok_json();
    assert_eq!(json["counties"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["total"]["indicators"]["students.enrolled"], 0);

    for code in ["431224", "999900", "43120"] {
        let refused = emis_app::accounts::add_user(
            &t.db,
            code,
            "nobody",
            Role::Region,
            code,
            None,
            None,
            &Actor::cli(),
        )
        .await
        .expect_err("no such region");
        assert!(
            matches!(refused, emis_app::AppError::Usage(_)),
            "{code}: {refused}"
        );
    }
    // A region is no county: the database's county list leaves it out.
    assert_eq!(
        emis_storage::registry::counties(&t.db)
            .await
            .expect("counties"),
        ["431224"]
    );
}

crate::on_both_engines!(
    empty_region,
    super::a_region_without_counties_and_unknown_codes
);

/// `emis user add NAME --role region --org 431200`: the operator makes a city's account on
/// the command line (the region is created on first use); a county's or an unknown code is
/// bad usage.
#[test]
fn the_command_line_makes_a_region_account() {
    use crate::cli::{emis, text};
    let dir = tempfile::tempdir().expect("temp");
    let db = crate::cli::county_db(dir.path());
    let out = emis(
        &db,
        &[
            "user", "add", "huaihua", "--role", "region", "--org", "431200",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("（市州/省教育局）　初始密码："));
    crate::cli::with_db(&db, async |db| {
        let user = emis_storage::users::find(db, "huaihua")
            .await
            .expect("query")
            .expect("made");
        assert_eq!(
            (user.role.as_str(), user.county.as_str()),
            ("region", "431200")
        );
        assert_eq!(user.org_name, "怀化市");
    });
    for org in ["431224", "439900"] {
        let out = emis(&db, &["user", "add", "x", "--role", "region", "--org", org]);
        assert_eq!(out.status.code(), Some(2), "{org}: {}", text(&out));
    }
}
