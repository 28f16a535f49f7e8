//! Letters to parents (致家长的一封信) signed for students.

use crate::api::{ApiResult, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::Json;
use emis_app::safety as service;

pub async fn sign_letter(
    Ctx { state, caller }: Ctx,
    ApiJson(mut form): ApiJson<service::LetterForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, a.county(), state.clock.today()).await?;
    }
    service::sign_letter(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
