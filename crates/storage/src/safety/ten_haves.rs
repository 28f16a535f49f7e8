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
         JOIN org_units o ON o.code = t.org_code LEFT JOIN schools s ON s.code = t.org_code WHERE t.county = ",
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
         LEFT JOIN schools s ON s.code = t.org_code WHERE t.county = "
    ));
    sql.bind_text(scope.county())
        .push(condition)
        .bind_int(value);
    ten_have_scope(&mut sql, scope);
    sql.push(" ORDER BY t.org_code, t.item, t.id");
    rows_as(&sql.fetch_all(db).await?)
}
