//! 督导评估: the yearly assessment's scheme, the inspectors' scores and the computed (and
//! published) results.

use crate::{Db, Result, Tx};
use std::collections::HashMap;

/// A year's scheme as stored: its items as JSON (read by the domain) and the 文号 it was
/// issued under.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredScheme {
    pub year: i64,
    pub items_json: String,
    pub document: Option<String>,
}

pub async fn scheme(db: &Db, county: &str, year: i32) -> Result<Option<StoredScheme>> {
    Ok(sqlx::query_as(
        "SELECT year, items_json, document FROM assessment_schemes WHERE county = $1 AND year = $2",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_optional(db.pool())
    .await?)
}

/// The schemes that carry a 文号, by year.
pub async fn scheme_citations(db: &Db, county: &str) -> Result<Vec<StoredScheme>> {
    crate::sql::county_rows(
        db,
        "SELECT year, items_json, document FROM assessment_schemes \
         WHERE county = $1 AND document IS NOT NULL AND document <> '' ORDER BY year",
        county,
    )
    .await
}

pub async fn save_scheme(
    tx: &mut Tx,
    county: &str,
    year: i32,
    items_json: &str,
    document: Option<&str>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessment_schemes (county, year, items_json, document, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (county, year) DO UPDATE SET \
         items_json = excluded.items_json, document = excluded.document, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(items_json)
    .bind(document)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An inspector's score.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    pub school_code: String,
    pub item: String,
    /// Hundredths of a point.
    pub score: i64,
    pub note: Option<String>,
}

/// The year's inspector scores: item → points (hundredths) by school.
pub async fn scores(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<HashMap<String, HashMap<String, i64>>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT school_code, item, score FROM assessment_scores WHERE county = $1 AND year = $2",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    let mut out: HashMap<String, HashMap<String, i64>> = HashMap::new();
    for (school, item, score) in rows {
        out.entry(school).or_default().insert(item, score);
    }
    Ok(out)
}

/// Writes scores by (school, item): a score given again replaces the earlier one.
pub async fn save_scores(
    tx: &mut Tx,
    county: &str,
    year: i32,
    rows: &[Score],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    crate::sql::insert_many(
        tx,
        "assessment_scores",
        &[
            "county",
            "year",
            "school_code",
            "item",
            "score",
            "note",
            "scored_by",
            "scored_at",
        ],
        "ON CONFLICT (county, year, school_code, item) DO UPDATE SET score = excluded.score, \
         note = excluded.note, scored_by = excluded.scored_by, scored_at = excluded.scored_at",
        rows,
        |q, s| {
            q.bind(county)
                .bind(i64::from(year))
                .bind(&s.school_code)
                .bind(&s.item)
                .bind(s.score)
                .bind(&s.note)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await
}

/// The computed results of a year, with when and by whom, and whether published.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ResultsRow {
    pub results_json: String,
    pub computed_by: String,
    pub computed_at: String,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
}

pub async fn results(db: &Db, county: &str, year: i32) -> Result<Option<ResultsRow>> {
    Ok(sqlx::query_as(
        "SELECT results_json, computed_by, computed_at, published_by, published_at \
         FROM assessment_results WHERE county = $1 AND year = $2",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_optional(db.pool())
    .await?)
}

/// Stores a computation; a published year is not overwritten (returns false).
pub async fn save_results(
    tx: &mut Tx,
    county: &str,
    year: i32,
    json: &str,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO assessment_results (county, year, results_json, computed_by, computed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (county, year) DO UPDATE SET \
         results_json = excluded.results_json, computed_by = excluded.computed_by, \
         computed_at = excluded.computed_at WHERE assessment_results.published_at IS NULL",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(json)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Publishes a year's results (once).
pub async fn publish(tx: &mut Tx, county: &str, year: i32, by: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE assessment_results SET published_by = $1, published_at = $2 \
         WHERE county = $3 AND year = $4 AND published_at IS NULL",
    )
    .bind(by)
    .bind(crate::now_text())
    .bind(county)
    .bind(i64::from(year))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}
