//! The move up to autumn 2021: where students go at the breaks between stages, each
//! continuing student's autumn school, and the autumn classes split to their targets.

use super::spring::general_senior;
use super::{Choice, Seat};
use super::{RURAL_TO_SEAT_G1, RURAL_TO_SEAT_G7, TO_GENERAL_SENIOR, TO_NEW_SCHOOL, TO_VOCATIONAL};
use crate::rng::{between, chance, index, unit, Rng};
use crate::schools::{Kind, Plan};
use emis_domain::divisions::XUPU;
use emis_domain::registry::{Grade, SchoolType, StudentStatus, UrbanRural};

/// Where students go at the breaks between stages.
pub(super) struct Routes {
    /// Per township: schools teaching 一年级 / 七年级, weighted by their spring intake.
    first_grade: Vec<Choice>,
    seventh_grade: Vec<Choice>,
    senior: Vec<(usize, f64)>,
    vocational: Option<usize>,
    new_school: Option<usize>,
}

impl Routes {
    pub(super) fn new(plans: &[Plan], spring: &[[u32; 15]], seat: usize) -> Routes {
        let new_school = plans.iter().position(|p| p.kind == Kind::NewNineYear);
        let by_township = |grade: Grade| -> Vec<Choice> {
            (0..XUPU.townships.len())
                .map(|t| {
                    let mut items: Vec<(usize, f64)> = plans
                        .iter()
                        .enumerate()
                        .filter(|(s, p)| {
                            p.township == t
                                && p.teaches(grade)
                                && p.kind != Kind::Special
                                && Some(*s) != new_school
                        })
                        .map(|(s, _)| (s, f64::from(spring[s][grade.ordinal()])))
                        .collect();
                    if let (Some(n), true) = (new_school, t == seat) {
                        let total: f64 = items.iter().map(|(_, w)| w).sum();
                        items.push((n, total * 0.15));
                    }
                    Choice::new(items)
                })
                .collect()
        };
        let senior = plans
            .iter()
            .enumerate()
            .filter(|(_, p)| general_senior(p, Grade::S1))
            .map(|(s, _)| (s, f64::from(spring[s][Grade::S1.ordinal()])))
            .collect();
        Routes {
            first_grade: by_township(Grade::G1),
            seventh_grade: by_township(Grade::G7),
            senior,
            vocational: plans.iter().position(|p| p.kind == Kind::Vocational),
            new_school,
        }
    }
}

/// The autumn school of a continuing student, or `None` if the student leaves the roll.
pub(super) fn autumn_school(
    rng: &mut Rng,
    plans: &[Plan],
    routes: &Routes,
    seat: usize,
    school: usize,
    next: Grade,
) -> Option<usize> {
    let plan = &plans[school];
    let township = plan.township;
    let from_seat = township == seat;
    match next {
        Grade::G1 if !plan.teaches(next) => {
            let t = if !from_seat && chance(rng, RURAL_TO_SEAT_G1) {
                seat
            } else {
                township
            };
            routes.first_grade[t]
                .sample(rng)
                .or_else(|| routes.first_grade[seat].sample(rng))
        }
        Grade::G7 if !plan.teaches(next) => {
            let t = if !from_seat && chance(rng, RURAL_TO_SEAT_G7) {
                seat
            } else {
                township
            };
            routes.seventh_grade[t]
                .sample(rng)
                .or_else(|| routes.seventh_grade[seat].sample(rng))
        }
        Grade::S1 if plan.kind == Kind::Special => None,
        Grade::S1 if !plan.teaches(next) || plan.kind == Kind::Complete => {
            let r = unit(rng);
            if r < TO_GENERAL_SENIOR {
                let i = crate::rng::pick_weighted(rng, routes.senior.len(), |i| {
                    let (s, w) = routes.senior[i];
                    if s == school {
                        w * 2.0
                    } else {
                        w
                    }
                });
                routes.senior.get(i).map(|(s, _)| *s)
            } else if r < TO_GENERAL_SENIOR + TO_VOCATIONAL {
                routes.vocational
            } else {
                None
            }
        }
        _ if plan.teaches(next) => {
            let movable = from_seat
                && next.is_compulsory()
                && next != Grade::G1
                && matches!(
                    plan.kind,
                    Kind::UrbanPrimary | Kind::UrbanNineYear | Kind::UrbanJunior | Kind::Complete
                );
            match routes.new_school {
                Some(n) if movable && chance(rng, TO_NEW_SCHOOL) => Some(n),
                _ => Some(school),
            }
        }
        _ => None,
    }
}

/// Class target for autumn: the largest class a (school, grade) is split to.
fn autumn_target(rng: &mut Rng, plan: &Plan, grade: Grade) -> u32 {
    match (plan.school.school_type, grade) {
        (_, Grade::Nursery) => 28,
        (_, Grade::Middle) => 30,
        (_, Grade::Senior) => 33,
        (SchoolType::Special, _) => 12,
        (SchoolType::Vocational, _) => 50,
        _ => match plan.school.urban_rural {
            UrbanRural::Urban => between(rng, 50, 55),
            UrbanRural::Town => between(rng, 45, 52),
            UrbanRural::Rural => 45,
        },
    }
}

/// Splits each autumn (school, grade) into classes of at most its target (在读 only),
/// keeping spring classmates together; others join a class at random.
pub(super) fn form_autumn_classes(
    rng: &mut Rng,
    plans: &[Plan],
    autumn: &mut [Seat],
    done: &std::collections::HashSet<(u16, Grade)>,
) {
    let keys: Vec<u32> = (0..autumn.len())
        .map(|_| index(rng, 1 << 30) as u32)
        .collect();
    let mut order: Vec<usize> = (0..autumn.len()).collect();
    order.sort_by_key(|&i| {
        let s = &autumn[i];
        (s.school, s.grade, s.origin, keys[i])
    });
    let mut start = 0;
    while start < order.len() {
        let first = autumn[order[start]];
        let mut end = start;
        while end < order.len()
            && autumn[order[end]].school == first.school
            && autumn[order[end]].grade == first.grade
        {
            end += 1;
        }
        let group = &order[start..end];
        if done.contains(&(first.school, first.grade)) {
            start = end;
            continue;
        }
        let enrolled: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| autumn[i].status == StudentStatus::Enrolled)
            .collect();
        let target = autumn_target(rng, &plans[first.school as usize], first.grade) as usize;
        let k = enrolled.len().div_ceil(target).max(1);
        let (base, extra) = (enrolled.len() / k, enrolled.len() % k);
        let mut at = 0;
        for c in 0..k {
            let size = base + usize::from(c < extra);
            for &i in &enrolled[at..at + size] {
                autumn[i].class = (c + 1) as u16;
            }
            at += size;
        }
        for &i in group {
            if autumn[i].status != StudentStatus::Enrolled {
                autumn[i].class = (index(rng, k) + 1) as u16;
            }
        }
        start = end;
    }
}
