//! 班额设置 form: the county's class-size bands and standard sizes.

use crate::error::PageResult;
use crate::session::Ctx;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
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

pub async fn save_settings(Ctx { state, caller }: Ctx, Form(f): Form<SettingsForm>) -> PageResult {
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
