//! 党员发展导入: one row per stage reached — 姓名, 身份证件号 (GB 11643), 党支部, 阶段, 日期.
//! The stages of a person go in order and 正式党员 comes at least a year after 预备党员
//! (`emis_domain::party::check_stage`), compared with the file's other rows of the person
//! and with the stages already stored. Keyed by (person, stage): the same stage again with
//! the same date changes nothing, another date replaces it. A branch not known yet is added
//! (its secretary is named on the 党建 page).

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use chrono::NaiveDate;
use emis_domain::party::{check_stage, PartyStage};
use emis_io::Column;
use emis_storage::party::{self as store, NewPerson, NewStage};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const PARTY_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("党支部").with_aliases(&["所在党支部", "支部"]),
    Column::required("阶段").with_aliases(&["发展阶段"]),
    Column::required("日期").with_aliases(&["阶段日期", "时间"]),
];

/// One row whose cells read well.
struct Parsed {
    row: u32,
    name: String,
    id_number: String,
    branch: String,
    stage: PartyStage,
    on: NaiveDate,
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let today = options.clock.today();
    let mut seen: HashMap<(String, PartyStage), u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("姓名", &c[0]).map(str::to_string);
        let id = check.id_number("身份证件号", &c[1]);
        let branch = check.required("党支部", &c[2]).map(str::to_string);
        let stage = check.required_choice("阶段", &c[3], PartyStage::parse, PartyStage::choices);
        let on = check.required_date("日期", &c[4]);
        if let Some(on) = on {
            if on > today {
                check.refuse("日期", format!("日期 {on} 晚于今天"));
            }
        }
        if let (Some(id), Some(stage)) = (&id, stage) {
            if let Some(first) = seen.get(&(id.as_str().to_string(), stage)) {
                check.refuse("阶段", format!("该人员的“{stage}”与第{first}行重复"));
            }
        }
        let failed = check.failed;
        let (Some(name), Some(id), Some(branch), Some(stage), Some(on)) =
            (name, id, branch, stage, on)
        else {
            continue;
        };
        if failed {
            continue;
        }
        seen.insert((id.as_str().to_string(), stage), row.number);
        rows.push(Parsed {
            row: row.number,
            name,
            id_number: id.as_str().to_string(),
            branch,
            stage,
            on,
        });
    }

    // Each person's stages: the stored ones, replaced by the file's.
    let people: HashMap<String, store::PartyPersonRow> = store::people(db, county)
        .await?
        .into_iter()
        .map(|p| (p.id_number.clone(), p))
        .collect();
    let by_id: HashMap<i64, &str> = people
        .values()
        .map(|p| (p.id, p.id_number.as_str()))
        .collect();
    let mut stored: HashMap<(String, PartyStage), NaiveDate> = HashMap::new();
    for s in store::stages(db, county).await? {
        if let (Some(id), Some(on)) = (
            by_id.get(&s.person_id),
            emis_domain::dates::parse_date(&s.reached_on),
        ) {
            stored.insert((id.to_string(), s.stage), on);
        }
    }
    let mut timeline: HashMap<&str, BTreeMap<PartyStage, NaiveDate>> = HashMap::new();
    for ((id, stage), on) in &stored {
        timeline.entry(id.as_str()).or_default().insert(*stage, *on);
    }
    for r in &rows {
        timeline
            .entry(r.id_number.as_str())
            .or_default()
            .insert(r.stage, r.on);
    }
    let mut valid = Vec::new();
    for r in &rows {
        let others: Vec<(PartyStage, NaiveDate)> = timeline[r.id_number.as_str()]
            .iter()
            .filter(|(s, _)| **s != r.stage)
            .map(|(s, on)| (*s, *on))
            .collect();
        if let Err(e) = check_stage(&others, r.stage, r.on) {
            RowCheck::new(r.row, &mut report.problems, &mut report.warnings)
                .refuse("日期", e.to_string());
        } else {
            valid.push(r);
        }
    }
    report.valid_rows = valid.len();

    // What changes: a stage new or of another date; a person new, renamed or moved (by
    // their latest row of the file).
    let mut latest: BTreeMap<&str, &Parsed> = BTreeMap::new();
    for r in &valid {
        let keep = latest
            .get(r.id_number.as_str())
            .is_none_or(|l| (l.on, l.stage) <= (r.on, r.stage));
        if keep {
            latest.insert(r.id_number.as_str(), r);
        }
    }
    let moved = |r: &Parsed| match people.get(&r.id_number) {
        None => true,
        Some(p) => p.name != r.name || p.branch != r.branch,
    };
    let mut stage_writes = Vec::new();
    for r in &valid {
        let person_changes = latest[r.id_number.as_str()].row == r.row && moved(r);
        match stored.get(&(r.id_number.clone(), r.stage)) {
            None => report.inserted += 1,
            Some(was) if *was == r.on && !person_changes => report.unchanged += 1,
            Some(was) => {
                report.updated += 1;
                if *was != r.on {
                    report
                        .notes
                        .push(format!("{}：{} {} → {}", r.name, r.stage, was, r.on));
                }
            }
        }
        if stored.get(&(r.id_number.clone(), r.stage)) != Some(&r.on) {
            stage_writes.push(*r);
        }
    }
    let person_writes: Vec<&Parsed> = latest.values().copied().filter(|r| moved(r)).collect();
    let known_branches: BTreeSet<String> = store::branches(db, county)
        .await?
        .into_iter()
        .map(|b| b.name)
        .collect();
    let new_branches: Vec<String> = valid
        .iter()
        .map(|r| r.branch.clone())
        .filter(|b| !known_branches.contains(b))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for b in &new_branches {
        report
            .notes
            .push(format!("新建党支部：{b}（请在党建页面指定支部书记）"));
    }
    if !should_write(report, options) || (stage_writes.is_empty() && person_writes.is_empty()) {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let branch_names: Vec<String> = valid
        .iter()
        .map(|r| r.branch.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let branches = store::ensure_branches(&mut tx, county, &branch_names, &run.actor.name).await?;
    let new_people: Vec<NewPerson> = person_writes
        .iter()
        .map(|r| NewPerson {
            id_number: r.id_number.clone(),
            name: r.name.clone(),
            branch_id: branches[&r.branch],
        })
        .collect();
    let mut ids = store::write_people(&mut tx, county, &new_people).await?;
    for p in people.values() {
        ids.entry(p.id_number.clone()).or_insert(p.id);
    }
    let stages: Vec<NewStage> = stage_writes
        .iter()
        .map(|r| NewStage {
            person_id: ids[&r.id_number],
            stage: r.stage,
            reached_on: r.on.to_string(),
        })
        .collect();
    store::write_stages(&mut tx, county, &stages, &run.actor.name).await?;
    super::commit_batch(tx, county, run.actor, "party", run.source, report).await
}
