//! 教职工导入: 学校标识码, 姓名, 性别, 身份证件号, 岗位类别; optional 任教学科, 职称, 补充渠道, 入职日期.

use super::{should_write, Changes, ImportOptions, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::registry::{PostType, RecruitChannel, School, Sex, StaffRecord};
use emis_io::{Column, Table};
use emis_storage::registry;
use std::collections::HashMap;

pub const STAFF_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("姓名"),
    Column::required("性别"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("岗位类别").with_aliases(&["岗位类型"]),
    Column::optional("任教学科").with_aliases(&["任教学科(主)", "主要任教学科"]),
    Column::optional("职称").with_aliases(&["专业技术职务", "现任专业技术职务"]),
    Column::optional("补充渠道").with_aliases(&["补充来源", "进入本校方式"]),
    Column::optional("入职日期").with_aliases(&["进本校年月", "进本校日期", "入职时间"]),
];

fn optional_text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

fn parse_rows(
    table: &Table<'_>,
    schools: &HashMap<String, School>,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Vec<StaffRecord> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let school = check
            .school(&c[0], schools, options)
            .map(|s| s.code.clone());
        let name = check.required("姓名", &c[1]).map(str::to_string);
        let sex = check.required_choice("性别", &c[2], Sex::parse, Sex::choices);
        let id = check.id_number("身份证件号", &c[3]);
        check.sex_agrees(id.as_ref(), sex);
        if let Some(id) = &id {
            if let Some(first) = seen.get(id.as_str()) {
                check.refuse("身份证件号", format!("与第{first}行重复"));
            }
        }
        let post_type =
            check.required_choice("岗位类别", &c[4], PostType::parse, PostType::choices);
        let channel = check.optional_choice(
            "补充渠道",
            &c[7],
            None,
            |t| RecruitChannel::parse(t).map(Some),
            RecruitChannel::choices,
        );
        let start_date = check.optional_date("入职日期", &c[8]);
        if check.failed {
            continue;
        }
        let (
            Some(school_code),
            Some(name),
            Some(sex),
            Some(id),
            Some(post_type),
            Some(channel),
            Some(start_date),
        ) = (school, name, sex, id, post_type, channel, start_date)
        else {
            continue;
        };
        seen.insert(id.as_str().to_string(), row.number);
        out.push(StaffRecord {
            school_code,
            name,
            sex,
            id_number: id.as_str().to_string(),
            post_type,
            subject: optional_text(&c[5]),
            title: optional_text(&c[6]),
            channel,
            start_date,
        });
    }
    out
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (county, table, options) = (run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let records = parse_rows(table, &schools, options, report);
    report.valid_rows = records.len();
    let stored = registry::load_staff(run.db, county).await?;
    let changes = Changes::sort(&records, |r| stored.get(&r.id_number), report);
    if !should_write(report, options) || changes.write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(run.db, county, report).await?;
    registry::write_staff(&mut tx, county, &changes.write).await?;
    // A changed school is a move: the teacher's page lists them.
    let moves: Vec<(String, String, String)> = changes
        .updates
        .iter()
        .filter(|(old, new)| old.school_code != new.school_code)
        .map(|(old, new)| {
            (
                new.id_number.clone(),
                old.school_code.clone(),
                new.school_code.clone(),
            )
        })
        .collect();
    emis_storage::teachers::record_moves(&mut tx, county, &moves, run.source).await?;
    run.finish(
        tx,
        "staff",
        "staff",
        &changes.updates,
        |r| &r.id_number,
        report,
    )
    .await
}
