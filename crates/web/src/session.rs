//! Who is calling: a session cookie (pages) or a bearer token (programs). Also the
//! per-route gate (access rule, forced password change, CSRF) and security headers.

use crate::error::{api_error, page_error};
use crate::routes::{Access, RouteSpec};
use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use emis_app::auth::{self, Account};

pub const SESSION_COOKIE: &str = "emis_sid";
pub const LOGIN_CSRF_COOKIE: &str = "emis_login_csrf";

#[derive(Clone, Debug)]
pub struct Caller {
    pub account: Option<Account>,
    /// The session's CSRF token (pages only).
    pub csrf: Option<String>,
    pub via_token: bool,
    /// Where the request came from, for the audit log.
    pub source: String,
    pub cookie: Option<String>,
}

/// What every handler starts from: the application state and the caller the session gate
/// put on the request; one extractor for the two that each handler would otherwise name.
pub struct Ctx {
    pub state: AppState,
    pub caller: Caller,
}

impl axum::extract::FromRequestParts<AppState> for Ctx {
    type Rejection = axum::extract::rejection::ExtensionRejection;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let axum::Extension(caller) =
            axum::Extension::<Caller>::from_request_parts(parts, state).await?;
        Ok(Ctx {
            state: state.clone(),
            caller,
        })
    }
}

impl Caller {
    /// The signed-in account; the gate has already refused anonymous callers on
    /// non-public routes, so handlers may rely on it.
    pub fn account(&self) -> Result<&Account, emis_app::AppError> {
        self.account.as_ref().ok_or(emis_app::AppError::Forbidden)
    }
}

/// A cookie of the request, by name (the `cookie` crate splits and unquotes the header).
pub fn cookie(request_headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    request_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Resolves the caller once per request.
pub async fn load_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let source = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".to_string());
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let mut caller = Caller {
        account: None,
        csrf: None,
        via_token: false,
        source,
        cookie: None,
    };
    if let Some(token) = bearer {
        match auth::token_account(&state.db, &token).await {
            Ok(account) => {
                if let Some(account) = &account {
                    crate::layers::record_account(&account.username);
                }
                caller.account = account;
                caller.via_token = true;
            }
            Err(e) => return api_error(e.into()),
        }
    } else if let Some(cookie) = cookie(request.headers(), SESSION_COOKIE) {
        match auth::session_account(&state.db, &cookie).await {
            Ok(Some((account, csrf))) => {
                crate::layers::record_account(&account.username);
                caller.account = Some(account);
                caller.csrf = Some(csrf);
                caller.cookie = Some(cookie);
            }
            Ok(None) => {}
            Err(e) => return page_error(e.into()),
        }
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// The route's access rule, the forced password change, and CSRF on posts.
pub async fn gate(spec: RouteSpec, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let api = is_api(&path);
    let caller = request.extensions().get::<Caller>().cloned();
    if spec.access == Access::Public {
        return next.run(request).await;
    }
    let Some(caller) = caller else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Some(account) = &caller.account else {
        if api {
            return api_error(crate::error::WebError::Unauthorized);
        }
        let target = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        return Redirect::to(&format!("/login?next={}", urlencode(&target))).into_response();
    };
    if account.must_change_password && !matches!(path.as_str(), "/password" | "/logout") {
        if api {
            return api_error(crate::error::WebError::Message(
                StatusCode::FORBIDDEN,
                "须先在网页上修改初始密码".into(),
            ));
        }
        return Redirect::to("/password").into_response();
    }
    if !spec.access.admits(account.role) {
        let e = crate::error::WebError::App(emis_app::AppError::Forbidden);
        return if api { api_error(e) } else { page_error(e) };
    }
    if request.method() == Method::POST && !caller.via_token {
        return match check_csrf(request, caller.csrf.as_deref().unwrap_or("")).await {
            Ok(request) => next.run(request).await,
            Err(response) => response,
        };
    }
    next.run(request).await
}

/// Accepts the token from the `x-csrf-token` header, the `_csrf` query parameter
/// (multipart uploads) or the `_csrf` form field; the body is put back for the handler.
async fn check_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    let refuse = || {
        page_error(crate::error::WebError::Message(
            StatusCode::FORBIDDEN,
            "表单已过期或来源无效，请刷新页面后重试".into(),
        ))
    };
    if expected.is_empty() {
        return Err(refuse());
    }
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let query_token = request.uri().query().and_then(|q| form_value(q, "_csrf"));
    if let Some(token) = header_token.or(query_token) {
        return if constant_time_eq(&token, expected) {
            Ok(request)
        } else {
            Err(refuse())
        };
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(|_| refuse())?;
    let token = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|b| form_value(b, "_csrf"));
    match token {
        Some(t) if constant_time_eq(&t, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(refuse()),
    }
}

pub fn form_value(encoded: &str, key: &str) -> Option<String> {
    form_pairs(encoded)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Every `key=value` pair of a URL-encoded form, repeated keys included.
pub(crate) fn form_pairs(encoded: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Percent-decoding (`+` stays as it is); none when a `%` is not followed by two hex
/// digits or the result is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let well_formed = text.match_indices('%').all(|(at, _)| {
        text.as_bytes()
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|t| t.into_owned())
}

/// Everything but unreserved characters and `/` is encoded (query values, `next=` paths).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub fn urlencode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    subtle::ConstantTimeEq::ct_eq(a.as_bytes(), b.as_bytes()).into()
}

/// Whether the request reached us through a TLS-terminating proxy.
pub fn behind_tls(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value with the flags every cookie of ours carries.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let built = cookie::Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .secure(secure)
        .build();
    HeaderValue::from_str(&built.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Every body past its limit is answered in Chinese with the limits, as a page or as JSON
/// for the API: the framework's own answer is English plain text.
pub async fn explain_too_large(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let message = format!(
        "提交的内容过大：上传的文件不能超过 {} MB，其他表单和接口请求不能超过 {} MB",
        state.upload_limit >> 20,
        crate::FORM_BODY_LIMIT >> 20
    );
    let error = crate::error::WebError::Message(StatusCode::PAYLOAD_TOO_LARGE, message);
    if api {
        crate::error::api_error(error)
    } else {
        page_error(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_decode() {
        assert_eq!(
            form_value("a=1&_csrf=ab%2Bc&x=%E5%AD%A6", "_csrf").as_deref(),
            Some("ab+c")
        );
        assert_eq!(
            form_value("name=%E5%AD%A6+%E7%94%9F", "name").as_deref(),
            Some("学 生")
        );
        assert_eq!(urlencode("/students?q=张"), "/students%3Fq%3D%E5%BC%A0");
        assert_eq!(percent_decode("a+%E5%AD%A6").as_deref(), Some("a+学"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%E5"), None);
    }

    #[test]
    fn cookies_are_read_and_set() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; emis_session=abc"),
        );
        assert_eq!(cookie(&headers, "emis_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
        let set = set_cookie("emis_session", "abc", 60, true);
        let set = set.to_str().expect("ascii");
        for part in [
            "emis_session=abc",
            "HttpOnly",
            "SameSite=Lax",
            "Path=/",
            "Max-Age=60",
            "Secure",
        ] {
            assert!(set.contains(part), "{set}");
        }
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
    }
}
