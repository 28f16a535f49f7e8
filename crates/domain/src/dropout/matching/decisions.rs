//! After the comparison: 辍学 vs 脱贫户, and officers' decisions on probable matches applied
//! to a snapshot.

use super::{Finding, MatchResult, NotInSchool};
use crate::dropout::{PersonRows, Placement, RollRows};
use crate::registry::StudentStatus;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::hash::BuildHasher;

/// 辍学 vs 脱贫户: marks the suspected and not-in-school children whose ID number is on the
/// poverty list, and returns how many were marked.
pub fn compare_poverty<P: PersonRows + ?Sized, H: BuildHasher>(
    result: &mut MatchResult,
    population: &P,
    poverty_ids: &HashSet<String, H>,
) -> usize {
    let on_list = |person: u32| {
        let person = person as usize;
        person < population.row_count()
            && poverty_ids.contains(population.id_number(person).as_ref())
    };
    let mut marked = 0;
    for child in &mut result.suspected {
        child.poverty_household = on_list(child.person);
        marked += usize::from(child.poverty_household);
    }
    for child in &mut result.not_in_school {
        child.poverty_household = on_list(child.person);
        marked += usize::from(child.poverty_household);
    }
    result.counts.poverty_household = marked;
    marked
}

/// An officer's decision on a probable match (疑似匹配): is the child the roll student?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchDecision {
    /// 确认是同一人: the child is on the roll under the student's ID number.
    Confirmed,
    /// 不是同一人: the child stays suspected.
    Rejected,
}

impl MatchDecision {
    pub fn code(self) -> &'static str {
        match self {
            MatchDecision::Confirmed => "confirmed",
            MatchDecision::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MatchDecision::Confirmed => "确认是同一人",
            MatchDecision::Rejected => "不是同一人",
        }
    }

    pub fn parse(raw: &str) -> Option<MatchDecision> {
        match raw.trim() {
            "confirmed" | "confirm" | "确认是同一人" => Some(MatchDecision::Confirmed),
            "rejected" | "reject" | "不是同一人" => Some(MatchDecision::Rejected),
            _ => None,
        }
    }
}

/// Applies earlier decisions on probable matches to a comparison, so that a snapshot does
/// not ask again what an officer already answered. `decision(child_id, student_id)` looks a
/// pair up. A confirmed candidate makes the child found on the roll under that student (its
/// status decides in school / accounted / not in school); a rejected candidate is dropped,
/// and a child left with none is plain 疑似辍学. Call it before [`compare_poverty`].
/// Returns how many children changed.
pub fn apply_decisions<P: PersonRows + ?Sized, S: RollRows + ?Sized>(
    result: &mut MatchResult,
    population: &P,
    roll: &S,
    decision: impl Fn(&str, &str) -> Option<MatchDecision>,
) -> usize {
    let mut confirmed: Vec<(u32, u32, StudentStatus)> = Vec::new();
    let mut no_longer_probable: Vec<u32> = Vec::new();
    result.suspected.retain_mut(|child| {
        if child.person as usize >= population.row_count() {
            return true;
        }
        let person = population.id_number(child.person as usize);
        if child.candidates.is_empty() {
            return true;
        }
        let mut found = None;
        child.candidates.retain(|c| {
            let student = c.student as usize;
            if student >= roll.row_count() {
                return true;
            }
            match decision(&person, &roll.id_number(student)) {
                Some(MatchDecision::Confirmed) => {
                    found.get_or_insert((child.person, c.student, roll.status(student)));
                    true
                }
                Some(MatchDecision::Rejected) => false,
                None => true,
            }
        });
        if let Some(found) = found {
            confirmed.push(found);
            return false;
        }
        if child.candidates.is_empty() {
            no_longer_probable.push(child.person);
        }
        true
    });
    let mut set_finding = |person: u32, finding: Finding| {
        if let Ok(at) = result
            .school_age
            .binary_search_by_key(&person, |e| e.person)
        {
            result.school_age[at].finding = finding;
        }
    };
    for &person in &no_longer_probable {
        set_finding(person, Finding::Suspected);
    }
    for &(person, student, status) in &confirmed {
        set_finding(person, Finding::Enrolled { student, status });
    }
    let counts = &mut result.counts;
    counts.probable -= no_longer_probable.len() + confirmed.len();
    counts.suspected -= confirmed.len();
    for &(person, student, status) in &confirmed {
        match Placement::of(status) {
            Placement::InSchool => counts.in_school += 1,
            Placement::Accounted => counts.accounted += 1,
            Placement::NotInSchool => {
                counts.not_in_school += 1;
                result.not_in_school.push(NotInSchool {
                    person,
                    student,
                    status,
                    poverty_household: false,
                });
            }
        }
    }
    result.not_in_school.sort_by_key(|c| c.person);
    no_longer_probable.len() + confirmed.len()
}
