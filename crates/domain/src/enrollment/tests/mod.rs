//! Unit and property tests of the allocation engine, what-if runs and balanced classes:
//! the shared fixtures here, the tests by what they cover in the files beside.

use super::*;
use crate::identity::IdNumber;
use crate::registry::{Grade, Sex};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

mod balanced;
mod priority;
mod properties;
mod rules;
mod scale;
mod what_if;

fn applicant(id: &str, community: &str) -> Applicant {
    Applicant {
        id: id.to_string(),
        name: format!("学生{id}"),
        sex: Sex::Male,
        community: community.to_string(),
        hukou_in_zone: false,
        owns_property: false,
        sibling_at_school: None,
        priority: Vec::new(),
        score: None,
    }
}

fn with(mut a: Applicant, f: impl FnOnce(&mut Applicant)) -> Applicant {
    f(&mut a);
    a
}

fn zone(school: &str, communities: &[&str]) -> Zone {
    Zone {
        school_code: school.to_string(),
        grade: Grade::G1,
        communities: communities.iter().map(|c| c.to_string()).collect(),
    }
}

fn plan(school: &str, classes: u32, class_size: u32) -> SchoolCapacity {
    SchoolCapacity {
        school_code: school.to_string(),
        grade: Grade::G1,
        classes,
        class_size,
    }
}

fn distances(rows: &[(&str, &str, u32)]) -> Distances {
    let mut d = Distances::new();
    for (c, s, m) in rows {
        d.insert(c, s, *m);
    }
    d
}

fn input(
    zones: Vec<Zone>,
    capacities: Vec<SchoolCapacity>,
    distances: Distances,
    applicants: Vec<Applicant>,
) -> AllocationInput {
    AllocationInput {
        grade: Grade::G1,
        communities: Vec::new(),
        zones,
        capacities,
        distances,
        applicants,
    }
}

fn school_of<'a>(r: &'a AllocationResult, id: &str) -> Option<&'a str> {
    r.placement(id).and_then(|p| p.school_code.as_deref())
}

fn spread(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    let max = v.iter().copied().fold(f64::MIN, f64::max);
    let min = v.iter().copied().fold(f64::MAX, f64::min);
    max - min
}

/// Zone A (3 places) with one applicant of each rank 1–6; B has room, 1.2 km away.
fn six_ranks() -> AllocationInput {
    let applicants = vec![
        applicant("06", "c1"),
        with(applicant("05", "c1"), |a| {
            a.priority = vec![PriorityCategory::MigrantWorkerChild]
        }),
        with(applicant("04", "c1"), |a| {
            a.priority = vec![PriorityCategory::ServicemanChild]
        }),
        with(applicant("03", "c1"), |a| a.hukou_in_zone = true),
        with(applicant("02", "c1"), |a| {
            a.sibling_at_school = Some("A".into())
        }),
        with(applicant("01", "c1"), |a| {
            a.hukou_in_zone = true;
            a.owns_property = true;
        }),
    ];
    input(
        vec![zone("A", &["c1"]), zone("B", &["c2"])],
        vec![plan("A", 1, 3), plan("B", 2, 45)],
        distances(&[("c1", "A", 300), ("c1", "B", 1200), ("c2", "B", 200)]),
        applicants,
    )
}
