//! 专项督查: a campaign of area 双减 with its checklist per school, problems sent back and
//! closed with evidence on the hazard ledger's steps, kept apart from the safety ledger;
//! then the same over the pages and the API.

use super::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;
use emis_app::safety::campaigns::{self as supervision, LaunchForm};
use emis_app::safety::{self, checklist::ChecksForm, HazardForm, ReviewForm, Upload};
use emis_app::AppError;
use emis_domain::access::Scope;
use emis_domain::safety::Area;
use emis_domain::safety::Area::DoubleReduction;

fn officer() -> emis_app::auth::Account {
    county_officer("shuangjian")
}

fn school(code: &str) -> emis_app::auth::Account {
    school_admin(code)
}

fn problem(campaign: i64, category: &str) -> HazardForm {
    HazardForm {
        school: URBAN_PRIMARY.into(),
        place: "四年级".into(),
        category: category.into(),
        grade: "一般".into(),
        description: "四年级书面作业每天约80分钟，超过60分钟".into(),
        found_on: "2021-11-16".into(),
        inspection: campaign.to_string(),
    }
}

async fn campaign_and_problems(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let office = officer();
    let own = school(URBAN_PRIMARY);
    let launch = |title: &str| LaunchForm {
        title: title.into(),
        planned_on: "2021-11-15".into(),
        ..LaunchForm::default()
    };
    let untitled = supervision::launch(db, &office, DoubleReduction, &launch(" "), "test")
        .await
        .refused("no title");
    assert_eq!(untitled.field, "title");
    assert!(matches!(
        supervision::launch(db, &own, DoubleReduction, &launch("学校自行发起"), "test").await,
        Err(AppError::Forbidden)
    ));
    let title = "秋季学期双减工作专项督查";
    let campaign = supervision::launch(db, &office, DoubleReduction, &launch(title), "test")
        .await
        .accepted("launch");
    let safety_campaign =
        safety::schedule_campaign(db, &office, &campaign_form("大排查", "2021-11-01", ""), "t")
            .await
            .accepted("a safety campaign");

    // The 专项督查 is not among the safety inspections, and carries the 双减 checklist.
    let of = |area| safety::queries::inspections(db, &office, area, 2021, None, 10);
    let safety_ones = of(Area::Safety).await.expect("safety");
    assert_eq!(
        safety_ones.iter().map(|i| i.id).collect::<Vec<_>>(),
        [safety_campaign]
    );
    let ours = of(Area::DoubleReduction).await.expect("双减");
    assert_eq!(ours.len(), 1);
    assert_eq!((ours[0].id, ours[0].kind.as_str()), (campaign, "专项督查"));
    assert_eq!(ours[0].checklist, Area::DoubleReduction.checklist());

    // The inspectors tick the checklist at the urban primary school with their findings.
    let checks = ChecksForm {
        school: URBAN_PRIMARY.into(),
        items: ours[0].checklist.clone(),
        checked_on: "2021-11-16".into(),
        note: "作业时长超标，其余达标".into(),
    };
    let ticked = safety::checklist::record_checks(db, &office, campaign, &checks, "t", today())
        .await
        .accepted("checks");
    assert_eq!(ticked, ours[0].checklist.len());

    // A problem must name a 专项督查 (not none, not a safety campaign) and one of its items.
    let mut form = problem(campaign, "作业总量与时长");
    form.inspection = String::new();
    let e = supervision::record_problem(db, &office, DoubleReduction, &form, "t", today())
        .await
        .refused("no campaign");
    assert_eq!(e.field, "inspection");
    form.inspection = safety_campaign.to_string();
    let e = supervision::record_problem(db, &office, DoubleReduction, &form, "t", today())
        .await
        .refused("a safety campaign");
    assert_eq!(e.field, "inspection");
    let e = supervision::record_problem(
        db,
        &office,
        DoubleReduction,
        &problem(campaign, "消防"),
        "t",
        today(),
    )
    .await
    .refused("a safety category");
    assert_eq!(e.field, "category");
    assert!(e.reason.starts_with("督查问题类别应为："), "{}", e.reason);
    assert!(e.reason.contains("作业总量与时长"), "{}", e.reason);
    let homework = problem(campaign, "作业总量与时长");
    let id = supervision::record_problem(db, &office, DoubleReduction, &homework, "t", today())
        .await
        .accepted("problem");
    let h = safety::visible_hazard(db, &own, id).await.expect("visible");
    assert_eq!(
        (h.area, h.inspection_id),
        (Area::DoubleReduction, Some(campaign))
    );
    // Another township's account does not see it.
    let longtan = longtan_office();
    assert!(matches!(
        safety::visible_hazard(db, &longtan, id).await,
        Err(AppError::NotFound)
    ));

    // The school rectifies on the ledger's steps with evidence; sent back once, then closed.
    let assign = safety::AssignForm {
        responsible: "教导主任".into(),
        measures: "年级组统筹作业，每天公示作业量".into(),
        deadline: "2021-11-30".into(),
        budget: String::new(),
    };
    safety::assign(db, &own, id, &assign, "t")
        .await
        .accepted("assign");
    let rectify = |result: &str, on: &str| safety::RectifyForm {
        result: result.into(),
        rectified_on: on.into(),
    };
    let photo = Upload {
        file_name: "作业公示.png",
        bytes: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    };
    let first = rectify("已建立作业公示制度", "2021-11-25");
    safety::rectify(db, &own, id, &first, Some(&photo), "t")
        .await
        .accepted("rectify");
    let back = ReviewForm {
        review: "抽查仍有超时".into(),
        closed_on: String::new(),
    };
    safety::send_back(db, &office, id, &back, "t")
        .await
        .accepted("send back");
    let again = rectify("作业量复核合格", "2021-11-28");
    safety::rectify(db, &own, id, &again, None, "t")
        .await
        .accepted("rectify again");
    let close = ReviewForm {
        review: "复查合格".into(),
        closed_on: "2021-11-29".into(),
    };
    safety::close(db, &office, id, &close, "t", today())
        .await
        .accepted("close");
    let evidence = safety::queries::hazard_evidence(db, &h)
        .await
        .expect("files");
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].stage, "整改");

    // A second problem is left open past its deadline.
    let phones = HazardForm {
        description: "学生手机带入课堂，未统一保管".into(),
        ..problem(campaign, "手机管理")
    };
    let late = supervision::record_problem(db, &office, DoubleReduction, &phones, "t", today())
        .await
        .accepted("second problem");
    let deadline = safety::AssignForm {
        deadline: "2021-12-10".into(),
        ..assign.clone()
    };
    safety::assign(db, &own, late, &deadline, "t")
        .await
        .accepted("assign");

    // The 双减 picture counts both; the safety ledger and its figures count neither.
    let p = supervision::picture(db, &office, DoubleReduction, 2021, today())
        .await
        .expect("picture");
    assert_eq!((p.found, p.closed, p.overdue), (2, 1, 1));
    assert_eq!(p.problems[0].problem.id, late, "open and overdue first");
    let line = &p.campaigns[0];
    assert_eq!((line.inspected, line.schools), (1, 3));
    assert_eq!((line.problems, line.closed), (2, 1));
    let item = |name: &str| p.by_item.iter().find(|i| i.item == name).expect(name);
    let homework_line = item("作业总量与时长");
    assert_eq!((homework_line.found, homework_line.closed), (1, 1));
    assert_eq!(item("手机管理").overdue, 1);
    assert_eq!(item("睡眠管理").found, 0);
    let ledger = safety::queries::hazards(db, &office, &Default::default())
        .await
        .expect("ledger");
    assert_eq!(ledger.total, 0);
    let county = Scope::County {
        county: "431224".into(),
    };
    let counts = emis_storage::safety::hazard_counts(db, &county, &today().to_string())
        .await
        .expect("counts");
    assert_eq!(counts.total, 0);
    // The school sees its own problems; the township account none.
    let mine = supervision::picture(db, &own, DoubleReduction, 2021, today())
        .await
        .expect("own");
    assert_eq!(mine.found, 2);
    let theirs = supervision::picture(db, &longtan, DoubleReduction, 2021, today())
        .await
        .expect("theirs");
    assert_eq!(theirs.found, 0);
    assert_eq!(theirs.campaigns[0].schools, 1, "龙潭镇中学 only");

    let trail: Vec<String> =
        emis_storage::lists::audit(db, "431224", None, Some(&id.to_string()), None, None, 1)
            .await
            .expect("audit")
            .items
            .into_iter()
            .rev()
            .filter(|r| r.entity == "safety_hazard")
            .map(|r| r.action)
            .collect();
    assert_eq!(
        trail,
        [
            "hazard_record",
            "hazard_assign",
            "hazard_rectify",
            "hazard_send_back",
            "hazard_rectify",
            "hazard_close"
        ]
    );
}
crate::on_both_engines!(supervision_on_the_ledger, super::campaign_and_problems);

/// The office launches a 专项督查 on its page, the campaign opens under 双减, a problem with a
/// safety category is refused next to its field, a good one opens as 督查问题 under 双减 and
/// stays off the safety ledger; the API reads the same picture.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supervision_pages_and_api() {
    let f = fixture(sqlite().await).await;
    let mut office = Client::signed_in(&f.app, "officer").await;
    let page = office.get("/double-reduction/supervision?year=2021").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"launch-form\""));
    assert!(
        !page.body.contains("id=\"problem-form\""),
        "no campaign yet"
    );
    let launched = office
        .post_fields(
            "/double-reduction/supervision",
            &[
                ("title", "秋季学期双减工作专项督查"),
                ("planned_on", "2021-11-15"),
                ("checklist", "作业总量与时长\n手机管理"),
            ],
        )
        .await;
    assert_eq!(launched.status, StatusCode::SEE_OTHER, "{}", launched.body);
    let to = launched.location.clone();
    let campaign: i64 = to
        .strip_prefix("/safety/inspections/")
        .and_then(|id| id.parse().ok())
        .expect("the campaign's page");
    let opened = office.get(&to).await;
    assert!(opened.body.contains("各校督查进度"), "{}", opened.body);
    assert!(opened
        .body
        .contains("href=\"/double-reduction/supervision\""));

    let campaign_id = campaign.to_string();
    let post = |category: &'static str| {
        [
            ("inspection", campaign_id.as_str()),
            ("school", URBAN_PRIMARY),
            ("category", category),
            ("place", "五年级"),
            ("grade", "一般"),
            ("description", "五年级未落实课后服务5+2"),
            ("found_on", "2021-11-16"),
        ]
    };
    let uri = "/double-reduction/supervision/problems";
    let refused = office.post_fields(uri, &post("消防")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error"));
    assert!(
        refused.body.contains("督查问题类别应为"),
        "{}",
        refused.body
    );
    let recorded = office.post_fields(uri, &post("课后服务5+2")).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let shown = office.get(&recorded.location).await;
    assert!(shown.body.contains("督查问题 #"), "{}", shown.body);
    assert!(shown.body.contains("涉及年级或部门"));
    let ledger = office.get("/safety/hazards").await;
    assert!(!ledger.body.contains("五年级未落实课后服务"));

    let v = office
        .json("/api/v1/double-reduction/supervision?year=2021")
        .await;
    assert_eq!(v["found"], 1);
    assert_eq!(v["campaigns"][0]["campaign"]["id"], campaign);
    assert_eq!(v["problems"][0]["problem"]["area"], "双减");
    // A school account reads the page but may not launch one.
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let refused = school
        .post_json(
            "/api/v1/double-reduction/supervision",
            r#"{"title":"学校自行督查","planned_on":"2021-11-20"}"#,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
