//! 十有 evidence files: checked by content, scoped, listed, downloaded and audited.

use super::*;
use crate::web::{fixture, Client, Multipart};
use axum::http::{header, StatusCode};

/// 十有 evidence as files: checked by content, kept to the org units of the scope, listed on
/// the page, downloaded whole, and each upload and download audited; page and API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_have_evidence_files() {
    let f = fixture(sqlite().await).await;
    let mut town = Client::signed_in(&f.app, "longtan").await;
    let upload = |org: &str, name: &str, bytes: &[u8]| {
        Multipart::new()
            .text("year", "2021")
            .text("org", org)
            .text("item", "值班值守")
            .file("file", name, "application/pdf", bytes)
    };
    let pdf = b"%PDF-1.4\n% duty roster\n";
    let api = "/api/v1/safety/ten-haves/files";

    let disguised = upload("431224104", "值班表.pdf", b"<html>x</html>");
    let disguised = town.post_multipart(api, disguised).await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised.body.contains("只接受 JPG、PNG"),
        "{}",
        disguised.body
    );
    let elsewhere = upload("431224100", "值班表.pdf", pdf);
    let elsewhere = town.post_multipart(api, elsewhere).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "卢峰镇 is not 龙潭镇's"
    );
    let stored = upload("431224104", "值班表.pdf", pdf);
    let reply = town.post_multipart(api, stored).await.ok_json();
    let id = reply["file_id"].as_i64().expect("file id");

    // The township's own school uploads from the page; the file is listed there.
    let photos = upload(TOWN_JUNIOR, "巡查照片.pdf", pdf);
    let page = town.post_multipart("/safety/ten-haves/files", photos).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("佐证材料已上传"), "{}", page.body);
    assert!(page.body.contains(&format!("/safety/ten-have-files/{id}")));
    assert!(page.body.contains("巡查照片.pdf"));

    // Downloaded whole by whoever sees the township; 404 for a school of another township.
    let file = town
        .get(&format!("/api/v1/safety/ten-haves/files/{id}"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_bytes(), pdf);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let download = format!("/safety/ten-have-files/{id}");
    let mut officer = Client::signed_in(&f.app, "officer").await;
    assert_eq!(officer.get(&download).await.status, StatusCode::OK);
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    assert_eq!(school.get(&download).await.status, StatusCode::NOT_FOUND);
    let listed = school.get("/api/v1/safety/ten-haves?year=2021").await;
    assert!(
        !listed.body.contains("值班表.pdf"),
        "another township's file is not listed"
    );

    let actions = audit_of(&f.t, "org_unit", "2021:431224104:值班值守").await;
    assert_eq!(
        actions,
        ["ten_have_file", "ten_have_file_view", "ten_have_file_view"]
    );
}
