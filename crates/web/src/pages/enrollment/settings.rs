//! 班额设置 form: the county's class-size bands and standard sizes.

use crate::error::PageError;
use crate::session::Caller;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::enrollment as service;
use emis_app::enrollment::queries;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SettingsForm {
    big_from: u32,
    large_from: u32,
    oversize_from: u32,
    standard_primary: u32,
    standard_secondary: u32,
}

pub async fn save_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let mut rules = queries::settings(&state.db, account).await?;
    rules.big_from = f.big_from;
    rules.large_from = f.large_from;
    rules.oversize_from = f.oversize_from;
    rules.standard_primary = f.standard_primary;
    rules.standard_secondary = f.standard_secondary;
    service::save_settings(&state.db, account, &rules, &caller.source).await?;
    Ok(Redirect::to("/enrollment").into_response())
}
