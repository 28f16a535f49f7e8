//! Regions (市州, 省) above the counties: kept as rows of `counties` with their level and an
//! org unit of kind `region` (migration 0031), so that accounts and the audit log key them
//! as they key a county. The counties of a region are those its code contains.

use crate::{Db, Result};
use emis_domain::region::{Region, RegionLevel};

/// Creates the region (its row and its org unit) unless it exists; `true` when created.
pub async fn ensure_region(db: &Db, region: &Region) -> Result<bool> {
    let mut tx = db.begin().await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT code FROM counties WHERE code = $1")
        .bind(&region.code)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO counties (code, name, full_name, created_at, level) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&region.code)
    .bind(&region.name)
    .bind(&region.name)
    .bind(crate::now_text())
    .bind(region.level.code())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO org_units (code, county, parent_code, kind, name) VALUES ($1, $2, NULL, 'region', $3)",
    )
    .bind(&region.code)
    .bind(&region.code)
    .bind(&region.name)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    code: String,
    name: String,
    level: String,
}

/// The region of a code, if one was created.
pub async fn region(db: &Db, code: &str) -> Result<Option<Region>> {
    let row: Option<RegionRow> = sqlx::query_as(
        "SELECT code, name, level FROM counties WHERE code = $1 AND level <> 'county'",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|r| {
        Some(Region {
            level: RegionLevel::parse(&r.level)?,
            code: r.code,
            name: r.name,
        })
    }))
}

/// A county of the database: its code and name.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CountyName {
    pub code: String,
    pub name: String,
}

/// The counties of the database that the region contains, by code. The prefix match is
/// the query's; [`Region::contains`] is checked again on each row, so a row the prefix
/// alone would take (another region's) is never counted.
pub async fn counties_of(db: &Db, region: &Region) -> Result<Vec<CountyName>> {
    let rows: Vec<CountyName> = sqlx::query_as(
        "SELECT code, name FROM counties WHERE level = 'county' AND code LIKE $1 ORDER BY code",
    )
    .bind(format!("{}%", region.prefix()))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|c| region.contains(&c.code))
        .collect())
}
