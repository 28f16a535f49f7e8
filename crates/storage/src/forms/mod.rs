//! 数据采集 storage: form definitions by version, assignments of a form for a period, and
//! the respondents' tasks with their answers.

use crate::sql::{county_row_by, county_rows, county_rows_by, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::forms::TaskStatus;
use sqlx::AssertSqlSafe;

/// One stored version of a form.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct DefinitionRow {
    pub code: String,
    pub version: i64,
    pub title: String,
    pub definition_json: String,
    pub created_by: String,
    pub created_at: String,
}

const DEFINITION: &str =
    "SELECT code, version, title, definition_json, created_by, created_at FROM form_definitions";

/// The latest version of every form of the county, by code.
pub async fn latest_definitions(db: &Db, county: &str) -> Result<Vec<DefinitionRow>> {
    county_rows(
        db,
        AssertSqlSafe(format!(
            "{DEFINITION} d WHERE county = $1 AND version = (SELECT MAX(version) FROM form_definitions x \
             WHERE x.county = d.county AND x.code = d.code) ORDER BY code"
        )),
        county,
    )
    .await
}

/// Every version of a form, oldest first.
pub async fn versions(db: &Db, county: &str, code: &str) -> Result<Vec<DefinitionRow>> {
    county_rows_by(
        db,
        AssertSqlSafe(format!(
            "{DEFINITION} WHERE county = $1 AND code = $2 ORDER BY version"
        )),
        county,
        code,
    )
    .await
}

pub async fn insert_definition(tx: &mut Tx, county: &str, row: &DefinitionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO form_definitions (county, code, version, title, definition_json, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(county)
    .bind(&row.code)
    .bind(row.version)
    .bind(&row.title)
    .bind(&row.definition_json)
    .bind(&row.created_by)
    .bind(&row.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A form sent out for a period.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub created_at: String,
}

const ASSIGNMENT: &str = "SELECT a.id, a.code, a.version, d.title, a.period, a.due_on, a.created_at \
     FROM form_assignments a JOIN form_definitions d ON d.county = a.county AND d.code = a.code AND d.version = a.version";

/// Every assignment of the county, newest first.
pub async fn assignments(db: &Db, county: &str) -> Result<Vec<AssignmentRow>> {
    county_rows(
        db,
        AssertSqlSafe(format!(
            "{ASSIGNMENT} WHERE a.county = $1 ORDER BY a.created_at DESC, a.id DESC"
        )),
        county,
    )
    .await
}

pub async fn assignment(db: &Db, county: &str, id: i64) -> Result<Option<AssignmentRow>> {
    county_row_by(
        db,
        AssertSqlSafe(format!("{ASSIGNMENT} WHERE a.county = $1 AND a.id = $2")),
        county,
        id,
    )
    .await
}

/// The assignment of a form for a period, if it was sent.
pub async fn assignment_of(
    db: &Db,
    county: &str,
    code: &str,
    period: &str,
) -> Result<Option<AssignmentRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "{ASSIGNMENT} WHERE a.county = $1 AND a.code = $2 AND a.period = $3"
    )))
    .bind(county)
    .bind(code)
    .bind(period)
    .fetch_optional(db.pool())
    .await?)
}

/// Sends a form version for a period to the respondents (one task each, 待填报).
#[allow(clippy::too_many_arguments)]
pub async fn insert_assignment(
    tx: &mut Tx,
    county: &str,
    code: &str,
    version: i64,
    period: &str,
    due_on: Option<&str>,
    respondents: &[String],
    by: &str,
) -> Result<i64> {
    let now = crate::now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO form_assignments (county, code, version, period, due_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(county)
    .bind(code)
    .bind(version)
    .bind(period)
    .bind(due_on)
    .bind(by)
    .bind(now.clone())
    .fetch_one(&mut **tx)
    .await?;
    insert_many(
        tx,
        "form_tasks",
        &[
            "county",
            "assignment_id",
            "respondent",
            "status",
            "answers_json",
            "updated_at",
        ],
        "",
        respondents,
        |q, r| {
            q.bind(county)
                .bind(id)
                .bind(r.as_str())
                .bind(TaskStatus::Pending.label())
                .bind("{}")
                .bind(now.clone())
        },
    )
    .await?;
    Ok(id)
}

/// A respondent's task with its form and period.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub assignment_id: i64,
    pub code: String,
    pub version: i64,
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub respondent: String,
    #[sqlx(try_from = "Label")]
    pub status: TaskStatus,
    pub answers_json: String,
    /// The officer's comment when sending it back.
    pub comment: Option<String>,
    pub submitted_on: Option<String>,
    pub submitted_by: Option<String>,
    /// The last reminder (催报) the office sent.
    pub reminded_on: Option<String>,
    pub updated_at: String,
}

const TASK: &str = "SELECT t.id, t.assignment_id, a.code, a.version, d.title, a.period, a.due_on, t.respondent, t.status, \
     t.answers_json, t.comment, t.submitted_on, t.submitted_by, t.reminded_on, t.updated_at \
     FROM form_tasks t JOIN form_assignments a ON a.county = t.county AND a.id = t.assignment_id \
     JOIN form_definitions d ON d.county = a.county AND d.code = a.code AND d.version = a.version";

/// The tasks of an assignment, by respondent.
pub async fn tasks_of(db: &Db, county: &str, assignment: i64) -> Result<Vec<TaskRow>> {
    county_rows_by(
        db,
        AssertSqlSafe(format!(
            "{TASK} WHERE t.county = $1 AND t.assignment_id = $2 ORDER BY t.respondent"
        )),
        county,
        assignment,
    )
    .await
}

pub async fn task(db: &Db, county: &str, id: i64) -> Result<Option<TaskRow>> {
    county_row_by(
        db,
        AssertSqlSafe(format!("{TASK} WHERE t.county = $1 AND t.id = $2")),
        county,
        id,
    )
    .await
}

/// A respondent's tasks, newest assignment first.
pub async fn tasks_of_respondent(db: &Db, county: &str, respondent: &str) -> Result<Vec<TaskRow>> {
    county_rows_by(
        db,
        AssertSqlSafe(format!(
            "{TASK} WHERE t.county = $1 AND t.respondent = $2 ORDER BY a.id DESC"
        )),
        county,
        respondent,
    )
    .await
}

/// The submitted tasks of assignments whose period falls in a year (`2021`, `2021-…`).
pub async fn submitted_in_year(db: &Db, county: &str, year: i32) -> Result<Vec<TaskRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "{TASK} WHERE t.county = $1 AND t.status = $2 AND (a.period = $3 OR a.period LIKE $4)"
    )))
    .bind(county)
    .bind(TaskStatus::Submitted.label())
    .bind(year.to_string())
    .bind(format!("{year}-%"))
    .fetch_all(db.pool())
    .await?)
}

/// Every task of the assignments whose period falls in a year, as (respondent, due date,
/// submission date): what on-time rates read.
pub async fn deadlines_in_year(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(String, Option<String>, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.respondent, a.due_on, t.submitted_on FROM form_tasks t          JOIN form_assignments a ON a.county = t.county AND a.id = t.assignment_id          WHERE t.county = $1 AND (a.period = $2 OR a.period LIKE $3)",
    )
    .bind(county)
    .bind(year.to_string())
    .bind(format!("{year}-%"))
    .fetch_all(db.pool())
    .await?)
}

/// Marks the tasks of an assignment not yet submitted as reminded on a day; returns how
/// many.
pub async fn remind(tx: &mut Tx, assignment: i64, day: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE form_tasks SET reminded_on = $1 WHERE assignment_id = $2 AND status <> $3",
    )
    .bind(day)
    .bind(assignment)
    .bind(TaskStatus::Submitted.label())
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Writes what a step changes: status, answers, comment and submission.
pub async fn save_task(tx: &mut Tx, t: &TaskRow) -> Result<()> {
    sqlx::query(
        "UPDATE form_tasks SET status = $1, answers_json = $2, comment = $3, submitted_on = $4, submitted_by = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(t.status.label())
    .bind(&t.answers_json)
    .bind(t.comment.clone())
    .bind(t.submitted_on.clone())
    .bind(t.submitted_by.clone())
    .bind(crate::now_text())
    .bind(t.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a school's prefilled fields read: its students on the roll and classes in a term,
/// and its staff and 专任教师 who had started by a day. Every school of the county has a
/// line (zeros where it has no records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchoolFacts {
    pub students: i64,
    pub classes: i64,
    pub staff: i64,
    pub teachers: i64,
}

pub async fn school_facts(
    db: &Db,
    county: &str,
    term: &str,
    staff_by: &str,
) -> Result<std::collections::HashMap<String, SchoolFacts>> {
    let mut out: std::collections::HashMap<String, SchoolFacts> = std::collections::HashMap::new();
    let students: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT school_code, CAST(COUNT(DISTINCT student_id) AS BIGINT) FROM enrollments \
         WHERE county = $1 AND term = $2 AND status IN {} GROUP BY school_code",
        crate::indicators::ON_ROLL
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    for (school, n) in students {
        out.entry(school).or_default().students = n;
    }
    let classes: Vec<(String, i64)> = sqlx::query_as(
        "SELECT school_code, CAST(COUNT(*) AS BIGINT) FROM classes WHERE county = $1 AND term = $2 GROUP BY school_code",
    )
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    for (school, n) in classes {
        out.entry(school).or_default().classes = n;
    }
    let staff: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT school_code, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN post_type = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM staff WHERE county = $2 AND (start_date IS NULL OR start_date <= $3) GROUP BY school_code",
    )
    .bind(emis_domain::registry::PostType::Teacher.label())
    .bind(county)
    .bind(staff_by)
    .fetch_all(db.pool())
    .await?;
    for (school, total, teachers) in staff {
        let f = out.entry(school).or_default();
        f.staff = total;
        f.teachers = teachers;
    }
    Ok(out)
}

/// A respondent's answers as bulk-loaded (the demo): status, answers, comment, submission.
#[derive(Clone, Debug)]
pub struct Response {
    pub respondent: String,
    pub status: TaskStatus,
    pub answers_json: String,
    pub comment: Option<String>,
    pub submitted_on: Option<String>,
    pub submitted_by: Option<String>,
}

/// Writes the responses of an assignment's tasks, by respondent.
pub async fn write_responses(tx: &mut Tx, assignment: i64, rows: &[Response]) -> Result<()> {
    let now = crate::now_text();
    for r in rows {
        sqlx::query(
            "UPDATE form_tasks SET status = $1, answers_json = $2, comment = $3, submitted_on = $4, \
             submitted_by = $5, updated_at = $6 WHERE assignment_id = $7 AND respondent = $8",
        )
        .bind(r.status.label())
        .bind(&r.answers_json)
        .bind(r.comment.clone())
        .bind(r.submitted_on.clone())
        .bind(r.submitted_by.clone())
        .bind(now.clone())
        .bind(assignment)
        .bind(&r.respondent)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
