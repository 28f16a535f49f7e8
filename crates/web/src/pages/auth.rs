//! 登录、退出、修改密码.

use crate::error::PageError;
use crate::page::{render, Chrome};
use crate::session::{self, Caller, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::auth::{self, LoginError};
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

/// Only same-site paths may follow a login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn login_response(
    state: &AppState,
    error: Option<String>,
    next: &str,
    username: &str,
) -> Result<Response, PageError> {
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

pub async fn login_page(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
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
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
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
    match auth::login(&state.db, &form.username, &form.password, &caller.source).await? {
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
        Err(e @ (LoginError::Invalid | LoginError::Locked { .. })) => {
            login_response(&state, Some(e.to_string()), &next, &form.username)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
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

pub async fn password_page(Extension(caller): Extension<Caller>) -> Result<Response, PageError> {
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
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    match auth::change_password(
        &state.db,
        account,
        &form.old,
        &form.new,
        &form.confirm,
        &caller.source,
    )
    .await?
    {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err((field, reason)) => {
            let chrome = Chrome::new(&caller, "修改密码", "", &[("修改密码", "/password")])?;
            Ok(render(&PasswordPage {
                chrome,
                forced: account.must_change_password,
                error_field: field,
                error: reason,
            })?
            .into_response())
        }
    }
}
