//! 安全管理 (safety) pages: the dashboard, the hazard ledger with filters and export, a hazard's
//! workflow forms and evidence, inspections and campaigns, water bodies with measures and
//! the 九长 chain, patrol logs with missing patrols, 十有 and parent-letter coverage.
//! The parts have the same names as in the app and storage layers; this file holds what
//! they share (the year query, multipart reading, file and xlsx responses, form errors).

use crate::error::{PageError, WebError};
use crate::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::Response;
use emis_app::registry::FieldError;
use serde::Deserialize;

pub mod chain;
pub mod dashboard;
pub mod evidence;
pub mod hazards;
pub mod inspections;
pub mod letters;
pub mod patrols;
pub mod roster;
pub mod ten_haves;
pub mod waters;

pub use self::{
    chain::*, dashboard::*, evidence::*, hazards::*, inspections::*, letters::*, patrols::*,
    roster::*, ten_haves::*, waters::*,
};

fn pct(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn crumbs() -> (&'static str, &'static str) {
    ("安全管理", "/safety")
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

fn xlsx_response(bytes: Vec<u8>, ascii: &str, chinese: &str) -> Response {
    crate::download::xlsx(bytes, ascii, chinese)
}

fn internal(e: impl std::fmt::Display) -> PageError {
    PageError(WebError::Message(
        StatusCode::INTERNAL_SERVER_ERROR,
        e.to_string(),
    ))
}

/// A multipart body: its text fields and at most one file (name, bytes).
pub(crate) type MultipartBody = (Vec<(String, String)>, Option<(String, Vec<u8>)>);

/// Reads a multipart body: text fields and at most one file (`file` or `photo`). The
/// pages and the API both read uploads through it.
pub(crate) async fn read_multipart(
    state: &AppState,
    request: Request,
) -> Result<MultipartBody, WebError> {
    let refused =
        |e: axum::extract::multipart::MultipartError| crate::error::upload_refusal(e.status());
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?;
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(refused)?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.push((name, field.text().await.unwrap_or_default()));
        }
    }
    Ok((fields, file))
}

pub(crate) fn value(fields: &[(String, String)], key: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A stored photo or PDF as a response: images inline, PDF as an attachment, never sniffed.
pub(crate) fn file_response(
    mime: &str,
    file_name: &str,
    ascii_name: &str,
    bytes: Vec<u8>,
) -> Response {
    crate::download::attachment(bytes, mime, ascii_name, file_name)
}

/// A form's field error as the page shows it: the status, the field and the reason.
fn form_error(error: Option<FieldError>) -> (StatusCode, String, String) {
    match error {
        Some(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            e.field.to_string(),
            e.reason,
        ),
        None => (StatusCode::OK, String::new(), String::new()),
    }
}
