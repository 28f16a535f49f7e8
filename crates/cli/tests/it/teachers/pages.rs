//! The teacher pages in-process: the roll's filters and charts, a teacher's page in and out
//! of scope with masked numbers, a training sheet through the import preview changing the
//! teacher's page and 年度指标, the award list's review buttons, the conduct pages' gate.

use crate::web::{fixture, hidden, Client};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teacher_pages_and_training_import() {
    let f = fixture(crate::support::sqlite().await).await;
    let records = f.teachers;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let roll = officer.get("/teachers").await;
    assert_eq!(roll.status, StatusCode::OK);
    assert!(
        roll.body.contains("教职工 <strong>7</strong> 人"),
        "{}",
        roll.body
    );
    assert!(roll.body.contains("<svg"), "the breakdowns are drawn");
    let urban = officer
        .get(&format!(
            "/teachers?school={}",
            crate::support::URBAN_PRIMARY
        ))
        .await;
    assert!(urban.body.contains("教职工 <strong>4</strong> 人"));
    let young = officer
        .get("/teachers?channel=%E7%89%B9%E5%B2%97%E8%AE%A1%E5%88%92")
        .await;
    assert!(
        young.body.contains("教职工 <strong>2</strong> 人"),
        "特岗计划 filter"
    );
    assert!(
        !roll.body.contains(&super::teacher_id(0)),
        "ID numbers are masked on the roll"
    );
    // Ordered by name, then the other way by the second click's link.
    let names = |body: &str| -> Vec<String> {
        let table = &body[body.find("id=\"roll\"").expect("the roll")..];
        table
            .split("<tr>")
            .skip(2)
            .filter_map(|row| row.split("<td>").nth(1))
            .map(|cell| {
                let link = cell.split("</a>").next().unwrap_or_default();
                link.rsplit('>').next().unwrap_or(link).to_string()
            })
            .collect()
    };
    let by_name = names(&officer.get("/teachers?sort=name").await.body);
    assert_eq!(by_name.len(), 7, "{by_name:?}");
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    let reversed = names(&officer.get("/teachers?sort=name&desc=1").await.body);
    sorted.reverse();
    assert_eq!(reversed, sorted);
    assert!(roll.body.contains("data-sort=\"name\""), "the column sorts");
    // The export holds exactly the filtered members, every column filled, numbers masked.
    let export = officer
        .get(&format!(
            "/teachers/export?school={}",
            crate::support::URBAN_PRIMARY
        ))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let path = f.t.write("roll.xlsx", &export.bytes);
    let columns: Vec<emis_io::Column> = emis_app::teachers::roll::ROLL_COLUMNS
        .iter()
        .map(|c| emis_io::Column::required(c))
        .collect();
    let table = emis_io::read_table(&path, &columns).expect("the export reads");
    assert_eq!(table.rows.len(), 4);
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.cells.iter().all(|c| !c.is_empty())),
        "{:?}",
        table.rows
    );
    assert!(table
        .rows
        .iter()
        .all(|r| r.cells[1].contains('*') && r.cells[2] == "溆浦县卢峰镇第一小学"));
    let audit = emis_storage::testing::all_audit(&f.t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.action == "export" && a.entity == "staff_roll"));

    // The list component: the school picked by name, page size and total; a name that is
    // no school refused beside its field, nothing listed; 导出 carries the picked school.
    let picked = officer
        .get(&format!(
            "/teachers?school={}&size=20",
            crate::web::enc("溆浦县卢峰镇第一小学")
        ))
        .await;
    assert!(picked.body.contains("共 4 条"), "{}", picked.body);
    assert!(picked.body.contains("value=\"溆浦县卢峰镇第一小学\""));
    assert!(picked.body.contains(&format!(
        "/teachers/export?school={}",
        crate::web::enc("溆浦县卢峰镇第一小学")
    )));
    let unknown = officer
        .get(&format!(
            "/teachers?school={}",
            crate::web::enc("没有这所学校")
        ))
        .await;
    assert!(unknown.body.contains("id=\"error-school\"") && unknown.body.contains("共 0 条"));
    let by_name = officer
        .get(&format!(
            "/teachers/export?school={}",
            crate::web::enc("溆浦县卢峰镇第一小学")
        ))
        .await;
    let path = f.t.write("roll-by-name.xlsx", &by_name.bytes);
    assert_eq!(
        emis_io::read_table(&path, &columns)
            .expect("reads")
            .rows
            .len(),
        4
    );

    // A school sees its own teacher and not the town school's; no conduct section for it.
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    assert_eq!(
        school
            .get(&format!("/teachers/{}", records.other_staff))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let own = school
        .get(&format!("/teachers/{}", records.own_staff))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("城区小学语文研修"));
    assert!(!own.body.contains("id=\"conduct\"") && !own.body.contains("case-form"));
    let theirs = officer
        .get(&format!("/teachers/{}", records.other_staff))
        .await;
    assert!(
        theirs.body.contains("id=\"conduct\""),
        "the office sees the case on the page"
    );
    assert!(
        theirs.body.contains("溆浦县初中物理学科工作室"),
        "the studio they host"
    );

    // A training sheet with a bad row: the preview names it, the good rows go in, and the
    // teacher's page and 年度指标 count them.
    let before = officer.get("/reports/annual?year=2021").await;
    assert!(
        before.body.contains("staff.training.person_times"),
        "{}",
        before.body
    );
    let sheet = format!(
        "培训项目,级别,开始日期,结束日期,身份证件号,学时,结业\n\
         2021年国培计划示范项目,国家级,2021-07-01,2021-07-10,{},80,是\n\
         2021年国培计划示范项目,国家级,2021-07-01,2021-07-10,{},80,是\n\
         2021年国培计划示范项目,国家级,2021-07-01,2021-07-10,431224198001011234,80,是\n",
        super::teacher_id(0),
        super::teacher_id(1),
    );
    let preview = officer
        .preview_import_of("trainings", "培训.csv", sheet.as_bytes())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("身份证件号"), "{}", preview.body);
    let upload = hidden(&preview.body, "upload");
    let done = officer
        .confirm_import(&format!("upload={upload}&skip_invalid=1"))
        .await;
    assert!(done.body.contains("导入完成"), "{}", done.body);
    let page = officer
        .get(&format!("/teachers/{}", records.own_staff))
        .await;
    assert!(page.body.contains("2021年国培计划示范项目"));
    assert!(page.body.contains("共 2 个培训项目"), "{}", page.body);
    let (times, _) = emis_storage::teachers::year_person_times(&f.t.db, "431224", 2021)
        .await
        .expect("count");
    assert_eq!(times, 4);
    let trainings = officer.get("/teachers/trainings?year=2021").await;
    assert!(
        trainings.body.contains("培训 <strong>4</strong> 人次"),
        "{}",
        trainings.body
    );

    // The award list offers the bureau a grant on checked proposals, the school nothing.
    let awards = officer.get("/teachers/awards?year=2021").await;
    assert!(awards.body.contains("授予"));
    let theirs = school.get("/teachers/awards?year=2021").await;
    assert!(!theirs.body.contains("name=\"decision\""));
    // A grant beyond the (unset) fund stays on the list with the reason.
    let refused = officer
        .post_form(
            &format!("/teachers/awards/{}/decide", records.other_award),
            "decision=pass",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("超出奖励资金余额"),
        "{}",
        refused.body
    );
    // A refused standard stays on its page with the message beside the field.
    let bad = officer
        .post_form("/teachers/staffing", "primary=abc&junior=13.5&senior=12.5&preschool=7&hours=360&cycle_years=5&cycle_start=2021")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("小学师生比“abc”"), "{}", bad.body);
    // Conduct pages: the office only.
    assert_eq!(
        school.get("/teachers/conduct").await.status,
        StatusCode::FORBIDDEN
    );
    let case = officer
        .get(&format!("/teachers/conduct/{}", records.conduct_case))
        .await;
    assert!(case.body.contains("收受家长礼品"));
}
