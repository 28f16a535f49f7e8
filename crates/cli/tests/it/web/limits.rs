//! Upload limits: past the framework's default up to the setting, refused in Chinese past it.

use super::*;

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
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let preview = c.preview_import("roll.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("共300行"), "{}", preview.body);

    // The same server with a 1 MB limit refuses the upload, in Chinese, with the limits.
    let mut state = emis_web::AppState::new(f.t.db.clone(), "431224".into());
    state.upload_limit = 1 << 20;
    let small = emis_web::app(state);
    let mut c = Client::signed_in(&small, "xiaoxue").await;
    let refused = c.preview_import("roll.csv", csv.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.body.contains("上传的文件不能超过 1 MB"),
        "{}",
        refused.body
    );
    // A JSON body past the form limit: `{code, message}` in Chinese, not plain text.
    let long = format!("{{\"place\":\"{}\"}}", "x".repeat(3 << 20));
    let api = c.post_json("/api/v1/safety/hazards", &long).await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", api.body);
    assert!(api.body.contains("\"message\"") && api.body.contains("不能超过 2 MB"));
}

/// A picture uploaded instead of a sheet is an ordinary refusal: the upload form comes back
/// with the reason beside the file and the chosen kind still selected, nothing staged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picture_instead_of_a_sheet_stays_on_the_upload_form() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "admin").await;
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00";
    let refused = c.preview_import_of("staff", "照片.jpg", jpeg).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"import-form\""),
        "{}",
        refused.body
    );
    let reason = refused
        .body
        .split("id=\"import-error\">")
        .nth(1)
        .expect("the reason beside the file");
    assert!(
        reason.contains(".xlsx") || reason.contains("xlsx"),
        "{reason}"
    );
    assert!(refused.body.contains("value=\"staff\" selected"));
}
