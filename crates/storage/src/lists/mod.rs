//! Scoped, searchable, sortable, paged lists for pages and the API. Every query takes a
//! `Scope`, so nothing outside the account's org unit can be listed or fetched. The
//! lists by what they hold: `students` (the roll, its class walk and a student's record),
//! `schools` (schools and classes), `staff`; the audit log and the townships here.

mod schools;
mod staff;
mod students;

pub use schools::*;
pub use staff::*;
pub use students::*;
pub(crate) use students::{grade_rank, student_order, student_where};

use crate::sql::{rows_as, Flag, Label, Sql};
use crate::{Db, Result};
use emis_domain::access::Scope;
use emis_domain::registry::{Grade, Hardship, PostType, SchoolType, Sex, StudentStatus};
use sqlx::Row;

/// `AND <school column> …` limiting rows to the scope.
pub(crate) fn scope_filter(sql: &mut Sql, scope: &Scope, school_column: &str) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(&format!(
                " AND {school_column} IN (SELECT code FROM schools WHERE township_code = "
            ))
            .bind_text(township.clone())
            .push(")");
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(&format!(" AND {school_column} = "))
                .bind_text(school.clone());
        }
    }
}

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The most rows one page of a list holds.
pub(crate) const MAX_PER_PAGE: i64 = 500;

/// The page and page size a list asks for, bounded: page 1 or later, 1 to
/// [`MAX_PER_PAGE`] rows.
pub(crate) fn bounded(page: i64, per_page: i64) -> (i64, i64) {
    (page.max(1), per_page.clamp(1, MAX_PER_PAGE))
}

/// The same where `per_page` 0 asks for every row (an export): `None` then.
pub(crate) fn bounded_or_all(page: i64, per_page: i64) -> Option<(i64, i64)> {
    (per_page != 0).then(|| bounded(page, per_page))
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub entity: String,
    pub entity_key: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The audit log, newest first, filtered by actor, record key and date range (YYYY-MM-DD),
/// 50 entries a page.
pub async fn audit(
    db: &Db,
    county: &str,
    actor: Option<&str>,
    key: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    page: i64,
) -> Result<Page<AuditRow>> {
    audit_page(db, county, actor, key, from, to, page, 50).await
}

/// [`audit`] with the page size asked for.
#[allow(clippy::too_many_arguments)]
pub async fn audit_page(
    db: &Db,
    county: &str,
    actor: Option<&str>,
    key: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<AuditRow>> {
    let (page, per_page) = bounded(page, per_page);
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE county = ").bind_text(county);
        if let Some(a) = actor.filter(|a| !a.is_empty()) {
            sql.push(" AND actor = ").bind_text(a);
        }
        // Keys are stored with ID numbers masked: a full number is looked up by its mask
        // (which other people of the same area code and last two characters may share).
        let key = key.map(|k| emis_domain::identity::mask_ids_in_text(k.trim()).into_owned());
        if let Some(k) = key.as_deref().filter(|k| !k.is_empty()) {
            sql.push(" AND (entity_key = ")
                .bind_text(k)
                .push(" OR entity = ")
                .bind_text(k)
                .push(")");
        }
        if let Some(f) = from.filter(|f| !f.is_empty()) {
            sql.push(" AND at >= ").bind_text(f);
        }
        if let Some(t) = to.filter(|t| !t.is_empty()) {
            sql.push(" AND at < ").bind_text(format!("{t}T99"));
        }
    };
    let mut count = Sql::count("FROM audit_log");
    filter(&mut count);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new("SELECT id, at, actor, source, action, entity, entity_key, before_json, after_json FROM audit_log");
    filter(&mut sql);
    sql.push(" ORDER BY id DESC").page(page, per_page);
    let items = rows_as(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Township org units in scope, for filters.
pub async fn townships(db: &Db, scope: &Scope) -> Result<Vec<(String, String)>> {
    let mut sql =
        Sql::new("SELECT code, name FROM org_units WHERE kind = 'township' AND county = ");
    sql.bind_text(scope.county());
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND code = ").bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND code IN (SELECT township_code FROM schools WHERE code = ")
                .bind_text(school.clone())
                .push(")");
        }
    }
    sql.push(" ORDER BY code");
    #[derive(sqlx::FromRow)]
    struct Township {
        code: String,
        name: String,
    }
    Ok(rows_as::<Township>(&sql.fetch_all(db).await?)?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect())
}
