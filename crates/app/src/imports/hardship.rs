//! 家庭经济困难认定导入: 身份证件号, 困难类型, 证书编号; optional 姓名, and for a student
//! without a mainland ID card 身份证件类型 (and 学籍辅号 for `Z-其他` without a number).
//!
//! Sets the student's hardship type in the registry (which eligibility reads) and keeps
//! the certificate number (建档立卡/脱贫, 低保, 特困供养, 孤儿, 残疾 — masked like ID
//! numbers when shown). The student must be in the registry and, for a scoped import,
//! on the roll of a school in the account's scope. All-or-nothing; re-importing a file
//! changes nothing.

use super::{should_write, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::registry::Hardship;
use emis_io::{Column, Table};
use emis_storage::{aid as store, registry, Db};
use std::collections::HashMap;

pub const HARDSHIP_COLUMNS: &[Column] = &[
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("困难类型").with_aliases(&["家庭经济困难类型", "困难类别"]),
    Column::optional("证书编号").with_aliases(&["证明编号", "证件编号", "残疾证号"]),
    Column::optional("姓名"),
    Column::optional("身份证件类型").with_aliases(&["证件类型"]),
    Column::optional("学籍辅号"),
];

/// Precedence over the students import: a hardship type set by this import carries a
/// certificate, so a students sheet whose 家庭经济困难类型 cell is empty keeps it (noted
/// in the report); a sheet that states another type wins, with a warning naming the row
/// (the student's update is audited with the type before). Adjusts `records` in place.
pub(super) async fn keep_certified(
    db: &Db,
    county: &str,
    table: &Table<'_>,
    stored: &HashMap<String, emis_storage::roll::StoredIdentity>,
    records: &mut [(u32, emis_domain::registry::StudentRecord)],
    report: &mut ImportReport,
) -> Result<()> {
    const COLUMN: usize = 10;
    let unstated: std::collections::HashSet<u32> = table
        .rows
        .iter()
        .filter(|r| r.cells.get(COLUMN).is_none_or(|c| c.trim().is_empty()))
        .map(|r| r.number)
        .collect();
    let evidence = store::all_evidence(db, county).await?;
    let mut kept = 0;
    for (row, record) in records.iter_mut() {
        let Some(before) = stored.get(&record.id_number) else {
            continue;
        };
        let before_hardship = before.field("hardship").unwrap_or_default();
        let certified =
            evidence.contains_key(&(record.id_number.clone(), before_hardship.to_string()));
        if !certified || before_hardship == record.hardship.label() {
            continue;
        }
        if unstated.contains(row) {
            record.hardship = Hardship::parse(before_hardship).unwrap_or(record.hardship);
            kept += 1;
        } else {
            report.warnings.push(super::Problem {
                row: *row,
                column: "家庭经济困难类型".into(),
                reason: format!(
                    "该学生的困难认定“{}”有证书，本次改为“{}”；请核实（变更已记入审计日志）",
                    before_hardship,
                    record.hardship.label()
                ),
            });
        }
    }
    if kept > 0 {
        report.notes.push(format!(
            "{kept}名学生的家庭经济困难类型未填，保留已有证书的困难认定"
        ));
    }
    Ok(())
}

/// Whether a hardship type is proven by a certificate (其他困难 and 无 are not).
fn needs_certificate(h: Hardship) -> bool {
    !matches!(h, Hardship::None | Hardship::Other)
}

struct Row {
    id_number: String,
    hardship: Hardship,
    certificate: Option<String>,
}

pub(super) async fn run(run: &Run<'_>, report: &mut ImportReport) -> Result<()> {
    let (db, county, table, source) = (run.db, run.county, run.table, run.source);
    let (options, actor, progress) = (run.options, run.actor, run.progress);
    progress.stage("校验", table.rows.len() as u64);
    let students = registry::load_students(db, county).await?;
    // For a scoped import: the school of each student on the latest roll.
    let scope = options.scope.as_ref().filter(|s| !s.is_county());
    let mut school_of: HashMap<String, (String, String)> = HashMap::new();
    if scope.is_some() {
        let schools: HashMap<String, String> = registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.township_code))
            .collect();
        if let Some(term) = registry::latest_term(db, county).await? {
            for (id, e) in registry::load_enrollments(db, county, &term).await? {
                let township = schools.get(&e.school_code).cloned().unwrap_or_default();
                school_of.insert(id, (e.school_code, township));
            }
        }
    }
    let mut first_row: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        // A student with another document is named by the same key as in the registry.
        let document = check.document_type(&c[4]);
        let aux_no = Some(c[5].trim()).filter(|a| !a.is_empty());
        let id = check.person(document, &c[0], aux_no).map(|p| p.key);
        let hardship = check.required_choice("困难类型", &c[1], Hardship::parse, Hardship::choices);
        let certificate = emis_domain::text::fold_width(c[2].trim()).to_uppercase();
        if let Some(h) = hardship {
            if needs_certificate(h) && certificate.is_empty() {
                check.refuse("证书编号", format!("{}须填写认定证书编号", h.label()));
            } else if !certificate.is_empty()
                && (certificate.chars().count() > 40
                    || !certificate
                        .chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-'))
            {
                check.refuse(
                    "证书编号",
                    format!("证书编号“{}”应为不超过40位的字母、数字或连字符", c[2]),
                );
            }
        }
        if let Some(id) = &id {
            match students.get(id) {
                None => check.refuse(
                    "身份证件号",
                    format!(
                        "身份证件号 {} 不在学籍中（请先导入学生）",
                        emis_domain::identity::mask_id(id)
                    ),
                ),
                Some(s) => {
                    if !c[3].is_empty() && c[3].trim() != s.name {
                        check.refuse(
                            "姓名",
                            format!("姓名“{}”与学籍中的姓名“{}”不一致", c[3].trim(), s.name),
                        );
                    }
                    if let Some(scope) = scope {
                        let admitted = school_of.get(id).is_some_and(|(school, township)| {
                            scope.admits_school(school, township)
                        });
                        if !admitted {
                            check.refuse("身份证件号", "该学生不在您管理范围内学校的在籍名单中");
                        }
                    }
                }
            }
            if let Some(first) = first_row.insert(id.clone(), row.number) {
                check.refuse("身份证件号", format!("与第{first}行是同一学生"));
            }
        }
        if check.failed {
            continue;
        }
        if let (Some(id), Some(hardship)) = (id, hardship) {
            rows.push(Row {
                id_number: id,
                hardship,
                certificate: (!certificate.is_empty()).then_some(certificate),
            });
        }
    }
    report.valid_rows = rows.len();
    let stored_evidence = store::all_evidence(db, county).await?;
    let changed: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            let same_type = students
                .get(&r.id_number)
                .is_some_and(|s| s.hardship == r.hardship.label());
            let same_certificate = match &r.certificate {
                None => true,
                Some(no) => stored_evidence
                    .get(&(r.id_number.clone(), r.hardship.label().to_string()))
                    .is_some_and(|stored| stored == no),
            };
            !(same_type && same_certificate)
        })
        .collect();
    report.updated = changed.len();
    report.unchanged = report.valid_rows - changed.len();
    if !should_write(report, options) || changed.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(db, county, report).await?;
    let types: Vec<(String, String)> = changed
        .iter()
        .map(|r| (r.id_number.clone(), r.hardship.label().to_string()))
        .collect();
    store::set_hardship(&mut tx, county, &types).await?;
    let evidence: Vec<(String, String, String)> = changed
        .iter()
        .filter_map(|r| {
            r.certificate
                .clone()
                .map(|no| (r.id_number.clone(), r.hardship.label().to_string(), no))
        })
        .collect();
    store::write_evidence(&mut tx, county, &evidence).await?;
    super::commit_batch(tx, county, actor, "aid_evidence", source, report).await?;
    Ok(())
}
