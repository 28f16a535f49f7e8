//! 课后服务 per school and term.

use crate::sql::{county_rows_by, insert_many, Flag};
use crate::{Db, Result, Tx};

/// One school's service in one term.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AfterSchoolRow {
    pub school_code: String,
    pub term: String,
    #[sqlx(try_from = "Flag")]
    pub offered: bool,
    pub days_a_week: i64,
    pub minutes_a_day: i64,
    pub students: i64,
    pub teachers: Option<i64>,
    pub fee_fen: Option<i64>,
}

/// Every school's record of a term.
pub async fn after_school(db: &Db, county: &str, term: &str) -> Result<Vec<AfterSchoolRow>> {
    county_rows_by(
        db,
        "SELECT school_code, term, offered, days_a_week, minutes_a_day, students, teachers, fee_fen \
         FROM after_school WHERE county = $1 AND term = $2",
        county,
        term,
    )
    .await
}

/// Writes records by (school, term): a stored one takes the new values.
pub async fn write_after_school(
    tx: &mut Tx,
    county: &str,
    rows: &[AfterSchoolRow],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "after_school",
        &[
            "county",
            "school_code",
            "term",
            "offered",
            "days_a_week",
            "minutes_a_day",
            "students",
            "teachers",
            "fee_fen",
            "updated_by",
            "updated_at",
        ],
        "ON CONFLICT (county, school_code, term) DO UPDATE SET offered = excluded.offered, days_a_week = excluded.days_a_week, \
         minutes_a_day = excluded.minutes_a_day, students = excluded.students, teachers = excluded.teachers, \
         fee_fen = excluded.fee_fen, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        rows,
        |q, r| {
            q.bind(county)
                .bind(&r.school_code)
                .bind(&r.term)
                .bind(i64::from(r.offered))
                .bind(r.days_a_week)
                .bind(r.minutes_a_day)
                .bind(r.students)
                .bind(r.teachers)
                .bind(r.fee_fen)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await
}

/// The terms of a year that have after-school records, latest last.
pub async fn after_school_terms(db: &Db, county: &str, year: i32) -> Result<Vec<String>> {
    let mut terms: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT term FROM after_school WHERE county = $1 AND term LIKE $2",
    )
    .bind(county)
    .bind(format!("{year}-%"))
    .fetch_all(db.pool())
    .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms)
}

/// Every term with after-school records, oldest first.
pub async fn all_after_school_terms(db: &Db, county: &str) -> Result<Vec<String>> {
    let mut terms: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT term FROM after_school WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms)
}
