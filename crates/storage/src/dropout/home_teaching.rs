//! 送教上门 home-teaching plans and their visits.

use crate::sql::insert_many;
use crate::sql::{rows_as, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::registry::StudentStatus;

#[derive(
    Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct PlanRow {
    pub id: i64,
    pub student_id_number: String,
    pub name: String,
    pub school_code: String,
    pub term: String,
    pub teachers: String,
    pub plan: String,
    pub visits: i64,
    pub minutes: i64,
}

pub async fn insert_plans(tx: &mut Tx, county: &str, plans: &[PlanRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "home_teaching_plans",
        &["county", "student_id_number", "name", "school_code", "term", "teachers", "plan", "created_at"],
        "ON CONFLICT (county, student_id_number, term) DO UPDATE SET school_code = excluded.school_code,  teachers = excluded.teachers, plan = excluded.plan",
        plans,
        |q, p| {
        q
            .bind(county)
            .bind(&p.student_id_number)
            .bind(&p.name)
            .bind(&p.school_code)
            .bind(&p.term)
            .bind(&p.teachers)
            .bind(&p.plan)
            .bind(&now)
        },
    )
    .await?;
    Ok(())
}

/// Plan ids by (student ID number, term).
pub async fn plan_ids(
    tx: &mut Tx,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), i64>> {
    #[derive(sqlx::FromRow)]
    struct PlanId {
        id: i64,
        student_id_number: String,
        term: String,
    }
    let rows: Vec<PlanId> = sqlx::query_as(
        "SELECT id, student_id_number, term FROM home_teaching_plans WHERE county = $1",
    )
    .bind(county)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.student_id_number, r.term), r.id))
        .collect())
}

#[derive(
    Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct HomeVisitRow {
    pub id: i64,
    pub plan_id: i64,
    pub visit_date: String,
    pub minutes: i64,
    pub teacher: String,
    pub content: String,
}

pub async fn insert_home_visits(tx: &mut Tx, county: &str, visits: &[HomeVisitRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "home_teaching_visits",
        &[
            "county",
            "plan_id",
            "visit_date",
            "minutes",
            "teacher",
            "content",
            "recorded_at",
        ],
        "",
        visits,
        |q, v| {
            q.bind(county)
                .bind(v.plan_id)
                .bind(&v.visit_date)
                .bind(v.minutes)
                .bind(&v.teacher)
                .bind(&v.content)
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

fn plan_scope(sql: &mut Sql, scope: &Scope) {
    crate::lists::scope_filter(sql, scope, "p.school_code");
}

/// Plans of a term in the scope, with their visit counts and hours.
pub async fn plans(db: &Db, scope: &Scope, term: &str, limit: i64) -> Result<Vec<PlanRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan, \
         CAST(COUNT(v.id) AS BIGINT) AS visits, CAST(COALESCE(SUM(v.minutes), 0) AS BIGINT) AS minutes \
         FROM home_teaching_plans p LEFT JOIN home_teaching_visits v ON v.county = p.county AND v.plan_id = p.id WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.term = ")
        .bind_text(term);
    plan_scope(&mut sql, scope);
    sql.push(" GROUP BY p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan ORDER BY p.school_code, p.id LIMIT ")
        .bind_int(limit);
    rows_as(&sql.fetch_all(db).await?)
}

pub async fn plan_in_scope(db: &Db, scope: &Scope, id: i64) -> Result<Option<PlanRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.student_id_number, p.name, p.school_code, p.term, p.teachers, p.plan, \
         CAST(0 AS BIGINT) AS visits, CAST(0 AS BIGINT) AS minutes FROM home_teaching_plans p WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.id = ")
        .bind_int(id);
    plan_scope(&mut sql, scope);
    Ok(rows_as::<PlanRow>(&sql.fetch_all(db).await?)?
        .into_iter()
        .next())
}

pub async fn home_visits(db: &Db, plan_id: i64) -> Result<Vec<HomeVisitRow>> {
    Ok(sqlx::query_as(
        "SELECT id, plan_id, visit_date, minutes, teacher, content FROM home_teaching_visits WHERE plan_id = $1 ORDER BY visit_date, id",
    )
    .bind(plan_id)
    .fetch_all(db.pool())
    .await?)
}

/// Distinct 送教上门 children of a term: those with a plan, and those on the roll as 送教上门.
pub async fn home_taught_count(db: &Db, county: &str, term: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (\
         SELECT student_id_number AS id_number FROM home_teaching_plans WHERE county = $1 AND term = $2 \
         UNION SELECT s.id_number FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         WHERE e.county = $3 AND e.term = $4 AND e.status = '送教上门') t",
    )
    .bind(county)
    .bind(term)
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?)
}

/// A student's roll entry in a term.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TermEntry {
    pub school_code: String,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub status: StudentStatus,
}

/// A student's roll entry in a term, or `None` when not on its roll.
pub async fn student_in_term(
    db: &Db,
    county: &str,
    id_number: &str,
    term: &str,
) -> Result<Option<TermEntry>> {
    Ok(sqlx::query_as(
        "SELECT e.school_code, s.name, e.status FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         WHERE s.county = $1 AND s.id_number = $2 AND e.term = $3",
    )
    .bind(county)
    .bind(id_number)
    .bind(term)
    .fetch_optional(db.pool())
    .await?)
}
