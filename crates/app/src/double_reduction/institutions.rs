//! 校外培训机构台账: the register by township with each institution's history, and the
//! 双减 office recording a status change (关停, 注销, 转型, …) with its document.

use crate::auth::Account;
use crate::fields::{invalid, past_date};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::double_reduction::InstitutionStatus;
use emis_storage::audit::Entry;
use emis_storage::double_reduction::{
    self as store, InstitutionEventRow, InstitutionRow, NewEvent,
};
use emis_storage::Db;

/// Whether a scope reads an institution: the county all, a township its own, a school
/// those of its township.
async fn admits(db: &Db, scope: &Scope, township: &str) -> Result<bool> {
    Ok(match scope {
        Scope::County { .. } => true,
        Scope::Township { township: own, .. } => own == township,
        Scope::School { .. } | Scope::Class { .. } => emis_storage::lists::townships(db, scope)
            .await?
            .iter()
            .any(|(code, _)| code == township),
    })
}

/// The register of the account's scope, optionally one township's or one status's.
pub async fn register(
    db: &Db,
    account: &Account,
    township: Option<&str>,
    status: Option<InstitutionStatus>,
) -> Result<Vec<InstitutionRow>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let mut out = Vec::new();
    for i in store::institutions(db, account.county()).await? {
        if township.is_some_and(|t| t != i.township_code) || status.is_some_and(|s| s != i.status) {
            continue;
        }
        if admits(db, &account.scope, &i.township_code).await? {
            out.push(i);
        }
    }
    Ok(out)
}

/// One institution with its history.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct InstitutionDetail {
    pub institution: InstitutionRow,
    pub events: Vec<InstitutionEventRow>,
}

pub async fn detail(db: &Db, account: &Account, id: i64) -> Result<InstitutionDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let institution = store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !admits(db, &account.scope, &institution.township_code).await? {
        return Err(AppError::NotFound);
    }
    Ok(InstitutionDetail {
        events: store::events_of(db, county, id).await?,
        institution,
    })
}

/// A status change as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ChangeForm {
    pub status: String,
    pub happened_on: String,
    /// 文号 of the decision.
    pub document: String,
    pub note: String,
}

/// Records a status change (the 双减 office), audited; the same status again is refused.
pub async fn record_change(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ChangeForm,
    today: NaiveDate,
    source: &str,
) -> Result<InstitutionStatus> {
    crate::require(account.role, Permission::KeepInstitutions)?;
    let county = account.county();
    let institution = store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = InstitutionStatus::parse(&form.status).ok_or_else(|| {
        invalid(
            "status",
            format!("请选择状态：{}", InstitutionStatus::choices()),
        )
    })?;
    if status == institution.status {
        return Err(invalid("status", format!("该机构当前已是“{status}”")));
    }
    let on = past_date("happened_on", "变更日期", &form.happened_on, today)?;
    let text = |field: &'static str, label: &str, raw: &str| -> Result<Option<String>> {
        let raw = raw.trim();
        emis_domain::limits::check_len(label, raw, emis_domain::limits::SHORT_TEXT)
            .map_err(|m| invalid(field, m))?;
        Ok(Some(raw.to_string()).filter(|t| !t.is_empty()))
    };
    let event = NewEvent {
        institution_id: id,
        status,
        happened_on: on.to_string(),
        document: text("document", "文号", &form.document)?,
        note: text("note", "说明", &form.note)?,
    };
    let mut tx = db.begin().await?;
    store::record_events(
        &mut tx,
        county,
        std::slice::from_ref(&event),
        &account.username,
    )
    .await?;
    Entry::new(county, "update", "institution", &institution.credit_code)
        .before_json(
            &serde_json::json!({"status": institution.status, "status_on": institution.status_on}),
        )
        .after_json(&event)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(status)
}
