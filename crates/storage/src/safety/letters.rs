//! 致家长的一封信: the parents' signed letters by term, and their coverage.

use crate::lists::scope_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use sqlx::AssertSqlSafe;

/// Marks the letters of a term signed for students on the roll, except those `skip`
/// says are unsigned (by student id), in one statement per batch.
pub async fn sign_letters(
    tx: &mut Tx,
    county: &str,
    term: &str,
    signed_on: &str,
    student_ids: &[(i64, String)],
) -> Result<()> {
    insert_many(
        tx,
        "parent_letters",
        &["county", "student_id", "term", "school_code", "signed_on"],
        "ON CONFLICT (county, student_id, term) DO NOTHING",
        student_ids,
        |q, (id, school)| {
            q.bind(county)
                .bind(*id)
                .bind(term)
                .bind(school.clone())
                .bind(signed_on)
        },
    )
    .await?;
    Ok(())
}

/// Marks the letters of a term signed for every student on the roll except those whose
/// record id leaves `unsigned_remainder` modulo `modulus` (the demo's rule), in one statement.
pub async fn sign_letters_by_rule(
    tx: &mut Tx,
    county: &str,
    term: &str,
    signed_on: &str,
    modulus: i64,
    unsigned_remainder: i64,
) -> Result<u64> {
    let done = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO parent_letters (county, student_id, term, school_code, signed_on) \
         SELECT county, student_id, term, school_code, $1 FROM enrollments \
         WHERE county = $2 AND term = $3 AND status IN {} AND student_id % $4 <> $5 \
         ON CONFLICT (county, student_id, term) DO NOTHING",
        crate::indicators::ON_ROLL
    )))
    .bind(signed_on)
    .bind(county)
    .bind(term)
    .bind(modulus)
    .bind(unsigned_remainder)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Students on the roll of a term with their school (for the letters).
pub async fn roll_students(tx: &mut Tx, county: &str, term: &str) -> Result<Vec<(i64, String)>> {
    #[derive(sqlx::FromRow)]
    struct OnRoll {
        student_id: i64,
        school_code: String,
    }
    let rows: Vec<OnRoll> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT student_id, school_code FROM enrollments WHERE county = $1 AND term = $2 AND status IN {} ORDER BY student_id",
        crate::indicators::ON_ROLL
    )))
    .bind(county)
    .bind(term)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.student_id, r.school_code))
        .collect())
}

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct LetterCoverage {
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub on_roll: i64,
    pub signed: i64,
}

/// Per school of the scope: students on the roll of the term and those whose parents signed.
pub async fn letter_coverage(db: &Db, scope: &Scope, term: &str) -> Result<Vec<LetterCoverage>> {
    let mut sql = Sql::new(&format!(
        "SELECT s.code AS school_code, s.name AS school_name, s.township_code, \
         CAST(COUNT(e.student_id) AS BIGINT) AS on_roll, CAST(COUNT(l.id) AS BIGINT) AS signed \
         FROM enrollments e JOIN schools s ON s.code = e.school_code \
         LEFT JOIN parent_letters l ON l.student_id = e.student_id AND l.term = e.term \
         WHERE e.status IN {} AND e.county = ",
        crate::indicators::ON_ROLL
    ));
    sql.bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term);
    scope_filter(&mut sql, scope, "e.school_code");
    sql.push(" GROUP BY s.code, s.name, s.township_code ORDER BY s.township_code, s.code");
    rows_as(&sql.fetch_all(db).await?)
}

pub async fn sign_letter(
    tx: &mut Tx,
    county: &str,
    student_id: i64,
    term: &str,
    school: &str,
    signed_on: &str,
) -> Result<()> {
    sign_letters(
        tx,
        county,
        term,
        signed_on,
        &[(student_id, school.to_string())],
    )
    .await
}
