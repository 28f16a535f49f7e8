//! Tests of the population comparison: the shared fixtures here, the tests by what they
//! cover in the files beside.

use super::*;
use crate::identity::{check_character, IdNumber};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

mod age;
mod decisions;
mod exact;
mod probable;
mod properties;
mod scale;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn as_of() -> NaiveDate {
    d(2021, 9, 1)
}

fn person(id: &str, name: &str, sex: Sex, birth: NaiveDate) -> PopulationPerson {
    PopulationPerson {
        id_number: id.to_string(),
        name: name.to_string(),
        sex,
        birth_date: birth,
        township: "卢峰镇".to_string(),
        village: None,
        guardian: None,
        phone: None,
    }
}

fn student(id: &str, name: &str, sex: Sex, birth: NaiveDate, status: StudentStatus) -> RollStudent {
    RollStudent {
        id_number: id.to_string(),
        name: name.to_string(),
        sex,
        birth_date: birth,
        school_code: "2143001234".to_string(),
        status,
    }
}

/// A valid ID number for a birth date.
fn id_for(birth: NaiveDate, seq: u16) -> String {
    IdNumber::compose("431224", birth, seq).as_str().to_string()
}

fn run(population: &[PopulationPerson], roll: &[RollStudent]) -> MatchResult {
    match_roll(population, roll, as_of(), &MatchSettings::default()).expect("settings are valid")
}

fn finding_of(result: &MatchResult, person: u32) -> Option<Finding> {
    result
        .school_age
        .iter()
        .find(|e| e.person == person)
        .map(|e| e.finding)
}

fn swap_adjacent(id: &str, i: usize) -> String {
    let mut bytes = id.as_bytes().to_vec();
    bytes.swap(i, i + 1);
    String::from_utf8(bytes).expect("ascii")
}
