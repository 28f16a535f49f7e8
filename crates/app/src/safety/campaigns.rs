//! Campaigns of an area other than safety: the 双减 office's 专项督查 and the supervision
//! office's 督导检查. They run on the safety ledger's parts, not a copy of them: a campaign of
//! the area (its checklist ticked per school with the inspectors' findings,
//! `safety::checklist`), and each problem found is a ledger entry of the area that goes back
//! to the school with a deadline and is closed with evidence through the same 落实整改 → 整改
//! → 复查 → 销号/退回 steps (`safety::hazards`, `safety::evidence`).

use crate::auth::Account;
use crate::safety::{self, checklist, HazardForm};
use crate::Result;
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::safety::Area;
use emis_storage::safety::{self as store, HazardQuery, HazardRow, InspectionRow};
use emis_storage::Db;

pub use crate::safety::inspections::LaunchForm;

/// Launches a county-wide campaign of the area (audited). Returns its id.
pub async fn launch(
    db: &Db,
    account: &Account,
    area: Area,
    form: &LaunchForm,
    source: &str,
) -> Result<i64> {
    safety::schedule_campaign_in(db, account, area, form, source).await
}

/// Records a problem the inspectors found at a school under one of the area's campaigns
/// (status 待整改); the school then rectifies it on the ledger's steps (photos go on its
/// page).
pub async fn record_problem(
    db: &Db,
    account: &Account,
    area: Area,
    form: &HazardForm,
    source: &str,
    today: NaiveDate,
) -> Result<i64> {
    let campaign = form.inspection.trim().parse::<i64>().ok();
    let ours = match campaign {
        Some(id) => store::inspection(db, &account.scope, id)
            .await?
            .is_some_and(|i| i.area == area),
        None => false,
    };
    if !ours {
        return Err(crate::registry::FieldError {
            field: "inspection",
            reason: format!("请选择发现该问题的{}", area.campaign_kind()),
        }
        .into());
    }
    safety::record_hazard(db, account, form, source, today).await
}

/// The year the pages open on: the latest with a campaign of the area, else this year.
pub async fn default_year(db: &Db, account: &Account, area: Area, today: NaiveDate) -> Result<i32> {
    let latest = store::latest_inspection_year(db, account.county(), area).await?;
    Ok(latest.unwrap_or_else(|| chrono::Datelike::year(&today)))
}

/// A campaign with how far the schools are and what it found.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CampaignLine {
    pub campaign: InspectionRow,
    /// Schools of the scope it covers.
    pub schools: usize,
    /// Schools whose whole checklist has been inspected.
    pub inspected: usize,
    pub problems: usize,
    pub closed: usize,
    /// The 文号 it was issued under, linked to the register when registered.
    pub document: Option<crate::documents::DocLink>,
}

/// The problems of one checklist item.
#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct ItemLine {
    pub item: String,
    pub found: usize,
    pub closed: usize,
    pub overdue: usize,
}

/// One problem as the list shows it.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProblemLine {
    pub problem: HazardRow,
    pub overdue: bool,
}

/// The year's campaigns of the area in the account's scope.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CampaignPicture {
    pub year: i32,
    pub campaigns: Vec<CampaignLine>,
    pub by_item: Vec<ItemLine>,
    /// Open problems first (overdue at the top), then the closed ones.
    pub problems: Vec<ProblemLine>,
    pub found: usize,
    pub closed: usize,
    pub overdue: usize,
}

/// The campaigns of a year with each school's progress, and every problem they found, as
/// of `today` (overdue is judged on that day).
pub async fn picture(
    db: &Db,
    account: &Account,
    area: Area,
    year: i32,
    today: NaiveDate,
) -> Result<CampaignPicture> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let campaigns = store::inspections(db, &account.scope, area, year, None, 100).await?;
    let found = store::hazards(
        db,
        &account.scope,
        &HazardQuery {
            area,
            from: Some(format!("{year}-01-01")),
            to: Some(format!("{year}-12-31")),
            per_page: 0,
            ..HazardQuery::default()
        },
    )
    .await?
    .items;
    let mut problems: Vec<ProblemLine> = found
        .into_iter()
        .map(|h| ProblemLine {
            overdue: safety::overdue(&h, today),
            problem: h,
        })
        .collect();
    problems.sort_by_key(|p| (p.problem.status.is_closed(), !p.overdue));
    let register = crate::documents::Register::load(db, account.county()).await?;
    let mut lines = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        let progress = checklist::progress(db, account, &c).await?;
        let mine = problems
            .iter()
            .filter(|p| p.problem.inspection_id == Some(c.id));
        lines.push(CampaignLine {
            schools: progress.len(),
            inspected: progress
                .iter()
                .filter(|p| c.checklist.iter().all(|i| p.checked.contains(i)))
                .count(),
            problems: mine.clone().count(),
            closed: mine.filter(|p| p.problem.status.is_closed()).count(),
            document: register.link(c.document.as_deref()),
            campaign: c,
        });
    }
    let by_item = area
        .categories()
        .iter()
        .map(|item| {
            let of_item = problems.iter().filter(|p| p.problem.category == *item);
            ItemLine {
                item: item.to_string(),
                found: of_item.clone().count(),
                closed: of_item
                    .clone()
                    .filter(|p| p.problem.status.is_closed())
                    .count(),
                overdue: of_item.filter(|p| p.overdue).count(),
            }
        })
        .collect();
    Ok(CampaignPicture {
        year,
        found: problems.len(),
        closed: problems
            .iter()
            .filter(|p| p.problem.status.is_closed())
            .count(),
        overdue: problems.iter().filter(|p| p.overdue).count(),
        campaigns: lines,
        by_item,
        problems,
    })
}
