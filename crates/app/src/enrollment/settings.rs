//! 班额设置: saving the county's class-size bands and standard sizes.

use super::require_plan;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::class_size::ClassSizeRules;
use emis_storage::audit::{self, Entry};
use emis_storage::enrollment as store;
use emis_storage::Db;

/// Saves the county's class-size settings.
pub async fn save_settings(
    db: &Db,
    account: &Account,
    rules: &ClassSizeRules,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    if !(rules.big_from < rules.large_from && rules.large_from < rules.oversize_from)
        || rules.standard_primary == 0
        || rules.standard_secondary == 0
    {
        return Err(AppError::Refused(
            "班额分档应满足 偏大 < 大班额 < 超大班额，标准班额应大于0".into(),
        ));
    }
    let before = store::settings(db, account.county()).await?;
    let mut tx = db.begin().await?;
    store::save_settings(&mut tx, account.county(), rules, &account.username).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "update",
            entity: "class_size_settings",
            entity_key: account.county(),
            before: serde_json::to_string(&before).ok(),
            after: serde_json::to_string(rules).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
