//! 校外培训机构导入: 机构名称, 统一社会信用代码 (GB 32100 check character), 类别, 所在乡镇;
//! optional 办学许可证号 (none: 无证), 状态 (default 正常), 状态日期 (required when 状态 is not
//! 正常), 举办者, 地址, 文号. Keyed by the credit code: a stored institution takes the row's
//! details, and a 状态 other than its stored one is recorded as a dated change (with the
//! 文号), so a file imported twice records nothing twice.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::double_reduction::{credit_code, InstitutionCategory, InstitutionStatus};
use emis_io::Column;
use emis_storage::double_reduction::{self as store, NewEvent, NewInstitution};
use std::collections::HashMap;

pub const INSTITUTION_COLUMNS: &[Column] = &[
    Column::required("机构名称").with_aliases(&["名称", "培训机构名称"]),
    Column::required("统一社会信用代码").with_aliases(&["信用代码", "社会信用代码"]),
    Column::required("类别").with_aliases(&["机构类别"]),
    Column::required("所在乡镇").with_aliases(&["乡镇"]),
    Column::optional("办学许可证号").with_aliases(&["许可证号", "办学许可证"]),
    Column::optional("状态"),
    Column::optional("状态日期").with_aliases(&["变更日期"]),
    Column::optional("举办者").with_aliases(&["法定代表人", "负责人"]),
    Column::optional("地址").with_aliases(&["办学地址"]),
    Column::optional("文号").with_aliases(&["处理文号", "文件号"]),
];

/// One valid row: the institution and the status it states (with its date and document).
struct Parsed {
    institution: NewInstitution,
    status: InstitutionStatus,
    on: Option<String>,
    document: Option<String>,
}

fn optional(text: &str) -> Option<String> {
    Some(text.to_string()).filter(|t| !t.is_empty() && t != "无")
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
        let name = check.required("机构名称", &c[0]).map(str::to_string);
        let code = match check.required("统一社会信用代码", &c[1]) {
            Some(raw) => match credit_code::parse(raw) {
                Ok(code) => Some(code),
                Err(e) => {
                    check.refuse("统一社会信用代码", e.to_string());
                    None
                }
            },
            None => None,
        };
        let category = check.required_choice(
            "类别",
            &c[2],
            InstitutionCategory::parse,
            InstitutionCategory::choices,
        );
        let township = check
            .required("所在乡镇", &c[3])
            .and_then(|raw| check.township("所在乡镇", raw, &townships));
        let status = check.optional_choice(
            "状态",
            &c[5],
            InstitutionStatus::Normal,
            InstitutionStatus::parse,
            InstitutionStatus::choices,
        );
        let on = check.optional_date("状态日期", &c[6]);
        if let (Some(s), Some(None)) = (status, on) {
            if s != InstitutionStatus::Normal {
                check.refuse("状态日期", format!("状态为“{s}”时状态日期不能为空"));
            }
        }
        if let Some(code) = &code {
            if let Some(first) = seen.get(code) {
                check.refuse("统一社会信用代码", format!("与第{first}行重复"));
            }
        }
        if check.failed {
            continue;
        }
        let (Some(name), Some(code), Some(category), Some(township), Some(status), Some(on)) =
            (name, code, category, township, status, on)
        else {
            continue;
        };
        seen.insert(code.clone(), row.number);
        rows.push(Parsed {
            institution: NewInstitution {
                name,
                credit_code: code,
                category,
                township_code: township,
                licence: optional(&c[4]),
                owner: optional(&c[7]),
                address: optional(&c[8]),
            },
            status,
            on: on.map(|d| d.to_string()),
            document: optional(&c[9]),
        });
    }
    report.valid_rows = rows.len();
    let stored: HashMap<String, store::InstitutionRow> = store::institutions(db, county)
        .await?
        .into_iter()
        .map(|i| (i.credit_code.clone(), i))
        .collect();
    let mut write = Vec::new();
    let mut changes = Vec::new();
    for r in &rows {
        let before = stored.get(&r.institution.credit_code);
        let status_changes = match before {
            None => r.status != InstitutionStatus::Normal,
            Some(b) => b.status != r.status,
        };
        let details_change = before.is_none_or(|b| {
            (
                &b.name,
                b.category,
                &b.township_code,
                &b.licence,
                &b.owner,
                &b.address,
            ) != (
                &r.institution.name,
                r.institution.category,
                &r.institution.township_code,
                &r.institution.licence,
                &r.institution.owner,
                &r.institution.address,
            )
        });
        match (before, status_changes || details_change) {
            (None, _) => report.inserted += 1,
            (Some(_), true) => report.updated += 1,
            (Some(_), false) => report.unchanged += 1,
        }
        if details_change || status_changes {
            write.push(r.institution.clone());
        }
        if status_changes {
            changes.push(r);
            if let Some(b) = before {
                report.notes.push(format!(
                    "{}：{} → {}（{}）",
                    b.name,
                    b.status,
                    r.status,
                    r.on.as_deref().unwrap_or("")
                ));
            }
        }
    }
    if !should_write(report, options) || write.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let ids = store::write_institutions(&mut tx, county, &write).await?;
    let events: Vec<NewEvent> = changes
        .iter()
        .filter_map(|r| {
            Some(NewEvent {
                institution_id: *ids.get(&r.institution.credit_code)?,
                status: r.status,
                happened_on: r.on.clone()?,
                document: r.document.clone(),
                note: None,
            })
        })
        .collect();
    store::record_events(&mut tx, county, &events, &run.actor.name).await?;
    super::commit_batch(tx, county, run.actor, "institutions", run.source, report).await
}
