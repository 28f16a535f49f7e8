//! 党支部与党员发展: the branches an account sees, a branch's people with their stages, a
//! person's stage history, the office naming a branch's secretary and recording a stage
//! (the import's rules: the order of stages and the year of probation).

use super::reach;
use crate::auth::Account;
use crate::fields::{invalid, past_date, required_text};
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::party::{branch_access, check_stage, BranchAccess, PartyStage};
use emis_storage::audit::Entry;
use emis_storage::party::{self as store, BranchRow, NewPerson, NewStage, PartyPersonRow};
use emis_storage::Db;

masked::masks! {
    PartyPersonRow { id: id_number }
    PartyMember { id: id_number }
}

/// The branches the account sees: every one for the party office, the ones it is secretary
/// of otherwise (none: `Forbidden`, as for a role without the permission).
pub async fn list(db: &Db, account: &Account) -> Result<Vec<BranchRow>> {
    let visible = visible(db, account).await?;
    if visible.is_empty() && !account.role.permits(Permission::KeepParty) {
        return Err(AppError::Forbidden);
    }
    Ok(visible)
}

/// The branches whose secretary the account is (for its home page; the party office has
/// the menu instead).
pub async fn as_secretary(db: &Db, account: &Account) -> Result<Vec<BranchRow>> {
    Ok(store::branches(db, account.county())
        .await?
        .into_iter()
        .filter(|b| {
            branch_access(account.role, &account.username, b.secretary.as_deref())
                == Some(BranchAccess::Secretary)
        })
        .collect())
}

pub(crate) async fn visible(db: &Db, account: &Account) -> Result<Vec<BranchRow>> {
    Ok(store::branches(db, account.county())
        .await?
        .into_iter()
        .filter(|b| {
            branch_access(account.role, &account.username, b.secretary.as_deref()).is_some()
        })
        .collect())
}

/// A person of a branch with the date of each stage reached (in `PartyStage::ALL` order).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PartyMember {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    /// The latest stage reached.
    pub stage: Option<PartyStage>,
    /// 入党申请人, 入党积极分子, 发展对象, 预备党员, 正式党员: the date reached, or none.
    pub dates: Vec<Option<String>>,
}

/// A branch with its people (ID numbers masked).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BranchDetail {
    pub branch: BranchRow,
    pub members: Vec<Masked<PartyMember>>,
    /// Whether the account is the party office (records stages) rather than the secretary.
    pub office: bool,
}

pub async fn detail(db: &Db, account: &Account, branch: i64) -> Result<BranchDetail> {
    let (branch, access) = reach(db, account, branch).await?;
    let county = account.county();
    let stages = store::stages(db, county).await?;
    let members = store::people_of_branch(db, county, branch.id)
        .await?
        .into_iter()
        .map(|p| {
            let mine: Vec<_> = stages.iter().filter(|s| s.person_id == p.id).collect();
            PartyMember {
                id: p.id,
                stage: mine.iter().map(|s| s.stage).max(),
                dates: PartyStage::ALL
                    .iter()
                    .map(|stage| {
                        mine.iter()
                            .find(|s| s.stage == *stage)
                            .map(|s| s.reached_on.clone())
                    })
                    .collect(),
                name: p.name,
                id_number: p.id_number,
            }
        })
        .collect();
    Ok(BranchDetail {
        branch,
        members: Masked::all(members),
        office: access == BranchAccess::Office,
    })
}

/// A person's stage history.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PersonDetail {
    pub person: PartyPersonRow,
    pub stages: Vec<store::StageRow>,
    /// Whether the ID number is shown in full (a role that needs it; the view is audited).
    pub unmasked: bool,
}

/// A person of a branch the account sees. The ID number is shown in full to a role holding
/// `SeePersonalData`, and that view is audited; masked for everyone else.
pub async fn person(db: &Db, account: &Account, id: i64, source: &str) -> Result<PersonDetail> {
    let county = account.county();
    let found = store::person(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    reach(db, account, found.branch_id).await?;
    let stages = store::stages_of(db, county, id).await?;
    let unmasked = account.role.permits(Permission::SeePersonalData);
    let person = if unmasked {
        let mut tx = db.begin().await?;
        Entry::new(county, "view_unmasked", "party_person", &found.id_number)
            .record(&mut tx, &account.actor(source))
            .await?;
        emis_storage::commit(tx).await?;
        found
    } else {
        Masked::new(found).into_inner()
    };
    Ok(PersonDetail {
        person,
        stages,
        unmasked,
    })
}

/// A branch as the office names it: its name and its secretary's account (blank: none).
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct BranchForm {
    pub name: String,
    pub secretary: String,
}

/// Adds a branch or names its secretary (the party office), audited; the branch's id.
pub async fn save_branch(
    db: &Db,
    account: &Account,
    form: &BranchForm,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::KeepParty)?;
    let county = account.county();
    let name = required_text(
        "name",
        "党支部名称",
        &form.name,
        emis_domain::limits::ORG_NAME,
    )?;
    let secretary = form.secretary.trim();
    let secretary = if secretary.is_empty() {
        None
    } else {
        match emis_storage::users::find(db, secretary).await? {
            Some(user) if user.county == county => Some(secretary),
            _ => {
                return Err(invalid(
                    "secretary",
                    format!("账号“{secretary}”不存在（书记须为本县已有账号）"),
                ))
            }
        }
    };
    let mut tx = db.begin().await?;
    let id = store::save_branch(&mut tx, county, name, secretary, &account.username).await?;
    Entry::new(county, "update", "party_branch", name)
        .after_json(&serde_json::json!({"name": name, "secretary": secretary}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A stage as the office records it on a branch's page: the person by name and ID number
/// (new or already in development), the stage and its date.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct StageForm {
    pub name: String,
    pub id_number: String,
    pub stage: String,
    pub reached_on: String,
}

/// Records a stage for a person of the branch (the party office), under the import's rules:
/// the stages in order (also against the person's stored stages) and a year of probation;
/// audited. The person's id.
pub async fn record_stage(
    db: &Db,
    account: &Account,
    branch: i64,
    form: &StageForm,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::KeepParty)?;
    let (branch, _) = reach(db, account, branch).await?;
    let county = account.county();
    let name = required_text("name", "姓名", &form.name, emis_domain::limits::NAME)?;
    let id = emis_domain::identity::IdNumber::parse(form.id_number.trim())
        .map_err(|e| invalid("id_number", e.to_string()))?;
    let stage = PartyStage::parse(&form.stage)
        .ok_or_else(|| invalid("stage", format!("请选择阶段：{}", PartyStage::choices())))?;
    let on = past_date("reached_on", "日期", &form.reached_on, today)?;
    let stored = store::person_by_id_number(db, county, id.as_str()).await?;
    let known: Vec<(PartyStage, NaiveDate)> = match &stored {
        Some(p) => store::stages_of(db, county, p.id)
            .await?
            .into_iter()
            .filter_map(|s| Some((s.stage, emis_domain::dates::parse_date(&s.reached_on)?)))
            .collect(),
        None => Vec::new(),
    };
    if let Some((_, was)) = known.iter().find(|(s, _)| *s == stage) {
        return Err(invalid("stage", format!("该人员已登记“{stage}”（{was}）")));
    }
    check_stage(&known, stage, on).map_err(|e| invalid("reached_on", e.to_string()))?;
    let mut tx = db.begin().await?;
    let person = NewPerson {
        id_number: id.as_str().to_string(),
        name: name.to_string(),
        branch_id: branch.id,
    };
    let ids = store::write_people(&mut tx, county, std::slice::from_ref(&person)).await?;
    let person_id = ids[id.as_str()];
    let new = NewStage {
        person_id,
        stage,
        reached_on: on.to_string(),
    };
    store::write_stages(
        &mut tx,
        county,
        std::slice::from_ref(&new),
        &account.username,
    )
    .await?;
    Entry::new(county, "create", "party_stage", id.as_str())
        .after_json(&serde_json::json!({"branch": branch.name, "stage": stage.label(), "reached_on": new.reached_on}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(person_id)
}
