//! Server-rendered pages. Handlers read the caller, call the app services (which apply
//! the scope) and render a template.

pub mod admin;
pub mod aid;
pub mod auth;
pub mod campaigns;
pub mod charts;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
pub mod enrollment;
pub mod forms;
pub mod home;
pub mod honours;
pub mod import;
pub mod incidents;
pub mod jobs;
pub mod party;
pub mod projects;
pub mod region;
pub mod registry;
pub mod safety;
pub mod students;
pub mod summary;
pub mod supervision;
pub mod teachers;
pub mod transfers;
pub mod vocational;

use crate::error::{page_error, WebError};
use crate::AppState;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use emis_domain::term::Term;

const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");
const FAVICON: &str = include_str!("../../static/favicon.svg");

/// Static assets, embedded in the binary.
pub async fn static_file(Path(file): Path<String>) -> Response {
    let (body, mime) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (FAVICON, "image/svg+xml"),
        _ => return not_found().await,
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn not_found() -> Response {
    page_error(WebError::Message(
        StatusCode::NOT_FOUND,
        "页面不存在".into(),
    ))
}

/// The same terms latest first as (code, label), the current term if there is none.
pub async fn terms(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<Vec<(String, String)>, crate::error::PageError> {
    let codes = crate::list::term_codes(state, account).await?;
    let mut all = Vec::new();
    for code in codes.iter().rev() {
        if let Some(t) = Term::parse(code) {
            all.push((t.code(), t.label()));
        }
    }
    if all.is_empty() {
        let t = state.clock.current_term();
        all.push((t.code(), t.label()));
    }
    Ok(all)
}

/// The chosen term if it is a known one, else the latest.
pub fn pick_term(terms: &[(String, String)], asked: Option<&str>) -> (String, String) {
    asked
        .and_then(|a| terms.iter().find(|(code, _)| code == a))
        .or_else(|| terms.first())
        .cloned()
        .unwrap_or_default()
}

/// Empty form values mean "no filter".
pub fn nonempty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// `?unmasked=1` on an export: full ID numbers instead of masked ones (the default).
#[derive(serde::Deserialize, Default)]
pub struct ExportMask {
    unmasked: Option<String>,
}

impl ExportMask {
    /// Whether the export is to carry full ID numbers: only when asked for, and only for the
    /// roles that may see them (others are refused with 403, nothing written).
    pub fn unmasked(
        &self,
        account: &emis_app::auth::Account,
    ) -> Result<bool, crate::error::PageError> {
        let asked = self
            .unmasked
            .as_deref()
            .is_some_and(|v| matches!(v.trim(), "1" | "true" | "on" | "yes"));
        if asked
            && !account
                .role
                .permits(emis_domain::access::Permission::SeePersonalData)
        {
            return Err(crate::error::PageError(WebError::Message(
                StatusCode::FORBIDDEN,
                "您的角色不能导出完整证件号".into(),
            )));
        }
        Ok(asked)
    }
}

/// A fault of ours while making a page's file (a temporary file that could not be written
/// or read back): the error page with the cause.
pub(crate) fn internal(e: impl std::fmt::Display) -> crate::error::PageError {
    crate::error::PageError(crate::error::WebError::Message(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        e.to_string(),
    ))
}
