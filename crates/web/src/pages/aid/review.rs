//! 审核与审批 form: 乡镇审核 or 县资助中心审批 of a proposal, passed or sent back.

use crate::error::PageError;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::aid as service;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DecideForm {
    /// `pass` or `send_back`.
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /aid/proposals/{id}/decide`: 乡镇审核 or 县资助中心审批, passed or sent back with
/// a reason.
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let decision = match form.decision.as_str() {
        "pass" => service::Decision::Pass,
        _ => service::Decision::SendBack(form.reason),
    };
    service::decide(
        &state.db,
        &account.scope,
        id,
        decision,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response())
}
