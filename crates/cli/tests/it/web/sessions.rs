//! Sessions: login and lock-out, the forced password change, the session cookie's flags,
//! idle time-out and logout, and the CSRF token on every post.

use super::*;

/// The session cookie a reply sets, with its attributes.
fn session_cookie(headers: &axum::http::HeaderMap) -> String {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("emis_sid="))
        .expect("session cookie")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_lockout_and_forced_password_change() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    // Wrong password: the same message as an unknown name; five failures from the same
    // address lock the account there (the answer stays the same, see crate::auth).
    for attempt in 1..=5 {
        let r = c.login("xiaoxue", "wrong").await;
        assert_eq!(r.status, StatusCode::OK, "attempt {attempt}");
        assert!(r.body.contains("账号或密码错误"));
    }
    let r = c.login("xiaoxue", PASSWORD).await;
    assert!(
        r.status == StatusCode::OK && r.body.contains("账号或密码错误"),
        "even the right password is refused while locked"
    );
    assert!(audit_actions(&f)
        .await
        .iter()
        .any(|(_, action, key)| action == "lock" && key == "xiaoxue"));
    let r = c.login("nobody", "x").await;
    assert!(r.body.contains("账号或密码错误"));

    // A new account must change its one-time password before anything else.
    let created = emis_app::accounts::add_user(
        &f.t.db,
        "431224",
        "newbie",
        Role::Leader,
        "431224",
        None,
        None,
        &Actor::cli(),
    )
    .await
    .expect("user");
    let mut c = Client::new(&f.app);
    let r = c.login("newbie", &created.password).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/password")
    );
    assert_eq!(c.get("/students").await.location, "/password");
    let weak = c
        .post_form(
            "/password",
            &format!("old={}&new=short&confirm=short", created.password),
        )
        .await;
    assert!(
        weak.body.contains("新密码至少10位"),
        "a field error is shown next to the field"
    );
    let ok = c
        .post_form(
            "/password",
            &format!(
                "old={}&new=Xinmima2022&confirm=Xinmima2022",
                created.password
            ),
        )
        .await;
    assert_eq!(
        (ok.status, ok.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(c.get("/students").await.status, StatusCode::OK);

    // The session cookie carries the protective flags.
    let mut c = Client::new(&f.app);
    let page = c.get("/login").await;
    let token = hidden(&page.body, "_csrf");
    let r = c
        .post_form(
            "/login",
            &format!("username=admin&password={PASSWORD}&_csrf={token}"),
        )
        .await;
    let cookie = session_cookie(&r.headers);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on the office network"
    );

    // Behind a TLS-terminating proxy the cookie is also Secure.
    let page = c.get("/login").await;
    let token = hidden(&page.body, "_csrf");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("emis_login_csrf={token}"))
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!(
            "username=admin&password={PASSWORD}&_csrf={token}"
        )))
        .expect("request");
    let response = f.app.clone().oneshot(request).await.expect("response");
    let cookie = session_cookie(response.headers());
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_time_out_and_logout_ends_the_session() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "officer").await;
    assert_eq!(c.get("/students").await.status, StatusCode::OK);
    emis_storage::testing::age_sessions(&f.t.db, emis_app::auth::IDLE_MINUTES + 1)
        .await
        .expect("age");
    let r = c.get("/students").await;
    assert_eq!(
        (r.status, r.location.starts_with("/login")),
        (StatusCode::SEE_OTHER, true),
        "an idle session has ended"
    );

    c.login("officer", PASSWORD).await;
    assert_eq!(c.get("/students").await.status, StatusCode::OK);
    let session = c
        .cookies
        .iter()
        .find(|(k, _)| k == "emis_sid")
        .cloned()
        .expect("session cookie");
    let out = c.post_form("/logout", "").await;
    assert_eq!(out.location, "/login");
    // The session is gone on the server, not only from the browser.
    c.cookies.push(session);
    assert_eq!(
        c.get("/students").await.status,
        StatusCode::SEE_OTHER,
        "logged out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_without_the_csrf_token_are_refused() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let token = std::mem::take(&mut c.csrf);
    let uri = format!("/students/{}/status", f.own_student);
    let r = c.post_form(&uri, "status=休学&reason=病休").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post_form(&uri, "status=休学&reason=病休&_csrf=forged")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post_form(
            &uri,
            &format!("status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85%E4%BC%91&_csrf={token}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
