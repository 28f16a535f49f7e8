//! The roll facts the teacher pages and indicators count: recruits by channel, staff at
//! a year's end, and students by school and grade for the staffing standard.

use crate::indicators::ON_ROLL;
use crate::sql::Label;
use crate::{Db, Result};
use emis_domain::registry::{Grade, PostType};
use sqlx::AssertSqlSafe;

/// Staff who started in a year, counted by what a recruitment plan names.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Recruits {
    /// 补充渠道 ('' when not given).
    pub channel: String,
    /// The school's 办学类型 (the plan's 学段).
    pub stage: String,
    /// 任教学科 ('' when not given).
    pub subject: String,
    pub count: i64,
}

pub async fn recruited(db: &Db, county: &str, year: i32) -> Result<Vec<Recruits>> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(st.channel, '') AS channel, sc.school_type AS stage, COALESCE(st.subject, '') AS subject, \
         CAST(COUNT(*) AS BIGINT) AS count FROM staff st JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code \
         WHERE st.county = $1 AND st.start_date >= $2 AND st.start_date <= $3 GROUP BY st.channel, sc.school_type, st.subject",
    )
    .bind(county)
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_all(db.pool())
    .await?)
}

/// Staff on the roll at a year's end (started by then, or start date unknown): (教职工,
/// 专任教师).
pub async fn staff_at_year_end(db: &Db, county: &str, year: i32) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN post_type = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM staff WHERE county = $2 AND (start_date IS NULL OR start_date <= $3)",
    )
    .bind(PostType::Teacher.label())
    .bind(county)
    .bind(format!("{year}-12-31"))
    .fetch_one(db.pool())
    .await?)
}

/// Students on the roll of a term by school and grade.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SchoolGradeCount {
    pub school_code: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub students: i64,
}

pub async fn students_by_school_grade(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<Vec<SchoolGradeCount>> {
    crate::sql::county_rows_by(
        db,
        AssertSqlSafe(format!(
            "SELECT school_code, grade, CAST(COUNT(*) AS BIGINT) AS students FROM enrollments \
         WHERE county = $1 AND term = $2 AND status IN {ON_ROLL} GROUP BY school_code, grade"
        )),
        county,
        term,
    )
    .await
}

/// A teacher's move from one school to another.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct MoveRow {
    pub from_school: String,
    pub from_name: Option<String>,
    pub to_school: String,
    pub to_name: Option<String>,
    pub moved_at: String,
    pub source: String,
}

/// Records moves: (ID number, from school, to school).
pub async fn record_moves(
    tx: &mut crate::Tx,
    county: &str,
    moves: &[(String, String, String)],
    source: &str,
) -> Result<()> {
    let now = crate::now_text();
    crate::sql::insert_many(
        tx,
        "staff_moves",
        &[
            "county",
            "id_number",
            "from_school",
            "to_school",
            "moved_at",
            "source",
        ],
        "",
        moves,
        |q, (id, from, to)| {
            q.bind(county)
                .bind(id)
                .bind(from)
                .bind(to)
                .bind(now.clone())
                .bind(source)
        },
    )
    .await
}

pub async fn moves_of(db: &Db, county: &str, id_number: &str) -> Result<Vec<MoveRow>> {
    crate::sql::county_rows_by(db, "SELECT m.from_school, f.name AS from_name, m.to_school, t.name AS to_name, m.moved_at, m.source \
         FROM staff_moves m LEFT JOIN schools f ON f.county = m.county AND f.code = m.from_school LEFT JOIN schools t ON t.county = m.county AND t.code = m.to_school \
         WHERE m.county = $1 AND m.id_number = $2 ORDER BY m.id DESC", county, id_number).await
}

/// One member of staff by row id, as the teacher's page shows them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TeacherRow {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub sex: String,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub post_type: String,
    pub subject: Option<String>,
    pub title: Option<String>,
    pub channel: Option<String>,
    pub start_date: Option<String>,
}

pub async fn teacher(db: &Db, county: &str, id: i64) -> Result<Option<TeacherRow>> {
    crate::sql::county_row_by(db, "SELECT st.id, st.id_number, st.name, st.sex, st.school_code, sc.name AS school_name, sc.township_code, st.post_type, \
         st.subject, st.title, st.channel, st.start_date FROM staff st JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code \
         WHERE st.county = $1 AND st.id = $2", county, id).await
}

/// The row id of a member of staff by ID number (links from trainings, studios, awards).
pub async fn staff_id(db: &Db, county: &str, id_number: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM staff WHERE county = $1 AND id_number = $2")
            .bind(county)
            .bind(id_number)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Every member of staff's row id by ID number (the roll's links).
pub async fn staff_ids(db: &Db, county: &str) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = crate::sql::county_rows(
        db,
        "SELECT id_number, id FROM staff WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows.into_iter().collect())
}

/// 专任教师 by school and subject (blank subject as ''): what the staffing picture counts.
pub async fn teachers_by_school_subject(
    db: &Db,
    county: &str,
) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT school_code, COALESCE(subject, ''), CAST(COUNT(*) AS BIGINT) FROM staff \
         WHERE county = $1 AND post_type = $2 GROUP BY school_code, subject",
    )
    .bind(county)
    .bind(PostType::Teacher.label())
    .fetch_all(db.pool())
    .await?)
}
