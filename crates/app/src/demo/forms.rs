//! The demo county's 数据采集: the starter forms installed, and 2021's responses: the
//! vaccination form (the registry's prefilled roll and staff, all vaccinated; a few late,
//! two sent back once), the township offices' 入户摸排, the schools' donations, and the
//! monthly 晨午检 of the autumn term (a few December reports missing).

use crate::forms::{definitions, prefill, Definition};
use crate::Result;
use emis_demo::forms::DemoForms;
use emis_domain::forms::{Period, TaskStatus};
use emis_storage::audit::{Actor, Entry};
use emis_storage::forms::{self as store, Response};
use emis_storage::Db;
use std::collections::BTreeMap;

/// Loads the forms once (a county that has sent any form already is left as it is).
pub(super) async fn load_demo(db: &Db, county: &str, d: &DemoForms, actor: &Actor) -> Result<()> {
    definitions::install_starters(db, county, actor).await?;
    if !store::assignments(db, county).await?.is_empty() {
        return Ok(());
    }
    let by = actor.name.as_str();
    let answers = |pairs: &[(&str, String)]| -> String {
        let map: BTreeMap<&str, &str> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
    };
    let submitted = |respondent: &str, json: String, on: &str| Response {
        respondent: respondent.to_string(),
        status: TaskStatus::Submitted,
        answers_json: json,
        comment: None,
        submitted_on: Some(on.to_string()),
        submitted_by: Some(by.to_string()),
    };

    // 疫苗接种: every school reports its prefilled roll and staff all vaccinated.
    let (_, def) = latest(db, county, "covid_vaccination").await?;
    let period = Period::Year(2021);
    let prefilled = prefill::prefills(db, county, &def, period).await?;
    let schools = emis_storage::registry::schools(db, county).await?;
    let vaccination: Vec<Response> = schools
        .iter()
        .map(|s| {
            let value = |field: &str| {
                prefilled
                    .get(&s.code)
                    .and_then(|p| p.get(field))
                    .map(|a| a.canonical())
                    .unwrap_or_else(|| "0".into())
            };
            let (enrolled, staff) = (value("enrolled"), value("staff"));
            let json = answers(&[
                ("enrolled", enrolled.clone()),
                ("vaccinated", enrolled),
                ("staff", staff.clone()),
                ("staff_vaccinated", staff),
            ]);
            let late = d.vaccination_late.contains(&s.code);
            let mut r = submitted(
                &s.code,
                json,
                if late { "2021-10-20" } else { "2021-10-12" },
            );
            if let Some((_, comment)) = d.vaccination_sent_back.iter().find(|(c, _)| *c == s.code) {
                // Sent back once and submitted again: the comment stays on the record.
                r.comment = Some(comment.to_string());
                r.submitted_on = Some("2021-10-14".into());
            }
            r
        })
        .collect();
    let mut tx = db.begin().await?;
    let codes: Vec<String> = schools.iter().map(|s| s.code.clone()).collect();
    let to = Sending {
        code: "covid_vaccination",
        period: "2021",
        due: "2021-10-15",
        to: &codes,
    };
    send(db, &mut tx, county, &to, &vaccination, by).await?;

    // 入户摸排 by the township offices.
    let townships: Vec<String> = d.household_visits.iter().map(|v| v.0.clone()).collect();
    let visits: Vec<Response> = d
        .household_visits
        .iter()
        .map(|(t, households, people, urged)| {
            let json = answers(&[
                ("households", households.to_string()),
                ("people", people.to_string()),
                ("urged", urged.to_string()),
            ]);
            submitted(t, json, "2021-09-28")
        })
        .collect();
    let to = Sending {
        code: "household_visits",
        period: "2021",
        due: "2021-09-30",
        to: &townships,
    };
    send(db, &mut tx, county, &to, &visits, by).await?;

    // 社会捐赠: every school answers; a few dozen received gifts.
    let gifts: Vec<Response> = schools
        .iter()
        .map(|s| {
            let (donors, amount) = d
                .donations
                .iter()
                .find(|g| g.0 == s.code)
                .map_or((0, 0), |g| (g.1, g.2));
            let amount = emis_domain::forms::response::Answer::Decimal(amount).canonical();
            let mut pairs = vec![("donors", donors.to_string()), ("amount", amount)];
            if donors > 0 {
                pairs.push(("purpose", "改善办学条件、资助困难学生".to_string()));
            }
            submitted(&s.code, answers(&pairs), "2021-12-15")
        })
        .collect();
    let to = Sending {
        code: "donations",
        period: "2021",
        due: "2021-12-20",
        to: &codes,
    };
    send(db, &mut tx, county, &to, &gifts, by).await?;

    // 晨午检, monthly in the autumn term.
    for month in 9..=12u32 {
        let period = format!("2021-{month:02}");
        let due = if month == 12 {
            "2021-12-31".to_string()
        } else {
            format!("2021-{:02}-05", month + 1)
        };
        let rows: Vec<Response> = d
            .morning_checks
            .iter()
            .filter(|m| m.month == month && m.submitted)
            .map(|m| {
                let json = answers(&[
                    ("school_days", m.school_days.to_string()),
                    ("checked_days", m.checked_days.to_string()),
                    ("closed_campus", "是".to_string()),
                    ("abnormal", m.abnormal.to_string()),
                ]);
                submitted(&m.school_code, json, &due)
            })
            .collect();
        let to = Sending {
            code: "morning_checks",
            period: &period,
            due: &due,
            to: &codes,
        };
        send(db, &mut tx, county, &to, &rows, by).await?;
    }
    Entry::new(county, "demo", "forms", county)
        .after_json(&serde_json::json!({
            "vaccination": vaccination.len(),
            "household_visits": visits.len(),
            "donations": gifts.len(),
            "morning_checks": d.morning_checks.len(),
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// A starter form sent for a period with a due date to some respondents.
struct Sending<'a> {
    code: &'a str,
    period: &'a str,
    due: &'a str,
    to: &'a [String],
}

/// Sends the form's latest version and writes the responses, in `tx`.
async fn send(
    db: &Db,
    tx: &mut emis_storage::Tx,
    county: &str,
    s: &Sending<'_>,
    responses: &[Response],
    by: &str,
) -> Result<()> {
    let (version, def) = latest(db, county, s.code).await?;
    let id = store::insert_assignment(
        tx,
        county,
        &def.code,
        version,
        s.period,
        Some(s.due),
        s.to,
        by,
    )
    .await?;
    store::write_responses(tx, id, responses).await?;
    Ok(())
}

async fn latest(db: &Db, county: &str, code: &str) -> Result<(i64, Definition)> {
    definitions::latest(db, county, code)
        .await?
        .ok_or_else(|| crate::AppError::Refused(format!("缺少内置报表 {code}")))
}
