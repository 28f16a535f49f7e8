//! 建设项目导入 (CONTRACTS.md `projects`): 项目名称, 项目类别, 年度, 本年投资(万元),
//! 开工日期; optional 学校标识码, 竣工日期, the four 新增学位 columns, 教室间数, 宿舍套数,
//! and 资金来源, 形象进度(%). A project spanning years has one row per year: its rows must
//! agree on everything but the year's money. Keyed by 项目名称, and a year's investment by
//! (project, 年度): a file imported twice changes nothing.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::limits::{check_fen, SHORT_TEXT};
use emis_domain::projects::{
    check_dates, check_quantity, parse_wan, Adds, Degrees, ProjectCategory,
};
use emis_io::Column;
use emis_storage::projects::{self as store, NewInvestment, NewProject};
use std::collections::HashMap;

pub const PROJECT_COLUMNS: &[Column] = &[
    Column::required("项目名称").with_aliases(&["项目"]),
    Column::required("项目类别").with_aliases(&["类别", "建设类别"]),
    Column::required("年度").with_aliases(&["投资年度"]),
    Column::required("本年投资(万元)").with_aliases(&["本年投资", "年度投资(万元)", "投资(万元)"]),
    Column::required("开工日期"),
    Column::optional("学校标识码"),
    Column::optional("竣工日期"),
    Column::optional("新增学位(义务教育)"),
    Column::optional("新增学位(普通高中)"),
    Column::optional("新增学位(中职)"),
    Column::optional("新增学位(公办学前)"),
    Column::optional("教室间数").with_aliases(&["新增教室", "教室数"]),
    Column::optional("宿舍套数").with_aliases(&["周转宿舍套数", "新增宿舍套数"]),
    Column::optional("资金来源"),
    Column::optional("形象进度(%)").with_aliases(&["形象进度", "进度(%)"]),
];

/// A project's places, rooms and units: at most this many in one row.
const MAX_ADDS: i64 = 100_000;

/// One valid row: the project and one year's money.
struct Parsed {
    row: u32,
    project: NewProject,
    year: i32,
    amount_fen: i64,
    source: Option<String>,
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, options) = (run.db, run.county, run.table, run.options);
    run.progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let mut rows: Vec<Parsed> = Vec::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut years: HashMap<(String, i32), u32> = HashMap::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("项目名称", &c[0]).map(str::to_string);
        let category = check.required_choice(
            "项目类别",
            &c[1],
            ProjectCategory::parse,
            ProjectCategory::choices,
        );
        let year = check
            .required("年度", &c[2])
            .and_then(|raw| check.number("年度", raw.trim_end_matches('年'), 2100))
            .and_then(|y| {
                let ok = (2000..=2100).contains(&y);
                if !ok {
                    check.refuse("年度", format!("年度“{}”应为2000–2100的年份", &c[2]));
                }
                ok.then_some(y as i32)
            });
        let amount = check.required("本年投资(万元)", &c[3]).and_then(|raw| {
            let fen = parse_wan(raw);
            match fen.map(|f| check_fen("本年投资", f)) {
                Some(Ok(())) => fen,
                Some(Err(reason)) => {
                    check.refuse("本年投资(万元)", reason);
                    None
                }
                None => {
                    check.refuse(
                        "本年投资(万元)",
                        format!("本年投资“{raw}”应为万元金额，如 3718 或 12.5"),
                    );
                    None
                }
            }
        });
        let started = check.required_date("开工日期", &c[4]);
        let school = if c[5].is_empty() {
            Some(None)
        } else {
            check
                .school(&c[5], &schools, options)
                .map(|s| Some(s.code.clone()))
        };
        let completed = check.optional_date("竣工日期", &c[6]);
        let mut quantity = |column: &str, raw: &str| -> Option<i64> {
            let n = check.optional_number(column, raw, MAX_ADDS)?.unwrap_or(0);
            match check_quantity(column, n) {
                Ok(()) => Some(n),
                Err(reason) => {
                    check.refuse(column, reason);
                    None
                }
            }
        };
        let compulsory = quantity("新增学位(义务教育)", &c[7]);
        let senior = quantity("新增学位(普通高中)", &c[8]);
        let vocational = quantity("新增学位(中职)", &c[9]);
        let preschool = quantity("新增学位(公办学前)", &c[10]);
        let classrooms = quantity("教室间数", &c[11]);
        let housing = quantity("宿舍套数", &c[12]);
        let source = Some(c[13].trim().to_string()).filter(|s| !s.is_empty());
        if let Some(s) = &source {
            if let Err(reason) = emis_domain::limits::check_len("资金来源", s, SHORT_TEXT) {
                check.refuse("资金来源", reason);
            }
        }
        let progress = check.optional_number("形象进度(%)", c[14].trim_end_matches('%'), 100);
        if let (Some(s), Some(done)) = (started, completed) {
            if let Err(reason) = check_dates(s, done) {
                check.refuse("竣工日期", reason);
            }
        }
        let (
            Some(name),
            Some(category),
            Some(year),
            Some(amount_fen),
            Some(started),
            Some(school_code),
            Some(completed),
            Some(compulsory),
            Some(senior),
            Some(vocational),
            Some(preschool_public),
            Some(classrooms),
            Some(housing_units),
            Some(progress),
        ) = (
            name, category, year, amount, started, school, completed, compulsory, senior,
            vocational, preschool, classrooms, housing, progress,
        )
        else {
            continue;
        };
        let project = NewProject {
            name: name.clone(),
            category,
            school_code,
            started_on: started.to_string(),
            completed_on: completed.map(|d| d.to_string()),
            // A completed project is built: its progress is 100 unless the row says.
            progress: progress.or(completed.map(|_| 100)),
            adds: Adds {
                degrees: Degrees {
                    compulsory,
                    senior,
                    vocational,
                    preschool_public,
                },
                classrooms,
                housing_units,
            },
        };
        if let Some(first) = years.get(&(name.clone(), year)) {
            check.refuse("年度", format!("与第{first}行重复（同一项目同一年度）"));
        }
        if let Some(&i) = first_of.get(&name) {
            if rows[i].project != project {
                check.refuse(
                    "项目名称",
                    format!(
                        "与第{}行同名项目的类别、学校、日期或新增数量不一致（同一项目各年度的这些信息须相同）",
                        rows[i].row
                    ),
                );
            }
        }
        if check.failed {
            continue;
        }
        years.insert((name.clone(), year), row.number);
        first_of.entry(name).or_insert(rows.len());
        rows.push(Parsed {
            row: row.number,
            project,
            year,
            amount_fen,
            source,
        });
    }
    report.valid_rows = rows.len();
    let stored: HashMap<String, store::ProjectRow> = store::projects(db, county)
        .await?
        .into_iter()
        .map(|p| (p.name.clone(), p))
        .collect();
    let stored_money: HashMap<(i64, i64), (i64, Option<String>)> = store::investments(db, county)
        .await?
        .into_iter()
        .map(|i| ((i.project_id, i.year), (i.amount_fen, i.source)))
        .collect();
    let mut projects: Vec<NewProject> = Vec::new();
    let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut money_changes = Vec::new();
    for r in &rows {
        let before = stored.get(&r.project.name);
        let details_change = before.is_none_or(|b| !r.project.same_as(b));
        let money_change = before.is_none_or(|b| {
            stored_money.get(&(b.id, i64::from(r.year))) != Some(&(r.amount_fen, r.source.clone()))
        });
        match (before, details_change || money_change) {
            (None, _) => report.inserted += 1,
            (Some(_), true) => report.updated += 1,
            (Some(_), false) => report.unchanged += 1,
        }
        // A project over several years is written once.
        if details_change && written.insert(&r.project.name) {
            projects.push(r.project.clone());
        }
        if money_change {
            money_changes.push(r);
        }
    }
    if !should_write(report, options) || (projects.is_empty() && money_changes.is_empty()) {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let ids = store::write_projects(&mut tx, county, &projects, &run.actor.name).await?;
    let money: Vec<NewInvestment> = money_changes
        .iter()
        .filter_map(|r| {
            Some(NewInvestment {
                project_id: *ids.get(&r.project.name)?,
                year: r.year,
                amount_fen: r.amount_fen,
                source: r.source.clone(),
            })
        })
        .collect();
    store::write_investments(&mut tx, county, &money, &run.actor.name).await?;
    super::commit_batch(tx, county, run.actor, "projects", run.source, report).await
}
