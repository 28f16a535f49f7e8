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
/// The join carries the county so that it uses the letters' unique index (half the time of
/// a join on the student alone, which the annual summary felt).
pub async fn letter_coverage(db: &Db, scope: &Scope, term: &str) -> Result<Vec<LetterCoverage>> {
    let mut sql = Sql::new(&format!(
        "SELECT s.code AS school_code, s.name AS school_name, s.township_code, \
         CAST(COUNT(e.student_id) AS BIGINT) AS on_roll, CAST(COUNT(l.id) AS BIGINT) AS signed \
         FROM enrollments e JOIN schools s ON s.county = e.county AND s.code = e.school_code \
         LEFT JOIN parent_letters l ON l.county = e.county AND l.student_id = e.student_id AND l.term = e.term \
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

/// The filters, order and page of the letters' coverage list.
#[derive(Clone, Debug, Default)]
pub struct LetterQuery {
    pub term: String,
    pub township: Option<String>,
    pub school: Option<String>,
    /// `done`: every parent signed; `open`: some have not.
    pub state: Option<String>,
    /// `school` (default: township, school), `on_roll`, `signed`, `rate`.
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    /// 0 lists every match (exports).
    pub per_page: i64,
}

/// A page of the coverage with the filtered schools' sums (the 合计 line).
#[derive(Clone, Debug)]
pub struct LetterPage {
    pub page: crate::lists::Page<LetterCoverage>,
    pub on_roll: i64,
    pub signed: i64,
}

/// The coverage by school, filtered, sorted and paged in one statement: the window sums
/// give the total and the 合计 without counting the roll a second time.
pub async fn letter_coverage_page(db: &Db, scope: &Scope, q: &LetterQuery) -> Result<LetterPage> {
    #[derive(sqlx::FromRow)]
    struct Line {
        school_code: String,
        school_name: String,
        township_code: String,
        on_roll: i64,
        signed: i64,
        total: i64,
        all_on_roll: i64,
        all_signed: i64,
    }
    let window = crate::lists::bounded_or_all(q.page, q.per_page);
    let (page, per_page) = window.unwrap_or((1, i64::MAX));
    let run = |page: Option<(i64, i64)>| {
        // The join carries the county so that it uses the letters' unique index.
        let mut sql = Sql::new(&format!(
            "WITH c AS (SELECT e.county, e.school_code, CAST(COUNT(*) AS BIGINT) AS on_roll, \
             CAST(COUNT(l.id) AS BIGINT) AS signed FROM enrollments e \
             LEFT JOIN parent_letters l ON l.county = e.county AND l.student_id = e.student_id AND l.term = e.term \
             WHERE e.status IN {} AND e.county = ",
            crate::indicators::ON_ROLL
        ));
        sql.bind_text(scope.county())
            .push(" AND e.term = ")
            .bind_text(q.term.clone());
        scope_filter(&mut sql, scope, "e.school_code");
        if let Some(t) = &q.township {
            sql.push(" AND e.school_code IN (SELECT code FROM schools WHERE township_code = ")
                .bind_text(t.clone())
                .push(")");
        }
        if let Some(s) = &q.school {
            sql.push(" AND e.school_code = ").bind_text(s.clone());
        }
        sql.push(
            " GROUP BY e.county, e.school_code) \
             SELECT s.code AS school_code, s.name AS school_name, s.township_code, c.on_roll, c.signed, \
             CAST(COUNT(*) OVER () AS BIGINT) AS total, \
             CAST(SUM(c.on_roll) OVER () AS BIGINT) AS all_on_roll, \
             CAST(SUM(c.signed) OVER () AS BIGINT) AS all_signed \
             FROM c JOIN schools s ON s.county = c.county AND s.code = c.school_code WHERE 1 = 1",
        );
        match q.state.as_deref() {
            Some("done") => {
                sql.push(" AND c.signed >= c.on_roll");
            }
            Some("open") => {
                sql.push(" AND c.signed < c.on_roll");
            }
            _ => {}
        }
        let dir = if q.desc { "DESC" } else { "ASC" };
        let order = match q.sort.as_deref() {
            Some("on_roll") => format!("c.on_roll {dir}, s.code"),
            Some("signed") => format!("c.signed {dir}, s.code"),
            Some("rate") => format!("c.signed * 1.0 / c.on_roll {dir}, s.code"),
            _ => format!("s.township_code {dir}, s.code {dir}"),
        };
        sql.push(&format!(" ORDER BY {order}"));
        if let Some((page, per_page)) = page {
            sql.page(page, per_page);
        }
        sql
    };
    let mut lines: Vec<Line> = rows_as(&run(window).fetch_all(db).await?)?;
    let mut sums = lines
        .first()
        .map(|l| (l.total, l.all_on_roll, l.all_signed));
    if sums.is_none() && page > 1 {
        // Past the last page: the first row of page one still carries the sums.
        let first: Vec<Line> = rows_as(&run(Some((1, 1))).fetch_all(db).await?)?;
        sums = first
            .first()
            .map(|l| (l.total, l.all_on_roll, l.all_signed));
    }
    let (total, on_roll, signed) = sums.unwrap_or_default();
    let items = lines
        .drain(..)
        .map(|l| LetterCoverage {
            school_code: l.school_code,
            school_name: l.school_name,
            township_code: l.township_code,
            on_roll: l.on_roll,
            signed: l.signed,
        })
        .collect();
    Ok(LetterPage {
        page: crate::lists::Page {
            items,
            total,
            page,
            per_page: if window.is_some() {
                per_page
            } else {
                total.max(1)
            },
        },
        on_roll,
        signed,
    })
}
