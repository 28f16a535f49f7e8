//! Read models of 招生入学 and 大班额: the county's class-size settings, intake plans,
//! communities, the schools that take entrants, the counts the zone and applicant pages
//! show, and a run's result, placements and comparison with the applicants' ID numbers
//! masked when the views are built (`Masked`). Enrolment is planned county-wide: these
//! reads are the account's county's.

use super::RunView;
use crate::auth::Account;
use crate::masked::{self, Mask};
use crate::Result;
use emis_domain::class_size::ClassSizeRules;
use emis_domain::enrollment::{Community, Comparison, SchoolCapacity};
use emis_domain::registry::Grade;
use emis_storage::enrollment as store;
use emis_storage::{registry, Db};

pub use crate::masked::Masked;
pub use emis_storage::enrollment::{LedgerEntry, LedgerQuery, PlacementRow, RunRow, LEDGER_SORTS};

impl Mask for RunView {
    fn mask(&mut self) {
        for p in &mut self.result.placements {
            masked::id(&mut p.applicant_id);
        }
        for u in &mut self.result.unplaced {
            masked::id(&mut u.applicant_id);
        }
    }
}

masked::masks! {
    PlacementRow { id: id_number }
}

impl Mask for Comparison {
    fn mask(&mut self) {
        for c in &mut self.changed {
            masked::id(&mut c.applicant_id);
        }
    }
}

/// A stored run with its result as the account's scope sees it (`run_view`).
pub async fn run(db: &Db, account: &Account, id: i64) -> Result<Masked<RunView>> {
    Ok(Masked::new(super::run_view(db, account, id).await?))
}

/// The placements of a run in the account's scope, of one school if given (`placements`).
pub async fn placements(
    db: &Db,
    account: &Account,
    run: i64,
    school: Option<&str>,
) -> Result<Vec<Masked<PlacementRow>>> {
    Ok(Masked::all(
        super::placements(db, account, run, school).await?,
    ))
}

/// Two runs of the same year and grade compared (`compare_runs`).
pub async fn compare(db: &Db, account: &Account, a: i64, b: i64) -> Result<Masked<Comparison>> {
    Ok(Masked::new(super::compare_runs(db, account, a, b).await?))
}

/// The county's class-size settings (大班额 thresholds and standard sizes).
pub async fn settings(db: &Db, account: &Account) -> Result<ClassSizeRules> {
    Ok(store::settings(db, account.county()).await?)
}

/// The county's intake plans of a year and entry grade, by school.
pub async fn plans(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
) -> Result<Vec<SchoolCapacity>> {
    Ok(store::plans(db, account.county(), year, grade).await?)
}

/// The county's communities (小区/村), by code.
pub async fn communities(db: &Db, account: &Account) -> Result<Vec<Community>> {
    Ok(store::communities(db, account.county()).await?)
}

/// The county's schools that take entrants (一年级 or 七年级) as (code, name), sorted.
pub async fn entry_schools(db: &Db, account: &Account) -> Result<Vec<(String, String)>> {
    let mut schools: Vec<(String, String)> = registry::schools(db, account.county())
        .await?
        .into_iter()
        .filter(|s| {
            let g = s.school_type.grades();
            g.contains(&Grade::G1) || g.contains(&Grade::G7)
        })
        .map(|s| (s.code, s.name))
        .collect();
    schools.sort();
    Ok(schools)
}

/// How many (community, school) distances the county has.
pub async fn distance_count(db: &Db, account: &Account) -> Result<usize> {
    Ok(store::distances(db, account.county()).await?.len())
}

/// How many applicants the county has for a year and entry grade.
pub async fn applicant_count(db: &Db, account: &Account, year: i32, grade: Grade) -> Result<usize> {
    Ok(store::applicants(db, account.county(), year, grade)
        .await?
        .len())
}
