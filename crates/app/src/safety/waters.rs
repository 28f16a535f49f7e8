//! 水域: the registered water bodies, their risk level and safety measures.

use super::{checked, field, require, Checked};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::limits::{ORG_NAME, SHORT_TEXT};
use emis_domain::safety::drowning::{self, Measures};
use emis_storage::audit::Entry;
use emis_storage::safety::{self as store, WaterRow};
use emis_storage::Db;

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeasuresForm {
    pub risk: String,
    #[serde(default)]
    pub sign: Option<String>,
    #[serde(default)]
    pub pole: Option<String>,
    #[serde(default)]
    pub ring: Option<String>,
    #[serde(default)]
    pub rope: Option<String>,
    #[serde(default)]
    pub rail: Option<String>,
    #[serde(default)]
    pub backfilled: Option<String>,
    #[serde(default)]
    pub closed: Option<String>,
}

impl MeasuresForm {
    pub fn measures(&self) -> Measures {
        Measures {
            sign: checked(&self.sign),
            pole: checked(&self.pole),
            ring: checked(&self.ring),
            rope: checked(&self.rope),
            rail: checked(&self.rail),
            backfilled: checked(&self.backfilled),
            closed: checked(&self.closed),
        }
    }
}

pub async fn visible_water(db: &Db, account: &Account, id: i64) -> Result<WaterRow> {
    store::water(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Updates the risk level and measures of a water body.
pub async fn save_measures(
    db: &Db,
    account: &Account,
    id: i64,
    form: &MeasuresForm,
    source: &str,
) -> Result<()> {
    let before = visible_water(db, account, id).await?;
    require(account, Permission::KeepWaters)?;
    if !drowning::RISK_LEVELS.contains(&form.risk.trim()) {
        return Err(field("risk", "风险等级应为 高、较高 或 一般").into());
    }
    let after = WaterRow {
        risk: form.risk.trim().to_string(),
        measures: form.measures(),
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::save_measures(&mut tx, &after).await?;
    let key = id.to_string();
    Entry::new(account.county(), "water_measures", "water_body", &key)
        .before_json(&before)
        .after_json(&after)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct WaterForm {
    pub township: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub longitude: String,
    pub latitude: String,
    pub risk: String,
}

fn coordinate(raw: &str, lo: f64, hi: f64) -> Option<Option<String>> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(None);
    }
    let v: f64 = t.parse().ok()?;
    (lo..=hi).contains(&v).then(|| Some(format!("{v:.5}")))
}

/// The township (a township account's own) and the village a water or a village link lies in.
pub(super) fn township_and_village(
    account: &Account,
    township: &str,
    village: &str,
) -> Checked<(String, String)> {
    let own = match &account.scope {
        Scope::Township { township, .. } => Some(township.as_str()),
        _ => None,
    };
    let township = crate::registry::requested_org("township", "乡镇", township, own)?;
    let county = emis_domain::divisions::county(account.county());
    if county.and_then(|c| c.township(&township)).is_none() {
        return Err(field("township", "请选择本县的乡镇"));
    }
    let village = village.trim();
    if village.is_empty() {
        return Err(field("village", "请填写所在村"));
    }
    Ok((township, village.to_string()))
}

/// Registers a water body (township and bureau; a township only in its own township).
pub async fn add_water(db: &Db, account: &Account, form: &WaterForm, source: &str) -> Result<i64> {
    require(account, Permission::KeepWaters)?;
    check_lengths(&[
        ("village", "所在村", &form.village, SHORT_TEXT),
        ("name", "水域名称", &form.name, ORG_NAME),
        ("kind", "水域类型", &form.kind, SHORT_TEXT),
    ])?;
    let (township, village) = township_and_village(account, &form.township, &form.village)?;
    let village = village.as_str();
    let name = form.name.trim();
    if name.is_empty() {
        return Err(field("name", "请填写水域名称").into());
    }
    if !drowning::WATER_KINDS.contains(&form.kind.trim()) {
        return Err(field(
            "kind",
            format!("水域类型应为：{}", drowning::WATER_KINDS.join("、")),
        )
        .into());
    }
    if !drowning::RISK_LEVELS.contains(&form.risk.trim()) {
        return Err(field("risk", "风险等级应为 高、较高 或 一般").into());
    }
    let Some(longitude) = coordinate(&form.longitude, 73.0, 136.0) else {
        return Err(field("longitude", "经度应为 73–136 之间的小数，如 110.59").into());
    };
    let Some(latitude) = coordinate(&form.latitude, 3.0, 54.0) else {
        return Err(field("latitude", "纬度应为 3–54 之间的小数，如 27.91").into());
    };
    let existing = store::waters(db, &account.scope, Some(&township)).await?;
    if existing.iter().any(|w| w.name == name) {
        return Err(field("name", "本乡镇已有同名水域").into());
    }
    let row = WaterRow {
        township_code: township,
        village: village.to_string(),
        name: name.to_string(),
        kind: form.kind.trim().to_string(),
        longitude,
        latitude,
        risk: form.risk.trim().to_string(),
        ..WaterRow::default()
    };
    let mut tx = db.begin().await?;
    let id = store::insert_water(&mut tx, account.county(), &row).await?;
    let key = id.to_string();
    Entry::new(account.county(), "water_add", "water_body", &key)
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}
