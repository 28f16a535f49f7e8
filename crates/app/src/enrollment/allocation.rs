//! 分配方案: allocation runs (base and what-if), their views, placements, comparison
//! and publication.

use super::require_plan;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::enrollment::{
    allocate, apply, compare, AllocationInput, AllocationResult, Comparison, Scenario,
    ScenarioChange,
};
use emis_domain::registry::Grade;
use emis_storage::audit::Entry;
use emis_storage::enrollment as store;
use emis_storage::{registry, Db};
use std::collections::HashMap;

/// The stored allocation input of a year and grade.
pub async fn load_input(db: &Db, county: &str, year: i32, grade: Grade) -> Result<AllocationInput> {
    Ok(AllocationInput {
        grade,
        communities: store::communities(db, county).await?,
        zones: store::zones(db, county, year, grade).await?,
        capacities: store::plans(db, county, year, grade).await?,
        distances: store::distances(db, county).await?,
        applicants: store::applicants(db, county, year, grade).await?,
    })
}

/// Runs the allocation on the stored input with the what-if changes (none for the base
/// run) and keeps the run; returns its id.
pub async fn run_allocation(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    name: &str,
    changes: Vec<ScenarioChange>,
    source: &str,
) -> Result<i64> {
    require_plan(account)?;
    let county = account.county();
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Refused("请填写方案名称".into()));
    }
    let base = load_input(db, county, year, grade).await?;
    if base.applicants.is_empty() {
        return Err(AppError::Refused(format!(
            "{year}年{}尚无报名学生，请先导入报名名单",
            grade.label()
        )));
    }
    let scenario = Scenario {
        name: name.to_string(),
        changes,
    };
    let input = apply(&base, &scenario);
    let result = allocate(&input);
    store_run(db, account, year, grade, &scenario, &result, false, source).await
}

#[allow(clippy::too_many_arguments)]
async fn store_run(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    scenario: &Scenario,
    result: &AllocationResult,
    published: bool,
    source: &str,
) -> Result<i64> {
    let county = account.county();
    let mut tx = db.begin().await?;
    let id = store::insert_run(
        &mut tx,
        county,
        store::NewRun {
            year,
            grade,
            name: &scenario.name,
            changes_json: serde_json::to_string(&scenario.changes).unwrap_or_default(),
            result_json: serde_json::to_string(result).unwrap_or_default(),
            applicants: result.placements.len() as i64,
            placed: result.placed_count() as i64,
            unplaced: result.unplaced.len() as i64,
            created_by: &account.username,
            published,
        },
        &result.placements,
    )
    .await?;
    Entry::new(county, "allocate", "allocation_run", &id.to_string()).after_json(&serde_json::json!({"name": scenario.name, "year": year, "grade": grade.label(), "changes": scenario.changes.iter().map(ScenarioChange::describe).collect::<Vec<_>>(), "placed": result.placed_count(), "unplaced": result.unplaced.len()})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A stored run with its result; school-level accounts see only their schools' rows.
pub struct RunView {
    pub run: store::RunRow,
    pub result: AllocationResult,
    pub changes: Vec<ScenarioChange>,
}

fn visible_school(scope: &Scope, schools: &HashMap<String, String>, code: &str) -> bool {
    scope.admits_school(code, schools.get(code).map(String::as_str).unwrap_or(""))
}

pub async fn run_view(db: &Db, account: &Account, id: i64) -> Result<RunView> {
    let county = account.county();
    let (run, json) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut result: AllocationResult = serde_json::from_str(&json)
        .map_err(|e| AppError::Refused(format!("方案结果无法读取：{e}")))?;
    if !account.scope.is_county() {
        let townships: HashMap<String, String> = registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.township_code))
            .collect();
        result
            .schools
            .retain(|s| visible_school(&account.scope, &townships, &s.school_code));
        result.placements.retain(|p| {
            p.school_code
                .as_deref()
                .is_some_and(|c| visible_school(&account.scope, &townships, c))
        });
        result.unplaced.clear();
    }
    let changes = serde_json::from_str(&run.changes_json).unwrap_or_default();
    Ok(RunView {
        run,
        result,
        changes,
    })
}

pub async fn runs(db: &Db, account: &Account) -> Result<Vec<store::RunRow>> {
    let _ = account;
    Ok(store::runs(db, account.county()).await?)
}

/// Placements of a run within the account's scope (a school sees its own intake).
pub async fn placements(
    db: &Db,
    account: &Account,
    id: i64,
    school: Option<&str>,
) -> Result<Vec<store::PlacementRow>> {
    let county = account.county();
    let (run, _) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let school = match &account.scope {
        Scope::County { .. } => school.map(str::to_string),
        Scope::School { school: own, .. } | Scope::Class { school: own, .. } => Some(own.clone()),
        Scope::Township { .. } => school.map(str::to_string),
        // A region reads no county's placements.
        Scope::Region { .. } => return Err(AppError::NotFound),
    };
    let mut rows = store::placements(
        db,
        county,
        id,
        run.year,
        run.grade.label(),
        school.as_deref(),
        if school.is_some() { 5_000 } else { 1_000 },
    )
    .await?;
    if let Scope::Township { .. } = &account.scope {
        let townships: HashMap<String, String> = registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.township_code))
            .collect();
        rows.retain(|p| {
            p.school_code
                .as_deref()
                .is_some_and(|c| visible_school(&account.scope, &townships, c))
        });
    }
    Ok(rows)
}

/// Compares two runs of the same year and grade.
pub async fn compare_runs(db: &Db, account: &Account, a: i64, b: i64) -> Result<Comparison> {
    require_plan(account)?;
    let before = run_view(db, account, a).await?;
    let after = run_view(db, account, b).await?;
    if before.run.grade != after.run.grade || before.run.year != after.run.year {
        return Err(AppError::Refused("只能比较同一年度、同一年级的方案".into()));
    }
    Ok(compare(&before.result, &after.result))
}

/// Publishes a run (the only published one of its year and grade).
pub async fn publish(db: &Db, account: &Account, id: i64, source: &str) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    let (run, _) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    store::publish_run(&mut tx, county, id, run.year, run.grade.label()).await?;
    Entry::new(county, "publish", "allocation_run", &id.to_string())
        .after_json(&serde_json::json!({"name": run.name}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
