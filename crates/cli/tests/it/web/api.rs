//! The JSON API: bearer tokens, the OpenAPI document, and `{code, message}` errors.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_openapi_and_json_errors() {
    let f = fixture(sqlite().await).await;
    let mut anon = Client::new(&f.app);
    let r = anon.get("/api/v1/students").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let error: serde_json::Value = serde_json::from_str(&r.body).expect("json error");
    assert_eq!(error["code"], "unauthorized");
    assert!(error["message"].as_str().unwrap_or("").contains("登录"));

    let admin = emis_app::auth::login(&f.t.db, "admin", PASSWORD, "test")
        .await
        .expect("login")
        .account;
    let token = emis_app::auth::create_token(&f.t.db, &admin, "longtan", "测试", "test")
        .await
        .expect("token");
    let request = Request::builder()
        .uri("/api/v1/students")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = f.app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let page: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(
        page["total"], 6,
        "the township account sees its township's school only"
    );
    assert!(page["items"][0]["id_number"]
        .as_str()
        .unwrap_or("")
        .contains("*"));

    let spec: serde_json::Value =
        serde_json::from_str(&anon.get("/api/v1/openapi.json").await.body).expect("openapi");
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
    let mut c = Client::new(&f.app);
    assert_eq!(
        c.login("officer", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
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
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("a JSON answer");
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
