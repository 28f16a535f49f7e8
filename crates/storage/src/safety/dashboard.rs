//! 安全工作概览: the aggregate counts of the home card and the dashboard.

use super::hazards::{hazard_where, HazardQuery};
use super::township_filter;
use crate::lists::scope_filter;
use crate::sql::{rows_as, Sql};
use crate::{Db, Result};
use emis_domain::access::Scope;

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct HazardCounts {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major_open: i64,
    pub closed: i64,
}

/// Counts of the scope's hazards as of `today` (ISO): open, overdue, 重大 not closed, closed.
pub async fn hazard_counts(db: &Db, scope: &Scope, today: &str) -> Result<HazardCounts> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' THEN 1 ELSE 0 END), 0) AS BIGINT) AS open, \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' AND h.deadline IS NOT NULL AND h.deadline < ",
    );
    sql.bind_text(today).push(
        " THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' AND h.grade = '重大' THEN 1 ELSE 0 END), 0) AS BIGINT) AS major_open, \
         CAST(COALESCE(SUM(CASE WHEN h.status = '已销号' THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed \
         FROM safety_hazards h JOIN schools s ON s.county = h.county AND s.code = h.school_code",
    );
    hazard_where(&mut sql, scope, &HazardQuery::default());
    Ok(rows_as::<HazardCounts>(&sql.fetch_all(db).await?)?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// Whether the county has any safety records (the demo loads them once).
pub async fn has_records(db: &Db, county: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_inspections WHERE county = $1 AND area = '安全'",
    )
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// The latest year with hazards or patrols recorded (pages default to it).
pub async fn latest_year(db: &Db, county: &str) -> Result<Option<i32>> {
    let day: Option<String> = sqlx::query_scalar(
        "SELECT MAX(d) FROM (SELECT MAX(found_on) AS d FROM safety_hazards WHERE county = $1 AND area = '安全' \
         UNION ALL SELECT MAX(day) AS d FROM patrol_logs WHERE county = $2) x",
    )
    .bind(county)
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    Ok(day.and_then(|d| d.get(..4).and_then(|y| y.parse().ok())))
}

// ---------------------------------------------------------------- home card

/// The 学籍状态 that are off the roll: every `StudentStatus` not in `indicators::ON_ROLL`.
const OFF_ROLL: &str = "('转出', '毕业')";

/// The home card's drowning-prevention figures of a scope, counted in the database: the card
/// shows only these totals, so it needs no per-water or per-school rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CoverageTotals {
    pub dangerous_waters: i64,
    pub equipped_waters: i64,
    /// Dangerous waters still to patrol (not backfilled).
    pub patrolled_waters: i64,
    /// (water, summer day) pairs with at least `min_patrols` patrols.
    pub compliant_days: i64,
    pub on_roll: i64,
    pub signed: i64,
}

/// Totals of the scope's waters (dangerous = 高 / 较高; equipped = 一牌一杆一圈一绳, or
/// backfilled or closed, as `Measures::complete`), the compliant patrol days from `from` to
/// `to`, and the students on the roll of `term` with those whose parents signed.
pub async fn coverage_totals(
    db: &Db,
    scope: &Scope,
    term: &str,
    (from, to): (&str, &str),
    min_patrols: i64,
) -> Result<CoverageTotals> {
    const DANGEROUS: &str = "w.risk IN ('高', '较高')";
    let mut waters = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS dangerous, \
         CAST(COALESCE(SUM(CASE WHEN (w.has_sign <> 0 AND w.has_pole <> 0 AND w.has_ring <> 0 AND w.has_rope <> 0) \
              OR w.backfilled <> 0 OR w.closed <> 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS equipped, \
         CAST(COALESCE(SUM(CASE WHEN w.backfilled = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS to_patrol \
         FROM water_bodies w WHERE {DANGEROUS} AND w.county = "
    ));
    waters.bind_text(scope.county());
    township_filter(&mut waters, scope, "w.township_code");
    #[derive(Default, sqlx::FromRow)]
    struct WaterCounts {
        dangerous: i64,
        equipped: i64,
        to_patrol: i64,
    }
    let water_counts = rows_as::<WaterCounts>(&waters.fetch_all(db).await?)?
        .into_iter()
        .next()
        .unwrap_or_default();

    let mut patrols = Sql::count(&format!(
        "FROM (SELECT p.water_id, p.day FROM patrol_logs p \
         JOIN water_bodies w ON w.county = p.county AND w.id = p.water_id \
         WHERE {DANGEROUS} AND w.backfilled = 0 AND p.county = "
    ));
    patrols.bind_text(scope.county());
    township_filter(&mut patrols, scope, "w.township_code");
    patrols
        .push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to)
        .push(" GROUP BY p.water_id, p.day HAVING COUNT(*) >= ")
        .bind_int(min_patrols)
        .push(") compliant");
    let compliant_days = patrols.fetch_count(db).await?;

    // Joining the roll to the letters reads every student (0.15 s for a county); instead
    // count the roll from an index, the letters by their school, and take off the letters
    // of the few students who have left the roll since they signed.
    let mut on_roll = Sql::count(&format!(
        "FROM enrollments e WHERE e.status IN {} AND e.county = ",
        crate::indicators::ON_ROLL
    ));
    on_roll
        .bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term);
    scope_filter(&mut on_roll, scope, "e.school_code");
    let mut letters = Sql::count("FROM parent_letters l WHERE l.county = ");
    letters
        .bind_text(scope.county())
        .push(" AND l.term = ")
        .bind_text(term);
    scope_filter(&mut letters, scope, "l.school_code");
    // From the few off-roll students to their letters (EXISTS): a join lets the planner
    // start from the letters once the tables are analysed, reading them all.
    let mut left = Sql::count(&format!(
        "FROM enrollments e \
         WHERE e.status IN {OFF_ROLL} AND e.county = "
    ));
    left.bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term)
        .push(
            " AND EXISTS (SELECT 1 FROM parent_letters l WHERE l.county = e.county \
             AND l.student_id = e.student_id AND l.term = e.term",
        );
    scope_filter(&mut left, scope, "l.school_code");
    left.push(")");
    let on_roll = on_roll.fetch_count(db).await?;
    let signed = letters.fetch_count(db).await? - left.fetch_count(db).await?;

    Ok(CoverageTotals {
        dangerous_waters: water_counts.dangerous,
        equipped_waters: water_counts.equipped,
        patrolled_waters: water_counts.to_patrol,
        compliant_days,
        on_roll,
        signed,
    })
}

#[cfg(test)]
mod tests {
    use super::OFF_ROLL;
    use crate::indicators::ON_ROLL;
    use emis_domain::registry::StudentStatus;

    #[test]
    fn every_status_is_either_on_or_off_the_roll() {
        for status in StudentStatus::ALL {
            let quoted = format!("'{}'", status.label());
            assert!(
                ON_ROLL.contains(&quoted) != OFF_ROLL.contains(&quoted),
                "{quoted}"
            );
        }
    }
}
