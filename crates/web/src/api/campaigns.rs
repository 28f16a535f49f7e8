//! The campaigns of an area beyond safety (双减 专项督查, 教育督导) through the API: each
//! module's routes call these with its area, so the three answers are one code.

use super::{ApiResult, Created};
use crate::session::Ctx;
use axum::Json;
use emis_app::safety::campaigns::{self, CampaignPicture, LaunchForm};
use emis_app::safety::HazardForm;
use emis_domain::safety::Area;

/// The year's campaigns of the area (the latest year with one when none is asked).
pub(crate) async fn picture(
    Ctx { state, caller }: Ctx,
    area: Area,
    year: Option<i32>,
) -> ApiResult<CampaignPicture> {
    let a = caller.account()?;
    let today = state.clock.today();
    let year = match year {
        Some(y) => y,
        None => campaigns::default_year(&state.db, a, area, today).await?,
    };
    Ok(Json(
        campaigns::picture(&state.db, a, area, year, today).await?,
    ))
}

pub(crate) async fn launch(
    Ctx { state, caller }: Ctx,
    area: Area,
    body: LaunchForm,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = campaigns::launch(&state.db, a, area, &body, &caller.source).await?;
    Ok(Json(Created { id }))
}

pub(crate) async fn record_problem(
    Ctx { state, caller }: Ctx,
    area: Area,
    body: HazardForm,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = campaigns::record_problem(
        &state.db,
        a,
        area,
        &body,
        &caller.source,
        state.clock.today(),
    )
    .await?;
    Ok(Json(Created { id }))
}
