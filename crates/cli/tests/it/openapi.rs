//! The OpenAPI document against the API itself: every API route documents the schema of its
//! 200 reply (read off the handler's type by `Table::api`), and what the routes answer on
//! the web fixture validates against the documented schema, closed: a field the schema
//! does not name fails as much as a missing or mistyped one.

use crate::support::*;
use crate::web::{fixture, Client, Fixture, Reply};
use axum::http::{header, Method, StatusCode};
use emis_web::{Reply as Documented, RouteSpec};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const OPENAPI: &str = "/api/v1/openapi.json";

/// GET routes the fixture does not call, each with the reason. Empty: every GET route of
/// the API is called; a route added here must say why the fixture cannot give it a 200.
const NOT_CALLED: &[(&str, &str)] = &[];

fn api_routes() -> Vec<RouteSpec> {
    emis_web::route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1") && r.path != OPENAPI)
        .collect()
}

async fn document(app: &axum::Router) -> Value {
    let reply = Client::new(app).get(OPENAPI).await;
    assert_eq!(reply.status, StatusCode::OK);
    serde_json::from_str(&reply.body).expect("openapi json")
}

/// Every `$ref` in a value.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => out.push(target),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// Each API route has its reply documented (a JSON schema, or a file), each JSON body
/// route its body; every reference resolves; no two types share a name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_documents_its_reply() {
    let t = sqlite().await;
    let app = emis_web::app(emis_web::AppState::new(t.db.clone(), "431224".into()));
    let spec = document(&app).await;
    assert_eq!(spec["openapi"], "3.1.0");
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    for route in api_routes() {
        let label = format!("{} {}", route.method, route.path);
        let operation = &spec["paths"][route.path][route.method.to_ascii_lowercase()];
        let ok = &operation["responses"]["200"]["content"];
        match route.reply {
            Some(Documented::Json(_)) => assert!(
                ok["application/json"]["schema"].is_object(),
                "{label}: the 200 reply has a schema"
            ),
            Some(Documented::File) => assert!(ok.is_object(), "{label}: a file reply"),
            None => panic!(
                "{label} documents no reply: register API routes with Table::api and return Json<T> of a JsonSchema type"
            ),
        }
        if route.body.is_some() {
            assert!(
                operation["requestBody"]["content"]["application/json"]["schema"].is_object(),
                "{label}: the JSON body has a schema"
            );
        }
        if route.upload {
            assert!(
                operation["requestBody"]["content"]["multipart/form-data"].is_object(),
                "{label}: an upload"
            );
        }
        for code in ["401", "403", "404"] {
            assert_eq!(
                operation["responses"][code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{label} {code}"
            );
        }
    }
    let mut targets = Vec::new();
    refs(&spec, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target} points into components/schemas"));
        assert!(schemas.contains_key(name), "{target} resolves");
    }
    for name in schemas.keys() {
        // The generator tells two types of one name apart by a number: rename one.
        assert!(
            !name.ends_with(|c: char| c.is_ascii_digit()),
            "schema {name}: two types share a name"
        );
    }
}

/// Closes every object schema that names its properties: a field it does not name fails.
fn close(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("properties")
                && !map.contains_key("additionalProperties")
                && !map.contains_key("unevaluatedProperties")
            {
                map.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close);
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

/// Validates replies against the document and keeps count of the routes checked.
struct Checker {
    spec: Value,
    schemas: Value,
    checked: BTreeSet<(&'static str, &'static str)>,
}

impl Checker {
    fn new(spec: Value) -> Checker {
        let mut schemas = spec["components"]["schemas"].clone();
        close(&mut schemas);
        Checker {
            spec,
            schemas,
            checked: BTreeSet::new(),
        }
    }

    /// The reply is a 200 whose body the route's documented schema admits; its JSON.
    fn check(&mut self, route: &RouteSpec, uri: &str, reply: &Reply) -> Value {
        let label = format!("{} {uri}", route.method);
        assert_eq!(reply.status, StatusCode::OK, "{label}: {}", reply.body);
        self.checked.insert((route.method, route.path));
        let ok = &self.spec["paths"][route.path][route.method.to_ascii_lowercase()]["responses"]
            ["200"]["content"];
        if let Some(Documented::File) = route.reply {
            let media = reply
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(!media.contains("json"), "{label}: a file, not JSON");
            return Value::Null;
        }
        let body: Value = serde_json::from_str(&reply.body)
            .unwrap_or_else(|e| panic!("{label}: JSON reply ({e}): {}", reply.body));
        let errors = self.errors(route, &body);
        assert!(
            errors.is_empty(),
            "{label}: the reply matches its schema {}:\n{}\nreply: {}",
            ok["application/json"]["schema"],
            errors.join("\n"),
            reply.body
        );
        body
    }

    /// Where `body` departs from the route's documented 200 schema.
    fn errors(&self, route: &RouteSpec, body: &Value) -> Vec<String> {
        let label = format!("{} {}", route.method, route.path);
        let schema = &self.spec["paths"][route.path][route.method.to_ascii_lowercase()]
            ["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{label}: documented");
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": {"schemas": self.schemas},
            "allOf": [schema],
        });
        let validator = jsonschema::draft202012::new(&root)
            .unwrap_or_else(|e| panic!("{label}: the schema compiles: {e}"));
        validator
            .iter_errors(body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }
}

fn route(method: &str, path: &str) -> RouteSpec {
    emis_web::route_table()
        .into_iter()
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("{method} {path} is a route"))
}

async fn post_json(
    checker: &mut Checker,
    c: &mut Client,
    path: &'static str,
    uri: &str,
    body: Value,
) -> Value {
    let reply = c
        .send(
            Method::POST,
            uri,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await;
    checker.check(&route("POST", path), uri, &reply)
}

fn id(v: &Value, field: &str) -> i64 {
    v[field]
        .as_i64()
        .unwrap_or_else(|| panic!("{field} in {v}"))
}

/// The writes of each module, through the API, checked against their documented replies;
/// they also give the reads below records to show.
async fn post_samples(f: &Fixture, checker: &mut Checker, officer: &mut Client) -> Ids {
    // 学籍: a status change, a transfer to another primary school and its refusal.
    crate::scope::add_town_primary(&f.t).await;
    let students = officer
        .get(&format!(
            "/api/v1/students?school={URBAN_PRIMARY}&per_page=100"
        ))
        .await;
    let students: Value = serde_json::from_str(&students.body).expect("students");
    let pupil = students["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| id(s, "id"))
        .find(|s| *s != f.own_student)
        .expect("another pupil");
    post_json(
        checker,
        officer,
        "/api/v1/students/{id}/status",
        &format!("/api/v1/students/{pupil}/status"),
        json!({"status": "休学", "reason": "走访核实"}),
    )
    .await;
    let started = post_json(
        checker,
        officer,
        "/api/v1/students/{id}/transfer",
        &format!("/api/v1/students/{}/transfer", f.own_student),
        json!({"school": crate::scope::TOWN_PRIMARY, "class": "1", "reason": "随父母迁居"}),
    )
    .await;
    let transfer = id(&started, "transfer");
    post_json(
        checker,
        officer,
        "/api/v1/students/transfers/{transfer}/decline",
        &format!("/api/v1/students/transfers/{transfer}/decline"),
        json!({"reason": "学位已满"}),
    )
    .await;

    // 安全: a hazard and its rectification assigned, a photo, a 九长 link, a shift, 十有,
    // a campaign.
    let hazard = post_json(
        checker,
        officer,
        "/api/v1/safety/hazards",
        "/api/v1/safety/hazards",
        json!({"school": URBAN_PRIMARY, "place": "教学楼", "category": "消防", "grade": "一般",
            "description": "疏散指示灯损坏", "found_on": "2021-09-12"}),
    )
    .await;
    let hazard = id(&hazard["hazard"], "id");
    post_json(
        checker,
        officer,
        "/api/v1/safety/hazards/{hazard}/assign",
        &format!("/api/v1/safety/hazards/{hazard}/assign"),
        json!({"responsible": "向校长", "measures": "更换指示灯", "deadline": "2021-10-12", "budget": "300"}),
    )
    .await;
    let boundary = "B0undary";
    let mut photo = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"stage\"\r\n\r\n发现\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"site.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
    photo.extend_from_slice(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    photo.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let uri = format!("/api/v1/safety/hazards/{hazard}/evidence");
    let reply = officer
        .send(
            Method::POST,
            &uri,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            photo,
        )
        .await;
    checker.check(
        &route("POST", "/api/v1/safety/hazards/{hazard}/evidence"),
        &uri,
        &reply,
    );
    post_json(
        checker,
        officer,
        "/api/v1/safety/chain",
        "/api/v1/safety/chain",
        json!({"level": "村", "township": "431224104", "village": "桐木村", "role": "村长",
            "person": "舒村长", "phone": "13907450001"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/safety/waters/{water}/roster",
        &format!("/api/v1/safety/waters/{}/roster", f.own_water),
        json!({"patroller": "向老师", "phone": "13807451234", "slot": "中午",
            "from_day": "2021-07-01", "to_day": "2021-08-31"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/safety/ten-haves",
        "/api/v1/safety/ten-haves",
        json!({"year": 2021, "org": "431224104", "item": "巡查机制", "done": true, "evidence": "龙潭镇巡查制度"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/safety/campaigns",
        "/api/v1/safety/campaigns",
        json!({"title": "防溺水专项行动", "planned_on": "2021-06-01", "checklist": ["警示标牌", "救生设施"]}),
    )
    .await;

    // 控辍保学: a visit on a case, a home-teaching visit.
    post_json(
        checker,
        officer,
        "/api/v1/dropout/cases/{case}",
        &format!("/api/v1/dropout/cases/{}", f.other_case),
        json!({"action": "visit", "date": "2021-09-20", "kind": "走访", "note": "入户走访"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/dropout/home-teaching/{plan}/visits",
        &format!("/api/v1/dropout/home-teaching/{}/visits", f.other_plan),
        json!({"date": "2021-10-08", "hours": "2", "teacher": "教师甲", "content": "生活适应"}),
    )
    .await;

    // 学生资助: a policy saved and the catalog copied; a school's proposal, checked and
    // approved, makes a batch.
    let mut form = serde_json::to_value(emis_domain::aid::PolicyForm::of(
        &emis_domain::aid::catalog_2021()[2],
    ))
    .expect("form");
    form["year"] = 2021.into();
    form["rule_mode"] = "json".into();
    form["who"] = "{\"not\":\"boarding\"}".into();
    post_json(
        checker,
        officer,
        "/api/v1/aid/policies",
        "/api/v1/aid/policies",
        form,
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/aid/policies/copy",
        "/api/v1/aid/policies/copy",
        json!({"from": 2021, "to": 2022}),
    )
    .await;
    let proposal = post_json(
        checker,
        officer,
        "/api/v1/aid/proposals",
        "/api/v1/aid/proposals",
        json!({"school": URBAN_PRIMARY, "term": "2021-autumn"}),
    )
    .await;
    for _ in 0..2 {
        post_json(
            checker,
            officer,
            "/api/v1/aid/decisions",
            "/api/v1/aid/decisions",
            json!({"proposal": id(&proposal, "id"), "pass": true}),
        )
        .await;
    }
    let batches: Value =
        serde_json::from_str(&officer.get("/api/v1/aid/batches").await.body).expect("batches");
    let batch = id(&batches["batches"][0], "id");

    // 招生: a zone, a plan and applicants, two runs (the second with a class more), balanced
    // classes of the first, the second published.
    enrollment_inputs(f).await;
    let first = post_json(
        checker,
        officer,
        "/api/v1/enrollment/runs",
        "/api/v1/enrollment/runs",
        json!({"name": "基础方案", "grade": "一年级", "year": 2021}),
    )
    .await;
    let second = post_json(
        checker,
        officer,
        "/api/v1/enrollment/runs",
        "/api/v1/enrollment/runs",
        json!({"name": "增一班", "grade": "一年级", "year": 2021,
            "changes": [{"AddClasses": {"school_code": URBAN_PRIMARY, "grade": "G1", "n": 1}}]}),
    )
    .await;
    let (run, other_run) = (id(&first, "id"), id(&second, "id"));
    post_json(
        checker,
        officer,
        "/api/v1/enrollment/runs/{run}/classes",
        &format!("/api/v1/enrollment/runs/{run}/classes"),
        json!({"school": URBAN_PRIMARY, "seed": 7}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/enrollment/runs/{run}/publish",
        &format!("/api/v1/enrollment/runs/{other_run}/publish"),
        json!({}),
    )
    .await;
    // 双减: a status change and a school's after-school record.
    post_json(
        checker,
        officer,
        "/api/v1/double-reduction/institutions/{institution}/status",
        &format!(
            "/api/v1/double-reduction/institutions/{}/status",
            f.other_institution
        ),
        json!({"status": "停业整顿", "happened_on": "2021-09-01", "document": "溆教发〔2021〕9号"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/double-reduction/after-school",
        "/api/v1/double-reduction/after-school",
        json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "offered": "是", "days_a_week": "5",
            "minutes_a_day": "120", "students": "10"}),
    )
    .await;
    // 数据采集: the school's draft of its task.
    post_json(
        checker,
        officer,
        "/api/v1/forms/tasks/{task}",
        &format!("/api/v1/forms/tasks/{}", f.forms.own_task),
        json!({"answers": {"vaccinated": "0"}, "submit": false}),
    )
    .await;
    // 教师队伍: a proposal and the bureau's sending it back.
    let award = post_json(
        checker,
        officer,
        "/api/v1/teachers/awards",
        "/api/v1/teachers/awards",
        json!({"staff": f.teachers.own_staff.to_string(), "title": "最美乡村教师",
            "amount": "2000", "merits": "扎根乡村"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/teachers/awards/{award}/decision",
        &format!("/api/v1/teachers/awards/{}/decision", id(&award, "id")),
        json!({"decision": "退回", "reason": "事迹不具体"}),
    )
    .await;

    // 建设项目: a year's money and the progress of the urban school's project.
    post_json(
        checker,
        officer,
        "/api/v1/projects/{project}/investments",
        &format!("/api/v1/projects/{}/investments", f.own_project),
        json!({"year": "2021", "amount": "800", "source": "县本级"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/projects/{project}/progress",
        &format!("/api/v1/projects/{}/progress", f.own_project),
        json!({"progress": "60"}),
    )
    .await;

    // 荣誉与竞赛: a school's title.
    post_json(
        checker,
        officer,
        "/api/v1/honours",
        "/api/v1/honours",
        json!({"subject_kind": "学校", "subject": URBAN_PRIMARY, "title": "书香校园",
            "kind": "荣誉称号", "level": "市级", "granted_by": "怀化市教育局",
            "granted_on": "2021-06-01"}),
    )
    .await;

    // 公文登记: a document (its file goes through the page).
    post_json(
        checker,
        officer,
        "/api/v1/documents",
        "/api/v1/documents",
        json!({"number": "溆教发（2021）46号", "title": "溆浦县中小学生课后服务方案",
            "issued_on": "2021-08-26", "office": "基础教育股", "category": "方案"}),
    )
    .await;
    // 安全事故: an incident of the urban school and a step of the fixture's.
    post_json(
        checker,
        officer,
        "/api/v1/incidents",
        "/api/v1/incidents",
        json!({"school": URBAN_PRIMARY, "happened_on": "2021-10-16", "category": "交通",
            "in_school": "否", "deaths": "0", "injuries": "1", "account": "周末骑车擦伤"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/incidents/{incident}/steps",
        &format!("/api/v1/incidents/{}/steps", f.own_incident),
        json!({"kind": "报告", "happened_on": "2021-10-18", "note": "报告县教育局安全股"}),
    )
    .await;
    // 职业教育: the vocational school's five-year programme and its 2021 intake.
    crate::vocational::add_vocational_school(&f.t).await;
    let programme = post_json(
        checker,
        officer,
        "/api/v1/vocational/programmes",
        "/api/v1/vocational/programmes",
        json!({"school": crate::vocational::VOCATIONAL, "name": "电子商务", "schooling": "五年制大专",
            "partner": "湖南商贸职业技术学院", "agreement": "五年制大专人才培养合作协议书",
            "signed_on": "2021-05-28", "years": "5"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/vocational/intakes",
        "/api/v1/vocational/intakes",
        json!({"programme": id(&programme, "id").to_string(), "year": "2021", "students": "38"}),
    )
    .await;
    // 督导评估: a visit, an inspector's score, the year computed and published.
    post_json(
        checker,
        officer,
        "/api/v1/supervision/visits",
        "/api/v1/supervision/visits",
        json!({"title": "责任督学挂牌督导", "planned_on": "2021-10-12"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/supervision/assessment/scores",
        "/api/v1/supervision/assessment/scores",
        json!({"year": "2021", "school": URBAN_PRIMARY, "scores": {"教育教学质量": "18"}}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/supervision/assessment/compute",
        "/api/v1/supervision/assessment/compute",
        json!({"year": 2021}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/supervision/assessment/publish",
        "/api/v1/supervision/assessment/publish",
        json!({"year": 2021}),
    )
    .await;
    // 党建: a stage for a new person and a meeting of the school's branch.
    post_json(
        checker,
        officer,
        "/api/v1/party/branches/{branch}/stages",
        &format!("/api/v1/party/branches/{}/stages", f.own_branch),
        json!({"name": "王五", "id_number": crate::party::person(31), "stage": "入党申请人",
            "reached_on": "2021-03-01"}),
    )
    .await;
    post_json(
        checker,
        officer,
        "/api/v1/party/branches/{branch}/meetings",
        &format!("/api/v1/party/branches/{}/meetings", f.own_branch),
        json!({"held_on": "2021-07-01", "kind": "主题党日", "topic": "重温入党誓词",
            "expected": "12", "attended": "11"}),
    )
    .await;

    Ids {
        transfer,
        batch,
        run,
        other_run,
    }
}

/// Zones, a plan of one class and twelve applicants of the urban primary school's zone.
async fn enrollment_inputs(f: &Fixture) {
    use crate::enrollment::{applicant_rows, import_applicants, import_zones, s};
    use emis_domain::registry::Grade;
    let zones = [s(&[URBAN_PRIMARY, "一年级", "C01", "城东社区", "卢峰镇"])];
    let r = import_zones(&f.t, "zones.xlsx", &zones).await;
    assert!(r.committed, "{:?}", r.problems);
    let me = crate::enrollment::officer();
    emis_app::enrollment::set_plan(&f.t.db, &me, 2021, Grade::G1, URBAN_PRIMARY, 1, "test")
        .await
        .expect("plan");
    let applicants = applicant_rows(1, 12, "C01");
    let r = import_applicants(&f.t, "applicants.xlsx", &applicants).await;
    assert!(r.committed, "{:?}", r.problems);
}

/// Records the writes made, for the reads' path parameters.
struct Ids {
    transfer: i64,
    batch: i64,
    run: i64,
    other_run: i64,
}

/// A route's path with its parameters filled from the fixture and the records the writes
/// made, and the query a read needs to show something.
fn concrete(f: &Fixture, ids: &Ids, path: &str) -> String {
    let duty = f.duty[0];
    let uri = path
        .replace("{code}", URBAN_PRIMARY)
        .replace("{id}", &f.own_student.to_string())
        .replace("{hazard}", &f.own_hazard.to_string())
        .replace("{water}", &f.own_water.to_string())
        .replace("{ten_file}", &f.own_ten_file.to_string())
        .replace("{inspection}", &duty.own_inspection.to_string())
        .replace("{link}", &duty.own_link.to_string())
        .replace("{shift}", &duty.own_shift.to_string())
        .replace("{case}", &f.other_case.to_string())
        .replace("{plan}", &f.other_plan.to_string())
        .replace("{transfer}", &ids.transfer.to_string())
        .replace("{batch}", &ids.batch.to_string())
        .replace("{run}", &ids.run.to_string())
        .replace("{staff}", &f.teachers.own_staff.to_string())
        .replace("{institution}", &f.own_institution.to_string())
        .replace("{task}", &f.forms.own_task.to_string())
        .replace("{project}", &f.own_project.to_string())
        .replace("{document}", &f.document.to_string())
        .replace("{incident}", &f.own_incident.to_string())
        .replace("{assignment}", &f.forms.assignment.to_string())
        .replace("{branch}", &f.own_branch.to_string())
        .replace("{person}", &f.own_person.to_string());
    assert!(
        !uri.contains('{'),
        "{path}: a parameter the test does not fill"
    );
    match path {
        "/api/v1/students/transfers" => format!("{uri}?all=1"),
        "/api/v1/enrollment/compare" => format!("{uri}?a={}&b={}", ids.run, ids.other_run),
        _ => uri,
    }
}

/// Every GET route of the API on the web fixture, and a write of each module, as an
/// account that may call it: each 200 reply validates against the route's documented schema.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_replies_match_their_schemas() {
    let f = fixture(sqlite().await).await;
    let mut checker = Checker::new(document(&f.app).await);
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let mut admin = Client::signed_in(&f.app, "admin").await;
    // 怀化市's office: the region's roll-up is its alone.
    let mut region = Client::signed_in(&f.app, "huaihua").await;
    // The check itself: a field the schema does not name, or one missing, is refused.
    let version = route("GET", "/api/v1/version");
    assert!(checker
        .errors(&version, &json!({"name": "county-emis", "version": "1"}))
        .is_empty());
    assert!(!checker
        .errors(
            &version,
            &json!({"name": "county-emis", "version": "1", "extra": 1})
        )
        .is_empty());
    assert!(!checker
        .errors(&version, &json!({"name": "county-emis"}))
        .is_empty());
    let hazard = route("GET", "/api/v1/safety/hazards/{hazard}");
    assert!(!checker
        .errors(
            &hazard,
            &json!({"hazard": {"id": 1}, "overdue": false, "evidence": []})
        )
        .is_empty());

    let ids = post_samples(&f, &mut checker, &mut officer).await;

    let skipped: BTreeSet<&str> = NOT_CALLED.iter().map(|(path, _)| *path).collect();
    let routes = api_routes();
    for route in routes.iter().filter(|r| r.method == "GET") {
        if skipped.contains(route.path) {
            continue;
        }
        let uri = concrete(&f, &ids, route.path);
        let c = if route.access.admits(emis_domain::access::Role::Officer) {
            &mut officer
        } else if route.access.admits(emis_domain::access::Role::Admin) {
            &mut admin
        } else {
            assert!(
                route.access.admits(emis_domain::access::Role::Region),
                "{}: a fixture account may call it",
                route.path
            );
            &mut region
        };
        let reply = c.get(&uri).await;
        checker.check(route, &uri, &reply);
    }

    // Every GET route was checked or is listed with its reason (and only those).
    for (path, reason) in NOT_CALLED {
        assert!(!reason.is_empty());
        assert!(
            routes.iter().any(|r| r.method == "GET" && r.path == *path),
            "{path} is a GET route"
        );
    }
    for route in routes.iter().filter(|r| r.method == "GET") {
        assert!(
            checker.checked.contains(&("GET", route.path)) != skipped.contains(route.path),
            "GET {} is checked, or listed in NOT_CALLED with the reason",
            route.path
        );
    }
    // At least one write of each module.
    let module = |path: &str| path.split('/').nth(3).unwrap_or("").to_string();
    let written: BTreeSet<String> = checker
        .checked
        .iter()
        .filter(|(method, _)| *method == "POST")
        .map(|(_, path)| module(path))
        .collect();
    for wanted in [
        "students",
        "safety",
        "dropout",
        "aid",
        "enrollment",
        "teachers",
        "double-reduction",
        "forms",
        "projects",
        "honours",
        "supervision",
        "documents",
        "incidents",
        "vocational",
        "party",
    ] {
        assert!(written.contains(wanted), "a {wanted} write is checked");
    }
}
