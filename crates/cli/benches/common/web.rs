//! A signed-in session through the in-process router, as the web benches drive it.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use emis_app::{Actor, Db};
use emis_domain::access::Role;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Bench2021pass";

/// A browser's cookies against the router.
#[derive(Clone)]
pub struct Session {
    pub app: axum::Router,
    pub cookies: Vec<(String, String)>,
}

impl Session {
    pub async fn send(&mut self, method: Method, uri: &str, body: String) -> (StatusCode, String) {
        let mut request = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body)).expect("request"))
            .await
            .expect("response");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or("");
            if let Some((pair, _)) = text.split_once(';') {
                if let Some((k, v)) = pair.split_once('=') {
                    self.cookies.retain(|(name, _)| name != k);
                    if !v.is_empty() {
                        self.cookies.push((k.to_string(), v.to_string()));
                    }
                }
            }
        }
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).to_string())
    }
}

/// The value of a hidden form field (the CSRF token).
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// A session of a bench account of `county` (made once, its password set each run).
pub async fn signed_in(
    db: &Db,
    app: &axum::Router,
    county: &str,
    user: &str,
    role: Role,
    org: &str,
) -> Session {
    if emis_storage::users::find(db, user)
        .await
        .ok()
        .flatten()
        .is_none()
    {
        emis_app::accounts::add_user(db, county, user, role, org, None, None, &Actor::cli())
            .await
            .expect("user");
    }
    let mut tx = db.begin().await.expect("tx");
    let hash = emis_app::accounts::hash_password(PASSWORD).expect("hash");
    emis_storage::users::set_password(&mut tx, user, &hash, false)
        .await
        .expect("password");
    emis_storage::commit(tx).await.expect("commit");
    let mut s = Session {
        app: app.clone(),
        cookies: Vec::new(),
    };
    let (_, login) = s.send(Method::GET, "/login", String::new()).await;
    let token = hidden(&login, "_csrf");
    let (status, _) = s
        .send(
            Method::POST,
            "/login",
            format!("username={user}&password={PASSWORD}&_csrf={token}&next=/"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{user} signs in");
    s
}
