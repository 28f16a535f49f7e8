//! The forms over the pages and the API: the office defines and sends, a school fills its
//! task with a value breaking the check (refused beside the field), corrects and submits,
//! and the completeness page and the report move.

use super::*;
use crate::web::{fixture, Client, Multipart};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_fills_its_task_on_the_page() {
    let f = fixture(sqlite().await).await;
    let mut office = Client::signed_in(&f.app, "officer").await;
    // A malformed definition stays on the page with the reason.
    let broken = FORM.replace("\"integer\"", "\"number\"");
    let refused = office
        .post_fields("/forms", &[("definition", &broken)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"definition-error\""),
        "{}",
        refused.body
    );
    let page = office.get("/forms").await;
    assert!(page.body.contains("新冠疫苗接种情况"));
    let bad = office
        .post_fields(
            "/forms/assignments",
            &[("code", "covid_vaccination"), ("period", "2021-13")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"period-error\""));

    // 催报 reaches the schools that have not submitted.
    let reminded = office
        .post_fields(
            &format!("/forms/assignments/{}/remind", f.forms.assignment),
            &[],
        )
        .await;
    assert_eq!(reminded.status, StatusCode::SEE_OTHER);
    let edit = office.get("/forms?edit=covid_vaccination").await;
    // The fixture's version (the starter form has a 未接种原因说明 field, this one not).
    assert!(edit.body.contains("已接种学生数") && !edit.body.contains("未接种原因说明"));

    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let tasks = school.get("/forms/tasks").await;
    assert!(tasks.body.contains("催报"), "{}", tasks.body);
    let home = school.get("/").await;
    assert!(home.body.contains("报表逾期未报 1 项"), "{}", home.body);
    let list = school.get("/forms/tasks").await;
    assert!(list
        .body
        .contains(&format!("/forms/tasks/{}", f.forms.own_task)));
    let uri = format!("/forms/tasks/{}", f.forms.own_task);
    let open = school.get(&uri).await;
    assert!(
        open.body.contains("系统按本单位记录预填，不能修改"),
        "{}",
        open.body
    );
    // The fixture's roll: the urban primary school has students on it.
    let enrolled = school
        .json(&format!("/api/v1/forms/tasks/{}", f.forms.own_task))
        .await["prefilled"]["enrolled"]
        .as_str()
        .expect("prefilled")
        .parse::<i64>()
        .expect("number");
    assert!(enrolled > 0);
    let over = (enrolled + 1).to_string();
    // Over the API the refusal lists each field with its reason.
    let api = school
        .post_json(
            &format!("/api/v1/forms/tasks/{}", f.forms.own_task),
            &format!(r#"{{"answers":{{"vaccinated":"{over}"}},"submit":true}}"#),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = api.json();
    assert_eq!(refusal["fields"][0]["field"], "vaccinated");
    assert_eq!(refusal["fields"][0]["reason"], "接种人数不能超过在校生数");
    let refused = school
        .post_fields(&uri, &[("vaccinated", &over), ("action", "submit")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"vaccinated-error\""));
    assert!(refused.body.contains("接种人数不能超过在校生数"));
    // The same answer through the sheet: downloaded with the roll set, uploaded with a value
    // breaking the check, refused on the page by row and column.
    let template = school
        .get(&format!(
            "/forms/assignments/{}/template",
            f.forms.assignment
        ))
        .await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.disposition().contains(".xlsx"));
    let sheet = format!(
        "填报单位代码,填报单位,在校生数（系统预填，不可修改）,已接种学生数\n{URBAN_PRIMARY},卢峰一小,{enrolled},{over}\n"
    );
    let upload = Multipart::new().file("file", "filled.csv", "text/csv", sheet.as_bytes());
    let refused = school
        .post_multipart(
            &format!("/forms/assignments/{}/import", f.forms.assignment),
            upload,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"sheet-problems\""));
    assert!(
        refused
            .body
            .contains("<td>已接种学生数</td><td>接种人数不能超过在校生数</td>"),
        "{}",
        refused.body
    );
    let all = enrolled.to_string();
    let done = school
        .post_fields(&uri, &[("vaccinated", &all), ("action", "submit")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // Another school's task is not there for this school.
    let other = school
        .get(&format!("/forms/tasks/{}", f.forms.other_task))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let status = office
        .get(&format!("/forms/assignments/{}", f.forms.assignment))
        .await;
    assert!(
        status.body.contains("已提交 <strong>1/3"),
        "{}",
        status.body
    );
    assert!(status.body.contains("<td>已提交</td>"), "the results table");
    let export = office
        .get(&format!("/forms/assignments/{}/export", f.forms.assignment))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.disposition().contains(".xlsx"));
    let v = office
        .json(&format!("/api/v1/forms/assignments/{}", f.forms.assignment))
        .await;
    assert_eq!(v["overall"]["submitted"], 1);
    // The office sends it back through the API; the school sees the comment.
    let back = office
        .post_json(
            &format!("/api/v1/forms/tasks/{}/send-back", f.forms.own_task),
            r#"{"comment":"请附接种证明"}"#,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let again = school.get(&uri).await;
    assert!(again.body.contains("请附接种证明"));
    let tasks = school.json("/api/v1/forms/tasks").await;
    assert_eq!(tasks[0]["task"]["status"], "退回");
}

/// The designer: a form built row by row, refused by the row at fault, saved, reopened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_designs_a_form_row_by_row() {
    let f = fixture(sqlite().await).await;
    let mut office = Client::signed_in(&f.app, "officer").await;
    let blank = office.get("/forms/design").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(
        blank.body.contains("name=\"field_code_4\""),
        "five blank rows"
    );
    let rows = |min: &'static str, prefill: &'static str| {
        vec![
            ("code", "eye_checks"),
            ("title", "学生视力筛查情况"),
            ("period", "year"),
            ("respondent", "school"),
            ("field_code_0", "enrolled"),
            ("field_label_0", "在校生数"),
            ("field_type_0", "integer"),
            ("field_required_0", "on"),
            ("field_min_0", min),
            ("field_prefill_0", prefill),
            ("field_locked_0", "on"),
            ("field_code_1", "screened"),
            ("field_label_1", "已筛查学生数"),
            ("field_type_1", "integer"),
            ("field_unit_1", "人"),
            ("field_code_2", ""),
            ("field_label_2", ""),
            ("field_type_2", "integer"),
            ("check_rule_0", "screened <= enrolled"),
            ("check_message_0", "筛查人数不能超过在校生数"),
            ("check_rule_1", ""),
            ("check_message_1", ""),
        ]
    };
    let bad_min = office
        .post_fields("/forms/design", &rows("abc", "students.enrolled"))
        .await;
    assert_eq!(bad_min.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_min.body.contains("第1个填报项的最小值“abc”不是数字"),
        "{}",
        bad_min.body
    );
    assert!(
        bad_min.body.contains("value=\"已筛查学生数\""),
        "the rows as typed"
    );
    let unlocked = office.post_fields("/forms/design", &rows("0", "")).await;
    assert_eq!(unlocked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unlocked.body.contains("只有预填的项才能锁定"),
        "{}",
        unlocked.body
    );
    let saved = office
        .post_fields("/forms/design", &rows("0", "students.enrolled"))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, "/forms/design?code=eye_checks&saved=1");
    let reopened = office.get(&saved.location).await;
    assert!(reopened.body.contains("已保存第1版"));
    assert!(
        reopened.body.contains("value=\"screened &lt;= enrolled\"")
            || reopened.body.contains("value=\"screened &#60;= enrolled\""),
        "{}",
        reopened.body
    );
    let list = office.json("/api/v1/forms").await;
    let eye = list
        .as_array()
        .expect("forms")
        .iter()
        .find(|f| f["code"] == "eye_checks")
        .expect("saved");
    assert_eq!(eye["fields"], 2);
}
