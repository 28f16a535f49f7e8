//! The web platform in-process, one file a concern: `sessions` (login, lock-out, forced
//! password change, idle time-out, CSRF), `pages` (scope, audit and the browser's forms),
//! `api` (tokens, OpenAPI, JSON errors), `routes` (every route with every role, from the
//! app's own route table), `limits` (upload limits) and `layers` (request id, security
//! headers, the 500 page). Here: the fixture county and the browser-like client the other
//! test modules use too.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use emis_app::Actor;
use emis_domain::access::{Permission, Role};
use emis_domain::identity::IdNumber;
use http_body_util::BodyExt;
use tower::ServiceExt;

mod api;
mod layers;
mod limits;
mod lists;
mod pages;
mod routes;
mod sessions;
mod summary;

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
    /// Teachers, trainings, a studio, awards and a conduct case on both sides.
    pub teachers: crate::teachers::TeacherRecords,
    /// Training institutions of 卢峰镇 and of 龙潭镇.
    pub own_institution: i64,
    pub other_institution: i64,
    /// Building projects of the urban school (卢峰镇) and of the town junior school (龙潭镇).
    pub own_project: i64,
    pub other_project: i64,
    /// A county document with a PDF attached (every reader sees it).
    pub document: i64,
    /// Safety incidents of the urban school (卢峰镇) and of the town junior school (龙潭镇).
    pub own_incident: i64,
    pub other_incident: i64,
    /// A form sent to the three schools: the assignment, and the urban primary school's and
    /// the town junior school's tasks.
    pub forms: crate::forms::FormRecords,
    /// 党建: the urban primary school's branch (its secretary is `xiaoxue`) and the bureau's,
    /// with one person each.
    pub own_branch: i64,
    pub other_branch: i64,
    pub own_person: i64,
    pub other_person: i64,
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
        let id = safety::record_hazard(&t.db, &account, &form, "test", today())
            .await
            .accepted("hazard");
        let photo = Upload {
            file_name: "x.png",
            bytes: b"\x89PNG\r\n\x1a\n0000",
        };
        let evidence = safety::add_evidence(&t.db, &account, id, "发现", &photo, "test")
            .await
            .accepted("evidence");
        let ten_have_file =
            safety::add_ten_have_file(&t.db, &account, 2021, school, "工作班子", &photo, "test")
                .await
                .accepted("十有 file");
        ids.extend([id, evidence, ten_have_file]);
    }
    let own_water = crate::safety::insert_water(&t.db, "431224100", "桐木山塘", "山塘").await;
    let other_water = crate::safety::insert_water(&t.db, "431224104", "桐木山塘", "山塘").await;
    [
        ids[0],
        ids[3],
        ids[1],
        ids[4],
        own_water,
        other_water,
        ids[2],
        ids[5],
    ]
}

/// A query value percent-encoded as the pages' links encode it.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub const ROLES: [(&str, Role, &str); 7] = [
    ("admin", Role::Admin, "431224"),
    ("leader", Role::Leader, "431224"),
    ("officer", Role::Officer, "431224"),
    ("longtan", Role::Township, "431224104"),
    ("xiaoxue", Role::SchoolAdmin, URBAN_PRIMARY),
    ("banzhuren", Role::ClassTeacher, URBAN_PRIMARY),
    // 怀化市's office above the county (the administrator may make it: the county is the
    // city's only one here).
    ("huaihua", Role::Region, "431200"),
];

/// An account with the test password, as the administrator adds it.
pub async fn add_account(t: &TestDb, name: &str, role: Role, org: &str, class: Option<&str>) {
    emis_app::accounts::add_user(&t.db, "431224", name, role, org, class, None, &Actor::cli())
        .await
        .expect("user");
    let mut tx = t.db.begin().await.expect("tx");
    let hash = emis_app::accounts::hash_password(PASSWORD).expect("hash");
    emis_storage::users::set_password(&mut tx, name, &hash, false)
        .await
        .expect("password");
    emis_storage::commit(tx).await.expect("commit");
}

/// The administrator's account, signed in through the service.
pub async fn admin_account(t: &TestDb) -> emis_app::auth::Account {
    emis_app::auth::login(&t.db, "admin", PASSWORD, "test")
        .await
        .expect("login")
        .account
}

/// An API token the administrator creates for a user.
pub async fn token_for(
    t: &TestDb,
    admin: &emis_app::auth::Account,
    user: &str,
    label: &str,
) -> String {
    emis_app::auth::create_token(&t.db, admin, user, label, "test")
        .await
        .expect("token")
}

/// The key of a student of the 2021 autumn roll, found by its ID number.
pub async fn student_key(db: &emis_storage::Db, id_number: &str) -> i64 {
    let county = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    let q = emis_storage::lists::StudentQuery {
        term: "2021-autumn".into(),
        q: Some(id_number.into()),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    emis_storage::lists::students(db, &county, &q)
        .await
        .expect("find")
        .items[0]
        .id
}

pub async fn fixture(t: TestDb) -> Fixture {
    county_with_schools(&t).await;
    let mut rows: Vec<Vec<String>> = (0..12)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1 + n % 2))
        .collect();
    rows.extend((100..106).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    rows[0][1] = "舒雨涵".into();
    autumn_roll(&t, &rows).await;
    for (name, role, org) in ROLES {
        add_account(&t, name, role, org, None).await;
        if role == Role::Officer {
            emis_app::accounts::assign_office(&t.db, "431224", name, "资助中心", &Actor::cli())
                .await
                .expect("office");
        }
        if role == Role::ClassTeacher {
            let mut tx = t.db.begin().await.expect("tx");
            emis_storage::users::set_class(&mut tx, name, "三年级", 1)
                .await
                .expect("class");
            emis_storage::commit(tx).await.expect("commit");
        }
    }
    let own_student = student_key(&t.db, &rows[0][3]).await;
    let other_student = student_key(&t.db, &rows[12][3]).await;
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
        scope: emis_domain::access::Scope::County {
            county: "431224".into(),
        },
        must_change_password: false,
    };
    let plan = emis_app::dropout::PlanForm {
        id_number: rows[12][3].clone(),
        term: "2021-autumn".into(),
        teachers: "教师甲".into(),
        plan: "每两周送教一次".into(),
    };
    let other_plan = emis_app::dropout::save_plan(&t.db, &officer, &plan, "test")
        .await
        .accepted("plan");
    let pdf = b"%PDF-1.4\n";
    emis_app::dropout::attach(&t.db, &officer, other_case, "复学证明.pdf", pdf, "test")
        .await
        .accepted("attached");
    let other_attachment = emis_storage::dropout::attachments(&t.db, other_case)
        .await
        .expect("attachments")[0]
        .id;
    let mut duty = [crate::safety::DutyRecords::default(); 3];
    for d in &mut duty {
        *d = crate::safety::duty_records(&t.db, own_water, other_water).await;
    }
    let teachers = crate::teachers::teacher_records(&t).await;
    let (own_institution, other_institution) =
        crate::double_reduction::institution_records(&t).await;
    let forms = crate::forms::form_records(&t).await;
    let (own_project, other_project) = crate::projects::project_records(&t).await;
    let document = crate::documents::document_record(&t).await;
    let (own_incident, other_incident) = crate::incidents::incident_records(&t).await;
    let (own_branch, other_branch, own_person, other_person) =
        crate::party::party_records(&t).await;
    let app = emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into()));
    Fixture {
        own_branch,
        other_branch,
        own_person,
        other_person,
        forms,
        teachers,
        own_institution,
        other_institution,
        own_project,
        other_project,
        document,
        own_incident,
        other_incident,
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
    /// An API token sent as `Authorization: Bearer …` (none when unset).
    pub token: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    /// The body as it came (a download is not text).
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    /// The body read as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON reply")
    }

    /// Asserts the status (with the body for the failure) and passes the reply on.
    #[track_caller]
    pub fn with_status(self, status: StatusCode) -> Reply {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    /// The JSON of a 200 reply.
    #[track_caller]
    pub fn ok_json(self) -> serde_json::Value {
        self.with_status(StatusCode::OK).json()
    }

    /// The `Content-Disposition` of a download.
    pub fn disposition(&self) -> &str {
        self.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header")
    }
}

/// A `multipart/form-data` body as a browser sends a form with files.
#[derive(Default)]
pub struct Multipart {
    body: Vec<u8>,
}

impl Multipart {
    const BOUNDARY: &'static str = "EmisTestBoundary";
    pub const CONTENT_TYPE: &'static str = "multipart/form-data; boundary=EmisTestBoundary";

    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A text field.
    pub fn text(mut self, name: &str, value: &str) -> Multipart {
        let b = Self::BOUNDARY;
        self.body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
        self
    }

    /// A file field: its file name, content type and bytes.
    pub fn file(
        mut self,
        name: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Multipart {
        let b = Self::BOUNDARY;
        self.body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
                .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The whole body, closed.
    pub fn body(mut self) -> Vec<u8> {
        self.body
            .extend_from_slice(format!("--{}--\r\n", Self::BOUNDARY).as_bytes());
        self.body
    }
}

impl Client {
    pub fn new(app: &axum::Router) -> Client {
        Client {
            app: app.clone(),
            cookies: Vec::new(),
            csrf: String::new(),
            address: None,
            token: None,
        }
    }

    /// A client calling from the given IPv4 address.
    pub fn at(app: &axum::Router, address: &str) -> Client {
        let mut client = Client::new(app);
        client.address = Some(format!("{address}:50000").parse().expect("socket address"));
        client
    }

    /// A client calling the API with a token, no session.
    pub fn bearer(app: &axum::Router, token: &str) -> Client {
        let mut client = Client::new(app);
        client.token = Some(token.to_string());
        client
    }

    /// A client signed in through the login form with the test password.
    pub async fn signed_in(app: &axum::Router, username: &str) -> Client {
        let mut client = Client::new(app);
        let reply = client.login(username, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{username} signs in");
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
        if let Some(token) = &self.token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
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
            bytes: bytes.to_vec(),
            headers,
        }
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None, Vec::new()).await
    }

    /// A GET of the API read as JSON.
    pub async fn json(&mut self, uri: &str) -> serde_json::Value {
        self.get(uri).await.json()
    }

    /// 确认导入 as the browser does it: the post answers with the background job's page,
    /// which is read (as its refresh would) until the result replaces the progress bar.
    pub async fn confirm_import(&mut self, form: &str) -> Reply {
        let started = self.post_form("/import/confirm", form).await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
        assert!(
            started.location.starts_with("/jobs/"),
            "{}",
            started.location
        );
        self.follow_job(&started.location).await
    }

    /// A background job's page, read (as its refresh would) until its result replaces the
    /// progress bar.
    pub async fn follow_job(&mut self, location: &str) -> Reply {
        for _ in 0..600 {
            let page = self.get(location).await;
            if !page.body.contains("id=\"job-progress\"") {
                return page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the job at {location} never finished");
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

    /// A page form's fields, url-encoded as a browser sends them.
    pub async fn post_fields(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.post_form(uri, &body.join("&")).await
    }

    pub async fn post_json(&mut self, uri: &str, json: &str) -> Reply {
        let body = json.as_bytes().to_vec();
        self.send(Method::POST, uri, Some("application/json"), body)
            .await
    }

    pub async fn post_multipart(&mut self, uri: &str, form: Multipart) -> Reply {
        let body = form.body();
        self.send(Method::POST, uri, Some(Multipart::CONTENT_TYPE), body)
            .await
    }

    /// A students file sent to the import page's preview (the CSRF token in the query, as
    /// the page's form sends it).
    pub async fn preview_import(&mut self, file_name: &str, file: &[u8]) -> Reply {
        self.preview_import_of("students", file_name, file).await
    }

    /// A file of the given import kind sent to the import page's preview.
    pub async fn preview_import_of(&mut self, kind: &str, file_name: &str, file: &[u8]) -> Reply {
        let form = Multipart::new()
            .text("kind", kind)
            .text("term", "2021-autumn")
            .file("file", file_name, "application/octet-stream", file);
        let uri = format!("/import/preview?_csrf={}", self.csrf);
        self.post_multipart(&uri, form).await
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
