//! 暑期巡查排班: who patrols each water body in which slot over which days; the patrol
//! logs are checked against it, so a missing patrol names who was due.

use super::{audit_change, field, require, valid_phone, visible_water, Checked};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::dates::parse_date;
use emis_domain::limits::{CODE, NAME};
use emis_domain::safety::drowning::{self, Shift};
use emis_storage::safety::{self as store, RosterRow, WaterRow};
use emis_storage::Db;
use std::collections::HashMap;

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct RosterForm {
    pub patroller: String,
    pub phone: String,
    pub slot: String,
    pub from_day: String,
    pub to_day: String,
}

/// The form checked into a roster row of a water (id 0 for a new one).
fn checked_row(water_id: i64, form: &RosterForm) -> Checked<RosterRow> {
    let patroller = form.patroller.trim();
    if patroller.is_empty() {
        return Err(field("patroller", "请填写巡查人姓名"));
    }
    let phone = valid_phone(&form.phone)?;
    let Some(from) = parse_date(&form.from_day) else {
        return Err(field("from_day", "开始日期应为 2021-07-01 这样的格式"));
    };
    let Some(to) = parse_date(&form.to_day) else {
        return Err(field("to_day", "结束日期应为 2021-08-31 这样的格式"));
    };
    drowning::check_shift(&form.slot, from, to).map_err(|(f, reason)| field(f, reason))?;
    Ok(RosterRow {
        id: 0,
        water_id,
        patroller: patroller.to_string(),
        phone,
        slot: form.slot.trim().to_string(),
        from_day: from.to_string(),
        to_day: to.to_string(),
    })
}

/// A roster entry if its water is in the scope, else `NotFound`.
pub async fn visible_entry(db: &Db, account: &Account, id: i64) -> Result<RosterRow> {
    store::roster_entry(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds a shift to a water's roster (township and bureau, within the scope).
pub async fn add_shift(
    db: &Db,
    account: &Account,
    water_id: i64,
    form: &RosterForm,
    source: &str,
) -> Result<i64> {
    let water = visible_water(db, account, water_id).await?;
    require(account, Permission::KeepWaters)?;
    check_lengths(&[
        ("patroller", "巡查人", &form.patroller, NAME),
        ("phone", "手机", &form.phone, CODE),
    ])?;
    let row = checked_row(water.id, form)?;
    let mut tx = db.begin().await?;
    let id = store::insert_roster(&mut tx, account.county(), &row).await?;
    let row = RosterRow { id, ..row };
    audit_change(
        &mut tx,
        account,
        source,
        "roster_add",
        "patrol_roster",
        &id.to_string(),
        None::<&RosterRow>,
        Some(&row),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// Changes a shift (who, phone, slot, days).
pub async fn edit_shift(
    db: &Db,
    account: &Account,
    id: i64,
    form: &RosterForm,
    source: &str,
) -> Result<i64> {
    let before = visible_entry(db, account, id).await?;
    require(account, Permission::KeepWaters)?;
    check_lengths(&[
        ("patroller", "巡查人", &form.patroller, NAME),
        ("phone", "手机", &form.phone, CODE),
    ])?;
    // A blank phone keeps the one on file (the edit form never shows it in full).
    let form = RosterForm {
        phone: if form.phone.trim().is_empty() {
            before.phone.clone()
        } else {
            form.phone.clone()
        },
        ..form.clone()
    };
    let after = match checked_row(before.water_id, &form) {
        Ok(r) => RosterRow { id, ..r },
        Err(e) => return Err(e.into()),
    };
    let mut tx = db.begin().await?;
    store::update_roster(&mut tx, &after).await?;
    audit_change(
        &mut tx,
        account,
        source,
        "roster_edit",
        "patrol_roster",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(before.water_id)
}

/// Removes a shift; returns its water.
pub async fn remove_shift(db: &Db, account: &Account, id: i64, source: &str) -> Result<i64> {
    let before = visible_entry(db, account, id).await?;
    require(account, Permission::KeepWaters)?;
    let mut tx = db.begin().await?;
    store::delete_roster(&mut tx, id).await?;
    audit_change(
        &mut tx,
        account,
        source,
        "roster_remove",
        "patrol_roster",
        &id.to_string(),
        Some(&before),
        None::<&RosterRow>,
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(before.water_id)
}

fn shift_of(r: &RosterRow) -> Option<Shift> {
    Some(Shift {
        water: r.water_id,
        slot: r.slot.clone(),
        from: parse_date(&r.from_day)?,
        to: parse_date(&r.to_day)?,
        patroller: r.patroller.clone(),
    })
}

/// A day a dangerous water had fewer than two patrols, with who the roster said was due.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "MissingPatrolDue")]
pub struct MissingPatrol {
    pub water_id: i64,
    pub water: String,
    pub township: String,
    pub day: NaiveDate,
    pub done: u32,
    /// 应巡未巡: "向老师（中午）" for each rostered shift of the day with no patrol logged.
    pub due: Vec<String>,
    /// Nobody was rostered on that day.
    pub unrostered: bool,
}

/// A dangerous water whose roster covers fewer than two slots on some summer days.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RosterGap {
    pub water_id: i64,
    pub water: String,
    pub days: usize,
    pub first: NaiveDate,
}

/// The summer patrol check of a year against the logs and the roster.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PatrolReport {
    pub compliance: drowning::PatrolCompliance,
    pub missing: Vec<MissingPatrol>,
    pub roster_gaps: Vec<RosterGap>,
}

pub async fn patrol_report(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<PatrolReport> {
    let (waters, logs, compliance) = super::coverage::patrol_facts(db, scope, year, until).await?;
    let shifts: Vec<Shift> = store::rosters(db, scope)
        .await?
        .iter()
        .filter_map(shift_of)
        .collect();
    let by_id: HashMap<i64, &WaterRow> = waters.iter().map(|w| (w.id, w)).collect();
    let mut slots_of: HashMap<(i64, NaiveDate), Vec<&str>> = HashMap::new();
    for (water, day, slot) in &logs {
        slots_of
            .entry((*water, *day))
            .or_default()
            .push(slot.as_str());
    }
    let missing = compliance
        .missing
        .iter()
        .map(|m| {
            let logged = slots_of.get(&(m.water, m.day)).cloned().unwrap_or_default();
            let rostered = shifts.iter().any(|s| s.covers(m.water, m.day));
            let due = drowning::unpatrolled_shifts(&shifts, m.water, m.day, &logged)
                .iter()
                .map(|s| format!("{}（{}）", s.patroller, s.slot))
                .collect();
            let w = by_id.get(&m.water);
            MissingPatrol {
                water_id: m.water,
                water: w.map(|w| w.name.clone()).unwrap_or_default(),
                township: w.map(|w| w.township_name.clone()).unwrap_or_default(),
                day: m.day,
                done: m.done,
                due,
                unrostered: !rostered,
            }
        })
        .collect();
    let roster_gaps = waters
        .iter()
        .filter(|w| drowning::is_dangerous(&w.risk) && !w.measures.backfilled)
        .filter_map(|w| {
            let gaps = drowning::roster_gaps(&shifts, w.id, year, until);
            Some(RosterGap {
                water_id: w.id,
                water: format!("{} {}", w.township_name, w.name),
                days: gaps.len(),
                first: *gaps.first()?,
            })
        })
        .collect();
    Ok(PatrolReport {
        compliance,
        missing,
        roster_gaps,
    })
}
