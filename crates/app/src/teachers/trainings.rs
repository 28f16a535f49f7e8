//! 教师培训: person-times by level, township and school; the trainings of a year and their
//! participants; the teachers behind on continuing-education hours.

use crate::auth::Account;
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_domain::registry::PostType;
use emis_domain::teachers::TrainingLevel;
use emis_storage::teachers::{
    self as store, ParticipantListRow, PersonTimes, TrainingGroup, TrainingListRow, TrainingRow,
};
use emis_storage::{registry, Db};

masked::masks! {
    ParticipantListRow { id: id_number }
    BehindRow { id: id_number }
}

/// A year's trainings of the scope in figures.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TrainingSummary {
    pub year: i32,
    pub person_times: i64,
    pub persons: i64,
    /// Tenths of an hour.
    pub hours: i64,
    pub by_level: Vec<PersonTimes>,
    pub by_township: Vec<PersonTimes>,
    pub by_school: Vec<PersonTimes>,
}

pub async fn summary(db: &Db, account: &Account, year: i32) -> Result<TrainingSummary> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let scope = &account.scope;
    let mut by_level = store::person_times(db, scope, year, TrainingGroup::Level).await?;
    by_level.sort_by_key(|p| TrainingLevel::parse(&p.key));
    let by_township = store::person_times(db, scope, year, TrainingGroup::Township).await?;
    let mut by_school = store::person_times(db, scope, year, TrainingGroup::School).await?;
    by_school.sort_by(|a, b| b.person_times.cmp(&a.person_times).then(a.key.cmp(&b.key)));
    // Distinct persons of the whole scope: a teacher trained at two levels counts once.
    let persons = store::hours_by_teacher(
        db,
        scope,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
    )
    .await?
    .len() as i64;
    Ok(TrainingSummary {
        year,
        person_times: by_level.iter().map(|p| p.person_times).sum(),
        persons,
        hours: by_level.iter().map(|p| p.hours).sum(),
        by_level,
        by_township,
        by_school,
    })
}

pub async fn list(
    db: &Db,
    account: &Account,
    year: i32,
    level: Option<TrainingLevel>,
) -> Result<Vec<TrainingListRow>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(store::trainings_of_year(db, &account.scope, year, level).await?)
}

/// One training with its participants of the scope (none in scope: not found).
pub async fn detail(
    db: &Db,
    account: &Account,
    id: i64,
) -> Result<(TrainingRow, Vec<Masked<ParticipantListRow>>)> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let training = store::training(db, account.county(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let participants = store::participants(db, &account.scope, id).await?;
    if participants.is_empty() && !account.scope.is_county() {
        return Err(AppError::NotFound);
    }
    Ok((training, Masked::all(participants)))
}

/// A teacher behind on continuing-education hours.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct BehindRow {
    pub staff_id: i64,
    pub name: String,
    pub id_number: String,
    pub school_code: String,
    pub school_name: String,
    /// Tenths of an hour done in the cycle so far.
    pub hours: i64,
}

/// The 专任教师 of the scope whose hours in the cycle fall short of what is due by the end
/// of `year`, fewest hours first; with the cycle and the hours due.
pub async fn behind(
    db: &Db,
    account: &Account,
    year: i32,
) -> Result<((i32, i32), u32, Vec<Masked<BehindRow>>)> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let (_, requirement) = store::teacher_settings(db, county).await?;
    let cycle = requirement.cycle_of(year);
    let done = store::hours_by_teacher(
        db,
        &account.scope,
        &format!("{}-01-01", cycle.0),
        &format!("{year}-12-31"),
    )
    .await?;
    let schools: std::collections::HashMap<String, emis_domain::registry::School> =
        registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect();
    let ids = store::staff_ids(db, county).await?;
    let mut rows: Vec<BehindRow> = registry::load_staff(db, county)
        .await?
        .into_values()
        .filter(|m| m.post_type == PostType::Teacher)
        .filter_map(|m| {
            let school = schools.get(&m.school_code)?;
            if !super::admits(account, &school.code, &school.township_code) {
                return None;
            }
            let hours = done.get(&m.id_number).copied().unwrap_or(0);
            requirement.is_behind(hours, year).then(|| BehindRow {
                staff_id: ids.get(&m.id_number).copied().unwrap_or(0),
                school_name: school.name.clone(),
                school_code: m.school_code,
                name: m.name,
                id_number: m.id_number,
                hours,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.hours
            .cmp(&b.hours)
            .then(a.school_code.cmp(&b.school_code))
            .then(a.name.cmp(&b.name))
    });
    Ok((cycle, requirement.due_by(year), Masked::all(rows)))
}
