//! 教师培训导入 (one row per teacher per training): 培训项目, 级别, 开始日期, 结束日期,
//! 身份证件号; optional 姓名, 学时, 结业 (default 是).
//!
//! A training is its 培训项目 and 开始日期; every row of one training must agree on its 级别
//! and 结束日期, in the file and with what is stored. The teacher must be on the staff roll
//! (at a school of the importing account's scope); the same training and teacher twice in
//! one file is a duplicate row. A stored (training, teacher) pair takes the row's 学时 and
//! 结业, so re-importing the same file changes nothing.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::registry::parse_yes_no;
use emis_domain::teachers::hours::parse_hours;
use emis_domain::teachers::TrainingLevel;
use emis_io::Column;
use emis_storage::teachers::{self as store, NewTraining, ParticipantRow};
use std::collections::HashMap;

pub const TRAINING_COLUMNS: &[Column] = &[
    Column::required("培训项目").with_aliases(&["培训项目名称", "项目名称", "培训名称"]),
    Column::required("级别").with_aliases(&["培训级别"]),
    Column::required("开始日期").with_aliases(&["培训开始日期"]),
    Column::required("结束日期").with_aliases(&["培训结束日期"]),
    crate::imports::ID_NUMBER_COLUMN,
    Column::optional("姓名"),
    Column::optional("学时").with_aliases(&["培训学时"]),
    Column::optional("结业").with_aliases(&["是否结业", "结业情况"]),
];

/// A training as the rows describe it: (level, end date) and the row that first said so.
struct Described {
    level: TrainingLevel,
    end: String,
    row: u32,
}

/// One valid row: the training's key and the participant.
struct Parsed {
    training: (String, String),
    id_number: String,
    hours: i64,
    completed: bool,
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let roll = run.staff_roll().await?;
    let stored_trainings = store::trainings_by_key(db, county).await?;
    let mut described: HashMap<(String, String), Described> = HashMap::new();
    let mut first_row: HashMap<(String, String, String), u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("培训项目", &c[0]).map(str::to_string);
        let level =
            check.required_choice("级别", &c[1], TrainingLevel::parse, TrainingLevel::choices);
        let start = check.required_date("开始日期", &c[2]);
        let end = check.required_date("结束日期", &c[3]);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                check.refuse("结束日期", format!("结束日期 {e} 早于开始日期 {s}"));
            }
        }
        let member = check.staff_member("身份证件号", &c[4], &roll, options);
        if let Some(m) = member {
            if !c[5].is_empty() && c[5] != m.name {
                check.refuse(
                    "姓名",
                    format!(
                        "姓名“{}”与教职工名册中该身份证件号的姓名“{}”不一致",
                        c[5], m.name
                    ),
                );
            }
        }
        let hours = if c[6].is_empty() {
            Some(0)
        } else {
            let parsed = parse_hours(&c[6]);
            if parsed.is_none() {
                check.refuse(
                    "学时",
                    format!(
                        "学时“{}”无法识别，应为0–2000的数，最多一位小数，如 24 或 12.5",
                        c[6]
                    ),
                );
            }
            parsed
        };
        let completed =
            check.optional_choice("结业", &c[7], true, parse_yes_no, || "是 / 否".into());
        let (
            Some(name),
            Some(level),
            Some(start),
            Some(end),
            Some(member),
            Some(hours),
            Some(completed),
        ) = (name, level, start, end, member, hours, completed)
        else {
            continue;
        };
        let key = (name, start.to_string());
        let end = end.to_string();
        // Every row of a training, and the stored training, agree on its level and end.
        let agreed = match (stored_trainings.get(&key), described.get(&key)) {
            (Some(t), _) if t.level != level || t.end_date != end => Err(format!(
                "培训项目“{}”（{}开始）已导入为{}、{}结束，本行为{level}、{end}结束",
                key.0, key.1, t.level, t.end_date
            )),
            (_, Some(d)) if d.level != level || d.end != end => Err(format!(
                "同一培训项目（名称与开始日期相同）的级别或结束日期与第{}行不一致",
                d.row
            )),
            _ => Ok(()),
        };
        if let Err(reason) = agreed {
            check.refuse("培训项目", reason);
            continue;
        }
        let id_number = member.id_number.clone();
        let pair = (key.0.clone(), key.1.clone(), id_number.clone());
        if let Some(first) = first_row.get(&pair) {
            check.refuse(
                "身份证件号",
                format!("与第{first}行重复（同一培训项目、开始日期和身份证件号）"),
            );
            continue;
        }
        if check.failed {
            continue;
        }
        first_row.insert(pair, row.number);
        described.entry(key.clone()).or_insert(Described {
            level,
            end: end.clone(),
            row: row.number,
        });
        rows.push(Parsed {
            training: key,
            id_number,
            hours: i64::from(hours),
            completed,
        });
    }
    report.valid_rows = rows.len();
    run.progress
        .stage("比对已导入的培训记录", rows.len() as u64);
    let stored = store::participant_facts(db, county).await?;
    let mut write = Vec::new();
    for r in &rows {
        let before = stored_trainings
            .get(&r.training)
            .and_then(|t| stored.get(&(t.id, r.id_number.clone())));
        match before {
            None => report.inserted += 1,
            Some(&(hours, completed)) if hours == r.hours && completed == r.completed => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
        }
        write.push(r);
    }
    let new_trainings: Vec<NewTraining> = described
        .iter()
        .filter(|(key, _)| !stored_trainings.contains_key(*key))
        .map(|(key, d)| NewTraining {
            name: key.0.clone(),
            level: d.level,
            start_date: key.1.clone(),
            end_date: d.end.clone(),
        })
        .collect();
    if !new_trainings.is_empty() {
        report
            .notes
            .push(format!("新增培训项目{}个", new_trainings.len()));
    }
    if !should_write(report, options) || write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let ids = store::insert_trainings(&mut tx, county, &new_trainings, run.source).await?;
    let participants: Vec<ParticipantRow> = write
        .iter()
        .filter_map(|r| {
            Some(ParticipantRow {
                training_id: *ids.get(&r.training)?,
                id_number: r.id_number.clone(),
                hours: r.hours,
                completed: r.completed,
            })
        })
        .collect();
    store::write_participants(&mut tx, county, &participants).await?;
    super::commit_batch(
        tx,
        county,
        run.actor,
        "training_participants",
        run.source,
        report,
    )
    .await
}
