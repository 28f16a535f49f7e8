//! 表彰奖励导入 (awards already granted, e.g. by the county government): 荣誉称号, 授予单位,
//! 授予日期, 身份证件号; optional 姓名, 奖金(元). Each row is a granted award of the teacher's
//! school on the staff roll; the same teacher, title and year is stored once, so
//! re-importing a file changes nothing. Proposals go through the web workflow instead.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use chrono::Datelike;
use emis_domain::aid::parse_yuan;
use emis_domain::teachers::awards::AwardStatus;
use emis_io::Column;
use emis_storage::teachers::{self as store, NewAward};
use std::collections::HashMap;

pub const AWARD_COLUMNS: &[Column] = &[
    Column::required("荣誉称号").with_aliases(&["表彰称号", "称号"]),
    Column::required("授予单位").with_aliases(&["表彰单位"]),
    Column::required("授予日期").with_aliases(&["表彰日期"]),
    crate::imports::ID_NUMBER_COLUMN,
    Column::optional("姓名"),
    Column::optional("奖金(元)").with_aliases(&["奖金（元）", "奖金", "奖励金额"]),
];

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let roll = run.staff_roll().await?;
    let mut seen: HashMap<(String, String, i64), u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let title = check.required("荣誉称号", &c[0]).map(str::to_string);
        let body = check.required("授予单位", &c[1]).map(str::to_string);
        let on = check.required_date("授予日期", &c[2]);
        let member = check.staff_member("身份证件号", &c[3], &roll, options);
        if let Some(m) = member {
            if !c[4].is_empty() && c[4] != m.name {
                check.refuse(
                    "姓名",
                    format!(
                        "姓名“{}”与教职工名册中该身份证件号的姓名“{}”不一致",
                        c[4], m.name
                    ),
                );
            }
        }
        let fen = if c[5].is_empty() {
            Some(0)
        } else {
            match parse_yuan(&c[5]) {
                Some(f) if f <= emis_domain::limits::MAX_FEN => Some(f),
                _ => {
                    check.refuse(
                        "奖金(元)",
                        format!(
                            "奖金“{}”无法识别，应为不超过{}元、最多两位小数的元数",
                            c[5],
                            emis_domain::limits::MAX_YUAN
                        ),
                    );
                    None
                }
            }
        };
        let (Some(title), Some(body), Some(on), Some(member), Some(fen)) =
            (title, body, on, member, fen)
        else {
            continue;
        };
        let key = (
            member.id_number.clone(),
            title.clone(),
            i64::from(on.year()),
        );
        if let Some(first) = seen.get(&key) {
            check.refuse(
                "身份证件号",
                format!("与第{first}行重复（同一教师同一年度同一荣誉称号）"),
            );
        }
        if check.failed {
            continue;
        }
        seen.insert(key, row.number);
        let township = roll
            .schools
            .get(&member.school_code)
            .map(|s| s.township_code.clone())
            .unwrap_or_default();
        rows.push(NewAward {
            id_number: member.id_number.clone(),
            name: member.name.clone(),
            school_code: member.school_code.clone(),
            township_code: township,
            title,
            granting_body: body,
            year: i64::from(on.year()),
            granted_on: Some(on.to_string()),
            fen,
            status: AwardStatus::Granted,
            merits: String::new(),
            conduct_flag: None,
        });
    }
    report.valid_rows = rows.len();
    let stored = store::award_keys(db, county).await?;
    let new: Vec<NewAward> = rows
        .into_iter()
        .filter(|a| !stored.contains(&(a.id_number.clone(), a.title.clone(), a.year)))
        .collect();
    report.inserted = new.len();
    report.unchanged = report.valid_rows - new.len();
    if !should_write(report, options) || new.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    store::insert_awards(&mut tx, county, &new, &run.actor.name).await?;
    super::commit_batch(tx, county, run.actor, "awards", run.source, report).await
}
