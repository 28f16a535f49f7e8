//! Allocation runs (分配方案) with their results, publication and placements.

use crate::sql::{county_rows, insert_many, rows_as, Flag, Label};
use crate::{Db, Result, Tx};
use emis_domain::enrollment::Placement;
use emis_domain::registry::Grade;
use sqlx::AssertSqlSafe;

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct RunRow {
    pub id: i64,
    pub year: i64,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub name: String,
    pub changes_json: String,
    pub applicants: i64,
    pub placed: i64,
    pub unplaced: i64,
    pub created_by: String,
    pub created_at: String,
    #[sqlx(try_from = "Flag")]
    pub published: bool,
    pub published_at: Option<String>,
}

const RUN_COLUMNS: &str = "id, year, grade, name, changes_json, applicants, placed, unplaced, created_by, created_at, published, published_at";

pub async fn runs(db: &Db, county: &str) -> Result<Vec<RunRow>> {
    county_rows(
        db,
        AssertSqlSafe(format!(
            "SELECT {RUN_COLUMNS} FROM allocation_runs WHERE county = $1 ORDER BY id DESC"
        )),
        county,
    )
    .await
}

/// A run and its full result (JSON of `AllocationResult`).
pub async fn run(db: &Db, county: &str, id: i64) -> Result<Option<(RunRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct WithResult {
        #[sqlx(flatten)]
        run: RunRow,
        result_json: String,
    }
    let row: Option<WithResult> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS}, result_json FROM allocation_runs WHERE county = $1 AND id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (r.run, r.result_json)))
}

pub struct NewRun<'a> {
    pub year: i32,
    pub grade: Grade,
    pub name: &'a str,
    pub changes_json: String,
    pub result_json: String,
    pub applicants: i64,
    pub placed: i64,
    pub unplaced: i64,
    pub created_by: &'a str,
    pub published: bool,
}

/// Stores a run with its placements; returns its id.
pub async fn insert_run(
    tx: &mut Tx,
    county: &str,
    run: NewRun<'_>,
    placements: &[Placement],
) -> Result<i64> {
    let now = crate::now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO allocation_runs (county, year, grade, name, changes_json, result_json, applicants, placed, unplaced, created_by, created_at, published, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(county)
    .bind(i64::from(run.year))
    .bind(run.grade.label())
    .bind(run.name)
    .bind(run.changes_json)
    .bind(run.result_json)
    .bind(run.applicants)
    .bind(run.placed)
    .bind(run.unplaced)
    .bind(run.created_by)
    .bind(now.clone())
    .bind(i64::from(run.published))
    .bind(run.published.then_some(now))
    .fetch_one(&mut **tx)
    .await?;
    insert_many(
        tx,
        "placements",
        &[
            "run_id",
            "county",
            "id_number",
            "school_code",
            "kind",
            "rank",
            "zone_school",
            "distance_m",
            "reason",
        ],
        "",
        placements,
        |q, p| {
            q.bind(id)
                .bind(county)
                .bind(&p.applicant_id)
                .bind(&p.school_code)
                .bind(p.kind.label())
                .bind(i64::from(p.rank.ordinal()))
                .bind(&p.zone_school)
                .bind(p.distance_m.map(i64::from))
                .bind(&p.reason)
        },
    )
    .await?;
    Ok(id)
}

/// Publishes a run: the only published one of its year and grade.
pub async fn publish_run(tx: &mut Tx, county: &str, id: i64, year: i64, grade: &str) -> Result<()> {
    sqlx::query(
        "UPDATE allocation_runs SET published = 0, published_at = NULL WHERE county = $1 AND year = $2 AND grade = $3",
    )
    .bind(county)
    .bind(year)
    .bind(grade)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE allocation_runs SET published = 1, published_at = $1 WHERE county = $2 AND id = $3",
    )
    .bind(crate::now_text())
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct PlacementRow {
    pub id_number: String,
    pub name: String,
    pub community: String,
    pub school_code: Option<String>,
    pub kind: String,
    pub rank: i64,
    pub zone_school: Option<String>,
    pub distance_m: Option<i64>,
    pub reason: String,
}

/// Placements of a run, optionally one school's or one name's, at most `limit` rows.
pub async fn placements(
    db: &Db,
    county: &str,
    run_id: i64,
    year: i64,
    grade: &str,
    school: Option<&str>,
    limit: i64,
) -> Result<Vec<PlacementRow>> {
    let mut sql = crate::sql::Sql::new(
        "SELECT p.id_number, COALESCE(a.name, '') AS name, COALESCE(a.community_code, '') AS community, \
         p.school_code, p.kind, p.rank, p.zone_school, p.distance_m, p.reason \
         FROM placements p LEFT JOIN applicants a ON a.county = p.county AND a.id_number = p.id_number AND a.year = ",
    );
    sql.bind_int(year)
        .push(" AND a.grade = ")
        .bind_text(grade)
        .push(" WHERE p.run_id = ")
        .bind_int(run_id)
        .push(" AND p.county = ")
        .bind_text(county);
    if let Some(s) = school {
        sql.push(" AND p.school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY p.school_code, p.rank, p.id_number LIMIT ")
        .bind_int(limit);
    rows_as(&sql.fetch_all(db).await?)
}
