//! Read models of 控辍保学: the scoped case list, the population snapshots, the case of
//! each ledger row, and 送教上门 plans with their visits. Each read takes the caller's
//! account and filters by its scope; ID numbers are masked where they are shown, as before.

use crate::auth::Account;
use crate::{AppError, Result};
use emis_storage::dropout as store;
use emis_storage::Db;
use std::collections::HashMap;

pub use emis_storage::dropout::{
    CaseQuery, CaseRow, EventRow, HomeVisitRow, Ledger, LedgerQuery, PersonRow, PlanRow,
    SnapshotRow,
};

/// The cases in the account's scope, newest first.
pub async fn cases(db: &Db, account: &Account, q: &CaseQuery) -> Result<Vec<CaseRow>> {
    Ok(store::cases(db, &account.scope, q).await?)
}

/// The county's population snapshots (户籍 rolls), for the ledger's picker.
pub async fn snapshots(db: &Db, account: &Account) -> Result<Vec<SnapshotRow>> {
    Ok(store::snapshots(db, account.county()).await?)
}

/// For the ledger rows the account was shown (of the snapshot dated `snapshot_date`): each
/// child's latest case opened on that snapshot or an earlier one, by ID number.
pub async fn case_ids_up_to_snapshot(
    db: &Db,
    account: &Account,
    snapshot_date: &str,
    ids: &[String],
) -> Result<HashMap<String, i64>> {
    Ok(store::case_ids_up_to_snapshot(db, account.county(), snapshot_date, ids).await?)
}

/// The 送教上门 plans of a term in the account's scope, at most `limit`.
pub async fn plans(db: &Db, account: &Account, term: &str, limit: i64) -> Result<Vec<PlanRow>> {
    Ok(store::plans(db, &account.scope, term, limit).await?)
}

/// One 送教上门 plan in the account's scope, else `NotFound`.
pub async fn plan(db: &Db, account: &Account, id: i64) -> Result<PlanRow> {
    store::plan_in_scope(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The home visits of a plan the account was shown.
pub async fn plan_visits(db: &Db, plan: &PlanRow) -> Result<Vec<HomeVisitRow>> {
    Ok(store::home_visits(db, plan.id).await?)
}
