//! 安全事故登记: schools record their own incidents (a township its schools', the bureau
//! any), each with its follow-up steps (处置、报告、整改) until the bureau's 结案; the register
//! by year, category and township with its counts, and the year's `safety.incidents`,
//! `safety.incidents.in_school`, `safety.incidents.deaths` and `drowning.deaths`.
//!
//! Who may: recording an incident or a step is `RecordHazards` (the schools' safety work),
//! closing one is `ReviewHazards` (the bureau signs off, as it does hazards).

use crate::auth::Account;
use crate::fields::{invalid, number_in, past_date, required_text};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::incidents::{
    check_step, year_figures, IncidentCategory, IncidentFigures, StepKind, MAX_PEOPLE,
};
use emis_domain::indicators::Value;
use emis_domain::limits::FREE_TEXT;
use emis_storage::audit::Entry;
use emis_storage::incidents::{self as store, IncidentStepRow, NewIncident, NewStep};
use emis_storage::Db;

pub use emis_storage::incidents::IncidentRow;

fn admits(scope: &Scope, i: &IncidentRow) -> bool {
    scope.admits_school(&i.school_code, &i.township_code)
}

/// An incident as the form and the API send it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct IncidentForm {
    /// 学校标识码.
    pub school: String,
    /// 发生日期.
    pub happened_on: String,
    /// 类别: 溺水 / 交通 / 校园欺凌 / 食物中毒 / 踩踏 / 火灾 / 意外伤害 / 其他.
    pub category: String,
    /// 在校期间: 是 / 否.
    pub in_school: String,
    /// 死亡人数 (empty: 0).
    pub deaths: String,
    /// 受伤人数 (empty: 0).
    pub injuries: String,
    /// 经过.
    pub account: String,
}

/// A follow-up step as the form and the API send it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct IncidentStepForm {
    /// 处置 / 报告 / 整改 / 结案.
    pub kind: String,
    pub happened_on: String,
    pub note: String,
}

/// What the register is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct IncidentFilter {
    pub year: Option<i32>,
    pub category: Option<String>,
    pub township: Option<String>,
}

/// The register and the counts of the rows it shows.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct IncidentRegister {
    pub rows: Vec<IncidentRow>,
    pub figures: IncidentFigures,
}

pub async fn register(
    db: &Db,
    account: &Account,
    filter: &IncidentFilter,
) -> Result<IncidentRegister> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let pick = |raw: &Option<String>| raw.clone().filter(|t| !t.trim().is_empty());
    let category = pick(&filter.category).and_then(|c| IncidentCategory::parse(&c));
    let township = pick(&filter.township);
    let rows: Vec<IncidentRow> = store::incidents(db, account.county())
        .await?
        .into_iter()
        .filter(|i| admits(&account.scope, i))
        .filter(|i| {
            filter
                .year
                .is_none_or(|y| i.happened_on.starts_with(&format!("{y}-")))
        })
        .filter(|i| category.is_none_or(|c| c == i.category))
        .filter(|i| township.as_deref().is_none_or(|t| t == i.township_code))
        .collect();
    let mut figures = IncidentFigures::default();
    for f in rows.iter().filter_map(IncidentRow::facts) {
        figures.add(&f);
    }
    Ok(IncidentRegister { rows, figures })
}

/// One incident with its steps.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct IncidentDetail {
    pub incident: IncidentRow,
    pub steps: Vec<IncidentStepRow>,
}

async fn readable(db: &Db, account: &Account, id: i64) -> Result<IncidentRow> {
    store::incident(db, account.county(), id)
        .await?
        .filter(|i| admits(&account.scope, i))
        .ok_or(AppError::NotFound)
}

pub async fn detail(db: &Db, account: &Account, id: i64) -> Result<IncidentDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let incident = readable(db, account, id).await?;
    Ok(IncidentDetail {
        steps: store::steps_of(db, account.county(), id).await?,
        incident,
    })
}

fn people(field: &'static str, label: &str, raw: &str) -> Result<i64> {
    if raw.trim().is_empty() {
        return Ok(0);
    }
    number_in(field, label, raw, 0, MAX_PEOPLE)
}

/// Records an incident of a school in the account's scope; audited. Returns its id.
pub async fn record(
    db: &Db,
    account: &Account,
    form: &IncidentForm,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::RecordHazards)?;
    let county = account.county();
    let code = form.school.trim();
    if code.is_empty() {
        return Err(invalid("school", "请选择学校"));
    }
    let school = emis_storage::registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| invalid("school", format!("学校标识码 {code} 不在本县学校名单中")))?;
    if !account
        .scope
        .admits_school(&school.code, &school.township_code)
    {
        return Err(invalid("school", "该学校不属于本单位管辖"));
    }
    let happened_on = past_date("happened_on", "发生日期", &form.happened_on, today)?;
    let category = IncidentCategory::parse(&form.category).ok_or_else(|| {
        invalid(
            "category",
            format!("请选择事故类别：{}", IncidentCategory::choices()),
        )
    })?;
    let in_school = match emis_domain::text::fold_width(&form.in_school).as_str() {
        "是" | "在校" | "在校期间" | "true" | "1" => true,
        "否" | "校外" | "false" | "0" => false,
        _ => return Err(invalid("in_school", "请选择是否在校期间：是 / 否")),
    };
    let deaths = people("deaths", "死亡人数", &form.deaths)?;
    let injuries = people("injuries", "受伤人数", &form.injuries)?;
    let told = required_text("account", "经过", &form.account, FREE_TEXT)?.to_string();
    let row = NewIncident {
        school_code: school.code.clone(),
        happened_on: happened_on.to_string(),
        category,
        in_school,
        deaths,
        injuries,
        account: told,
    };
    let mut tx = db.begin().await?;
    let id = store::insert_incident(&mut tx, county, &row, &account.username).await?;
    Entry::new(county, "create", "incident", &id.to_string())
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// Records a follow-up step of an incident in the scope; 结案 is the bureau's
/// (`ReviewHazards`) and closes the incident. Audited.
pub async fn add_step(
    db: &Db,
    account: &Account,
    id: i64,
    form: &IncidentStepForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::RecordHazards)?;
    let county = account.county();
    let incident = readable(db, account, id).await?;
    let kind = StepKind::parse(&form.kind)
        .ok_or_else(|| invalid("kind", format!("请选择处理环节：{}", StepKind::choices())))?;
    if kind == StepKind::Close {
        crate::require(account.role, Permission::ReviewHazards)?;
    }
    let on = past_date("happened_on", "日期", &form.happened_on, today)?;
    let happened: NaiveDate = incident
        .happened_on
        .parse()
        .map_err(|_| AppError::Refused("事故发生日期无法识别".into()))?;
    check_step(happened, incident.closed_on.is_some(), on, today)
        .map_err(|m| invalid("happened_on", m))?;
    let note = form.note.trim().to_string();
    emis_domain::limits::check_len("说明", &note, FREE_TEXT).map_err(|m| invalid("note", m))?;
    let step = NewStep {
        kind,
        happened_on: on.to_string(),
        note,
    };
    let mut tx = db.begin().await?;
    store::add_step(&mut tx, county, id, &step, &account.username).await?;
    Entry::new(county, "update", "incident", &id.to_string())
        .after_json(&step)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The year's figures for the org unit a scope names.
pub async fn indicators_of(
    db: &Db,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let facts: Vec<_> = store::incidents(db, scope.county())
        .await?
        .iter()
        .filter(|i| admits(scope, i))
        .filter_map(IncidentRow::facts)
        .collect();
    let f = year_figures(year, &facts);
    Ok(vec![
        ("safety.incidents", Value::Count(f.incidents)),
        ("safety.incidents.in_school", Value::Count(f.in_school)),
        ("safety.incidents.deaths", Value::Count(f.deaths)),
        ("drowning.deaths", Value::Count(f.drowning_deaths)),
    ])
}

/// The county's figures (the annual report).
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let scope = Scope::County {
        county: county.to_string(),
    };
    indicators_of(db, &scope, year).await
}
