//! 均衡编班: splitting a school's intake into balanced classes with a recorded seed.

use super::rng::SplitMix64;
use crate::registry::Sex;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A student to place in a class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceStudent {
    pub id: String,
    pub sex: Sex,
    /// An entrance or placement score, when one is used (a NaN counts as none).
    pub score: Option<f64>,
}

/// Forms classes from `students` (ids per class).
///
/// * classes = ceil(n / class_size) (a class size of 0 counts as 1); every class has at
///   most `class_size` students and class sizes differ by at most 1;
/// * for each sex, the number of boys (girls) per class differs by at most 1;
/// * within each sex, students are shuffled with the seed, then (stably) sorted by score,
///   best first, students without a score last, and dealt to the classes in snake order
///   (1, 2, …, k, k, …, 2, 1, …), which keeps the class mean scores close; girls are dealt
///   mirrored so that the classes with an extra boy are the last to get an extra girl;
/// * the class order is finally shuffled with the seed, and ids are sorted within a class.
///
/// The same students and seed always give the same classes; another seed generally
/// gives others. Record the seed with the result so it can be reproduced and audited.
pub fn form_classes(students: &[BalanceStudent], class_size: u32, seed: u64) -> Vec<Vec<String>> {
    let n = students.len();
    if n == 0 {
        return Vec::new();
    }
    let size = class_size.max(1) as usize;
    let k = n.div_ceil(size);
    let mut rng = SplitMix64::new(seed);
    let mut classes: Vec<Vec<String>> = vec![Vec::new(); k];

    let boys = ordered(students, Sex::Male, &mut rng);
    let girls = ordered(students, Sex::Female, &mut rng);
    // Where the last, partial snake round of boys lands: the front classes when the number of
    // full rounds is even, the back ones when odd.
    let boys_extra_in_front = (boys.len() / k).is_multiple_of(2);
    deal(&boys, k, false, &mut classes);
    let girls_extra_in_front = (girls.len() / k).is_multiple_of(2);
    deal(
        &girls,
        k,
        girls_extra_in_front == boys_extra_in_front,
        &mut classes,
    );

    rng.shuffle(&mut classes);
    for class in &mut classes {
        class.sort();
    }
    classes
}

/// The students of one sex: seeded shuffle, then stable sort by score (best first, none last).
fn ordered<'a>(
    students: &'a [BalanceStudent],
    sex: Sex,
    rng: &mut SplitMix64,
) -> Vec<&'a BalanceStudent> {
    let mut list: Vec<&BalanceStudent> = students.iter().filter(|s| s.sex == sex).collect();
    rng.shuffle(&mut list);
    let score = |s: &BalanceStudent| s.score.filter(|x| !x.is_nan());
    list.sort_by(|a, b| match (score(a), score(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    list
}

/// Snake dealing: position p goes to column p % k in even rounds, k − 1 − p % k in odd
/// rounds; `mirrored` maps column c to class k − 1 − c.
fn deal(list: &[&BalanceStudent], k: usize, mirrored: bool, classes: &mut [Vec<String>]) {
    for (p, student) in list.iter().enumerate() {
        let offset = p % k;
        let column = if (p / k).is_multiple_of(2) {
            offset
        } else {
            k - 1 - offset
        };
        let class = if mirrored { k - 1 - column } else { column };
        classes[class].push(student.id.clone());
    }
}

/// One formed class in numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub size: u32,
    pub male: u32,
    pub female: u32,
    /// Mean of the scores given (None when no student of the class has one).
    pub mean_score: Option<f64>,
}

/// Sizes, sex counts and mean scores of classes formed by [`form_classes`].
pub fn summarize_classes(
    students: &[BalanceStudent],
    classes: &[Vec<String>],
) -> Vec<ClassSummary> {
    let by_id: std::collections::HashMap<&str, &BalanceStudent> =
        students.iter().map(|s| (s.id.as_str(), s)).collect();
    classes
        .iter()
        .map(|class| {
            let mut summary = ClassSummary {
                size: 0,
                male: 0,
                female: 0,
                mean_score: None,
            };
            let (mut sum, mut scored) = (0.0, 0u32);
            for id in class {
                summary.size += 1;
                let Some(student) = by_id.get(id.as_str()) else {
                    continue;
                };
                match student.sex {
                    Sex::Male => summary.male += 1,
                    Sex::Female => summary.female += 1,
                }
                if let Some(x) = student.score.filter(|x| !x.is_nan()) {
                    sum += x;
                    scored += 1;
                }
            }
            if scored > 0 {
                summary.mean_score = Some(sum / f64::from(scored));
            }
            summary
        })
        .collect()
}
