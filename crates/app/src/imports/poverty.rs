//! 脱贫户名单导入 (control dropout, 三比对): 身份证件号, 姓名; optional 户主姓名. A county
//! list: only a county account imports it. Rows already stored unchanged are counted, not
//! written again.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_io::{Column, Table};
use emis_storage::dropout as store;
use std::collections::HashMap;

pub const POVERTY_COLUMNS: &[Column] = &[
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("姓名"),
    Column::optional("户主姓名").with_aliases(&["户主"]),
];

/// Checked rows: (ID number, name, household head).
fn parse_rows(
    table: &Table<'_>,
    report: &mut ImportReport,
) -> Vec<(String, String, Option<String>)> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let id = check
            .id_number("身份证件号", &c[0])
            .map(|id| id.as_str().to_string());
        if let Some(id) = &id {
            if let Some(first) = seen.get(id) {
                check.refuse("身份证件号", format!("与第{first}行重复"));
            }
        }
        let name = check.required("姓名", &c[1]).map(str::to_string);
        if check.failed {
            continue;
        }
        if let (Some(id), Some(name)) = (id, name) {
            seen.insert(id.clone(), row.number);
            let head = Some(c[2].clone()).filter(|h| !h.is_empty());
            rows.push((id, name, head));
        }
    }
    rows
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, source) = (run.db, run.county, run.table, run.source);
    let (options, actor) = (run.options, run.actor);
    let rows = parse_rows(table, report);
    report.valid_rows = rows.len();
    let stored = store::poverty_rows(db, county).await?;
    let changed: Vec<(String, String, Option<String>)> = rows
        .into_iter()
        .filter(|(id, name, head)| match stored.get(id) {
            Some((n, h)) if n == name && h == head => {
                report.unchanged += 1;
                false
            }
            Some(_) => {
                report.updated += 1;
                true
            }
            None => {
                report.inserted += 1;
                true
            }
        })
        .collect();
    if !should_write(report, options) || changed.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    store::write_poverty(&mut tx, county, &changed).await?;
    super::commit_batch(tx, county, actor, "poverty_households", source, report).await?;
    report
        .notes
        .push("下次导入户籍适龄人口名册时，疑似辍学和在籍不在校儿童将与此名单比对。".into());
    Ok(())
}
