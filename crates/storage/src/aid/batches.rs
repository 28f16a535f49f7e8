//! Disbursement batches (发放批次) and the payments (发放记录) imported back against them.

use crate::sql::{county_rows, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::aid::{BatchStatus, Payment};
use emis_domain::term::Term;
use sqlx::AssertSqlSafe;

use super::checks::lean_payments;

/// A stored payment with its row key (for idempotent re-import).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct PaymentRow {
    pub row_key: String,
    pub id_number: String,
    pub policy: String,
    pub term: String,
    pub fen: i64,
    pub paid_on: Option<String>,
    pub school_code: Option<String>,
    pub batch_id: Option<i64>,
}

/// The row keys already stored.
pub async fn payment_keys(db: &Db, county: &str) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT row_key FROM aid_payments WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

/// Inserts payments; rows whose key is already stored are left as they are.
pub async fn insert_payments(
    tx: &mut Tx,
    county: &str,
    rows: &[PaymentRow],
    source: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "aid_payments",
        &[
            "county",
            "row_key",
            "id_number",
            "policy_code",
            "term",
            "fen",
            "paid_on",
            "school_code",
            "batch_id",
            "source",
            "imported_at",
        ],
        "ON CONFLICT (county, row_key) DO NOTHING",
        rows,
        |q, r| {
            q.bind(county)
                .bind(&r.row_key)
                .bind(&r.id_number)
                .bind(&r.policy)
                .bind(&r.term)
                .bind(r.fen)
                .bind(r.paid_on.clone())
                .bind(r.school_code.clone())
                .bind(r.batch_id)
                .bind(source)
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

const PAYMENT_COLUMNS: &str =
    "row_key, id_number, policy_code AS policy, term, fen, paid_on, school_code, batch_id";

/// The payments of some terms, as the domain compares them.
pub async fn payments(db: &Db, county: &str, terms: &[Term]) -> Result<Vec<Payment>> {
    let mut out = Vec::new();
    for term in terms {
        out.extend(lean_payments(db, county, *term).await?);
    }
    Ok(out)
}

/// One student's payments, latest term first.
pub async fn student_payments(db: &Db, county: &str, id_number: &str) -> Result<Vec<PaymentRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND id_number = $2 ORDER BY term DESC, policy_code"
    )))
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?)
}

/// A disbursement batch (发放批次) made from an approved proposal, its status by label in JSON.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub proposal_id: i64,
    pub term: String,
    pub school_code: String,
    pub lines: i64,
    pub fen: i64,
    #[sqlx(try_from = "Label")]
    pub status: BatchStatus,
    pub created_by: String,
}

pub async fn insert_batch(tx: &mut Tx, county: &str, b: &BatchRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO aid_batches (county, proposal_id, term, school_code, lines, fen, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(county)
    .bind(b.proposal_id)
    .bind(&b.term)
    .bind(&b.school_code)
    .bind(b.lines)
    .bind(b.fen)
    .bind(b.status.label())
    .bind(&b.created_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn batches(db: &Db, county: &str) -> Result<Vec<BatchRow>> {
    county_rows(db, "SELECT id, proposal_id, term, school_code, lines, fen, status, created_by FROM aid_batches WHERE county = $1 ORDER BY id", county).await
}

/// The filters, order and page of the batches' list (`batches_page`); `status` is a batch
/// status label (待发放, 部分发放, 已发放), `sort` one of [`BATCH_SORTS`] (default: the batch's
/// number).
pub type BatchQuery = super::AidListQuery;

/// The sortable columns of the batches' list.
pub const BATCH_SORTS: &[&str] = &["id", "school", "lines", "fen", "status"];

/// A page of the batches in the scope, filtered, counted and sorted in the database, with
/// the sum of the amounts (分) of all that match.
pub async fn batches_page(
    db: &Db,
    scope: &emis_domain::access::Scope,
    q: &BatchQuery,
) -> Result<(crate::lists::Page<BatchRow>, i64)> {
    use crate::sql::{rows_as, Sql};
    let (page, per_page) = crate::lists::bounded(q.page, q.per_page);
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE b.county = ").bind_text(scope.county());
        crate::lists::scope_filter(sql, scope, "b.school_code");
        if let Some(t) = &q.term {
            sql.push(" AND b.term = ").bind_text(t.clone());
        }
        if let Some(t) = &q.township {
            sql.push(" AND b.school_code IN (SELECT code FROM schools WHERE township_code = ")
                .bind_text(t.clone())
                .push(")");
        }
        if let Some(s) = &q.school {
            sql.push(" AND b.school_code = ").bind_text(s.clone());
        }
        if let Some(s) = &q.status {
            sql.push(" AND b.status = ").bind_text(s.clone());
        }
    };
    let mut count = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, CAST(COALESCE(SUM(b.fen), 0) AS BIGINT) AS fen FROM aid_batches b",
    );
    filter(&mut count);
    #[derive(sqlx::FromRow)]
    struct Counts {
        total: i64,
        fen: i64,
    }
    let (total, fen) = rows_as::<Counts>(&count.fetch_all(db).await?)?
        .into_iter()
        .next()
        .map_or((0, 0), |c| (c.total, c.fen));
    let mut sql = Sql::new(
        "SELECT b.id, b.proposal_id, b.term, b.school_code, b.lines, b.fen, b.status, b.created_by FROM aid_batches b",
    );
    filter(&mut sql);
    let direction = if q.desc { "DESC" } else { "ASC" };
    let order = match q.sort.as_deref() {
        Some("school") => format!("b.school_code {direction}, b.id"),
        Some("lines") => format!("b.lines {direction}, b.id"),
        Some("fen") => format!("b.fen {direction}, b.id"),
        Some("status") => format!("b.status {direction}, b.id"),
        _ => format!("b.id {direction}"),
    };
    sql.push(&format!(" ORDER BY {order}")).page(page, per_page);
    Ok((
        crate::lists::Page {
            items: rows_as(&sql.fetch_all(db).await?)?,
            total,
            page,
            per_page,
        },
        fen,
    ))
}

/// A batch's status (待发放 / 部分发放 / 已发放), set from the payments imported back.
pub async fn set_batch_status(tx: &mut Tx, id: i64, status: BatchStatus) -> Result<()> {
    sqlx::query("UPDATE aid_batches SET status = $1 WHERE id = $2")
        .bind(status.label())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One batch of a county, or `None`.
pub async fn batch(db: &Db, county: &str, id: i64) -> Result<Option<BatchRow>> {
    Ok(batches(db, county).await?.into_iter().find(|b| b.id == id))
}

/// Every stored payment (optionally of one term), ordered by term, student and policy.
pub async fn payment_rows(db: &Db, county: &str, term: Option<&str>) -> Result<Vec<PaymentRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND ($2 IS NULL OR term = $2) \
         ORDER BY term, id_number, policy_code"
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?)
}

/// The payments of a term that can count against a school's batch: those naming the
/// school, and those naming none.
pub async fn batch_payments(
    db: &Db,
    county: &str,
    term: &str,
    school_code: &str,
) -> Result<Vec<PaymentRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND term = $2 \
         AND (school_code = $3 OR school_code IS NULL) ORDER BY id_number, policy_code"
    )))
    .bind(county)
    .bind(term)
    .bind(school_code)
    .fetch_all(db.pool())
    .await?)
}
