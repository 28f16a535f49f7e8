//! The large-class ledger (大班额台账): entries, adding a term's classes, updates.

use crate::lists::{grade_rank, scope_filter, Page};
use crate::sql::{county_rows, insert_many, rows_as, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
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
         FROM large_class_ledger l JOIN schools sc ON sc.county = l.county AND sc.code = l.school_code WHERE l.county = $1 \
         ORDER BY l.term, l.school_code, l.grade, l.class_number", county).await
}

/// The filters, order and page of the ledger's list (`ledger_page`).
#[derive(Clone, Debug, Default)]
pub struct LedgerQuery {
    pub term: Option<String>,
    pub township: Option<String>,
    pub school: Option<String>,
    /// Some(true): 未销号 only; Some(false): 已销号 only.
    pub open: Option<bool>,
    /// One of [`LEDGER_SORTS`] (default: term, school, grade, class).
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    /// 0 lists every match (exports).
    pub per_page: i64,
}

/// The sortable columns of the ledger.
pub const LEDGER_SORTS: &[&str] = &["term", "school", "size", "target", "closed"];

/// A page of the ledger in the scope, filtered, counted and sorted in the database, with
/// the number of open (未销号) entries among all that match.
pub async fn ledger_page(
    db: &Db,
    scope: &Scope,
    q: &LedgerQuery,
) -> Result<(Page<LedgerEntry>, i64)> {
    let window = crate::lists::bounded_or_all(q.page, q.per_page);
    let all = window.is_none();
    let (page, per_page) = window.unwrap_or((q.page.max(1), i64::MAX));
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE l.county = ").bind_text(scope.county());
        scope_filter(sql, scope, "l.school_code");
        if let Some(t) = &q.term {
            sql.push(" AND l.term = ").bind_text(t.clone());
        }
        if let Some(t) = &q.township {
            sql.push(" AND sc.township_code = ").bind_text(t.clone());
        }
        if let Some(s) = &q.school {
            sql.push(" AND l.school_code = ").bind_text(s.clone());
        }
        match q.open {
            Some(true) => {
                sql.push(" AND l.closed_on IS NULL");
            }
            Some(false) => {
                sql.push(" AND l.closed_on IS NOT NULL");
            }
            None => {}
        }
    };
    let from = " FROM large_class_ledger l JOIN schools sc ON sc.county = l.county AND sc.code = l.school_code";
    let mut count = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, \
         CAST(COALESCE(SUM(CASE WHEN l.closed_on IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS open{from}"
    ));
    filter(&mut count);
    #[derive(sqlx::FromRow)]
    struct Counts {
        total: i64,
        open: i64,
    }
    let counts = rows_as::<Counts>(&count.fetch_all(db).await?)?
        .into_iter()
        .next()
        .map_or((0, 0), |c| (c.total, c.open));
    let mut sql = Sql::new(&format!(
        "SELECT l.id, l.class_id, l.term, l.school_code, sc.name AS school_name, sc.township_code, l.grade, l.class_number, \
         l.size_at_entry, l.plan, l.owner, l.target_date, l.closed_on{from}"
    ));
    filter(&mut sql);
    let direction = if q.desc { "DESC" } else { "ASC" };
    let grade = grade_rank("l.grade");
    let order = match q.sort.as_deref() {
        Some("school") => format!("l.school_code {direction}, l.term, {grade}, l.class_number"),
        Some("size") => format!("l.size_at_entry {direction}, l.id"),
        Some("target") => format!("l.target_date {direction}, l.id"),
        Some("closed") => format!("l.closed_on {direction}, l.id"),
        _ => format!("l.term {direction}, l.school_code, {grade}, l.class_number"),
    };
    sql.push(&format!(" ORDER BY {order}"));
    if !all {
        sql.page(page, per_page);
    }
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok((
        Page {
            items,
            total: counts.0,
            page,
            per_page,
        },
        counts.1,
    ))
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
