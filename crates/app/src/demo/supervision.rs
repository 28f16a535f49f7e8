//! The demo county's 督导 of 2021: the autumn 督导检查 on the hazard ledger, and the year's
//! 绩效目标管理评估 as the office would have left it: the default scheme saved, every
//! school's inspectors' scores entered, the results computed from the records and published.

use crate::Result;
use chrono::NaiveDate;
use emis_domain::supervision::assessment::default_scheme;
use emis_storage::audit::{Actor, Entry};
use emis_storage::supervision as store;
use emis_storage::Db;

const YEAR: i32 = 2021;

/// Loads the records once (a county with a 2021 scheme already is left as it is). Runs after
/// every record the assessment reads (hazards, classes, after-school service, forms).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    if store::scheme(db, county, YEAR).await?.is_some() {
        return Ok(());
    }
    let s = &demo.supervision;
    let scheme = serde_json::to_string(&default_scheme())
        .map_err(|e| crate::AppError::Refused(e.to_string()))?;
    let scores: Vec<store::Score> = s
        .scores
        .iter()
        .map(|d| store::Score {
            school_code: d.school_code.clone(),
            item: d.item.clone(),
            score: d.hundredths,
            note: None,
        })
        .collect();
    let mut tx = db.begin().await?;
    let problems =
        super::campaigns::write_campaign(&mut tx, county, &s.visits, &actor.name).await?;
    store::save_scheme(
        &mut tx,
        county,
        YEAR,
        &scheme,
        s.scheme_document.as_deref(),
        &actor.name,
    )
    .await?;
    store::save_scores(&mut tx, county, YEAR, &scores, &actor.name).await?;
    emis_storage::commit(tx).await?;
    let year_end = NaiveDate::from_ymd_opt(YEAR, 12, 31).expect("a real date");
    let computed =
        crate::supervision::assessment::compute_figures(db, county, YEAR, year_end).await?;
    let json =
        serde_json::to_string(&computed).map_err(|e| crate::AppError::Refused(e.to_string()))?;
    let mut tx = db.begin().await?;
    store::save_results(&mut tx, county, YEAR, &json, &actor.name).await?;
    store::publish(&mut tx, county, YEAR, &actor.name).await?;
    Entry::new(county, "demo", "supervision", county)
        .after_json(&serde_json::json!({
            "visits": s.visits.visits.len(),
            "problems": problems,
            "scores": scores.len(),
            "assessed": computed.results.len(),
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
