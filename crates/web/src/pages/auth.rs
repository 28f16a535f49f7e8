//! 登录、退出、修改密码.

use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use crate::session::{self, Caller, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use emis_app::auth;
use emis_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
    csrf: String,
    next: String,
    username: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// The longest `next` kept after login; longer ones fall back to the home page.
const MAX_NEXT_CHARS: usize = 512;

/// Where to go after login: a path on our own origin only, else `/`. The target must be
/// printable ASCII (no whitespace, control characters or anything a browser strips or a
/// header cannot carry), start with exactly one `/`, and contain no `//` and no backslash;
/// the same holds for its percent-decoded forms (`/%2F…`, `/%5C…`, `/%09…`, encoded twice).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    let fallback = || "/".to_string();
    let Some(next) = next else {
        return fallback();
    };
    let acceptable = |text: &str| {
        text.starts_with('/')
            && !text.contains("//")
            && !text.contains('\\')
            && !text.chars().any(|c| c.is_control() || c.is_whitespace())
    };
    if next.len() > MAX_NEXT_CHARS
        || !next.bytes().all(|b| b.is_ascii_graphic())
        || !acceptable(next)
    {
        return fallback();
    }
    // Each decoded form must pass as well (a form that cannot be decoded is refused).
    let mut form = next.to_string();
    for _ in 0..3 {
        if !form.contains('%') {
            break;
        }
        match percent_decode(&form) {
            Some(decoded) if acceptable(&decoded) => form = decoded,
            _ => return fallback(),
        }
    }
    next.to_string()
}

/// Percent-decoding only (`+` stays), as a browser resolves a path.
fn percent_decode(text: &str) -> Option<String> {
    session::percent_decode(text)
}

fn login_response(
    state: &AppState,
    error: Option<String>,
    next: &str,
    username: &str,
) -> PageResult {
    // Double-submit token: the form carries the same value as a cookie.
    let csrf = hex_token();
    let page = render(&LoginPage {
        error,
        csrf: csrf.clone(),
        next: next.to_string(),
        username: username.to_string(),
    })?;
    let mut response = page.into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.secure_cookies),
    );
    Ok(response)
}

fn hex_token() -> String {
    emis_app::auth::random_token()
}

pub async fn login_page(State(state): State<AppState>, Query(q): Query<NextQuery>) -> PageResult {
    login_response(&state, None, &safe_next(q.next.as_deref()), "")
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(rename = "_csrf")]
    csrf: String,
    next: Option<String>,
}

pub async fn login(
    Ctx { state, caller }: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let next = safe_next(form.next.as_deref());
    let secure = state.secure_cookies || session::behind_tls(&headers);
    let expected = session::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.csrf {
        return login_response(
            &state,
            Some("登录页面已过期，请重新输入".into()),
            &next,
            &form.username,
        );
    }
    match auth::login(&state.db, &form.username, &form.password, &caller.source).await {
        Ok(new) => {
            let target = if new.account.must_change_password {
                "/password".to_string()
            } else {
                next
            };
            let mut response = Redirect::to(&target).into_response();
            let max_age = auth::ABSOLUTE_HOURS * 3600;
            response.headers_mut().append(
                header::SET_COOKIE,
                session::set_cookie(SESSION_COOKIE, &new.cookie, max_age, secure),
            );
            response.headers_mut().append(
                header::SET_COOKIE,
                session::set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure),
            );
            Ok(response)
        }
        Err(refused @ AppError::Login(_)) => {
            login_response(&state, Some(refused.to_string()), &next, &form.username)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(Ctx { state, caller }: Ctx) -> PageResult {
    if let Some(cookie) = &caller.cookie {
        auth::logout(&state.db, cookie).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    error_field: String,
    error: String,
}

pub async fn password_page(Extension(caller): Extension<Caller>) -> PageResult {
    let forced = caller.account()?.must_change_password;
    let chrome = Chrome::new(&caller, "修改密码", "", &[("修改密码", "/password")])?;
    Ok(render(&PasswordPage {
        chrome,
        forced,
        error_field: String::new(),
        error: String::new(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    old: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    Ctx { state, caller }: Ctx,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = auth::change_password(
        &state.db,
        account,
        &form.old,
        &form.new,
        &form.confirm,
        &caller.source,
        caller.cookie.as_deref(),
    )
    .await;
    let again = |e: emis_app::registry::FieldError| -> PageResult {
        let chrome = Chrome::new(&caller, "修改密码", "", &[("修改密码", "/password")])?;
        Ok(render(&PasswordPage {
            chrome,
            forced: account.must_change_password,
            error_field: e.field.to_string(),
            error: e.reason,
        })?
        .into_response())
    };
    crate::form::round_trip(outcome, |()| "/".into(), |e| std::future::ready(again(e))).await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_our_origin_follow_a_login() {
        for kept in [
            "/",
            "/students",
            "/students?page=2&q=%E5%BC%A0",
            "/api/v1/students?term=2021-autumn",
        ] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
        let long = format!("/{}", "a".repeat(600));
        for hostile in [
            "/\t/evil.com",
            "/\n/evil.com",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.com",
            "//evil.com",
            "///evil.com",
            "/\\evil.com",
            "\\\\evil.com",
            "/%2F/evil.com",
            "/%2f%2fevil.com",
            "/%5Cevil.com",
            "/%09/evil.com",
            "/%0D%0ASet-Cookie:x=1",
            "/%252F%252Fevil.com",
            "/%zz",
            "/a%20b",
            "https://evil.com",
            "evil.com",
            "javascript:alert(1)",
            "/\u{a0}/evil.com",
            "/学生",
            "",
            long.as_str(),
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
