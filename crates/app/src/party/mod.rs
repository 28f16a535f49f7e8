//! 党建: the branches with their secretary, people's stages (`branches`), the meeting logs
//! (`meetings`), and the `party.*` indicators. Who sees a branch is decided by
//! `emis_domain::party::branch_access` only: the party office sees every branch, a branch's
//! own secretary that branch, everyone else nothing.

pub mod branches;
pub mod meetings;

pub use emis_storage::party::{BranchRow, MeetingRow, PartyPersonRow, StageRow};

use crate::auth::Account;
use crate::imports::ImportKind;
use crate::{AppError, Result};
use emis_domain::indicators::Value;
use emis_domain::party::{branch_access, counted_as, BranchAccess, PartyStage};
use emis_storage::{party as store, Db};

/// The year's indicators of the branches counted (`None`: every branch): persons reaching
/// 入党积极分子, 预备党员 and 正式党员 in the year (CONTRACTS.md).
async fn indicators_of(
    db: &Db,
    county: &str,
    year: i32,
    branches: Option<&[i64]>,
) -> Result<Vec<(&'static str, Value)>> {
    let counts = store::stage_counts_of_year(db, county, year).await?;
    let count = |stage: PartyStage| {
        counts
            .iter()
            .filter(|(s, branch, _)| {
                *s == stage && branches.is_none_or(|list| list.contains(branch))
            })
            .map(|(_, _, n)| n)
            .sum::<i64>()
    };
    Ok([
        PartyStage::Activist,
        PartyStage::Probationary,
        PartyStage::Confirmed,
    ]
    .into_iter()
    .filter_map(|stage| Some((counted_as(stage)?, Value::Count(count(stage)))))
    .collect())
}

/// The county's indicators (the annual report).
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    indicators_of(db, county, year, None).await
}

/// The year's figures of the branches the account sees (the 党建 overview page).
pub async fn indicators_for(
    db: &Db,
    account: &Account,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let visible = branches::visible(db, account).await?;
    if account
        .role
        .permits(emis_domain::access::Permission::KeepParty)
    {
        return indicators_of(db, account.county(), year, None).await;
    }
    let ids: Vec<i64> = visible.iter().map(|b| b.id).collect();
    indicators_of(db, account.county(), year, Some(&ids)).await
}

/// The branch if the account may see it, with how: `NotFound` for a branch that is not
/// there or not theirs, `Forbidden` for an account that sees no branch at all.
pub(crate) async fn reach(
    db: &Db,
    account: &Account,
    branch: i64,
) -> Result<(BranchRow, BranchAccess)> {
    let found = store::branch(db, account.county(), branch).await?;
    let access = found
        .as_ref()
        .and_then(|b| branch_access(account.role, &account.username, b.secretary.as_deref()));
    match (found, access) {
        (Some(b), Some(access)) => Ok((b, access)),
        _ if branches::visible(db, account).await?.is_empty()
            && !account
                .role
                .permits(emis_domain::access::Permission::KeepParty) =>
        {
            Err(AppError::Forbidden)
        }
        _ => Err(AppError::NotFound),
    }
}

/// The `party` kind exported in its import template: one row per stage, ID numbers by `id`.
pub(crate) async fn export_rows(
    db: &Db,
    county: &str,
    kind: ImportKind,
    id: &dyn Fn(&str) -> String,
) -> Result<Option<Vec<Vec<String>>>> {
    if kind != ImportKind::Party {
        return Ok(None);
    }
    let people: std::collections::HashMap<i64, PartyPersonRow> = store::people(db, county)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::new();
    for s in store::stages(db, county).await? {
        if let Some(p) = people.get(&s.person_id) {
            out.push(vec![
                p.name.clone(),
                id(&p.id_number),
                p.branch.clone(),
                s.stage.label().to_string(),
                s.reached_on,
            ]);
        }
    }
    Ok(Some(out))
}
