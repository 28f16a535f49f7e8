//! `emis migrate --from URL --to URL`: a county's database moved to another engine (from
//! its SQLite file into a city's PostgreSQL), and proved unchanged: the annual indicators
//! of every year with records are computed on both sides and compared.

use crate::{AppError, Result};
use emis_storage::copy::{copy_database, CopiedTable};
use emis_storage::Db;

/// What was moved and what was compared.
#[derive(Debug)]
pub struct Moved {
    pub county: String,
    pub tables: Vec<CopiedTable>,
    /// The years whose indicators were compared, with how many indicators each.
    pub years: Vec<(i32, usize)>,
}

/// Copies `from` into the empty `to`, then compares the indicators. A target with data is
/// refused with nothing written; indicators that differ afterwards are an error naming them.
pub async fn move_county(
    from: &Db,
    to: &Db,
    on_table: &(dyn Fn(&str, i64) + Sync),
) -> Result<Moved> {
    let county = emis_storage::registry::default_county(from).await?;
    let mut years: Vec<i32> = emis_storage::indicators::all_terms(from, &county)
        .await?
        .iter()
        .filter_map(|t| emis_domain::term::Term::parse(t).map(|t| t.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut before = Vec::new();
    for &year in &years {
        before.push(shown(from, &county, year).await?);
    }
    let tables = copy_database(from, to, on_table)
        .await?
        .map_err(|e| AppError::Refused(e.to_string()))?;
    let mut compared = Vec::new();
    for (&year, before) in years.iter().zip(before) {
        let after = shown(to, &county, year).await?;
        let differ: Vec<String> = before
            .iter()
            .zip(after.iter())
            .filter(|(b, a)| b != a)
            .map(|((code, b), (_, a))| format!("{code}: {b} → {a}"))
            .collect();
        if !differ.is_empty() || before.len() != after.len() {
            return Err(AppError::Refused(format!(
                "迁移后 {year} 年的指标与迁移前不一致：{}",
                differ.join("；")
            )));
        }
        compared.push((year, before.len()));
    }
    Ok(Moved {
        county,
        tables,
        years: compared,
    })
}

/// A year's indicators as people read them, by code.
async fn shown(db: &Db, county: &str, year: i32) -> Result<Vec<(String, String)>> {
    let set = crate::report::annual_indicators(db, county, year).await?;
    Ok(set
        .values
        .iter()
        .map(|(code, v)| (code.to_string(), v.display()))
        .chain(
            set.forms
                .iter()
                .map(|(code, v)| (code.clone(), v.display())),
        )
        .collect())
}
