//! 建设项目: the planning office's register (by year, category, township, school and
//! status), one project with its money by year and source, the office's forms for a year's
//! investment and for progress and completion, the classrooms a completed project adds to
//! its school (the class-size monitor reads them), and the year's `projects.investment`,
//! `degrees.added.*` and `staff_housing.units`.

use crate::auth::Account;
use crate::fields::{invalid, past_date};
use crate::{AppError, Result};
use chrono::{Datelike, NaiveDate};
use emis_domain::access::{Permission, Scope};
use emis_domain::indicators::Value;
use emis_domain::projects::{self as rules, ProjectCategory, ProjectStatus, YearFigures};
use emis_storage::audit::Entry;
use emis_storage::projects::{self as store, InvestmentRow, NewInvestment};
use emis_storage::Db;
use std::collections::HashMap;

pub use emis_storage::projects::ProjectRow;

/// Whether the scope reads a project: the county every one, a township or a school those
/// of its schools (a county-wide project without a school is the county's).
fn admits(scope: &Scope, p: &ProjectRow) -> bool {
    scope.admits_record(p.school_code.as_deref(), p.township_code.as_deref())
}

/// What the register is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ProjectFilter {
    /// Projects with money in this year, started in it or completed in it.
    pub year: Option<i32>,
    pub category: Option<String>,
    pub township: Option<String>,
    pub school: Option<String>,
    pub status: Option<String>,
}

/// One project in the register with its status and the year's money.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProjectRegisterRow {
    pub project: ProjectRow,
    pub status: ProjectStatus,
    /// The filtered year's investment in 分 (0 without a year).
    pub year_fen: i64,
}

/// The register and the figures of its year.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProjectRegister {
    pub rows: Vec<ProjectRegisterRow>,
    /// The year's figures over the projects the account reads (`None` without a year).
    pub figures: Option<YearFigures>,
}

pub async fn register(
    db: &Db,
    account: &Account,
    filter: &ProjectFilter,
    today: NaiveDate,
) -> Result<ProjectRegister> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let category = filter
        .category
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| {
            ProjectCategory::parse(c).ok_or_else(|| {
                invalid(
                    "category",
                    format!("请选择项目类别：{}", ProjectCategory::choices()),
                )
            })
        })
        .transpose()?;
    let status = filter
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(ProjectStatus::parse);
    let money = year_money(db, county).await?;
    let readable: Vec<ProjectRow> = store::projects(db, county)
        .await?
        .into_iter()
        .filter(|p| admits(&account.scope, p))
        .collect();
    let figures = filter.year.map(|y| figures_of(&readable, &money, y));
    let rows = readable
        .into_iter()
        .filter(|p| category.is_none_or(|c| c == p.category))
        .filter(|p| {
            let t = filter.township.as_deref().filter(|t| !t.is_empty());
            t.is_none_or(|t| p.township_code.as_deref() == Some(t))
        })
        .filter(|p| {
            let s = filter.school.as_deref().filter(|s| !s.is_empty());
            s.is_none_or(|s| p.school_code.as_deref() == Some(s))
        })
        .filter_map(|p| {
            let facts = p.facts()?;
            let year_fen = filter
                .year
                .map_or(0, |y| money.get(&(p.id, y)).copied().unwrap_or(0));
            if let Some(y) = filter.year {
                let touches = year_fen > 0
                    || facts.started_on.year() == y
                    || facts.completed_on.is_some_and(|d| d.year() == y);
                if !touches {
                    return None;
                }
            }
            let status = facts.status(today);
            Some(ProjectRegisterRow {
                project: p,
                status,
                year_fen,
            })
        })
        .filter(|r| status.is_none_or(|s| s == r.status))
        .collect();
    Ok(ProjectRegister { rows, figures })
}

/// Investment in 分 by (project, year).
async fn year_money(db: &Db, county: &str) -> Result<HashMap<(i64, i32), i64>> {
    let mut money = HashMap::new();
    for i in store::investments(db, county).await? {
        *money.entry((i.project_id, i.year as i32)).or_default() += i.amount_fen;
    }
    Ok(money)
}

fn figures_of(projects: &[ProjectRow], money: &HashMap<(i64, i32), i64>, year: i32) -> YearFigures {
    let facts: Vec<_> = projects.iter().filter_map(ProjectRow::facts).collect();
    let ids: std::collections::HashSet<i64> = projects.iter().map(|p| p.id).collect();
    rules::year_figures(
        year,
        &facts,
        money
            .iter()
            .filter(|((id, _), _)| ids.contains(id))
            .map(|((_, y), fen)| (*y, *fen)),
    )
}

/// One project with its money by year.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProjectDetail {
    pub project: ProjectRow,
    pub status: ProjectStatus,
    pub investments: Vec<InvestmentRow>,
}

pub async fn detail(
    db: &Db,
    account: &Account,
    id: i64,
    today: NaiveDate,
) -> Result<ProjectDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let project = store::project(db, county, id)
        .await?
        .filter(|p| admits(&account.scope, p))
        .ok_or(AppError::NotFound)?;
    let status = project
        .facts()
        .map_or(ProjectStatus::Building, |f| f.status(today));
    Ok(ProjectDetail {
        investments: store::investments_of(db, county, id).await?,
        project,
        status,
    })
}

/// The projects of a school (its page), in the account's scope.
pub async fn of_school(db: &Db, account: &Account, school: &str) -> Result<Vec<ProjectRow>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(store::projects_of_school(db, account.county(), school)
        .await?
        .into_iter()
        .filter(|p| admits(&account.scope, p))
        .collect())
}

/// A year's investment as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct InvestmentForm {
    pub year: String,
    /// 万元.
    pub amount: String,
    pub source: String,
}

/// Records (or corrects) one year's investment in a project, audited.
pub async fn record_investment(
    db: &Db,
    account: &Account,
    id: i64,
    form: &InvestmentForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepProjects)?;
    let county = account.county();
    let project = store::project(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let year: i32 = form
        .year
        .trim()
        .trim_end_matches('年')
        .parse()
        .ok()
        .filter(|y| (2000..=today.year() + 5).contains(y))
        .ok_or_else(|| invalid("year", format!("年度应为2000–{}的年份", today.year() + 5)))?;
    let fen = rules::parse_wan(&form.amount)
        .ok_or_else(|| invalid("amount", "本年投资应为万元金额，如 3718 或 12.5"))?;
    emis_domain::limits::check_fen("本年投资", fen).map_err(|m| invalid("amount", m))?;
    let from = form.source.trim();
    emis_domain::limits::check_len("资金来源", from, emis_domain::limits::SHORT_TEXT)
        .map_err(|m| invalid("source", m))?;
    let row = NewInvestment {
        project_id: id,
        year,
        amount_fen: fen,
        source: Some(from.to_string()).filter(|s| !s.is_empty()),
    };
    let before = store::investments_of(db, county, id)
        .await?
        .into_iter()
        .find(|i| i.year == i64::from(year));
    let mut tx = db.begin().await?;
    store::write_investments(
        &mut tx,
        county,
        std::slice::from_ref(&row),
        &account.username,
    )
    .await?;
    let mut entry = Entry::new(county, "update", "project_investment", &project.name);
    if let Some(b) = &before {
        entry = entry.before_json(b);
    }
    entry
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Progress or completion as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ProgressForm {
    /// 形象进度 (%).
    pub progress: String,
    /// 竣工日期; empty while the project is being built.
    pub completed_on: String,
}

/// Records a project's progress or its completion (from which day its classrooms count
/// at its school), audited. A completion before the start, or in the future, is refused.
pub async fn record_progress(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ProgressForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepProjects)?;
    let county = account.county();
    let project = store::project(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let completed = match form.completed_on.trim() {
        "" => None,
        raw => Some(past_date("completed_on", "竣工日期", raw, today)?),
    };
    let progress = match form.progress.trim().trim_end_matches('%') {
        "" => completed.map(|_| 100),
        raw => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|p| (0..=100).contains(p))
                .ok_or_else(|| invalid("progress", "形象进度应为0–100的整数"))?,
        ),
    };
    if completed.is_some() && progress != Some(100) {
        return Err(invalid("progress", "已竣工的项目形象进度应为100%"));
    }
    if let Some(started) = project.facts().map(|f| f.started_on) {
        rules::check_dates(started, completed).map_err(|m| invalid("completed_on", m))?;
    }
    let completed_text = completed.map(|d| d.to_string());
    let mut tx = db.begin().await?;
    store::set_progress(
        &mut tx,
        county,
        id,
        progress,
        completed_text.as_deref(),
        &account.username,
    )
    .await?;
    Entry::new(county, "update", "project", &project.name)
        .before_json(&serde_json::json!({"progress": project.progress, "completed_on": project.completed_on}))
        .after_json(&serde_json::json!({"progress": progress, "completed_on": completed_text}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Classrooms added by the completed projects of each school by `on` (the class-size
/// monitor adds them to the school's own count).
pub async fn classrooms_added(
    db: &Db,
    county: &str,
    on: NaiveDate,
) -> Result<HashMap<String, i64>> {
    let facts: Vec<_> = store::projects(db, county)
        .await?
        .iter()
        .filter_map(ProjectRow::facts)
        .collect();
    Ok(rules::classrooms_added(&facts, on))
}

/// The year's figures for the org unit a scope names (CONTRACTS.md).
pub async fn indicators_of(
    db: &Db,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let county = scope.county();
    let projects: Vec<ProjectRow> = store::projects(db, county)
        .await?
        .into_iter()
        .filter(|p| admits(scope, p))
        .collect();
    let f = figures_of(&projects, &year_money(db, county).await?, year);
    let d = f.adds.degrees;
    Ok(vec![
        ("projects.investment", Value::Fen(f.investment_fen)),
        ("degrees.added.compulsory", Value::Count(d.compulsory)),
        // 高中及中职, as the bureau reports it (CONTRACTS.md).
        (
            "degrees.added.senior",
            Value::Count(d.senior + d.vocational),
        ),
        ("degrees.added.vocational", Value::Count(d.vocational)),
        (
            "degrees.added.preschool_public",
            Value::Count(d.preschool_public),
        ),
        ("staff_housing.units", Value::Count(f.adds.housing_units)),
    ])
}

/// The county's figures (the annual report).
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let scope = Scope::County {
        county: county.to_string(),
    };
    indicators_of(db, &scope, year).await
}

/// The register in the import template's columns, one row per project and year (a
/// project without money recorded has one row with 0).
pub(crate) async fn export_rows(
    db: &Db,
    county: &str,
    in_scope: &dyn Fn(&str) -> bool,
) -> Result<Vec<Vec<String>>> {
    let mut by_project: HashMap<i64, Vec<InvestmentRow>> = HashMap::new();
    for i in store::investments(db, county).await? {
        by_project.entry(i.project_id).or_default().push(i);
    }
    let count = |n: i64| if n == 0 { String::new() } else { n.to_string() };
    let mut out = Vec::new();
    for p in store::projects(db, county).await? {
        if p.school_code.as_deref().is_some_and(|s| !in_scope(s)) {
            continue;
        }
        let years = by_project.remove(&p.id).unwrap_or_default();
        let money: Vec<(String, String, String)> = if years.is_empty() {
            vec![(p.started_on[..4].to_string(), "0".into(), String::new())]
        } else {
            years
                .into_iter()
                .map(|i| {
                    (
                        i.year.to_string(),
                        rules::wan_exact(i.amount_fen),
                        i.source.unwrap_or_default(),
                    )
                })
                .collect()
        };
        for (year, amount, source) in money {
            out.push(vec![
                p.name.clone(),
                p.category.label().to_string(),
                year,
                amount,
                p.started_on.clone(),
                p.school_code.clone().unwrap_or_default(),
                p.completed_on.clone().unwrap_or_default(),
                count(p.degrees_compulsory),
                count(p.degrees_senior),
                count(p.degrees_vocational),
                count(p.degrees_preschool_public),
                count(p.classrooms),
                count(p.housing_units),
                source,
                p.progress.map(|n| n.to_string()).unwrap_or_default(),
            ]);
        }
    }
    Ok(out)
}
