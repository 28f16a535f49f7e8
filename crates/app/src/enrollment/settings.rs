//! 班额设置: saving the county's class-size bands and standard sizes.

use super::require_plan;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::class_size::ClassSizeRules;
use emis_storage::audit::Entry;
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
    Entry::new(
        account.county(),
        "update",
        "class_size_settings",
        account.county(),
    )
    .before_json(&before)
    .after_json(rules)
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
