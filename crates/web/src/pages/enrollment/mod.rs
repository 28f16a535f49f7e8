//! 招生与班额 pages: the class-size monitor with SVG charts, the large-class ledger, zones
//! and intake plans, applicant import, allocation runs (what-ifs, comparison,
//! publication) and balanced classes.
//!
//! The parts have the same names as in the app layer (`monitor`, `settings`, `ledger`,
//! `zones`, `intake`, `allocation`, `balanced`), with the shared `super::charts`; this file holds what they
//! share (refusals, the run id and year from a request, uploads).

use crate::error::{PageError, WebError};
use axum::extract::Multipart;
use axum::http::StatusCode;
use emis_app::AppError;
use serde::Deserialize;

mod allocation;
mod balanced;
mod intake;
mod ledger;
mod monitor;
mod settings;
mod zones;

pub use self::{
    allocation::*, balanced::*, intake::*, ledger::*, monitor::*, settings::*, zones::*,
};
use super::charts::{band_chart, bar_chart};

pub(crate) fn bad(message: impl Into<String>) -> PageError {
    PageError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        message.into(),
    ))
}

/// A run id from the path (`{run}`), refused when not a number.
pub(crate) fn run_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .map_err(|_| AppError::Refused(format!("方案编号“{raw}”无效")))
}

const YEAR: i32 = 2021;

fn year_of(raw: &Option<String>) -> i32 {
    raw.as_deref()
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..2100).contains(y))
        .unwrap_or(YEAR)
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// A multipart upload: its text fields and the file saved to a temporary path.
struct Upload {
    fields: std::collections::HashMap<String, String>,
    file: tempfile::NamedTempFile,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, PageError> {
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or("").to_ascii_lowercase();
            let ext = if fname.ends_with(".csv") {
                ".csv"
            } else {
                ".xlsx"
            };
            let bytes = field
                .bytes()
                .await
                .map_err(|e| crate::error::upload_refusal(e.status()))?;
            if bytes.is_empty() {
                return Err(bad("请选择要上传的文件"));
            }
            let tmp = tempfile::Builder::new()
                .suffix(ext)
                .tempfile()
                .map_err(|e| bad(e.to_string()))?;
            std::fs::write(tmp.path(), &bytes).map_err(|e| bad(e.to_string()))?;
            file = Some(tmp);
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    let file = file.ok_or_else(|| bad("请选择要上传的文件"))?;
    Ok(Upload { fields, file })
}
