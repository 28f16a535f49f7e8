//! The demo county's 控辍保学 data, loaded through the same workflow as real data.

use crate::dropout::{apply_to_row, compare_and_store, to_domain, PopulationReport};
use crate::imports::ImportReport;
use crate::{AppError, Result};
use emis_domain::dropout::cases::{self, EventKind};
use emis_domain::dropout::PopulationPerson;
use emis_storage::audit::{Actor, Entry};
use emis_storage::dropout::{self as store, CaseRow, EventRow};
use emis_storage::Db;

/// Loads the demo's population roll (running the comparison), works every case through
/// the case workflow (to its outcome, unless it is still being worked), and stores the
/// home-teaching plans with their visits. The same for 2021 and for 2020
/// ([`emis_demo::dropout::previous_year`]).
pub(super) async fn load_demo(
    db: &Db,
    county: &emis_domain::divisions::County,
    demo: &emis_demo::dropout::DemoDropout,
    actor: &Actor,
) -> Result<PopulationReport> {
    let report = load_population(db, county, demo, actor).await?;
    if !report.import.committed {
        // Loaded before: the cases and plans are there already.
        return Ok(report);
    }
    let county = county.code;
    let rows = store::all_cases(db, county).await?;
    // This comparison's cases: a child may have a case of an earlier year too.
    let opened_on = demo.as_of.to_string();
    let by_person: std::collections::HashMap<&str, &CaseRow> = rows
        .iter()
        .filter(|r| r.opened_on == opened_on)
        .map(|r| (r.person_id_number.as_str(), r))
        .collect();
    let mut tx = db.begin().await?;
    let mut events = Vec::new();
    for plan in &demo.cases {
        let Some(row) = by_person.get(plan.person_id.as_str()) else {
            continue;
        };
        let mut case = to_domain(row, &[]);
        for v in &plan.visits {
            events.push(EventRow {
                id: 0,
                case_id: row.id,
                event_date: v.date.to_string(),
                kind: EventKind::Contact(v.kind),
                note: v.note.clone(),
                detail: None,
                actor: plan.teacher.clone(),
                recorded_at: String::new(),
            });
        }
        for step in plan.steps() {
            case = cases::apply(&case, step)
                .map_err(|e| AppError::Refused(format!("演示案件 {} 无法处理：{e}", row.id)))?;
        }
        let mut next = apply_to_row(row, &case);
        if !plan.school_code.is_empty() {
            next.school_code = Some(plan.school_code.clone());
        }
        store::update_case(&mut tx, &next).await?;
    }
    store::insert_events(&mut tx, county, &events).await?;

    let plans: Vec<store::PlanRow> = demo
        .plans
        .iter()
        .map(|p| store::PlanRow {
            student_id_number: p.student_id.clone(),
            name: p.name.clone(),
            school_code: p.school_code.clone(),
            term: p.term.code(),
            teachers: p.teachers.join("、"),
            plan: p.plan.clone(),
            ..store::PlanRow::default()
        })
        .collect();
    store::insert_plans(&mut tx, county, &plans).await?;
    let ids = store::plan_ids(&mut tx, county).await?;
    let visits: Vec<store::HomeVisitRow> = demo
        .plans
        .iter()
        .flat_map(|p| {
            let plan_id = ids
                .get(&(p.student_id.clone(), p.term.code()))
                .copied()
                .unwrap_or_default();
            p.visits.iter().map(move |v| store::HomeVisitRow {
                plan_id,
                visit_date: v.date.to_string(),
                minutes: v.minutes,
                teacher: v.teacher.clone(),
                content: v.content.clone(),
                ..store::HomeVisitRow::default()
            })
        })
        .collect();
    store::insert_home_visits(&mut tx, county, &visits).await?;
    Entry::new(county, "demo", "dropout", county).after_json(&serde_json::json!({"as_of": opened_on, "cases": demo.cases.len(), "plans": plans.len(), "home_visits": visits.len()})).record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(report)
}

/// Loads the demo's population roll as an import of it would, running the comparison
/// with the roll; the townships' names are read against `county`'s own.
pub(super) async fn load_population(
    db: &Db,
    county: &emis_domain::divisions::County,
    demo: &emis_demo::dropout::DemoDropout,
    actor: &Actor,
) -> Result<PopulationReport> {
    let parsed: Vec<(PopulationPerson, String, u32)> = demo
        .population
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let code = county
                .township(&p.township)
                .map(|t| t.code.to_string())
                .unwrap_or_else(|| p.township.clone());
            (p.clone(), code, i as u32 + 2)
        })
        .collect();
    let report = PopulationReport {
        import: ImportReport {
            rows: parsed.len(),
            valid_rows: parsed.len(),
            ..ImportReport::default()
        },
        ..PopulationReport::default()
    };
    compare_and_store(
        db,
        county.code,
        parsed,
        report,
        "演示县户籍适龄人口名册",
        demo.as_of,
        None,
        false,
        actor,
    )
    .await
}
