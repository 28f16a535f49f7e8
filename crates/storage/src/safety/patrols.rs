//! 巡查: the patrol logs of water bodies.

use super::township_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;

#[derive(Clone, Debug, Default, serde::Serialize, sqlx::FromRow)]
pub struct PatrolRow {
    pub id: i64,
    pub water_id: i64,
    pub water_name: String,
    pub township_code: String,
    pub day: String,
    pub slot: String,
    pub patroller: String,
    pub note: String,
}

pub async fn write_patrols(tx: &mut Tx, county: &str, rows: &[PatrolRow]) -> Result<()> {
    insert_many(
        tx,
        "patrol_logs",
        &["county", "water_id", "day", "slot", "patroller", "note"],
        "",
        rows,
        |q, p| {
            q.bind(county)
                .bind(p.water_id)
                .bind(&p.day)
                .bind(&p.slot)
                .bind(&p.patroller)
                .bind(&p.note)
        },
    )
    .await?;
    Ok(())
}

/// Patrol logs the scope sees between two days (ISO, inclusive).
pub async fn patrols(
    db: &Db,
    scope: &Scope,
    from: &str,
    to: &str,
    water_id: Option<i64>,
    limit: i64,
) -> Result<Vec<PatrolRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.water_id, w.name AS water_name, w.township_code, p.day, p.slot, p.patroller, p.note \
         FROM patrol_logs p JOIN water_bodies w ON w.county = p.county AND w.id = p.water_id WHERE p.county = ",
    );
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to);
    if let Some(w) = water_id {
        sql.push(" AND p.water_id = ").bind_int(w);
    }
    sql.push(" ORDER BY p.day DESC, p.id DESC LIMIT ")
        .bind_int(limit);
    rows_as(&sql.fetch_all(db).await?)
}

/// (water id, day, slot) of every patrol of the scope in a period: the input of compliance
/// and of the roster check.
pub async fn patrol_days(
    db: &Db,
    scope: &Scope,
    from: &str,
    to: &str,
) -> Result<Vec<(i64, String, String)>> {
    let mut sql = Sql::new(
        "SELECT p.water_id, p.day, p.slot FROM patrol_logs p JOIN water_bodies w ON w.county = p.county AND w.id = p.water_id WHERE p.county = ",
    );
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to);
    #[derive(sqlx::FromRow)]
    struct Patrolled {
        water_id: i64,
        day: String,
        slot: String,
    }
    Ok(rows_as::<Patrolled>(&sql.fetch_all(db).await?)?
        .into_iter()
        .map(|p| (p.water_id, p.day, p.slot))
        .collect())
}
