//! 填报: a respondent's tasks, a task opened with its prefilled values, a draft saved, a
//! response submitted (every field read against the definition; refusals by field), and
//! the bureau sending a response back with a comment. Every step is audited.

use super::{definitions, prefill, Definition, TaskRow, TaskStatus};
use crate::auth::Account;
use crate::fields::invalid;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::forms::{self as rules, check_answers, Answers, RespondentKind, Step};
use emis_storage::audit::Entry;
use emis_storage::{forms as store, Db};
use std::collections::BTreeMap;

/// Whether a task's respondent is the account's own org unit (or in the bureau's county).
fn own(account: &Account, respondent: &str, township_of: Option<&str>) -> bool {
    match &account.scope {
        Scope::County { .. } => true,
        Scope::Township { township, .. } => {
            respondent == township || township_of == Some(township.as_str())
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => school == respondent,
        Scope::Region { .. } => false,
    }
}

/// The task if the account's scope reaches its respondent, else `NotFound`.
pub async fn visible_task(db: &Db, account: &Account, id: i64) -> Result<TaskRow> {
    let task = store::task(db, account.county(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let township = emis_storage::registry::schools(db, account.county())
        .await?
        .into_iter()
        .find(|s| s.code == task.respondent)
        .map(|s| s.township_code);
    if own(account, &task.respondent, township.as_deref()) {
        Ok(task)
    } else {
        Err(AppError::NotFound)
    }
}

/// A task as the respondent's list shows it.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TaskLine {
    pub task: TaskRow,
    pub period_label: String,
    pub overdue: bool,
}

/// The tasks of the account's own org unit (a school's, or a township office's own),
/// those still to do first.
pub async fn my_tasks(db: &Db, account: &Account, today: NaiveDate) -> Result<Vec<TaskLine>> {
    let own = match &account.scope {
        Scope::School { school, .. } | Scope::Class { school, .. } => school.clone(),
        Scope::Township { township, .. } => township.clone(),
        Scope::County { .. } | Scope::Region { .. } => return Ok(Vec::new()),
    };
    let mut lines: Vec<TaskLine> = store::tasks_of_respondent(db, account.county(), &own)
        .await?
        .into_iter()
        .map(|t| line(t, today))
        .collect();
    lines.sort_by_key(|l| (l.task.status == TaskStatus::Submitted, !l.overdue));
    Ok(lines)
}

/// The reminder on a respondent's home: tasks not yet submitted, and how many are overdue.
pub async fn todo(db: &Db, account: &Account, today: NaiveDate) -> Result<(usize, usize)> {
    let open: Vec<TaskLine> = my_tasks(db, account, today)
        .await?
        .into_iter()
        .filter(|l| l.task.status != TaskStatus::Submitted)
        .collect();
    Ok((open.len(), open.iter().filter(|l| l.overdue).count()))
}

fn line(task: TaskRow, today: NaiveDate) -> TaskLine {
    let due = task
        .due_on
        .as_deref()
        .and_then(emis_domain::dates::parse_date);
    TaskLine {
        overdue: rules::is_overdue(task.status, due, today),
        period_label: period_label(&task),
        task,
    }
}

fn period_label(task: &TaskRow) -> String {
    // Every stored period was read by its kind when assigned.
    [
        rules::PeriodKind::Month,
        rules::PeriodKind::Term,
        rules::PeriodKind::Year,
    ]
    .iter()
    .find_map(|k| k.read(&task.period).ok())
    .map(|p| p.label())
    .unwrap_or_else(|| task.period.clone())
}

/// A task opened: its form (the version it was sent as), the answers so far, and what was
/// prefilled.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TaskView {
    pub task: TaskRow,
    pub period_label: String,
    pub respondent_name: String,
    pub definition: Definition,
    pub answers: Answers,
    /// Prefilled values by field code, as text.
    pub prefilled: BTreeMap<String, String>,
    pub overdue: bool,
}

pub async fn open(db: &Db, account: &Account, id: i64, today: NaiveDate) -> Result<TaskView> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let task = visible_task(db, account, id).await?;
    let county = account.county();
    let definition = definitions::stored(db, county, &task.code, task.version).await?;
    let prefilled = prefilled_of(db, county, &definition, &task).await?;
    let answers: Answers = serde_json::from_str(&task.answers_json).unwrap_or_default();
    let respondent_name = super::respondents(db, county, definition.respondent)
        .await?
        .into_iter()
        .find(|(code, _)| *code == task.respondent)
        .map(|(_, name)| name)
        .unwrap_or_default();
    let line = line(task, today);
    Ok(TaskView {
        prefilled: prefilled
            .iter()
            .map(|(k, v)| (k.clone(), v.canonical()))
            .collect(),
        task: line.task,
        period_label: line.period_label,
        overdue: line.overdue,
        respondent_name,
        definition,
        answers,
    })
}

async fn prefilled_of(
    db: &Db,
    county: &str,
    def: &Definition,
    task: &TaskRow,
) -> Result<super::Prefilled> {
    let period = def.period.read(&task.period).map_err(AppError::Refused)?;
    Ok(prefill::prefills(db, county, def, period)
        .await?
        .remove(&task.respondent)
        .unwrap_or_default())
}

/// Saves the answers (raw text by field code) as a draft, or submits them. A submission is
/// read in full (required fields, locks, checks) and refused field by field with
/// `AppError::Answers`; nothing is written then.
pub async fn save(
    db: &Db,
    account: &Account,
    id: i64,
    raw: &BTreeMap<String, String>,
    submit: bool,
    source: &str,
    today: NaiveDate,
) -> Result<TaskStatus> {
    crate::require(account.role, Permission::FillForms)?;
    let before = visible_task(db, account, id).await?;
    let county = account.county();
    let def = definitions::stored(db, county, &before.code, before.version).await?;
    if def.respondent == RespondentKind::Township
        && matches!(account.scope, Scope::School { .. } | Scope::Class { .. })
    {
        return Err(AppError::Forbidden);
    }
    let step_taken = if submit {
        Step::Submit
    } else {
        Step::SaveDraft
    };
    let status = rules::step(before.status, step_taken).map_err(|m| invalid("status", m))?;
    let prefilled = prefilled_of(db, county, &def, &before).await?;
    let answers = check_answers(&def, raw, &prefilled, submit).map_err(AppError::Answers)?;
    let after = TaskRow {
        status,
        answers_json: serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into()),
        submitted_on: submit
            .then(|| today.to_string())
            .or(before.submitted_on.clone()),
        submitted_by: if submit {
            Some(account.username.clone())
        } else {
            before.submitted_by.clone()
        },
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::save_task(&mut tx, &after).await?;
    let action = if submit { "form_submit" } else { "form_draft" };
    Entry::new(county, action, "form_task", &id.to_string())
        .before(Some(before.answers_json.clone()))
        .after(Some(after.answers_json.clone()))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(status)
}

/// The bureau sends a submitted response back with a comment; the respondent edits and
/// submits again.
pub async fn send_back(
    db: &Db,
    account: &Account,
    id: i64,
    comment: &str,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepForms)?;
    let before = visible_task(db, account, id).await?;
    let comment = crate::fields::required_text("comment", "退回意见", comment, 500)?;
    let status = rules::step(before.status, Step::SendBack).map_err(|m| invalid("status", m))?;
    let after = TaskRow {
        status,
        comment: Some(comment.to_string()),
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::save_task(&mut tx, &after).await?;
    Entry::new(
        account.county(),
        "form_send_back",
        "form_task",
        &id.to_string(),
    )
    .after_json(&serde_json::json!({"comment": comment}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
