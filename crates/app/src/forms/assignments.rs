//! 下发与完成情况: a form sent for a period to every school or township office (one task
//! each, with a due date), and how far the respondents are, by township and one by one.

use super::{definitions, respondents, AssignmentRow, Completeness, TaskRow, TaskStatus};
use crate::auth::Account;
use crate::fields::invalid;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::forms::{self as rules, RespondentKind};
use emis_storage::audit::Entry;
use emis_storage::{forms as store, Db};
use std::collections::{BTreeMap, HashMap};

/// What the officer fills in to send a form out.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct SendForm {
    pub code: String,
    /// `2021`, `2021-autumn`, `2021-09` as the form's period kind asks.
    pub period: String,
    /// 截止日期 (optional).
    pub due_on: String,
    /// A chosen list of respondents (school or township codes, one a line or separated by
    /// 、 or commas); every school or township office when empty.
    pub respondents: String,
}

/// Sends the form's latest version for a period to all its respondents. Sending the same
/// form for the same period twice is refused (the first assignment stands).
pub async fn assign(db: &Db, account: &Account, form: &SendForm, source: &str) -> Result<i64> {
    crate::require(account.role, Permission::KeepForms)?;
    let county = account.county();
    let Some((version, def)) = definitions::latest(db, county, form.code.trim()).await? else {
        return Err(invalid(
            "code",
            format!("没有代码为“{}”的报表", form.code.trim()),
        ));
    };
    let period = def
        .period
        .read(&form.period)
        .map_err(|reason| invalid("period", reason))?;
    let due = match form.due_on.trim() {
        "" => None,
        raw => Some(emis_domain::dates::parse_date(raw).ok_or_else(|| {
            invalid(
                "due_on",
                format!("截止日期“{raw}”无法识别，应如 2021-10-15"),
            )
        })?),
    };
    if store::assignment_of(db, county, &def.code, &period.code())
        .await?
        .is_some()
    {
        return Err(invalid(
            "period",
            format!("“{}”{}已经下发过", def.title, period.label()),
        ));
    }
    let all: Vec<String> = respondents(db, county, def.respondent)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    let chosen: Vec<String> = form
        .respondents
        .split(['\n', '、', ',', '，', ' '])
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if let Some(unknown) = chosen.iter().find(|c| !all.contains(c)) {
        return Err(invalid(
            "respondents",
            format!("“{unknown}”不是本县的{}代码", def.respondent.label()),
        ));
    }
    let mut to = if chosen.is_empty() { all } else { chosen };
    to.sort();
    to.dedup();
    if to.is_empty() {
        return Err(AppError::Refused("本县还没有可以下发的填报单位".into()));
    }
    let due_text = due.map(|d| d.to_string());
    let mut tx = db.begin().await?;
    let id = store::insert_assignment(
        &mut tx,
        county,
        &def.code,
        version,
        &period.code(),
        due_text.as_deref(),
        &to,
        &account.username,
    )
    .await?;
    Entry::new(county, "form_assign", "form_assignment", &id.to_string())
        .after_json(&serde_json::json!({
            "code": def.code, "version": version, "period": period.code(),
            "due_on": due_text, "respondents": to.len(),
        }))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// 催报: reminds every respondent that has not submitted (shown on their home and task
/// list), audited. Returns how many were reminded.
pub async fn remind(
    db: &Db,
    account: &Account,
    id: i64,
    today: NaiveDate,
    source: &str,
) -> Result<u64> {
    crate::require(account.role, Permission::KeepForms)?;
    visible_assignment(db, account, id).await?;
    let mut tx = db.begin().await?;
    let n = store::remind(&mut tx, id, &today.to_string()).await?;
    Entry::new(
        account.county(),
        "form_remind",
        "form_assignment",
        &id.to_string(),
    )
    .after_json(&serde_json::json!({"reminded": n, "on": today.to_string()}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(n)
}

/// The assignment if the account may see it (every assignment for the bureau; a township
/// or a school sees the ones it has tasks in, through their tasks).
pub async fn visible_assignment(db: &Db, account: &Account, id: i64) -> Result<AssignmentRow> {
    store::assignment(db, account.county(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every assignment of the county with its completeness, newest first.
pub async fn list(
    db: &Db,
    account: &Account,
    today: NaiveDate,
) -> Result<Vec<(AssignmentRow, Completeness)>> {
    crate::require(account.role, Permission::KeepForms)?;
    let mut out = Vec::new();
    for a in store::assignments(db, account.county()).await? {
        let tasks = store::tasks_of(db, account.county(), a.id).await?;
        let c = completeness(&a, &tasks, today);
        out.push((a, c));
    }
    Ok(out)
}

fn completeness(a: &AssignmentRow, tasks: &[TaskRow], today: NaiveDate) -> Completeness {
    let due = a.due_on.as_deref().and_then(emis_domain::dates::parse_date);
    Completeness::of(tasks.iter().map(|t| (t.status, due)), today)
}

/// One respondent's line on the completeness page.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RespondentLine {
    pub task_id: i64,
    pub respondent: String,
    pub name: String,
    pub township: String,
    pub status: TaskStatus,
    pub overdue: bool,
    /// Submitted after the due date.
    pub late: bool,
    pub submitted_on: Option<String>,
    pub comment: Option<String>,
}

/// An assignment's completeness: overall, by township, and every respondent of the
/// account's scope (late and missing first).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StatusPicture {
    pub assignment: AssignmentRow,
    pub respondent_kind: RespondentKind,
    pub overall: Completeness,
    /// (township name, completeness) in the county's township order.
    pub by_township: Vec<(String, Completeness)>,
    pub respondents: Vec<RespondentLine>,
}

pub async fn status(
    db: &Db,
    account: &Account,
    id: i64,
    today: NaiveDate,
) -> Result<StatusPicture> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let assignment = visible_assignment(db, account, id).await?;
    let def = definitions::stored(db, county, &assignment.code, assignment.version).await?;
    let schools = emis_storage::registry::schools(db, county).await?;
    let townships = emis_domain::divisions::county(county)
        .map(|c| c.townships.to_vec())
        .unwrap_or_default();
    let township_name = |code: &str| {
        townships
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.name.to_string())
            .unwrap_or_default()
    };
    // Each respondent's name and township code.
    let place: HashMap<String, (String, String)> = match def.respondent {
        RespondentKind::School => schools
            .iter()
            .map(|s| (s.code.clone(), (s.name.clone(), s.township_code.clone())))
            .collect(),
        RespondentKind::Township => townships
            .iter()
            .map(|t| (t.code.to_string(), (t.name.to_string(), t.code.to_string())))
            .collect(),
    };
    let admits = |respondent: &str, township: &str| match &account.scope {
        Scope::County { .. } => true,
        Scope::Township { township: own, .. } => own == township,
        Scope::School { school, .. } | Scope::Class { school, .. } => school == respondent,
        Scope::Region { .. } => false,
    };
    let due = assignment
        .due_on
        .as_deref()
        .and_then(emis_domain::dates::parse_date);
    let tasks = store::tasks_of(db, county, id).await?;
    let mut lines: Vec<RespondentLine> = tasks
        .iter()
        .filter_map(|t| {
            let (name, township) = place.get(&t.respondent).cloned().unwrap_or_default();
            admits(&t.respondent, &township).then(|| RespondentLine {
                task_id: t.id,
                respondent: t.respondent.clone(),
                name,
                township: township_name(&township),
                status: t.status,
                overdue: rules::is_overdue(t.status, due, today),
                late: t.status == TaskStatus::Submitted
                    && due.is_some_and(|d| {
                        t.submitted_on
                            .as_deref()
                            .and_then(emis_domain::dates::parse_date)
                            .is_some_and(|on| on > d)
                    }),
                submitted_on: t.submitted_on.clone(),
                comment: t.comment.clone(),
            })
        })
        .collect();
    lines.sort_by_key(|l| {
        (
            l.status == TaskStatus::Submitted,
            !l.overdue,
            l.respondent.clone(),
        )
    });
    let overall = Completeness::of(lines.iter().map(|l| (l.status, due)), today);
    let by_township = townships
        .iter()
        .filter_map(|t| {
            let mine: Vec<&RespondentLine> =
                lines.iter().filter(|l| l.township == t.name).collect();
            (!mine.is_empty()).then(|| {
                (
                    t.name.to_string(),
                    Completeness::of(mine.iter().map(|l| (l.status, due)), today),
                )
            })
        })
        .collect();
    Ok(StatusPicture {
        assignment,
        respondent_kind: def.respondent,
        overall,
        by_township,
        respondents: lines,
    })
}

/// Completeness of a form's assignment for a period (the command line's `forms status`).
pub async fn status_of(
    db: &Db,
    account: &Account,
    code: &str,
    period: &str,
    today: NaiveDate,
) -> Result<Completeness> {
    let Some(a) = store::assignment_of(db, account.county(), code, period).await? else {
        return Err(AppError::Refused(format!(
            "报表“{code}”没有下发过{period}的填报"
        )));
    };
    Ok(status(db, account, a.id, today).await?.overall)
}

/// An assignment's answers as a table: the respondent, its township, the status and the
/// submission day, then every field of the form as filled (the version it was sent as).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Results {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The results of the respondents the account's scope reaches, in the status page's order.
pub async fn results(db: &Db, account: &Account, id: i64, today: NaiveDate) -> Result<Results> {
    let picture = status(db, account, id, today).await?;
    let county = account.county();
    let def = definitions::stored(
        db,
        county,
        &picture.assignment.code,
        picture.assignment.version,
    )
    .await?;
    let answers: HashMap<String, BTreeMap<String, String>> = store::tasks_of(db, county, id)
        .await?
        .into_iter()
        .map(|t| {
            let a = serde_json::from_str(&t.answers_json).unwrap_or_default();
            (t.respondent, a)
        })
        .collect();
    let mut columns: Vec<String> = ["填报单位", "乡镇", "状态", "提交日期"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    columns.extend(def.fields.iter().map(|f| match &f.unit {
        Some(unit) => format!("{}（{unit}）", f.label),
        None => f.label.clone(),
    }));
    let rows = picture
        .respondents
        .iter()
        .map(|r| {
            let mine = answers.get(&r.respondent);
            let mut row = vec![
                r.name.clone(),
                r.township.clone(),
                r.status.label().to_string(),
                r.submitted_on.clone().unwrap_or_default(),
            ];
            row.extend(def.fields.iter().map(|f| {
                mine.and_then(|m| m.get(&f.code))
                    .cloned()
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    Ok(Results { columns, rows })
}

/// Writes the results as xlsx (or csv by extension); audited as an export.
pub async fn write_results(
    db: &Db,
    account: &Account,
    id: i64,
    today: NaiveDate,
    path: &std::path::Path,
    source: &str,
) -> Result<u64> {
    let r = results(db, account, id, today).await?;
    let columns: Vec<&str> = r.columns.iter().map(String::as_str).collect();
    let n = emis_io::write_sheet(path, "填报结果", &columns, r.rows)?;
    let mut tx = db.begin().await?;
    Entry::new(
        account.county(),
        "form_export",
        "form_assignment",
        &id.to_string(),
    )
    .after_json(&serde_json::json!({"rows": n}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(n)
}
