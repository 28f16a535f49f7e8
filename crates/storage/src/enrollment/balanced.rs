//! Balanced classes (均衡分班) of a run with their seeds.

use crate::sql::{rows_as, Label};
use crate::{Db, Result, Tx};
use emis_domain::registry::Grade;

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct BalancedRow {
    pub id: i64,
    pub run_id: i64,
    pub school_code: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_size: i64,
    pub seed: String,
    pub classes_json: String,
    pub created_by: String,
    pub created_at: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_balanced(
    tx: &mut Tx,
    county: &str,
    run_id: i64,
    school_code: &str,
    grade: Grade,
    class_size: u32,
    seed: u64,
    classes: &[Vec<String>],
    by: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO balanced_classes (county, run_id, school_code, grade, class_size, seed, classes_json, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(county)
    .bind(run_id)
    .bind(school_code)
    .bind(grade.label())
    .bind(i64::from(class_size))
    .bind(seed.to_string())
    .bind(serde_json::to_string(classes).unwrap_or_default())
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// Balanced-class results of a run (every school, or one), newest first.
pub async fn balanced(
    db: &Db,
    county: &str,
    run_id: i64,
    school: Option<&str>,
) -> Result<Vec<BalancedRow>> {
    let mut sql = crate::sql::Sql::new(
        "SELECT id, run_id, school_code, grade, class_size, seed, classes_json, created_by, created_at FROM balanced_classes WHERE county = ",
    );
    sql.bind_text(county)
        .push(" AND run_id = ")
        .bind_int(run_id);
    if let Some(s) = school {
        sql.push(" AND school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY school_code, id DESC");
    rows_as(&sql.fetch_all(db).await?)
}
