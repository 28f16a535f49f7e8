//! The demo county's campaigns of visits (the 双减 专项督查, the 督导检查) written on the
//! hazard ledger as the campaign pages would have left them.

use crate::Result;
use emis_demo::campaigns::DemoCampaign;
use emis_domain::safety::{Grade, Status};
use emis_storage::safety;

/// A campaign as the office's pages would have left it: the campaign, every visited
/// school's checklist ticked with the inspectors' note, and the problems closed. Returns
/// how many problems were written.
pub(super) async fn write_campaign(
    tx: &mut emis_storage::Tx,
    county: &str,
    s: &DemoCampaign,
    by: &str,
) -> Result<usize> {
    let campaign = safety::NewInspection {
        area: s.area,
        kind: s.area.campaign_kind().to_string(),
        title: s.title.clone(),
        school_code: None,
        planned_on: s.planned_on.to_string(),
        done_on: None,
        checklist: s.checklist.iter().map(|i| i.to_string()).collect(),
        document: s.document.clone(),
    };
    let id = safety::insert_inspection(tx, county, by, &campaign).await?;
    for v in &s.visits {
        let ticks: Vec<(String, String)> = s
            .checklist
            .iter()
            .map(|item| (item.to_string(), v.note.clone()))
            .collect();
        let day = v.checked_on.to_string();
        safety::write_checks(tx, county, id, &v.school_code, by, &day, &ticks).await?;
    }
    let problems: Vec<safety::HazardRow> = s
        .problems
        .iter()
        .map(|p| safety::HazardRow {
            school_code: p.school_code.clone(),
            area: s.area,
            inspection_id: Some(id),
            place: p.place.to_string(),
            category: p.category.to_string(),
            grade: Grade::General,
            description: p.description.to_string(),
            found_on: p.found_on.to_string(),
            found_by: by.to_string(),
            responsible: Some(p.responsible.clone()),
            measures: Some(p.measures.to_string()),
            deadline: Some(p.deadline.to_string()),
            status: Status::Closed,
            result: Some(p.result.to_string()),
            rectified_on: Some(p.rectified_on.to_string()),
            review: Some(p.review.to_string()),
            reviewed_by: Some(by.to_string()),
            closed_on: Some(p.closed_on.to_string()),
            ..safety::HazardRow::default()
        })
        .collect();
    safety::write_hazards(tx, county, &problems).await?;
    Ok(problems.len())
}
