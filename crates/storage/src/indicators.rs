//! The facts indicators are computed from. Rules (bands, stages) stay in the domain;
//! storage only counts rows.

use crate::{Db, Result};
use emis_domain::class_size::ClassFact;
use emis_domain::registry::{Grade, SchoolType};
use sqlx::AssertSqlSafe;

/// Statuses that hold a place on the roll (学籍在册).
pub const ON_ROLL: &str = "('在读', '休学', '送教上门')";

/// Every class of a term with the number of its students in school (status 在读).
pub async fn class_facts(db: &Db, county: &str, term: &str) -> Result<Vec<ClassFact>> {
    /// A class as counted; a school type or grade the domain does not know is left out.
    #[derive(sqlx::FromRow)]
    struct Counted {
        school_type: String,
        grade: String,
        size: i64,
    }
    let rows: Vec<Counted> = sqlx::query_as(
        "SELECT sc.school_type, c.grade, CAST(COUNT(e.student_id) AS BIGINT) AS size \
         FROM classes c JOIN schools sc ON sc.county = c.county AND sc.code = c.school_code \
         LEFT JOIN enrollments e ON e.county = c.county AND e.class_id = c.id AND e.status = '在读' \
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
                school_type: SchoolType::parse(&r.school_type)?,
                grade: Grade::parse(&r.grade)?,
                size: u32::try_from(r.size).unwrap_or(0),
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

/// 控辍保学 counts of a snapshot: (suspected, probable not yet confirmed, unresolved).
pub async fn dropout_counts(db: &Db, county: &str, snapshot_id: i64) -> Result<(i64, i64, i64)> {
    let closed = "EXISTS (SELECT 1 FROM dropout_cases c WHERE c.county = p.county AND c.person_id_number = p.id_number AND c.status = '已销号') \
         AND NOT EXISTS (SELECT 1 FROM dropout_cases c WHERE c.county = p.county AND c.person_id_number = p.id_number AND c.status <> '已销号')";
    #[derive(sqlx::FromRow)]
    struct Counts {
        suspected: i64,
        probable: i64,
        unresolved: i64,
    }
    let counts: Counts = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS suspected, \
         CAST(COALESCE(SUM(CASE WHEN p.finding = '疑似匹配待确认' AND NOT ({closed}) THEN 1 ELSE 0 END), 0) AS BIGINT) AS probable, \
         CAST(COALESCE(SUM(CASE WHEN NOT ({closed}) THEN 1 ELSE 0 END), 0) AS BIGINT) AS unresolved \
         FROM population_persons p WHERE p.county = $1 AND p.snapshot_id = $2 AND p.finding IN ('疑似辍学', '疑似匹配待确认')"
    )))
    .bind(county)
    .bind(snapshot_id)
    .fetch_one(db.pool())
    .await?;
    Ok((counts.suspected, counts.probable, counts.unresolved))
}

/// Children on the roll of a term in kindergarten grades, by their school's 办学性质.
pub async fn preschool_places(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<emis_domain::registry::PreschoolPlaces> {
    use emis_domain::registry::{Grade, Ownership, Stage};
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "crate::sql::Label")]
        ownership: Ownership,
        children: i64,
    }
    let grades: Vec<String> = Grade::ALL
        .iter()
        .filter(|g| g.stage() == Stage::Preschool)
        .map(|g| format!("'{}'", g.label()))
        .collect();
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT s.ownership AS ownership, CAST(COUNT(DISTINCT e.student_id) AS BIGINT) AS children \
         FROM enrollments e JOIN schools s ON s.county = e.county AND s.code = e.school_code \
         WHERE e.county = $1 AND e.term = $2 AND e.status IN {ON_ROLL} AND e.grade IN ({}) \
         GROUP BY s.ownership",
        grades.join(", ")
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    let mut places = emis_domain::registry::PreschoolPlaces::default();
    for r in rows {
        places.add(r.ownership, r.children);
    }
    Ok(places)
}
