//! 教师队伍 teacher workforce: the staff roll's breakdowns and a teacher's history
//! (`roll`), the staffing picture against the standard (`staffing`), the year's recruitment
//! plan and its fulfilment (`recruitment`), trainings and continuing-education hours
//! (`trainings`), 公费定向师范生 (`trainees`), studios (`studios`), awards and their fund
//! (`awards`), 师德师风 campaigns and cases (`conduct`), and the `staff.*` indicators.
//!
//! Every read takes the caller's account and keeps to its scope; every change is audited.

pub mod awards;
pub mod conduct;
pub(crate) mod exports;
pub mod recruitment;
pub mod roll;
pub mod staffing;
pub mod studios;
pub mod trainees;
pub mod trainings;

pub use emis_storage::teachers::{
    ActivityRow, AwardRow, CampaignRow, ConductCaseRow, MemberRow, MoveRow, ParticipantListRow,
    PersonTimes, StudioRow, TeacherRow, TeacherTrainingRow, TraineeRow, TrainingListRow,
    TrainingRow,
};

use crate::Result;
use emis_domain::indicators::Value;
use emis_domain::registry::RecruitChannel;
use emis_domain::teachers::StudioKind;
use emis_storage::{teachers as store, Db};

/// The `staff.*` indicators of a year (CONTRACTS.md), each counted from records.
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let (total, teachers) = store::staff_at_year_end(db, county, year).await?;
    let mut out = vec![
        ("staff.total", Value::Count(total)),
        ("staff.teachers", Value::Count(teachers)),
    ];
    let recruited = store::recruited(db, county, year).await?;
    let channel_count = |channel: RecruitChannel| -> i64 {
        recruited
            .iter()
            .filter(|r| RecruitChannel::parse(&r.channel) == Some(channel))
            .map(|r| r.count)
            .sum()
    };
    let channels = [
        ("staff.recruited.tegang", RecruitChannel::Tegang),
        ("staff.recruited.open", RecruitChannel::Open),
        (
            "staff.recruited.funded_normal",
            RecruitChannel::FundedNormal,
        ),
        ("staff.recruited.transfer", RecruitChannel::Transfer),
    ];
    let by_channel: Vec<(&'static str, i64)> = channels
        .iter()
        .map(|(code, channel)| (*code, channel_count(*channel)))
        .collect();
    // CONTRACTS.md: the sum of the four channels (其他 is not a 补充 channel).
    out.push((
        "staff.recruited",
        Value::Count(by_channel.iter().map(|(_, n)| n).sum()),
    ));
    out.extend(by_channel.into_iter().map(|(c, n)| (c, Value::Count(n))));
    out.push((
        "staff.funded_normal.selected",
        Value::Count(store::selected_in(db, county, year).await?),
    ));
    let year_end = format!("{year}-12-31");
    for (code, kind) in [
        ("staff.studios.master", StudioKind::Master),
        ("staff.studios.subject", StudioKind::Subject),
    ] {
        out.push((
            code,
            Value::Count(store::active_studios(db, county, kind, &year_end).await?),
        ));
    }
    let (person_times, persons) = store::year_person_times(db, county, year).await?;
    out.push(("staff.training.person_times", Value::Count(person_times)));
    out.push(("staff.training.persons", Value::Count(persons)));
    let (awarded, fen) = store::granted_totals(db, county, year).await?;
    out.push(("staff.awarded", Value::Count(awarded)));
    out.push(("staff.award_amount", Value::Fen(fen)));
    Ok(out)
}

/// Whether the account's scope holds a school (by its code and township).
pub(crate) fn admits(account: &crate::auth::Account, school: &str, township: &str) -> bool {
    account.scope.admits_school(school, township)
}

/// The year the teacher pages open on: the latest with a training, else today's.
pub async fn default_year(db: &Db, county: &str, today: chrono::NaiveDate) -> Result<i32> {
    Ok(store::latest_training_year(db, county)
        .await?
        .unwrap_or_else(|| chrono::Datelike::year(&today)))
}
