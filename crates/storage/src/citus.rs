//! The schema's distribution by county (issue #19; `docs/postgresql.md`, "Citus"): which
//! tables stay whole, and a check of the PostgreSQL catalog that every other table with a
//! `county` column can be distributed by it (`create_distributed_table(t, 'county')`).
//!
//! Citus wants the distribution column in every primary key and unique constraint of a
//! distributed table, and in both sides of a foreign key between two distributed tables.
//! Migration 0033 made the schema so; [`key_problems`] keeps it so.

use crate::{Backend, Db, Result};
use sqlx::AssertSqlSafe;

/// Copied to every worker: the county list, the schema's version, and the small settings
/// every county reads with its own key.
pub const REFERENCE_TABLES: &[&str] = &[
    "counties",
    "schema_migrations",
    "aid_policies",
    "class_size_settings",
    "teacher_settings",
    "settings",
];

/// Kept on the coordinator: sign-in and API tokens are read by user name, session or token
/// hash before the county is known, and user names are unique across counties.
pub const LOCAL_TABLES: &[&str] = &["login_throttle", "sessions", "users", "api_tokens"];

/// Foreign keys from a local table into a distributed one, which Citus does not take: each
/// is dropped before distributing (`docs/postgresql.md`). (table, constraint)
pub const DROPPED_FOR_CITUS: &[(&str, &str)] = &[("users", "users_org_code_fkey")];

/// What stands in the way of distributing the schema by county, one line per key: a
/// primary key not led by `county`, a unique index without it, a foreign key between two
/// distributed tables without `county` on both sides, a key from a distributed table into a
/// local one, or a key from a whole table into a distributed one not in
/// [`DROPPED_FOR_CITUS`]. Empty when ready. PostgreSQL only (`None` on SQLite: a SQLite file
/// is one county, and keeps its keys).
pub async fn key_problems(db: &Db) -> Result<Option<Vec<String>>> {
    if db.backend() != Backend::Postgres {
        return Ok(None);
    }
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let whole = quoted(&[REFERENCE_TABLES, LOCAL_TABLES].concat());
    let local = quoted(LOCAL_TABLES);
    let dropped = DROPPED_FOR_CITUS
        .iter()
        .map(|(t, c)| format!("'{t}.{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "WITH t AS (\
           SELECT c.oid, c.relname::text AS name, \
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'county' \
                     AND NOT a.attisdropped) AND c.relname NOT IN ({whole}) AS distributed, \
             c.relname IN ({local}) AS local \
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')), \
         county_col AS (SELECT attrelid, attnum FROM pg_attribute WHERE attname = 'county') \
         SELECT t.name || ': primary key ' || pg_get_indexdef(i.indexrelid) || ' is not led by county' \
           FROM pg_index i JOIN t ON t.oid = i.indrelid \
           WHERE t.distributed AND i.indisprimary \
             AND i.indkey[0] <> (SELECT attnum FROM county_col WHERE attrelid = t.oid) \
         UNION ALL \
         SELECT t.name || ': ' || pg_get_indexdef(i.indexrelid) || ' is unique without county' \
           FROM pg_index i JOIN t ON t.oid = i.indrelid \
           WHERE t.distributed AND i.indisunique \
             AND NOT (SELECT attnum FROM county_col WHERE attrelid = t.oid) = ANY (i.indkey) \
         UNION ALL \
         SELECT f.name || ': ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || \
             CASE WHEN f.distributed AND p.distributed THEN ' does not match county with county' \
                  WHEN f.distributed THEN ' points from a distributed table to a local one' \
                  ELSE ' points from a whole table into a distributed one' END \
           FROM pg_constraint k JOIN t f ON f.oid = k.conrelid JOIN t p ON p.oid = k.confrelid \
           WHERE k.contype = 'f' AND CASE \
             WHEN f.distributed AND p.distributed THEN NOT EXISTS (\
               SELECT 1 FROM generate_subscripts(k.conkey, 1) s \
               WHERE k.conkey[s] = (SELECT attnum FROM county_col WHERE attrelid = f.oid) \
                 AND k.confkey[s] = (SELECT attnum FROM county_col WHERE attrelid = p.oid)) \
             WHEN f.distributed THEN p.local \
             ELSE p.distributed AND f.name || '.' || k.conname NOT IN ({dropped}) END \
         ORDER BY 1"
    );
    let problems: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_all(db.pool())
        .await?;
    Ok(Some(problems))
}
