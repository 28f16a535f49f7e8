//! The JSON API: bearer tokens, the OpenAPI document, and `{code, message}` errors.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_openapi_and_json_errors() {
    let f = fixture(sqlite().await).await;
    let mut anon = Client::new(&f.app);
    let r = anon.get("/api/v1/students").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let error = r.json();
    assert_eq!(error["code"], "unauthorized");
    assert!(error["message"].as_str().unwrap_or("").contains("登录"));

    let admin = admin_account(&f.t).await;
    let token = token_for(&f.t, &admin, "longtan", "测试").await;
    let page = Client::bearer(&f.app, &token)
        .get("/api/v1/students")
        .await
        .ok_json();
    assert_eq!(
        page["total"], 6,
        "the township account sees its township's school only"
    );
    assert!(page["items"][0]["id_number"]
        .as_str()
        .unwrap_or("")
        .contains("*"));

    let spec = anon.json("/api/v1/openapi.json").await;
    for route in emis_web::route_table()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1"))
    {
        assert!(
            spec["paths"][route.path][route.method.to_ascii_lowercase()].is_object(),
            "{} {} is documented",
            route.method,
            route.path
        );
    }
}

/// A body that is not the JSON asked for gets the API's own answer, `{code, message}` in
/// Chinese: 400 when it cannot be read as JSON, 422 when it is JSON of the wrong shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_bad_json_bodies_answer_code_and_message() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "officer").await;
    let status_uri = format!("/api/v1/students/{}/status", f.own_student);
    let cases: [(&str, Option<&str>, &[u8], StatusCode); 5] = [
        (
            &status_uri,
            Some("application/json"),
            b"{not json",
            StatusCode::BAD_REQUEST,
        ),
        (&status_uri, None, b"", StatusCode::BAD_REQUEST),
        (
            &status_uri,
            Some("application/json"),
            br#"{"status": 3}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/safety/patrols",
            Some("application/x-www-form-urlencoded"),
            b"label=x",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/aid/policies/copy",
            Some("application/json"),
            br#"{"from": "last"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (uri, content_type, body, expected) in cases {
        let reply = c.send(Method::POST, uri, content_type, body.to_vec()).await;
        let label = format!("{uri} {}", String::from_utf8_lossy(body));
        assert_eq!(reply.status, expected, "{label}: {}", reply.body);
        let json = reply.json();
        assert_eq!(json["code"], "bad_request", "{label}");
        assert!(
            json["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("请求内容不是有效的 JSON："),
            "{label}: {}",
            json["message"]
        );
    }
}
