//! 模拟省: loads synthetic counties ([`emis_demo::province`]) into one database, to
//! measure a city or province (issue #19). Each county gets its schools, its roll of both
//! 2021 terms, its population roll (compared with the roll, as an import would), its aid
//! and its hazards, through the same writers as the demo county.

use super::{aid, dropout, safety};
use crate::Result;
use emis_storage::audit::Actor;
use emis_storage::{registry, Db};

/// What one county's load wrote.
#[derive(Debug, Default, Clone)]
pub struct ProvinceCounty {
    pub code: String,
    pub name: String,
    /// False when the county was there already (nothing written).
    pub loaded: bool,
    pub student_rows: usize,
    pub population: usize,
    pub payments: usize,
    pub hazards: usize,
}

/// How many synthetic counties there can be.
pub fn capacity() -> usize {
    emis_demo::province::capacity()
}

/// Loads the `index`-th synthetic county unless its roll is there already.
pub async fn load_county(db: &Db, index: usize, actor: &Actor) -> Result<ProvinceCounty> {
    let code = emis_demo::province::county_code(index)
        .ok_or_else(|| crate::AppError::Usage(format!("模拟县最多{}个", capacity())))?;
    if registry::count(db, "students", &code).await.unwrap_or(0) > 0 {
        return Ok(ProvinceCounty {
            code,
            name: emis_demo::province::county_name(index),
            ..ProvinceCounty::default()
        });
    }
    let demo = emis_demo::province::county(index).expect("the code was there");
    let county = demo.county;
    registry::ensure_county(db, county).await?;
    super::write_roll(
        db,
        &demo,
        emis_demo::province::seed(index),
        actor,
        &crate::NoProgress,
    )
    .await?;
    let population = dropout::load_population(db, county, &demo.dropout, actor).await?;
    let payments = aid::load_demo(db, county.code, &demo, actor).await?;
    let safety = emis_demo::safety::generate(
        emis_demo::province::seed(index),
        &demo.schools,
        &demo.students,
    );
    let hazards = safety::load_hazards(db, county.code, &safety, actor).await?;
    Ok(ProvinceCounty {
        code: county.code.to_string(),
        name: county.name.to_string(),
        loaded: true,
        student_rows: demo.students.len(),
        population: population.import.valid_rows,
        payments,
        hazards,
    })
}
