//! 公费定向师范生 (funded normal students) and their placement on the staff roll.

use crate::sql::{insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::teachers::{DirectedStage, TraineeSource};

/// A trainee as stored, with the staff record of the same ID number when placed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TraineeRow {
    pub id_number: String,
    pub name: String,
    pub selection_year: i64,
    #[sqlx(try_from = "Label")]
    pub source: TraineeSource,
    pub institution: String,
    #[sqlx(try_from = "Label")]
    pub stage: DirectedStage,
    pub subject: Option<String>,
    pub township_code: Option<String>,
    pub expected_graduation: i64,
    pub service_years: i64,
    /// The school of the staff record (补充渠道 公费师范生) with the same ID number.
    pub placed_school: Option<String>,
    pub placed_school_name: Option<String>,
    pub placed_township: Option<String>,
    pub placed_on: Option<String>,
}

const TRAINEE_SELECT: &str = "SELECT f.id_number, f.name, f.selection_year, f.source, f.institution, f.stage, f.subject, f.township_code, \
     f.expected_graduation, f.service_years, st.school_code AS placed_school, sc.name AS placed_school_name, \
     sc.township_code AS placed_township, st.start_date AS placed_on \
     FROM funded_trainees f LEFT JOIN staff st ON st.county = f.county AND st.id_number = f.id_number AND st.channel = '公费师范生' \
     LEFT JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code WHERE f.county = $1";

/// Every trainee of the county with their placement, by selection year then name.
pub async fn trainees(db: &Db, county: &str) -> Result<Vec<TraineeRow>> {
    crate::sql::county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{TRAINEE_SELECT} ORDER BY f.selection_year DESC, f.name, f.id_number"
        )),
        county,
    )
    .await
}

/// One trainee by ID number.
pub async fn trainee(db: &Db, county: &str, id_number: &str) -> Result<Option<TraineeRow>> {
    crate::sql::county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{TRAINEE_SELECT} AND f.id_number = $2")),
        county,
        id_number,
    )
    .await
}

/// A trainee to write (the `funded-normal` import).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewTrainee {
    pub id_number: String,
    pub name: String,
    pub selection_year: i64,
    pub source: TraineeSource,
    pub institution: String,
    pub stage: DirectedStage,
    pub subject: Option<String>,
    pub township_code: Option<String>,
    pub expected_graduation: i64,
    pub service_years: i64,
}

/// Inserts trainees; a stored ID number takes the new values.
pub async fn write_trainees(tx: &mut Tx, county: &str, rows: &[NewTrainee]) -> Result<()> {
    insert_many(
        tx,
        "funded_trainees",
        &[
            "county",
            "id_number",
            "name",
            "selection_year",
            "source",
            "institution",
            "stage",
            "subject",
            "township_code",
            "expected_graduation",
            "service_years",
        ],
        "ON CONFLICT (county, id_number) DO UPDATE SET name = excluded.name, selection_year = excluded.selection_year, \
         source = excluded.source, institution = excluded.institution, stage = excluded.stage, subject = excluded.subject, \
         township_code = excluded.township_code, expected_graduation = excluded.expected_graduation, service_years = excluded.service_years",
        rows,
        |q, t| {
            q.bind(county)
                .bind(&t.id_number)
                .bind(&t.name)
                .bind(t.selection_year)
                .bind(t.source.label())
                .bind(&t.institution)
                .bind(t.stage.label())
                .bind(&t.subject)
                .bind(&t.township_code)
                .bind(t.expected_graduation)
                .bind(t.service_years)
        },
    )
    .await
}

/// Trainees selected in a year (the indicator).
pub async fn selected_in(db: &Db, county: &str, year: i32) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM funded_trainees WHERE county = $1 AND selection_year = $2",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_one(db.pool())
    .await?)
}
