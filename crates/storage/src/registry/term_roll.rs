//! A term's roll read back as records, copied to another term, and one student's status or school changed.

use super::*;

/// A roll row of `roll`, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct RollRow {
    school_code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    id_number: String,
    student_no: Option<String>,
    #[sqlx(try_from = "Label")]
    grade: Grade,
    class_number: i64,
    birth_date: String,
    ethnicity: Option<String>,
    household_township: Option<String>,
    boarding: i64,
    #[sqlx(try_from = "Label")]
    hardship: Hardship,
    disability: Option<String>,
    #[sqlx(try_from = "Label")]
    status: StudentStatus,
    left_behind: Option<String>,
    migrant: Option<i64>,
    orphan: Option<i64>,
    household_type: Option<String>,
    overseas: Option<String>,
    nationality: Option<String>,
    aux_no: Option<String>,
}

/// The roll of one term as records, ordered by school, grade, class and name.
pub async fn roll(db: &Db, county: &str, term: &str) -> Result<Vec<StudentRecord>> {
    let Some(term_value) = emis_domain::term::Term::parse(term) else {
        return Err(StorageError::BadTerm(term.to_string()));
    };
    let rows: Vec<RollRow> = sqlx::query_as(
        "SELECT e.school_code, s.name, s.sex, s.id_number, s.student_no, e.grade, c.number AS class_number, s.birth_date, \
         s.ethnicity, s.household_township, e.boarding, s.hardship, s.disability, e.status, \
         s.left_behind, s.migrant, s.orphan, s.household_type, s.overseas, s.nationality, s.aux_no \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id JOIN classes c ON c.county = e.county AND c.id = e.class_id \
         WHERE e.county = $1 AND e.term = $2 ORDER BY e.school_code, c.grade, c.number, s.id_number",
    )
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| record_of(r, term_value)).collect())
}

/// The students of a filtered list (`lists::students`' filters and order, every match) as
/// records with every column of the import template: what a page's 导出 writes.
pub async fn roll_of(
    db: &Db,
    scope: &emis_domain::access::Scope,
    q: &crate::lists::StudentQuery,
) -> Result<Vec<StudentRecord>> {
    let Some(term_value) = emis_domain::term::Term::parse(&q.term) else {
        return Err(StorageError::BadTerm(q.term.clone()));
    };
    let mut sql = crate::sql::Sql::new(
        "SELECT e.school_code, s.name, s.sex, s.id_number, s.student_no, e.grade, c.number AS class_number, s.birth_date, \
         s.ethnicity, s.household_township, e.boarding, s.hardship, s.disability, e.status, \
         s.left_behind, s.migrant, s.orphan, s.household_type, s.overseas, s.nationality, s.aux_no \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id JOIN classes c ON c.county = e.county AND c.id = e.class_id",
    );
    crate::lists::student_where(&mut sql, scope, q);
    sql.push(&format!(" ORDER BY {}", crate::lists::student_order(q)));
    let rows: Vec<RollRow> = crate::sql::rows_as(&sql.fetch_all(db).await?)?;
    Ok(rows.into_iter().map(|r| record_of(r, term_value)).collect())
}

fn record_of(r: RollRow, term_value: emis_domain::term::Term) -> StudentRecord {
    StudentRecord {
        school_code: r.school_code,
        name: r.name,
        sex: r.sex,
        id_number: r.id_number,
        student_no: r.student_no,
        grade: r.grade,
        class_number: u32::try_from(r.class_number).unwrap_or(0),
        birth_date: r.birth_date.parse().unwrap_or_default(),
        ethnicity: r.ethnicity,
        household_township: r.household_township,
        boarding: r.boarding != 0,
        hardship: r.hardship,
        disability: r.disability,
        status: r.status,
        term: term_value,
        national: emis_domain::national::NationalFacts {
            left_behind: r
                .left_behind
                .as_deref()
                .and_then(emis_domain::national::LeftBehind::parse),
            migrant: r.migrant.map(|f| f != 0),
            orphan: r.orphan.map(|f| f != 0),
            household_type: r.household_type,
            overseas: r.overseas,
            nationality: r.nationality,
            aux_no: r.aux_no,
        },
    }
}

/// The latest term that has roll data, if any.
pub async fn latest_term(db: &Db, county: &str) -> Result<Option<String>> {
    let mut terms: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT term FROM classes WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms.pop())
}

/// Copies a term's classes and roll into another term, leaving out the students whose id
/// is a multiple of `leave_out_every` (the demo's earlier year: the same classes a year
/// back, thinned). Two set-based statements, so a roll of 150,000 is copied in the
/// database without a round trip per row. Returns the roll entries written; nothing is
/// written when the target term has classes already.
pub async fn copy_roll(
    tx: &mut Tx,
    county: &str,
    from_term: &str,
    to_term: &str,
    leave_out_every: i64,
) -> Result<u64> {
    let present: Option<i64> =
        sqlx::query_scalar("SELECT id FROM classes WHERE county = $1 AND term = $2 LIMIT 1")
            .bind(county)
            .bind(to_term)
            .fetch_optional(&mut **tx)
            .await?;
    if present.is_some() {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO classes (county, school_code, term, grade, number) \
         SELECT county, school_code, $3, grade, number FROM classes WHERE county = $1 AND term = $2",
    )
    .bind(county)
    .bind(from_term)
    .bind(to_term)
    .execute(&mut **tx)
    .await?;
    let written = sqlx::query(
        "INSERT INTO enrollments (student_id, term, county, school_code, class_id, grade, boarding, status) \
         SELECT e.student_id, $3, e.county, e.school_code, t.id, e.grade, e.boarding, e.status \
         FROM enrollments e JOIN classes f ON f.county = e.county AND f.id = e.class_id \
         JOIN classes t ON t.county = f.county AND t.school_code = f.school_code AND t.term = $4 \
          AND t.grade = f.grade AND t.number = f.number \
         WHERE e.county = $1 AND e.term = $2 AND e.student_id % $5 <> 0",
    )
    .bind(county)
    .bind(from_term)
    .bind(to_term)
    .bind(to_term)
    .bind(leave_out_every.max(2))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(written)
}

/// Sets a student's roll status for a term.
pub async fn set_status(
    tx: &mut Tx,
    county: &str,
    student_id: i64,
    term: &str,
    status: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE enrollments SET status = $1 WHERE county = $2 AND student_id = $3 AND term = $4",
    )
    .bind(status)
    .bind(county)
    .bind(student_id)
    .bind(term)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a student's roll entry for a term into an existing class of another school; false
/// (nothing changed) when the school has no such class in the term. Transfers never create
/// classes.
pub async fn transfer(
    tx: &mut Tx,
    county: &str,
    student_id: i64,
    term: &str,
    school: &str,
    grade: &str,
    class_number: i64,
) -> Result<bool> {
    let class_id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM classes WHERE county = $1 AND school_code = $2 AND term = $3 AND grade = $4 AND number = $5",
    )
    .bind(county)
    .bind(school)
    .bind(term)
    .bind(grade)
    .bind(class_number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(class_id) = class_id else {
        return Ok(false);
    };
    sqlx::query("UPDATE enrollments SET school_code = $1, class_id = $2, grade = $3 WHERE county = $4 AND student_id = $5 AND term = $6")
        .bind(school)
        .bind(class_id)
        .bind(grade)
        .bind(county)
        .bind(student_id)
        .bind(term)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Students on the roll (在读, 休学, 送教上门) of a term by school: the one count other
/// modules check their figures against.
pub async fn students_on_roll_by_school(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT school_code, CAST(COUNT(*) AS BIGINT) FROM enrollments WHERE county = $1 AND term = $2 \
         AND status IN {} GROUP BY school_code",
        crate::indicators::ON_ROLL
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().collect())
}
