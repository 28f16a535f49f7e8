//! What the class-size monitor reads: classrooms per school and grade, and every class
//! of a term with its size.

use crate::sql::{county_rows, insert_many, rows_as};
use crate::{Db, Result, Tx};
use emis_domain::registry::Grade;
use std::collections::BTreeMap;

/// Classrooms per (school, grade) of the county.
pub async fn classrooms(db: &Db, county: &str) -> Result<BTreeMap<(String, String), i64>> {
    #[derive(sqlx::FromRow)]
    struct Classrooms {
        school_code: String,
        grade: String,
        classrooms: i64,
    }
    let rows: Vec<Classrooms> = county_rows(
        db,
        "SELECT school_code, grade, classrooms FROM school_capacity WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.school_code, r.grade), r.classrooms))
        .collect())
}

/// Sets classrooms for (school, grade) rows (replacing what was there).
pub async fn set_classrooms(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, Grade, u32)],
) -> Result<()> {
    for (school, grade, _) in rows {
        sqlx::query("DELETE FROM school_capacity WHERE school_code = $1 AND grade = $2")
            .bind(school)
            .bind(grade.label())
            .execute(&mut **tx)
            .await?;
    }
    insert_many(
        tx,
        "school_capacity",
        &["county", "school_code", "grade", "classrooms"],
        "",
        rows,
        |q, (s, g, n)| q.bind(county).bind(s).bind(g.label()).bind(i64::from(*n)),
    )
    .await
}

// ---- Class sizes for the monitor ----

/// Every class of a term in scope with its size (students 在读), in no particular order:
/// the monitor groups them itself, so neither the database nor Rust sorts 4,000 rows.
pub async fn class_sizes(
    db: &Db,
    scope: &emis_domain::access::Scope,
    term: &str,
) -> Result<Vec<crate::lists::ClassRow>> {
    use emis_domain::access::Scope;
    let mut sql = crate::sql::Sql::new(
        "SELECT c.id, c.school_code, sc.name AS school_name, sc.school_type, c.grade, c.number, \
         CAST((SELECT COUNT(*) FROM enrollments e WHERE e.county = c.county AND e.class_id = c.id AND e.status = '在读') AS BIGINT) AS size \
         FROM classes c JOIN schools sc ON sc.county = c.county AND sc.code = c.school_code WHERE c.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND c.term = ")
        .bind_text(term);
    crate::lists::scope_filter(&mut sql, scope, "c.school_code");
    if let Scope::Class { grade, number, .. } = scope {
        sql.push(" AND c.grade = ")
            .bind_text(grade.label())
            .push(" AND c.number = ")
            .bind_int(i64::from(*number));
    }
    rows_as(&sql.fetch_all(db).await?)
}
