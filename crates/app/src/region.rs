//! 区域汇总: a city's or province's office reads the main indicators of each county its code
//! contains, and the region's total (各县主要指标). Every figure is a county's indicator as
//! the annual report computes it (`report::main_indicators`); the total adds the exact
//! values (counts, fen), never the rounded text.

use crate::auth::Account;
use crate::{require, AppError, Result};
use emis_domain::access::{may_grant_region_account, Permission, Scope};
use emis_domain::indicators::{self, Value};
use emis_domain::region::{self as rules, CountyFigures, Region, ROLLUP_INDICATORS};
use emis_storage::audit::Actor;
use emis_storage::{region as store, registry, Db};
use futures_util::{StreamExt, TryStreamExt};
use std::collections::BTreeMap;

/// Checks that `grantor` may bind an account to the region `code` (see
/// `access::may_grant_region_account`), and creates the region if it is not yet stored (a
/// known code: 湖南省 and its 市州).
pub async fn grant(db: &Db, grantor: &str, code: &str) -> Result<Region> {
    let region = match store::region(db, code).await? {
        Some(region) => region,
        None => Region::known(code).ok_or_else(|| {
            AppError::Usage(format!(
                "{code} 不是已知的市州或省级区划代码（如 431200 怀化市、430000 湖南省）"
            ))
        })?,
    };
    let counties = store::counties_of(db, &region).await?;
    let codes: Vec<&str> = counties.iter().map(|c| c.code.as_str()).collect();
    may_grant_region_account(grantor, &region, &codes).map_err(AppError::Usage)?;
    store::ensure_region(db, &region).await?;
    Ok(region)
}

/// The region an account reads, or 403 for an account of a county.
async fn region_of(db: &Db, account: &Account) -> Result<Region> {
    require(account.role, Permission::ReadRegion)?;
    let Scope::Region { code } = &account.scope else {
        return Err(AppError::Forbidden);
    };
    store::region(db, code).await?.ok_or(AppError::NotFound)
}

/// Counties a region's work reads at once (its roll-up, its dropout comparison): a
/// province of a hundred counties would otherwise wait on each in turn, while each county's
/// queries keep a few of the pool's connections busy (8 on PostgreSQL).
pub(crate) const COUNTIES_AT_ONCE: usize = 4;

/// Each county's roll-up figures for `year` ([`ROLLUP_INDICATORS`] and its schools), in the
/// order given, [`COUNTIES_AT_ONCE`] counties at a time.
pub async fn county_figures(db: &Db, counties: &[String], year: i32) -> Result<Vec<CountyFigures>> {
    // The futures own what they read, and are made before the stream: a stream mapping
    // borrowed items through a closure is not `Send` to the compiler in a web handler.
    let each: Vec<_> = counties
        .iter()
        .map(|county| figures_of(db.clone(), county.clone(), year))
        .collect();
    futures_util::stream::iter(each)
        .buffered(COUNTIES_AT_ONCE)
        .try_collect()
        .await
}

async fn figures_of(db: Db, county: String, year: i32) -> Result<CountyFigures> {
    let (set, schools) =
        tokio::try_join!(crate::report::main_indicators(&db, &county, year), async {
            Ok(registry::count(&db, "schools", &county).await?)
        },)?;
    let values = ROLLUP_INDICATORS
        .iter()
        .map(|code| set.get(code).unwrap_or(Value::Count(0)))
        .collect();
    Ok(CountyFigures { schools, values })
}

/// One row of the roll-up: a county, or the region's total.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RollupLine {
    /// 区划代码: the county's, or the region's for the total.
    pub code: String,
    pub name: String,
    /// 学校数: the schools of the county's registry.
    pub schools: i64,
    /// 未销号隐患: hazards found in the year and not closed by its end.
    pub hazards_open: i64,
    /// The values of [`ROLLUP_INDICATORS`] by code, as the annual report's JSON writes
    /// them: counts as integers, money as yuan with two decimals.
    pub indicators: BTreeMap<String, serde_json::Value>,
    /// The same values as people read them, in column order.
    #[serde(skip)]
    #[schemars(skip)]
    pub shown: Vec<String>,
}

impl RollupLine {
    fn of(code: &str, name: &str, figures: &CountyFigures) -> RollupLine {
        let indicators = ROLLUP_INDICATORS
            .iter()
            .zip(&figures.values)
            .map(|(code, value)| {
                let json = serde_json::from_str(&value.to_json()).unwrap_or_default();
                (code.to_string(), json)
            })
            .collect();
        RollupLine {
            code: code.to_string(),
            name: name.to_string(),
            schools: figures.schools,
            hazards_open: figures.hazards_open(),
            indicators,
            shown: figures.values.iter().map(|v| v.to_json()).collect(),
        }
    }
}

/// A column of the roll-up: its indicator code and heading.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RollupColumn {
    pub code: String,
    pub name: String,
}

/// 各县主要指标: one line per county of the region in this database, and the total.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Rollup {
    pub region: Region,
    pub year: i32,
    /// The years with a roll in any of the region's counties, newest first.
    pub years: Vec<i32>,
    pub columns: Vec<RollupColumn>,
    pub counties: Vec<RollupLine>,
    pub total: RollupLine,
}

/// The heading of a roll-up column: the catalog's name, with the unit of money.
fn heading(code: &str) -> String {
    match indicators::find(code) {
        Some(i) if i.unit == indicators::Unit::Yuan => format!("{}（元）", i.name),
        Some(i) => i.name.to_string(),
        None => code.to_string(),
    }
}

/// The roll-up of the account's region for `year` (default: the latest year with a roll).
pub async fn rollup(
    db: &Db,
    account: &Account,
    year: Option<i32>,
    today: chrono::NaiveDate,
) -> Result<Rollup> {
    let region = region_of(db, account).await?;
    let counties = store::counties_of(db, &region).await?;
    let mut years = Vec::new();
    for county in &counties {
        for term in emis_storage::indicators::all_terms(db, &county.code).await? {
            if let Some(term) = emis_domain::term::Term::parse(&term) {
                years.push(term.year);
            }
        }
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let year = year
        .or_else(|| years.first().copied())
        .unwrap_or(chrono::Datelike::year(&today));
    let codes: Vec<String> = counties.iter().map(|c| c.code.clone()).collect();
    let figures = county_figures(db, &codes, year).await?;
    let lines = counties
        .iter()
        .zip(&figures)
        .map(|(county, f)| RollupLine::of(&county.code, &county.name, f))
        .collect();
    let total = RollupLine::of(
        &region.code,
        &format!("{}合计", region.name),
        &rules::total(&figures),
    );
    Ok(Rollup {
        columns: ROLLUP_INDICATORS
            .iter()
            .map(|code| RollupColumn {
                code: code.to_string(),
                name: heading(code),
            })
            .collect(),
        region,
        year,
        years,
        counties: lines,
        total,
    })
}

impl Rollup {
    /// The table's headings: the county, its schools, each indicator, the open hazards.
    pub fn headers(&self) -> Vec<String> {
        ["区划代码", "县（市、区）", "学校数"]
            .iter()
            .map(|h| h.to_string())
            .chain(self.columns.iter().map(|c| c.name.clone()))
            .chain(std::iter::once("未销号隐患数".to_string()))
            .collect()
    }

    /// The table's rows in the headings' order, the total last: what the page shows and
    /// the 导出 writes.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.counties
            .iter()
            .chain(std::iter::once(&self.total))
            .map(|line| {
                [
                    line.code.clone(),
                    line.name.clone(),
                    line.schools.to_string(),
                ]
                .into_iter()
                .chain(line.shown.iter().cloned())
                .chain(std::iter::once(line.hazards_open.to_string()))
                .collect()
            })
            .collect()
    }
}

/// The audit entry of a roll-up's 导出: no personal data, but the region's office took the
/// counties' figures out of the system, which the audit log shows.
pub async fn record_export(
    db: &Db,
    account: &Account,
    rollup: &Rollup,
    actor: &Actor,
) -> Result<()> {
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county: account.county(),
            kind: "region_rollup",
            key: &format!("{}:{}", rollup.region.code, rollup.year),
            filter: serde_json::json!({"region": rollup.region.code, "year": rollup.year}),
            rows: rollup.counties.len() as u64,
            unmasked: false,
        },
    )
    .await
}
