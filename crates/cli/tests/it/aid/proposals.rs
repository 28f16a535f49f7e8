//! Proposals over the JSON API: catalog edits and copy, a proposal with chosen lines, its
//! decisions and the batch with its matching.

use super::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;
use serde_json::json;

/// The same operations through the JSON API: catalog edits (officers only, refusals name
/// the field), copy, a proposal with chosen lines, and a batch with its matching.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aid_json_api() {
    let f = fixture(sqlite().await).await;
    let admin = crate::web::admin_account(&f.t).await;
    let api = |user: &'static str| {
        let (t, app, admin) = (&f.t, f.app.clone(), admin.clone());
        async move {
            let token = crate::web::token_for(t, &admin, user, "测试").await;
            Client::bearer(&app, &token)
        }
    };
    let mut officer = api("officer").await;
    let mut township = api("longtan").await;
    let mut school = api("xiaoxue").await;

    let mut form =
        serde_json::to_value(PolicyForm::of(&emis_domain::aid::catalog_2021()[2])).expect("form");
    form["year"] = 2021.into();
    // The advanced mode: rule data instead of the condition fields.
    form["rule_mode"] = "json".into();
    form["who"] = "{\"not\":\"boarding\"}".into();
    let policies = "/api/v1/aid/policies";
    let refused = township.post_json(policies, &form.to_string()).await;
    assert_eq!(refused.status, 403);
    let mut bad = form.clone();
    bad["days"] = "x".into();
    bad["amount_kind"] = "per_day".into();
    let reply = officer.post_json(policies, &bad.to_string()).await;
    assert_eq!(reply.status, 422);
    let body = reply.json();
    assert!(
        body["message"].as_str().unwrap_or("").contains("天数"),
        "{body}"
    );
    let body = officer
        .post_json(policies, &form.to_string())
        .await
        .ok_json();
    assert_eq!(body["policy"]["who"], json!({"not": "boarding"}));
    let copy = json!({"from": 2021, "to": 2022}).to_string();
    let reply = officer.post_json("/api/v1/aid/policies/copy", &copy).await;
    let copied = reply.json()["copied"].as_u64();
    assert_eq!((reply.status.as_u16(), copied), (200, Some(9)));

    // Every non-boarder of the urban school is now eligible for 非寄宿生生活费补助: the
    // school proposes two of them.
    let check = check(&f.t).await;
    let ours: Vec<_> = check
        .entitlements
        .iter()
        .filter(|e| e.school_code == URBAN_PRIMARY && e.policy == "non_boarding")
        .take(2)
        .map(|e| json!({"id_number": e.id_number, "policy": e.policy}))
        .collect();
    assert_eq!(ours.len(), 2);
    // Only eligible students can be proposed.
    let proposals = "/api/v1/aid/proposals";
    let stray = json!([{"id_number": ours[0]["id_number"], "policy": "senior_grant"}]);
    let stray = json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": stray});
    let reply = school.post_json(proposals, &stray.to_string()).await;
    let body = reply.json();
    assert_eq!(reply.status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("senior_grant"),
        "{body}"
    );
    let chosen = json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": ours});
    let body = school
        .post_json(proposals, &chosen.to_string())
        .await
        .ok_json();
    let id = body["id"].as_i64().expect("id");
    let elsewhere = json!({"school": TOWN_JUNIOR, "term": "2021-autumn"}).to_string();
    let status = school.post_json(proposals, &elsewhere).await.status;
    assert_eq!(status, 404, "another school is out of scope");
    let pass = json!({"proposal": id, "pass": true}).to_string();
    for _ in 0..2 {
        officer
            .post_json("/api/v1/aid/decisions", &pass)
            .await
            .with_status(StatusCode::OK);
    }
    let body = school.json("/api/v1/aid/batches").await;
    let batch = body["batches"][0]["id"].as_i64().expect("batch");
    assert_eq!(body["batches"][0]["lines"], 2);
    let uri = format!("/api/v1/aid/batches/{batch}");
    let reply = school.get(&uri).await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["lines"].as_array().map(Vec::len), Some(2));
    assert!(body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .all(|l| l["state"] == "未发放"));
    let status = township.get(&uri).await.status;
    assert_eq!(status, 404, "the urban school is outside 龙潭镇");

    // On the page the approved school is no longer offered, and says why; proposing again
    // anyway stays on the page with the reason beside the form.
    let page = school.get("/aid/proposals?term=2021-autumn").await;
    assert!(page.body.contains("id=\"propose-locked\""), "{}", page.body);
    assert!(
        !page.body.contains("id=\"propose-form\""),
        "nothing left to propose"
    );
    let again = school
        .post_form(
            "/aid/proposals",
            &format!("school={URBAN_PRIMARY}&term=2021-autumn"),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = again
        .body
        .split("id=\"propose-error\">")
        .nth(1)
        .expect("the reason on the page");
    assert!(reason.contains("不能重新申报"), "{reason}");
    assert!(again.body.contains("id=\"aid-proposals\""));
    // The form's school is picked by name; a name outside the scope is refused on the page.
    let unknown = school
        .post_form(
            "/aid/proposals",
            &format!("school={}&term=2021-autumn", crate::web::enc("龙潭镇中学")),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("没有名为“龙潭镇中学”的学校"));
}
