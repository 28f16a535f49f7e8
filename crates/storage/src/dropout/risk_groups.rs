//! 重点关注群体: the students on a term's roll whom dropout control watches for their
//! circumstances, as the national 学籍 export marks them (留守儿童, 随迁子女).

use crate::lists::scope_filter;
use crate::sql::{rows_as, Label, Sql};
use crate::{Db, Result};
use emis_domain::access::Scope;
use emis_domain::registry::{Grade, StudentStatus};

/// A student of a risk group, with the flags that put them there.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct RiskGroupRow {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub school_code: String,
    pub school_name: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_number: i64,
    #[sqlx(try_from = "Label")]
    pub status: StudentStatus,
    /// 留守儿童 label (单亲留守儿童 / 双亲留守儿童), NULL when not left behind or not said.
    pub left_behind: Option<String>,
    /// 随迁子女: 1.
    pub migrant: Option<i64>,
}

/// The students of the term's roll in the scope who are left behind (by one parent or
/// both) or migrant children, by school, grade, class and name.
pub async fn risk_group_students(db: &Db, scope: &Scope, term: &str) -> Result<Vec<RiskGroupRow>> {
    let mut sql = Sql::new(
        "SELECT s.id, s.name, s.id_number, e.school_code, sc.name AS school_name, e.grade, \
         c.number AS class_number, e.status, s.left_behind, s.migrant \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         JOIN classes c ON c.county = e.county AND c.id = e.class_id JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code \
         WHERE e.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term)
        .push(" AND (s.left_behind IN ('单亲留守儿童', '双亲留守儿童') OR s.migrant = 1)");
    scope_filter(&mut sql, scope, "e.school_code");
    if let Scope::Class { grade, number, .. } = scope {
        sql.push(" AND e.grade = ")
            .bind_text(grade.label())
            .push(" AND c.number = ")
            .bind_int(i64::from(*number));
    }
    sql.push(" ORDER BY e.school_code, e.grade, c.number, s.name, s.id");
    rows_as(&sql.fetch_all(db).await?)
}
