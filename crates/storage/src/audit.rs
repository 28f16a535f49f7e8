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

pub async fn record(tx: &mut Tx, actor: &Actor, entry: Entry<'_>) -> Result<()> {
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
    .bind(entry.entity_key)
    .bind(entry.before)
    .bind(entry.after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
