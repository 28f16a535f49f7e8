//! 年度工作总结: the sections as their offices draft them, the published versions with their
//! frozen figures, and which modules hold records of a year (a figure of a module without
//! records is written 未录入, not 0).

use crate::{Db, Result, Tx};
use sqlx::AssertSqlSafe;

/// What a presence query binds as `$2`.
#[derive(Clone, Copy)]
enum Bound {
    None,
    /// The year's last day, `2021-12-31`.
    YearEnd,
    /// The next year as text, `2022`: `term < '2022'` holds every term up to 2021-autumn.
    NextYearText,
    /// The year as a number.
    Year,
    /// The year's two terms, `2021-spring` and `2021-autumn` (`$2`, `$3`): equality keeps
    /// the roll's (county, term) index in use, where `LIKE '2021-%'` read every row of a
    /// year without records.
    Terms,
}

/// The modules (named as `emis_domain::summary::module_of` names them) and the query that
/// finds one of their records. A roll is per term, so the registry modules look at the
/// year's own terms; the other modules at anything recorded up to the year's end (a module
/// in use with nothing in the year then gives 0, a module never used 未录入).
const PRESENCE: &[(&str, &str, Bound)] = &[
    (
        "学籍",
        "SELECT county FROM enrollments WHERE county = $1 AND term IN ($2, $3)",
        Bound::Terms,
    ),
    (
        "送教上门",
        "SELECT county FROM enrollments WHERE county = $1 AND term IN ($2, $3)",
        Bound::Terms,
    ),
    (
        "控辍保学",
        "SELECT county FROM population_snapshots WHERE county = $1 AND snapshot_date <= $2",
        Bound::YearEnd,
    ),
    (
        "学生资助",
        "SELECT county FROM aid_payments WHERE county = $1 AND term < $2",
        Bound::NextYearText,
    ),
    (
        "教职工",
        "SELECT county FROM staff WHERE county = $1 AND (start_date IS NULL OR start_date <= $2)",
        Bound::YearEnd,
    ),
    (
        "公费定向师范生",
        "SELECT county FROM funded_trainees WHERE county = $1 AND selection_year <= $2",
        Bound::Year,
    ),
    (
        "工作室",
        "SELECT county FROM studios WHERE county = $1 AND founded_on <= $2",
        Bound::YearEnd,
    ),
    (
        "教师培训",
        "SELECT county FROM trainings WHERE county = $1 AND start_date <= $2",
        Bound::YearEnd,
    ),
    (
        "教师表彰",
        "SELECT county FROM awards WHERE county = $1 AND year <= $2",
        Bound::Year,
    ),
    (
        "安全隐患",
        "SELECT county FROM safety_hazards WHERE county = $1 AND found_on <= $2",
        Bound::YearEnd,
    ),
    (
        "安全事故",
        "SELECT county FROM incidents WHERE county = $1 AND happened_on <= $2",
        Bound::YearEnd,
    ),
    (
        "防溺水",
        "SELECT county FROM water_bodies WHERE county = $1",
        Bound::None,
    ),
    (
        "校外培训机构",
        "SELECT county FROM institutions WHERE county = $1",
        Bound::None,
    ),
    (
        "课后服务",
        "SELECT county FROM after_school WHERE county = $1 AND term < $2",
        Bound::NextYearText,
    ),
    (
        "建设项目",
        "SELECT county FROM project_investments WHERE county = $1 AND year <= $2",
        Bound::Year,
    ),
    (
        "荣誉与竞赛",
        "SELECT county FROM honours WHERE county = $1 AND granted_on <= $2",
        Bound::YearEnd,
    ),
    (
        "职业教育",
        "SELECT county FROM vocational_intakes WHERE county = $1 AND year <= $2",
        Bound::Year,
    ),
    (
        "党员发展",
        "SELECT county FROM party_stages WHERE county = $1 AND reached_on <= $2",
        Bound::YearEnd,
    ),
];

/// The modules with no record up to the end of `year` (the term-keyed ones: of `year`).
pub async fn unrecorded_modules(db: &Db, county: &str, year: i32) -> Result<Vec<&'static str>> {
    let mut out = Vec::new();
    for (module, sql, bound) in PRESENCE {
        let sql = format!("{sql} LIMIT 1");
        let query = sqlx::query_scalar(AssertSqlSafe(sql)).bind(county);
        // PostgreSQL refuses a bound parameter the statement does not use: bind only `$2`'s.
        let query = match bound {
            Bound::None => query,
            Bound::YearEnd => query.bind(format!("{year}-12-31")),
            Bound::NextYearText => query.bind((year + 1).to_string()),
            Bound::Year => query.bind(i64::from(year)),
            Bound::Terms => query
                .bind(format!("{year}-spring"))
                .bind(format!("{year}-autumn")),
        };
        let found: Option<String> = query.fetch_optional(db.pool()).await?;
        if found.is_none() {
            out.push(*module);
        }
    }
    Ok(out)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SectionRow {
    pub id: i64,
    pub position: i64,
    pub office: String,
    pub source: String,
    pub status: String,
    pub note: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

pub async fn sections(db: &Db, county: &str, year: i32) -> Result<Vec<SectionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, position, office, source, status, note, updated_by, updated_at \
         FROM summary_sections WHERE county = $1 AND year = $2 ORDER BY position",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?)
}

pub async fn section_in(tx: &mut Tx, county: &str, id: i64) -> Result<Option<(i64, SectionRow)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        year: i64,
        #[sqlx(flatten)]
        section: SectionRow,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT year, id, position, office, source, status, note, updated_by, updated_at \
         FROM summary_sections WHERE county = $1 AND id = $2",
    )
    .bind(county)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.year, r.section)))
}

/// Lays out a year's sections (office, source) when it has none yet; false when it had.
pub async fn start(
    tx: &mut Tx,
    county: &str,
    year: i32,
    sections: &[(String, String)],
    by: &str,
) -> Result<bool> {
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT county FROM summary_sections WHERE county = $1 AND year = $2 LIMIT 1",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_optional(&mut **tx)
    .await?;
    if existing.is_some() {
        return Ok(false);
    }
    let now = crate::now_text();
    for (position, (office, source)) in sections.iter().enumerate() {
        sqlx::query(
            "INSERT INTO summary_sections (county, year, position, office, source, status, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, '起草中', $6, $7)",
        )
        .bind(county)
        .bind(i64::from(year))
        .bind(position as i64)
        .bind(office)
        .bind(source)
        .bind(by)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// Saves a section's text and status (and the reviewer's note, cleared when `None`).
pub async fn update_section(
    tx: &mut Tx,
    id: i64,
    source: &str,
    status: &str,
    note: Option<&str>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE summary_sections SET source = $1, status = $2, note = $3, updated_by = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(source)
    .bind(status)
    .bind(note)
    .bind(by)
    .bind(crate::now_text())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub template: String,
    pub figures_json: String,
    pub issued_on: String,
    pub published_by: String,
    pub published_at: String,
}

/// The published versions of a year, latest first.
pub async fn versions(db: &Db, county: &str, year: i32) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as(
        "SELECT version, template, figures_json, issued_on, published_by, published_at \
         FROM summary_versions WHERE county = $1 AND year = $2 ORDER BY version DESC",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?)
}

/// Stores a published version; returns its number (1 for the first of the year).
pub async fn publish(
    tx: &mut Tx,
    county: &str,
    year: i32,
    template: &str,
    figures_json: &str,
    issued_on: &str,
    by: &str,
) -> Result<i64> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM summary_versions WHERE county = $1 AND year = $2",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    let version = last.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO summary_versions (county, year, version, template, figures_json, issued_on, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(version)
    .bind(template)
    .bind(figures_json)
    .bind(issued_on)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(version)
}
