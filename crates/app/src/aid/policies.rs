//! 资助政策: the policy catalog of a year, its edits and copying it to another year.

use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::{catalog_2021, Policy, PolicyError, PolicyForm};
use emis_storage::aid as store;
use emis_storage::audit::{Actor, Entry};
use emis_storage::Db;

/// The year's catalog: the stored one, or the built-in 2021 policies for 2021.
pub async fn catalog(db: &Db, county: &str, year: i32) -> Result<Vec<Policy>> {
    let stored = store::policies(db, county, year).await?;
    if stored.is_empty() && year == 2021 {
        return Ok(catalog_2021());
    }
    Ok(stored)
}

/// Adds a policy to a year's catalog, or replaces the one with its code (county officers
/// only), audited with the policy before and after. A year still on the built-in 2021
/// catalog is stored whole first, so editing one policy keeps the others.
pub async fn save_policy(
    db: &Db,
    scope: &Scope,
    year: i32,
    form: &PolicyForm,
    actor: &Actor,
) -> Result<Policy> {
    if !scope.is_county() {
        return Err(AppError::Forbidden);
    }
    let policy = form.policy(year)?;
    let county = scope.county();
    let mut list = catalog(db, county, year).await?;
    let before = list.iter().find(|p| p.code == policy.code).cloned();
    match list.iter_mut().find(|p| p.code == policy.code) {
        Some(p) => *p = policy.clone(),
        None => list.push(policy.clone()),
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &list, &actor.name).await?;
    let key = format!("{year}/{}", policy.code);
    Entry::new(
        county,
        if before.is_some() { "update" } else { "create" },
        "aid_policy",
        &key,
    )
    .before(before.and_then(|b| serde_json::to_string(&b).ok()))
    .after_json(&policy)
    .record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(policy)
}

/// A refused field of the policy form is a field refusal like any other.
impl From<PolicyError> for AppError {
    fn from(e: PolicyError) -> Self {
        AppError::Invalid {
            field: e.field,
            message: e.reason,
        }
    }
}

/// Copies a year's catalog to another year that has none yet (county officers only),
/// audited. Returns the number of policies copied.
pub async fn copy_catalog(
    db: &Db,
    scope: &Scope,
    from: i32,
    to: i32,
    actor: &Actor,
) -> Result<usize> {
    if !scope.is_county() {
        return Err(AppError::Forbidden);
    }
    let county = scope.county();
    if from == to {
        return Err(AppError::Refused("目标年度须与源年度不同".into()));
    }
    if !store::policies(db, county, to).await?.is_empty() {
        return Err(AppError::Refused(format!(
            "{to}年已有资助政策目录，请逐项修改，不能整体复制覆盖"
        )));
    }
    let list: Vec<Policy> = catalog(db, county, from)
        .await?
        .into_iter()
        .map(|p| Policy { year: to, ..p })
        .collect();
    if list.is_empty() {
        return Err(AppError::Refused(format!("{from}年没有资助政策可复制")));
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &list, &actor.name).await?;
    let key = to.to_string();
    Entry::new(county, "copy", "aid_policies", &key)
        .after_json(&serde_json::json!({"from": from, "to": to, "policies": list.len()}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(list.len())
}
