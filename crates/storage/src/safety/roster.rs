//! 暑期巡查排班: who patrols each water in which slot over which days.

use super::township_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use sqlx::AssertSqlSafe;

pub async fn write_roster(
    tx: &mut Tx,
    county: &str,
    rows: &[(i64, String, String, String, String, String)],
) -> Result<()> {
    insert_many(
        tx,
        "patrol_roster",
        &[
            "county",
            "water_id",
            "patroller",
            "phone",
            "slot",
            "from_day",
            "to_day",
        ],
        "",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.0)
                .bind(r.1.clone())
                .bind(r.2.clone())
                .bind(r.3.clone())
                .bind(r.4.clone())
                .bind(r.5.clone())
        },
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Serialize, sqlx::FromRow)]
pub struct RosterRow {
    pub id: i64,
    pub water_id: i64,
    pub patroller: String,
    pub phone: String,
    pub slot: String,
    pub from_day: String,
    pub to_day: String,
}

const ROSTER_COLUMNS: &str = "r.id, r.water_id, r.patroller, r.phone, r.slot, r.from_day, r.to_day";

/// The patrol roster of a water body.
pub async fn roster(db: &Db, county: &str, water_id: i64) -> Result<Vec<RosterRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ROSTER_COLUMNS} FROM patrol_roster r WHERE r.county = $1 AND r.water_id = $2 ORDER BY r.from_day, r.id"
    )))
    .bind(county)
    .bind(water_id)
    .fetch_all(db.pool())
    .await?)
}

/// Roster entries of the waters the scope sees.
fn roster_select(scope: &Scope) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {ROSTER_COLUMNS} FROM patrol_roster r JOIN water_bodies w ON w.county = r.county AND w.id = r.water_id WHERE r.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql
}

/// Every roster entry of the waters the scope sees (the patrol check reads them).
pub async fn rosters(db: &Db, scope: &Scope) -> Result<Vec<RosterRow>> {
    let mut sql = roster_select(scope);
    sql.push(" ORDER BY r.water_id, r.from_day, r.id");
    rows_as(&sql.fetch_all(db).await?)
}

/// One roster entry if its water lies in the scope.
pub async fn roster_entry(db: &Db, scope: &Scope, id: i64) -> Result<Option<RosterRow>> {
    let mut sql = roster_select(scope);
    sql.push(" AND r.id = ").bind_int(id);
    Ok(rows_as(&sql.fetch_all(db).await?)?.into_iter().next())
}

pub async fn insert_roster(tx: &mut Tx, county: &str, r: &RosterRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO patrol_roster (county, water_id, patroller, phone, slot, from_day, to_day) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(county)
    .bind(r.water_id)
    .bind(&r.patroller)
    .bind(&r.phone)
    .bind(&r.slot)
    .bind(&r.from_day)
    .bind(&r.to_day)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn update_roster(tx: &mut Tx, r: &RosterRow) -> Result<()> {
    sqlx::query(
        "UPDATE patrol_roster SET patroller = $1, phone = $2, slot = $3, from_day = $4, to_day = $5 WHERE id = $6",
    )
    .bind(&r.patroller)
    .bind(&r.phone)
    .bind(&r.slot)
    .bind(&r.from_day)
    .bind(&r.to_day)
    .bind(r.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_roster(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM patrol_roster WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
