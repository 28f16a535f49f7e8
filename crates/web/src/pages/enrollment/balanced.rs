//! 均衡分班 form: balanced classes for a school's intake of a run.

use super::{bad, run_id};
use crate::error::PageResult;
use crate::pages::nonempty;
use crate::session::Ctx;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::enrollment as service;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ClassesForm {
    school: String,
    seed: Option<String>,
}

pub async fn form_classes(
    Ctx { state, caller }: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<ClassesForm>,
) -> PageResult {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    let seed = match nonempty(&f.seed) {
        Some(s) => Some(s.parse::<u64>().map_err(|_| bad("随机种子应为非负整数"))?),
        None => None,
    };
    service::form_balanced(
        &state.db,
        account,
        id,
        f.school.trim(),
        seed,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}#classes")).into_response())
}
