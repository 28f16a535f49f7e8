//! 审计日志: who changed or viewed what, written in the same transaction as the change.

use crate::{Result, Tx};

#[derive(Clone, Debug)]
pub struct Actor {
    /// The account name, or `system` / `cli` for the command line.
    pub name: String,
    /// Where from: an IP address, or `cli`.
    pub source: String,
}

impl Actor {
    pub fn cli() -> Actor {
        let user = std::env::var("USER").unwrap_or_else(|_| "cli".into());
        Actor {
            name: format!("cli:{user}"),
            source: "cli".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub county: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_key: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl<'a> Entry<'a> {
    /// An entry with no change records yet; add them with `before`/`after`, then `record`.
    pub fn new(county: &'a str, action: &'a str, entity: &'a str, entity_key: &'a str) -> Self {
        Entry {
            county,
            action,
            entity,
            entity_key,
            before: None,
            after: None,
        }
    }

    pub fn before(self, before: Option<String>) -> Self {
        Entry { before, ..self }
    }

    pub fn after(self, after: Option<String>) -> Self {
        Entry { after, ..self }
    }

    /// The record as it was, serialized as JSON.
    pub fn before_json(self, before: &impl serde::Serialize) -> Self {
        self.before(serde_json::to_string(before).ok())
    }

    /// The record as it now is, serialized as JSON.
    pub fn after_json(self, after: &impl serde::Serialize) -> Self {
        self.after(serde_json::to_string(after).ok())
    }

    /// Writes the entry in the change's transaction (see [`record`]).
    pub async fn record(self, tx: &mut Tx, actor: &Actor) -> Result<()> {
        record(tx, actor, self).await
    }
}

/// Writes one entry. ID numbers never reach the log in full: any ID-number-shaped run in
/// the key or the change records is masked here (`110105**********2X`), whatever the caller
/// passed; the log is searched by the masked form (see `lists::audit`).
pub async fn record(tx: &mut Tx, actor: &Actor, entry: Entry<'_>) -> Result<()> {
    use emis_domain::identity::mask_ids_in_text;
    let masked = |text: Option<String>| text.map(|t| mask_ids_in_text(&t).into_owned());
    sqlx::query(
        "INSERT INTO audit_log (county, at, actor, source, action, entity, entity_key, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.county)
    .bind(crate::now_text())
    .bind(&actor.name)
    .bind(&actor.source)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(mask_ids_in_text(entry.entity_key).into_owned())
    .bind(masked(entry.before))
    .bind(masked(entry.after))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Masks the ID numbers that entries written before masking (schema version 11) hold in
/// their key or change records; run once, in the migration's transaction.
pub async fn mask_existing_ids(tx: &mut Tx) -> Result<u64> {
    use emis_domain::identity::mask_ids_in_text;
    #[derive(sqlx::FromRow)]
    struct Logged {
        id: i64,
        entity_key: String,
        before_json: Option<String>,
        after_json: Option<String>,
    }
    let mut last = 0i64;
    let mut changed = 0u64;
    loop {
        let rows: Vec<Logged> = sqlx::query_as(
            "SELECT id, entity_key, before_json, after_json FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
        )
        .bind(last)
        .fetch_all(&mut **tx)
        .await?;
        let Some(tail) = rows.last() else {
            break;
        };
        last = tail.id;
        for Logged {
            id,
            entity_key: key,
            before_json: before,
            after_json: after,
        } in rows
        {
            let masked_key = mask_ids_in_text(&key).into_owned();
            let masked =
                |t: &Option<String>| t.as_deref().map(|t| mask_ids_in_text(t).into_owned());
            let (masked_before, masked_after) = (masked(&before), masked(&after));
            if masked_key != key || masked_before != before || masked_after != after {
                sqlx::query(
                    "UPDATE audit_log SET entity_key = $1, before_json = $2, after_json = $3 WHERE id = $4",
                )
                .bind(masked_key)
                .bind(masked_before)
                .bind(masked_after)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                changed += 1;
            }
        }
    }
    Ok(changed)
}

/// One import as its audit entry records it (`import` entries; see `imports::commit_batch`
/// in the app): which batch, when, from what file, and what became of its rows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ImportRecord {
    /// UTC, as the log stores it (`2021-10-08T08:30:00Z`).
    pub at: String,
    /// The batch written (`students`, `aid_payments`, `population`, …).
    pub entity: String,
    pub file: String,
    pub rows: i64,
    pub inserted: i64,
    pub updated: i64,
    /// Rows with problems, skipped when the import was confirmed with 跳过有问题的行.
    pub refused_rows: i64,
}

/// The imports `actor` made in `county` since `since` (a UTC time as the log writes it),
/// newest first, at most `limit`.
pub async fn imports_by(
    db: &crate::Db,
    county: &str,
    actor: &str,
    since: &str,
    limit: i64,
) -> Result<Vec<ImportRecord>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT at, entity, entity_key, after_json FROM audit_log \
         WHERE county = $1 AND actor = $2 AND action = 'import' AND at >= $3 \
         ORDER BY at DESC LIMIT $4",
    )
    .bind(county)
    .bind(actor)
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let after: Option<String> = r.get(3);
            let counts: serde_json::Value = after
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            let count = |name: &str| counts[name].as_i64().unwrap_or(0);
            let key: String = r.get(2);
            ImportRecord {
                at: r.get(0),
                entity: r.get(1),
                file: counts["file"].as_str().map_or(key, str::to_string),
                rows: count("rows"),
                inserted: count("inserted"),
                updated: count("updated"),
                refused_rows: count("refused_rows"),
            }
        })
        .collect())
}
