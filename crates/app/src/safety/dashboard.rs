//! 安全工作概览: the home page card, the safety dashboard and the year's indicators.

use super::coverage::{coverage_by_level, patrol_check, SchoolCoverage, TownshipCoverage};
use super::hazards::escalation;
use crate::auth::Account;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Scope;
use emis_domain::dates::parse_date;
use emis_domain::safety::drowning::{self, Measures};
use emis_domain::safety::{self as rules, Area, Grade};
use emis_storage::safety::{self as store, HazardQuery, HazardRow};
use emis_storage::Db;

/// The safety card of the home page: hazards as of today, 重大 ones first-hand, and the
/// year's drowning-prevention coverage, all within the scope.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HomeCard {
    pub year: i32,
    pub counts: store::HazardCounts,
    pub major: Vec<HazardRow>,
    /// None: nothing to divide by (no dangerous water, no patrol due, no pupil): 无数据.
    pub equipped_rate: Option<f64>,
    pub patrol_rate: Option<f64>,
    pub letter_rate: Option<f64>,
}

/// Computes only what the card shows (the home page is the most visited page): the hazard
/// counts, the first five open 重大 hazards and three coverage totals, each one aggregate
/// query within the scope.
pub async fn home_card(db: &Db, account: &Account, today: NaiveDate) -> Result<HomeCard> {
    let scope = &account.scope;
    let year = default_year(db, account.county(), today).await?;
    let counts = store::hazard_counts(db, scope, &today.to_string()).await?;
    let major = open_major_hazards(db, scope, 5).await?;
    let until = until_of(year, today);
    let summer: Vec<NaiveDate> = drowning::summer_days(year)
        .into_iter()
        .filter(|d| *d <= until)
        .collect();
    let (first, last) = match (summer.first(), summer.last()) {
        (Some(f), Some(l)) => (f.to_string(), l.to_string()),
        // Before July: no patrol day is due yet, so none is counted.
        _ => (format!("{year}-07-01"), format!("{year}-06-30")),
    };
    let t = store::coverage_totals(
        db,
        scope,
        &format!("{year}-autumn"),
        (&first, &last),
        i64::from(drowning::SUMMER_PATROLS_PER_DAY),
    )
    .await?;
    let required = t.patrolled_waters as usize * summer.len();
    Ok(HomeCard {
        year,
        counts,
        major,
        equipped_rate: drowning::rate(t.equipped_waters as usize, t.dangerous_waters as usize),
        patrol_rate: drowning::rate(t.compliant_days as usize, required),
        letter_rate: drowning::rate(t.signed as usize, t.on_roll as usize),
    })
}

/// The newest open 重大 hazards of the scope, at most `limit`.
async fn open_major_hazards(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<HazardRow>> {
    Ok(store::hazards(
        db,
        scope,
        &HazardQuery {
            grade: Some(Grade::Major.label().into()),
            open_only: true,
            page: 1,
            per_page: limit,
            ..HazardQuery::default()
        },
    )
    .await?
    .items)
}

/// 12月31日 of `year`, or `today` when that comes first.
#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "SafetyDashboard")]
pub struct Dashboard {
    pub counts: store::HazardCounts,
    pub major: Vec<HazardRow>,
    pub overdue: Vec<HazardRow>,
    pub coverage: Vec<TownshipCoverage>,
    pub schools: Vec<SchoolCoverage>,
    pub missing_patrols: usize,
    /// Overdue hazards escalated to the township (1–7 days late, 一般) and to the bureau.
    pub escalated_township: usize,
    pub escalated_county: usize,
}

pub async fn dashboard(db: &Db, account: &Account, today: NaiveDate) -> Result<Dashboard> {
    use chrono::Datelike;
    dashboard_of_year(db, account, today, today.year()).await
}

/// Hazard counts as of `today`; drowning coverage of `year` (up to `today` at most).
pub async fn dashboard_of_year(
    db: &Db,
    account: &Account,
    today: NaiveDate,
    year: i32,
) -> Result<Dashboard> {
    let scope = &account.scope;
    let today_text = today.to_string();
    let counts = store::hazard_counts(db, scope, &today_text).await?;
    let major = open_major_hazards(db, scope, 50).await?;
    let mut overdue = store::hazards(
        db,
        scope,
        &HazardQuery {
            overdue_on: Some(today_text),
            per_page: 0,
            ..HazardQuery::default()
        },
    )
    .await?
    .items;
    let level = |h: &HazardRow| escalation(h, today);
    let escalated_county = overdue
        .iter()
        .filter(|h| level(h) == rules::Escalation::County)
        .count();
    let escalated_township = overdue
        .iter()
        .filter(|h| level(h) == rules::Escalation::Township)
        .count();
    // The bureau's cases first, then by deadline.
    overdue.sort_by_key(|h| (level(h) != rules::Escalation::County, h.deadline.clone()));
    overdue.truncate(50);
    let (coverage, schools) = coverage_by_level(db, scope, year, until_of(year, today)).await?;
    let missing_patrols = coverage
        .iter()
        .map(|c| (c.patrol_required - c.patrol_compliant) as usize)
        .sum();
    Ok(Dashboard {
        counts,
        major,
        overdue,
        coverage,
        schools,
        missing_patrols,
        escalated_township,
        escalated_county,
    })
}

/// `safety.hazards.found`, `.rectified` and `.overdue` of a year: the hazards found in it,
/// those closed by its end, and those past their deadline at its end.
pub async fn hazard_indicators(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(&'static str, emis_domain::indicators::Value)>> {
    use emis_domain::indicators::Value;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let facts = store::hazard_facts(
        db,
        county,
        Area::Safety,
        &format!("{year}-01-01"),
        &year_end.to_string(),
    )
    .await?;
    let mut rectified = 0;
    let mut overdue = 0;
    for fact in &facts {
        let closed = fact.closed_on.as_deref().and_then(parse_date);
        if fact.status.is_closed() && closed.is_some_and(|c| c <= year_end) {
            rectified += 1;
        }
        if rules::is_overdue(
            fact.status,
            fact.deadline.as_deref().and_then(parse_date),
            closed,
            year_end,
        ) {
            overdue += 1;
        }
    }
    Ok(vec![
        ("safety.hazards.found", Value::Count(facts.len() as i64)),
        ("safety.hazards.rectified", Value::Count(rectified)),
        ("safety.hazards.overdue", Value::Count(overdue)),
    ])
}

/// The safety and drowning indicators of a year, from the records.
pub async fn indicators(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(&'static str, emis_domain::indicators::Value)>> {
    use emis_domain::indicators::Value;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let hazards = hazard_indicators(db, county, year).await?;
    let scope = Scope::County {
        county: county.to_string(),
    };
    let (waters, check) = patrol_check(db, &scope, year, year_end).await?;
    let measured: Vec<(String, Measures)> = waters
        .iter()
        .map(|w| (w.risk.clone(), w.measures))
        .collect();
    let letters = store::letter_coverage(db, &scope, &format!("{year}-autumn")).await?;
    let on_roll: i64 = letters.iter().map(|l| l.on_roll).sum();
    let signed: i64 = letters.iter().map(|l| l.signed).sum();
    let mut all = hazards;
    all.extend([
        (
            "drowning.waters.equipped",
            Value::rate_or_none(drowning::equipped_rate(&measured)),
        ),
        (
            "drowning.patrol.compliance",
            Value::rate_or_none(check.rate()),
        ),
        (
            "drowning.letters.signed",
            Value::rate_or_none(drowning::rate(signed as usize, on_roll as usize)),
        ),
    ]);
    Ok(all)
}

/// The year pages show by default: the latest with safety records, else this year.
pub async fn default_year(db: &Db, county: &str, today: NaiveDate) -> Result<i32> {
    use chrono::Datelike;
    Ok(store::latest_year(db, county)
        .await?
        .unwrap_or_else(|| today.year()))
}

/// The last day counted for a year: today in the current year, else 12月31日.
pub fn until_of(year: i32, today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .map(|end| end.min(today))
        .unwrap_or(today)
}
