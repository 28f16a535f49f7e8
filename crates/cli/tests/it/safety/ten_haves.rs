//! 十有 evidence files: checked by content, scoped, listed, downloaded and audited.

use super::*;

/// 十有 evidence as files: checked by content, kept to the org units of the scope, listed on
/// the page, downloaded whole, and each upload and download audited; page and API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_have_evidence_files() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{header, Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut town = Client::new(&f.app);
    town.login("longtan", PASSWORD).await;
    let boundary = "TenHave";
    let upload = |org: &str, name: &str, bytes: &[u8]| {
        let text = |k: &str, v: &str| {
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
        };
        let mut body = [
            text("year", "2021"),
            text("org", org),
            text("item", "值班值守"),
        ]
        .concat()
        .into_bytes();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let pdf = b"%PDF-1.4\n% duty roster\n";
    let api = "/api/v1/safety/ten-haves/files";

    let disguised = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224104", "值班表.pdf", b"<html>x</html>"),
        )
        .await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised.body.contains("只接受 JPG、PNG"),
        "{}",
        disguised.body
    );
    let elsewhere = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224100", "值班表.pdf", pdf),
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "卢峰镇 is not 龙潭镇's"
    );
    let stored = town
        .send(
            Method::POST,
            api,
            Some(ct.as_str()),
            upload("431224104", "值班表.pdf", pdf),
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let reply: serde_json::Value = serde_json::from_str(&stored.body).expect("json");
    let id = reply["file_id"].as_i64().expect("file id");

    // The township's own school uploads from the page; the file is listed there.
    let page = town
        .send(
            Method::POST,
            "/safety/ten-haves/files",
            Some(ct.as_str()),
            upload(TOWN_JUNIOR, "巡查照片.pdf", pdf),
        )
        .await;
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
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
    assert_eq!(
        officer
            .get(&format!("/safety/ten-have-files/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    assert_eq!(
        school
            .get(&format!("/safety/ten-have-files/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
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
