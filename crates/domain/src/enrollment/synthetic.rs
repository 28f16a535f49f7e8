//! A deterministic synthetic county for benchmarks and scale tests.

use super::rng::SplitMix64;
use super::{
    AllocationInput, Applicant, Community, Distances, PriorityCategory, SchoolCapacity, Zone,
};
use crate::identity::IdNumber;
use crate::registry::Grade;
use chrono::{Days, NaiveDate};

/// A 一年级 allocation input: `schools` schools and `communities` communities at random
/// points of a 20 km × 20 km county (straight-line distances from every community to every
/// school), each community zoned to its nearest school except about 3 % left out of every
/// zone, `applicants` applicants with valid ID numbers, and plans of 45-seat classes
/// covering between 85 % and 115 % of each zone's demand. The same arguments always give
/// the same input.
pub fn synthetic_input(
    applicants: usize,
    schools: usize,
    communities: usize,
    seed: u64,
) -> AllocationInput {
    const SIDE: u64 = 20_000;
    const CLASS_SIZE: u32 = 45;
    let grade = Grade::G1;
    let mut rng = SplitMix64::new(seed);

    let school_codes: Vec<String> = (0..schools).map(|i| format!("S{:04}", i + 1)).collect();
    let school_points: Vec<(i64, i64)> = (0..schools)
        .map(|_| (rng.below(SIDE) as i64, rng.below(SIDE) as i64))
        .collect();
    let community_list: Vec<Community> = (0..communities)
        .map(|i| Community {
            code: format!("C{:05}", i + 1),
            name: format!("第{}社区", i + 1),
            township_code: format!("431224{:03}", 100 + i % 25),
        })
        .collect();

    let mut distances = Distances::new();
    let mut zone_members: Vec<Vec<String>> = vec![Vec::new(); schools];
    let mut zone_of: Vec<Option<usize>> = Vec::with_capacity(communities);
    for community in &community_list {
        let (x, y) = (rng.below(SIDE) as i64, rng.below(SIDE) as i64);
        let mut nearest: Option<(u32, usize)> = None;
        for (s, (sx, sy)) in school_points.iter().enumerate() {
            let (dx, dy) = ((x - sx) as f64, (y - sy) as f64);
            let d = (dx * dx + dy * dy).sqrt().round() as u32;
            distances.insert(&community.code, &school_codes[s], d);
            if nearest.is_none_or(|best| (d, s) < best) {
                nearest = Some((d, s));
            }
        }
        let zoned = nearest.filter(|_| !rng.chance(3)).map(|(_, s)| s);
        if let Some(s) = zoned {
            zone_members[s].push(community.code.clone());
        }
        zone_of.push(zoned);
    }

    let start = NaiveDate::from_ymd_opt(2014, 9, 1).unwrap_or_default();
    let mut demand = vec![0u32; schools];
    let mut list: Vec<Applicant> = Vec::with_capacity(applicants);
    for i in 0..applicants {
        let birth = start
            .checked_add_days(Days::new((i / 999) as u64))
            .unwrap_or(start);
        let id = IdNumber::compose("431224", birth, (i % 999 + 1) as u16);
        let c = if communities == 0 {
            None
        } else {
            Some(rng.below(communities as u64) as usize)
        };
        let zone = c.and_then(|c| zone_of[c]);
        if let Some(s) = zone {
            demand[s] += 1;
        }
        let sibling = if schools > 0 && rng.chance(8) {
            let s = if rng.chance(80) {
                zone
            } else {
                Some(rng.below(schools as u64) as usize)
            };
            s.map(|s| school_codes[s].clone())
        } else {
            None
        };
        let mut priority = Vec::new();
        if rng.chance(3) {
            priority.push(PriorityCategory::ServicemanChild);
        }
        if rng.chance(3) {
            priority.push(PriorityCategory::RuralTeacherChild);
        }
        if rng.chance(15) {
            priority.push(PriorityCategory::MigrantWorkerChild);
        }
        if rng.chance(1) {
            priority.push(PriorityCategory::Other);
        }
        list.push(Applicant {
            sex: id.sex(),
            id: id.as_str().to_string(),
            name: format!("申请人{}", i + 1),
            community: c.map_or_else(String::new, |c| community_list[c].code.clone()),
            hukou_in_zone: rng.chance(70),
            owns_property: rng.chance(60),
            sibling_at_school: sibling,
            priority,
            score: None,
        });
    }

    let capacities = (0..schools)
        .map(|s| {
            let factor = 85 + rng.below(31) as u32;
            let seats = demand[s] * factor / 100;
            SchoolCapacity {
                school_code: school_codes[s].clone(),
                grade,
                classes: seats.div_ceil(CLASS_SIZE).max(1),
                class_size: CLASS_SIZE,
            }
        })
        .collect();
    let zones = zone_members
        .into_iter()
        .enumerate()
        .map(|(s, members)| Zone {
            school_code: school_codes[s].clone(),
            grade,
            communities: members,
        })
        .collect();
    AllocationInput {
        grade,
        communities: community_list,
        zones,
        capacities,
        distances,
        applicants: list,
    }
}
