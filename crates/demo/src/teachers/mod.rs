//! 教师队伍 of the demo county in 2021: trainings with their participants, 公费定向师范生,
//! 名师 and 学科 studios, awards from the award fund, the recruitment plan and 师德师风
//! cases, all drawn from the staff roll (participants, hosts, members, awardees and
//! teachers in a case are staff ID numbers).
//!
//! # How the seed's figures come out of the records
//!
//! * **36,122 training person-times.** 265 trainings at 国家级 / 省级 / 市级 / 县级 and a
//!   spring and an autumn 校本研修 at every school with three teachers or more are
//!   drawn, each from the teachers it is meant for (a subject and stage, 乡村 schools,
//!   the 2021 recruits…) who had started work by its first day, more engaged teachers
//!   more often. The 县级 general trainings are sized last so that the completed
//!   (training, teacher) pairs of trainings started in 2021 come to exactly
//!   [`PERSON_TIMES`]; teachers who did not complete a training and the trainings started
//!   in 2020 are added on top and do not count. About one teacher in twenty takes part
//!   little, so some hundreds of teachers stay under the 72 hours due by the end of 2021.
//! * **公费定向师范生.** Every staff record with 补充渠道 公费师范生 is a trainee placed
//!   in the township of its school, except [`OUTSIDE_TOWNSHIP`] of the 2021 placements,
//!   directed to another township. New people are the [`NEW_TRAINEES`] selected in 2021,
//!   the 2018–2020 cohorts still at college and [`OVERDUE_TRAINEES`] graduates of 2019
//!   never placed.
//! * **Studios.** [`MASTER_STUDIOS`] 名师工作室 and [`SUBJECT_STUDIOS`] 学科工作室 are active
//!   at the end of 2021; one more 学科工作室 closed in July.
//! * **Awards.** [`AWARDS_GRANTED`] granted awards of five titles at one amount per title
//!   add up to exactly [`AWARD_FUND_FEN`]; ten proposals were not granted.

use crate::ids::IdBook;
use crate::names::person_name;
use crate::rng::{
    between, chance, choose_weighted_mask, pick, pick_weighted, shuffle, unit, Cumulative, Rng,
};
use chrono::{Datelike, Days, NaiveDate};
use emis_domain::divisions::XUPU;
use emis_domain::identity::IdNumber;
use emis_domain::registry::{
    Ownership, PostType, RecruitChannel, School, SchoolType, Sex, StaffRecord, UrbanRural,
};
use emis_domain::teachers::conduct::{ConductStatus, Sanction};
use emis_domain::teachers::{DirectedStage, StudioKind, TraineeSource, TrainingLevel};
use std::collections::{HashMap, HashSet};

/// Completed training person-times of trainings started in 2021 (the seed: 36122人次).
pub const PERSON_TIMES: usize = 36_122;
/// 公费定向师范生 selected in 2021.
pub const NEW_TRAINEES: usize = 258;
/// Trainees selected in 2015 who graduated in 2019 and are still not placed.
pub const OVERDUE_TRAINEES: usize = 4;
/// Trainees placed in 2021 outside their directed township.
pub const OUTSIDE_TOWNSHIP: usize = 3;
/// 名师名校长工作室 active at the end of 2021.
pub const MASTER_STUDIOS: usize = 5;
/// 学科工作室 active at the end of 2021.
pub const SUBJECT_STUDIOS: usize = 24;
/// Awards granted in 2021.
pub const AWARDS_GRANTED: usize = 229;
/// The 2021 award fund in fen: 2,000,000.00 yuan.
pub const AWARD_FUND_FEN: i64 = 200_000_000;
/// The 2021 recruitment plan by channel.
pub const PLAN_2021: [(RecruitChannel, u32); 4] = [
    (RecruitChannel::Tegang, 150),
    (RecruitChannel::Open, 270),
    (RecruitChannel::FundedNormal, 267),
    (RecruitChannel::Transfer, 15),
];

/// The demo county's teacher-workforce records.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoTeachers {
    pub trainings: Vec<DemoTraining>,
    pub trainees: Vec<DemoTrainee>,
    pub studios: Vec<DemoStudio>,
    pub awards: Vec<DemoAward>,
    /// The 2021 award fund in fen (2,000,000.00 yuan = 200_000_000).
    pub award_fund_fen: i64,
    /// 2021 recruitment plan: (channel, planned posts).
    pub plans: Vec<(RecruitChannel, u32)>,
    pub campaigns: Vec<DemoCampaign>,
    pub conduct: Vec<DemoConductCase>,
}

/// One training and who took part (staff ID numbers).
#[derive(Clone, Debug, PartialEq)]
pub struct DemoTraining {
    pub name: String,
    pub level: TrainingLevel,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub participants: Vec<DemoParticipant>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoParticipant {
    pub id_number: String,
    pub hours_tenths: u32,
    pub completed: bool,
}

/// A 公费定向师范生; placed ones have a staff record with the same ID number.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoTrainee {
    pub name: String,
    pub id_number: String,
    pub selection_year: i32,
    pub source: TraineeSource,
    pub institution: String,
    pub stage: DirectedStage,
    pub subject: Option<String>,
    pub township_code: Option<String>,
    pub expected_graduation: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoStudio {
    pub name: String,
    pub kind: StudioKind,
    pub subject: Option<String>,
    pub host_id_number: String,
    pub founded: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub members: Vec<String>,
    pub activities: Vec<DemoActivity>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoActivity {
    pub held_on: NaiveDate,
    pub title: String,
    pub participants: u32,
}

/// An award; `granted` false is a proposal that was not granted.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoAward {
    pub id_number: String,
    pub title: String,
    pub granting_body: String,
    pub granted_on: NaiveDate,
    pub fen: i64,
    pub granted: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoCampaign {
    pub name: String,
    pub started_on: NaiveDate,
    pub summary: String,
}

/// A 师德师风 case; `campaign` indexes [`DemoTeachers::campaigns`].
#[derive(Clone, Debug, PartialEq)]
pub struct DemoConductCase {
    pub id_number: String,
    pub campaign: Option<usize>,
    pub reported_on: NaiveDate,
    pub source: String,
    pub summary: String,
    pub status: ConductStatus,
    pub findings: Option<String>,
    pub sanction: Option<Sanction>,
    pub decided_on: Option<NaiveDate>,
}

/// Generates the teacher-workforce records from the schools and the staff roll.
pub fn generate(
    rng: &mut Rng,
    schools: &[School],
    staff: &[StaffRecord],
    ids: &mut IdBook,
) -> DemoTeachers {
    let roll = Roll::new(rng, schools, staff);
    let trainings = trainings(rng, &roll);
    let trainees = trainees(rng, &roll, ids);
    let studios = studios(rng, &roll);
    let Conduct {
        campaigns,
        cases,
        barred,
    } = conduct(rng, &roll);
    let awards = awards(rng, &roll, &cases, barred);
    DemoTeachers {
        trainings,
        trainees,
        studios,
        awards,
        award_fund_fen: AWARD_FUND_FEN,
        plans: PLAN_2021.to_vec(),
        campaigns,
        conduct: cases,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real calendar date")
}

fn later(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days))).unwrap_or(d)
}

fn year_end(y: i32) -> NaiveDate {
    date(y, 12, 31)
}

/// A uniform date in `lo..=hi`.
fn date_between(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let span = (hi - lo).num_days().max(0) as u32;
    later(lo, between(rng, 0, span))
}

/// 一 … 九十九.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        _ => format!(
            "{}十{}",
            DIGITS[(n / 10) % 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
    }
}

/// The stage a teacher teaches, finer than the school type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Band {
    Preschool,
    Primary,
    Junior,
    Senior,
    Vocational,
    Special,
}

/// Subjects only taught in 初中 among the subjects of a 九年一贯制 school.
const JUNIOR_ONLY: &[&str] = &["物理", "化学", "生物", "历史", "地理", "心理健康"];
/// Subjects only taught in 高中 among the subjects of a 完全中学.
const SENIOR_ONLY: &[&str] = &["思想政治", "通用技术"];

fn band_of(rng: &mut Rng, school_type: SchoolType, subject: &str) -> Band {
    match school_type {
        SchoolType::Special => Band::Special,
        SchoolType::Vocational => Band::Vocational,
        _ if subject == "学前教育" => Band::Preschool,
        SchoolType::Kindergarten => Band::Preschool,
        SchoolType::Primary => Band::Primary,
        SchoolType::Junior => Band::Junior,
        SchoolType::Senior => Band::Senior,
        SchoolType::NineYear | SchoolType::TwelveYear => {
            if JUNIOR_ONLY.contains(&subject) || (subject != "科学" && chance(rng, 0.4)) {
                Band::Junior
            } else {
                Band::Primary
            }
        }
        SchoolType::Complete => {
            if SENIOR_ONLY.contains(&subject) {
                Band::Senior
            } else if subject == "道德与法治" || chance(rng, 0.5) {
                Band::Junior
            } else {
                Band::Senior
            }
        }
    }
}

/// A subject label of trainings and studios (“小学数学”, “学前教育”) as band and subject.
fn label_band(label: &'static str) -> (Band, &'static str) {
    for (prefix, band) in [
        ("小学", Band::Primary),
        ("初中", Band::Junior),
        ("高中", Band::Senior),
        ("中职", Band::Vocational),
    ] {
        if let Some(subject) = label.strip_prefix(prefix) {
            return (band, subject);
        }
    }
    if label == "特殊教育" {
        (Band::Special, label)
    } else {
        (Band::Preschool, "学前教育")
    }
}

/// One teacher (专任教师) of the roll.
struct Teacher<'a> {
    staff: usize,
    school: usize,
    band: Band,
    subject: &'a str,
    /// In a 镇区 or 乡村 school.
    rural: bool,
    start: NaiveDate,
    /// The channel of a 2021 recruit.
    recruit: Option<RecruitChannel>,
    /// How readily the teacher takes part in trainings.
    weight: f64,
}

/// The staff roll as the generator reads it.
struct Roll<'a> {
    schools: &'a [School],
    staff: &'a [StaffRecord],
    /// Staff index → school index.
    school_of: Vec<usize>,
    teachers: Vec<Teacher<'a>>,
    /// Teacher indices per school.
    by_school: Vec<Vec<usize>>,
}

impl<'a> Roll<'a> {
    fn new(rng: &mut Rng, schools: &'a [School], staff: &'a [StaffRecord]) -> Roll<'a> {
        let index: HashMap<&str, usize> = schools
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();
        let school_of: Vec<usize> = staff
            .iter()
            .map(|s| index.get(s.school_code.as_str()).copied().unwrap_or(0))
            .collect();
        let mut teachers = Vec::new();
        let mut by_school = vec![Vec::new(); schools.len()];
        for (i, s) in staff.iter().enumerate() {
            if s.post_type != PostType::Teacher {
                continue;
            }
            let school = &schools[school_of[i]];
            let subject = s.subject.as_deref().unwrap_or("");
            let start = s.start_date.unwrap_or_else(|| date(2000, 9, 1));
            let weight = if chance(rng, 0.05) {
                0.06
            } else {
                0.6 + 0.8 * unit(rng)
            };
            by_school[school_of[i]].push(teachers.len());
            teachers.push(Teacher {
                staff: i,
                school: school_of[i],
                band: band_of(rng, school.school_type, subject),
                subject,
                rural: school.urban_rural != UrbanRural::Urban,
                start,
                recruit: s.channel.filter(|_| start.year() == 2021),
                weight,
            });
        }
        Roll {
            schools,
            staff,
            school_of,
            teachers,
            by_school,
        }
    }

    /// Teachers a training draws from who had started work by `on` (the recruits' own
    /// trainings take them before their first day).
    fn members(&self, pool: Pool, on: NaiveDate) -> Vec<usize> {
        let started = |t: &Teacher| t.start <= on;
        match pool {
            Pool::School(s) => self.by_school[s]
                .iter()
                .copied()
                .filter(|&t| started(&self.teachers[t]))
                .collect(),
            _ => {
                let subject = match pool {
                    Pool::Subject(label, _) => Some(label_band(label)),
                    _ => None,
                };
                (0..self.teachers.len())
                    .filter(|&i| {
                        let t = &self.teachers[i];
                        match pool {
                            Pool::All => started(t),
                            Pool::Rural => started(t) && t.rural,
                            Pool::Band(b) => started(t) && t.band == b,
                            Pool::Subject(_, rural) => {
                                started(t)
                                    && subject.is_some_and(|(b, s)| t.band == b && t.subject == s)
                                    && (t.rural || !rural)
                            }
                            Pool::Recruits => {
                                t.recruit.is_some_and(|c| c != RecruitChannel::Transfer)
                            }
                            Pool::FundedRecruits => t.recruit == Some(RecruitChannel::FundedNormal),
                            Pool::School(_) => false,
                        }
                    })
                    .collect()
            }
        }
    }

    fn id(&self, teacher: usize) -> &'a str {
        self.staff[self.teachers[teacher].staff].id_number.as_str()
    }
}

mod awards;
mod conduct;
mod studios;
mod trainees;
mod trainings;

use self::{awards::*, conduct::*, studios::*, trainees::*, trainings::*};
