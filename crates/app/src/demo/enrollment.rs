//! The demo county's 招生与班额 records: the seat intake, its published runs and balanced
//! classes, classrooms and the spring large-class ledger.

use crate::Result;
use emis_domain::access::Scope;
use emis_domain::enrollment::{Community, DistanceEntry};
use emis_domain::registry::Grade;
use emis_domain::term::Term;
use emis_storage::audit::{Actor, Entry};
use emis_storage::enrollment as store;
use emis_storage::lists;
use emis_storage::Db;
use std::collections::{BTreeMap, HashSet};

/// Stores the demo county's seat intake: communities, zones, distances, plans, applicants,
/// the published base run and the balanced classes with their seeds; classrooms from the
/// autumn classes; and the spring 大班额 ledger, closed where the records show it closed.
pub(super) async fn load_demo_intake(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &Actor,
) -> Result<()> {
    if !store::runs(db, county).await?.is_empty() {
        return Ok(());
    }
    let year = 2021;
    let mut tx = db.begin().await?;
    let mut communities: Vec<Community> = Vec::new();
    let mut distances: Vec<DistanceEntry> = Vec::new();
    for intake in &demo.intake {
        for c in &intake.input.communities {
            if !communities.iter().any(|x| x.code == c.code) {
                communities.push(c.clone());
            }
        }
        distances.extend(intake.input.distances.entries());
    }
    distances.sort_by(|a, b| (&a.community, &a.school_code).cmp(&(&b.community, &b.school_code)));
    distances.dedup_by(|a, b| a.community == b.community && a.school_code == b.school_code);
    store::upsert_communities(&mut tx, county, &communities).await?;
    store::upsert_distances(&mut tx, county, &distances).await?;
    let mut runs = Vec::new();
    for intake in &demo.intake {
        let grade = intake.input.grade;
        store::replace_zones(&mut tx, county, year, grade, &intake.input.zones).await?;
        store::set_plans(&mut tx, county, year, &intake.input.capacities).await?;
        store::upsert_applicants(&mut tx, county, year, grade, &intake.input.applicants).await?;
        let id = store::insert_run(
            &mut tx,
            county,
            store::NewRun {
                year,
                grade,
                name: &format!("2021年秋季城区{}招生方案（正式）", grade.label()),
                changes_json: "[]".into(),
                result_json: serde_json::to_string(&intake.result).unwrap_or_default(),
                applicants: intake.result.placements.len() as i64,
                placed: intake.result.placed_count() as i64,
                unplaced: intake.result.unplaced.len() as i64,
                created_by: &actor.name,
                published: true,
            },
            &intake.result.placements,
        )
        .await?;
        for formed in &intake.classes {
            store::insert_balanced(
                &mut tx,
                county,
                id,
                &formed.school_code,
                formed.grade,
                formed.class_size,
                formed.seed,
                &formed.classes,
                &actor.name,
            )
            .await?;
        }
        runs.push(id);
    }
    // Classrooms: the autumn classes of every school and grade.
    let autumn = Term::autumn(year);
    let mut rooms: BTreeMap<(String, Grade), HashSet<u32>> = BTreeMap::new();
    for s in demo.students.iter().filter(|s| s.term == autumn) {
        rooms
            .entry((s.school_code.clone(), s.grade))
            .or_default()
            .insert(s.class_number);
    }
    let mut rows: Vec<(String, Grade, u32)> = rooms
        .into_iter()
        .map(|((s, g), set)| (s, g, set.len() as u32))
        .collect();
    // The rooms of projects completed by autumn are counted by the monitor from the
    // projects themselves: the recorded rooms are those the school had before.
    for p in &demo.projects {
        let (Some(school), Some(done)) = (&p.school_code, p.completed_on) else {
            continue;
        };
        if done > autumn.first_day() {
            continue;
        }
        let mut built = u32::try_from(p.adds.classrooms).unwrap_or(0);
        for (_, _, n) in rows.iter_mut().filter(|(s, _, _)| s == school) {
            let taken = built.min(*n);
            *n -= taken;
            built -= taken;
        }
    }
    store::set_classrooms(&mut tx, county, &rows).await?;
    Entry::new(county, "demo", "enrollment", county)
        .after_json(&serde_json::json!({"runs": runs}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;

    // The spring ledger: every 56+ class, closed on the first day of autumn when the
    // school's autumn classes of the grade above hold no large class.
    let scope = Scope::County {
        county: county.into(),
    };
    let rules = store::settings(db, county).await?;
    let spring = lists::classes(db, &scope, &Term::spring(year).code(), None, Some(56)).await?;
    let autumn_large: HashSet<(String, String)> = lists::classes(
        db,
        &scope,
        &autumn.code(),
        None,
        Some(i64::from(rules.large_from)),
    )
    .await?
    .into_iter()
    .map(|c| (c.school_code, c.grade.label().to_string()))
    .collect();
    let entries: Vec<store::NewLedgerEntry> = spring
        .iter()
        .map(|c| store::NewLedgerEntry {
            class_id: c.id,
            term: Term::spring(year).code(),
            school_code: c.school_code.clone(),
            grade: c.grade,
            class_number: c.number,
            size: c.size,
            plan: "秋季按学区招生、增设班级分流".into(),
            owner: format!("{}校长", c.school_name),
            target_date: Some("2021-09-30".into()),
        })
        .collect();
    let mut tx = db.begin().await?;
    store::add_ledger_entries(&mut tx, county, &entries).await?;
    emis_storage::commit(tx).await?;
    let mut tx = db.begin().await?;
    for e in store::ledger(db, county).await? {
        let next = e.grade.next();
        let still = next.is_some_and(|g| {
            autumn_large.contains(&(e.school_code.clone(), g.label().to_string()))
        });
        if !still {
            store::update_ledger_entry(
                &mut tx,
                county,
                e.id,
                &e.plan,
                &e.owner,
                e.target_date.as_deref(),
                Some("2021-09-01"),
            )
            .await?;
        }
    }
    emis_storage::commit(tx).await?;
    Ok(())
}
