//! The large-class ledger (大班额台账): entries, adding a term's classes, updates.

use crate::sql::{county_rows, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::registry::Grade;

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct LedgerEntry {
    pub id: i64,
    pub class_id: i64,
    pub term: String,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_number: i64,
    pub size_at_entry: i64,
    pub plan: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub closed_on: Option<String>,
}

/// The ledger of the county, oldest entries first.
pub async fn ledger(db: &Db, county: &str) -> Result<Vec<LedgerEntry>> {
    county_rows(db, "SELECT l.id, l.class_id, l.term, l.school_code, sc.name AS school_name, sc.township_code, l.grade, l.class_number, \
         l.size_at_entry, l.plan, l.owner, l.target_date, l.closed_on \
         FROM large_class_ledger l JOIN schools sc ON sc.code = l.school_code WHERE l.county = $1 \
         ORDER BY l.term, l.school_code, l.grade, l.class_number", county).await
}

pub struct NewLedgerEntry {
    pub class_id: i64,
    pub term: String,
    pub school_code: String,
    pub grade: Grade,
    pub class_number: i64,
    pub size: i64,
    pub plan: String,
    pub owner: String,
    pub target_date: Option<String>,
}

/// Adds entries, skipping classes already in the ledger; returns how many were added.
pub async fn add_ledger_entries(
    tx: &mut Tx,
    county: &str,
    entries: &[NewLedgerEntry],
) -> Result<usize> {
    let existing: Vec<i64> =
        sqlx::query_scalar("SELECT class_id FROM large_class_ledger WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    let existing: std::collections::HashSet<i64> = existing.into_iter().collect();
    let now = crate::now_text();
    let fresh: Vec<&NewLedgerEntry> = entries
        .iter()
        .filter(|e| !existing.contains(&e.class_id))
        .collect();
    insert_many(
        tx,
        "large_class_ledger",
        &[
            "county",
            "class_id",
            "term",
            "school_code",
            "grade",
            "class_number",
            "size_at_entry",
            "plan",
            "owner",
            "target_date",
            "closed_on",
            "created_at",
        ],
        "",
        &fresh,
        |q, e| {
            q.bind(county)
                .bind(e.class_id)
                .bind(&e.term)
                .bind(&e.school_code)
                .bind(e.grade.label())
                .bind(e.class_number)
                .bind(e.size)
                .bind(&e.plan)
                .bind(&e.owner)
                .bind(&e.target_date)
                .bind(None::<String>)
                .bind(&now)
        },
    )
    .await?;
    let added = fresh.len();
    Ok(added)
}

/// Updates an entry's plan, owner, target date and closing (销号) date.
pub async fn update_ledger_entry(
    tx: &mut Tx,
    county: &str,
    id: i64,
    plan: &str,
    owner: &str,
    target_date: Option<&str>,
    closed_on: Option<&str>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE large_class_ledger SET plan = $1, owner = $2, target_date = $3, closed_on = $4 WHERE id = $5 AND county = $6",
    )
    .bind(plan)
    .bind(owner)
    .bind(target_date)
    .bind(closed_on)
    .bind(id)
    .bind(county)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}
