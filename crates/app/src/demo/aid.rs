//! The demo county's 学生资助 records: the 2021 catalog, proposals, batches, payments and
//! hardship evidence, written as the workflow would have left them.

use crate::Result;
use emis_domain::aid::Payment;
use emis_domain::aid::{BatchStatus, ProposalStatus};
use emis_domain::term::Term;
use emis_storage::aid::{self as store, BatchRow, LineRow, PaymentRow};
use emis_storage::audit::{Actor, Entry};
use emis_storage::Db;
use std::collections::BTreeMap;

/// Loads the demo's 2021 aid through the workflow's records: the catalog, one proposal
/// per school and term (checked and approved), a batch each, and the payments.
pub(super) async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<usize> {
    if !store::payment_keys(db, county).await?.is_empty() {
        return Ok(0);
    }
    let aid = emis_demo::aid::generate(demo);
    let township: std::collections::HashMap<&str, &str> = demo
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.township_code.as_str()))
        .collect();
    let names: std::collections::HashMap<(&str, Term), &str> = demo
        .students
        .iter()
        .map(|s| ((s.id_number.as_str(), s.term), s.name.as_str()))
        .collect();
    let mut by_school: BTreeMap<(String, Term), Vec<&Payment>> = BTreeMap::new();
    for p in &aid.payments {
        let school = p.school_code.clone().unwrap_or_default();
        by_school.entry((school, p.term)).or_default().push(p);
    }
    let mut tx = db.begin().await?;
    store::write_policies(&mut tx, county, &aid.policies, &actor.name).await?;
    let mut rows: Vec<PaymentRow> = Vec::with_capacity(aid.payments.len());
    for ((school, term), list) in &by_school {
        let lines: Vec<LineRow> = list
            .iter()
            .map(|p| LineRow {
                id_number: p.id_number.clone(),
                name: names
                    .get(&(p.id_number.as_str(), p.term))
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                policy: p.policy.clone(),
                fen: p.fen,
            })
            .collect();
        let id = store::write_proposal(
            &mut tx,
            county,
            school,
            township.get(school.as_str()).copied().unwrap_or(""),
            &term.code(),
            ProposalStatus::Proposed,
            "demo",
            &lines,
        )
        .await?;
        store::set_proposal_status(
            &mut tx,
            id,
            ProposalStatus::Approved,
            None,
            Some("demo"),
            Some("demo"),
        )
        .await?;
        let batch = store::insert_batch(
            &mut tx,
            county,
            &BatchRow {
                id: 0,
                proposal_id: id,
                term: term.code(),
                school_code: school.clone(),
                lines: lines.len() as i64,
                fen: lines.iter().map(|l| l.fen).sum(),
                status: BatchStatus::Paid,
                created_by: "demo".into(),
            },
        )
        .await?;
        let date = match term.season {
            emis_domain::term::Season::Spring => "2021-05-20",
            emis_domain::term::Season::Autumn => "2021-11-20",
        };
        rows.extend(list.iter().map(|p| PaymentRow {
            row_key: format!("demo|{}|{}|{}#1", p.id_number, p.policy, term.code()),
            id_number: p.id_number.clone(),
            policy: p.policy.clone(),
            term: term.code(),
            fen: p.fen,
            paid_on: Some(date.to_string()),
            school_code: Some(school.clone()),
            batch_id: Some(batch),
        }));
    }
    store::insert_payments(&mut tx, county, &rows, "demo").await?;
    // Hardship evidence: one certificate number per hardship student of the autumn roll
    // (脱贫/建档立卡, 低保, 特困, 孤儿, 残疾), shown masked on the student's page.
    let mut evidence: Vec<(String, String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in demo
        .students
        .iter()
        .filter(|s| s.term == Term::autumn(2021))
    {
        use emis_domain::registry::Hardship;
        let prefix = match s.hardship {
            Hardship::LiftedOut => "TP",
            Hardship::Dibao => "DB",
            Hardship::Tekun => "TK",
            Hardship::Orphan => "GE",
            Hardship::Disabled => "CJ",
            Hardship::Other | Hardship::None => continue,
        };
        if seen.insert(s.id_number.clone()) {
            let serial: String = s.id_number.chars().rev().take(8).collect();
            evidence.push((
                s.id_number.clone(),
                s.hardship.label().to_string(),
                format!("{prefix}431224{serial}"),
            ));
        }
    }
    store::write_evidence(&mut tx, county, &evidence).await?;
    Entry::new(county, "demo", "aid", county)
        .after_json(&serde_json::json!({
            "payments": rows.len(),
            "proposals": by_school.len(),
            "pilot_schools": aid.pilot_schools.len(),
            "preschool_quota": aid.preschool_quota,
            "preschool_fen": aid.preschool_fen,
            "tier_moves": aid.tier_moves,
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(rows.len())
}

/// 2020, the year before, for the year-over-year figures: the 2021 payments a year earlier,
/// about one in sixteen fewer (fewer students were aided) and without batches. Read back
/// from the database, so it costs one read and one write of the payments.
pub(super) async fn load_previous_year(db: &Db, county: &str, actor: &Actor) -> Result<usize> {
    let rows: Vec<PaymentRow> = store::payment_rows(db, county, None)
        .await?
        .into_iter()
        .filter(|r| r.term.starts_with("2021-"))
        .enumerate()
        .filter(|(i, _)| i % 16 != 7)
        .map(|(_, r)| PaymentRow {
            row_key: format!("2020:{}", r.row_key),
            term: r.term.replacen("2021-", "2020-", 1),
            paid_on: r.paid_on.map(|d| d.replacen("2021-", "2020-", 1)),
            batch_id: None,
            ..r
        })
        .collect();
    let mut tx = db.begin().await?;
    store::insert_payments(&mut tx, county, &rows, "演示数据（2020年）").await?;
    Entry::new(county, "demo", "aid_2020", county)
        .after_json(&serde_json::json!({ "payments": rows.len() }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(rows.len())
}
