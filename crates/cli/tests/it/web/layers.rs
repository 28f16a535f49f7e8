//! The layers around every route: our request id, the security headers, a 500 page that
//! shows only the reference.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_has_our_request_id_and_a_500_shows_only_it() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let request_id = |r: &Reply| {
        r.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let first = c.get("/schools").await;
    let second = c.get("/health").await;
    let (a, b) = (request_id(&first), request_id(&second));
    assert!(!a.is_empty() && !b.is_empty() && a != b, "{a} / {b}");
    for header in [
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
    ] {
        assert!(first.headers.contains_key(header), "{header}");
    }
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-store");

    // A database fault: the page names no cause, only the request id as a reference.
    f.t.db.close().await;
    let broken = c.get("/schools").await;
    assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
    let reference = request_id(&broken);
    assert!(
        broken.body.contains(&format!("参考编号 {reference}")),
        "{}",
        broken.body
    );
    assert!(
        !broken.body.to_lowercase().contains("pool"),
        "{}",
        broken.body
    );
}
