//! 荣誉与竞赛导入 (CONTRACTS.md `honours`): 对象类型, 对象 (学校标识码, 身份证件号 or a team's
//! name), 名称, 类别, 级别, 授予单位, 日期; optional 等次, 项目, 姓名, 学校标识码 (a team's).
//! A row is read by the same rules as the offices' form ([`crate::honours`]); the same
//! honour (subject, 名称, 项目, 日期) is stored once, so a file imported twice changes nothing.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::honours::{check, HonourForm, Known};
use crate::Result;
use emis_io::Column;
use emis_storage::honours as store;
use std::collections::HashMap;

pub const HONOUR_COLUMNS: &[Column] = &[
    Column::required("对象类型"),
    Column::required("对象").with_aliases(&["获奖对象", "对象标识"]),
    Column::required("名称").with_aliases(&["荣誉名称", "竞赛名称", "称号"]),
    Column::required("类别"),
    Column::required("级别"),
    Column::required("授予单位").with_aliases(&["颁发单位", "主办单位"]),
    Column::required("日期").with_aliases(&["授予日期", "获奖日期"]),
    Column::optional("等次").with_aliases(&["名次", "奖项"]),
    Column::optional("项目").with_aliases(&["比赛项目"]),
    Column::optional("姓名"),
    Column::optional("学校标识码"),
];

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let staff = emis_storage::registry::load_staff(db, county).await?;
    let ids: Vec<String> = table
        .rows
        .iter()
        .filter(|r| emis_domain::text::fold_width(&r.cells[0]) == "学生")
        .map(|r| r.cells[1].trim().to_uppercase())
        .collect();
    let students = store::students_by_id(db, county, &ids).await?;
    let known = Known {
        schools: &schools,
        staff: &staff,
        students: &students,
        scope: options.scope.as_ref(),
        today: options.clock.today(),
    };
    let mut seen: HashMap<_, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut rc = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let raw = HonourForm {
            subject_kind: c[0].clone(),
            subject: c[1].clone(),
            title: c[2].clone(),
            kind: c[3].clone(),
            level: c[4].clone(),
            granted_by: c[5].clone(),
            granted_on: c[6].clone(),
            prize: c[7].clone(),
            event: c[8].clone(),
            person_name: c[9].clone(),
            school: c[10].clone(),
        };
        match check(&raw, &known) {
            Err(problems) => {
                for (_, column, reason) in problems {
                    rc.refuse(column, reason);
                }
            }
            Ok(honour) => {
                if let Some(first) = seen.get(&honour.key()) {
                    rc.refuse(
                        "名称",
                        format!("与第{first}行重复（同一对象、名称、项目和日期）"),
                    );
                    continue;
                }
                seen.insert(honour.key(), row.number);
                rows.push(honour);
            }
        }
    }
    report.valid_rows = rows.len();
    let stored = store::keys(db, county).await?;
    let new: Vec<_> = rows
        .into_iter()
        .filter(|h| !stored.contains(&h.key()))
        .collect();
    report.inserted = new.len();
    report.unchanged = report.valid_rows - new.len();
    if !should_write(report, options) || new.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    store::insert_honours(&mut tx, county, &new, &run.actor.name).await?;
    super::commit_batch(tx, county, run.actor, "honours", run.source, report).await
}
