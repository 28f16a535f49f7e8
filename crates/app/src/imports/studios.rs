//! 工作室导入: 工作室名称, 类别, 主持人身份证件号, 成立日期; optional 学科, 撤销日期,
//! 成员身份证件号 (several, separated by `、`). Keyed by name: a stored studio takes the row's
//! values and its member list. Host and members must be on the staff roll.

use super::{should_write, Changes, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::teachers::StudioKind;
use emis_io::Column;
use emis_storage::teachers::{self as store, NewStudio};
use std::collections::HashMap;

pub const STUDIO_COLUMNS: &[Column] = &[
    Column::required("工作室名称").with_aliases(&["名称", "工作室"]),
    Column::required("类别").with_aliases(&["工作室类别"]),
    Column::required("主持人身份证件号").with_aliases(&["主持人身份证号"]),
    Column::required("成立日期"),
    Column::optional("学科"),
    Column::optional("撤销日期"),
    Column::optional("成员身份证件号").with_aliases(&["成员身份证号", "成员"]),
];

/// Most members one studio row may list.
const MAX_MEMBERS: usize = 60;

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let roll = run.staff_roll().await?;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("工作室名称", &c[0]).map(str::to_string);
        let kind = check.required_choice("类别", &c[1], StudioKind::parse, StudioKind::choices);
        let host = check.staff_member("主持人身份证件号", &c[2], &roll, options);
        let founded = check.required_date("成立日期", &c[3]);
        let closed = check.optional_date("撤销日期", &c[5]);
        if let (Some(f), Some(Some(cl))) = (founded, closed) {
            if cl < f {
                check.refuse("撤销日期", format!("撤销日期 {cl} 早于成立日期 {f}"));
            }
        }
        let listed: Vec<&str> = c[6]
            .split(['、', ',', '，', ';', '；', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if listed.len() > MAX_MEMBERS {
            check.refuse(
                "成员身份证件号",
                format!("成员最多{MAX_MEMBERS}人，本行列出{}人", listed.len()),
            );
        }
        let mut members: Vec<String> = Vec::new();
        for raw in listed.iter().take(MAX_MEMBERS) {
            if let Some(m) = check.staff_member("成员身份证件号", raw, &roll, options) {
                if host.is_some_and(|h| h.id_number == m.id_number) {
                    check.refuse("成员身份证件号", format!("主持人{}不必再列为成员", m.name));
                } else if members.contains(&m.id_number) {
                    check.refuse("成员身份证件号", format!("成员{}重复列出", m.name));
                } else {
                    members.push(m.id_number.clone());
                }
            }
        }
        if let Some(n) = &name {
            if let Some(first) = seen.get(n) {
                check.refuse("工作室名称", format!("与第{first}行重复"));
            }
        }
        if check.failed {
            continue;
        }
        let (Some(name), Some(kind), Some(host), Some(founded), Some(closed)) =
            (name, kind, host, founded, closed)
        else {
            continue;
        };
        seen.insert(name.clone(), row.number);
        rows.push(NewStudio {
            name,
            kind,
            subject: Some(c[4].clone()).filter(|s| !s.is_empty()),
            host_id_number: host.id_number.clone(),
            founded_on: founded.to_string(),
            closed_on: closed.map(|d| d.to_string()),
            members,
        });
    }
    report.valid_rows = rows.len();
    let stored: HashMap<String, NewStudio> = store::stored_studios(db, county)
        .await?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let changes = Changes::sort(&rows, |r| stored.get(&r.name), report);
    if !should_write(report, options) || changes.write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let write: Vec<NewStudio> = changes.write.iter().map(|r| (*r).clone()).collect();
    store::write_studios(&mut tx, county, &write).await?;
    run.finish(
        tx,
        "studio",
        "studios",
        &changes.updates,
        |r| &r.name,
        report,
    )
    .await
}
