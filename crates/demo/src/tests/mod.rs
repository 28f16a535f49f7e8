//! Every requirement on the demo county, measured from the generated records: the shared
//! fixtures here, the tests by what they measure in the files beside.

use super::*;
use chrono::{Datelike, NaiveDate};
use emis_domain::class_size::{count_large_classes, ClassFact, ClassSizeRules, LargeClassCounts};
use emis_domain::dates::full_years;
use emis_domain::identity::IdNumber;
use emis_domain::registry::{
    Grade, Hardship, Ownership, PostType, RecruitChannel, SchoolType, Sex, StudentStatus,
    UrbanRural,
};
use emis_domain::term::Term;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

mod county;
mod double_reduction;
mod dropout_control;
mod honours;
mod party;
mod people;
mod projects;
mod registers;
mod roll;
mod seat_intake;
mod seeds;
mod staffing;
mod supervision;
mod teachers;

/// The demo county of the default seed, generated once for every test.
pub(crate) fn demo_county() -> &'static DemoCounty {
    demo()
}

fn demo() -> &'static DemoCounty {
    static DEMO: OnceLock<DemoCounty> = OnceLock::new();
    DEMO.get_or_init(|| generate(2021))
}

/// A second county, to show the figures do not depend on a lucky seed.
fn other() -> &'static DemoCounty {
    static OTHER: OnceLock<DemoCounty> = OnceLock::new();
    OTHER.get_or_init(|| generate(7))
}

fn spring() -> Term {
    Term::spring(2021)
}

fn autumn() -> Term {
    Term::autumn(2021)
}

fn schools() -> HashMap<&'static str, &'static School> {
    demo()
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s))
        .collect()
}

fn school_named(name: &str) -> &'static School {
    demo()
        .schools
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no school named {name}"))
}

fn records(term: Term) -> impl Iterator<Item = &'static StudentRecord> {
    demo().students.iter().filter(move |s| s.term == term)
}

fn on_roll(status: StudentStatus) -> bool {
    matches!(
        status,
        StudentStatus::Enrolled | StudentStatus::Suspended | StudentStatus::HomeTaught
    )
}

/// Class sizes as the indicators count them: 在读 students per (school, grade, class).
fn class_sizes(term: Term) -> HashMap<(&'static str, Grade, u32), u32> {
    let mut sizes = HashMap::new();
    for s in records(term) {
        let size = sizes
            .entry((s.school_code.as_str(), s.grade, s.class_number))
            .or_insert(0);
        if s.status == StudentStatus::Enrolled {
            *size += 1;
        }
    }
    sizes
}

fn large_classes(term: Term) -> LargeClassCounts {
    let schools = schools();
    let facts: Vec<ClassFact> = class_sizes(term)
        .into_iter()
        .map(|((code, grade, _), size)| ClassFact {
            school_type: schools[code].school_type,
            grade,
            size,
        })
        .collect();
    count_large_classes(&ClassSizeRules::default(), &facts)
}

fn seat_code() -> &'static str {
    XUPU.township("卢峰镇").expect("卢峰镇").code
}
