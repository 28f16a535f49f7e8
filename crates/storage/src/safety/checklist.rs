//! 排查清单: the items each school ticked for an inspection or campaign.

use crate::lists::scope_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct CheckRow {
    pub school_code: String,
    pub item: String,
    pub checked_on: String,
    pub checked_by: String,
    pub note: String,
}

/// Ticks checklist items of an inspection for a school (again: the latest day and note win).
pub async fn write_checks(
    tx: &mut Tx,
    county: &str,
    inspection_id: i64,
    school: &str,
    by: &str,
    day: &str,
    items: &[(String, String)],
) -> Result<()> {
    let rows: Vec<CheckTick> = items
        .iter()
        .map(|(item, note)| CheckTick {
            inspection_id,
            school_code: school.to_string(),
            item: item.clone(),
            checked_on: day.to_string(),
            note: note.clone(),
        })
        .collect();
    write_check_ticks(tx, county, by, &rows).await
}

/// One ticked checklist item.
pub struct CheckTick {
    pub inspection_id: i64,
    pub school_code: String,
    pub item: String,
    pub checked_on: String,
    pub note: String,
}

/// Ticks checklist items of any inspections and schools in batches (the demo's tens of
/// thousands at once); a tick again keeps the latest day and note.
pub async fn write_check_ticks(
    tx: &mut Tx,
    county: &str,
    by: &str,
    rows: &[CheckTick],
) -> Result<()> {
    insert_many(
        tx,
        "safety_checks",
        &["county", "inspection_id", "school_code", "item", "checked_on", "checked_by", "note"],
        "ON CONFLICT (county, inspection_id, school_code, item) DO UPDATE SET checked_on = excluded.checked_on,  checked_by = excluded.checked_by, note = excluded.note",
        rows,
        |q, t| {
        q
            .bind(county)
            .bind(t.inspection_id)
            .bind(t.school_code.clone())
            .bind(t.item.clone())
            .bind(t.checked_on.clone())
            .bind(by)
            .bind(t.note.clone())
        },
    )
    .await?;
    Ok(())
}

/// The ticked items of an inspection, for the schools the scope sees.
pub async fn checks(db: &Db, scope: &Scope, inspection_id: i64) -> Result<Vec<CheckRow>> {
    let mut sql = Sql::new(
        "SELECT c.school_code, c.item, c.checked_on, c.checked_by, c.note FROM safety_checks c WHERE c.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND c.inspection_id = ")
        .bind_int(inspection_id);
    scope_filter(&mut sql, scope, "c.school_code");
    sql.push(" ORDER BY c.school_code, c.id");
    rows_as(&sql.fetch_all(db).await?)
}

/// Hazards found per school under an inspection (school code, count), within the scope.
pub async fn hazards_per_school(
    db: &Db,
    scope: &Scope,
    inspection_id: i64,
) -> Result<Vec<(String, i64)>> {
    let mut sql = Sql::new(
        "SELECT h.school_code, CAST(COUNT(*) AS BIGINT) AS hazards FROM safety_hazards h WHERE h.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND h.inspection_id = ")
        .bind_int(inspection_id);
    scope_filter(&mut sql, scope, "h.school_code");
    sql.push(" GROUP BY h.school_code");
    #[derive(sqlx::FromRow)]
    struct Found {
        school_code: String,
        hazards: i64,
    }
    Ok(rows_as::<Found>(&sql.fetch_all(db).await?)?
        .into_iter()
        .map(|f| (f.school_code, f.hazards))
        .collect())
}
