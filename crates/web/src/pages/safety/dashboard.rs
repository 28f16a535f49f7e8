//! 安全工作概览: the safety dashboard, the home page card and the coverage export.

use super::hazards::HazardLine;
use super::{crumbs, internal, pct, xlsx_response, YearQuery};
use crate::error::PageError;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::safety::queries;
use emis_app::safety::{self as service, TownshipCoverage};
use emis_domain::safety::drowning;

pub struct CoverageLine {
    pub township: String,
    pub waters: String,
    pub patrols: String,
    pub letters: String,
    pub missing: u32,
}

impl From<&TownshipCoverage> for CoverageLine {
    fn from(c: &TownshipCoverage) -> Self {
        CoverageLine {
            township: c.township_name.clone(),
            waters: format!(
                "{}/{}（{}）",
                c.equipped_waters,
                c.dangerous_waters,
                pct(c.equipped_rate())
            ),
            patrols: pct(c.patrol_rate()),
            letters: format!("{}/{}（{}）", c.signed, c.on_roll, pct(c.letter_rate())),
            missing: c.patrol_required - c.patrol_compliant,
        }
    }
}

#[derive(Template)]
#[template(path = "safety_dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    year: i32,
    counts: queries::HazardCounts,
    chart: String,
    major: Vec<HazardLine>,
    overdue: Vec<HazardLine>,
    coverage: Vec<CoverageLine>,
    schools: Vec<SchoolLine>,
    missing_patrols: usize,
    escalated_township: usize,
    escalated_county: usize,
}

/// A school's row of the coverage table.
pub struct SchoolLine {
    pub school: String,
    pub letters: String,
    pub ten_haves: String,
}

pub async fn dashboard(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = match q.year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let d = service::dashboard_of_year(&state.db, account, state.clock.today(), year).await?;
    let schools = d
        .schools
        .iter()
        .map(|s| SchoolLine {
            letters: format!("{}/{}（{}）", s.signed, s.on_roll, pct(s.letter_rate())),
            ten_haves: format!("{}/{}", s.ten_haves_done, drowning::TEN_HAVES.len()),
            school: s.school_name.clone(),
        })
        .collect();
    let chrome = Chrome::new(&caller, "安全管理", "safety", &[crumbs()])?;
    Ok(render(&DashboardPage {
        chrome,
        year,
        chart: hazards_chart(&crate::page::scope_title(account), &d.counts),
        counts: d.counts,
        major: d
            .major
            .into_iter()
            .map(|h| HazardLine::of(h, state.clock.today()))
            .collect(),
        overdue: d
            .overdue
            .into_iter()
            .map(|h| HazardLine::of(h, state.clock.today()))
            .collect(),
        coverage: d.coverage.iter().map(CoverageLine::from).collect(),
        schools,
        missing_patrols: d.missing_patrols,
        escalated_township: d.escalated_township,
        escalated_county: d.escalated_county,
    })?
    .into_response())
}

/// The safety card of the home page, as shown.
pub struct HomeCard {
    pub year: i32,
    pub counts: queries::HazardCounts,
    pub major: Vec<HazardLine>,
    pub equipped: String,
    pub patrols: String,
    pub letters: String,
}

/// Hazards open, overdue and 重大 as of today and the year's drowning-prevention coverage,
/// within the account's scope; 重大 hazards are listed on the card itself.
pub async fn home_card(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<HomeCard, PageError> {
    let c = service::home_card(&state.db, account, state.clock.today()).await?;
    Ok(HomeCard {
        year: c.year,
        counts: c.counts,
        major: c
            .major
            .into_iter()
            .map(|h| HazardLine::of(h, state.clock.today()))
            .collect(),
        equipped: pct(c.equipped_rate),
        patrols: pct(c.patrol_rate),
        letters: pct(c.letter_rate),
    })
}

/// Drowning-prevention coverage by township and school as xlsx.
pub async fn coverage_export(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = match q.year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("coverage.xlsx");
    service::write_coverage(
        &state.db,
        &account.scope,
        year,
        service::until_of(year, state.clock.today()),
        &path,
    )
    .await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        "drowning-coverage.xlsx",
        &format!("{year}年防溺水工作覆盖情况.xlsx"),
    ))
}

/// The scope's hazards by state (the dashboard and the home page).
pub fn hazards_chart(scope: &str, counts: &queries::HazardCounts) -> String {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    crate::pages::charts::count_chart(
        &format!("{scope}安全隐患（处）"),
        &[
            (
                "整改中（未逾期）".to_string(),
                n(counts.open - counts.overdue),
            ),
            ("逾期未整改".to_string(), n(counts.overdue)),
            ("重大隐患未销号".to_string(), n(counts.major_open)),
            ("已销号".to_string(), n(counts.closed)),
        ],
    )
}
