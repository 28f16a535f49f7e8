//! 水域: the water bodies with their risk level and measures.

use super::township_filter;
use crate::sql::{rows_as, Flag, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::safety::drowning::Measures;

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
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
    #[sqlx(flatten, try_from = "MeasureFlags")]
    pub measures: Measures,
}

/// The measures' columns: the 0/1 flags named as `Measures`' fields.
#[derive(sqlx::FromRow)]
struct MeasureFlags {
    #[sqlx(try_from = "Flag")]
    has_sign: bool,
    #[sqlx(try_from = "Flag")]
    has_pole: bool,
    #[sqlx(try_from = "Flag")]
    has_ring: bool,
    #[sqlx(try_from = "Flag")]
    has_rope: bool,
    #[sqlx(try_from = "Flag")]
    has_rail: bool,
    #[sqlx(try_from = "Flag")]
    backfilled: bool,
    #[sqlx(try_from = "Flag")]
    closed: bool,
}

impl From<MeasureFlags> for Measures {
    fn from(f: MeasureFlags) -> Measures {
        Measures {
            sign: f.has_sign,
            pole: f.has_pole,
            ring: f.has_ring,
            rope: f.has_rope,
            rail: f.has_rail,
            backfilled: f.backfilled,
            closed: f.closed,
        }
    }
}

const WATER_COLUMNS: &str =
    "w.id, w.township_code, o.name AS township_name, w.village, w.name, w.kind, w.longitude, w.latitude, w.risk, \
    w.has_sign, w.has_pole, w.has_ring, w.has_rope, w.has_rail, w.backfilled, w.closed";

/// Water bodies the scope sees (a school sees its township's waters).
pub async fn waters(db: &Db, scope: &Scope, township: Option<&str>) -> Result<Vec<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.county = w.county AND o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    if let Some(t) = township {
        sql.push(" AND w.township_code = ").bind_text(t);
    }
    sql.push(" ORDER BY w.township_code, w.id");
    rows_as(&sql.fetch_all(db).await?)
}

pub async fn water(db: &Db, scope: &Scope, id: i64) -> Result<Option<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.county = w.county AND o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND w.id = ").bind_int(id);
    Ok(rows_as(&sql.fetch_all(db).await?)?.into_iter().next())
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
