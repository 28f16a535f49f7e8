//! The demo county's 双减 records: the training institutions with their status changes
//! (written as the `institutions` import writes them), both 2021 terms' after-school
//! service of every compulsory-stage school and the schools' 五项管理 self-checks, and the
//! autumn 专项督查 on the hazard ledger (its visits and its problems, all closed).

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::double_reduction::{self as store, AfterSchoolRow, NewEvent, NewInstitution};
use emis_storage::Db;

/// Loads the records once (a county that has institutions already is left as it is).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    if !store::institutions(db, county).await?.is_empty() {
        return Ok(());
    }
    let d = &demo.double_reduction;
    let institutions: Vec<NewInstitution> = d
        .institutions
        .iter()
        .map(|i| NewInstitution {
            name: i.name.clone(),
            credit_code: i.credit_code.clone(),
            category: i.category,
            township_code: i.township_code.clone(),
            licence: i.licence.clone(),
            owner: Some(i.owner.clone()),
            address: Some(i.address.clone()),
        })
        .collect();
    let mut tx = db.begin().await?;
    let ids = store::write_institutions(&mut tx, county, &institutions).await?;
    let mut events: Vec<NewEvent> = d
        .institutions
        .iter()
        .flat_map(|i| {
            let id = ids[&i.credit_code];
            i.events.iter().map(move |e| NewEvent {
                institution_id: id,
                status: e.status,
                happened_on: e.on.to_string(),
                document: e.document.clone(),
                note: None,
            })
        })
        .collect();
    // In date order, so each institution ends on its latest status.
    events.sort_by(|a, b| a.happened_on.cmp(&b.happened_on));
    store::record_events(&mut tx, county, &events, &actor.name).await?;
    let services: Vec<AfterSchoolRow> = d
        .after_school
        .iter()
        .map(|s| AfterSchoolRow {
            school_code: s.school_code.clone(),
            term: s.term.code(),
            offered: s.offered,
            days_a_week: i64::from(s.days_a_week),
            minutes_a_day: i64::from(s.minutes_a_day),
            students: i64::from(s.students),
            teachers: Some(i64::from(s.teachers)),
            fee_fen: None,
        })
        .collect();
    store::write_after_school(&mut tx, county, &services, &actor.name).await?;
    for c in &d.five_checks {
        let term = c.term.code();
        store::write_five_check(
            &mut tx,
            county,
            &c.school_code,
            &term,
            &c.check,
            &actor.name,
        )
        .await?;
    }
    let problems =
        super::campaigns::write_campaign(&mut tx, county, &d.supervision, &actor.name).await?;
    Entry::new(county, "demo", "double_reduction", county)
        .after_json(&serde_json::json!({
            "institutions": institutions.len(),
            "events": events.len(),
            "after_school": services.len(),
            "five_checks": d.five_checks.len(),
            "supervision_visits": d.supervision.visits.len(),
            "supervision_problems": problems,
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
