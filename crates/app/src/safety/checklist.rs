//! The checklist of an inspection or campaign (专项行动), ticked by each school: a campaign
//! shows how far every school in the scope has checked; a monthly inspection is done when
//! its school has checked every item.

use super::{audit_change, field, require};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::dates::parse_date;
use emis_domain::limits::FREE_TEXT;
use emis_storage::safety::{self as store, InspectionRow};
use emis_storage::Db;
use std::collections::HashMap;

pub async fn visible_inspection(db: &Db, account: &Account, id: i64) -> Result<InspectionRow> {
    store::inspection(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What a school reports: the items it checked, on which day, with a note.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ChecksForm {
    /// The school (a school account's own when left empty; another is refused).
    pub school: String,
    pub items: Vec<String>,
    pub checked_on: String,
    pub note: String,
}

/// Ticks checklist items for a school of the scope the inspection covers. Returns how many
/// items the school has checked in all.
pub async fn record_checks(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ChecksForm,
    source: &str,
    today: NaiveDate,
) -> Result<usize> {
    let inspection = visible_inspection(db, account, id).await?;
    require(account, Permission::RecordHazards)?;
    check_lengths(&[("note", "备注", &form.note, FREE_TEXT)])?;
    let code = crate::registry::requested_org(
        "school",
        "学校",
        &form.school,
        crate::registry::own_school(&account.scope),
    )?;
    let schools = emis_storage::registry::schools(db, account.county()).await?;
    let in_scope = schools
        .iter()
        .any(|s| s.code == code && account.scope.admits_school(&s.code, &s.township_code));
    let covered = inspection.school_code.as_deref().is_none_or(|s| s == code);
    if !in_scope || !covered {
        return Err(field("school", "请选择本次排查涉及的、您管理范围内的学校").into());
    }
    if form.items.is_empty() {
        return Err(field("items", "请勾选已排查的项目").into());
    }
    if let Some(unknown) = form
        .items
        .iter()
        .find(|i| !inspection.checklist.contains(i))
    {
        return Err(field("items", format!("“{unknown}”不在本次排查的检查清单中")).into());
    }
    let Some(day) = parse_date(&form.checked_on) else {
        return Err(field("checked_on", "排查日期应为 2021-06-08 这样的格式").into());
    };
    if day > today {
        return Err(field("checked_on", "排查日期不能晚于今天").into());
    }
    let items: Vec<(String, String)> = form
        .items
        .iter()
        .map(|i| (i.clone(), form.note.trim().to_string()))
        .collect();
    // What the school will have checked in all (before and now), to know if it is done.
    let mut checked: Vec<String> = store::checks(db, &account.scope, id)
        .await?
        .into_iter()
        .filter(|c| c.school_code == code)
        .map(|c| c.item)
        .chain(form.items.iter().cloned())
        .collect();
    checked.sort();
    checked.dedup();
    let done = checked.len();
    let mut tx = db.begin().await?;
    store::write_checks(
        &mut tx,
        account.county(),
        id,
        &code,
        &account.username,
        &day.to_string(),
        &items,
    )
    .await?;
    // A monthly inspection is done once its school has checked the whole list.
    if inspection.school_code.is_some()
        && done >= inspection.checklist.len()
        && inspection.done_on.is_none()
    {
        store::inspection_done(&mut tx, id, &day.to_string()).await?;
    }
    audit_change(
        &mut tx,
        account,
        source,
        "inspection_checks",
        "safety_inspection",
        &id.to_string(),
        None::<&()>,
        Some(&serde_json::json!({"school": code, "items": form.items, "checked_on": day.to_string(), "note": form.note.trim()})),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(done)
}

/// One school's progress on an inspection's checklist.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SchoolProgress {
    pub school_code: String,
    pub school_name: String,
    pub checked: Vec<String>,
    pub last_checked_on: Option<String>,
    pub hazards: i64,
}

/// Every school of the scope the inspection covers, with what it has checked.
pub async fn progress(
    db: &Db,
    account: &Account,
    inspection: &InspectionRow,
) -> Result<Vec<SchoolProgress>> {
    let checks = store::checks(db, &account.scope, inspection.id).await?;
    let hazards: HashMap<String, i64> =
        store::hazards_per_school(db, &account.scope, inspection.id)
            .await?
            .into_iter()
            .collect();
    let schools = emis_storage::registry::schools(db, account.county()).await?;
    Ok(schools
        .into_iter()
        .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
        .filter(|s| {
            inspection
                .school_code
                .as_deref()
                .is_none_or(|c| c == s.code)
        })
        .map(|s| {
            let mine: Vec<_> = checks.iter().filter(|c| c.school_code == s.code).collect();
            SchoolProgress {
                checked: mine.iter().map(|c| c.item.clone()).collect(),
                last_checked_on: mine.iter().map(|c| c.checked_on.clone()).max(),
                hazards: hazards.get(&s.code).copied().unwrap_or(0),
                school_code: s.code,
                school_name: s.name,
            }
        })
        .collect())
}
