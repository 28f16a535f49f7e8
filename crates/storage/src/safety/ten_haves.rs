//! 十有: the measures a township or school has in place each year, and their files.

use crate::sql::{insert_many, rows_as, Flag, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TenHaveRow {
    pub org_code: String,
    pub org_name: String,
    pub org_kind: String,
    pub item: String,
    #[sqlx(try_from = "Flag")]
    pub done: bool,
    pub evidence: String,
}

pub async fn write_ten_haves(
    tx: &mut Tx,
    county: &str,
    year: i32,
    rows: &[(String, String, bool, String)],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "ten_haves",
        &["county", "year", "org_code", "item", "done", "evidence", "updated_at"],
        "ON CONFLICT (county, year, org_code, item) DO UPDATE SET done = excluded.done, evidence = excluded.evidence, updated_at = excluded.updated_at",
        rows,
        |q, r| {
        q
            .bind(county)
            .bind(i64::from(year))
            .bind(r.0.clone())
            .bind(r.1.clone())
            .bind(i64::from(r.2))
            .bind(r.3.clone())
            .bind(now.clone())
        },
    )
    .await?;
    Ok(())
}

/// The 十有 entries of a year for the org units the scope sees (townships and schools).
pub async fn ten_haves(db: &Db, scope: &Scope, year: i32) -> Result<Vec<TenHaveRow>> {
    let mut sql = Sql::new(
        "SELECT t.org_code, o.name AS org_name, o.kind AS org_kind, t.item, t.done, t.evidence FROM ten_haves t \
         JOIN org_units o ON o.county = t.county AND o.code = t.org_code LEFT JOIN schools s ON s.county = t.county AND s.code = t.org_code WHERE t.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND t.year = ")
        .bind_int(i64::from(year));
    ten_have_scope(&mut sql, scope);
    sql.push(" ORDER BY o.kind DESC, t.org_code, t.id");
    rows_as(&sql.fetch_all(db).await?)
}

/// `AND …` limiting 十有 rows (alias `t`, schools joined as `s`) to the org units the scope
/// sees: a township itself and its schools, a school itself.
fn ten_have_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND (t.org_code = ")
                .bind_text(township.clone())
                .push(" OR s.township_code = ")
                .bind_text(township.clone())
                .push(")");
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND t.org_code = ").bind_text(school.clone());
        }
    }
}

/// A 十有 evidence file's metadata.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TenHaveFile {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub org_code: String,
    pub item: String,
    pub file_name: String,
    #[serde(skip)]
    pub stored_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

/// A checked file already in the data folder, to record against a 十有 item.
pub struct NewTenHaveFile<'a> {
    pub year: i32,
    pub org_code: &'a str,
    pub item: &'a str,
    pub file_name: &'a str,
    pub stored_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
}

pub async fn insert_ten_have_file(
    tx: &mut Tx,
    county: &str,
    f: &NewTenHaveFile<'_>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO ten_have_files (county, year, org_code, item, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(county)
    .bind(i64::from(f.year))
    .bind(f.org_code)
    .bind(f.item)
    .bind(f.file_name)
    .bind(f.stored_name)
    .bind(f.mime)
    .bind(f.size_bytes)
    .bind(f.sha256)
    .bind(f.uploaded_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

const TEN_HAVE_FILE_COLUMNS: &str =
    "t.id, t.year, t.org_code, t.item, t.file_name, t.stored_name, \
    t.mime, t.size_bytes, t.sha256, t.uploaded_by, t.uploaded_at";

/// The 十有 evidence files of a year that the scope sees.
pub async fn ten_have_files(db: &Db, scope: &Scope, year: i32) -> Result<Vec<TenHaveFile>> {
    select_ten_have_files(db, scope, " AND t.year = ", i64::from(year)).await
}

/// One 十有 evidence file if the scope sees its township or school.
pub async fn ten_have_file(db: &Db, scope: &Scope, id: i64) -> Result<Option<TenHaveFile>> {
    Ok(select_ten_have_files(db, scope, " AND t.id = ", id)
        .await?
        .into_iter()
        .next())
}

async fn select_ten_have_files(
    db: &Db,
    scope: &Scope,
    condition: &str,
    value: i64,
) -> Result<Vec<TenHaveFile>> {
    let mut sql = Sql::new(&format!(
        "SELECT {TEN_HAVE_FILE_COLUMNS} FROM ten_have_files t \
         LEFT JOIN schools s ON s.county = t.county AND s.code = t.org_code WHERE t.county = "
    ));
    sql.bind_text(scope.county())
        .push(condition)
        .bind_int(value);
    ten_have_scope(&mut sql, scope);
    sql.push(" ORDER BY t.org_code, t.item, t.id");
    rows_as(&sql.fetch_all(db).await?)
}

/// The filters, order and page of the 十有 list (one row per township or school).
#[derive(Clone, Debug, Default)]
pub struct TenHaveQuery {
    pub year: i32,
    /// A township: itself and its schools.
    pub township: Option<String>,
    pub school: Option<String>,
    /// `township` or `school`.
    pub kind: Option<String>,
    /// `done`: all ten in place; `open`: some are not.
    pub state: Option<String>,
    /// `org` (default: townships first, then by code), `name`, `done`.
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    /// 0 lists every match (exports).
    pub per_page: i64,
}

/// One township or school of the 十有 list: how many of the ten it has in place.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct TenHaveOrgRow {
    pub org_code: String,
    pub org_name: String,
    pub org_kind: String,
    pub township_code: String,
    pub done: i64,
}

/// A page of the townships and schools the scope sees with their 十有 in place that year,
/// every org unit listed (one with nothing recorded has none in place), filtered, sorted and
/// paged in one statement; then [`ten_have_items`] reads the page's entries.
pub async fn ten_have_orgs(
    db: &Db,
    scope: &Scope,
    q: &TenHaveQuery,
) -> Result<crate::lists::Page<TenHaveOrgRow>> {
    #[derive(sqlx::FromRow)]
    struct Line {
        org_code: String,
        org_name: String,
        org_kind: String,
        township_code: String,
        done: i64,
        total: i64,
    }
    let window = crate::lists::bounded_or_all(q.page, q.per_page);
    let (page, per_page) = window.unwrap_or((1, i64::MAX));
    let run = |page: Option<(i64, i64)>| {
        let mut sql = Sql::new(
            "WITH o AS (SELECT o.code AS org_code, o.name AS org_name, o.kind AS org_kind, \
             COALESCE(s.township_code, o.code) AS township_code, \
             CAST((SELECT COUNT(*) FROM ten_haves t WHERE t.county = o.county AND t.year = ",
        );
        sql.bind_int(i64::from(q.year))
            .push(
                " AND t.org_code = o.code AND t.done = 1) AS BIGINT) AS done \
                 FROM org_units o LEFT JOIN schools s ON s.county = o.county AND s.code = o.code \
                 WHERE o.kind IN ('township', 'school') AND o.county = ",
            )
            .bind_text(scope.county());
        match scope {
            // A region reads no county's records (`Scope::county` is its own code).
            Scope::Region { .. } => {
                sql.push(" AND 1 = 0");
            }
            Scope::County { .. } => {}
            Scope::Township { township, .. } => {
                sql.push(" AND (o.code = ")
                    .bind_text(township.clone())
                    .push(" OR s.township_code = ")
                    .bind_text(township.clone())
                    .push(")");
            }
            Scope::School { school, .. } | Scope::Class { school, .. } => {
                sql.push(" AND o.code = ").bind_text(school.clone());
            }
        }
        sql.push(
            ") SELECT org_code, org_name, org_kind, township_code, done, \
             CAST(COUNT(*) OVER () AS BIGINT) AS total FROM o WHERE 1 = 1",
        );
        if let Some(t) = &q.township {
            sql.push(" AND township_code = ").bind_text(t.clone());
        }
        if let Some(s) = &q.school {
            sql.push(" AND org_code = ").bind_text(s.clone());
        }
        if let Some(k) = &q.kind {
            sql.push(" AND org_kind = ").bind_text(k.clone());
        }
        let all = i64::try_from(emis_domain::safety::drowning::TEN_HAVES.len()).unwrap_or(10);
        match q.state.as_deref() {
            Some("done") => {
                sql.push(&format!(" AND done >= {all}"));
            }
            Some("open") => {
                sql.push(&format!(" AND done < {all}"));
            }
            _ => {}
        }
        let dir = if q.desc { "DESC" } else { "ASC" };
        let order = match q.sort.as_deref() {
            Some("name") => format!("org_name {dir}, org_code"),
            Some("done") => format!("done {dir}, org_kind DESC, org_code"),
            _ => format!("org_kind DESC, township_code {dir}, org_code {dir}"),
        };
        sql.push(&format!(" ORDER BY {order}"));
        if let Some((page, per_page)) = page {
            sql.page(page, per_page);
        }
        sql
    };
    let mut lines: Vec<Line> = rows_as(&run(window).fetch_all(db).await?)?;
    let mut total = lines.first().map(|l| l.total);
    if total.is_none() && page > 1 {
        // Past the last page: the first row of page one carries the total.
        total = rows_as::<Line>(&run(Some((1, 1))).fetch_all(db).await?)?
            .first()
            .map(|l| l.total);
    }
    let total = total.unwrap_or_default();
    let items = lines
        .drain(..)
        .map(|l| TenHaveOrgRow {
            org_code: l.org_code,
            org_name: l.org_name,
            org_kind: l.org_kind,
            township_code: l.township_code,
            done: l.done,
        })
        .collect();
    Ok(crate::lists::Page {
        items,
        total,
        page,
        per_page: if window.is_some() {
            per_page
        } else {
            total.max(1)
        },
    })
}

/// The 十有 entries of a year for the given org units (a page of [`ten_have_orgs`]).
pub async fn ten_have_items(
    db: &Db,
    county: &str,
    year: i32,
    orgs: &[String],
) -> Result<Vec<TenHaveRow>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT t.org_code, o.name AS org_name, o.kind AS org_kind, t.item, t.done, t.evidence \
         FROM ten_haves t JOIN org_units o ON o.county = t.county AND o.code = t.org_code WHERE t.county = ",
    );
    sql.bind_text(county)
        .push(" AND t.year = ")
        .bind_int(i64::from(year))
        .push(" AND t.org_code IN (");
    for (i, code) in orgs.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_text(code.clone());
    }
    sql.push(") ORDER BY t.org_code, t.id");
    rows_as(&sql.fetch_all(db).await?)
}
