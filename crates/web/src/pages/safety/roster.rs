//! 暑期巡查排班: adding, editing and removing a water's shifts.

use super::waters::{water_page, WaterShown};
use crate::error::PageResult;
use crate::form::SplitRefusal;
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::{self as service};

/// Back to the water's roster after a saved shift, or the page with the refused form.
async fn shift_saved(
    state: &AppState,
    caller: &Caller,
    water: i64,
    editing: i64,
    outcome: Result<i64, FieldError>,
    form: service::roster::RosterForm,
) -> PageResult {
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/safety/waters/{water}?done=roster#roster")).into_response())
        }
        Err(e) => {
            let shown = WaterShown {
                roster_form: Some(form),
                editing,
                ..WaterShown::error("roster", e)
            };
            water_page(state, caller, water, shown).await
        }
    }
}

/// Adds a shift to the water's patrol roster.
pub async fn add_shift(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::roster::RosterForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::roster::add_shift(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?;
    shift_saved(&state, &caller, id, 0, outcome, form).await
}

/// Changes a shift of a roster.
pub async fn edit_shift(
    Ctx { state, caller }: Ctx,
    Path(shift): Path<i64>,
    Form(form): Form<service::roster::RosterForm>,
) -> PageResult {
    let account = caller.account()?;
    let water = service::roster::visible_entry(&state.db, account, shift)
        .await?
        .water_id;
    let outcome = service::roster::edit_shift(&state.db, account, shift, &form, &caller.source)
        .await
        .split_refusal()?;
    shift_saved(&state, &caller, water, shift, outcome, form).await
}

pub async fn remove_shift(Ctx { state, caller }: Ctx, Path(shift): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let water = service::roster::remove_shift(&state.db, account, shift, &caller.source).await?;
    Ok(Redirect::to(&format!("/safety/waters/{water}?done=roster#roster")).into_response())
}
