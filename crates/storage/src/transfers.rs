//! 转学待接收: a transfer to another school waits in `pending_transfers` until the receiving
//! school (or the county) accepts it into one of its existing classes, or declines it.

use crate::{Db, Result, Tx};

/// 转出待接收.
pub const PENDING: &str = "待接收";
/// 已接收 (the student moved to the receiving school's class).
pub const ACCEPTED: &str = "已接收";
/// 已退回 (declined with a reason; the student stays).
pub const DECLINED: &str = "已退回";

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct TransferRow {
    pub id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub id_number: String,
    pub term: String,
    pub from_school: String,
    pub from_school_name: String,
    pub from_township: String,
    pub from_class: i64,
    pub to_school: String,
    pub to_school_name: String,
    pub to_township: String,
    pub grade: String,
    pub class_number: i64,
    pub reason: String,
    pub status: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decline_reason: Option<String>,
}

pub struct NewTransfer<'a> {
    pub county: &'a str,
    pub student_id: i64,
    pub term: &'a str,
    pub from_school: &'a str,
    pub from_class: i64,
    pub to_school: &'a str,
    pub grade: &'a str,
    pub class_number: i64,
    pub reason: &'a str,
    pub by: &'a str,
}

pub async fn insert(tx: &mut Tx, t: &NewTransfer<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO pending_transfers (county, student_id, term, from_school, from_class, to_school, grade, class_number, reason, status, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(t.county)
    .bind(t.student_id)
    .bind(t.term)
    .bind(t.from_school)
    .bind(t.from_class)
    .bind(t.to_school)
    .bind(t.grade)
    .bind(t.class_number)
    .bind(t.reason)
    .bind(PENDING)
    .bind(t.by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

const SELECT: &str = "SELECT t.id, t.student_id, s.name AS student_name, s.id_number, t.term, t.from_school, \
     fs.name AS from_school_name, fs.township_code AS from_township, t.from_class, \
     t.to_school, ts.name AS to_school_name, ts.township_code AS to_township, t.grade, t.class_number, t.reason, \
     t.status, t.requested_by, t.requested_at, t.decided_by, t.decided_at, t.decline_reason \
     FROM pending_transfers t JOIN students s ON s.county = t.county AND s.id = t.student_id \
     JOIN schools fs ON fs.county = t.county AND fs.code = t.from_school JOIN schools ts ON ts.county = t.county AND ts.code = t.to_school";

/// One transfer of the county.
pub async fn get(db: &Db, county: &str, id: i64) -> Result<Option<TransferRow>> {
    let sql = format!("{SELECT} WHERE t.county = $1 AND t.id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(county)
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// The county's transfers of a status (every status when `None`), newest first; the
/// caller limits them to its scope.
pub async fn list(db: &Db, county: &str, status: Option<&str>) -> Result<Vec<TransferRow>> {
    let mut sql = format!("{SELECT} WHERE t.county = $1");
    if status.is_some() {
        sql.push_str(" AND t.status = $2");
    }
    sql.push_str(" ORDER BY t.id DESC");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(county);
    if let Some(s) = status {
        q = q.bind(s);
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// The pending transfer of a student in a term, if any.
pub async fn pending_of(db: &Db, student_id: i64, term: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM pending_transfers WHERE student_id = $1 AND term = $2 AND status = $3",
    )
    .bind(student_id)
    .bind(term)
    .bind(PENDING)
    .fetch_optional(db.pool())
    .await?)
}

/// Marks a pending transfer decided; false when it was no longer pending (decided meanwhile).
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    status: &str,
    by: &str,
    decline_reason: Option<&str>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pending_transfers SET status = $1, decided_by = $2, decided_at = $3, decline_reason = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(status)
    .bind(by)
    .bind(crate::now_text())
    .bind(decline_reason)
    .bind(id)
    .bind(PENDING)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
