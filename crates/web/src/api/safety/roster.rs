//! The duty roster (值守排班) of a water.

use crate::api::ApiResult;
use crate::extract::JsonBody;
use crate::session::Ctx;
use axum::extract::Path;
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, Masked, RosterRow};
use schemars::JsonSchema;
use serde::Serialize;

/// A roster shift (phone masked).
#[derive(Serialize, JsonSchema)]
pub struct Shift {
    id: i64,
    water_id: i64,
    patroller: String,
    phone: String,
    slot: String,
    from_day: String,
    to_day: String,
}

impl Shift {
    fn of(r: Masked<RosterRow>) -> Shift {
        let r = r.into_inner();
        Shift {
            phone: r.phone,
            id: r.id,
            water_id: r.water_id,
            patroller: r.patroller,
            slot: r.slot,
            from_day: r.from_day,
            to_day: r.to_day,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Roster {
    water_id: i64,
    items: Vec<Shift>,
}

#[derive(Serialize, JsonSchema)]
pub struct ShiftReply {
    shift: Shift,
}

/// A shift removed, and its water.
#[derive(Serialize, JsonSchema)]
pub struct ShiftRemoved {
    removed: i64,
    water_id: i64,
}

/// A water's patrol roster (phones masked).
pub async fn roster(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<Roster> {
    let a = caller.account()?;
    let w = service::visible_water(&state.db, a, id).await?;
    let items = queries::water_roster(&state.db, a, &w)
        .await?
        .into_iter()
        .map(Shift::of)
        .collect();
    Ok(Json(Roster {
        water_id: w.id,
        items,
    }))
}

pub async fn add_shift(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::roster::RosterForm>,
) -> ApiResult<ShiftReply> {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form = body.parse()?;
    let shift = service::roster::add_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = queries::roster_shift(&state.db, a, shift).await?;
    Ok(Json(ShiftReply {
        shift: Shift::of(entry),
    }))
}

pub async fn edit_shift(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<service::roster::RosterForm>,
) -> ApiResult<ShiftReply> {
    let a = caller.account()?;
    service::roster::visible_entry(&state.db, a, id).await?;
    let form = body.parse()?;
    service::roster::edit_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = queries::roster_shift(&state.db, a, id).await?;
    Ok(Json(ShiftReply {
        shift: Shift::of(entry),
    }))
}

pub async fn remove_shift(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<ShiftRemoved> {
    let a = caller.account()?;
    let water = service::roster::remove_shift(&state.db, a, id, &caller.source).await?;
    Ok(Json(ShiftRemoved {
        removed: id,
        water_id: water,
    }))
}
