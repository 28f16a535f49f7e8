//! The demo county's teacher workforce: trainings and participants, 公费定向师范生,
//! studios with members and activities, the 2021 award fund and awards, the recruitment
//! plan, and 师德师风 campaigns and cases, written as the imports and the workflow would
//! have left them. Awards still in the workflow carry the conduct flag the workflow sets.

use crate::Result;
use chrono::Datelike;
use emis_domain::teachers::awards::AwardStatus;
use emis_domain::teachers::conduct::ConductStatus;
use emis_storage::audit::{Actor, Entry};
use emis_storage::teachers::{
    self as store, ActivityRow, CaseStep, NewAward, NewCase, NewStudio, NewTrainee, NewTraining,
    ParticipantRow, RecruitmentPlanRow,
};
use emis_storage::Db;
use std::collections::HashMap;

/// Loads the records once (a county that has trainings already is left as it is).
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<usize> {
    if store::latest_training_year(db, county).await?.is_some() {
        return Ok(0);
    }
    let t = &demo.teachers;
    let source = "demo";
    let mut tx = db.begin().await?;
    // Trainings and participants, as the `trainings` import writes them.
    let trainings: Vec<NewTraining> = t
        .trainings
        .iter()
        .map(|x| NewTraining {
            name: x.name.clone(),
            level: x.level,
            start_date: x.start.to_string(),
            end_date: x.end.to_string(),
        })
        .collect();
    let ids = store::insert_trainings(&mut tx, county, &trainings, source).await?;
    let participants: Vec<ParticipantRow> = t
        .trainings
        .iter()
        .flat_map(|x| {
            let id = ids[&(x.name.clone(), x.start.to_string())];
            x.participants.iter().map(move |p| ParticipantRow {
                training_id: id,
                id_number: p.id_number.clone(),
                hours: i64::from(p.hours_tenths),
                completed: p.completed,
            })
        })
        .collect();
    store::write_participants(&mut tx, county, &participants).await?;
    // 公费定向师范生.
    let trainees: Vec<NewTrainee> = t
        .trainees
        .iter()
        .map(|x| NewTrainee {
            id_number: x.id_number.clone(),
            name: x.name.clone(),
            selection_year: i64::from(x.selection_year),
            source: x.source,
            institution: x.institution.clone(),
            stage: x.stage,
            subject: x.subject.clone(),
            township_code: x.township_code.clone(),
            expected_graduation: i64::from(x.expected_graduation),
            service_years: i64::from(emis_domain::teachers::funded::DEFAULT_SERVICE_YEARS),
        })
        .collect();
    store::write_trainees(&mut tx, county, &trainees).await?;
    // Studios, members and activities.
    let studios: Vec<NewStudio> = t
        .studios
        .iter()
        .map(|s| NewStudio {
            name: s.name.clone(),
            kind: s.kind,
            subject: s.subject.clone(),
            host_id_number: s.host_id_number.clone(),
            founded_on: s.founded.to_string(),
            closed_on: s.closed.map(|d| d.to_string()),
            members: s.members.clone(),
        })
        .collect();
    store::write_studios(&mut tx, county, &studios).await?;
    let studio_ids: HashMap<String, i64> = store::studio_ids(&mut tx, county).await?;
    for s in &t.studios {
        let rows: Vec<ActivityRow> = s
            .activities
            .iter()
            .map(|a| ActivityRow {
                held_on: a.held_on.to_string(),
                title: a.title.clone(),
                participants: i64::from(a.participants),
                created_by: actor.name.clone(),
            })
            .collect();
        store::add_activities(&mut tx, county, studio_ids[&s.name], &rows).await?;
    }
    // The recruitment plan and the award fund.
    for (channel, planned) in &t.plans {
        let line = RecruitmentPlanRow {
            year: 2021,
            channel: *channel,
            stage: String::new(),
            subject: String::new(),
            planned: i64::from(*planned),
        };
        store::save_plan_line(&mut tx, county, &line, &actor.name).await?;
    }
    store::save_award_fund(&mut tx, county, 2021, t.award_fund_fen, &actor.name).await?;
    // 师德师风: campaigns, then cases taken as far as their status.
    let mut campaign_ids = Vec::new();
    for c in &t.campaigns {
        campaign_ids.push(
            store::add_campaign(
                &mut tx,
                county,
                &c.name,
                &c.started_on.to_string(),
                &c.summary,
                &actor.name,
            )
            .await?,
        );
    }
    let staff: HashMap<&str, &emis_domain::registry::StaffRecord> = demo
        .staff
        .iter()
        .map(|s| (s.id_number.as_str(), s))
        .collect();
    for c in &t.conduct {
        let Some(member) = staff.get(c.id_number.as_str()) else {
            continue;
        };
        let case = NewCase {
            id_number: c.id_number.clone(),
            name: member.name.clone(),
            school_code: member.school_code.clone(),
            campaign_id: c.campaign.and_then(|i| campaign_ids.get(i).copied()),
            reported_on: c.reported_on.to_string(),
            source: c.source.clone(),
            summary: c.summary.clone(),
        };
        let id = store::open_case(&mut tx, county, &case, &actor.name).await?;
        if c.status != ConductStatus::Reported {
            let step = CaseStep {
                status: ConductStatus::Investigating,
                findings: None,
                sanction: None,
                decided_on: None,
            };
            store::advance_case(&mut tx, county, id, &step, &actor.name).await?;
        }
        if c.status == ConductStatus::Decided {
            let decided = c.decided_on.map(|d| d.to_string());
            let step = CaseStep {
                status: ConductStatus::Decided,
                findings: c.findings.as_deref(),
                sanction: c.sanction,
                decided_on: decided.as_deref(),
            };
            store::advance_case(&mut tx, county, id, &step, &actor.name).await?;
        }
    }
    emis_storage::commit(tx).await?;
    // Awards: granted ones as granted; the rest waiting at the township or the bureau,
    // flagged as the workflow flags them (the cases are in by now).
    let township: HashMap<&str, &str> = demo
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.township_code.as_str()))
        .collect();
    let mut awards = Vec::new();
    for (i, a) in t.awards.iter().enumerate() {
        let Some(member) = staff.get(a.id_number.as_str()) else {
            continue;
        };
        let status = match (a.granted, i % 2) {
            (true, _) => AwardStatus::Granted,
            (false, 0) => AwardStatus::Proposed,
            (false, _) => AwardStatus::Checked,
        };
        let flag = if a.granted {
            None
        } else {
            crate::teachers::awards::conduct_flag(db, county, &a.id_number, a.granted_on).await?
        };
        awards.push(NewAward {
            id_number: a.id_number.clone(),
            name: member.name.clone(),
            school_code: member.school_code.clone(),
            township_code: township
                .get(member.school_code.as_str())
                .unwrap_or(&"")
                .to_string(),
            title: a.title.clone(),
            granting_body: a.granting_body.clone(),
            year: i64::from(a.granted_on.year()),
            granted_on: a.granted.then(|| a.granted_on.to_string()),
            fen: a.fen,
            status,
            merits: if a.granted {
                String::new()
            } else {
                "学校推荐".into()
            },
            conduct_flag: flag,
        });
    }
    let mut tx = db.begin().await?;
    store::insert_awards(&mut tx, county, &awards, &actor.name).await?;
    Entry::new(county, "demo", "teachers", county)
        .after_json(&serde_json::json!({
            "trainings": trainings.len(),
            "participants": participants.len(),
            "trainees": trainees.len(),
            "studios": studios.len(),
            "awards": awards.len(),
            "conduct_cases": t.conduct.len(),
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(participants.len())
}
