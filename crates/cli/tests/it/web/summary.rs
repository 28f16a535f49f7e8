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
    let ids = section_ids(&page.body);
    assert!(ids.len() > 10, "{} sections", ids.len());

    // A figure code that does not exist: refused beside the section, nothing saved.
    let bad = format!(
        "section={}&year=2021&text=%23%23%23+%E8%B5%84%E5%8A%A9+%40%E8%B5%84%E5%8A%A9%E4%B8%AD%E5%BF%83%0A%7Baid.persons%7D",
        ids[3]
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

    // Every section submitted as laid out, then the leader publishes.
    for (id, text) in sections_with_text(&page.body) {
        let reply = officer
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
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
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
    assert_eq!(docx.status, StatusCode::OK);
    let text = crate::summary::docx_text(&docx.bytes);
    assert!(text.contains("2021年教育工作总结"));
    assert!(text.contains("溆浦县教育局"));

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
            let text = rest.split("<textarea name=\"text\" rows=\"8\">").nth(1)?;
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
