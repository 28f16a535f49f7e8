//! The demo county's 党建 records: the branches, every person's stages (written as the
//! `party` import writes them) and the branches' 2021 meetings.

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::party::{self as store, NewMeeting, NewPerson, NewStage};
use emis_storage::Db;

/// Loads the records once (a county that has branches already is left as it is).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::party::DemoParty,
    actor: &Actor,
) -> Result<()> {
    if !store::branches(db, county).await?.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let names: Vec<String> = demo.branches.iter().map(|b| b.name.clone()).collect();
    let branches = store::ensure_branches(&mut tx, county, &names, &actor.name).await?;
    let people: Vec<NewPerson> = demo
        .people
        .iter()
        .map(|p| NewPerson {
            id_number: p.id_number.clone(),
            name: p.name.clone(),
            branch_id: branches[&p.branch],
        })
        .collect();
    let ids = store::write_people(&mut tx, county, &people).await?;
    let stages: Vec<NewStage> = demo
        .people
        .iter()
        .flat_map(|p| {
            let person_id = ids[&p.id_number];
            p.stages.iter().map(move |(stage, on)| NewStage {
                person_id,
                stage: *stage,
                reached_on: on.to_string(),
            })
        })
        .collect();
    store::write_stages(&mut tx, county, &stages, &actor.name).await?;
    let meetings: Vec<NewMeeting> = demo
        .meetings
        .iter()
        .map(|m| NewMeeting {
            branch_id: branches[&m.branch],
            held_on: m.held_on.to_string(),
            kind: m.kind,
            topic: m.topic.clone(),
            expected: i64::from(m.expected),
            attended: i64::from(m.attended),
        })
        .collect();
    store::write_meetings(&mut tx, county, &meetings, &actor.name).await?;
    Entry::new(county, "demo", "party", county)
        .after_json(&serde_json::json!({
            "branches": names.len(),
            "people": people.len(),
            "stages": stages.len(),
            "meetings": meetings.len(),
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
