//! The web platform in-process: login, lock-out, forced password change, CSRF, scope,
//! audit; and a walk of every route with every role (from the app's own route table).

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use emis_app::imports::{import_file, ImportKind};
use emis_app::{Actor, NoProgress};
use emis_domain::access::{Permission, Role};
use emis_domain::identity::IdNumber;
use http_body_util::BodyExt;
use tower::ServiceExt;

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

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    pub headers: axum::http::HeaderMap,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_lockout_and_forced_password_change() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    // Wrong password: the same message as an unknown name; five failures from the same
    // address lock the account there (the answer stays the same, see crate::auth).
    for attempt in 1..=5 {
        let r = c.login("xiaoxue", "wrong").await;
        assert_eq!(r.status, StatusCode::OK, "attempt {attempt}");
        assert!(r.body.contains("账号或密码错误"));
    }
    let r = c.login("xiaoxue", PASSWORD).await;
    assert!(
        r.status == StatusCode::OK && r.body.contains("账号或密码错误"),
        "even the right password is refused while locked"
    );
    assert!(audit_actions(&f)
        .await
        .iter()
        .any(|(_, action, key)| action == "lock" && key == "xiaoxue"));
    let r = c.login("nobody", "x").await;
    assert!(r.body.contains("账号或密码错误"));

    // A new account must change its one-time password before anything else.
    let created = emis_app::accounts::add_user(
        &f.t.db,
        "431224",
        "newbie",
        Role::Leader,
        "431224",
        None,
        &Actor::cli(),
    )
    .await
    .expect("user");
    let mut c = Client::new(&f.app);
    let r = c.login("newbie", &created.password).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/password")
    );
    assert_eq!(c.get("/students").await.location, "/password");
    let weak = c
        .post_form(
            "/password",
            &format!("old={}&new=short&confirm=short", created.password),
        )
        .await;
    assert!(
        weak.body.contains("新密码至少10位"),
        "a field error is shown next to the field"
    );
    let ok = c
        .post_form(
            "/password",
            &format!(
                "old={}&new=Xinmima2022&confirm=Xinmima2022",
                created.password
            ),
        )
        .await;
    assert_eq!(
        (ok.status, ok.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(c.get("/students").await.status, StatusCode::OK);

    // The session cookie carries the protective flags.
    let mut c = Client::new(&f.app);
    let page = c.get("/login").await;
    let token = hidden(&page.body, "_csrf");
    let r = c
        .post_form(
            "/login",
            &format!("username=admin&password={PASSWORD}&_csrf={token}"),
        )
        .await;
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("emis_sid="))
        .expect("session cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on the office network"
    );

    // Behind a TLS-terminating proxy the cookie is also Secure.
    let page = c.get("/login").await;
    let token = hidden(&page.body, "_csrf");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("emis_login_csrf={token}"))
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!(
            "username=admin&password={PASSWORD}&_csrf={token}"
        )))
        .expect("request");
    let response = f.app.clone().oneshot(request).await.expect("response");
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("emis_sid="))
        .expect("session cookie")
        .to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// The administrator creates a 班主任 account with its class in the browser; a class that
/// cannot be read is refused before any account exists; the class can be moved later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_binds_a_class_teacher_to_its_class_in_the_browser() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    c.login("admin", PASSWORD).await;
    // Percent-encoding every byte is valid form encoding and keeps the test free of a crate.
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let refused = c
        .post_form(
            "/admin/users",
            &format!(
                "username=wang&role=teacher&org={URBAN_PRIMARY}&class={}",
                enc("三班")
            ),
        )
        .await;
    assert!(
        refused.body.contains("班级“三班”无法识别"),
        "{}",
        refused.body
    );
    assert!(emis_storage::users::find(&f.t.db, "wang")
        .await
        .expect("find")
        .is_none());
    let wrong_role = c
        .post_form(
            "/admin/users",
            &format!(
                "username=wang&role=leader&org=431224&class={}",
                enc("三年级2班")
            ),
        )
        .await;
    assert!(wrong_role.body.contains("班级只用于班主任账号"));
    assert!(emis_storage::users::find(&f.t.db, "wang")
        .await
        .expect("find")
        .is_none());

    let created = c
        .post_form(
            "/admin/users",
            &format!(
                "username=wang&role=teacher&org={URBAN_PRIMARY}&class={}",
                enc("三年级2班")
            ),
        )
        .await;
    assert!(created.body.contains("已创建账号 wang"));
    let wang = emis_storage::users::find(&f.t.db, "wang")
        .await
        .expect("find")
        .expect("wang");
    assert_eq!(
        (wang.class_grade.as_deref(), wang.class_number),
        (Some("三年级"), Some(2))
    );

    let moved = c
        .post_form(
            "/admin/users/wang/class",
            &format!("class={}", enc("三年级1班")),
        )
        .await;
    assert!(
        moved.body.contains("已绑定班级 三年级1班"),
        "{}",
        moved.body
    );
    let wang = emis_storage::users::find(&f.t.db, "wang")
        .await
        .expect("find")
        .expect("wang");
    assert_eq!(wang.class_number, Some(1));
    assert!(
        moved.body.contains("value=\"三年级1班\""),
        "the list shows the class"
    );
    let actions = audit_actions(&f).await;
    assert!(actions.iter().any(|(_, a, k)| a == "create" && k == "wang"));
    assert!(actions
        .iter()
        .any(|(_, a, k)| a == "assign_class" && k == "wang"));
}

/// The year's indicators have their own page for county accounts, with the figures the
/// report computes; the home page only links to it, and a school account is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn annual_indicators_page_shows_the_computed_figures() {
    let f = fixture(sqlite().await).await;
    let set = emis_app::report::annual_indicators(&f.t.db, "431224", 2021)
        .await
        .expect("indicators");
    let enrolled = set
        .values
        .iter()
        .find(|(code, _)| *code == "students.enrolled")
        .map(|(_, v)| v.display())
        .expect("students.enrolled");
    let mut c = Client::new(&f.app);
    c.login("leader", PASSWORD).await;
    let home = c.get("/").await;
    assert!(home.body.contains("href=\"/reports/annual?year=2021\""));
    assert!(!home.body.contains("<code>students.enrolled</code>"));
    let page = c.get("/reports/annual?year=2021").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "<code>students.enrolled</code></td><td class=\"num\">{enrolled}</td>"
        )),
        "{}",
        page.body
    );
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    assert_eq!(
        school.get("/reports/annual").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!school.get("/").await.body.contains("/reports/annual"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_time_out_and_logout_ends_the_session() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    c.login("officer", PASSWORD).await;
    assert_eq!(c.get("/students").await.status, StatusCode::OK);
    emis_storage::testing::age_sessions(&f.t.db, emis_app::auth::IDLE_MINUTES + 1)
        .await
        .expect("age");
    let r = c.get("/students").await;
    assert_eq!(
        (r.status, r.location.starts_with("/login")),
        (StatusCode::SEE_OTHER, true),
        "an idle session has ended"
    );

    c.login("officer", PASSWORD).await;
    assert_eq!(c.get("/students").await.status, StatusCode::OK);
    let session = c
        .cookies
        .iter()
        .find(|(k, _)| k == "emis_sid")
        .cloned()
        .expect("session cookie");
    let out = c.post_form("/logout", "").await;
    assert_eq!(out.location, "/login");
    // The session is gone on the server, not only from the browser.
    c.cookies.push(session);
    assert_eq!(
        c.get("/students").await.status,
        StatusCode::SEE_OTHER,
        "logged out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_without_the_csrf_token_are_refused() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    c.login("xiaoxue", PASSWORD).await;
    let token = std::mem::take(&mut c.csrf);
    let uri = format!("/students/{}/status", f.own_student);
    let r = c.post_form(&uri, "status=休学&reason=病休").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post_form(&uri, "status=休学&reason=病休&_csrf=forged")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post_form(
            &uri,
            &format!("status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85%E4%BC%91&_csrf={token}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn school_user_sees_only_its_school_and_changes_are_audited() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    c.login("xiaoxue", PASSWORD).await;
    let list = c.get("/students").await;
    assert!(
        list.body.contains("共 12 条"),
        "only the 12 students of the school"
    );
    assert!(!list.body.contains("龙潭镇中学"));
    assert!(
        list.body.contains("**********"),
        "ID numbers are masked in lists"
    );
    let search = c.get("/students?q=%E8%88%92%E9%9B%A8").await;
    assert!(search.body.contains("舒雨涵") && search.body.contains("共 1 条"));
    assert_eq!(
        c.get(&format!("/students/{}", f.other_student))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/api/v1/students/{}", f.other_student))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/schools/{TOWN_JUNIOR}")).await.status,
        StatusCode::NOT_FOUND
    );

    // Status change with a reason: audited with before and after.
    let missing = c
        .post_form(
            &format!("/students/{}/status", f.own_student),
            "status=%E4%BC%91%E5%AD%A6&reason=",
        )
        .await;
    assert!(missing.body.contains("请填写变动原因"));
    let ok = c
        .post_form(
            &format!("/students/{}/status", f.own_student),
            "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85%E4%BC%91",
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let detail = c.get(&ok.location).await;
    assert!(detail.body.contains("学籍状态已变更"));
    let actions = audit_actions(&f).await;
    assert!(actions
        .iter()
        .any(|(actor, action, _)| actor == "xiaoxue" && action == "status_change"));

    // The full ID number: shown on request and the view is audited.
    let reveal = c
        .post_form(&format!("/students/{}/reveal", f.own_student), "")
        .await;
    assert_eq!(reveal.status, StatusCode::OK);
    assert!(
        !reveal.body.contains("**********2"),
        "the number is shown in full"
    );
    assert!(audit_actions(&f)
        .await
        .iter()
        .any(|(_, action, _)| action == "view_unmasked"));

    // Transfer to another township's school: then it is out of this school's scope.
    let moved = c
        .post_form(
            &format!("/students/{}/transfer", f.own_student),
            "school=2143000003&class=1&reason=x",
        )
        .await;
    assert!(
        moved.body.contains("不设"),
        "a senior high school has no grade three: {}",
        moved.status
    );
    let moved = c
        .post_form(
            &format!("/students/{}/transfer", f.own_student),
            &format!("school={TOWN_JUNIOR}&class=1&reason=x"),
        )
        .await;
    assert!(moved.body.contains("不设"));

    // The class teacher sees only the class.
    let mut t = Client::new(&f.app);
    t.login("banzhuren", PASSWORD).await;
    let list = t.get("/students").await;
    assert!(list.body.contains("共 6 条"), "三年级1班 has six students");
    assert_eq!(
        t.post_form(
            &format!("/students/{}/status", f.own_student),
            "status=%E5%9C%A8%E8%AF%BB&reason=x"
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_import_previews_bad_rows_then_imports() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    c.login("xiaoxue", PASSWORD).await;
    let mut rows: Vec<Vec<String>> = (200..203)
        .map(|n| student_row(URBAN_PRIMARY, n, "一年级", 1))
        .collect();
    rows[1][3] = "43122420140101001".into();
    rows.push(student_row(TOWN_JUNIOR, 300, "八年级", 2));
    let path = f.t.path("upload.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let file = std::fs::read(&path).expect("file");
    let boundary = "XBOUNDARYX";
    let mut body = Vec::new();
    for (name, value) in [("kind", "students"), ("term", "2021-autumn")] {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(&file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let csrf = c.csrf.clone();
    let preview = c
        .send(
            Method::POST,
            &format!("/import/preview?_csrf={csrf}"),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("身份证件号应为18位"),
        "the bad row's reason is shown"
    );
    assert!(
        preview.body.contains("不在您的管理范围内"),
        "another school's row is refused for a school user"
    );
    let before = emis_storage::registry::count(&f.t.db, "students", "431224")
        .await
        .expect("count");
    let upload = hidden(&preview.body, "upload");
    let done = c
        .post_form(
            "/import/confirm",
            &format!("upload={upload}&skip_invalid=1"),
        )
        .await;
    assert!(done.body.contains("导入完成"), "{}", done.body);
    let after = emis_storage::registry::count(&f.t.db, "students", "431224")
        .await
        .expect("count");
    assert_eq!(after, before + 2);

    // Export of the filtered list is an xlsx of the school's students only.
    let export = c
        .get("/students/export?grade=%E4%B8%80%E5%B9%B4%E7%BA%A7")
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .contains("spreadsheetml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_openapi_and_json_errors() {
    let f = fixture(sqlite().await).await;
    let mut anon = Client::new(&f.app);
    let r = anon.get("/api/v1/students").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let error: serde_json::Value = serde_json::from_str(&r.body).expect("json error");
    assert_eq!(error["code"], "unauthorized");
    assert!(error["message"].as_str().unwrap_or("").contains("登录"));

    let admin = emis_app::auth::login(&f.t.db, "admin", PASSWORD, "test")
        .await
        .expect("login")
        .account;
    let token = emis_app::auth::create_token(&f.t.db, &admin, "longtan", "测试", "test")
        .await
        .expect("token");
    let request = Request::builder()
        .uri("/api/v1/students")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = f.app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let page: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(
        page["total"], 6,
        "the township account sees its township's school only"
    );
    assert!(page["items"][0]["id_number"]
        .as_str()
        .unwrap_or("")
        .contains("*"));

    let spec: serde_json::Value =
        serde_json::from_str(&anon.get("/api/v1/openapi.json").await.body).expect("openapi");
    for route in emis_web::route_table()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1"))
    {
        assert!(
            spec["paths"][route.path][route.method.to_ascii_lowercase()].is_object(),
            "{} {} is documented",
            route.method,
            route.path
        );
    }
}

/// The body a route gets in the walk (valid, so the scope check is what decides).
fn walk_body(path: &str) -> (Option<&'static str>, String) {
    let form = Some("application/x-www-form-urlencoded");
    match path {
        p if p.ends_with("/status") && p.starts_with("/api") => (
            Some("application/json"),
            r#"{"status":"休学","reason":"走访核实"}"#.into(),
        ),
        p if p.ends_with("/transfer") && p.starts_with("/api") => (
            Some("application/json"),
            format!(r#"{{"school":"{URBAN_PRIMARY}","class":"3","reason":"随父母迁居"}}"#),
        ),
        p if p.starts_with("/api/v1/dropout/cases/") => (
            Some("application/json"),
            r#"{"action":"visit","date":"2021-09-20","kind":"走访","note":"入户走访"}"#.into(),
        ),
        p if p.starts_with("/api/v1/dropout/home-teaching/") => (
            Some("application/json"),
            r#"{"date":"2021-10-08","hours":"2","teacher":"教师甲","content":"生活适应"}"#.into(),
        ),
        "/api/v1/dropout/home-teaching" => (
            Some("application/json"),
            r#"{"id_number":"x","term":"2021-autumn","teachers":"教师甲","plan":"送教"}"#.into(),
        ),
        p if p.ends_with("/status") => (form, "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85".into()),
        p if p.ends_with("/transfer") => (form, format!("school={URBAN_PRIMARY}&class=3&reason=x")),
        "/admin/users" => (form, "username=walker&role=leader&org=431224".into()),
        p if p.ends_with("/class") => (form, "class=%E4%B8%89%E5%B9%B4%E7%BA%A71%E7%8F%AD".into()),
        "/login" => (form, "username=x&password=y&_csrf=z".into()),
        "/password" => (form, "old=wrong&new=Abcdefg123&confirm=Abcdefg123".into()),
        "/import/confirm" => (form, "upload=students.2021-autumn.ab.xlsx".into()),
        _ => (form, "label=x".into()),
    }
}

/// Every route of the route table, with every role and without login: the declared
/// access is enforced, and records outside the account's scope answer 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_with_every_role() {
    let routes = emis_web::route_table();
    let mut checked = 0;
    for who in std::iter::once(None).chain(ROLES.iter().map(Some)) {
        // A fresh county per role: posts change records.
        let f = fixture(sqlite().await).await;
        let mut c = Client::new(&f.app);
        if let Some((name, _, _)) = who {
            assert_eq!(c.login(name, PASSWORD).await.status, StatusCode::SEE_OTHER);
        }
        let mut ordered = routes.clone();
        // Removals run after every other route of their record, logout last.
        ordered.sort_by_key(|r| (r.path == "/logout", r.path.ends_with("/remove")));
        for route in &ordered {
            let duty = match (
                route.path.ends_with("/remove"),
                route.path.starts_with("/api"),
            ) {
                (false, _) => f.duty[0],
                (true, false) => f.duty[1],
                (true, true) => f.duty[2],
            };
            // Each {param} is tried with a record outside every narrow scope; {id} also inside.
            let mut targets = vec![(
                route
                    .path
                    .replace("{id}", &f.other_student.to_string())
                    .replace("{case}", &f.other_case.to_string())
                    .replace("{plan}", &f.other_plan.to_string())
                    .replace("{attachment}", &f.other_attachment.to_string())
                    .replace("{code}", TOWN_JUNIOR)
                    .replace("{name}", "leader")
                    .replace("{file}", "app.css")
                    .replace("{hazard}", &f.other_hazard.to_string())
                    .replace("{evidence}", &f.other_evidence.to_string())
                    .replace("{ten_file}", &f.other_ten_file.to_string())
                    .replace("{water}", &f.other_water.to_string())
                    .replace("{link}", &duty.other_link.to_string())
                    .replace("{shift}", &duty.other_shift.to_string())
                    .replace("{inspection}", &duty.other_inspection.to_string()),
                true,
            )];
            let own_keys = [
                "{id}",
                "{hazard}",
                "{evidence}",
                "{ten_file}",
                "{water}",
                "{link}",
                "{shift}",
                "{inspection}",
            ];
            if own_keys.iter().any(|k| route.path.contains(k)) {
                targets.push((
                    route
                        .path
                        .replace("{id}", &f.own_student.to_string())
                        .replace("{hazard}", &f.own_hazard.to_string())
                        .replace("{evidence}", &f.own_evidence.to_string())
                        .replace("{ten_file}", &f.own_ten_file.to_string())
                        .replace("{water}", &f.own_water.to_string())
                        .replace("{link}", &duty.own_link.to_string())
                        .replace("{shift}", &duty.own_shift.to_string())
                        .replace("{inspection}", &duty.own_inspection.to_string()),
                    false,
                ));
            }
            for (uri, outside_school) in targets {
                let reply = if route.method == "GET" {
                    c.get(&uri).await
                } else {
                    let (ct, body) = walk_body(route.path);
                    c.send(Method::POST, &uri, ct, body.into_bytes()).await
                };
                let status = reply.status;
                let label = format!("{:?} {} {uri}", who.map(|w| w.0), route.method);
                assert_ne!(
                    status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{label}: {}",
                    reply.body
                );
                match (route.access, who) {
                    (emis_web::Access::Public, _) => assert!(
                        status.is_success()
                            || status.is_redirection()
                            || status == StatusCode::UNPROCESSABLE_ENTITY,
                        "{label}: {status}"
                    ),
                    (_, None) if route.path.starts_with("/api") => {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}")
                    }
                    (_, None) => assert!(
                        status == StatusCode::SEE_OTHER && reply.location.starts_with("/login"),
                        "{label}: {status}"
                    ),
                    // The gate's answer is the permission table's: refused exactly where
                    // `Role::permits` says no.
                    (emis_web::Access::Permission(p), Some((_, role, _))) if !role.permits(p) => {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{label}: {}", p.label())
                    }
                    (_, Some((_, role, _))) => {
                        let narrow = matches!(
                            role,
                            Role::Township | Role::SchoolAdmin | Role::ClassTeacher
                        );
                        let keyed = [
                            "{id}",
                            "{code}",
                            "{hazard}",
                            "{evidence}",
                            "{ten_file}",
                            "{water}",
                            "{case}",
                            "{plan}",
                            "{link}",
                            "{shift}",
                            "{inspection}",
                        ]
                        .iter()
                        .any(|k| route.path.contains(k));
                        if narrow && keyed && outside_school && *role != Role::Township {
                            assert_eq!(status, StatusCode::NOT_FOUND, "{label}: outside the scope");
                        } else if *role == Role::Township && keyed && !outside_school {
                            assert_eq!(
                                status,
                                StatusCode::NOT_FOUND,
                                "{label}: the urban school is outside 龙潭镇"
                            );
                        } else {
                            assert!(
                                status != StatusCode::UNAUTHORIZED
                                    && status != StatusCode::NOT_FOUND
                                    || route.path.contains("/api/v1/reports"),
                                "{label}: {status} {}",
                                reply.body.chars().take(200).collect::<String>()
                            );
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 7 * routes.len(), "walked {checked} requests");
}

/// The permission table and the route table agree: every permission guards at least one
/// route (none is dead), every route is public, signed-in or names one permission, and the
/// gate admits a role exactly when `Role::permits` does.
#[test]
fn every_permission_guards_a_route() {
    let routes = emis_web::route_table();
    for permission in Permission::ALL {
        assert!(
            routes
                .iter()
                .any(|r| r.access == emis_web::Access::Permission(*permission)),
            "{permission:?}（{}）guards no route",
            permission.label()
        );
    }
    for route in &routes {
        for (_, role, _) in ROLES {
            let expected = match route.access {
                emis_web::Access::Public | emis_web::Access::SignedIn => true,
                emis_web::Access::Permission(p) => role.permits(p),
            };
            assert_eq!(
                route.access.admits(role),
                expected,
                "{} {} for {}",
                route.method,
                route.path,
                role.label()
            );
        }
    }
}

/// A body that is not the JSON asked for gets the API's own answer, `{code, message}` in
/// Chinese: 400 when it cannot be read as JSON, 422 when it is JSON of the wrong shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_bad_json_bodies_answer_code_and_message() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    assert_eq!(
        c.login("officer", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let status_uri = format!("/api/v1/students/{}/status", f.own_student);
    let cases: [(&str, Option<&str>, &[u8], StatusCode); 5] = [
        (
            &status_uri,
            Some("application/json"),
            b"{not json",
            StatusCode::BAD_REQUEST,
        ),
        (&status_uri, None, b"", StatusCode::BAD_REQUEST),
        (
            &status_uri,
            Some("application/json"),
            br#"{"status": 3}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/safety/patrols",
            Some("application/x-www-form-urlencoded"),
            b"label=x",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/aid/policies/copy",
            Some("application/json"),
            br#"{"from": "last"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (uri, content_type, body, expected) in cases {
        let reply = c.send(Method::POST, uri, content_type, body.to_vec()).await;
        let label = format!("{uri} {}", String::from_utf8_lossy(body));
        assert_eq!(reply.status, expected, "{label}: {}", reply.body);
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("a JSON answer");
        assert_eq!(json["code"], "bad_request", "{label}");
        assert!(
            json["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("请求内容不是有效的 JSON："),
            "{label}: {}",
            json["message"]
        );
    }
}

/// A multipart body of the import page: kind, term and one file.
fn import_body(boundary: &str, file_name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("kind", "students"), ("term", "2021-autumn")] {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// Uploads larger than the framework's 2 MB default are taken up to the upload limit (a
/// setting); past it, and past the form limit, the answer is Chinese and names the limits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_taken_up_to_the_limit_and_refused_in_chinese_past_it() {
    let f = fixture(sqlite().await).await;
    // A 3 MB roll: 300 rows, each with an 11,000-character remark the import ignores.
    let mut csv = format!("{},备注\n", STUDENT_HEADERS.join(","));
    for n in 0..300 {
        let row = student_row(URBAN_PRIMARY, 400 + n, "一年级", 1);
        csv.push_str(&format!("{},{}\n", row.join(","), "x".repeat(11_000)));
    }
    assert!(csv.len() > 3 << 20);
    let boundary = "XBOUNDARYX";
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let mut c = Client::new(&f.app);
    c.login("xiaoxue", PASSWORD).await;
    let csrf = c.csrf.clone();
    let preview = c
        .send(
            Method::POST,
            &format!("/import/preview?_csrf={csrf}"),
            Some(&content_type),
            import_body(boundary, "roll.csv", csv.as_bytes()),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("共300行"), "{}", preview.body);

    // The same server with a 1 MB limit refuses the upload, in Chinese, with the limits.
    let small = emis_web::app(emis_web::AppState {
        upload_limit: 1 << 20,
        ..emis_web::AppState::new(f.t.db.clone(), "431224".into())
    });
    let mut c = Client::new(&small);
    c.login("xiaoxue", PASSWORD).await;
    let csrf = c.csrf.clone();
    let refused = c
        .send(
            Method::POST,
            &format!("/import/preview?_csrf={csrf}"),
            Some(&content_type),
            import_body(boundary, "roll.csv", csv.as_bytes()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.body.contains("上传的文件不能超过 1 MB"),
        "{}",
        refused.body
    );
    // A JSON body past the form limit: `{code, message}` in Chinese, not plain text.
    let api = c
        .send(
            Method::POST,
            "/api/v1/safety/hazards",
            Some("application/json"),
            format!("{{\"place\":\"{}\"}}", "x".repeat(3 << 20)).into_bytes(),
        )
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", api.body);
    assert!(api.body.contains("\"message\"") && api.body.contains("不能超过 2 MB"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_has_our_request_id_and_a_500_shows_only_it() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    assert_eq!(
        c.login("xiaoxue", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let request_id = |r: &Reply| {
        r.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let first = c.get("/schools").await;
    let second = c.get("/health").await;
    let (a, b) = (request_id(&first), request_id(&second));
    assert!(!a.is_empty() && !b.is_empty() && a != b, "{a} / {b}");
    for header in [
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
    ] {
        assert!(first.headers.contains_key(header), "{header}");
    }
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-store");

    // A database fault: the page names no cause, only the request id as a reference.
    f.t.db.close().await;
    let broken = c.get("/schools").await;
    assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
    let reference = request_id(&broken);
    assert!(
        broken.body.contains(&format!("参考编号 {reference}")),
        "{}",
        broken.body
    );
    assert!(
        !broken.body.to_lowercase().contains("pool"),
        "{}",
        broken.body
    );
}
