//! 全市（全省）比对: the population rolls of many counties against all their school rolls at
//! once. A child registered in one county who attends school in another is 疑似辍学 in the
//! county's own comparison, and found at school once the other county's roll is beside it;
//! what is left is the region's real list. Each county's latest snapshot of the year and the
//! roll of that snapshot's term are read from the database into columnar tables
//! ([`CompactRows`], about 17 bytes a row), so a province of ten million children fits.

use crate::Result;
use chrono::NaiveDate;
use emis_domain::dropout::{match_roll, CompactRows, MatchCounts, MatchSettings};
use emis_domain::registry::{Sex, StudentStatus};
use emis_domain::term::Term;
use emis_storage::dropout as store;
use emis_storage::Db;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;

use crate::region::COUNTIES_AT_ONCE;

/// One county's line of the region's comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CountyComparison {
    pub county: String,
    /// The snapshot compared (none: the county has no population roll that year).
    pub snapshot_date: Option<String>,
    /// 适龄儿童 of the county's population roll.
    pub school_age: usize,
    /// 疑似辍学 in the county's own comparison (as stored with its snapshot).
    pub suspected_in_county: usize,
    /// 疑似辍学 left when every county's roll is looked in.
    pub suspected_in_region: usize,
}

impl CountyComparison {
    /// Children the county's own comparison suspected who are at school in another county.
    pub fn found_elsewhere(&self) -> usize {
        self.suspected_in_county
            .saturating_sub(self.suspected_in_region)
    }
}

/// The comparison of a region's counties.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RegionComparison {
    pub counties: Vec<CountyComparison>,
    /// Population rows and roll rows compared.
    pub persons: usize,
    pub roll: usize,
    pub counts: MatchCounts,
}

/// Compares the latest population snapshot of `year` of each county with the rolls of all
/// of them (each county's roll of its snapshot's term). A county without a snapshot that
/// year has no children compared (not zero dropouts): its line says so by `snapshot_date`.
pub async fn compare_counties(db: &Db, counties: &[String], year: i32) -> Result<RegionComparison> {
    let mut snapshots = Vec::with_capacity(counties.len());
    for county in counties {
        snapshots.push(store::latest_snapshot_of_year(db, county, year).await?);
    }
    let Some(as_of) = snapshots
        .iter()
        .flatten()
        .filter_map(|s| s.snapshot_date.parse::<NaiveDate>().ok())
        .max()
    else {
        return Ok(RegionComparison {
            counties: counties
                .iter()
                .map(|county| CountyComparison {
                    county: county.clone(),
                    ..CountyComparison::default()
                })
                .collect(),
            ..RegionComparison::default()
        });
    };
    // A county without a population roll that year still has its school roll looked in,
    // that of the term of the latest snapshot.
    let default_term = Term::containing(as_of).code();
    let mut persons = CompactRows::default();
    let mut roll = CompactRows::default();
    // The first population row of each county, in `counties` order.
    let mut starts = Vec::with_capacity(counties.len());
    let mut lines = Vec::with_capacity(counties.len());
    // Each county's two rolls are read a few counties at once (the database works while the
    // rows already read are packed), then packed in county order.
    let each: Vec<_> = counties
        .iter()
        .zip(snapshots)
        .map(|(county, snapshot)| {
            let term = match &snapshot {
                Some(snapshot) => snapshot.term.clone(),
                None => default_term.clone(),
            };
            rolls_of(db.clone(), county.clone(), snapshot, term)
        })
        .collect();
    let rolls = futures_util::stream::iter(each).buffered(COUNTIES_AT_ONCE);
    futures_util::pin_mut!(rolls);
    while let Some((county, snapshot, people, school_roll)) = rolls.try_next().await? {
        starts.push(persons.len());
        let mut line = CountyComparison {
            county,
            ..CountyComparison::default()
        };
        for [id_number, name, sex, birth_date] in people.rows() {
            persons.push(
                id_number,
                name,
                Sex::parse(sex).unwrap_or(Sex::Male),
                emis_domain::dates::parse_stored(birth_date).unwrap_or_default(),
                StudentStatus::Enrolled,
            );
        }
        if let Some(snapshot) = snapshot {
            line.suspected_in_county = snapshot.suspected.max(0) as usize;
            line.snapshot_date = Some(snapshot.snapshot_date);
        }
        for [id_number, name, sex, birth_date, _school, status] in school_roll.rows() {
            let (sex, birth_date, status) =
                super::population::read_roll_row(sex, birth_date, status);
            roll.push(id_number, name, sex, birth_date, status);
        }
        lines.push(line);
    }
    let mut comparison = RegionComparison {
        persons: persons.len(),
        roll: roll.len(),
        ..RegionComparison::default()
    };
    let result = match_roll(&persons, &roll, as_of, &MatchSettings::default())
        .map_err(|e| crate::AppError::Refused(e.to_string()))?;
    let county_of = |person: u32| starts.partition_point(|&s| s <= person as usize) - 1;
    for entry in &result.school_age {
        lines[county_of(entry.person)].school_age += 1;
    }
    for child in &result.suspected {
        lines[county_of(child.person)].suspected_in_region += 1;
    }
    comparison.counts = result.counts;
    comparison.counties = lines;
    Ok(comparison)
}

/// A county's population roll (none without a snapshot) and its school roll of `term`.
async fn rolls_of(
    db: Db,
    county: String,
    snapshot: Option<store::SnapshotRow>,
    term: String,
) -> Result<(
    String,
    Option<store::SnapshotRow>,
    emis_storage::Packed<4>,
    emis_storage::Packed<6>,
)> {
    let (people, school_roll) = tokio::try_join!(
        async {
            match &snapshot {
                Some(s) => store::packed_persons(&db, s.id).await,
                None => Ok(emis_storage::Packed::default()),
            }
        },
        store::packed_roll(&db, &county, &term),
    )?;
    Ok((county, snapshot, people, school_roll))
}
