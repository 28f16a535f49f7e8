//! The facts indicators are computed from. Rules (bands, stages) stay in the domain;
//! storage only counts rows.

use crate::{Db, Result};
use emis_domain::class_size::ClassFact;
use emis_domain::registry::{Grade, SchoolType};
use sqlx::{AssertSqlSafe, Row};

/// Statuses that hold a place on the roll (学籍在册).
pub const ON_ROLL: &str = "('在读', '休学', '送教上门')";

/// Every class of a term with the number of its students in school (status 在读).
pub async fn class_facts(db: &Db, county: &str, term: &str) -> Result<Vec<ClassFact>> {
    let rows = sqlx::query(
        "SELECT sc.school_type, c.grade, CAST(COUNT(e.student_id) AS BIGINT) AS size \
         FROM classes c JOIN schools sc ON sc.code = c.school_code \
         LEFT JOIN enrollments e ON e.class_id = c.id AND e.status = '在读' \
         WHERE c.county = $1 AND c.term = $2 GROUP BY c.id, sc.school_type, c.grade",
    )
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ClassFact {
                school_type: SchoolType::parse(r.get::<String, _>(0).as_str())?,
                grade: Grade::parse(r.get::<String, _>(1).as_str())?,
                size: u32::try_from(r.get::<i64, _>(2)).unwrap_or(0),
            })
        })
        .collect())
}

/// Terms of a year that have roll data, latest last.
pub async fn terms_with_data(db: &Db, county: &str, year: i32) -> Result<Vec<String>> {
    let mut terms: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT term FROM classes WHERE county = $1 AND term LIKE $2")
            .bind(county)
            .bind(format!("{year}-%"))
            .fetch_all(db.pool())
            .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms)
}

/// Distinct students on the roll in a term.
pub async fn students_on_roll(db: &Db, county: &str, term: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST(COUNT(DISTINCT student_id) AS BIGINT) FROM enrollments WHERE county = $1 AND term = $2 AND status IN {ON_ROLL}"
    )))
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?)
}

/// Every term that has roll data, oldest first.
pub async fn all_terms(db: &Db, county: &str) -> Result<Vec<String>> {
    let mut terms: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT term FROM classes WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms)
}
