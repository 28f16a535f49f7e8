//! `emis migrate`: a county's whole database copied from one engine to another (a county
//! moving from its SQLite file into a city's PostgreSQL). Both ends have the same schema
//! (the target is migrated when opened); every table is copied row by row with its ids, in
//! one transaction on the target, so that a failed copy leaves the target as it was.
//!
//! Not copied: sessions (everyone signs in again on the new server) and the migrations'
//! own bookkeeping.

use crate::sql::{insert_json, Json};
use crate::{Backend, Db, Result};
use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};

/// Tables that are not data: the target keeps its own.
const NOT_COPIED: &[&str] = &["schema_migrations", "sqlite_sequence", "sessions"];

/// Rows sent to the target per statement (one JSON text each).
const CHUNK: usize = 5_000;

/// Why a copy was refused before anything was written.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("目标数据库已有数据（表 {table} 有 {rows} 行）：只能迁入空数据库")]
    TargetNotEmpty { table: String, rows: i64 },
    #[error("源数据库与目标数据库是同一种引擎（{0:?}）：请用备份（emis backup 或 pg_dump）复制")]
    SameEngine(Backend),
}

/// One table copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopiedTable {
    pub table: String,
    pub rows: i64,
}

/// Copies every table of `from` into the empty `to`; returns the rows of each table. A
/// target with any row of data is refused, and nothing is written.
pub async fn copy_database(
    from: &Db,
    to: &Db,
    on_table: &(dyn Fn(&str, i64) + Sync),
) -> Result<std::result::Result<Vec<CopiedTable>, CopyError>> {
    if from.backend() == to.backend() {
        return Ok(Err(CopyError::SameEngine(from.backend())));
    }
    let tables = ordered_tables(to).await?;
    for table in &tables {
        let rows = count(to, table).await?;
        if rows > 0 {
            return Ok(Err(CopyError::TargetNotEmpty {
                table: table.clone(),
                rows,
            }));
        }
    }
    let mut tx = to.begin().await?;
    let mut copied = Vec::new();
    for table in &tables {
        let columns = columns(to, table).await?;
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let kinds: Vec<(&str, Json)> = columns.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        let select = format!("SELECT {} FROM {table}", names.join(", "));
        let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(from.pool());
        let mut chunk: Vec<Vec<serde_json::Value>> = Vec::with_capacity(CHUNK);
        let mut total = 0i64;
        while let Some(row) = rows.try_next().await? {
            chunk.push(values(&row, &kinds)?);
            if chunk.len() == CHUNK {
                insert_json(&mut tx, table, &kinds, "", &chunk, Clone::clone).await?;
                total += chunk.len() as i64;
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            insert_json(&mut tx, table, &kinds, "", &chunk, Clone::clone).await?;
            total += chunk.len() as i64;
        }
        if to.backend() == Backend::Postgres && names.contains(&"id") {
            // Ids were copied as they were: the identity goes on after the highest.
            let reset = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false) \
                 WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
            );
            sqlx::query(AssertSqlSafe(reset)).execute(&mut *tx).await?;
        }
        on_table(table, total);
        copied.push(CopiedTable {
            table: table.clone(),
            rows: total,
        });
    }
    crate::commit(tx).await?;
    if to.backend() == Backend::Postgres {
        // A bulk copy leaves the planner without statistics: without them the first
        // reports plan their joins blind (minutes instead of a second on a county).
        for table in &tables {
            sqlx::query(AssertSqlSafe(format!("ANALYZE {table}")))
                .execute(to.pool())
                .await?;
        }
    }
    Ok(Ok(copied))
}

/// One row's values as JSON, read by the target's column kinds.
fn values(row: &sqlx::any::AnyRow, kinds: &[(&str, Json)]) -> Result<Vec<serde_json::Value>> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Json::Int => match row.try_get::<Option<i64>, _>(i) {
                    Ok(v) => v.map_or(serde_json::Value::Null, Into::into),
                    // SQLite keeps what it was given: a number stored as text reads as text.
                    Err(_) => row
                        .try_get::<Option<String>, _>(i)?
                        .and_then(|t| t.trim().parse::<i64>().ok())
                        .map_or(serde_json::Value::Null, Into::into),
                },
                Json::Text => match row.try_get::<Option<String>, _>(i) {
                    Ok(v) => v.map_or(serde_json::Value::Null, Into::into),
                    Err(_) => row
                        .try_get::<Option<i64>, _>(i)?
                        .map_or(serde_json::Value::Null, |n| n.to_string().into()),
                },
            })
        })
        .collect()
}

async fn count(db: &Db, table: &str) -> Result<i64> {
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
    Ok(sqlx::query(AssertSqlSafe(sql))
        .fetch_one(db.pool())
        .await?
        .get(0))
}

/// The data tables of `db`, each after the tables its foreign keys point to.
async fn ordered_tables(db: &Db) -> Result<Vec<String>> {
    let (tables_sql, refs_sql) = match db.backend() {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table'",
        ),
        Backend::Postgres => (
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            "SELECT c.relname::text, p.relname::text FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE k.contype = 'f' AND n.nspname = current_schema()",
        ),
    };
    let tables: Vec<String> = sqlx::query(tables_sql)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .filter(|t| !NOT_COPIED.contains(&t.as_str()))
        .collect();
    let refs: Vec<(String, String)> = sqlx::query(refs_sql)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect();
    Ok(dependency_order(tables, &refs))
}

/// `tables` ordered so that each comes after those it refers to (`refs`: table, referred);
/// a table in a cycle or referring to itself keeps its place among the rest.
fn dependency_order(tables: Vec<String>, refs: &[(String, String)]) -> Vec<String> {
    let mut placed: Vec<String> = Vec::with_capacity(tables.len());
    let mut left = tables;
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                refs.iter().all(|(from, to)| {
                    from != *t || to == *t || placed.contains(to) || !left.contains(to)
                })
            })
            .cloned()
            .collect();
        // A cycle: take the first left, so that the copy still ends.
        let ready = if ready.is_empty() {
            vec![left[0].clone()]
        } else {
            ready
        };
        left.retain(|t| !ready.contains(t));
        placed.extend(ready);
    }
    placed
}

/// The columns of `table` in `db`, each read as an integer or as text.
async fn columns(db: &Db, table: &str) -> Result<Vec<(String, Json)>> {
    let rows = match db.backend() {
        Backend::Sqlite => {
            sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(db.pool())
                .await?
        }
        Backend::Postgres => {
            sqlx::query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(db.pool())
            .await?
        }
    };
    Ok(rows
        .iter()
        .map(|r| {
            let name: String = r.get(0);
            let kind: String = r.get(1);
            let int = kind.to_ascii_uppercase().contains("INT");
            (name, if int { Json::Int } else { Json::Text })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::dependency_order;

    #[test]
    fn a_table_comes_after_the_tables_it_refers_to() {
        let tables = ["aid", "schools", "students", "org_units"].map(String::from);
        let refs = [
            ("students", "schools"),
            ("aid", "students"),
            ("schools", "org_units"),
            ("org_units", "org_units"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(
            dependency_order(tables.to_vec(), &refs),
            ["org_units", "schools", "students", "aid"]
        );
    }

    #[test]
    fn a_cycle_still_ends() {
        let tables = ["a", "b"].map(String::from);
        let refs = [("a", "b"), ("b", "a")].map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(dependency_order(tables.to_vec(), &refs).len(), 2);
    }
}
