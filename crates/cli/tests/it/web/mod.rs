//! The web platform in-process, one file a concern: `sessions` (login, lock-out, forced
//! password change, idle time-out, CSRF), `pages` (scope, audit and the browser's forms),
//! `api` (tokens, OpenAPI, JSON errors), `routes` (every route with every role, from the
//! app's own route table), `limits` (upload limits) and `layers` (request id, security
//! headers, the 500 page). Here: the fixture county and the browser-like client the other
//! test modules use too.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use emis_app::imports::{import_file, ImportKind};
use emis_app::{Actor, NoProgress};
use emis_domain::access::{Permission, Role};
use emis_domain::identity::IdNumber;
use http_body_util::BodyExt;
use tower::ServiceExt;

mod api;
mod layers;
mod limits;
mod pages;
mod routes;
mod sessions;

pub const PASSWORD: &str = "Zhongxue2021";

/// A county with three schools in two townships, students at two of them, and one
/// account per role with a known password.
pub struct Fixture {
    pub t: TestDb,
    pub app: axum::Router,
    /// A student of the urban primary school (in scope of the school roles).
    pub own_student: i64,
    /// A student of the town junior school (outside the school roles' scope).
    pub other_student: i64,
    /// A 控辍保学 case of a child of 龙潭镇 with no school assigned (outside the school roles' scope).
    pub other_case: i64,
    /// A 送教上门 plan of `other_student`.
    pub other_plan: i64,
    /// An evidence file of `other_case`.
    pub other_attachment: i64,
    /// Safety records of the urban primary school (卢峰镇) and of the town junior school
    /// (龙潭镇): hazards, evidence files and water bodies of their townships.
    pub own_hazard: i64,
    pub other_hazard: i64,
    pub own_evidence: i64,
    pub other_evidence: i64,
    pub own_water: i64,
    pub other_water: i64,
    /// A 十有 evidence file of each school.
    pub own_ten_file: i64,
    pub other_ten_file: i64,
    /// 九长 links and roster shifts on both sides: [0] for every route, [1] and [2] for the
    /// page's and the API's remove routes (a removed record answers 404 afterwards).
    pub duty: [crate::safety::DutyRecords; 3],
}

async fn safety_records(t: &TestDb) -> [i64; 8] {
    use emis_app::safety::{self, HazardForm, Upload};
    let mut ids = Vec::new();
    for school in [URBAN_PRIMARY, TOWN_JUNIOR] {
        let account = crate::safety::school(school);
        let form = HazardForm {
            school: school.into(),
            place: "食堂".into(),
            category: "消防".into(),
            grade: "一般".into(),
            description: "灭火器压力不足".into(),
            found_on: "2021-09-10".into(),
            inspection: String::new(),
        };
        let id = safety::record_hazard(&t.db, &account, &form, "test", crate::support::today())
            .await
            .field_refusal()
            .expect("hazard")
            .expect("valid hazard");
        let photo = Upload {
            file_name: "x.png",
            bytes: b"\x89PNG\r\n\x1a\n0000",
        };
        let evidence = safety::add_evidence(&t.db, &account, id, "发现", &photo, "test")
            .await
            .field_refusal()
            .expect("evidence")
            .expect("valid evidence");
        let ten_have_file =
            safety::add_ten_have_file(&t.db, &account, 2021, school, "工作班子", &photo, "test")
                .await
                .field_refusal()
                .expect("十有 file")
                .expect("valid file");
        ids.push(id);
        ids.push(evidence);
        ids.push(ten_have_file);
    }
    let mut tx = t.db.begin().await.expect("tx");
    for township in ["431224100", "431224104"] {
        let w = emis_storage::safety::WaterRow {
            township_code: township.into(),
            village: "桐木村".into(),
            name: "桐木山塘".into(),
            kind: "山塘".into(),
            risk: "高".into(),
            ..Default::default()
        };
        ids.push(
            emis_storage::safety::insert_water(&mut tx, "431224", &w)
                .await
                .expect("water"),
        );
    }
    emis_storage::commit(tx).await.expect("commit");
    [
        ids[0], ids[3], ids[1], ids[4], ids[6], ids[7], ids[2], ids[5],
    ]
}

pub const ROLES: [(&str, Role, &str); 6] = [
    ("admin", Role::Admin, "431224"),
    ("leader", Role::Leader, "431224"),
    ("officer", Role::Officer, "431224"),
    ("longtan", Role::Township, "431224104"),
    ("xiaoxue", Role::SchoolAdmin, URBAN_PRIMARY),
    ("banzhuren", Role::ClassTeacher, URBAN_PRIMARY),
];

pub async fn fixture(t: TestDb) -> Fixture {
    county_with_schools(&t).await;
    let autumn = autumn_2021();
    let mut rows: Vec<Vec<String>> = (0..12)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1 + n % 2))
        .collect();
    rows.extend((100..106).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    rows[0][1] = "舒雨涵".into();
    let students = t.path("students.xlsx");
    write_xlsx(&students, &STUDENT_HEADERS, &rows);
    let report = import_file(
        &t.db,
        "431224",
        ImportKind::Students,
        &students,
        &autumn,
        &Actor::cli(),
        &NoProgress,
    )
    .await
    .expect("students");
    assert!(report.committed, "{:?}", report.problems);
    for (name, role, org) in ROLES {
        emis_app::accounts::add_user(&t.db, "431224", name, role, org, None, &Actor::cli())
            .await
            .expect("user");
        let mut tx = t.db.begin().await.expect("tx");
        let hash = emis_app::accounts::hash_password(PASSWORD).expect("hash");
        emis_storage::users::set_password(&mut tx, name, &hash, false)
            .await
            .expect("password");
        if role == Role::ClassTeacher {
            emis_storage::users::set_class(&mut tx, name, "三年级", 1)
                .await
                .expect("class");
        }
        emis_storage::commit(tx).await.expect("commit");
    }
    let scope = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    let find = |id: String| {
        let db = t.db.clone();
        let scope = scope.clone();
        async move {
            let q = emis_storage::lists::StudentQuery {
                term: "2021-autumn".into(),
                q: Some(id),
                page: 1,
                per_page: 5,
                ..Default::default()
            };
            emis_storage::lists::students(&db, &scope, &q)
                .await
                .expect("find")
                .items[0]
                .id
        }
    };
    let own_student = find(rows[0][3].clone()).await;
    let other_student = find(rows[12][3].clone()).await;
    let [own_hazard, other_hazard, own_evidence, other_evidence, own_water, other_water, own_ten_file, other_ten_file] =
        safety_records(&t).await;
    // 控辍保学: the roll's children plus one of 龙潭镇 not on it, which opens a case.
    let missing = IdNumber::compose(
        "431224",
        chrono::NaiveDate::from_ymd_opt(2011, 5, 5).expect("date"),
        101,
    );
    let mut population = String::from("姓名,性别,身份证件号,户籍乡镇\n");
    for r in &rows {
        population.push_str(&format!("{},{},{},卢峰镇\n", r[1], r[2], r[3]));
    }
    population.push_str(&format!("失学儿童,男,{},龙潭镇\n", missing.as_str()));
    let population_path = t.path("population.csv");
    std::fs::write(&population_path, population).expect("population");
    let report = emis_app::dropout::import_population_file(
        &t.db,
        "431224",
        &population_path,
        chrono::NaiveDate::from_ymd_opt(2021, 9, 15).expect("date"),
        None,
        false,
        &Actor::cli(),
    )
    .await
    .expect("population");
    assert!(report.import.committed, "{:?}", report.import.problems);
    let other_case = emis_storage::dropout::all_cases(&t.db, "431224")
        .await
        .expect("cases")
        .into_iter()
        .find(|c| c.person_id_number == missing.as_str())
        .expect("case")
        .id;
    let officer = emis_app::auth::Account {
        username: "officer".into(),
        display_name: "股室".into(),
        role: Role::Officer,
        org_code: "431224".into(),
        org_name: "溆浦县".into(),
        scope: scope.clone(),
        must_change_password: false,
    };
    let other_plan = emis_app::dropout::save_plan(
        &t.db,
        &officer,
        &emis_app::dropout::PlanForm {
            id_number: rows[12][3].clone(),
            term: "2021-autumn".into(),
            teachers: "教师甲".into(),
            plan: "每两周送教一次".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("plan runs")
    .expect("plan");
    emis_app::dropout::attach(
        &t.db,
        &officer,
        other_case,
        "复学证明.pdf",
        b"%PDF-1.4\n",
        "test",
    )
    .await
    .field_refusal()
    .expect("attach runs")
    .expect("attached");
    let other_attachment = emis_storage::dropout::attachments(&t.db, other_case)
        .await
        .expect("attachments")[0]
        .id;
    let mut duty = [crate::safety::DutyRecords::default(); 3];
    for d in &mut duty {
        *d = crate::safety::duty_records(&t.db, own_water, other_water).await;
    }
    let app = emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into()));
    Fixture {
        duty,
        t,
        app,
        own_student,
        other_student,
        own_hazard,
        other_hazard,
        own_evidence,
        other_evidence,
        own_water,
        other_water,
        own_ten_file,
        other_ten_file,
        other_case,
        other_plan,
        other_attachment,
    }
}

/// A browser-like client: keeps cookies, sends the CSRF token on posts.
pub struct Client {
    app: axum::Router,
    pub cookies: Vec<(String, String)>,
    pub csrf: String,
    /// The caller's address as the server sees it (`local` when unset).
    pub address: Option<std::net::SocketAddr>,
}

impl Client {
    pub fn new(app: &axum::Router) -> Client {
        Client {
            app: app.clone(),
            cookies: Vec::new(),
            csrf: String::new(),
            address: None,
        }
    }

    /// A client calling from the given IPv4 address.
    pub fn at(app: &axum::Router, address: &str) -> Client {
        let mut client = Client::new(app);
        client.address = Some(format!("{address}:50000").parse().expect("socket address"));
        client
    }

    pub async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder().method(method.clone()).uri(uri);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        if method == Method::POST && !self.csrf.is_empty() {
            request = request.header("x-csrf-token", &self.csrf);
        }
        if let Some(address) = self.address {
            request = request.extension(axum::extract::ConnectInfo(address));
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body)).expect("request"))
            .await
            .expect("response");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or("");
            if let Some((pair, _)) = text.split_once(';') {
                if let Some((k, v)) = pair.split_once('=') {
                    self.cookies.retain(|(name, _)| name != k);
                    if !v.is_empty() {
                        self.cookies.push((k.to_string(), v.to_string()));
                    }
                }
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).to_string(),
            headers,
        }
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None, Vec::new()).await
    }

    pub async fn post_form(&mut self, uri: &str, form: &str) -> Reply {
        self.send(
            Method::POST,
            uri,
            Some("application/x-www-form-urlencoded"),
            form.as_bytes().to_vec(),
        )
        .await
    }

    /// Logs in through the login form, as a browser does.
    pub async fn login(&mut self, username: &str, password: &str) -> Reply {
        let page = self.get("/login").await;
        let token = hidden(&page.body, "_csrf");
        let form = format!("username={username}&password={password}&_csrf={token}&next=/");
        let reply = self.post_form("/login", &form).await;
        if reply.status == StatusCode::SEE_OTHER {
            let home = self.get("/password").await;
            self.csrf = hidden(&home.body, "_csrf");
        }
        reply
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    pub headers: axum::http::HeaderMap,
}

/// The value of a hidden input in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_string()
}

async fn audit_actions(f: &Fixture) -> Vec<(String, String, String)> {
    let page = emis_storage::lists::audit(&f.t.db, "431224", None, None, None, None, 1)
        .await
        .expect("audit");
    page.items
        .into_iter()
        .map(|a| (a.actor, a.action, a.entity_key))
        .collect()
}
