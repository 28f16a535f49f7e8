//! 公费定向师范生导入: 姓名, 身份证件号, 选拔年度, 生源, 培养院校, 定向学段; optional 定向学科,
//! 定向乡镇, 预计毕业年度 (default: 选拔年度 + 4 for 高中毕业, + 6 for 初中毕业), 服务年限
//! (default 6). Keyed by ID number: a stored trainee takes the row's values. Placement is
//! not imported: a staff row with 补充渠道 公费师范生 and the same ID number is the placement.

use super::{should_write, Changes, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::teachers::funded::DEFAULT_SERVICE_YEARS;
use emis_domain::teachers::{DirectedStage, TraineeSource};
use emis_io::Column;
use emis_storage::teachers::{self as store, NewTrainee};
use std::collections::HashMap;

pub const FUNDED_NORMAL_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("选拔年度").with_aliases(&["录取年度", "选拔年份"]),
    Column::required("生源").with_aliases(&["生源类别"]),
    Column::required("培养院校").with_aliases(&["就读院校", "培养学校"]),
    Column::required("定向学段"),
    Column::optional("定向学科"),
    Column::optional("定向乡镇"),
    Column::optional("预计毕业年度").with_aliases(&["毕业年度"]),
    Column::optional("服务年限"),
];

/// A year as written: 2021 or 2021年, within 2000–2100.
fn parse_year(raw: &str) -> Option<i64> {
    let text = emis_domain::text::fold_width(raw);
    let year: i64 = text.trim_end_matches('年').parse().ok()?;
    (2000..=2100).contains(&year).then_some(year)
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let townships = emis_storage::lists::townships(
        db,
        &emis_domain::access::Scope::County {
            county: county.to_string(),
        },
    )
    .await?;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("姓名", &c[0]).map(str::to_string);
        let id = check.id_number("身份证件号", &c[1]);
        let year = check.required_choice("选拔年度", &c[2], parse_year, || {
            "2000–2100 的年份，如 2021".into()
        });
        let source =
            check.required_choice("生源", &c[3], TraineeSource::parse, TraineeSource::choices);
        let institution = check.required("培养院校", &c[4]).map(str::to_string);
        let stage = check.required_choice(
            "定向学段",
            &c[5],
            DirectedStage::parse,
            DirectedStage::choices,
        );
        let township = if c[7].is_empty() {
            Some(None)
        } else {
            check.township("定向乡镇", &c[7], &townships).map(Some)
        };
        let graduation = if c[8].is_empty() {
            match (year, source) {
                (Some(y), Some(TraineeSource::SeniorGraduate)) => Some(y + 4),
                (Some(y), Some(TraineeSource::JuniorGraduate)) => Some(y + 6),
                _ => None,
            }
        } else {
            let parsed = parse_year(&c[8]);
            match (parsed, year) {
                (None, _) => {
                    check.refuse(
                        "预计毕业年度",
                        format!("预计毕业年度“{}”无法识别，应如 2025", c[8]),
                    );
                    None
                }
                (Some(g), Some(y)) if g <= y => {
                    check.refuse(
                        "预计毕业年度",
                        format!("预计毕业年度 {g} 不晚于选拔年度 {y}"),
                    );
                    None
                }
                (g, _) => g,
            }
        };
        let service = if c[9].is_empty() {
            Some(i64::from(DEFAULT_SERVICE_YEARS))
        } else {
            let parsed = emis_domain::text::fold_width(&c[9])
                .trim_end_matches('年')
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=15).contains(n));
            if parsed.is_none() {
                check.refuse("服务年限", format!("服务年限“{}”应为1–15的整数年", c[9]));
            }
            parsed
        };
        if let Some(id) = &id {
            if let Some(first) = seen.get(id.as_str()) {
                check.refuse("身份证件号", format!("与第{first}行重复"));
            }
        }
        if check.failed {
            continue;
        }
        let (
            Some(name),
            Some(id),
            Some(year),
            Some(source),
            Some(institution),
            Some(stage),
            Some(township),
            Some(graduation),
            Some(service),
        ) = (
            name,
            id,
            year,
            source,
            institution,
            stage,
            township,
            graduation,
            service,
        )
        else {
            continue;
        };
        seen.insert(id.as_str().to_string(), row.number);
        rows.push(NewTrainee {
            id_number: id.as_str().to_string(),
            name,
            selection_year: year,
            source,
            institution,
            stage,
            subject: Some(c[6].clone()).filter(|s| !s.is_empty()),
            township_code: township,
            expected_graduation: graduation,
            service_years: service,
        });
    }
    report.valid_rows = rows.len();
    let stored: HashMap<String, NewTrainee> = store::trainees(db, county)
        .await?
        .into_iter()
        .map(|t| {
            let key = t.id_number.clone();
            (
                key,
                NewTrainee {
                    id_number: t.id_number,
                    name: t.name,
                    selection_year: t.selection_year,
                    source: t.source,
                    institution: t.institution,
                    stage: t.stage,
                    subject: t.subject,
                    township_code: t.township_code,
                    expected_graduation: t.expected_graduation,
                    service_years: t.service_years,
                },
            )
        })
        .collect();
    let changes = Changes::sort(&rows, |r| stored.get(&r.id_number), report);
    if !should_write(report, options) || changes.write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let write: Vec<NewTrainee> = changes.write.iter().map(|r| (*r).clone()).collect();
    store::write_trainees(&mut tx, county, &write).await?;
    run.finish(
        tx,
        "funded_trainee",
        "funded_trainees",
        &changes.updates,
        |r| &r.id_number,
        report,
    )
    .await
}
