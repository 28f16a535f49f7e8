//! 课后服务导入 (one row per school per term): 学校标识码, 学期, 开展 (是 / 否), 每周天数,
//! 每天时长(分钟), 参加学生数; optional 参与教师数. The school must have compulsory grades;
//! 参加学生数 above its students on the roll of that term is refused, naming the roll count
//! (the registry is the one source). A stored (school, term) takes the row's values.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::double_reduction::after_school::{above_roll, figures_without_service};
use emis_domain::registry::parse_yes_no;
use emis_domain::term::Term;
use emis_io::Column;
use emis_storage::double_reduction::{self as store, AfterSchoolRow};
use std::collections::HashMap;

pub const AFTER_SCHOOL_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("学期"),
    Column::required("开展").with_aliases(&["是否开展"]),
    Column::required("每周天数"),
    Column::required("每天时长(分钟)").with_aliases(&[
        "每天时长（分钟）",
        "每天时长",
        "每天分钟数",
    ]),
    Column::required("参加学生数").with_aliases(&["参与学生数"]),
    Column::optional("参与教师数").with_aliases(&["参加教师数"]),
];

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let mut rolls: HashMap<String, HashMap<String, i64>> = HashMap::new();
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let school = check.school(&c[0], &schools, options);
        if let Some(s) = school {
            if !s.school_type.grades().iter().any(|g| g.is_compulsory()) {
                check.refuse(
                    "学校标识码",
                    format!("{}不是义务教育学校，不填报课后服务", s.name),
                );
            }
        }
        let term = if c[1].is_empty() {
            options.term.or_else(|| {
                check.refuse("学期", "学期不能为空");
                None
            })
        } else {
            check.required_choice("学期", &c[1], Term::parse, || {
                "2021-autumn / 2021年秋季学期".into()
            })
        };
        let offered = check.required_choice("开展", &c[2], parse_yes_no, || "是 / 否".into());
        let days = check
            .required("每周天数", &c[3])
            .and_then(|raw| check.number("每周天数", raw, 7));
        let minutes = check
            .required("每天时长(分钟)", &c[4])
            .and_then(|raw| check.number("每天时长(分钟)", raw, 600));
        let students = check
            .required("参加学生数", &c[5])
            .and_then(|raw| check.number("参加学生数", raw, 100_000));
        let teachers = check.optional_number("参与教师数", &c[6], 10_000);
        let (
            Some(school),
            Some(term),
            Some(offered),
            Some(days),
            Some(minutes),
            Some(students),
            Some(teachers),
        ) = (school, term, offered, days, minutes, students, teachers)
        else {
            continue;
        };
        if let Some(refusal) = figures_without_service(offered, days, minutes, students) {
            check.refuse("开展", refusal.to_string());
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = rolls.entry(term.code()) {
            slot.insert(
                emis_storage::registry::students_on_roll_by_school(db, county, &term.code())
                    .await?,
            );
        }
        let on_roll = rolls[&term.code()].get(&school.code).copied().unwrap_or(0);
        if let Some(refusal) = above_roll(students, on_roll, &term.label()) {
            check.refuse("参加学生数", refusal.to_string());
        }
        let key = (school.code.clone(), term.code());
        if let Some(first) = seen.get(&key) {
            check.refuse(
                "学校标识码",
                format!("与第{first}行重复（同一学校同一学期）"),
            );
        }
        if check.failed {
            continue;
        }
        seen.insert(key, row.number);
        rows.push(AfterSchoolRow {
            school_code: school.code.clone(),
            term: term.code(),
            offered,
            days_a_week: days,
            minutes_a_day: minutes,
            students,
            teachers,
            fee_fen: None,
        });
    }
    report.valid_rows = rows.len();
    let mut stored: HashMap<(String, String), AfterSchoolRow> = HashMap::new();
    for term in rows
        .iter()
        .map(|r| r.term.clone())
        .collect::<std::collections::BTreeSet<_>>()
    {
        for r in store::after_school(db, county, &term).await? {
            stored.insert((r.school_code.clone(), r.term.clone()), r);
        }
    }
    let changes = super::Changes::sort(
        &rows,
        |r| stored.get(&(r.school_code.clone(), r.term.clone())),
        report,
    );
    if !should_write(report, options) || changes.write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let write: Vec<AfterSchoolRow> = changes.write.iter().map(|r| (*r).clone()).collect();
    store::write_after_school(&mut tx, county, &write, &run.actor.name).await?;
    run.finish(
        tx,
        "after_school",
        "after_school",
        &changes.updates,
        |r| &r.school_code,
        report,
    )
    .await
}
