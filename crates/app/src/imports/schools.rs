//! 学校导入: 学校标识码, 学校名称, 办学类型, 所在乡镇; optional 城乡类别, 办学性质, 寄宿制.

use super::{should_write, Changes, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::divisions;
use emis_domain::registry::{parse_yes_no, Ownership, School, SchoolType, UrbanRural};
use emis_io::{Column, Table};
use emis_storage::registry;
use std::collections::HashMap;

pub const SCHOOL_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("学校名称"),
    Column::required("办学类型"),
    Column::required("所在乡镇"),
    Column::optional("城乡类别"),
    Column::optional("办学性质"),
    Column::optional("寄宿制"),
];

pub(super) fn parse_rows(
    county: &str,
    table: &Table<'_>,
    report: &mut ImportReport,
) -> Vec<(u32, School)> {
    let county_info = divisions::county(county);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let code = check.required("学校标识码", &c[0]).map(str::to_string);
        if let Some(code) = &code {
            if code.len() != 10 || !code.bytes().all(|b| b.is_ascii_digit()) {
                check.refuse(
                    "学校标识码",
                    format!("学校标识码应为10位数字，实为“{code}”"),
                );
            } else if let Some(first) = seen.get(code) {
                check.refuse("学校标识码", format!("学校标识码 {code} 与第{first}行重复"));
            }
        }
        let name = check.required("学校名称", &c[1]).map(str::to_string);
        let school_type =
            check.required_choice("办学类型", &c[2], SchoolType::parse, SchoolType::choices);
        let township = check.required_choice(
            "所在乡镇",
            &c[3],
            |t| county_info.and_then(|ci| ci.township(t)),
            || "本县的乡镇名称".to_string(),
        );
        // Without a 城乡类别, the county seat is 城区 and the rest 乡村.
        let default_area = if township.is_some_and(|t| t.urban) {
            UrbanRural::Urban
        } else {
            UrbanRural::Rural
        };
        let urban_rural = check.optional_choice(
            "城乡类别",
            &c[4],
            default_area,
            UrbanRural::parse,
            UrbanRural::choices,
        );
        let ownership = check.optional_choice(
            "办学性质",
            &c[5],
            Ownership::Public,
            Ownership::parse,
            Ownership::choices,
        );
        let boarding = check.optional_choice("寄宿制", &c[6], false, parse_yes_no, || {
            "是 / 否".to_string()
        });
        if check.failed {
            continue;
        }
        if let (
            Some(code),
            Some(name),
            Some(school_type),
            Some(township),
            Some(urban_rural),
            Some(ownership),
            Some(boarding),
        ) = (
            code,
            name,
            school_type,
            township,
            urban_rural,
            ownership,
            boarding,
        ) {
            seen.insert(code.clone(), row.number);
            out.push((
                row.number,
                School {
                    code,
                    name,
                    school_type,
                    township_code: township.code.to_string(),
                    urban_rural,
                    ownership,
                    boarding,
                },
            ));
        }
    }
    out
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (county, table, options) = (run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let rows = parse_rows(county, table, report);
    report.valid_rows = rows.len();
    let existing = run.schools().await?;
    let changes = Changes::sort(
        rows.iter().map(|(_, s)| s),
        |s| existing.get(&s.code),
        report,
    );
    if !should_write(report, options) || changes.write.is_empty() {
        return Ok(());
    }
    run.progress.stage("写入", changes.write.len() as u64);
    let mut tx = super::begin_write(run.db, county, report).await?;
    let write: Vec<School> = changes.write.iter().map(|s| (*s).clone()).collect();
    // 曾用名: a stored school whose name changes keeps its former name, until today.
    let today = options.clock.today().to_string();
    for s in &write {
        if let Some(old) = existing.get(&s.code).filter(|old| old.name != s.name) {
            emis_storage::school_names::record_rename(
                &mut tx,
                county,
                &s.code,
                &old.name,
                &today,
                &run.actor.name,
            )
            .await?;
        }
    }
    registry::upsert_schools(&mut tx, county, &write).await?;
    run.finish(
        tx,
        "school",
        "schools",
        &changes.updates,
        |s| &s.code,
        report,
    )
    .await?;
    run.progress.advance(write.len() as u64);
    Ok(())
}
