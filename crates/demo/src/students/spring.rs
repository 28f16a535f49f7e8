//! Spring 2021: every school's classes per grade, and their sizes drawn so that each 大班额
//! band holds exactly the planned number of classes.

use super::{Band, ClassPlan};
use super::{
    SPRING_COMPULSORY_LARGE, SPRING_COMPULSORY_OVERSIZE, SPRING_SENIOR_LARGE,
    SPRING_SENIOR_OVERSIZE,
};
use crate::rng::{between, chance, choose_weighted_mask, Rng};
use crate::schools::{Kind, Plan};
use emis_domain::registry::{Grade, SchoolType, Stage, UrbanRural};

/// Classes whose size may fall in the 大班额 bands: 义务教育 classes of urban and
/// town-seat schools (never village schools, never the special school).
fn crowded_compulsory(plan: &Plan, grade: Grade) -> bool {
    grade.is_compulsory()
        && plan.school.urban_rural != UrbanRural::Rural
        && plan.kind != Kind::Special
}

pub(super) fn general_senior(plan: &Plan, grade: Grade) -> bool {
    grade.stage() == Stage::Senior && plan.school.school_type.counts_as_general_senior()
}

/// A spring class size (在读 students) for its band.
fn spring_size(rng: &mut Rng, plan: &Plan, grade: Grade, band: Band) -> u16 {
    let size = match band {
        Band::Oversize => {
            66 + between(rng, 0, 6)
                + if chance(rng, 0.15) {
                    between(rng, 0, 8)
                } else {
                    0
                }
        }
        Band::Large => between(rng, 56, 65),
        Band::Normal => match (plan.school.school_type, grade.stage()) {
            (SchoolType::Kindergarten, _) => {
                let private = plan.school.ownership.is_private();
                match (grade, private) {
                    (Grade::Nursery, false) => between(rng, 22, 30),
                    (Grade::Middle, false) => between(rng, 25, 33),
                    (_, false) => between(rng, 28, 35),
                    (Grade::Nursery, true) => between(rng, 16, 28),
                    (Grade::Middle, true) => between(rng, 18, 30),
                    (_, true) => between(rng, 20, 32),
                }
            }
            (SchoolType::Special, _) => between(rng, 5, 12),
            (SchoolType::Vocational, _) => between(rng, 38, 50),
            (_, Stage::Senior) => between(rng, 44, 55),
            _ => match plan.school.urban_rural {
                UrbanRural::Urban => between(rng, 46, 55),
                UrbanRural::Town => between(rng, 38, 55),
                UrbanRural::Rural => 15 + between(rng, 0, 15) + between(rng, 0, 15),
            },
        },
    };
    size as u16
}

/// Spring classes with their planned sizes.
pub(super) fn plan_spring(rng: &mut Rng, plans: &[Plan]) -> Vec<ClassPlan> {
    let mut classes = Vec::new();
    for (si, plan) in plans.iter().enumerate() {
        for &grade in plan.school.school_type.grades() {
            for number in 1..=plan.streams[grade.ordinal()] {
                classes.push(ClassPlan {
                    school: si as u16,
                    grade,
                    number,
                    size: 0,
                });
            }
        }
    }
    let mut bands = vec![Band::Normal; classes.len()];

    // 义务教育: urban classes are far more likely to be crowded than town-seat classes.
    let pool: Vec<usize> = (0..classes.len())
        .filter(|&i| crowded_compulsory(&plans[classes[i].school as usize], classes[i].grade))
        .collect();
    let weight = |i: usize, urban: f64, town: f64| {
        if plans[classes[i].school as usize].is_urban() {
            urban
        } else {
            town
        }
    };
    assign_bands(
        rng,
        &pool,
        &mut bands,
        (SPRING_COMPULSORY_LARGE, SPRING_COMPULSORY_OVERSIZE),
        |i| weight(i, 5.0, 1.0),
        |i| weight(i, 12.0, 1.0),
    );

    // 普通高中: 溆浦县第一中学 is the most crowded.
    let pool: Vec<usize> = (0..classes.len())
        .filter(|&i| general_senior(&plans[classes[i].school as usize], classes[i].grade))
        .collect();
    let senior_weight = |i: usize| {
        if plans[classes[i].school as usize]
            .school
            .name
            .contains("第一中学")
        {
            3.0
        } else {
            1.0
        }
    };
    assign_bands(
        rng,
        &pool,
        &mut bands,
        (SPRING_SENIOR_LARGE, SPRING_SENIOR_OVERSIZE),
        senior_weight,
        senior_weight,
    );

    for (class, band) in classes.iter_mut().zip(&bands) {
        class.size = spring_size(rng, &plans[class.school as usize], class.grade, *band);
    }
    classes
}

/// Picks exactly `large` classes of `pool` for the 56+ bands, `oversize` of them for 66+.
fn assign_bands(
    rng: &mut Rng,
    pool: &[usize],
    bands: &mut [Band],
    (large, oversize): (usize, usize),
    large_weight: impl Fn(usize) -> f64,
    oversize_weight: impl Fn(usize) -> f64,
) {
    let weights: Vec<f64> = pool.iter().map(|&i| large_weight(i)).collect();
    let mask = choose_weighted_mask(rng, &weights, large);
    let chosen: Vec<usize> = pool
        .iter()
        .zip(&mask)
        .filter(|(_, m)| **m)
        .map(|(i, _)| *i)
        .collect();
    let weights: Vec<f64> = chosen.iter().map(|&i| oversize_weight(i)).collect();
    let over = choose_weighted_mask(rng, &weights, oversize);
    for (i, o) in chosen.iter().zip(&over) {
        bands[*i] = if *o { Band::Oversize } else { Band::Large };
    }
}
