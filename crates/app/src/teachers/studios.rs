//! 工作室: the studios with hosts, members and activities; recording an activity.

use crate::auth::Account;
use crate::fields::{number_in, past_date, required_text};
use crate::masked::{self, Masked};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_storage::teachers::{self as store, ActivityRow, MemberRow, StudioRow};
use emis_storage::Db;

masked::masks! {
    StudioRow { id: host_id_number }
    MemberRow { id: id_number }
}

/// Studios are county bodies: every signed-in role but a class teacher reads them.
pub async fn list(db: &Db, account: &Account) -> Result<Vec<Masked<StudioRow>>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(Masked::all(store::studios(db, account.county()).await?))
}

/// A studio with its members and activities.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StudioDetail {
    pub studio: Masked<StudioRow>,
    pub members: Vec<Masked<MemberRow>>,
    pub activities: Vec<ActivityRow>,
}

pub async fn detail(db: &Db, account: &Account, id: i64) -> Result<StudioDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let studio = store::studio(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(StudioDetail {
        members: Masked::all(store::members(db, county, id).await?),
        activities: store::activities(db, county, id).await?,
        studio: Masked::new(studio),
    })
}

/// An activity to record (研修、送教、讲座 …).
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct NewActivity {
    pub held_on: String,
    pub title: String,
    pub participants: String,
}

/// Records an activity of a studio (the teacher-development centre), audited.
pub async fn add_activity(
    db: &Db,
    account: &Account,
    studio: i64,
    form: &NewActivity,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepTeachers)?;
    let county = account.county();
    let found = store::studio(db, county, studio)
        .await?
        .ok_or(AppError::NotFound)?;
    let held_on = past_date("held_on", "活动日期", &form.held_on, today)?;
    let title = required_text(
        "title",
        "活动主题",
        &form.title,
        emis_domain::limits::ORG_NAME,
    )?;
    let participants = number_in("participants", "参与人数", &form.participants, 1, 10_000)?;
    let row = ActivityRow {
        held_on: held_on.to_string(),
        title: title.to_string(),
        participants,
        created_by: account.username.clone(),
    };
    let mut tx = db.begin().await?;
    store::add_activities(&mut tx, county, studio, std::slice::from_ref(&row)).await?;
    emis_storage::audit::Entry::new(county, "create", "studio_activity", &found.name)
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
