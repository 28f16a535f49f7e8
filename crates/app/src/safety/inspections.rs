//! 排查计划与专项行动: the monthly inspection of every school and county-wide campaigns
//! with their checklist (the ticking of items is in `checklist`).

use super::{field, require};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::Result;
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::dates::parse_date;
use emis_domain::limits::{FREE_TEXT, SHORT_TEXT};
use emis_domain::safety::{self as rules, Area};
use emis_storage::audit::Entry;
use emis_storage::safety as store;
use emis_storage::Db;

/// A checklist is read on every school's progress line: a few dozen items at most.
const MAX_CHECKLIST_ITEMS: usize = 40;

/// Schedules the monthly inspection of every school in the scope for a month (skips
/// schools already scheduled that month). Returns how many were scheduled.
pub async fn schedule_monthly(
    db: &Db,
    account: &Account,
    year: i32,
    month: u32,
    source: &str,
) -> Result<usize> {
    require(account, Permission::ReviewHazards)?;
    let Some(day) = NaiveDate::from_ymd_opt(year, month, 10) else {
        return Err(field("month", "月份应为 1–12").into());
    };
    let schools = emis_storage::registry::schools(db, account.county()).await?;
    let existing = store::inspections(
        db,
        &account.scope,
        Area::Safety,
        year,
        Some("月度排查"),
        100_000,
    )
    .await?;
    let month_prefix = format!("{year}-{month:02}");
    let items: Vec<store::NewInspection> = schools
        .iter()
        .filter(|s| {
            !existing.iter().any(|i| {
                i.school_code.as_deref() == Some(s.code.as_str())
                    && i.planned_on.starts_with(&month_prefix)
            })
        })
        .map(|s| store::NewInspection {
            area: Area::Safety,
            kind: "月度排查".into(),
            title: format!("{year}年{month}月安全隐患排查"),
            school_code: Some(s.code.clone()),
            planned_on: day.to_string(),
            done_on: None,
            checklist: rules::CAMPAIGN_CHECKLIST
                .iter()
                .map(|s| s.to_string())
                .collect(),
            document: None,
        })
        .collect();
    let mut tx = db.begin().await?;
    store::insert_inspections(&mut tx, account.county(), &account.username, &items).await?;
    let key = format!("{year}-{month:02}");
    Entry::new(
        account.county(),
        "schedule_monthly",
        "safety_inspection",
        &key,
    )
    .after_json(&serde_json::json!({"schools": items.len()}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(items.len())
}

/// What the office fills in to launch a county-wide campaign of an area.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct LaunchForm {
    pub title: String,
    pub planned_on: String,
    /// One item a line (or separated by 、); the area's standard list when left empty.
    pub checklist: String,
    /// 依据文号: the document the campaign is issued under; may be empty.
    pub document: String,
}

/// A county-wide safety campaign (专项行动, e.g. 大排查大整治) with its checklist.
pub async fn schedule_campaign(
    db: &Db,
    account: &Account,
    form: &LaunchForm,
    source: &str,
) -> Result<i64> {
    schedule_campaign_in(db, account, Area::Safety, form, source).await
}

/// A county-wide campaign of an area (安全 专项行动, 双减 专项督查, 督导检查) with its
/// checklist, one item a line or separated by 、 or commas (the area's own list when empty),
/// and the 文号 it is issued under.
pub async fn schedule_campaign_in(
    db: &Db,
    account: &Account,
    area: Area,
    form: &LaunchForm,
    source: &str,
) -> Result<i64> {
    let (title, planned_on, checklist) = (&form.title, &form.planned_on, &form.checklist);
    require(account, Permission::ReviewHazards)?;
    check_lengths(&[
        ("title", "名称", title, SHORT_TEXT),
        ("checklist", "检查清单", checklist, FREE_TEXT),
    ])?;
    let title = title.trim();
    if title.is_empty() {
        let example = area.example_title();
        return Err(field("title", format!("请填写名称，如“{example}”")).into());
    }
    let Some(day) = parse_date(planned_on) else {
        return Err(field("planned_on", "日期应为 2021-06-01 这样的格式").into());
    };
    let mut items: Vec<String> = checklist
        .lines()
        .flat_map(|l| l.split(['、', ',', '，']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        items = area.checklist().iter().map(|s| s.to_string()).collect();
    }
    if items.len() > MAX_CHECKLIST_ITEMS {
        return Err(field(
            "checklist",
            format!("检查清单最多 {MAX_CHECKLIST_ITEMS} 项"),
        )
        .into());
    }
    let new = store::NewInspection {
        area,
        kind: area.campaign_kind().into(),
        title: title.to_string(),
        school_code: None,
        planned_on: day.to_string(),
        done_on: None,
        checklist: items,
        document: crate::documents::basis("document", &form.document)?,
    };
    let mut tx = db.begin().await?;
    let id = store::insert_inspection(&mut tx, account.county(), &account.username, &new).await?;
    let key = id.to_string();
    Entry::new(account.county(), "schedule_campaign", "safety_inspection", &key).after_json(&serde_json::json!({"title": new.title, "planned_on": new.planned_on, "checklist": new.checklist, "document": new.document})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}
