//! The pages in the browser: the administrator's forms, the indicators page, a school's
//! scope with its audited changes, and the import preview.

use super::*;

/// The administrator creates a 班主任 account with its class in the browser; a class that
/// cannot be read is refused before any account exists; the class can be moved later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_binds_a_class_teacher_to_its_class_in_the_browser() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "admin").await;
    // Percent-encoding every byte is valid form encoding and keeps the test free of a crate.
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let add_wang = |role: &str, org: &str, class: &str| {
        format!("username=wang&role={role}&org={org}&class={}", enc(class))
    };
    let wang = || async {
        emis_storage::users::find(&f.t.db, "wang")
            .await
            .expect("find")
    };
    let teacher = add_wang("teacher", URBAN_PRIMARY, "三班");
    let refused = c.post_form("/admin/users", &teacher).await;
    assert!(
        refused.body.contains("班级“三班”无法识别"),
        "{}",
        refused.body
    );
    assert!(wang().await.is_none());
    let leader = add_wang("leader", "431224", "三年级2班");
    let wrong_role = c.post_form("/admin/users", &leader).await;
    assert!(wrong_role.body.contains("班级只用于班主任账号"));
    assert!(wang().await.is_none());

    let teacher = add_wang("teacher", URBAN_PRIMARY, "三年级2班");
    let created = c.post_form("/admin/users", &teacher).await;
    assert!(created.body.contains("已创建账号 wang"));
    let stored = wang().await.expect("wang");
    assert_eq!(
        (stored.class_grade.as_deref(), stored.class_number),
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
    assert_eq!(wang().await.expect("wang").class_number, Some(1));
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
    let mut c = Client::signed_in(&f.app, "leader").await;
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
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    assert_eq!(
        school.get("/reports/annual").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!school.get("/").await.body.contains("/reports/annual"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn school_user_sees_only_its_school_and_changes_are_audited() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
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
    let mut t = Client::signed_in(&f.app, "banzhuren").await;
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
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let mut rows: Vec<Vec<String>> = (200..203)
        .map(|n| student_row(URBAN_PRIMARY, n, "一年级", 1))
        .collect();
    rows[1][3] = "43122420140101001".into();
    rows.push(student_row(TOWN_JUNIOR, 300, "八年级", 2));
    let path = f.t.path("upload.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let file = std::fs::read(&path).expect("file");
    let preview = c.preview_import("upload.xlsx", &file).await;
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
    // The confirmation runs as a job; its page is its owner's alone.
    let started = c
        .post_form(
            "/import/confirm",
            &format!("upload={upload}&skip_invalid=1"),
        )
        .await;
    assert!(started.location.starts_with("/jobs/"), "{}", started.body);
    let mut officer = Client::signed_in(&f.app, "officer").await;
    assert_eq!(
        officer.get(&started.location).await.status,
        StatusCode::NOT_FOUND
    );
    let done = c.follow_job(&started.location).await;
    assert!(done.body.contains("导入完成"), "{}", done.body);
    let after = emis_storage::registry::count(&f.t.db, "students", "431224")
        .await
        .expect("count");
    assert_eq!(after, before + 2);

    // The two skipped rows stay on the school's 待办 and its 最近导入, not on others'.
    let home = todos_card(&c.get("/").await.body);
    assert!(
        home.contains("有 1 次导入跳过了有问题的行（共 2 行）"),
        "{home}"
    );
    let recent = c.get("/import").await.body;
    let recent = &recent[recent.find("id=\"recent-imports\"").expect("最近导入")..];
    assert!(
        recent
            .contains("<td>学生</td><td>upload.xlsx</td><td>4</td><td>2</td><td>0</td><td>2</td>"),
        "{recent}"
    );
    assert!(!todos_card(&officer.get("/").await.body).contains("跳过了有问题的行"));

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

/// A township's class-size monitor is titled for the township, not 各乡镇; the county's
/// is titled for every township.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_chart_is_titled_for_the_township() {
    let f = fixture(sqlite().await).await;
    let mut township = Client::signed_in(&f.app, "longtan").await;
    let page = township.get("/enrollment?term=2021-autumn").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("龙潭镇大班额（56人及以上）班级数"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("各乡镇大班额"));
    let mut county = Client::signed_in(&f.app, "officer").await;
    let page = county.get("/enrollment?term=2021-autumn").await;
    assert!(page.body.contains("各乡镇大班额（56人及以上）班级数"));
}

/// A school uploads the national 学籍 export unchanged: the preview shows the rows as read
/// (土家族 for `15-土家族`, 住校 for `2-住校`, the passport holder with their document,
/// masked); after the import the student's page shows the document type and the flags.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_national_sheet_previews_as_read() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let path = f.t.path("national.xlsx");
    write_xlsx(
        &path,
        &crate::national::NATIONAL_HEADERS,
        &crate::national::national_sheet(),
    );
    let file = std::fs::read(&path).expect("file");
    let preview = c.preview_import("national.xlsx", &file).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    for shown in [
        "按以下内容读取",
        "土家族",
        "住校",
        "单亲留守儿童",
        "护照",
        "E1*****78",
    ] {
        assert!(preview.body.contains(shown), "{shown}: {}", preview.body);
    }
    assert!(!preview.body.contains("E12345678"), "the number is masked");
    let upload = hidden(&preview.body, "upload");
    let done = c.confirm_import(&format!("upload={upload}")).await;
    assert!(done.body.contains("导入完成"), "{}", done.body);

    let county = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    let query = emis_storage::lists::StudentQuery {
        term: "2021-autumn".into(),
        q: Some("E12345678".into()),
        per_page: 20,
        ..Default::default()
    };
    let found = emis_storage::lists::students(&f.t.db, &county, &query)
        .await
        .expect("search");
    let page = c.get(&format!("/students/{}", found.items[0].id)).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in ["身份证件类型", "护照", "E1*****78", "孤儿", "344-中国香港"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
}

/// 首页待办 by role: each account's home lists what it has to act on in its own scope,
/// urgent first, with small charts of its areas; the township reads its own township's
/// hazards and cases, the school its own hazards and its overdue form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_home_lists_its_own_work() {
    let f = fixture(sqlite().await).await;
    let cases = emis_storage::dropout::all_cases(&f.t.db, "431224")
        .await
        .expect("cases");
    let open_in = |township: Option<&str>| {
        cases
            .iter()
            .filter(|c| c.status != emis_domain::dropout::cases::CaseStatus::Closed)
            .filter(|c| township.is_none_or(|t| c.township_code == t))
            .count()
    };
    assert!(
        open_in(Some("431224104")) > 0,
        "the fixture's case of 龙潭镇"
    );
    let home = |name: &'static str| {
        let app = f.app.clone();
        async move { Client::signed_in(&app, name).await.get("/").await.body }
    };
    let todos = todos_card;

    // The fixture's hazards are within their deadline; its form's due date has passed.
    let officer = home("officer").await;
    let list = todos(&officer);
    assert!(list.contains("隐患整改中 2 处"), "{list}");
    let overdue_cases = format!("一人一案逾期未办结 {} 件", open_in(None));
    assert!(list.contains(&overdue_cases), "{list}");
    assert!(list.contains("下发报表逾期未报 3 家"), "{list}");
    assert!(
        officer.contains("各乡镇一人一案（件）"),
        "the county's cases chart"
    );
    assert!(officer.contains("各乡镇安全隐患（处）"));

    let township = home("longtan").await;
    let list = todos(&township);
    assert!(list.contains("隐患整改中 1 处"), "{list}");
    let own_cases = format!("一人一案逾期未办结 {} 件", open_in(Some("431224104")));
    assert!(list.contains(&own_cases), "{list}");
    assert!(
        township.contains("龙潭镇一人一案（件）"),
        "titled for its scope"
    );
    assert!(!township.contains("各乡镇"));

    let school = home("xiaoxue").await;
    let list = todos(&school);
    assert!(list.contains("隐患整改中 1 处"), "{list}");
    assert!(list.contains("报表逾期未报 1 项"), "{list}");
    assert!(!list.contains("一人一案"), "no case of its own: {list}");
    // Urgent lines come first.
    let urgent = list.find("class=\"error\"").expect("an urgent line");
    let ordinary = list.find("隐患整改中").expect("an ordinary line");
    assert!(urgent < ordinary, "{list}");
}

/// The 待办 card of a home page.
fn todos_card(body: &str) -> String {
    let start = body.find("id=\"todos\"").expect("the 待办 card");
    let end = start + body[start..].find("</section>").expect("its end");
    body[start..end].to_string()
}

/// The homes' figures are shared by the accounts of one scope for a short while, yet a
/// change made through the server shows on the next home at once: a hazard the school
/// records is counted on the officer's home, and on another officer's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_shows_on_the_next_home_at_once() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let list = todos_card(&officer.get("/").await.body);
    assert!(list.contains("隐患整改中 2 处"), "{list}");
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let reply = school
        .post_json(
            "/api/v1/safety/hazards",
            r#"{"school":"","place":"食堂","category":"消防","grade":"一般","description":"灭火器过期","found_on":"2021-10-08"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let list = todos_card(&officer.get("/").await.body);
    assert!(list.contains("隐患整改中 3 处"), "{list}");
    let mut other = Client::signed_in(&f.app, "officer").await;
    let list = todos_card(&other.get("/").await.body);
    assert!(list.contains("隐患整改中 3 处"), "{list}");
}

/// The 户籍 roll sent from the 控辍保学 page's upload form, dated 2021-10-15.
async fn upload_population(c: &mut Client, csv: String) -> Reply {
    let form = Multipart::new().text("as_of", "2021-10-15").file(
        "file",
        "户籍.csv",
        "text/csv",
        csv.as_bytes(),
    );
    let uri = format!("/dropout/import?_csrf={}", c.csrf);
    c.post_multipart(&uri, form).await
}

/// The 户籍 roll on the page: a refused file shows each bad row by row and column and
/// offers no confirmation; a good one is previewed with the comparison's counts and
/// nothing written; confirmed, it runs as its owner's job and ends on the result page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn population_roll_is_previewed_then_imported_as_a_job() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "admin").await;
    let snapshots = || async {
        emis_storage::dropout::snapshots(&f.t.db, "431224")
            .await
            .expect("snapshots")
            .len()
    };
    let before = snapshots().await;
    let header = "姓名,性别,身份证件号,户籍乡镇\n";
    let child = |n: u32| {
        let id = student_id(2012, 900 + n);
        let sex = if IdNumber::parse(&id).expect("id").sex() == emis_domain::registry::Sex::Male {
            "男"
        } else {
            "女"
        };
        format!("儿童{n},{sex},{id},卢峰镇\n")
    };
    let refused =
        upload_population(&mut c, format!("{header}{}坏行,男,123,卢峰镇\n", child(1))).await;
    assert!(refused.body.contains("导入被拒绝"), "{}", refused.body);
    assert!(
        refused.body.contains("row 3, column 身份证件号"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("population-confirm"));

    let preview = upload_population(&mut c, format!("{header}{}{}", child(1), child(2))).await;
    assert!(
        preview.body.contains("预览（尚未写入）"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("适龄儿童：2人"), "{}", preview.body);
    assert_eq!(snapshots().await, before, "a preview writes nothing");
    let token = hidden(&preview.body, "upload");
    let started = c
        .post_form(
            "/dropout/import/confirm",
            &format!("upload={token}&name=%E6%88%B7%E7%B1%8D.csv"),
        )
        .await;
    assert!(started.location.starts_with("/jobs/"), "{}", started.body);
    let done = c.follow_job(&started.location).await;
    assert!(done.body.contains("新建一人一案"), "{}", done.body);
    assert_eq!(snapshots().await, before + 1);
}
