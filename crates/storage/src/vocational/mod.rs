//! 职业教育: programmes, partner agreements and yearly intake.

use crate::sql::{county_row_by, county_rows, Label};
use crate::{Db, Result, Tx};
use emis_domain::vocational::Schooling;

/// A programme as stored, with its school's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub id: i64,
    pub school_code: String,
    pub school_name: String,
    /// 专业名称.
    pub name: String,
    /// 专业代码.
    pub code: Option<String>,
    #[sqlx(try_from = "Label")]
    pub schooling: Schooling,
    /// 合作院校.
    pub partner: Option<String>,
}

const PROGRAMME_SELECT: &str =
    "SELECT p.id, p.school_code, s.name AS school_name, p.name, p.code, \
     p.schooling, p.partner FROM vocational_programmes p JOIN schools s ON s.county = p.county AND s.code = p.school_code \
     WHERE p.county = $1";

pub async fn programmes(db: &Db, county: &str) -> Result<Vec<ProgrammeRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{PROGRAMME_SELECT} ORDER BY p.school_code, p.schooling, p.name"
        )),
        county,
    )
    .await
}

pub async fn programme(db: &Db, county: &str, id: i64) -> Result<Option<ProgrammeRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{PROGRAMME_SELECT} AND p.id = $2")),
        county,
        id,
    )
    .await
}

/// A programme as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewProgramme {
    pub school_code: String,
    pub name: String,
    pub code: Option<String>,
    pub schooling: Schooling,
    pub partner: Option<String>,
}

/// Writes a programme by (school, name, 学制): a stored one takes the new code and partner
/// (when given). Returns its id.
pub async fn write_programme(
    tx: &mut Tx,
    county: &str,
    row: &NewProgramme,
    by: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO vocational_programmes (county, school_code, name, code, schooling, partner, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (county, school_code, name, schooling) DO UPDATE SET \
         code = COALESCE(excluded.code, vocational_programmes.code), \
         partner = COALESCE(excluded.partner, vocational_programmes.partner), \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(county)
    .bind(&row.school_code)
    .bind(&row.name)
    .bind(&row.code)
    .bind(row.schooling.label())
    .bind(&row.partner)
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A partner agreement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub programme_id: i64,
    /// 协议名称.
    pub title: String,
    pub partner: String,
    pub signed_on: String,
    /// 期限（年）.
    pub years: i64,
    pub recorded_by: String,
}

pub async fn agreements(db: &Db, county: &str) -> Result<Vec<AgreementRow>> {
    county_rows(
        db,
        "SELECT id, programme_id, title, partner, signed_on, years, recorded_by \
         FROM vocational_agreements WHERE county = $1 ORDER BY signed_on, id",
        county,
    )
    .await
}

/// An agreement as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewAgreement {
    pub programme_id: i64,
    pub title: String,
    pub partner: String,
    pub signed_on: String,
    pub years: i64,
}

/// Records an agreement; the same title signed the same day again takes the new details.
pub async fn write_agreement(
    tx: &mut Tx,
    county: &str,
    row: &NewAgreement,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO vocational_agreements (county, programme_id, title, partner, signed_on, years, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (county, programme_id, title, signed_on) DO UPDATE SET partner = excluded.partner, \
         years = excluded.years, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(county)
    .bind(row.programme_id)
    .bind(&row.title)
    .bind(&row.partner)
    .bind(&row.signed_on)
    .bind(row.years)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One year's intake of a programme.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct IntakeRow {
    pub programme_id: i64,
    pub year: i64,
    pub students: i64,
    pub recorded_by: String,
}

pub async fn intakes(db: &Db, county: &str) -> Result<Vec<IntakeRow>> {
    county_rows(
        db,
        "SELECT programme_id, year, students, recorded_by FROM vocational_intakes \
         WHERE county = $1 ORDER BY year, programme_id",
        county,
    )
    .await
}

/// Records a year's intake of a programme (the year recorded again takes the new count).
pub async fn write_intake(
    tx: &mut Tx,
    county: &str,
    programme: i64,
    year: i32,
    students: i64,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO vocational_intakes (county, programme_id, year, students, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (county, programme_id, year) DO UPDATE \
         SET students = excluded.students, recorded_by = excluded.recorded_by, \
         recorded_at = excluded.recorded_at",
    )
    .bind(county)
    .bind(programme)
    .bind(i64::from(year))
    .bind(students)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
