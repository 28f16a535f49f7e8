//! Waters (水域) and their safety measures.

use crate::api::ApiResult;
use crate::extract::{ApiJson, JsonBody};
use crate::session::Ctx;
use axum::extract::Path;
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, Masked, WaterRow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A water with whether it is dangerous and what of its measures is missing.
#[derive(Serialize, JsonSchema)]
pub struct WaterItem {
    water: WaterRow,
    dangerous: bool,
    complete: bool,
    /// What is missing of 一牌一杆一圈一绳 (empty when complete).
    missing: Vec<&'static str>,
}

#[derive(Serialize, JsonSchema)]
pub struct Waters {
    items: Vec<WaterItem>,
    total: usize,
}

pub async fn waters(Ctx { state, caller }: Ctx) -> ApiResult<Waters> {
    let a = caller.account()?;
    let items: Vec<WaterItem> = queries::waters(&state.db, a)
        .await?
        .into_iter()
        .map(|water| WaterItem {
            dangerous: emis_domain::safety::drowning::is_dangerous(&water.risk),
            complete: water.measures.complete(),
            missing: water.measures.missing(),
            water,
        })
        .collect();
    Ok(Json(Waters {
        total: items.len(),
        items,
    }))
}

/// A 九长 link of a water (phone masked).
#[derive(Serialize, JsonSchema)]
pub struct WaterLink {
    level: String,
    village: Option<String>,
    role: String,
    person: String,
    phone: String,
}

/// A water with its 九长.
#[derive(Serialize, JsonSchema)]
pub struct Water {
    water: WaterRow,
    complete: bool,
    chain: Vec<WaterLink>,
}

pub async fn water(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<Water> {
    let a = caller.account()?;
    let water = service::visible_water(&state.db, a, id).await?;
    let chain = queries::water_chain(&state.db, a, &water)
        .await?
        .into_iter()
        .map(Masked::into_inner)
        .map(|c| WaterLink {
            phone: c.phone,
            level: c.level,
            village: c.village,
            role: c.role,
            person: c.person,
        })
        .collect();
    Ok(Json(Water {
        complete: water.measures.complete(),
        water,
        chain,
    }))
}

pub async fn add_water(
    Ctx { state, caller }: Ctx,
    ApiJson(form): ApiJson<service::WaterForm>,
) -> ApiResult<Water> {
    let a = caller.account()?;
    let id = service::add_water(&state.db, a, &form, &caller.source).await?;
    water(Ctx { state, caller }, Path(id)).await
}

/// Measures as JSON flags: `{"risk": "高", "sign": true, "pole": true, …}`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct MeasuresBody {
    risk: String,
    sign: bool,
    pole: bool,
    ring: bool,
    rope: bool,
    rail: bool,
    backfilled: bool,
    closed: bool,
}

impl MeasuresBody {
    fn form(&self) -> service::MeasuresForm {
        let flag = |on: bool| on.then(|| "1".to_string());
        service::MeasuresForm {
            risk: self.risk.clone(),
            sign: flag(self.sign),
            pole: flag(self.pole),
            ring: flag(self.ring),
            rope: flag(self.rope),
            rail: flag(self.rail),
            backfilled: flag(self.backfilled),
            closed: flag(self.closed),
        }
    }
}

pub async fn save_measures(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<MeasuresBody>,
) -> ApiResult<Water> {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form = body.parse()?;
    service::save_measures(&state.db, a, id, &form.form(), &caller.source).await?;
    water(Ctx { state, caller }, Path(id)).await
}
