//! Sign-in hardening (issue #11): the post-login redirect stays on our origin, the login
//! throttle per (name, address) / address / name with the same answer and the same argon2
//! work for every refusal, API token expiry and revocation, sessions and tokens ended on a
//! password change or reset, the password policy, and no full ID number in the audit log.

use crate::support::*;
use crate::web::{fixture, hidden, Client, Fixture, Reply, PASSWORD};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use emis_domain::login as rules;
use tower::ServiceExt;

/// The login error shown on the page.
fn login_error(reply: &Reply) -> String {
    reply
        .body
        .split("id=\"login-error\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or("")
        .to_string()
}

/// Posts the login form with a raw (already URL-encoded) `next`.
async fn login_with_next(c: &mut Client, username: &str, password: &str, next: &str) -> Reply {
    let page = c.get("/login").await;
    let token = hidden(&page.body, "_csrf");
    c.post_form(
        "/login",
        &format!("username={username}&password={password}&_csrf={token}&next={next}"),
    )
    .await
}

async fn audit_rows(f: &Fixture) -> Vec<(String, String, String, String)> {
    emis_storage::testing::all_audit(&f.t.db)
        .await
        .expect("audit")
        .into_iter()
        .map(|a| (a.actor, a.source, a.action, a.entity_key))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redirect_after_login_stays_on_our_origin() {
    let f = fixture(sqlite().await).await;
    let mut c = Client::new(&f.app);
    // The login page does not carry a hostile target into its form.
    let page = c.get("/login?next=/%09/evil.com").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(hidden(&page.body, "next"), "/");
    for hostile in [
        "%2F%09%2Fevil.com",
        "/%09/evil.com",
        "%2F%0D%0ASet-Cookie:%20x=1",
        "//evil.com",
        "/%5Cevil.com",
        "%2F%252F%252Fevil.com",
        "https://evil.com",
    ] {
        let mut c = Client::new(&f.app);
        let r = login_with_next(&mut c, "officer", PASSWORD, hostile).await;
        assert_eq!(
            (r.status, r.location.as_str()),
            (StatusCode::SEE_OTHER, "/"),
            "{hostile}"
        );
    }
    // A path of ours survives the round trip, query included.
    let mut c = Client::new(&f.app);
    let r = c.get("/students?page=2").await;
    assert!(r.location.starts_with("/login?next="), "{}", r.location);
    let next = r.location.trim_start_matches("/login?next=").to_string();
    let page = c.get(&r.location).await;
    assert_eq!(hidden(&page.body, "next"), "/students?page=2");
    let r = login_with_next(&mut c, "officer", PASSWORD, &next).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/students?page=2")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_address_cannot_lock_out_the_real_user() {
    let f = fixture(sqlite().await).await;
    let mut attacker = Client::at(&f.app, "203.0.113.66");
    for _ in 0..(rules::PAIR_MAX_FAILURES * 2) {
        let r = attacker.login("admin", "guess").await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // Locked for that address, the right password included.
    let r = attacker.login("admin", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "refused at the attacker's address"
    );
    // The administrator at the office signs in.
    let mut office = Client::at(&f.app, "10.1.2.3");
    let r = office.login("admin", PASSWORD).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(office.get("/admin/users").await.status, StatusCode::OK);
    // The page lists the lock with its address; the log has the lock and the attempts
    // made during it, with the address.
    let users = office.get("/admin/users").await;
    assert!(
        users.body.contains("203.0.113.66 暂停登录至"),
        "{}",
        users.body
    );
    let rows = audit_rows(&f).await;
    assert!(rows.iter().any(|(_, source, action, key)| action == "lock"
        && key == "admin"
        && source == "203.0.113.66"));
    assert!(rows
        .iter()
        .any(|(_, source, action, key)| action == "login_locked"
            && key == "admin"
            && source == "203.0.113.66"));
    // The same name from the same address as before stays locked; an unrelated name from it
    // is still checked normally.
    let r = attacker.login("officer", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// Wrong password, unknown name and locked pair: the same text, one argon2 verification
/// each; the unknown name is audited, cut to 64 characters, with the address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_look_alike_and_cost_the_same() {
    let f = fixture(sqlite().await).await;
    let db = &f.t.db;
    let attempt = |name: String, password: &'static str, address: &'static str| async move {
        let before = emis_app::accounts::argon2_verifications();
        let answer = emis_app::auth::login(db, &name, password, address)
            .await
            .err()
            .expect("refused");
        assert!(
            matches!(answer, emis_app::AppError::Login(_)),
            "a login refusal, not a fault: {answer}"
        );
        let after = emis_app::accounts::argon2_verifications();
        assert!(after > before, "{name}: no argon2 verification ran");
        answer.to_string()
    };
    let wrong = attempt("leader".into(), "wrong-password", "10.0.0.1").await;
    let long_name = "无此人".repeat(100);
    let unknown = attempt(long_name.clone(), "wrong-password", "10.0.0.2").await;
    for _ in 0..rules::PAIR_MAX_FAILURES {
        attempt("officer".into(), "wrong-password", "10.0.0.3").await;
    }
    let locked = attempt("officer".into(), PASSWORD, "10.0.0.3").await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, locked);
    assert!(wrong.contains("账号或密码错误"), "{wrong}");

    // Through the pages: the same error text for the three.
    let mut c = Client::at(&f.app, "10.0.0.4");
    let page_wrong = login_error(&c.login("leader", "wrong-password").await);
    let page_unknown = login_error(&c.login("nobody", "wrong-password").await);
    for _ in 0..rules::PAIR_MAX_FAILURES {
        c.login("xiaoxue", "wrong-password").await;
    }
    let page_locked = login_error(&c.login("xiaoxue", PASSWORD).await);
    assert!(!page_wrong.is_empty());
    assert_eq!(page_wrong, page_unknown);
    assert_eq!(page_wrong, page_locked);

    let rows = audit_rows(&f).await;
    let bounded: String = long_name.chars().take(rules::MAX_NAME_CHARS).collect();
    assert!(
        rows.iter()
            .any(|(actor, source, action, key)| actor == "anonymous"
                && source == "10.0.0.2"
                && action == "login_unknown"
                && *key == bounded),
        "{rows:?}"
    );
    assert!(rows
        .iter()
        .any(|(_, source, action, key)| action == "login_unknown"
            && key == "nobody"
            && source == "10.0.0.4"));
    assert!(rows
        .iter()
        .any(|(_, source, action, key)| action == "login_locked"
            && key == "officer"
            && source == "10.0.0.3"));
}

async fn address_throttle(f: Fixture) {
    let mut c = Client::at(&f.app, "198.51.100.7");
    // Many names, one failure each: no pair locks, only the address counter grows.
    for n in 0..rules::ADDRESS_MAX_FAILURES {
        let r = c.login(&format!("guess{n}"), "wrong-password").await;
        assert!(login_error(&r).contains("账号或密码错误"), "attempt {n}");
    }
    let before = emis_app::accounts::argon2_verifications();
    let r = c.login("admin", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        login_error(&r).contains("本机登录失败次数过多"),
        "{}",
        login_error(&r)
    );
    let r = c.login("officer", PASSWORD).await;
    assert!(login_error(&r).contains("本机登录失败次数过多"));
    // Refused before any password check.
    assert_eq!(emis_app::accounts::argon2_verifications(), before);
    // Another address is not affected.
    let mut other = Client::at(&f.app, "198.51.100.8");
    assert_eq!(
        other.login("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let throttled = audit_rows(&f)
        .await
        .into_iter()
        .filter(|(_, source, action, _)| action == "login_throttled" && source == "198.51.100.7")
        .count();
    assert_eq!(throttled, 1, "audited once, when the throttle starts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_throttle_refuses_after_its_limit_sqlite() {
    address_throttle(fixture(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_throttle_refuses_after_its_limit_postgres() {
    if let Some(t) = postgres().await {
        address_throttle(fixture(t).await).await;
    }
}

/// Parallel attempts are all counted: a burst of wrong passwords cannot get more than the
/// pair's limit checked before the lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_attempts_is_counted_before_the_checks() {
    let f = fixture(sqlite().await).await;
    let db = f.t.db.clone();
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            matches!(
                emis_app::auth::login(&db, "leader", "wrong-password", "192.0.2.9").await,
                Err(emis_app::AppError::Login(_))
            )
        }));
    }
    for task in tasks {
        assert!(task.await.expect("task"));
    }
    let r = emis_app::auth::login(&db, "leader", PASSWORD, "192.0.2.9").await;
    assert!(
        matches!(r, Err(emis_app::AppError::Login(_))),
        "locked after the burst"
    );
    let failed = audit_rows(&f)
        .await
        .into_iter()
        .filter(|(_, _, action, _)| action == "login_failed" || action == "lock")
        .count();
    assert!(
        failed <= rules::PAIR_MAX_FAILURES as usize,
        "{failed} passwords checked as open attempts"
    );
}

async fn bearer(f: &Fixture, token: &str) -> StatusCode {
    let request = Request::builder()
        .uri("/api/v1/students")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    f.app
        .clone()
        .oneshot(request)
        .await
        .expect("response")
        .status()
}

/// The token shown once in the flash message of the accounts page.
fn shown_token(body: &str) -> String {
    body.split("API 令牌：")
        .nth(1)
        .and_then(|rest| rest.split('（').next())
        .unwrap_or("")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_expire_are_listed_and_revoked() {
    let f = fixture(sqlite().await).await;
    let mut admin = Client::signed_in(&f.app, "admin").await;

    // Created with a chosen term, listed with created / last used / expiry.
    let r = admin
        .post_form(
            "/admin/users/longtan/token",
            "label=%E6%8A%A5%E8%A1%A8&days=30",
        )
        .await;
    let token = shown_token(&r.body);
    assert!(token.starts_with("emis_"), "{}", r.body);
    assert_eq!(bearer(&f, &token).await, StatusCode::OK);
    let page = admin.get("/admin/users").await;
    // Shown in the county's clock (UTC+8).
    let county_clock = chrono::FixedOffset::east_opt(8 * 3600).expect("offset");
    let expected = (chrono::Utc::now() + chrono::Duration::days(30))
        .with_timezone(&county_clock)
        .format("%Y-%m-%d")
        .to_string();
    let listing = page.body.split("id=\"tokens\"").nth(1).unwrap_or("");
    assert!(
        listing.contains("longtan") && listing.contains("报表"),
        "{listing}"
    );
    assert!(listing.contains(&expected), "expiry {expected} listed");
    assert!(!listing.contains("未使用"), "the last use is shown");
    // The audit log reads it in Chinese, in the county's clock, field by field.
    let audit = admin.get("/admin/audit").await;
    let log = audit.body.split("id=\"audit\"").nth(1).unwrap_or("");
    let today = chrono::Utc::now()
        .with_timezone(&county_clock)
        .format("%Y-%m-%d")
        .to_string();
    assert!(log.contains("生成API令牌") && log.contains(&today), "{log}");
    assert!(log.contains("title=\"user\">账号</td>"), "{log}");
    assert!(log.contains("label</span>：报表"), "{log}");
    assert!(!log.contains("Z</td>") && !log.contains("{&quot;"), "{log}");
    // Terms past the maximum are refused; nothing is created.
    let r = admin
        .post_form("/admin/users/longtan/token", "days=400")
        .await;
    assert!(r.body.contains("令牌有效期应为1–365天"));
    assert_eq!(
        emis_app::auth::tokens(&f.t.db, "431224")
            .await
            .expect("tokens")
            .len(),
        1
    );

    // Revoked on the page: a form with the CSRF token, audited.
    let id = emis_app::auth::tokens(&f.t.db, "431224")
        .await
        .expect("tokens")[0]
        .id;
    let csrf = std::mem::take(&mut admin.csrf);
    let forged = admin
        .post_form("/admin/users/longtan/tokens/revoke", &format!("token={id}"))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(bearer(&f, &token).await, StatusCode::OK, "still valid");
    admin.csrf = csrf;
    let r = admin
        .post_form("/admin/users/longtan/tokens/revoke", &format!("token={id}"))
        .await;
    assert!(r.body.contains("已吊销"), "{}", r.body);
    assert_eq!(bearer(&f, &token).await, StatusCode::UNAUTHORIZED);
    assert!(audit_rows(&f)
        .await
        .iter()
        .any(|(actor, _, action, key)| actor == "admin"
            && action == "revoke_token"
            && key == "longtan"));

    // An expired token is refused.
    let raw = "emis_expired-for-the-test";
    let mut tx = f.t.db.begin().await.expect("tx");
    emis_storage::users::create_token(
        &mut tx,
        &emis_app::auth::hash_secret(raw),
        "longtan",
        "旧",
        "2020-01-01T00:00:00Z",
    )
    .await
    .expect("token");
    emis_storage::commit(tx).await.expect("commit");
    assert_eq!(bearer(&f, raw).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_other_sessions_and_tokens_and_a_reset_ends_all() {
    let f = fixture(sqlite().await).await;
    let admin_account = emis_app::auth::login(&f.t.db, "admin", PASSWORD, "test")
        .await
        .expect("login")
        .account;
    let token = emis_app::auth::create_token(&f.t.db, &admin_account, "officer", "x", "test")
        .await
        .expect("token");
    let mut here = Client::signed_in(&f.app, "officer").await;
    let mut elsewhere = Client::signed_in(&f.app, "officer").await;
    assert_eq!(elsewhere.get("/students").await.status, StatusCode::OK);

    // The policy refuses a common password, with the reason.
    let r = here
        .post_form(
            "/password",
            &format!("old={PASSWORD}&new=woaini1314520&confirm=woaini1314520"),
        )
        .await;
    assert!(r.body.contains("过于常见"), "{}", r.body);
    let r = here
        .post_form(
            "/password",
            &format!("old={PASSWORD}&new=officer2022&confirm=officer2022"),
        )
        .await;
    assert!(r.body.contains("账号名"), "{}", r.body);
    assert_eq!(
        bearer(&f, &token).await,
        StatusCode::OK,
        "refusals change nothing"
    );

    let r = here
        .post_form(
            "/password",
            "old=Zhongxue2021&new=Gaozhong%2B2022&confirm=Gaozhong%2B2022",
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(
        here.get("/students").await.status,
        StatusCode::OK,
        "this session stays"
    );
    let r = elsewhere.get("/students").await;
    assert!(
        r.status == StatusCode::SEE_OTHER && r.location.starts_with("/login"),
        "the other session has ended"
    );
    assert_eq!(
        bearer(&f, &token).await,
        StatusCode::UNAUTHORIZED,
        "tokens revoked"
    );

    // A reset ends every session and revokes new tokens as well.
    let token = emis_app::auth::create_token(&f.t.db, &admin_account, "officer", "y", "test")
        .await
        .expect("token");
    emis_app::auth::reset_password(&f.t.db, &admin_account, "officer", "test")
        .await
        .expect("reset");
    assert!(here.get("/students").await.location.starts_with("/login"));
    assert_eq!(bearer(&f, &token).await, StatusCode::UNAUTHORIZED);
    let rows = audit_rows(&f).await;
    assert!(rows
        .iter()
        .any(|(_, _, action, key)| action == "change_password" && key == "officer"));
    assert!(rows
        .iter()
        .any(|(_, _, action, key)| action == "reset_password" && key == "officer"));
}

/// Whether a text holds an unmasked ID number: a run of exactly 17 digits and a digit or X
/// (longer digit runs, such as time stamps in file names, are something else).
fn has_full_id_number(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == 'X' || c == 'x'))
        .any(|run| {
            run.len() == 18
                && run[..17].bytes().all(|b| b.is_ascii_digit())
                && !run[..17].contains(['X', 'x'])
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_holds_no_full_id_number() {
    // The fixture imports a roll and a population list; a school then changes a status and
    // views an ID number in full.
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "xiaoxue").await;
    let r = c
        .post_form(
            &format!("/students/{}/status", f.own_student),
            "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85%E4%BC%91",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let reveal = c
        .post_form(&format!("/students/{}/reveal", f.own_student), "")
        .await;
    assert_eq!(reveal.status, StatusCode::OK);
    let rows = emis_storage::testing::all_audit(&f.t.db)
        .await
        .expect("audit");
    assert!(rows.len() > 10, "the imports and views were audited");
    let mut actions = Vec::new();
    for row in &rows {
        for text in [
            Some(&row.entity_key),
            row.before_json.as_ref(),
            row.after_json.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!has_full_id_number(text), "{}: {text}", row.action);
        }
        actions.push(row.action.clone());
    }
    assert!(actions.iter().any(|a| a == "view_unmasked"));
    assert!(actions.iter().any(|a| a == "status_change"));
    // The log is still found by a full ID number (through its masked form).
    let detail = c.get(&format!("/students/{}", f.own_student)).await;
    let full = reveal
        .body
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .find(|w| w.len() == 18 && has_full_id_number(w))
        .expect("the full number on the page")
        .to_string();
    assert_eq!(detail.status, StatusCode::OK);
    let found = emis_storage::lists::audit(&f.t.db, "431224", None, Some(&full), None, None, 1)
        .await
        .expect("audit search");
    assert!(found.items.iter().any(|a| a.action == "view_unmasked"));
}

/// Entries written before masking are masked by the migration's clean-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_written_before_masking_are_masked_by_the_migration() {
    let t = sqlite().await;
    let id = "43122420110505001X";
    emis_storage::testing::insert_unmasked_audit(
        &t.db,
        "431224",
        id,
        &format!(r#"{{"id_number":"{id}","class":3}}"#),
    )
    .await
    .expect("raw entry");
    let mut tx = t.db.begin().await.expect("tx");
    let changed = emis_storage::audit::mask_existing_ids(&mut tx)
        .await
        .expect("mask");
    emis_storage::commit(tx).await.expect("commit");
    assert_eq!(changed, 1);
    let rows = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    let row = rows.last().expect("row");
    assert_eq!(row.entity_key, "431224**********1X");
    assert_eq!(
        row.after_json.as_deref(),
        Some(r#"{"id_number":"431224**********1X","class":3}"#)
    );
}
