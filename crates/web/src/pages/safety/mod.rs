//! 安全管理 (safety) pages: the dashboard, the hazard ledger with filters and export, a hazard's
//! workflow forms and evidence, inspections and campaigns, water bodies with measures and
//! the 九长 chain, patrol logs with missing patrols, 十有 and parent-letter coverage.
//! The parts have the same names as in the app and storage layers; this file holds what
//! they share (the year query, multipart reading, file and xlsx responses, form errors).

use axum::response::Response;
use emis_domain::safety::Area;
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

/// A rate for people: 95.5%, or 无数据 over an empty set.
fn pct(rate: Option<f64>) -> String {
    emis_domain::indicators::Value::percent(rate)
}

fn crumbs() -> (&'static str, &'static str) {
    ("安全管理", "/safety")
}

/// Where a ledger entry or an inspection sits: a safety one under 安全管理 and `safety_list`
/// (its menu key and list), another area's under its campaign desk (双减 → 专项督查, 督导评估 →
/// 督导检查). The menu key comes first.
fn area_trail(
    area: Area,
    safety_key: &'static str,
    safety_list: (&'static str, &'static str),
) -> (&'static str, [(&'static str, &'static str); 2]) {
    match crate::pages::campaigns::desk(area) {
        None => (safety_key, [crumbs(), safety_list]),
        Some(desk) => (desk.menu_key, [desk.module, (desk.title, desk.base)]),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

fn xlsx_response(bytes: Vec<u8>, ascii: &str, chinese: &str) -> Response {
    crate::download::xlsx(bytes, ascii, chinese)
}

pub(crate) use crate::pages::internal;

pub(crate) use crate::upload::{read_multipart, value};

/// A stored photo or PDF as a response: images inline, PDF as an attachment, never sniffed.
pub(crate) fn file_response(
    mime: &str,
    file_name: &str,
    ascii_name: &str,
    bytes: Vec<u8>,
) -> Response {
    crate::download::attachment(bytes, mime, ascii_name, file_name)
}
