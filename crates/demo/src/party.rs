//! 党建 in the demo county: the bureau's 局机关党支部 and a branch at each of the largest
//! schools, people in party development with every stage they reached, and each branch's
//! 2021 三会一课 and 主题党日.
//!
//! # How the seed's figures come out of the records
//!
//! People are planned by what they reach in 2021, not counted afterwards: exactly
//! [`ACTIVISTS`] become 入党积极分子 in 2021 (applicants of 2020 or early 2021),
//! [`PROBATIONARY`] become 预备党员 in 2021 (their 入党积极分子 a year or more before their
//! 发展对象, so in 2020 or earlier), and [`CONFIRMED`] become 正式党员 in 2021 (预备党员 in
//! 2020, confirmed a year or a few days more later). Around them are stages that count for
//! nothing in 2021: 入党申请人 of 2021, 发展对象 of 2021, 入党积极分子 of 2020 still in
//! training, and members confirmed in 2020. Every person's stages obey
//! `emis_domain::party::check_stage`.
//!
//! Pure and deterministic: its own ChaCha stream from the seed; people are drawn from the
//! staff roll (the 局机关's own from ID numbers composed beside it).

use crate::names::person_name;
use crate::rng::{between, index, pick, shuffle, Rng};
use chrono::{Days, NaiveDate};
use emis_domain::identity::IdNumber;
use emis_domain::party::{probation_ends, MeetingKind, PartyStage};
use emis_domain::registry::{School, SchoolType, Sex, StaffRecord};
use std::collections::{BTreeMap, HashSet};

/// Persons reaching 入党积极分子 in 2021.
pub const ACTIVISTS: usize = 50;
/// Persons reaching 预备党员 in 2021.
pub const PROBATIONARY: usize = 62;
/// Persons reaching 正式党员 in 2021.
pub const CONFIRMED: usize = 42;
/// The bureau's own branch.
pub const BUREAU_BRANCH: &str = "溆浦县教育局机关党支部";
/// School branches: the schools with the most staff.
const SCHOOL_BRANCHES: usize = 24;

#[derive(Clone, Debug, PartialEq)]
pub struct DemoParty {
    pub branches: Vec<DemoBranch>,
    pub people: Vec<DemoPartyPerson>,
    pub meetings: Vec<DemoMeeting>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoBranch {
    pub name: String,
    /// The school of a school's branch; `None` for the 局机关.
    pub school_code: Option<String>,
}

/// A person and the stages reached, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoPartyPerson {
    pub name: String,
    pub id_number: String,
    pub branch: String,
    pub stages: Vec<(PartyStage, NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoMeeting {
    pub branch: String,
    pub held_on: NaiveDate,
    pub kind: MeetingKind,
    pub topic: String,
    pub expected: u32,
    pub attended: u32,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

/// A day of the year `y` between months `from` and `to` (inclusive).
fn day_in(rng: &mut Rng, y: i32, from: u32, to: u32) -> NaiveDate {
    day(y, between(rng, from, to), between(rng, 1, 28))
}

fn back(on: NaiveDate, lo: u32, hi: u32, rng: &mut Rng) -> NaiveDate {
    on - Days::new(u64::from(between(rng, lo, hi)))
}

/// The plans: what a person reaches in 2021 (or around it), from their last stage back.
#[derive(Clone, Copy)]
enum Plan {
    /// Counted: 入党积极分子 in 2021.
    Activist2021,
    /// Counted: 预备党员 in 2021.
    Probationary2021,
    /// Counted: 正式党员 in 2021.
    Confirmed2021,
    /// Not counted in 2021: an application of 2021.
    Applicant2021,
    /// Not counted: 发展对象 in 2021.
    Candidate2021,
    /// Not counted: 入党积极分子 of 2020 still in training.
    Activist2020,
    /// Not counted: confirmed in 2020.
    Confirmed2020,
}

/// From an 入党积极分子 date: the application 1–6 months before.
fn from_activist(rng: &mut Rng, activist: NaiveDate) -> Vec<(PartyStage, NaiveDate)> {
    let applied = back(activist, 30, 180, rng);
    vec![
        (PartyStage::Applicant, applied),
        (PartyStage::Activist, activist),
    ]
}

/// From a 发展对象 date: a year or more of training before it.
fn from_candidate(rng: &mut Rng, candidate: NaiveDate) -> Vec<(PartyStage, NaiveDate)> {
    let activist = back(candidate, 366, 540, rng);
    let mut s = from_activist(rng, activist);
    s.push((PartyStage::Candidate, candidate));
    s
}

/// From a 预备党员 date: 发展对象 1–6 months before.
fn from_probationary(rng: &mut Rng, probationary: NaiveDate) -> Vec<(PartyStage, NaiveDate)> {
    let candidate = back(probationary, 30, 180, rng);
    let mut s = from_candidate(rng, candidate);
    s.push((PartyStage::Probationary, probationary));
    s
}

fn stages_of(rng: &mut Rng, plan: Plan) -> Vec<(PartyStage, NaiveDate)> {
    match plan {
        Plan::Activist2021 => {
            let on = day_in(rng, 2021, 3, 12);
            from_activist(rng, on)
        }
        Plan::Applicant2021 => vec![(PartyStage::Applicant, day_in(rng, 2021, 1, 12))],
        Plan::Activist2020 => {
            let on = day_in(rng, 2020, 6, 12);
            from_activist(rng, on)
        }
        Plan::Candidate2021 => {
            let on = day_in(rng, 2021, 1, 12);
            from_candidate(rng, on)
        }
        Plan::Probationary2021 => {
            let on = day_in(rng, 2021, 1, 11);
            from_probationary(rng, on)
        }
        Plan::Confirmed2021 | Plan::Confirmed2020 => {
            let year = if matches!(plan, Plan::Confirmed2021) {
                2020
            } else {
                2019
            };
            // 预备党员 by 20 December, so that a year and up to ten days still fall in the
            // next year.
            let probationary = day(year, between(rng, 1, 12), between(rng, 1, 20));
            let mut s = from_probationary(rng, probationary);
            let late = Days::new(u64::from(between(rng, 0, 10)));
            s.push((PartyStage::Confirmed, probation_ends(probationary) + late));
            s
        }
    }
}

const TOPICS: &[&str] = &[
    "学习习近平总书记“七一”重要讲话精神",
    "党史学习教育专题学习",
    "“我为群众办实事”实践活动",
    "学习《中国共产党简史》",
    "落实“双减”政策专题研讨",
    "师德师风专题教育",
    "疫情防控志愿服务",
    "重温入党誓词",
    "学习党的十九届六中全会精神",
    "防溺水安全教育进家庭",
    "组织生活会与民主评议党员",
    "发展党员工作推进",
];

pub fn generate(rng: &mut Rng, schools: &[School], staff: &[StaffRecord]) -> DemoParty {
    // The largest schools (by staff, then code) have a branch each.
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for s in staff {
        *sizes.entry(s.school_code.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<&School> = schools
        .iter()
        .filter(|s| s.school_type != SchoolType::Kindergarten)
        .collect();
    ranked.sort_by(|a, b| {
        let size = |s: &School| sizes.get(s.code.as_str()).copied().unwrap_or(0);
        size(b).cmp(&size(a)).then(a.code.cmp(&b.code))
    });
    let mut branches = vec![DemoBranch {
        name: BUREAU_BRANCH.to_string(),
        school_code: None,
    }];
    branches.extend(ranked.iter().take(SCHOOL_BRANCHES).map(|s| DemoBranch {
        name: format!("{}党支部", s.name),
        school_code: Some(s.code.clone()),
    }));
    // Each school branch's staff, shuffled: its people are drawn from them.
    let mut pools: Vec<Vec<&StaffRecord>> = branches
        .iter()
        .map(|b| {
            let mut pool: Vec<&StaffRecord> = staff
                .iter()
                .filter(|s| Some(&s.school_code) == b.school_code.as_ref())
                .collect();
            shuffle(rng, &mut pool);
            pool
        })
        .collect();
    let taken_ids: HashSet<&str> = staff.iter().map(|s| s.id_number.as_str()).collect();
    let mut bureau_sequence: u16 = 700;
    let plans = [
        (Plan::Activist2021, ACTIVISTS),
        (Plan::Probationary2021, PROBATIONARY),
        (Plan::Confirmed2021, CONFIRMED),
        (Plan::Applicant2021, 40),
        (Plan::Candidate2021, 30),
        (Plan::Activist2020, 36),
        (Plan::Confirmed2020, 34),
    ];
    let mut people = Vec::new();
    for (plan, n) in plans {
        for _ in 0..n {
            // About one in twelve at the 局机关, the rest at a school branch with staff left.
            let b = if between(rng, 1, 12) == 1 {
                0
            } else {
                1 + index(rng, branches.len() - 1)
            };
            let b = if b > 0 && pools[b].is_empty() { 0 } else { b };
            let stages = stages_of(rng, plan);
            let (name, id_number) = match pools[b].pop() {
                Some(s) => (s.name.clone(), s.id_number.clone()),
                None => {
                    let sex = if between(rng, 0, 1) == 0 {
                        Sex::Male
                    } else {
                        Sex::Female
                    };
                    let birth = day(
                        between(rng, 1970, 1996) as i32,
                        between(rng, 1, 12),
                        between(rng, 1, 28),
                    );
                    let id = loop {
                        bureau_sequence += 1;
                        let seq = bureau_sequence * 2 + u16::from(sex == Sex::Male);
                        let id = IdNumber::compose("431224", birth, seq);
                        if !taken_ids.contains(id.as_str()) {
                            break id;
                        }
                    };
                    (person_name(rng, sex), id.as_str().to_string())
                }
            };
            people.push(DemoPartyPerson {
                name,
                id_number,
                branch: branches[b].name.clone(),
                stages,
            });
        }
    }
    // 2021's organisational life: a 主题党日 and a 支委会 each month, a 支部党员大会 and a 党课
    // each quarter, a 党小组会 every other month.
    let mut meetings = Vec::new();
    for b in &branches {
        let members = between(rng, 12, 45);
        for month in 1..=12u32 {
            let mut kinds = vec![MeetingKind::ThemeDay, MeetingKind::Committee];
            if month % 3 == 0 {
                kinds.extend([MeetingKind::Assembly, MeetingKind::Lesson]);
            }
            if month % 2 == 0 {
                kinds.push(MeetingKind::Group);
            }
            for kind in kinds {
                let expected = match kind {
                    MeetingKind::Committee => 3 + members / 10,
                    MeetingKind::Group => members / 3,
                    _ => members,
                };
                meetings.push(DemoMeeting {
                    branch: b.name.clone(),
                    held_on: day(2021, month, between(rng, 1, 28)),
                    kind,
                    topic: pick(rng, TOPICS).to_string(),
                    expected,
                    attended: expected - between(rng, 0, 2.min(expected)),
                });
            }
        }
    }
    DemoParty {
        branches,
        people,
        meetings,
    }
}
