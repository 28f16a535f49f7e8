//! 年度工作总结 in the browser: the page with its live preview (every figure a link to its
//! records), an office starting and drafting (a bad field refused by line and column,
//! shown beside its section), the leader publishing and reading the frozen version, the
//! docx download, the dashboard, and a school refused.

use super::*;

fn section_ids(body: &str) -> Vec<String> {
    body.split("name=\"section\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offices_draft_the_leader_publishes_and_the_figures_link_to_records() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let page = officer.get("/reports/summary?year=2021").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("尚未开始起草"));
    assert!(
        page.body.contains("href=\"/reports/summary\""),
        "menu entry"
    );
    assert!(page
        .body
        .contains("data-code=\"students.enrolled\" href=\"/students\""));

    let started = officer
        .post_form("/reports/summary/start", "year=2021")
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let page = officer.get("/reports/summary?year=2021").await;
    assert!(page.body.contains("您的股室：资助中心"), "{}", page.body);
    // The officer of 资助中心 edits its own section only.
    let ids = section_ids(&page.body);
    assert_eq!(ids.len(), 1, "{ids:?}");
    let mut admin = Client::signed_in(&f.app, "admin").await;
    let all = admin.get("/reports/summary?year=2021").await;
    let all_ids = section_ids(&all.body);
    assert!(all_ids.len() > 10, "{} sections", all_ids.len());

    // A figure code that does not exist: refused beside the section, nothing saved.
    let bad = format!(
        "section={}&year=2021&text=%23%23%23+%E8%B5%84%E5%8A%A9+%40%E8%B5%84%E5%8A%A9%E4%B8%AD%E5%BF%83%0A%7Baid.persons%7D",
        ids[0]
    );
    let refused = officer.post_form("/reports/summary/section", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("第2行第1列：未知指标代码“aid.persons”"),
        "{}",
        refused.body
    );
    // Another office's section: refused in Chinese, beside that section.
    let preface = &all_ids[0];
    let refused = officer
        .post_fields(
            "/reports/summary/section",
            &[("section", preface), ("year", "2021"), ("text", "改写前言")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "本节由办公室起草，只有办公室的股室账号和系统管理员可以修改；您的账号属于资助中心"
        ),
        "{}",
        refused.body
    );

    // The office submits its section, the administrator the rest; the leader publishes.
    for (client, body) in [(&mut officer, page.body), (&mut admin, all.body)] {
        for (id, text) in sections_with_text(&body) {
            let reply = client
                .post_fields(
                    "/reports/summary/section",
                    &[
                        ("section", &id),
                        ("year", "2021"),
                        ("text", &text),
                        ("submit", "1"),
                    ],
                )
                .await;
            // The admin's page still offered the aid section the office has just submitted.
            assert!(
                reply.status == StatusCode::SEE_OTHER || reply.status == StatusCode::CONFLICT,
                "{}",
                reply.body
            );
        }
    }
    let mut leader = Client::signed_in(&f.app, "leader").await;
    assert_eq!(
        leader
            .post_form("/reports/summary/start", "year=2021")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let published = leader
        .post_form("/reports/summary/publish", "year=2021")
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert_eq!(
        published.location,
        "/reports/summary/published?year=2021&version=1"
    );
    let version = leader.get(&published.location).await;
    assert_eq!(version.status, StatusCode::OK);
    assert!(version
        .body
        .contains("发布以来，文中数字与今日记录计算的结果一致"));
    assert!(version.body.contains("2021年教育工作总结"));

    let docx = leader
        .get("/reports/summary/download?year=2021&version=1&format=docx")
        .await;
    assert_eq!(docx.status, StatusCode::OK, "a published version at once");
    let text = crate::summary::docx_text(&docx.bytes);
    assert!(text.contains("2021年教育工作总结"));
    assert!(text.contains("溆浦县教育局"));

    // Today's figures are computed from the records as the leader's job: its page ends with
    // the file to download.
    let started = leader
        .get("/reports/summary/download?year=2021&format=docx")
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let done = leader.follow_job(&started.location).await;
    assert!(done.body.contains("id=\"job-download\""), "{}", done.body);
    let live = leader
        .get(&format!("{}/download", started.location))
        .await
        .with_status(StatusCode::OK);
    assert!(crate::summary::docx_text(&live.bytes).contains("2021年教育工作总结"));

    let dashboard = leader.get("/reports/dashboard?year=2021").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("id=\"dashboard\""));
    assert!(dashboard.body.contains("data-code=\"aid.person_times\""));
    let api = leader.json("/api/v1/reports/summary?year=2021").await;
    assert_eq!(api["versions"][0]["version"], 1);

    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    assert_eq!(
        school.get("/reports/summary").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        school.get("/reports/dashboard").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Each editable section's id and its textarea's text, as the page shows them.
fn sections_with_text(body: &str) -> Vec<(String, String)> {
    body.split("name=\"section\" value=\"")
        .skip(1)
        .filter_map(|rest| {
            let id = rest.split('"').next()?.to_string();
            let text = rest.split("<textarea name=\"text\" rows=\"8\"").nth(1)?;
            let text = text.split_once('>')?.1;
            let text = text.split("</textarea>").next()?;
            let text = text
                .replace("&#123;", "{")
                .replace("&#125;", "}")
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            Some((id, text))
        })
        .collect()
}

/// The accounts page gives a county officer an office (and changes it); an office for
/// another role is refused in Chinese.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accounts_page_sets_an_officers_office() {
    let f = fixture(sqlite().await).await;
    let mut admin = Client::signed_in(&f.app, "admin").await;
    let created = admin
        .post_fields(
            "/admin/users",
            &[
                ("username", "anquan"),
                ("role", "officer"),
                ("org", "431224"),
                ("office", "安全"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(
        created.body.contains("已创建账号 anquan"),
        "{}",
        created.body
    );
    assert_eq!(
        emis_storage::users::office(&f.t.db, "anquan")
            .await
            .expect("office")
            .as_deref(),
        Some("安全")
    );
    let moved = admin
        .post_fields("/admin/users/anquan/office", &[("office", "资助中心")])
        .await;
    assert!(
        moved.body.contains("账号 anquan 已设为资助中心"),
        "{}",
        moved.body
    );
    assert!(moved
        .body
        .contains("<option value=\"资助中心\" selected>资助中心</option>"));
    let refused = admin
        .post_fields("/admin/users/leader/office", &[("office", "安全")])
        .await;
    assert!(
        refused.body.contains("股室只用于股室账号"),
        "{}",
        refused.body
    );
    let refused = admin
        .post_fields(
            "/admin/users",
            &[
                ("username", "caiwu"),
                ("role", "officer"),
                ("org", "431224"),
                ("office", "财务股"),
            ],
        )
        .await;
    assert!(
        refused.body.contains("股室“财务股”无法识别"),
        "{}",
        refused.body
    );
}
