//! 脱贫户 the list of persons of poverty-alleviated households.

use crate::sql::{county_rows, insert_many};
use crate::{Db, Result, Tx};

/// A row of the 脱贫户 list, read by column name.
#[derive(sqlx::FromRow)]
struct PovertyRow {
    id_number: String,
    name: String,
    household_head: Option<String>,
}

pub async fn poverty_ids(db: &Db, county: &str) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT id_number FROM poverty_households WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

/// Adds persons to the 脱贫户 list: `(id_number, name, household_head)`.
pub async fn write_poverty(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, String, Option<String>)],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "poverty_households",
        &["county", "id_number", "name", "household_head", "imported_at"],
        "ON CONFLICT (county, id_number) DO UPDATE SET name = excluded.name, household_head = excluded.household_head",
        rows,
        |q, (id, name, head)| {
        q
            .bind(county)
            .bind(id)
            .bind(name)
            .bind(head.clone())
            .bind(&now)
        },
    )
    .await?;
    Ok(())
}

/// The 脱贫户 list as stored: id number → (name, household head).
pub async fn poverty_rows(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<String, (String, Option<String>)>> {
    let rows: Vec<PovertyRow> = county_rows(
        db,
        "SELECT id_number, name, household_head FROM poverty_households WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id_number, (r.name, r.household_head)))
        .collect())
}
