//! 巡查: one patrol of a water body, as logged.

use super::waters::visible_water;
use super::{field, require};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::Result;
use emis_domain::access::Permission;
use emis_domain::dates::parse_date;
use emis_domain::limits::{FREE_TEXT, NAME};
use emis_domain::safety::drowning;
use emis_storage::audit::Entry;
use emis_storage::safety as store;
use emis_storage::Db;

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PatrolForm {
    pub water: i64,
    pub day: String,
    pub slot: String,
    pub patroller: String,
    #[serde(default)]
    pub note: String,
}

/// Records one patrol of a water body (townships, schools of the township and the bureau).
pub async fn record_patrol(
    db: &Db,
    account: &Account,
    form: &PatrolForm,
    source: &str,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    check_lengths(&[
        ("patroller", "巡查人", &form.patroller, NAME),
        ("note", "巡查情况", &form.note, FREE_TEXT),
    ])?;
    let Ok(water) = visible_water(db, account, form.water).await else {
        return Err(field("water", "请选择您管理范围内的水域").into());
    };
    let Some(day) = parse_date(&form.day) else {
        return Err(field("day", "巡查日期应为 2021-07-15 这样的格式").into());
    };
    if !drowning::PATROL_SLOTS.contains(&form.slot.trim()) {
        return Err(field(
            "slot",
            format!("时段应为：{}", drowning::PATROL_SLOTS.join("、")),
        )
        .into());
    }
    let patroller = form.patroller.trim();
    if patroller.is_empty() {
        return Err(field("patroller", "请填写巡查人").into());
    }
    let row = store::PatrolRow {
        water_id: water.id,
        water_name: water.name.clone(),
        township_code: water.township_code.clone(),
        day: day.to_string(),
        slot: form.slot.trim().to_string(),
        patroller: patroller.to_string(),
        note: form.note.trim().to_string(),
        ..store::PatrolRow::default()
    };
    let mut tx = db.begin().await?;
    store::write_patrols(&mut tx, account.county(), std::slice::from_ref(&row)).await?;
    let key = water.id.to_string();
    Entry::new(account.county(), "patrol_log", "water_body", &key)
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(water.id)
}
