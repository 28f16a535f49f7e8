//! Read models of 招生入学 and 大班额: the county's class-size settings, intake plans,
//! communities, the schools that take entrants, and the counts the zone and applicant
//! pages show. Enrolment is planned county-wide: these reads are the account's county's.

use crate::auth::Account;
use crate::Result;
use emis_domain::class_size::ClassSizeRules;
use emis_domain::enrollment::{Community, SchoolCapacity};
use emis_domain::registry::Grade;
use emis_storage::enrollment as store;
use emis_storage::{registry, Db};

pub use emis_storage::enrollment::{LedgerEntry, PlacementRow, RunRow};

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
