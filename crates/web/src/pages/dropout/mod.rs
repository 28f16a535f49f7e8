//! 控辍保学 pages: the dashboard by township, the three ledgers with export, the population
//! roll upload, cases (一人一案) with their log and forms, and 送教上门 plans and visits.
//!
//! The parts have the same names as in the app layer (`dashboard`, `population`,
//! `ledgers`, `cases`, `attachments`, `home_teaching`); this file holds what they share
//! (refusals, township names, the `done` notice).

use crate::error::{PageError, WebError};
use axum::http::StatusCode;
use serde::Deserialize;

mod attachments;
mod cases;
mod dashboard;
mod home_teaching;
mod ledgers;
mod population;

pub use self::{
    attachments::*, cases::*, dashboard::*, home_teaching::*, ledgers::*, population::*,
};

fn bad(message: impl Into<String>) -> PageError {
    PageError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        message.into(),
    ))
}

fn township_name(code: &str) -> String {
    emis_domain::divisions::XUPU
        .township(code)
        .map(|t| t.name.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn townships() -> Vec<(String, String)> {
    emis_domain::divisions::XUPU
        .townships
        .iter()
        .map(|t| (t.code.to_string(), t.name.to_string()))
        .collect()
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}
