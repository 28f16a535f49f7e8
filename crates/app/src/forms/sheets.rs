//! 填报表格: the sheet to fill offline, one row per respondent of the account's scope with
//! what is already known set (answers so far, else the prefilled values; locked columns
//! marked in their header), and the filled sheet taken back under the import rules: every
//! bad cell named by row, column and reason (a changed locked cell too), all or nothing,
//! and the same file twice changes nothing.

use super::{assignments, definitions, prefill, Definition, TaskRow, TaskStatus};
use crate::auth::Account;
use crate::imports::{ImportReport, Problem};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::forms::{self as rules, check_answers, Answers, Field};
use emis_io::Column;
use emis_storage::audit::Entry;
use emis_storage::{forms as store, Db};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const CODE: &str = "填报单位代码";
const NAME: &str = "填报单位";
/// Marks a locked column's header: the registry fills it, the sheet may not change it.
const LOCKED: &str = "（系统预填，不可修改）";

/// A field's column header: its label, its unit, and the lock mark.
fn header(f: &Field) -> String {
    let mut h = f.label.clone();
    if let Some(unit) = &f.unit {
        h.push_str(&format!("（{unit}）"));
    }
    if f.locked {
        h.push_str(LOCKED);
    }
    h
}

/// The assignment of a form for a period, with the version it was sent as.
async fn assignment_and_form(
    db: &Db,
    county: &str,
    code: &str,
    period: &str,
) -> Result<(store::AssignmentRow, Definition)> {
    let a = store::assignment_of(db, county, code, period)
        .await?
        .ok_or_else(|| AppError::Refused(format!("报表“{code}”没有下发过{period}的填报")))?;
    let def = definitions::stored(db, county, &a.code, a.version).await?;
    Ok((a, def))
}

/// Writes the sheet to fill (xlsx, or csv by extension); `school` narrows it to one
/// respondent. Returns how many rows were written.
pub async fn write_template(
    db: &Db,
    account: &Account,
    code: &str,
    period: &str,
    respondent: Option<&str>,
    path: &Path,
) -> Result<u64> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let (a, def) = assignment_and_form(db, county, code, period).await?;
    let status = assignments::status(db, account, a.id, NaiveDate::MIN).await?;
    let tasks: HashMap<String, TaskRow> = store::tasks_of(db, county, a.id)
        .await?
        .into_iter()
        .map(|t| (t.respondent.clone(), t))
        .collect();
    let period_read = def.period.read(&a.period).map_err(AppError::Refused)?;
    let prefilled = prefill::prefills(db, county, &def, period_read).await?;
    let mut lines: Vec<&assignments::RespondentLine> = status
        .respondents
        .iter()
        .filter(|r| respondent.is_none_or(|c| c == r.respondent))
        .collect();
    lines.sort_by(|x, y| x.respondent.cmp(&y.respondent));
    if lines.is_empty() {
        return Err(AppError::Refused(
            "没有可填报的单位（不在下发范围或不在您的管理范围内）".into(),
        ));
    }
    let rows = lines.iter().map(|r| {
        let answers: Answers = tasks
            .get(&r.respondent)
            .and_then(|t| serde_json::from_str(&t.answers_json).ok())
            .unwrap_or_default();
        let mut row = vec![r.respondent.clone(), r.name.clone()];
        row.extend(def.fields.iter().map(|f| {
            answers.get(&f.code).cloned().unwrap_or_else(|| {
                prefilled
                    .get(&r.respondent)
                    .and_then(|p| p.get(&f.code))
                    .map(|a| a.canonical())
                    .unwrap_or_default()
            })
        }));
        row
    });
    let headers: Vec<String> = [CODE.to_string(), NAME.to_string()]
        .into_iter()
        .chain(def.fields.iter().map(header))
        .collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    Ok(emis_io::write_sheet(path, &def.title, &names, rows)?)
}

/// Takes a filled sheet back: each row is its respondent's submission. With
/// `skip_invalid` the good rows are written and the bad ones listed; otherwise any bad row
/// refuses the whole sheet. Rows equal to what is submitted already change nothing.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    db: &Db,
    account: &Account,
    code: &str,
    period: &str,
    path: &Path,
    skip_invalid: bool,
    source: &str,
    today: NaiveDate,
) -> Result<ImportReport> {
    crate::require(account.role, Permission::FillForms)?;
    let county = account.county();
    let (a, def) = assignment_and_form(db, county, code, period).await?;
    let headers: Vec<String> = def.fields.iter().map(header).collect();
    let mut spec: Vec<Column<'_>> = vec![Column::required(CODE), Column::optional(NAME)];
    spec.extend(headers.iter().map(|h| Column::optional(h)));
    let table = emis_io::read_table(path, &spec)?;
    let period_read = def.period.read(&a.period).map_err(AppError::Refused)?;
    let prefilled = prefill::prefills(db, county, &def, period_read).await?;
    // The tasks the account may fill: its scope's respondents of this assignment.
    let status = assignments::status(db, account, a.id, today).await?;
    let in_scope: HashMap<&str, i64> = status
        .respondents
        .iter()
        .map(|r| (r.respondent.as_str(), r.task_id))
        .collect();
    let tasks: HashMap<String, TaskRow> = store::tasks_of(db, county, a.id)
        .await?
        .into_iter()
        .map(|t| (t.respondent.clone(), t))
        .collect();
    let mut report = ImportReport {
        rows: table.rows.len(),
        ..ImportReport::default()
    };
    for (row, column, reason) in &table.cell_issues {
        report.problems.push(Problem {
            row: *row,
            column: column.to_string(),
            reason: reason.clone(),
        });
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut accepted: Vec<(TaskRow, Answers)> = Vec::new();
    for r in &table.rows {
        let problem = |column: &str, reason: String| Problem {
            row: r.number,
            column: column.to_string(),
            reason,
        };
        let respondent = r.cells[0].trim().to_string();
        let Some(task) = in_scope
            .get(respondent.as_str())
            .and_then(|_| tasks.get(&respondent))
        else {
            report.problems.push(problem(
                CODE,
                format!("“{respondent}”不是本次下发、您管理范围内的填报单位"),
            ));
            continue;
        };
        if let Some(first) = seen.insert(respondent.clone(), r.number) {
            report
                .problems
                .push(problem(CODE, format!("与第{first}行是同一填报单位")));
            continue;
        }
        let raw: BTreeMap<String, String> = def
            .fields
            .iter()
            .zip(&r.cells[2..])
            .map(|(f, v)| (f.code.clone(), v.clone()))
            .collect();
        let none = BTreeMap::new();
        let own_prefill = prefilled.get(&respondent).unwrap_or(&none);
        match check_answers(&def, &raw, own_prefill, true) {
            Err(refusals) => {
                for refusal in refusals {
                    let column = def
                        .fields
                        .iter()
                        .position(|f| f.code == refusal.field)
                        .map_or(CODE.to_string(), |i| headers[i].clone());
                    report.problems.push(problem(&column, refusal.reason));
                }
            }
            Ok(answers) => {
                let stored: Answers = serde_json::from_str(&task.answers_json).unwrap_or_default();
                if task.status == TaskStatus::Submitted && stored == answers {
                    report.unchanged += 1;
                } else if let Err(reason) = rules::step(task.status, rules::Step::Submit) {
                    report.problems.push(problem(CODE, reason));
                } else {
                    accepted.push((task.clone(), answers));
                }
            }
        }
    }
    report.valid_rows = accepted.len() + report.unchanged;
    if !report.problems.is_empty() && !skip_invalid {
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    for (task, answers) in &accepted {
        let after = TaskRow {
            status: TaskStatus::Submitted,
            answers_json: serde_json::to_string(answers).unwrap_or_else(|_| "{}".into()),
            submitted_on: Some(today.to_string()),
            submitted_by: Some(account.username.clone()),
            ..task.clone()
        };
        store::save_task(&mut tx, &after).await?;
        Entry::new(county, "form_import", "form_task", &task.id.to_string())
            .before(Some(task.answers_json.clone()))
            .after(Some(after.answers_json.clone()))
            .record(&mut tx, &account.actor(source))
            .await?;
    }
    emis_storage::commit(tx).await?;
    report.updated = accepted.len();
    report.committed = true;
    Ok(report)
}
