//! The demo county's honours and competition results (written as the `honours` import
//! writes them).

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::honours::{self as store, NewHonour};
use emis_storage::Db;

/// Loads the records once (a county that has honours already is left as it is).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    if !store::honours(db, county).await?.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewHonour> = demo
        .honours
        .iter()
        .map(|h| NewHonour {
            subject_kind: h.subject_kind,
            subject_key: h.subject_key.clone(),
            school_code: h.school_code.clone(),
            person_name: h.person_name.clone(),
            title: h.title.to_string(),
            kind: h.kind,
            level: h.level,
            granted_by: h.granted_by.to_string(),
            granted_on: h.granted_on.to_string(),
            prize: h.prize.clone(),
            event: h.event.to_string(),
        })
        .collect();
    let mut tx = db.begin().await?;
    store::insert_honours(&mut tx, county, &rows, &actor.name).await?;
    Entry::new(county, "demo", "honours", county)
        .after_json(&serde_json::json!({"honours": rows.len()}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
