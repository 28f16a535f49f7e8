//! 三会一课与主题党日: a branch's meeting log, and recording a meeting (the party office, or
//! the branch's own secretary).

use super::reach;
use crate::auth::Account;
use crate::fields::{invalid, number_in, past_date, required_text};
use crate::Result;
use chrono::NaiveDate;
use emis_domain::party::MeetingKind;
use emis_storage::audit::Entry;
use emis_storage::party::{self as store, BranchRow, MeetingRow, NewMeeting};
use emis_storage::Db;

/// A branch's meetings, latest first.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct MeetingLog {
    pub branch: BranchRow,
    pub meetings: Vec<MeetingRow>,
}

pub async fn log(db: &Db, account: &Account, branch: i64) -> Result<MeetingLog> {
    let (branch, _) = reach(db, account, branch).await?;
    Ok(MeetingLog {
        meetings: store::meetings_of(db, account.county(), branch.id).await?,
        branch,
    })
}

/// A meeting as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct MeetingForm {
    pub held_on: String,
    pub kind: String,
    pub topic: String,
    /// 应到人数.
    pub expected: String,
    /// 实到人数.
    pub attended: String,
}

/// Records a meeting of the branch, audited; the branch's office or its secretary only.
pub async fn record(
    db: &Db,
    account: &Account,
    branch: i64,
    form: &MeetingForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    let (branch, _) = reach(db, account, branch).await?;
    let county = account.county();
    let held_on = past_date("held_on", "日期", &form.held_on, today)?;
    let kind = MeetingKind::parse(&form.kind)
        .ok_or_else(|| invalid("kind", format!("请选择类型：{}", MeetingKind::choices())))?;
    let topic = required_text(
        "topic",
        "主题",
        &form.topic,
        emis_domain::limits::SHORT_TEXT,
    )?;
    let expected = number_in("expected", "应到人数", &form.expected, 1, 10_000)?;
    let attended = number_in("attended", "实到人数", &form.attended, 0, 10_000)?;
    if attended > expected {
        return Err(invalid(
            "attended",
            format!("实到人数 {attended} 多于应到人数 {expected}"),
        ));
    }
    let meeting = NewMeeting {
        branch_id: branch.id,
        held_on: held_on.to_string(),
        kind,
        topic: topic.to_string(),
        expected,
        attended,
    };
    let mut tx = db.begin().await?;
    store::write_meetings(
        &mut tx,
        county,
        std::slice::from_ref(&meeting),
        &account.username,
    )
    .await?;
    Entry::new(county, "create", "party_meeting", &branch.name)
        .after_json(&meeting)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
