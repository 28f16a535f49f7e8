//! 水域: the water bodies with their risk level and measures.

use super::{flag, township_filter};
use crate::sql::Sql;
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use sqlx::Row;

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct WaterRow {
    pub id: i64,
    pub township_code: String,
    pub township_name: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub longitude: Option<String>,
    pub latitude: Option<String>,
    pub risk: String,
    pub measures: emis_domain::safety::drowning::Measures,
}

const WATER_COLUMNS: &str =
    "w.id, w.township_code, o.name, w.village, w.name, w.kind, w.longitude, w.latitude, w.risk, \
    w.has_sign, w.has_pole, w.has_ring, w.has_rope, w.has_rail, w.backfilled, w.closed";

fn water_from(r: &sqlx::any::AnyRow) -> WaterRow {
    WaterRow {
        id: r.get(0),
        township_code: r.get(1),
        township_name: r.get(2),
        village: r.get(3),
        name: r.get(4),
        kind: r.get(5),
        longitude: r.get(6),
        latitude: r.get(7),
        risk: r.get(8),
        measures: emis_domain::safety::drowning::Measures {
            sign: flag(r, 9),
            pole: flag(r, 10),
            ring: flag(r, 11),
            rope: flag(r, 12),
            rail: flag(r, 13),
            backfilled: flag(r, 14),
            closed: flag(r, 15),
        },
    }
}

/// Water bodies the scope sees (a school sees its township's waters).
pub async fn waters(db: &Db, scope: &Scope, township: Option<&str>) -> Result<Vec<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    if let Some(t) = township {
        sql.push(" AND w.township_code = ").bind_text(t);
    }
    sql.push(" ORDER BY w.township_code, w.id");
    Ok(sql.fetch_all(db).await?.iter().map(water_from).collect())
}

pub async fn water(db: &Db, scope: &Scope, id: i64) -> Result<Option<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND w.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(water_from))
}

pub async fn insert_water(tx: &mut Tx, county: &str, w: &WaterRow) -> Result<i64> {
    let m = &w.measures;
    Ok(sqlx::query_scalar(
        "INSERT INTO water_bodies (county, township_code, village, name, kind, longitude, latitude, risk, has_sign, has_pole, has_ring, has_rope, has_rail, backfilled, closed, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(county)
    .bind(&w.township_code)
    .bind(&w.village)
    .bind(&w.name)
    .bind(&w.kind)
    .bind(w.longitude.clone())
    .bind(w.latitude.clone())
    .bind(&w.risk)
    .bind(i64::from(m.sign))
    .bind(i64::from(m.pole))
    .bind(i64::from(m.ring))
    .bind(i64::from(m.rope))
    .bind(i64::from(m.rail))
    .bind(i64::from(m.backfilled))
    .bind(i64::from(m.closed))
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn save_measures(tx: &mut Tx, w: &WaterRow) -> Result<()> {
    let m = &w.measures;
    sqlx::query(
        "UPDATE water_bodies SET risk = $1, has_sign = $2, has_pole = $3, has_ring = $4, has_rope = $5, has_rail = $6, \
         backfilled = $7, closed = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&w.risk)
    .bind(i64::from(m.sign))
    .bind(i64::from(m.pole))
    .bind(i64::from(m.ring))
    .bind(i64::from(m.rope))
    .bind(i64::from(m.rail))
    .bind(i64::from(m.backfilled))
    .bind(i64::from(m.closed))
    .bind(crate::now_text())
    .bind(w.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
