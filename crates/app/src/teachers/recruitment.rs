//! 招聘计划: a year's plan of posts by channel, 学段 (the school type posted to) and subject,
//! and its fulfilment read from the staff roll (staff whose 入职日期 falls in the year).

use crate::auth::Account;
use crate::fields::{invalid, number_in};
use crate::Result;
use emis_domain::access::Permission;
use emis_domain::registry::RecruitChannel;
use emis_storage::audit::Entry;
use emis_storage::teachers::{self as store, RecruitmentPlanRow};
use emis_storage::Db;

/// One line of the plan against the roll.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct PlanLine {
    pub channel: String,
    /// Blank: every school type.
    pub stage: String,
    /// Blank: every subject.
    pub subject: String,
    pub planned: i64,
    pub recruited: i64,
}

/// The year's plan and fulfilment; channels with recruits but no plan line are listed with
/// a plan of 0.
pub async fn fulfilment(db: &Db, account: &Account, year: i32) -> Result<Vec<PlanLine>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let plan = store::recruitment_plan(db, county, year).await?;
    let recruited = store::recruited(db, county, year).await?;
    let count = |channel: &str, stage: &str, subject: &str| -> i64 {
        let any_or = |wanted: &str, value: &str| wanted.is_empty() || wanted == value;
        recruited
            .iter()
            .filter(|r| {
                r.channel == channel && any_or(stage, &r.stage) && any_or(subject, &r.subject)
            })
            .map(|r| r.count)
            .sum()
    };
    let mut lines: Vec<PlanLine> = plan
        .iter()
        .map(|p| PlanLine {
            channel: p.channel.label().to_string(),
            stage: p.stage.clone(),
            subject: p.subject.clone(),
            planned: p.planned,
            recruited: count(p.channel.label(), &p.stage, &p.subject),
        })
        .collect();
    for channel in RecruitChannel::ALL {
        let label = channel.label();
        if !lines.iter().any(|l| l.channel == label) && count(label, "", "") > 0 {
            lines.push(PlanLine {
                channel: label.to_string(),
                stage: String::new(),
                subject: String::new(),
                planned: 0,
                recruited: count(label, "", ""),
            });
        }
    }
    lines.sort_by_key(|l| {
        (
            RecruitChannel::parse(&l.channel),
            emis_domain::registry::SchoolType::parse(&l.stage),
            l.subject.clone(),
        )
    });
    Ok(lines)
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct RecruitmentPlanForm {
    pub channel: String,
    /// 学段: a school type, or blank for any.
    pub stage: String,
    pub subject: String,
    pub planned: String,
}

/// Sets one line of a year's plan (0 removes it), audited.
pub async fn save_line(
    db: &Db,
    account: &Account,
    year: i32,
    form: &RecruitmentPlanForm,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepTeachers)?;
    let channel = RecruitChannel::parse(&form.channel).ok_or_else(|| {
        invalid(
            "channel",
            format!("请选择补充渠道：{}", RecruitChannel::choices()),
        )
    })?;
    let stage = match form.stage.trim() {
        "" => String::new(),
        raw => emis_domain::registry::SchoolType::parse(raw)
            .ok_or_else(|| {
                invalid(
                    "stage",
                    format!(
                        "学段“{raw}”应为 {}",
                        emis_domain::registry::SchoolType::choices()
                    ),
                )
            })?
            .label()
            .to_string(),
    };
    let subject = form.subject.trim();
    emis_domain::limits::check_len("学科", subject, emis_domain::limits::NAME)
        .map_err(|m| invalid("subject", m))?;
    let planned = number_in("planned", "计划数", &form.planned, 0, 10_000)?;
    let line = RecruitmentPlanRow {
        year: i64::from(year),
        channel,
        stage,
        subject: subject.to_string(),
        planned,
    };
    let county = account.county();
    let mut tx = db.begin().await?;
    store::save_plan_line(&mut tx, county, &line, &account.username).await?;
    Entry::new(
        county,
        "update",
        "recruitment_plan",
        &format!("{year}/{channel}/{}/{subject}", line.stage),
    )
    .after_json(&line)
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
