//! The 2021 autumn intake of the urban schools (卢峰镇 城区, 一年级 and 七年级), allocated by
//! the enrollment engine and split into balanced classes with recorded seeds.
//!
//! The generator only decides who applies (the children who reach 一年级 or 七年级 in the
//! county seat), where each family lives (a community of 卢峰镇, mostly one in the zone of
//! the school the child would have gone to), the family's flags, and the bureau's plan:
//! zones drawn as the nearest school, classes of the standard size (45 / 50) planned from
//! each zone's demand, with 雅堂芙蓉学校 opening the classes that are still short. Which
//! school each child goes to and which class they sit in then come out of
//! `emis_domain::enrollment::allocate` and `form_classes`, and the class sizes (at most the
//! standard size) out of that.

use crate::rng::{between, chance, index, unit, Rng};
use crate::schools::{Kind, Plan};
use emis_domain::class_size::ClassSizeRules;
use emis_domain::enrollment::{
    allocate, form_classes, AllocationInput, AllocationResult, Applicant, BalanceStudent,
    Community, Distances, PriorityCategory, SchoolCapacity, Zone,
};
use emis_domain::registry::{Grade, Sex, StudentStatus};
use std::collections::{HashMap, HashSet};

/// One entry grade's intake in the county seat.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoIntake {
    pub input: AllocationInput,
    pub result: AllocationResult,
    /// Balanced classes per school, with the seed they were formed with.
    pub classes: Vec<IntakeClasses>,
}

/// 均衡编班 for one school's placed intake.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeClasses {
    pub school_code: String,
    pub grade: Grade,
    pub class_size: u32,
    pub seed: u64,
    /// Applicant ID numbers per class (class 1 first).
    pub classes: Vec<Vec<String>>,
}

/// 卢峰镇's residential communities and villages (社区/村) in the demo.
const COMMUNITIES: &[&str] = &[
    "城东社区",
    "城西社区",
    "城南社区",
    "城北社区",
    "沿河社区",
    "警予社区",
    "向阳社区",
    "解放社区",
    "大桥社区",
    "长乐社区",
    "兴隆社区",
    "民主社区",
    "团结社区",
    "新华社区",
    "卢峰社区",
    "仲夏社区",
    "红星村",
    "新坪村",
    "茅坪村",
    "枫香村",
    "石门村",
    "九溪村",
    "黄家村",
    "杨家村",
    "双溪村",
    "冯家村",
    "洑水湾村",
    "马田村",
];

/// What the intake needs to know of a seat and its person.
pub(crate) struct IntakeSeat {
    pub school: u16,
    pub grade: Grade,
    pub status: StudentStatus,
    pub id: String,
    pub name: String,
    pub sex: Sex,
}

fn seed64(rng: &mut Rng) -> u64 {
    (u64::from(between(rng, 0, u32::MAX)) << 32) | u64::from(between(rng, 0, u32::MAX))
}

/// Allocates the urban 一年级 and 七年级 intake: returns each grade's intake, the new school
/// of each seat that moved (seat index → school index), its class, and the (school, grade)
/// pairs whose classes are formed here.
pub(crate) struct Outcome {
    pub intakes: Vec<DemoIntake>,
    pub school: HashMap<usize, u16>,
    pub class: HashMap<usize, u16>,
    pub done: HashSet<(u16, Grade)>,
}

pub(crate) fn run(rng: &mut Rng, plans: &[Plan], seat: usize, seats: &[IntakeSeat]) -> Outcome {
    let rules = ClassSizeRules::default();
    let township_code = emis_domain::divisions::XUPU.townships[seat].code;
    // Points on a 6 km × 6 km town: schools first, then communities.
    let communities: Vec<Community> = COMMUNITIES
        .iter()
        .enumerate()
        .map(|(i, name)| Community {
            code: format!("{township_code}{:03}", i + 1),
            name: (*name).to_string(),
            township_code: township_code.to_string(),
        })
        .collect();
    let mut school_points: HashMap<usize, (i64, i64)> = HashMap::new();
    for (i, p) in plans.iter().enumerate() {
        if p.township == seat && p.is_urban() && (p.teaches(Grade::G1) || p.teaches(Grade::G7)) {
            school_points.insert(
                i,
                (
                    i64::from(between(rng, 0, 6000)),
                    i64::from(between(rng, 0, 6000)),
                ),
            );
        }
    }
    let community_points: Vec<(i64, i64)> = communities
        .iter()
        .map(|_| {
            (
                i64::from(between(rng, 0, 6000)),
                i64::from(between(rng, 0, 6000)),
            )
        })
        .collect();

    let mut out = Outcome {
        intakes: Vec::new(),
        school: HashMap::new(),
        class: HashMap::new(),
        done: HashSet::new(),
    };
    for grade in [Grade::G1, Grade::G7] {
        let mut schools: Vec<usize> = school_points
            .keys()
            .copied()
            .filter(|&i| plans[i].teaches(grade) && plans[i].kind != Kind::Special)
            .collect();
        schools.sort_unstable();
        if schools.is_empty() {
            continue;
        }
        let size = rules.standard_size(grade);
        let mut distances = Distances::new();
        let metres = |c: usize, s: usize| -> u32 {
            let (cx, cy) = community_points[c];
            let (sx, sy) = school_points[&s];
            let d = (((cx - sx).pow(2) + (cy - sy).pow(2)) as f64).sqrt();
            d.round() as u32 + 150
        };
        for (c, community) in communities.iter().enumerate() {
            for &s in &schools {
                distances.insert(&community.code, &plans[s].school.code, metres(c, s));
            }
        }
        // Zones: each community to its nearest school; a school left without one gets the
        // community nearest to it.
        let mut zone_of: Vec<usize> = (0..communities.len())
            .map(|c| {
                *schools
                    .iter()
                    .min_by_key(|&&s| (metres(c, s), s))
                    .expect("schools not empty")
            })
            .collect();
        for &s in &schools {
            if !zone_of.contains(&s) {
                let c = (0..communities.len())
                    .min_by_key(|&c| (metres(c, s), c))
                    .expect("communities");
                zone_of[c] = s;
            }
        }
        let zones: Vec<Zone> = schools
            .iter()
            .map(|&s| Zone {
                school_code: plans[s].school.code.clone(),
                grade,
                communities: (0..communities.len())
                    .filter(|&c| zone_of[c] == s)
                    .map(|c| communities[c].code.clone())
                    .collect(),
            })
            .collect();

        // Applicants: the children in school who reach the grade at an urban school.
        let members: Vec<usize> = (0..seats.len())
            .filter(|&i| {
                let s = &seats[i];
                s.grade == grade
                    && s.status == StudentStatus::Enrolled
                    && schools.binary_search(&(s.school as usize)).is_ok()
            })
            .collect();
        let mut applicants = Vec::with_capacity(members.len());
        let mut demand: HashMap<usize, u32> = HashMap::new();
        for &i in &members {
            let s = &seats[i];
            let home: Vec<usize> = (0..communities.len())
                .filter(|&c| zone_of[c] == s.school as usize)
                .collect();
            let c = if !home.is_empty() && !chance(rng, 0.08) {
                home[index(rng, home.len())]
            } else {
                index(rng, communities.len())
            };
            *demand.entry(zone_of[c]).or_default() += 1;
            let r = unit(rng);
            let (hukou, property) = if r < 0.55 {
                (true, true)
            } else if r < 0.70 {
                (true, false)
            } else if r < 0.78 {
                (false, true)
            } else {
                (false, false)
            };
            let mut priority = Vec::new();
            if chance(rng, 0.015) {
                priority.push(PriorityCategory::ServicemanChild);
            }
            if chance(rng, 0.02) {
                priority.push(PriorityCategory::RuralTeacherChild);
            }
            if !hukou && chance(rng, 0.5) {
                priority.push(PriorityCategory::MigrantWorkerChild);
            }
            let sibling = chance(rng, 0.06).then(|| plans[zone_of[c]].school.code.clone());
            let score = (grade == Grade::G7).then(|| f64::from(between(rng, 120, 300)) / 2.0);
            applicants.push(Applicant {
                id: s.id.clone(),
                name: s.name.clone(),
                sex: s.sex,
                community: communities[c].code.clone(),
                hukou_in_zone: hukou,
                owns_property: property,
                sibling_at_school: sibling,
                priority,
                score,
            });
        }

        // The plan: classes for each zone's demand (give or take a tenth); the new school
        // opens classes until the seat has places for everyone and a few more.
        let mut classes: HashMap<usize, u32> = schools
            .iter()
            .map(|&s| {
                let want = f64::from(demand.get(&s).copied().unwrap_or(0))
                    * f64::from(between(rng, 88, 108))
                    / 100.0;
                (s, (want / f64::from(size)).ceil().max(1.0) as u32)
            })
            .collect();
        let new_school = schools
            .iter()
            .copied()
            .find(|&s| plans[s].kind == Kind::NewNineYear);
        let needed = applicants.len() as u32 + applicants.len() as u32 / 50;
        while classes.values().sum::<u32>() * size < needed {
            let s = new_school.unwrap_or_else(|| {
                *schools
                    .iter()
                    .max_by_key(|&&s| {
                        (
                            demand.get(&s).copied().unwrap_or(0) * 1000 / (classes[&s] * size),
                            s,
                        )
                    })
                    .expect("schools")
            });
            *classes.get_mut(&s).expect("planned") += 1;
        }
        let capacities: Vec<SchoolCapacity> = schools
            .iter()
            .map(|&s| SchoolCapacity {
                school_code: plans[s].school.code.clone(),
                grade,
                classes: classes[&s],
                class_size: size,
            })
            .collect();
        let input = AllocationInput {
            grade,
            communities: communities.clone(),
            zones,
            capacities,
            distances,
            applicants,
        };
        let result = allocate(&input);

        // Seats follow their placement (the unplaced, if any, stay where they were).
        let index_of: HashMap<&str, usize> = schools
            .iter()
            .map(|&s| (plans[s].school.code.as_str(), s))
            .collect();
        let mut placed_at: HashMap<usize, Vec<usize>> = HashMap::new();
        let by_id: HashMap<&str, usize> =
            members.iter().map(|&i| (seats[i].id.as_str(), i)).collect();
        for &i in &members {
            let school = result
                .placement(&seats[i].id)
                .and_then(|p| p.school_code.as_deref())
                .and_then(|code| index_of.get(code).copied())
                .unwrap_or(seats[i].school as usize);
            out.school.insert(i, school as u16);
            placed_at.entry(school).or_default().push(i);
        }
        let scores: HashMap<&str, Option<f64>> = input
            .applicants
            .iter()
            .map(|a| (a.id.as_str(), a.score))
            .collect();
        let mut formed = Vec::new();
        for &s in &schools {
            let students: Vec<BalanceStudent> = placed_at
                .get(&s)
                .map(|list| {
                    list.iter()
                        .map(|&i| BalanceStudent {
                            id: seats[i].id.clone(),
                            sex: seats[i].sex,
                            score: scores.get(seats[i].id.as_str()).copied().flatten(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let seed = seed64(rng);
            let groups = form_classes(&students, size, seed);
            for (c, ids) in groups.iter().enumerate() {
                for id in ids {
                    if let Some(&i) = by_id.get(id.as_str()) {
                        out.class.insert(i, (c + 1) as u16);
                    }
                }
            }
            // Students on the roll but not in class (休学, 送教上门) join a class at random.
            let k = groups.len().max(1);
            for (i, seat_) in seats.iter().enumerate() {
                if seat_.grade == grade
                    && seat_.school as usize == s
                    && seat_.status != StudentStatus::Enrolled
                {
                    out.class.insert(i, (index(rng, k) + 1) as u16);
                }
            }
            out.done.insert((s as u16, grade));
            formed.push(IntakeClasses {
                school_code: plans[s].school.code.clone(),
                grade,
                class_size: size,
                seed,
                classes: groups,
            });
        }
        out.intakes.push(DemoIntake {
            input,
            result,
            classes: formed,
        });
    }
    out
}
