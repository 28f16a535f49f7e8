//! Schools and their classes.

use super::*;

/// The classes (grade, number) a school has had on its roll in any term.
pub async fn school_classes(db: &Db, county: &str, school: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT grade, number FROM classes WHERE county = $1 AND school_code = $2 ORDER BY grade, number",
    )
    .bind(county)
    .bind(school)
    .fetch_all(db.pool())
    .await?)
}

/// The class numbers a school has for a grade (label) in a term: a transfer's target class,
/// a class named in the safety chain.
pub async fn class_numbers(
    db: &Db,
    county: &str,
    school: &str,
    term: &str,
    grade: &str,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT number FROM classes WHERE county = $1 AND school_code = $2 AND term = $3 AND grade = $4 ORDER BY number",
    )
    .bind(county)
    .bind(school)
    .bind(term)
    .bind(grade)
    .fetch_all(db.pool())
    .await?)
}

/// A `schools` row, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct SchoolRow {
    code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    school_type: SchoolType,
    township_code: String,
    #[sqlx(try_from = "Label")]
    urban_rural: UrbanRural,
    #[sqlx(try_from = "Label")]
    ownership: Ownership,
    boarding: i64,
}

impl From<SchoolRow> for School {
    fn from(r: SchoolRow) -> School {
        School {
            code: r.code,
            name: r.name,
            school_type: r.school_type,
            township_code: r.township_code,
            urban_rural: r.urban_rural,
            ownership: r.ownership,
            boarding: r.boarding != 0,
        }
    }
}

pub async fn schools(db: &Db, county: &str) -> Result<Vec<School>> {
    let rows: Vec<SchoolRow> = county_rows(db, "SELECT code, name, school_type, township_code, urban_rural, ownership, boarding FROM schools WHERE county = $1 ORDER BY code", county).await?;
    Ok(rows.into_iter().map(School::from).collect())
}

/// Inserts or updates schools (and their org units) by school code.
pub async fn upsert_schools(tx: &mut Tx, county: &str, schools: &[School]) -> Result<()> {
    insert_many(
        tx,
        "org_units",
        &["code", "county", "parent_code", "kind", "name"],
        "ON CONFLICT (county, code) DO UPDATE SET parent_code = excluded.parent_code, name = excluded.name",
        schools,
        |q, s| {
            q.bind(&s.code)
                .bind(county)
                .bind(&s.township_code)
                .bind("school")
                .bind(&s.name)
        },
    )
    .await?;
    insert_many(
        tx,
        "schools",
        &["code", "county", "township_code", "name", "school_type", "urban_rural", "ownership", "boarding"],
        "ON CONFLICT (county, code) DO UPDATE SET township_code = excluded.township_code, name = excluded.name, \
         school_type = excluded.school_type, urban_rural = excluded.urban_rural, ownership = excluded.ownership, \
         boarding = excluded.boarding",
        schools,
        |q, s| {
            q.bind(&s.code)
                .bind(county)
                .bind(&s.township_code)
                .bind(&s.name)
                .bind(s.school_type.label())
                .bind(s.urban_rural.label())
                .bind(s.ownership.label())
                .bind(i64::from(s.boarding))
        },
    )
    .await?;
    Ok(())
}
