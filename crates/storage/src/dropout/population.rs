//! 人口比对 population snapshots: the persons of each public-security roll snapshot with
//! the comparison's findings.

use crate::sql::positional;
use crate::sql::{county_rows, rows_as, Flag, Sql};
use crate::{Db, Result, Tx};
use sqlx::AssertSqlSafe;

/// One person of a snapshot with the comparison's finding.
#[derive(
    Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct PersonRow {
    pub source_row: i64,
    pub id_number: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub township_code: String,
    pub village: Option<String>,
    pub guardian: Option<String>,
    pub phone: Option<String>,
    /// `None` when not of compulsory age.
    pub finding: Option<String>,
    pub school_code: Option<String>,
    pub candidate_id: Option<String>,
    pub candidate_reason: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub poverty: bool,
}

#[derive(
    Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct SnapshotRow {
    pub id: i64,
    pub snapshot_date: String,
    pub term: String,
    pub source: String,
    pub imported_at: String,
    pub school_age: i64,
    pub suspected: i64,
    pub probable: i64,
    pub not_in_school: i64,
    /// SHA-256 over the persons and findings: a re-import with the same digest changes nothing.
    pub digest: String,
}

const SNAPSHOT_COLUMNS: &str =
    "id, snapshot_date, term, source, imported_at, school_age, suspected, probable, not_in_school, digest";

pub async fn snapshot_by_date(db: &Db, county: &str, date: &str) -> Result<Option<SnapshotRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 AND snapshot_date = $2"
    )))
    .bind(county)
    .bind(date)
    .fetch_optional(db.pool())
    .await?)
}

/// Snapshots, latest first.
pub async fn snapshots(db: &Db, county: &str) -> Result<Vec<SnapshotRow>> {
    county_rows(db, AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 ORDER BY snapshot_date DESC"
    )), county).await
}

/// The latest snapshot taken in a year.
pub async fn latest_snapshot_of_year(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Option<SnapshotRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM population_snapshots WHERE county = $1 AND snapshot_date LIKE $2 \
         ORDER BY snapshot_date DESC LIMIT 1"
    )))
    .bind(county)
    .bind(format!("{year}-%"))
    .fetch_optional(db.pool())
    .await?)
}

/// Ledger counts of a snapshot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotCounts {
    pub school_age: i64,
    pub suspected: i64,
    pub probable: i64,
    pub not_in_school: i64,
}

/// Creates the snapshot, or replaces its persons and counts when it exists; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn write_snapshot(
    tx: &mut Tx,
    county: &str,
    date: &str,
    term: &str,
    source: &str,
    counts: SnapshotCounts,
    digest: &str,
    persons: &[PersonRow],
) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM population_snapshots WHERE county = $1 AND snapshot_date = $2",
    )
    .bind(county)
    .bind(date)
    .fetch_optional(&mut **tx)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query("DELETE FROM population_persons WHERE snapshot_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE population_snapshots SET term = $1, source = $2, imported_at = $3, school_age = $4, \
                 suspected = $5, probable = $6, not_in_school = $7, digest = $8 WHERE id = $9",
            )
            .bind(term)
            .bind(source)
            .bind(crate::now_text())
            .bind(counts.school_age)
            .bind(counts.suspected)
            .bind(counts.probable)
            .bind(counts.not_in_school)
            .bind(digest)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            sqlx::query(
                "INSERT INTO population_snapshots (county, snapshot_date, term, source, imported_at, school_age, \
                 suspected, probable, not_in_school, digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(county)
            .bind(date)
            .bind(term)
            .bind(source)
            .bind(crate::now_text())
            .bind(counts.school_age)
            .bind(counts.suspected)
            .bind(counts.probable)
            .bind(counts.not_in_school)
            .bind(digest)
            .execute(&mut **tx)
            .await?;
            sqlx::query_scalar(
                "SELECT id FROM population_snapshots WHERE county = $1 AND snapshot_date = $2",
            )
            .bind(county)
            .bind(date)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    insert_persons(tx, id, county, persons).await?;
    Ok(id)
}

/// Persons go in as JSON arrays that the database unpacks (`jsonb_each` /
/// `jsonb_array_elements`): one bound value per chunk instead of sixteen per row through
/// the `Any` driver.
async fn insert_persons(
    tx: &mut Tx,
    snapshot_id: i64,
    county: &str,
    persons: &[PersonRow],
) -> Result<()> {
    const CHUNK: usize = 20_000;
    // Each row comes out as binary JSON (JSONB), so that its fourteen `->>` read a parsed
    // array instead of parsing the row's text fourteen times.
    let elements = if positional(tx) {
        "jsonb_each($3) AS j"
    } else {
        "jsonb_array_elements(CAST($3 AS JSONB)) AS j"
    };
    let sql = format!(
        "INSERT INTO population_persons (snapshot_id, county, source_row, id_number, name, sex, birth_date, \
         township_code, village, guardian, phone, finding, school_code, candidate_id, candidate_reason, poverty) \
         SELECT $1, $2, CAST(j.value ->> 0 AS BIGINT), j.value ->> 1, j.value ->> 2, j.value ->> 3, \
         j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9, \
         j.value ->> 10, j.value ->> 11, j.value ->> 12, CAST(j.value ->> 13 AS BIGINT) FROM {elements}"
    );
    for chunk in persons.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|p| {
                (
                    p.source_row,
                    &p.id_number,
                    &p.name,
                    &p.sex,
                    &p.birth_date,
                    &p.township_code,
                    &p.village,
                    &p.guardian,
                    &p.phone,
                    &p.finding,
                    &p.school_code,
                    &p.candidate_id,
                    &p.candidate_reason,
                    i64::from(p.poverty),
                )
            })
            .collect();
        let json = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(snapshot_id)
            .bind(county)
            .bind(json)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(super) const PERSON_COLUMNS: &str =
    "p.source_row, p.id_number, p.name, p.sex, p.birth_date, p.township_code, p.village, \
     p.guardian, p.phone, p.finding, p.school_code, p.candidate_id, p.candidate_reason, p.poverty";

/// Every person of a snapshot, in file order.
pub async fn persons(db: &Db, snapshot_id: i64) -> Result<Vec<PersonRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = $1 ORDER BY p.source_row"
    )))
    .bind(snapshot_id)
    .fetch_all(db.pool())
    .await?)
}

/// The persons of a snapshot with these ID numbers (one pass over the snapshot per 500).
pub async fn persons_by_ids(db: &Db, snapshot_id: i64, ids: &[String]) -> Result<Vec<PersonRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(&format!(
            "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = "
        ));
        sql.bind_int(snapshot_id).push(" AND p.id_number IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_text(id.clone());
        }
        sql.push(")");
        out.extend(rows_as::<PersonRow>(&sql.fetch_all(db).await?)?);
    }
    Ok(out)
}

/// One person of a snapshot by ID number.
pub async fn person(db: &Db, snapshot_id: i64, id_number: &str) -> Result<Option<PersonRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = $1 AND p.id_number = $2"
    )))
    .bind(snapshot_id)
    .bind(id_number)
    .fetch_optional(db.pool())
    .await?)
}

/// A snapshot's counts over the persons registered in some townships (a township office's
/// own figures): (适龄儿童, 疑似辍学 incl. 疑似匹配待确认, 疑似匹配待确认, 在籍不在校), as the
/// snapshot's county totals count them.
pub async fn snapshot_counts_in(
    db: &Db,
    snapshot_id: i64,
    townships: &[String],
) -> Result<(i64, i64, i64, i64)> {
    if townships.is_empty() {
        return Ok((0, 0, 0, 0));
    }
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(finding) AS BIGINT) AS school_age, \
         CAST(COALESCE(SUM(CASE WHEN finding IN ('疑似辍学', '疑似匹配待确认') THEN 1 ELSE 0 END), 0) AS BIGINT) AS suspected, \
         CAST(COALESCE(SUM(CASE WHEN finding = '疑似匹配待确认' THEN 1 ELSE 0 END), 0) AS BIGINT) AS probable, \
         CAST(COALESCE(SUM(CASE WHEN finding = '在籍不在校' THEN 1 ELSE 0 END), 0) AS BIGINT) AS not_in_school \
         FROM population_persons WHERE snapshot_id = ",
    );
    sql.bind_int(snapshot_id);
    sql.push(" AND township_code IN (");
    for (n, t) in townships.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind_text(t.clone());
    }
    sql.push(")");
    #[derive(sqlx::FromRow)]
    struct Counts {
        school_age: i64,
        suspected: i64,
        probable: i64,
        not_in_school: i64,
    }
    let c: Vec<Counts> = rows_as(&sql.fetch_all(db).await?)?;
    Ok(c.first()
        .map(|c| (c.school_age, c.suspected, c.probable, c.not_in_school))
        .unwrap_or_default())
}
