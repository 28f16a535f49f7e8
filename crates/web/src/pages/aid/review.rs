//! 审核与审批 form: 乡镇审核 or 县资助中心审批 of a proposal, passed or sent back.

use crate::error::PageResult;
use crate::session::Ctx;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> PageResult {
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
