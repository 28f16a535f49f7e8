//! 大班额台账: the large-class ledger, its sync from a term's classes and its updates.

use super::require_plan;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::term::Term;
use emis_storage::audit::Entry;
use emis_storage::enrollment as store;
use emis_storage::lists;
use emis_storage::Db;

/// The ledger entries within the account's scope.
pub async fn ledger(db: &Db, scope: &Scope) -> Result<Vec<store::LedgerEntry>> {
    let mut rows = store::ledger(db, scope.county()).await?;
    rows.retain(|e| scope.admits_school(&e.school_code, &e.township_code));
    Ok(rows)
}

/// A page of the ledger in the scope, filtered and sorted in the database, with the number
/// of open entries among all that match.
pub async fn ledger_page(
    db: &Db,
    scope: &Scope,
    q: &store::LedgerQuery,
) -> Result<(emis_storage::lists::Page<store::LedgerEntry>, i64)> {
    Ok(store::ledger_page(db, scope, q).await?)
}

/// Enters every 56+ class of a term not yet in the ledger; returns how many were added.
pub async fn ledger_sync(db: &Db, account: &Account, term: Term, source: &str) -> Result<usize> {
    require_plan(account)?;
    let county = account.county();
    let rules = store::settings(db, county).await?;
    let classes = lists::classes(
        db,
        &account.scope,
        &term.code(),
        None,
        Some(i64::from(rules.large_from)),
    )
    .await?;
    let entries: Vec<store::NewLedgerEntry> = classes
        .iter()
        .map(|c| store::NewLedgerEntry {
            class_id: c.id,
            term: term.code(),
            school_code: c.school_code.clone(),
            grade: c.grade,
            class_number: c.number,
            size: c.size,
            plan: "待制定化解方案".into(),
            owner: format!("{}校长", c.school_name),
            target_date: None,
        })
        .collect();
    let mut tx = db.begin().await?;
    let added = store::add_ledger_entries(&mut tx, county, &entries).await?;
    Entry::new(county, "ledger_sync", "large_class_ledger", &term.code())
        .after_json(&serde_json::json!({"added": added}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(added)
}

fn check_date(raw: &str, what: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    emis_domain::dates::parse_date(raw)
        .map(|d| Some(d.to_string()))
        .ok_or_else(|| AppError::Refused(format!("{what}“{raw}”无法识别，应如 2021-09-01")))
}

/// Updates an entry's plan, owner, target date and 销号 date.
#[allow(clippy::too_many_arguments)]
pub async fn ledger_update(
    db: &Db,
    account: &Account,
    id: i64,
    plan: &str,
    owner: &str,
    target_date: &str,
    closed_on: &str,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let target = check_date(target_date, "整改时限")?;
    let closed = check_date(closed_on, "销号日期")?;
    if plan.trim().is_empty() || owner.trim().is_empty() {
        return Err(AppError::Refused("请填写化解措施和责任人".into()));
    }
    let mut tx = db.begin().await?;
    if !store::update_ledger_entry(
        &mut tx,
        account.county(),
        id,
        plan.trim(),
        owner.trim(),
        target.as_deref(),
        closed.as_deref(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    Entry::new(account.county(), "update", "large_class_ledger", &id.to_string()).after_json(&serde_json::json!({"plan": plan, "owner": owner, "target_date": target, "closed_on": closed})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
