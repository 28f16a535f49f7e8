//! The demo county's building projects (written as the `projects` import writes them).

use crate::Result;
use emis_storage::audit::{Actor, Entry};
use emis_storage::projects::{self as store, NewInvestment, NewProject};
use emis_storage::Db;

/// Loads the projects once (a county that has projects already is left as it is).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    if !store::projects(db, county).await?.is_empty() {
        return Ok(());
    }
    let projects: Vec<NewProject> = demo
        .projects
        .iter()
        .map(|p| NewProject {
            name: p.name.clone(),
            category: p.category,
            school_code: p.school_code.clone(),
            started_on: p.started_on.to_string(),
            completed_on: p.completed_on.map(|d| d.to_string()),
            progress: p.progress,
            adds: p.adds,
        })
        .collect();
    let mut tx = db.begin().await?;
    let ids = store::write_projects(&mut tx, county, &projects, &actor.name).await?;
    let money: Vec<NewInvestment> = demo
        .projects
        .iter()
        .flat_map(|p| {
            let id = ids[&p.name];
            p.investments
                .iter()
                .map(move |(year, fen, source)| NewInvestment {
                    project_id: id,
                    year: *year,
                    amount_fen: *fen,
                    source: Some(source.to_string()),
                })
        })
        .collect();
    store::write_investments(&mut tx, county, &money, &actor.name).await?;
    Entry::new(county, "demo", "projects", county)
        .after_json(&serde_json::json!({"projects": projects.len(), "investments": money.len()}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
