//! 十有: the ten measures a township or school has in place each year, with their
//! evidence files (kept in the one attachments store; each download audited).

use super::evidence::{store_upload, Upload};
use super::{checked, field, require, Checked};
use crate::attachments::{open_audited, FileView};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::limits::FREE_TEXT;
use emis_domain::safety::drowning;
use emis_storage::audit::Entry;
use emis_storage::safety as store;
use emis_storage::Db;

/// Sets one 十有 item of the account's own org unit (or, for the bureau, any org unit).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TenHaveForm {
    pub year: i32,
    pub org: String,
    pub item: String,
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub evidence: String,
}

/// A township keeps its own 十有 and its schools', a school its own, the bureau any; an org
/// unit outside the scope answers 404.
async fn require_ten_have_org(db: &Db, account: &Account, org: &str) -> Result<()> {
    let allowed = match &account.scope {
        // The county's own units only: another county's township is no more the bureau's
        // than another county's school.
        Scope::County { county } => emis_storage::registry::org_unit(db, org)
            .await?
            .is_some_and(|o| &o.county == county),
        Scope::Township { township, .. } => {
            org == township
                || emis_storage::registry::schools(db, account.county())
                    .await?
                    .iter()
                    .any(|s| s.code == org && &s.township_code == township)
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => org == school,
        Scope::Region { .. } => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn check_ten_have_item(item: &str) -> Checked<()> {
    if drowning::TEN_HAVES.contains(&item) {
        Ok(())
    } else {
        Err(field(
            "item",
            format!("十有项目应为：{}", drowning::TEN_HAVES.join("、")),
        ))
    }
}

/// Adds an evidence file (photo or PDF, checked by content, at most 10 MB) to a township's
/// or school's 十有 item of a year; stored by content hash, audited.
pub async fn add_ten_have_file(
    db: &Db,
    account: &Account,
    year: i32,
    org: &str,
    item: &str,
    upload: &Upload<'_>,
    source: &str,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    let (org, item) = (org.trim(), item.trim());
    check_ten_have_item(item)?;
    require_ten_have_org(db, account, org).await?;
    let stored = store_upload(db, upload)?;
    let mut tx = db.begin().await?;
    let id = store::insert_ten_have_file(
        &mut tx,
        account.county(),
        &store::NewTenHaveFile {
            year,
            org_code: org,
            item,
            file_name: &stored.file_name,
            stored_name: &stored.key,
            mime: stored.mime(),
            size_bytes: stored.size as i64,
            sha256: &stored.sha256,
            uploaded_by: &account.username,
        },
    )
    .await?;
    let key = format!("{year}:{org}:{item}");
    Entry::new(account.county(), "ten_have_file", "org_unit", &key).after_json(&serde_json::json!({"file_id": id, "file": stored.file_name, "mime": stored.mime(), "size": stored.size, "sha256": stored.sha256})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A 十有 evidence file if the account sees its township or school: metadata and bytes.
/// Each download is audited (the files may show people and places).
pub async fn ten_have_file(
    db: &Db,
    account: &Account,
    id: i64,
    source: &str,
) -> Result<(store::TenHaveFile, Vec<u8>)> {
    let f = store::ten_have_file(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = format!("{}:{}:{}", f.year, f.org_code, f.item);
    let view = FileView::of("ten_have_file_view", "org_unit", &key).file(f.id, &f.file_name);
    let bytes = open_audited(db, account, source, &f.stored_name, view).await?;
    Ok((f, bytes))
}

pub async fn set_ten_have(
    db: &Db,
    account: &Account,
    form: &TenHaveForm,
    source: &str,
) -> Result<()> {
    let (year, org_code, item, done, evidence) = (
        form.year,
        form.org.as_str(),
        form.item.as_str(),
        checked(&form.done),
        form.evidence.as_str(),
    );
    require(account, Permission::RecordHazards)?;
    check_lengths(&[("evidence", "佐证说明", evidence, FREE_TEXT)])?;
    check_ten_have_item(item)?;
    let org = org_code.trim();
    require_ten_have_org(db, account, org).await?;
    let mut tx = db.begin().await?;
    store::write_ten_haves(
        &mut tx,
        account.county(),
        year,
        &[(
            org.to_string(),
            item.to_string(),
            done,
            evidence.trim().to_string(),
        )],
    )
    .await?;
    let key = format!("{year}:{org}:{item}");
    Entry::new(account.county(), "ten_haves", "org_unit", &key)
        .after_json(&serde_json::json!({"done": done, "evidence": evidence.trim()}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
