//! 建设项目 and their yearly investment.

use crate::sql::{county_row_by, county_rows, county_rows_by, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::projects::{Adds, Degrees, ProjectCategory, ProjectFacts};
use std::collections::HashMap;

/// A project as stored, with its school's name and its investment over all years.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub category: ProjectCategory,
    pub school_code: Option<String>,
    pub school_name: Option<String>,
    pub township_code: Option<String>,
    pub started_on: String,
    pub completed_on: Option<String>,
    /// 形象进度 (%).
    pub progress: Option<i64>,
    pub degrees_compulsory: i64,
    pub degrees_senior: i64,
    pub degrees_vocational: i64,
    pub degrees_preschool_public: i64,
    pub classrooms: i64,
    pub housing_units: i64,
    /// 累计投资 over every year recorded, in 分.
    pub invested_fen: i64,
    pub updated_by: String,
}

impl ProjectRow {
    pub fn adds(&self) -> Adds {
        Adds {
            degrees: Degrees {
                compulsory: self.degrees_compulsory,
                senior: self.degrees_senior,
                vocational: self.degrees_vocational,
                preschool_public: self.degrees_preschool_public,
            },
            classrooms: self.classrooms,
            housing_units: self.housing_units,
        }
    }

    /// The project as the rules read it (`None` when a stored date does not read, which
    /// the import and forms never write).
    pub fn facts(&self) -> Option<ProjectFacts> {
        Some(ProjectFacts {
            school_code: self.school_code.clone(),
            started_on: self.started_on.parse().ok()?,
            completed_on: match &self.completed_on {
                Some(d) => Some(d.parse().ok()?),
                None => None,
            },
            adds: self.adds(),
        })
    }
}

const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.category, p.school_code, s.name AS school_name, \
     s.township_code, p.started_on, p.completed_on, p.progress, p.degrees_compulsory, p.degrees_senior, \
     p.degrees_vocational, p.degrees_preschool_public, p.classrooms, p.housing_units, \
     CAST(COALESCE((SELECT SUM(i.amount_fen) FROM project_investments i WHERE i.project_id = p.id), 0) AS BIGINT) AS invested_fen, \
     p.updated_by FROM projects p LEFT JOIN schools s ON s.county = p.county AND s.code = p.school_code WHERE p.county = $1";

/// Every project of the county, the latest started first.
pub async fn projects(db: &Db, county: &str) -> Result<Vec<ProjectRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!(
            "{PROJECT_SELECT} ORDER BY p.started_on DESC, p.name"
        )),
        county,
    )
    .await
}

pub async fn project(db: &Db, county: &str, id: i64) -> Result<Option<ProjectRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{PROJECT_SELECT} AND p.id = $2")),
        county,
        id,
    )
    .await
}

/// The projects of one school (its page).
pub async fn projects_of_school(db: &Db, county: &str, school: &str) -> Result<Vec<ProjectRow>> {
    county_rows_by(
        db,
        sqlx::AssertSqlSafe(format!(
            "{PROJECT_SELECT} AND p.school_code = $2 ORDER BY p.started_on DESC, p.name"
        )),
        county,
        school,
    )
    .await
}

/// One year's investment in a project.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct InvestmentRow {
    pub project_id: i64,
    pub year: i64,
    pub amount_fen: i64,
    pub source: Option<String>,
    pub recorded_by: String,
}

pub async fn investments(db: &Db, county: &str) -> Result<Vec<InvestmentRow>> {
    county_rows(
        db,
        "SELECT project_id, year, amount_fen, source, recorded_by FROM project_investments \
         WHERE county = $1 ORDER BY project_id, year",
        county,
    )
    .await
}

pub async fn investments_of(db: &Db, county: &str, project: i64) -> Result<Vec<InvestmentRow>> {
    county_rows_by(
        db,
        "SELECT project_id, year, amount_fen, source, recorded_by FROM project_investments \
         WHERE county = $1 AND project_id = $2 ORDER BY year",
        county,
        project,
    )
    .await
}

/// A project as the import and the forms write it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewProject {
    pub name: String,
    pub category: ProjectCategory,
    pub school_code: Option<String>,
    pub started_on: String,
    pub completed_on: Option<String>,
    pub progress: Option<i64>,
    pub adds: Adds,
}

impl NewProject {
    /// Whether a stored project already says all this.
    pub fn same_as(&self, row: &ProjectRow) -> bool {
        (
            &self.name,
            self.category,
            &self.school_code,
            &self.started_on,
            &self.completed_on,
            self.progress,
            self.adds,
        ) == (
            &row.name,
            row.category,
            &row.school_code,
            &row.started_on,
            &row.completed_on,
            row.progress,
            row.adds(),
        )
    }
}

/// Writes projects by name (a stored one takes the new details) and returns every
/// project's id by name.
pub async fn write_projects(
    tx: &mut Tx,
    county: &str,
    rows: &[NewProject],
    by: &str,
) -> Result<HashMap<String, i64>> {
    let now = crate::now_text();
    insert_many(
        tx,
        "projects",
        &[
            "county",
            "name",
            "category",
            "school_code",
            "started_on",
            "completed_on",
            "progress",
            "degrees_compulsory",
            "degrees_senior",
            "degrees_vocational",
            "degrees_preschool_public",
            "classrooms",
            "housing_units",
            "updated_by",
            "updated_at",
        ],
        "ON CONFLICT (county, name) DO UPDATE SET category = excluded.category, \
         school_code = excluded.school_code, started_on = excluded.started_on, \
         completed_on = excluded.completed_on, progress = excluded.progress, \
         degrees_compulsory = excluded.degrees_compulsory, degrees_senior = excluded.degrees_senior, \
         degrees_vocational = excluded.degrees_vocational, \
         degrees_preschool_public = excluded.degrees_preschool_public, \
         classrooms = excluded.classrooms, housing_units = excluded.housing_units, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        rows,
        |q, r| {
            let d = &r.adds.degrees;
            q.bind(county)
                .bind(&r.name)
                .bind(r.category.label())
                .bind(&r.school_code)
                .bind(&r.started_on)
                .bind(&r.completed_on)
                .bind(r.progress)
                .bind(d.compulsory)
                .bind(d.senior)
                .bind(d.vocational)
                .bind(d.preschool_public)
                .bind(r.adds.classrooms)
                .bind(r.adds.housing_units)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await?;
    let ids: Vec<(String, i64)> = sqlx::query_as("SELECT name, id FROM projects WHERE county = $1")
        .bind(county)
        .fetch_all(&mut **tx)
        .await?;
    Ok(ids.into_iter().collect())
}

/// A year's investment as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewInvestment {
    pub project_id: i64,
    pub year: i32,
    pub amount_fen: i64,
    pub source: Option<String>,
}

/// Writes investments by (project, year): a year recorded again takes the new amount.
pub async fn write_investments(
    tx: &mut Tx,
    county: &str,
    rows: &[NewInvestment],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "project_investments",
        &[
            "county",
            "project_id",
            "year",
            "amount_fen",
            "source",
            "recorded_by",
            "recorded_at",
        ],
        "ON CONFLICT (county, project_id, year) DO UPDATE SET amount_fen = excluded.amount_fen, \
         source = excluded.source, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.project_id)
                .bind(i64::from(r.year))
                .bind(r.amount_fen)
                .bind(&r.source)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await
}

/// Records a project's completion or progress (the planning office's form).
pub async fn set_progress(
    tx: &mut Tx,
    county: &str,
    id: i64,
    progress: Option<i64>,
    completed_on: Option<&str>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE projects SET progress = $1, completed_on = $2, updated_by = $3, updated_at = $4 \
         WHERE county = $5 AND id = $6",
    )
    .bind(progress)
    .bind(completed_on)
    .bind(by)
    .bind(crate::now_text())
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
