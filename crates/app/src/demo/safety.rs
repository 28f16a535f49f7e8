//! The demo county's 安全管理 records: inspections and their ticks, hazards, waters, the
//! 九长 chain, patrols, the duty roster, 十有 and the signed letters.

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::Db;

/// Writes the generated safety records in one transaction.
pub(super) async fn load_safety(
    db: &Db,
    county: &str,
    s: &emis_demo::safety::Safety,
    actor: &Actor,
) -> Result<()> {
    use emis_storage::safety as store;
    let by = "演示数据";
    let mut tx = db.begin().await?;
    let (inspections, hazards) = write_inspections_and_hazards(&mut tx, county, by, s).await?;
    let mut water_ids = Vec::with_capacity(s.waters.len());
    for w in &s.waters {
        let row = store::WaterRow {
            township_code: w.township_code.to_string(),
            village: w.village.clone(),
            name: w.name.clone(),
            kind: w.kind.to_string(),
            longitude: Some(w.longitude.clone()),
            latitude: Some(w.latitude.clone()),
            risk: w.risk.to_string(),
            measures: w.measures,
            ..store::WaterRow::default()
        };
        water_ids.push(store::insert_water(&mut tx, county, &row).await?);
    }
    let water_id = |i: usize| water_ids.get(i).copied().unwrap_or_default();
    let chain: Vec<store::ChainRow> = s
        .chain
        .iter()
        .map(|l| store::ChainRow {
            level: l.level.to_string(),
            township_code: l.township_code.clone(),
            water_id: l.water.map(water_id),
            village: l.village.clone(),
            school_code: l.school_code.clone(),
            class_label: l.class_label.clone(),
            role: l.role.to_string(),
            person: l.person.clone(),
            phone: l.phone.clone(),
            ..store::ChainRow::default()
        })
        .collect();
    store::write_chain(&mut tx, county, &chain).await?;
    let patrols: Vec<store::PatrolRow> = s
        .patrols
        .iter()
        .map(|p| store::PatrolRow {
            water_id: water_id(p.water),
            day: p.day.to_string(),
            slot: p.slot.to_string(),
            patroller: p.patroller.clone(),
            ..store::PatrolRow::default()
        })
        .collect();
    store::write_patrols(&mut tx, county, &patrols).await?;
    let mut roster: Vec<(i64, String, String, String, String, String)> = Vec::new();
    for p in s
        .patrols
        .iter()
        .filter(|p| p.day.to_string() == "2021-07-01")
    {
        // A made-up mobile number per shift (the demo's generator keeps its random stream).
        let phone = format!("1397450{:04}", (roster.len() * 37 + 1001) % 10_000);
        roster.push((
            water_id(p.water),
            p.patroller.clone(),
            phone,
            p.slot.to_string(),
            "2021-07-01".into(),
            "2021-08-31".into(),
        ));
    }
    store::write_roster(&mut tx, county, &roster).await?;
    let ten: Vec<(String, String, bool, String)> = s
        .ten_haves
        .iter()
        .map(|t| {
            (
                t.org_code.clone(),
                t.item.to_string(),
                t.done,
                t.evidence.clone(),
            )
        })
        .collect();
    store::write_ten_haves(&mut tx, county, 2021, &ten).await?;
    let signed = store::sign_letters_by_rule(
        &mut tx,
        county,
        "2021-autumn",
        "2021-09-10",
        emis_demo::safety::LETTER_MODULUS,
        emis_demo::safety::LETTER_UNSIGNED_REMAINDER,
    )
    .await?;
    Entry::new(county, "demo", "safety", county).after_json(&serde_json::json!({"inspections": inspections, "hazards": hazards, "waters": s.waters.len(), "patrols": patrols.len(), "letters": signed})).record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The inspections (with every school's checklist ticks) and the hazards they found, all
/// rectified and closed: how many of each were written.
async fn write_inspections_and_hazards(
    tx: &mut emis_storage::Tx,
    county: &str,
    by: &str,
    s: &emis_demo::safety::Safety,
) -> Result<(usize, usize)> {
    use emis_storage::safety as store;
    let inspections: Vec<store::NewInspection> = s
        .inspections
        .iter()
        .map(|i| store::NewInspection {
            area: emis_domain::safety::Area::Safety,
            kind: i.kind.to_string(),
            title: i.title.clone(),
            school_code: i.school_code.clone(),
            planned_on: i.planned_on.to_string(),
            done_on: Some(i.done_on.to_string()),
            checklist: i.checklist.clone(),
            document: None,
        })
        .collect();
    store::insert_inspections(tx, county, by, &inspections).await?;
    let ids = store::inspection_ids(tx, county).await?;
    let mut ticks = Vec::new();
    for c in &s.checks {
        let (Some(&inspection_id), Some(inspection)) =
            (ids.get(c.inspection), s.inspections.get(c.inspection))
        else {
            continue;
        };
        ticks.extend(inspection.checklist.iter().map(|item| store::CheckTick {
            inspection_id,
            school_code: c.school_code.clone(),
            item: item.clone(),
            checked_on: c.checked_on.to_string(),
            note: String::new(),
        }));
    }
    store::write_check_ticks(tx, county, by, &ticks).await?;
    let hazards: Vec<store::HazardRow> = s
        .hazards
        .iter()
        .map(|h| store::HazardRow {
            school_code: h.school_code.clone(),
            inspection_id: ids.get(h.inspection).copied(),
            place: h.place.clone(),
            category: h.category.to_string(),
            grade: emis_domain::safety::Grade::parse(h.grade).unwrap_or_default(),
            description: h.description.clone(),
            found_on: h.found_on.to_string(),
            found_by: by.to_string(),
            responsible: Some(h.responsible.clone()),
            measures: Some(h.measures.clone()),
            deadline: Some(h.deadline.to_string()),
            budget_fen: h.budget_fen,
            status: emis_domain::safety::Status::Closed,
            result: Some(h.result.clone()),
            rectified_on: Some(h.rectified_on.to_string()),
            review: Some(h.review.clone()),
            reviewed_by: Some(by.to_string()),
            closed_on: Some(h.closed_on.to_string()),
            ..store::HazardRow::default()
        })
        .collect();
    store::write_hazards(tx, county, &hazards).await?;
    Ok((inspections.len(), hazards.len()))
}

/// A province's county (`province`): only its inspections and hazards, none of the
/// anti-drowning work or letters.
pub(super) async fn load_hazards(
    db: &Db,
    county: &str,
    s: &emis_demo::safety::Safety,
    actor: &Actor,
) -> Result<usize> {
    let mut tx = db.begin().await?;
    let (inspections, hazards) =
        write_inspections_and_hazards(&mut tx, county, "演示数据", s).await?;
    Entry::new(county, "demo", "safety", county)
        .after_json(&serde_json::json!({"inspections": inspections, "hazards": hazards}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(hazards)
}

/// 2020, the year before, for the year-over-year figures: the demo's hazards a year earlier
/// (every date moved back a year, 29 February to the 28th), about one in nine fewer, all
/// rectified and closed, without their inspections.
pub(super) async fn load_previous_hazards(
    db: &Db,
    county: &str,
    s: &emis_demo::safety::Safety,
) -> Result<usize> {
    use chrono::Datelike;
    use emis_storage::safety as store;
    let by = "演示数据（2020年）";
    let back = |d: chrono::NaiveDate| {
        d.with_year(d.year() - 1)
            .or_else(|| (d - chrono::Days::new(1)).with_year(d.year() - 1))
            .unwrap_or(d)
            .to_string()
    };
    let hazards: Vec<store::HazardRow> = s
        .hazards
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 9 != 4)
        .map(|(_, h)| store::HazardRow {
            school_code: h.school_code.clone(),
            inspection_id: None,
            place: h.place.clone(),
            category: h.category.to_string(),
            grade: emis_domain::safety::Grade::parse(h.grade).unwrap_or_default(),
            description: h.description.clone(),
            found_on: back(h.found_on),
            found_by: by.to_string(),
            responsible: Some(h.responsible.clone()),
            measures: Some(h.measures.clone()),
            deadline: Some(back(h.deadline)),
            budget_fen: h.budget_fen,
            status: emis_domain::safety::Status::Closed,
            result: Some(h.result.clone()),
            rectified_on: Some(back(h.rectified_on)),
            review: Some(h.review.clone()),
            reviewed_by: Some(by.to_string()),
            closed_on: Some(back(h.closed_on)),
            ..store::HazardRow::default()
        })
        .collect();
    let mut tx = db.begin().await?;
    store::write_hazards(&mut tx, county, &hazards).await?;
    emis_storage::commit(tx).await?;
    Ok(hazards.len())
}
