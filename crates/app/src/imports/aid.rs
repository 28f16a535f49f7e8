//! 资助发放导入: 身份证件号, 资助项目, 学期, 金额(元); optional 发放日期, 学校标识码.
//!
//! A payment's student need not be on the roll (funded while not on the roll is one of the
//! gaps the aid check lists). Re-importing a file changes nothing: each row is keyed by
//! its content and its occurrence in the file.

use super::{should_write, ImportOptions, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::aid::{parse_yuan, Policy};
use emis_domain::registry::School;
use emis_domain::term::Term;
use emis_io::{Column, Table};
use emis_storage::aid::{self as store, PaymentRow};
use std::collections::HashMap;

pub const AID_COLUMNS: &[Column] = &[
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("资助项目").with_aliases(&["资助项目名称", "资助类型", "项目名称"]),
    Column::required("学期").with_aliases(&["资助学期", "发放学期", "学年学期"]),
    Column::required("金额(元)").with_aliases(&[
        "金额（元）",
        "金额",
        "资助金额",
        "资助金额(元)",
        "发放金额(元)",
        "发放金额",
    ]),
    Column::optional("发放日期").with_aliases(&["发放时间"]),
    Column::optional("学校标识码").with_aliases(&["学校代码"]),
    Column::optional("身份证件类型").with_aliases(&["证件类型"]),
];

/// Finds a policy of the year by name or code.
fn find_policy<'p>(
    catalogs: &'p HashMap<i32, Vec<Policy>>,
    year: i32,
    raw: &str,
) -> Option<&'p Policy> {
    catalogs
        .get(&year)?
        .iter()
        .find(|p| p.name == raw || p.code == raw)
}

fn parse_rows(
    table: &Table<'_>,
    schools: &HashMap<String, School>,
    catalogs: &HashMap<i32, Vec<Policy>>,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Vec<PaymentRow> {
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        // A student with another document is paid under the same key as the registry's.
        let document = check.document_type(&c[6]);
        let id = check.person(document, &c[0], None).map(|p| p.key);
        let term = if c[2].is_empty() {
            match options.term {
                Some(t) => Some(t),
                None => {
                    check.refuse("学期", "学期不能为空（或用 --term 指定）");
                    None
                }
            }
        } else {
            check.required_choice("学期", &c[2], Term::parse, || {
                "2021-spring / 2021-autumn / 2021年春季学期".into()
            })
        };
        let policy = match (check.required("资助项目", &c[1]), term) {
            (Some(raw), Some(term)) => {
                // The national aid system may write the project as `code-label`.
                let found = emis_domain::national::read_coded("资助项目", raw, |v| {
                    find_policy(catalogs, term.year, v)
                })
                .ok();
                if found.is_none() {
                    let names: Vec<&str> = catalogs
                        .get(&term.year)
                        .map(|l| l.iter().map(|p| p.name.as_str()).collect())
                        .unwrap_or_default();
                    check.refuse(
                        "资助项目",
                        format!(
                            "资助项目“{raw}”不在{}年资助政策目录中{}",
                            term.year,
                            if names.is_empty() {
                                String::new()
                            } else {
                                format!("，应为 {}", names.join(" / "))
                            }
                        ),
                    );
                }
                found.map(|p| p.code.clone())
            }
            _ => None,
        };
        let fen = match check.required("金额(元)", &c[3]) {
            Some(raw) => {
                match parse_yuan(raw) {
                    Some(f) if f > emis_domain::limits::MAX_FEN => {
                        check.refuse(
                            "金额(元)",
                            format!("金额不能超过{}元", emis_domain::limits::MAX_YUAN),
                        );
                        None
                    }
                    Some(f) if f > 0 => Some(f),
                    _ => {
                        check.refuse(
                        "金额(元)",
                        format!("金额“{raw}”无法识别，应为大于0、最多两位小数的元数，如 625 或 312.50"),
                    );
                        None
                    }
                }
            }
            None => None,
        };
        let paid_on = check
            .optional_date("发放日期", &c[4])
            .map(|d| d.map(|d| d.to_string()));
        let scoped = options.scope.as_ref().is_some_and(|s| !s.is_county());
        let school = if c[5].is_empty() && scoped {
            // Outside the county office a payment must name its school, so the scope holds.
            check.refuse("学校标识码", "按学校或乡镇范围导入时，学校标识码不能为空");
            None
        } else if c[5].is_empty() {
            Some(None)
        } else {
            check
                .school(&c[5], schools, options)
                .map(|s| Some(s.code.clone()))
        };
        if check.failed {
            continue;
        }
        let (Some(id), Some(policy), Some(term), Some(fen), Some(paid_on), Some(school)) =
            (id, policy, term, fen, paid_on, school)
        else {
            continue;
        };
        let content = format!(
            "{}|{}|{}|{}|{}|{}",
            id.as_str(),
            policy,
            term.code(),
            fen,
            paid_on.as_deref().unwrap_or(""),
            school.as_deref().unwrap_or("")
        );
        let n = occurrences.entry(content.clone()).or_default();
        *n += 1;
        out.push(PaymentRow {
            row_key: format!("{content}#{n}"),
            id_number: id.as_str().to_string(),
            policy,
            term: term.code(),
            fen,
            paid_on,
            school_code: school,
            batch_id: None,
        });
    }
    out
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, source) = (run.db, run.county, run.table, run.source);
    let (options, actor, progress) = (run.options, run.actor, run.progress);
    progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let mut catalogs: HashMap<i32, Vec<Policy>> = HashMap::new();
    for year in table
        .rows
        .iter()
        .filter_map(|r| Term::parse(&r.cells[2]).map(|t| t.year))
        .chain(options.term.map(|t| t.year))
    {
        if let std::collections::hash_map::Entry::Vacant(e) = catalogs.entry(year) {
            e.insert(crate::aid::catalog(db, county, year).await?);
        }
    }
    let rows = parse_rows(table, &schools, &catalogs, options, report);
    report.valid_rows = rows.len();
    let stored = store::payment_keys(db, county).await?;
    let new: Vec<PaymentRow> = rows
        .into_iter()
        .filter(|r| !stored.contains(&r.row_key))
        .collect();
    report.inserted = new.len();
    report.unchanged = report.valid_rows - new.len();
    if !should_write(report, options) || new.is_empty() {
        return Ok(());
    }
    let batch_changes = crate::aid::batch_status_changes(db, county, &new).await?;
    let mut tx = super::begin_write(db, county, report).await?;
    store::insert_payments(&mut tx, county, &new, source).await?;
    crate::aid::write_batch_statuses(&mut tx, county, &batch_changes, actor).await?;
    for c in &batch_changes {
        report.notes.push(format!(
            "发放批次 {} 状态：{} → {}",
            c.id, c.before, c.after
        ));
    }
    super::commit_batch(tx, county, actor, "aid_payments", source, report).await?;
    Ok(())
}
