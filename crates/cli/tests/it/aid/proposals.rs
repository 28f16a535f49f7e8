//! Proposals over the JSON API: catalog edits and copy, a proposal with chosen lines, its
//! decisions and the batch with its matching.

use super::*;

/// One JSON API call with a bearer token.
async fn api(
    app: &axum::Router,
    token: &str,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        ))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

/// The same operations through the JSON API: catalog edits (officers only, refusals name
/// the field), copy, a proposal with chosen lines, and a batch with its matching.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aid_json_api() {
    let f = crate::web::fixture(sqlite().await).await;
    let admin = emis_app::auth::login(&f.t.db, "admin", crate::web::PASSWORD, "test")
        .await
        .expect("login")
        .account;
    let token = |user: &'static str| {
        let db = f.t.db.clone();
        let admin = admin.clone();
        async move {
            emis_app::auth::create_token(&db, &admin, user, "测试", "test")
                .await
                .expect("token")
        }
    };
    let (officer, township, school) = (
        token("officer").await,
        token("longtan").await,
        token("xiaoxue").await,
    );

    let mut form =
        serde_json::to_value(PolicyForm::of(&emis_domain::aid::catalog_2021()[2])).expect("form");
    form["year"] = 2021.into();
    // The advanced mode: rule data instead of the condition fields.
    form["rule_mode"] = "json".into();
    form["who"] = "{\"not\":\"boarding\"}".into();
    let (status, _) = api(
        &f.app,
        &township,
        "POST",
        "/api/v1/aid/policies",
        Some(form.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let mut bad = form.clone();
    bad["days"] = "x".into();
    bad["amount_kind"] = "per_day".into();
    let (status, body) = api(&f.app, &officer, "POST", "/api/v1/aid/policies", Some(bad)).await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap_or("").contains("天数"),
        "{body}"
    );
    let (status, body) = api(&f.app, &officer, "POST", "/api/v1/aid/policies", Some(form)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["policy"]["who"],
        serde_json::json!({"not": "boarding"})
    );
    let (status, body) = api(
        &f.app,
        &officer,
        "POST",
        "/api/v1/aid/policies/copy",
        Some(serde_json::json!({"from": 2021, "to": 2022})),
    )
    .await;
    assert_eq!((status.as_u16(), body["copied"].as_u64()), (200, Some(9)));

    // Every non-boarder of the urban school is now eligible for 非寄宿生生活费补助: the
    // school proposes two of them.
    let check = aid::check(&f.t.db, "431224", &[Term::autumn(2021)])
        .await
        .expect("check");
    let ours: Vec<_> = check
        .entitlements
        .iter()
        .filter(|e| e.school_code == URBAN_PRIMARY && e.policy == "non_boarding")
        .take(2)
        .map(|e| serde_json::json!({"id_number": e.id_number, "policy": e.policy}))
        .collect();
    assert_eq!(ours.len(), 2);
    // Only eligible students can be proposed.
    let stray = serde_json::json!([{"id_number": ours[0]["id_number"], "policy": "senior_grant"}]);
    let (status, body) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": stray})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("senior_grant"),
        "{body}"
    );
    let (status, body) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": ours})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_i64().expect("id");
    let (status, _) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": TOWN_JUNIOR, "term": "2021-autumn"})),
    )
    .await;
    assert_eq!(status, 404, "another school is out of scope");
    for who in [&officer, &officer] {
        let (status, body) = api(
            &f.app,
            who,
            "POST",
            "/api/v1/aid/decisions",
            Some(serde_json::json!({"proposal": id, "pass": true})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, body) = api(&f.app, &school, "GET", "/api/v1/aid/batches", None).await;
    let batch = body["batches"][0]["id"].as_i64().expect("batch");
    assert_eq!(body["batches"][0]["lines"], 2);
    let (status, body) = api(
        &f.app,
        &school,
        "GET",
        &format!("/api/v1/aid/batches/{batch}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["lines"].as_array().map(Vec::len), Some(2));
    assert!(body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .all(|l| l["state"] == "未发放"));
    let (status, _) = api(
        &f.app,
        &township,
        "GET",
        &format!("/api/v1/aid/batches/{batch}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "the urban school is outside 龙潭镇");
}
