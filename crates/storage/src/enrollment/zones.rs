//! Communities, zones (学区) and community-to-school distances.

use crate::sql::{county_rows, insert_many};
use crate::{Db, Result, Tx};
use emis_domain::enrollment::{Community, DistanceEntry, Distances, Zone};
use emis_domain::registry::Grade;
use std::collections::BTreeMap;

pub async fn communities(db: &Db, county: &str) -> Result<Vec<Community>> {
    #[derive(sqlx::FromRow)]
    struct CommunityRow {
        code: String,
        name: String,
        township_code: String,
    }
    let rows: Vec<CommunityRow> = county_rows(
        db,
        "SELECT code, name, township_code FROM communities WHERE county = $1 ORDER BY code",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Community {
            code: r.code,
            name: r.name,
            township_code: r.township_code,
        })
        .collect())
}

/// Adds or renames communities.
pub async fn upsert_communities(tx: &mut Tx, county: &str, list: &[Community]) -> Result<()> {
    for c in list {
        sqlx::query("DELETE FROM communities WHERE county = $1 AND code = $2")
            .bind(county)
            .bind(&c.code)
            .execute(&mut **tx)
            .await?;
    }
    insert_many(
        tx,
        "communities",
        &["county", "code", "name", "township_code"],
        "",
        list,
        |q, c| {
            q.bind(county)
                .bind(&c.code)
                .bind(&c.name)
                .bind(&c.township_code)
        },
    )
    .await
}

/// Zones of a year and grade, by school code.
pub async fn zones(db: &Db, county: &str, year: i32, grade: Grade) -> Result<Vec<Zone>> {
    #[derive(sqlx::FromRow)]
    struct Zoned {
        school_code: String,
        community_code: String,
    }
    let rows: Vec<Zoned> = sqlx::query_as(
        "SELECT school_code, community_code FROM zones WHERE county = $1 AND year = $2 AND grade = $3 ORDER BY school_code, community_code",
    )
    .bind(county)
    .bind(i64::from(year))
    .bind(grade.label())
    .fetch_all(db.pool())
    .await?;
    let mut by_school: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        by_school
            .entry(r.school_code)
            .or_default()
            .push(r.community_code);
    }
    Ok(by_school
        .into_iter()
        .map(|(school_code, communities)| Zone {
            school_code,
            grade,
            communities,
        })
        .collect())
}

/// Replaces the zones of a year and grade.
pub async fn replace_zones(
    tx: &mut Tx,
    county: &str,
    year: i32,
    grade: Grade,
    zones: &[Zone],
) -> Result<()> {
    sqlx::query("DELETE FROM zones WHERE county = $1 AND year = $2 AND grade = $3")
        .bind(county)
        .bind(i64::from(year))
        .bind(grade.label())
        .execute(&mut **tx)
        .await?;
    let mut rows: Vec<(&str, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for z in zones {
        for c in &z.communities {
            if seen.insert(c.clone()) {
                rows.push((c, &z.school_code));
            }
        }
    }
    insert_many(
        tx,
        "zones",
        &["county", "year", "grade", "community_code", "school_code"],
        "",
        &rows,
        |q, (community, school)| {
            q.bind(county)
                .bind(i64::from(year))
                .bind(grade.label())
                .bind(*community)
                .bind(*school)
        },
    )
    .await
}

pub async fn distances(db: &Db, county: &str) -> Result<Distances> {
    #[derive(sqlx::FromRow)]
    struct Distance {
        community_code: String,
        school_code: String,
        metres: i64,
    }
    let rows: Vec<Distance> = county_rows(
        db,
        "SELECT community_code, school_code, metres FROM distances WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DistanceEntry {
            community: r.community_code,
            school_code: r.school_code,
            metres: u32::try_from(r.metres).unwrap_or(u32::MAX),
        })
        .collect::<Vec<_>>()
        .into())
}

/// Sets distances (a later value for the same pair replaces the earlier one).
pub async fn upsert_distances(tx: &mut Tx, county: &str, rows: &[DistanceEntry]) -> Result<()> {
    for d in rows {
        sqlx::query(
            "DELETE FROM distances WHERE county = $1 AND community_code = $2 AND school_code = $3",
        )
        .bind(county)
        .bind(&d.community)
        .bind(&d.school_code)
        .execute(&mut **tx)
        .await?;
    }
    insert_many(
        tx,
        "distances",
        &["county", "community_code", "school_code", "metres"],
        "",
        rows,
        |q, d| {
            q.bind(county)
                .bind(&d.community)
                .bind(&d.school_code)
                .bind(i64::from(d.metres))
        },
    )
    .await
}

/// Removes every distance of the county (before a full re-import of the table).
pub async fn clear_distances(tx: &mut Tx, county: &str) -> Result<()> {
    sqlx::query("DELETE FROM distances WHERE county = $1")
        .bind(county)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
