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

// ---------------------------------------------------------------------------------------
// Trainings
// ---------------------------------------------------------------------------------------

/// Whom a training is for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pool {
    All,
    Rural,
    Band(Band),
    /// A subject label; `true` for 乡村 (镇区 and 乡村) teachers only.
    Subject(&'static str, bool),
    /// 2021 recruits other than 调入.
    Recruits,
    FundedRecruits,
    School(usize),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum PoolKind {
    All,
    Rural,
    Band(Band),
    Subject,
    RuralSubject,
    Recruits,
    FundedRecruits,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Size {
    Range(u32, u32),
    /// A share of the pool (percent) with a cap.
    Share(u32, u32, usize),
    All,
    /// Sized last, to reach [`PERSON_TIMES`].
    Fill,
}

/// One training per subject label (space-separated), or numbered sessions of one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Each {
    Label(&'static str),
    Sessions(usize),
}

/// A family of 2021 trainings.
struct Template {
    level: TrainingLevel,
    /// `{}` is the subject label.
    name: &'static str,
    each: Each,
    pool: PoolKind,
    size: Size,
    /// Hours, start month and days, each as lowest and highest.
    shape: [u32; 6],
}

const fn t(
    level: TrainingLevel,
    name: &'static str,
    each: Each,
    pool: PoolKind,
    size: Size,
    shape: [u32; 6],
) -> Template {
    Template {
        level,
        name,
        each,
        pool,
        size,
        shape,
    }
}

use Each::{Label as L, Sessions as S};
use PoolKind as P;
use TrainingLevel as T;

const FURONG: &str = "小学语文 小学数学 小学英语 小学科学 小学音乐 小学美术 小学体育 \
                      初中语文 初中数学 初中英语 初中物理 初中化学 初中历史 学前教育";
const PROVINCE_CORE: &str = "小学语文 小学数学 初中语文 初中数学 初中英语 初中物理 \
                             高中语文 高中数学 高中英语 高中物理 高中化学 高中生物";
const CITY_LEADERS: &str = "小学语文 小学数学 小学英语 小学科学 初中语文 初中数学 初中英语 \
                            初中物理 初中化学 初中生物 初中历史 初中地理 高中语文 高中数学 \
                            高中英语 高中物理 高中化学 高中生物 高中历史 高中地理";
const CITY_RURAL: &str = "小学语文 小学数学 小学英语 小学音乐 小学美术 小学体育 \
                          初中语文 初中数学 初中英语 初中道德与法治";
const COUNTY_SUBJECTS: &str = "小学语文 小学数学 小学英语 小学科学 小学道德与法治 小学体育 \
                               小学音乐 小学美术 小学信息技术 初中语文 初中数学 初中英语 \
                               初中物理 初中化学 初中生物 初中道德与法治 初中历史 初中地理 \
                               初中体育 初中信息技术 高中语文 高中数学 高中英语 高中物理 \
                               高中化学 高中生物 高中思想政治 高中历史 高中地理 学前教育";

/// The 2021 trainings above school level: 15 国家级, 40 省级, 60 市级 and 150 县级.
const TEMPLATES: &[Template] = &[
    t(
        T::National,
        "2021年国培计划—乡村教师访名校（{}）",
        L("小学语文 小学数学 小学英语 初中数学 初中英语"),
        P::RuralSubject,
        Size::Range(20, 40),
        [96, 120, 4, 11, 12, 15],
    ),
    t(
        T::National,
        "2021年国培计划—乡村骨干教师能力提升培训（{}）",
        L("初中语文 初中物理 小学科学 初中道德与法治"),
        P::RuralSubject,
        Size::Range(25, 45),
        [60, 90, 3, 11, 8, 10],
    ),
    t(
        T::National,
        "2021年国培计划—送教下乡培训（{}）",
        L("小学语文 小学数学 初中数学"),
        P::RuralSubject,
        Size::Range(40, 80),
        [48, 64, 3, 9, 60, 100],
    ),
    t(
        T::National,
        "2021年国培计划—乡村幼儿园骨干教师培训",
        L("学前教育"),
        P::RuralSubject,
        Size::Range(20, 40),
        [80, 80, 4, 10, 10, 10],
    ),
    t(
        T::National,
        "2021年国培计划—乡村教师网络研修与校本研修整合培训",
        S(1),
        P::Rural,
        Size::Range(300, 400),
        [50, 50, 3, 3, 240, 260],
    ),
    t(
        T::National,
        "2021年国培计划—中小学班主任能力提升培训",
        S(1),
        P::All,
        Size::Range(30, 50),
        [60, 60, 7, 7, 8, 10],
    ),
    t(
        T::Provincial,
        "2021年湖南省“芙蓉计划”乡村教师培训（{}）",
        L(FURONG),
        P::RuralSubject,
        Size::Range(15, 40),
        [40, 72, 3, 11, 5, 9],
    ),
    t(
        T::Provincial,
        "2021年湖南省中小学骨干教师培训（{}）",
        L(PROVINCE_CORE),
        P::Subject,
        Size::Range(8, 25),
        [56, 80, 3, 11, 7, 10],
    ),
    t(
        T::Provincial,
        "2021年湖南省乡村学校班主任培训",
        S(4),
        P::Rural,
        Size::Range(30, 50),
        [32, 40, 4, 11, 4, 5],
    ),
    t(
        T::Provincial,
        "2021年湖南省中小学心理健康教育骨干教师培训",
        S(1),
        P::All,
        Size::Range(20, 40),
        [40, 40, 5, 10, 5, 5],
    ),
    t(
        T::Provincial,
        "2021年湖南省中小学教师信息技术应用能力提升工程2.0培训",
        S(6),
        P::All,
        Size::Range(60, 120),
        [50, 50, 3, 10, 30, 60],
    ),
    t(
        T::Provincial,
        "2021年湖南省公费定向师范毕业生入职培训",
        S(1),
        P::FundedRecruits,
        Size::All,
        [40, 40, 8, 8, 5, 6],
    ),
    t(
        T::Provincial,
        "2021年湖南省中等职业学校专业教师素质提高培训",
        S(1),
        P::Band(Band::Vocational),
        Size::Range(10, 20),
        [60, 80, 7, 7, 10, 14],
    ),
    t(
        T::Provincial,
        "2021年湖南省特殊教育学校教师能力提升培训",
        S(1),
        P::Band(Band::Special),
        Size::Range(6, 15),
        [40, 56, 10, 10, 5, 7],
    ),
    t(
        T::City,
        "怀化市2021年学科带头人培训（{}）",
        L(CITY_LEADERS),
        P::Subject,
        Size::Range(15, 40),
        [24, 40, 3, 11, 3, 5],
    ),
    t(
        T::City,
        "怀化市2021年中小学班主任能力提升培训",
        S(8),
        P::All,
        Size::Range(40, 80),
        [24, 32, 3, 11, 3, 4],
    ),
    t(
        T::City,
        "怀化市2021年“双减”背景下作业设计专题培训",
        S(8),
        P::All,
        Size::Range(50, 90),
        [16, 24, 9, 12, 2, 3],
    ),
    t(
        T::City,
        "怀化市2021年中小学校安全管理培训",
        S(4),
        P::All,
        Size::Range(30, 60),
        [12, 16, 4, 6, 2, 2],
    ),
    t(
        T::City,
        "怀化市2021年幼儿园保教质量提升培训",
        S(6),
        P::Band(Band::Preschool),
        Size::Range(30, 60),
        [24, 32, 3, 11, 3, 4],
    ),
    t(
        T::City,
        "怀化市2021年乡村教师教学能力提升培训（{}）",
        L(CITY_RURAL),
        P::RuralSubject,
        Size::Range(20, 50),
        [24, 40, 3, 11, 3, 5],
    ),
    t(
        T::City,
        "怀化市2021年中小学心理健康教育培训",
        S(4),
        P::All,
        Size::Range(30, 60),
        [16, 24, 4, 11, 2, 3],
    ),
    t(
        T::County,
        "溆浦县2021年新教师岗前培训",
        S(1),
        P::Recruits,
        Size::All,
        [80, 80, 8, 8, 9, 9],
    ),
    t(
        T::County,
        "溆浦县2021年{}教师教学能力提升培训",
        L(COUNTY_SUBJECTS),
        P::Subject,
        Size::Share(30, 60, 200),
        [24, 40, 3, 11, 3, 5],
    ),
    t(
        T::County,
        "溆浦县2021年师德师风专题培训",
        S(20),
        P::All,
        Size::Fill,
        [12, 16, 3, 11, 2, 2],
    ),
    t(
        T::County,
        "溆浦县2021年班主任工作培训",
        S(15),
        P::All,
        Size::Fill,
        [24, 32, 3, 11, 3, 4],
    ),
    t(
        T::County,
        "溆浦县2021年教师信息技术应用能力提升工程2.0校本应用考核培训",
        S(20),
        P::All,
        Size::Fill,
        [24, 40, 3, 11, 3, 5],
    ),
    t(
        T::County,
        "溆浦县2021年“双减”政策与课后服务专题培训",
        S(16),
        P::All,
        Size::Fill,
        [12, 24, 8, 12, 2, 3],
    ),
    t(
        T::County,
        "溆浦县2021年乡村教师教学能力提升培训",
        S(20),
        P::Rural,
        Size::Fill,
        [24, 40, 3, 11, 3, 5],
    ),
    t(
        T::County,
        "溆浦县2021年中小学心理健康教育全员培训",
        S(10),
        P::All,
        Size::Fill,
        [12, 16, 3, 11, 2, 2],
    ),
    t(
        T::County,
        "溆浦县2021年学校安全与防溺水专题培训",
        S(10),
        P::All,
        Size::Fill,
        [8, 12, 4, 6, 1, 2],
    ),
    t(
        T::County,
        "溆浦县2021年幼儿园教师保教能力提升培训",
        S(8),
        P::Band(Band::Preschool),
        Size::Fill,
        [24, 32, 3, 11, 3, 4],
    ),
];

/// The school opened in autumn 2021 (no spring 校本研修).
const OPENED_AUTUMN_2021: &str = "溆浦县雅堂芙蓉学校";

/// A training being planned: its teachers are indices into [`Roll::teachers`].
struct Planned {
    name: String,
    level: TrainingLevel,
    start: NaiveDate,
    end: NaiveDate,
    hours: u32,
    pool: Pool,
    size: Size,
    members: Vec<usize>,
}

/// Hours in tenths: whole hours, now and then half an hour more.
fn hours(rng: &mut Rng, (lo, hi): (u32, u32)) -> u32 {
    let h = between(rng, lo, hi) * 10;
    if h < hi * 10 && chance(rng, 0.08) {
        h + 5
    } else {
        h
    }
}

/// `n` distinct teachers of `members`, more engaged ones more likely.
fn draw(rng: &mut Rng, roll: &Roll, members: &[usize], n: usize) -> Vec<usize> {
    if n >= members.len() {
        return members.to_vec();
    }
    let weights = members.iter().map(|&t| roll.teachers[t].weight);
    if n * 3 < members.len() {
        // Few of many: draw and redraw on repeats (cheaper than keying every teacher).
        let cumulative = Cumulative::new(weights);
        let mut chosen = vec![false; members.len()];
        let mut left = n;
        while left > 0 {
            let k = cumulative.sample(rng);
            if !chosen[k] {
                chosen[k] = true;
                left -= 1;
            }
        }
        return members
            .iter()
            .zip(chosen)
            .filter_map(|(&t, c)| c.then_some(t))
            .collect();
    }
    let weights: Vec<f64> = weights.collect();
    let mask = choose_weighted_mask(rng, &weights, n);
    members
        .iter()
        .zip(mask)
        .filter_map(|(&t, chosen)| chosen.then_some(t))
        .collect()
}

fn trainings(rng: &mut Rng, roll: &Roll) -> Vec<DemoTraining> {
    let mut planned = plan(rng, roll);
    fill(rng, roll, &mut planned);
    let mut out: Vec<DemoTraining> = planned.into_iter().map(|p| finish(rng, roll, p)).collect();
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.name.cmp(&b.name)));
    out
}

/// Every training with its name, dates, hours and pool, none with teachers yet.
fn plan(rng: &mut Rng, roll: &Roll) -> Vec<Planned> {
    let mut planned: Vec<Planned> = Vec::new();
    for tpl in TEMPLATES {
        let labels: Vec<Option<&'static str>> = match tpl.each {
            Each::Label(labels) => labels.split_whitespace().map(Some).collect(),
            Each::Sessions(n) => vec![None; n],
        };
        let numbered = labels.len() > 1;
        let [h0, h1, m0, m1, d0, d1] = tpl.shape;
        for (k, label) in labels.into_iter().enumerate() {
            let name = match label {
                Some(l) => tpl.name.replace("{}", l),
                None if numbered => format!("{}（第{}期）", tpl.name, chinese_number(k + 1)),
                None => tpl.name.to_string(),
            };
            let pool = match tpl.pool {
                P::All => Pool::All,
                P::Rural => Pool::Rural,
                P::Band(b) => Pool::Band(b),
                P::Subject => Pool::Subject(label.unwrap_or("学前教育"), false),
                P::RuralSubject => Pool::Subject(label.unwrap_or("学前教育"), true),
                P::Recruits => Pool::Recruits,
                P::FundedRecruits => Pool::FundedRecruits,
            };
            let start = date(2021, between(rng, m0, m1), between(rng, 1, 28));
            let end = later(start, between(rng, d0, d1) - 1).min(year_end(2021));
            planned.push(Planned {
                name,
                level: tpl.level,
                start,
                end,
                hours: hours(rng, (h0, h1)),
                pool,
                size: tpl.size,
                members: Vec::new(),
            });
        }
    }
    // Spring and autumn 校本研修 at every school with at least three teachers.
    for (s, school) in roll.schools.iter().enumerate() {
        if roll.by_school[s].len() < 3 {
            continue;
        }
        for (term, spring) in [("春季", true), ("秋季", false)] {
            if spring && school.name == OPENED_AUTUMN_2021 {
                continue;
            }
            let (start, end) = if spring {
                (
                    later(date(2021, 3, 1), between(rng, 0, 6)),
                    date(2021, 6, 30),
                )
            } else {
                (
                    later(date(2021, 9, 6), between(rng, 0, 7)),
                    date(2021, 12, 31),
                )
            };
            planned.push(Planned {
                name: format!("{}2021年{term}校本研修", school.name),
                level: TrainingLevel::School,
                start,
                end,
                hours: hours(rng, (32, 48)),
                pool: Pool::School(s),
                size: Size::All,
                members: Vec::new(),
            });
        }
    }
    // Trainings started in 2020 (one runs into 2021); none of them counts for 2021.
    for (name, level, pool, start, end, h, (lo, hi)) in [
        (
            "2020年国培计划—乡村教师网络研修与校本研修整合培训",
            TrainingLevel::National,
            Pool::Rural,
            date(2020, 10, 12),
            date(2021, 1, 15),
            500,
            (150, 250),
        ),
        (
            "怀化市2020年中小学骨干教师培训",
            TrainingLevel::City,
            Pool::All,
            date(2020, 11, 16),
            date(2020, 11, 20),
            320,
            (30, 50),
        ),
        (
            "溆浦县2020年冬季班主任工作培训",
            TrainingLevel::County,
            Pool::All,
            date(2020, 12, 7),
            date(2020, 12, 10),
            240,
            (60, 100),
        ),
        (
            "溆浦县2020年秋季学校安全专题培训",
            TrainingLevel::County,
            Pool::All,
            date(2020, 10, 19),
            date(2020, 10, 20),
            120,
            (80, 120),
        ),
    ] {
        planned.push(Planned {
            name: name.to_string(),
            level,
            start,
            end,
            hours: h,
            pool,
            size: Size::Range(lo, hi),
            members: Vec::new(),
        });
    }
    planned
}

/// Teachers of the pool of `p` not yet in it.
fn free(roll: &Roll, p: &Planned) -> Vec<usize> {
    let inside: HashSet<usize> = p.members.iter().copied().collect();
    roll.members(p.pool, p.start)
        .into_iter()
        .filter(|t| !inside.contains(t))
        .collect()
}

/// Draws the teachers of every training: everything but the fill first, then the fill
/// sized so that the completed 2021 person-times come to [`PERSON_TIMES`].
fn fill(rng: &mut Rng, roll: &Roll, planned: &mut [Planned]) {
    let counts = |p: &Planned| p.start.year() == 2021;
    for p in planned.iter_mut() {
        let pool = roll.members(p.pool, p.start);
        p.members = match p.size {
            Size::Range(lo, hi) => {
                let n = between(rng, lo, hi) as usize;
                draw(rng, roll, &pool, n)
            }
            Size::Share(lo, hi, cap) => {
                let share = f64::from(between(rng, lo, hi)) / 100.0;
                let n = ((pool.len() as f64 * share).round() as usize).clamp(1, cap);
                draw(rng, roll, &pool, n)
            }
            // Nearly everyone takes part in the school's own; the least engaged half as often.
            Size::All if matches!(p.pool, Pool::School(_)) => pool
                .into_iter()
                .filter(|&t| {
                    chance(
                        rng,
                        if roll.teachers[t].weight < 0.3 {
                            0.5
                        } else {
                            0.96
                        },
                    )
                })
                .collect(),
            Size::All => pool,
            Size::Fill => Vec::new(),
        };
    }
    let counted: usize = planned
        .iter()
        .filter(|p| counts(p))
        .map(|p| p.members.len())
        .sum();
    let fill: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].size == Size::Fill)
        .collect();
    let left = PERSON_TIMES.saturating_sub(counted) as f64;
    let weights: Vec<f64> = fill.iter().map(|_| 0.6 + 0.8 * unit(rng)).collect();
    let total: f64 = weights.iter().sum();
    for (&i, w) in fill.iter().zip(&weights) {
        let p = &planned[i];
        let pool = roll.members(p.pool, p.start);
        let cap = pool.len() * 4 / 5;
        let n = ((left * w / total).round() as usize).clamp(10.min(cap), cap);
        planned[i].members = draw(rng, roll, &pool, n);
    }
    // Close the rounding: one teacher more or less in the fill trainings, in turn.
    let mut diff = PERSON_TIMES as i64
        - planned
            .iter()
            .filter(|p| counts(p))
            .map(|p| p.members.len() as i64)
            .sum::<i64>();
    let mut idle = 0;
    let mut k = 0;
    while diff != 0 && idle < fill.len() && !fill.is_empty() {
        let p = &mut planned[fill[k % fill.len()]];
        k += 1;
        let changed = if diff > 0 {
            let free = free(roll, p);
            if free.is_empty() {
                false
            } else {
                p.members.push(*pick(rng, &free));
                diff -= 1;
                true
            }
        } else if p.members.len() > 10 {
            p.members.pop();
            diff += 1;
            true
        } else {
            false
        };
        idle = if changed { 0 } else { idle + 1 };
    }
}

/// The training as recorded, with a few teachers who enrolled and did not complete it
/// (they do not count).
fn finish(rng: &mut Rng, roll: &Roll, p: Planned) -> DemoTraining {
    let mut participants: Vec<DemoParticipant> = p
        .members
        .iter()
        .map(|&t| DemoParticipant {
            id_number: roll.id(t).to_string(),
            hours_tenths: p.hours,
            completed: true,
        })
        .collect();
    let dropped = if matches!(p.pool, Pool::School(_)) {
        usize::from(chance(rng, 0.12))
    } else {
        between(rng, 0, 2) as usize
    };
    if dropped > 0 {
        let mut free = free(roll, &p);
        shuffle(rng, &mut free);
        for t in free.into_iter().take(dropped) {
            let done = (p.hours / 10 * between(rng, 3, 7) / 10).max(6);
            participants.push(DemoParticipant {
                id_number: roll.id(t).to_string(),
                hours_tenths: done * 10,
                completed: false,
            });
        }
    }
    DemoTraining {
        name: p.name,
        level: p.level,
        start: p.start,
        end: p.end,
        participants,
    }
}

// ---------------------------------------------------------------------------------------
// 公费定向师范生
// ---------------------------------------------------------------------------------------

const INSTITUTIONS: &[(&str, f64)] = &[
    ("湖南第一师范学院", 3.0),
    ("长沙师范学院", 3.0),
    ("怀化学院", 3.0),
    ("湖南科技学院", 1.5),
    ("衡阳师范学院", 1.5),
];
/// Colleges with the six-year programmes for 初中毕业 entrants.
const SIX_YEAR_INSTITUTIONS: &[&str] = &["湖南第一师范学院", "长沙师范学院"];
const DIRECTED_SUBJECTS: &[&str] = &[
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "道德与法治",
    "历史",
    "地理",
];

fn institution(rng: &mut Rng, source: TraineeSource) -> String {
    match source {
        TraineeSource::JuniorGraduate => pick(rng, SIX_YEAR_INSTITUTIONS).to_string(),
        TraineeSource::SeniorGraduate => INSTITUTIONS
            [pick_weighted(rng, INSTITUTIONS.len(), |i| INSTITUTIONS[i].1)]
        .0
        .to_string(),
    }
}

fn years_at_college(source: TraineeSource) -> i32 {
    match source {
        TraineeSource::SeniorGraduate => 4,
        TraineeSource::JuniorGraduate => 6,
    }
}

/// A township other than the county seat.
fn rural_township(rng: &mut Rng, except: Option<&str>) -> String {
    let choices: Vec<&str> = XUPU
        .townships
        .iter()
        .filter(|t| !t.urban && Some(t.code) != except)
        .map(|t| t.code)
        .collect();
    pick(rng, &choices).to_string()
}

/// A new trainee selected in `year`, not yet placed.
fn new_trainee(rng: &mut Rng, ids: &mut IdBook, year: i32, junior_share: f64) -> DemoTrainee {
    let source = if chance(rng, junior_share) {
        TraineeSource::JuniorGraduate
    } else {
        TraineeSource::SeniorGraduate
    };
    let age = match source {
        TraineeSource::SeniorGraduate => between(rng, 17, 19) as i32,
        TraineeSource::JuniorGraduate => between(rng, 15, 16) as i32,
    };
    let sex = if chance(rng, 0.7) {
        Sex::Female
    } else {
        Sex::Male
    };
    let birth = date(year - age, between(rng, 1, 12), between(rng, 1, 28));
    let stage = match (source, unit(rng)) {
        (TraineeSource::SeniorGraduate, r) if r < 0.15 => DirectedStage::Junior,
        (_, r) if r > 0.88 => DirectedStage::Preschool,
        _ => DirectedStage::Primary,
    };
    let subject =
        (stage == DirectedStage::Junior).then(|| pick(rng, DIRECTED_SUBJECTS).to_string());
    DemoTrainee {
        id_number: ids.issue(rng, XUPU.code, birth, sex),
        name: person_name(rng, sex),
        selection_year: year,
        source,
        institution: institution(rng, source),
        stage,
        subject,
        township_code: chance(rng, 0.92).then(|| rural_township(rng, None)),
        expected_graduation: year + years_at_college(source),
    }
}

fn trainees(rng: &mut Rng, roll: &Roll, ids: &mut IdBook) -> Vec<DemoTrainee> {
    let band: HashMap<usize, Band> = roll.teachers.iter().map(|t| (t.staff, t.band)).collect();
    let placed: Vec<usize> = (0..roll.staff.len())
        .filter(|&i| roll.staff[i].channel == Some(RecruitChannel::FundedNormal))
        .collect();
    // Three of the 2021 placements serve outside the township they were directed to.
    let mut of_2021: Vec<usize> = placed
        .iter()
        .copied()
        .filter(|&i| roll.staff[i].start_date.is_some_and(|d| d.year() == 2021))
        .collect();
    shuffle(rng, &mut of_2021);
    let outside: HashSet<usize> = of_2021.into_iter().take(OUTSIDE_TOWNSHIP).collect();

    let mut out = Vec::new();
    for i in placed {
        let s = &roll.staff[i];
        let start = s.start_date.map_or(2021, |d| d.year());
        let birth_year =
            IdNumber::parse(&s.id_number).map_or(start - 22, |id| id.birth_date().year());
        let source = if start - birth_year <= 22 && chance(rng, 0.2) {
            TraineeSource::JuniorGraduate
        } else {
            TraineeSource::SeniorGraduate
        };
        let stage = match band.get(&i) {
            Some(Band::Preschool) => DirectedStage::Preschool,
            Some(Band::Junior | Band::Senior) => DirectedStage::Junior,
            _ => DirectedStage::Primary,
        };
        let own = roll.schools[roll.school_of[i]].township_code.as_str();
        let township = if outside.contains(&i) {
            rural_township(rng, Some(own))
        } else {
            own.to_string()
        };
        out.push(DemoTrainee {
            name: s.name.clone(),
            id_number: s.id_number.clone(),
            selection_year: start - years_at_college(source),
            source,
            institution: institution(rng, source),
            stage,
            subject: (stage == DirectedStage::Junior)
                .then(|| s.subject.clone())
                .flatten(),
            township_code: Some(township),
            expected_graduation: start,
        });
    }
    // Graduates of 2019 never placed.
    for _ in 0..OVERDUE_TRAINEES {
        out.push(new_trainee(rng, ids, 2015, 0.0));
    }
    // The cohorts still at college, then the 2021 selection.
    for year in 2018..=2020 {
        let n = between(rng, 200, 260);
        for _ in 0..n {
            out.push(new_trainee(rng, ids, year, 0.1));
        }
    }
    for _ in 0..NEW_TRAINEES {
        out.push(new_trainee(rng, ids, 2021, 0.15));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Studios
// ---------------------------------------------------------------------------------------

/// 学科工作室 subjects: the first [`SUBJECT_STUDIOS`] are active, the last closed in 2021.
const STUDIO_SUBJECTS: [&str; SUBJECT_STUDIOS + 1] = [
    "小学语文",
    "小学数学",
    "小学英语",
    "小学科学",
    "小学道德与法治",
    "小学体育",
    "小学音乐",
    "小学美术",
    "初中语文",
    "初中数学",
    "初中英语",
    "初中物理",
    "初中化学",
    "初中生物",
    "初中道德与法治",
    "初中历史",
    "初中地理",
    "高中语文",
    "高中数学",
    "高中英语",
    "高中物理",
    "高中化学",
    "学前教育",
    "特殊教育",
    "小学信息技术",
];

const ACTIVITIES: &[&str] = &[
    "{}课堂教学研讨活动",
    "{}同课异构教研活动",
    "青年教师汇报课展示",
    "“双减”背景下的作业设计专题研讨",
    "工作室成员读书分享会",
    "课题研究开题论证会",
    "期末复习备考专题研讨",
    "名师示范课观摩",
    "{}教学设计评比活动",
    "新课标专题讲座",
];

fn title_weight(title: Option<&str>) -> f64 {
    match title {
        Some("正高级教师") => 4.0,
        Some("高级教师") => 3.0,
        Some("一级教师") => 1.0,
        _ => 0.1,
    }
}

fn studio_label(band: Band, subject: &str) -> String {
    match band {
        Band::Preschool => "学前教育".to_string(),
        Band::Special => "特殊教育".to_string(),
        Band::Primary => format!("小学{subject}"),
        Band::Junior => format!("初中{subject}"),
        Band::Senior => format!("高中{subject}"),
        Band::Vocational => format!("中职{subject}"),
    }
}

fn activities(
    rng: &mut Rng,
    label: &str,
    members: usize,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<DemoActivity> {
    let n = between(rng, 3, 10) as usize;
    let mut days: Vec<NaiveDate> = (0..n).map(|_| date_between(rng, from, to)).collect();
    days.sort();
    // Distinct titles: the list (homework and exams not for kindergartens and special
    // education) and 送教下乡 to a few townships.
    let young = matches!(label, "学前教育" | "特殊教育");
    let mut titles: Vec<String> = ACTIVITIES
        .iter()
        .filter(|a| !(young && (a.contains("作业") || a.contains("复习"))))
        .map(|a| a.replace("{}", label))
        .collect();
    let mut townships: Vec<&str> = XUPU
        .townships
        .iter()
        .filter(|t| !t.urban)
        .map(|t| t.name)
        .collect();
    shuffle(rng, &mut townships);
    titles.extend(
        townships
            .iter()
            .take(3)
            .map(|t| format!("送教下乡活动（{t}）")),
    );
    shuffle(rng, &mut titles);
    days.into_iter()
        .zip(titles)
        .map(|(held_on, title)| DemoActivity {
            held_on,
            title,
            participants: members as u32 + 1 + between(rng, 0, 40),
        })
        .collect()
}

fn studios(rng: &mut Rng, roll: &Roll) -> Vec<DemoStudio> {
    let jan = date(2021, 1, 4);
    let mut hosts: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    // 名师工作室: senior-titled teachers of public schools, one subject each.
    let mut subjects: HashSet<&str> = HashSet::new();
    while out.len() < MASTER_STUDIOS {
        let weights: Vec<f64> = roll
            .teachers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let s = &roll.staff[t.staff];
                let public = roll.schools[t.school].ownership == Ownership::Public;
                let senior = matches!(s.title.as_deref(), Some("高级教师" | "正高级教师"));
                if public && senior && !hosts.contains(&i) && !subjects.contains(t.subject) {
                    title_weight(s.title.as_deref())
                } else {
                    0.0
                }
            })
            .collect();
        let Some(host) = choose_weighted_mask(rng, &weights, 1)
            .iter()
            .position(|&m| m)
        else {
            break;
        };
        let h = &roll.teachers[host];
        hosts.insert(host);
        subjects.insert(h.subject);
        let mut pool: Vec<usize> = (0..roll.teachers.len())
            .filter(|&i| i != host && roll.teachers[i].subject == h.subject)
            .filter(|&i| roll.teachers[i].band == h.band)
            .collect();
        if pool.len() < 8 {
            pool = (0..roll.teachers.len())
                .filter(|&i| i != host && roll.teachers[i].subject == h.subject)
                .collect();
        }
        let n = (between(rng, 5, 12) as usize).min(pool.len());
        let members = draw(rng, roll, &pool, n);
        let founded = date_between(rng, date(2016, 3, 1), date(2020, 10, 31));
        let label = studio_label(h.band, h.subject);
        out.push(DemoStudio {
            name: format!("{}名师工作室", roll.staff[h.staff].name),
            kind: StudioKind::Master,
            subject: Some(label.clone()),
            host_id_number: roll.id(host).to_string(),
            founded,
            closed: None,
            activities: activities(rng, &label, members.len(), jan, date(2021, 12, 20)),
            members: members.iter().map(|&m| roll.id(m).to_string()).collect(),
        });
    }
    // 学科工作室.
    for (k, label) in STUDIO_SUBJECTS.iter().enumerate() {
        let (band, subject) = label_band(label);
        let mut pool: Vec<usize> = (0..roll.teachers.len())
            .filter(|&i| roll.teachers[i].band == band && roll.teachers[i].subject == subject)
            .collect();
        if pool.len() < 8 {
            pool = (0..roll.teachers.len())
                .filter(|&i| roll.teachers[i].band == band)
                .collect();
        }
        pool.retain(|i| !hosts.contains(i));
        let weights: Vec<f64> = pool
            .iter()
            .map(|&i| {
                let t = &roll.teachers[i];
                if t.start.year() <= 2015 {
                    title_weight(roll.staff[t.staff].title.as_deref())
                } else {
                    0.01
                }
            })
            .collect();
        let Some(at) = choose_weighted_mask(rng, &weights, 1)
            .iter()
            .position(|&m| m)
        else {
            continue;
        };
        let host = pool.remove(at);
        hosts.insert(host);
        let n = (between(rng, 5, 12) as usize).min(pool.len());
        let members = draw(rng, roll, &pool, n);
        let closing = k == SUBJECT_STUDIOS;
        let (founded, closed) = if closing {
            (date(2018, 9, 10), Some(date(2021, 7, 15)))
        } else {
            (date_between(rng, date(2018, 3, 1), date(2021, 4, 30)), None)
        };
        let from = later(founded, 1).max(jan);
        let to = closed.unwrap_or(date(2021, 12, 20));
        out.push(DemoStudio {
            name: format!("溆浦县{label}学科工作室"),
            kind: StudioKind::Subject,
            subject: Some(label.to_string()),
            host_id_number: roll.id(host).to_string(),
            founded,
            closed,
            activities: activities(rng, label, members.len(), from, to),
            members: members.iter().map(|&m| roll.id(m).to_string()).collect(),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// 师德师风
// ---------------------------------------------------------------------------------------

/// How far a case has gone: a decision has its sanction, days from the report and
/// findings.
#[derive(Clone, Copy)]
enum Step {
    Reported,
    Investigating,
    Decided(Sanction, u32, &'static str),
}

/// Campaign, source, summary, reported on (month, day) and how far the case has gone.
type CasePlan = (Option<usize>, &'static str, &'static str, (u32, u32), Step);

const CASES: &[CasePlan] = &[
    (
        Some(0),
        "12345政务服务热线",
        "反映某小学毕业班班主任参加学生家长组织的谢师宴",
        (6, 18),
        Step::Decided(
            Sanction::Notice,
            27,
            "经查属实，该教师参加学生家长组织的谢师宴，已退还费用并作书面检讨",
        ),
    ),
    (
        Some(0),
        "专项整治自查",
        "收受学生家长赠送的购物卡",
        (9, 15),
        Step::Decided(
            Sanction::Warning,
            35,
            "经查属实，该教师收受家长购物卡2张（面值共1000元），已全部退还",
        ),
    ),
    (
        Some(0),
        "来信来访",
        "反映教师操办子女升学宴并收受学生家长礼金",
        (8, 2),
        Step::Decided(
            Sanction::Unfounded,
            30,
            "经调查核实，该教师未操办升学宴、未收受家长礼金，反映不属实",
        ),
    ),
    (
        Some(1),
        "县纪委监委转办",
        "反映教师暑假期间在校外培训机构有偿授课",
        (7, 26),
        Step::Decided(
            Sanction::Demerit,
            45,
            "经查属实，该教师暑假在校外培训机构有偿授课30余课时并收取报酬",
        ),
    ),
    (
        None,
        "学生家长举报",
        "反映教师罚学生在教室外站立",
        (4, 12),
        Step::Decided(
            Sanction::Education,
            20,
            "经查，该教师罚学生在教室外站立一节课，属变相体罚，情节轻微",
        ),
    ),
    (
        None,
        "网络舆情",
        "网帖反映教师在课堂上言语侮辱学生",
        (5, 10),
        Step::Decided(
            Sanction::Unfounded,
            18,
            "经调取课堂录像、走访学生核实，未发现言语侮辱学生情况，不属实",
        ),
    ),
    (
        Some(1),
        "以案促改自查自纠",
        "工作日午间饮酒后到校上课",
        (10, 20),
        Step::Decided(
            Sanction::Education,
            21,
            "经查属实，该教师工作日午间饮酒后到校上课，已责令书面检讨",
        ),
    ),
    (
        None,
        "12345政务服务热线",
        "反映教师向学生推销教辅资料",
        (11, 8),
        Step::Investigating,
    ),
    (
        Some(0),
        "来信来访",
        "反映毕业班教师接受学生家长宴请",
        (11, 22),
        Step::Investigating,
    ),
    (
        None,
        "学生家长举报",
        "反映教师上课期间频繁使用手机",
        (12, 1),
        Step::Investigating,
    ),
    (
        None,
        "12345政务服务热线",
        "反映教师组织学生到其亲属开办的托管机构有偿辅导",
        (12, 16),
        Step::Reported,
    ),
    (
        Some(1),
        "县教育局督导检查",
        "教师上班期间无故脱岗",
        (12, 23),
        Step::Reported,
    ),
];

/// The 2021 campaigns and cases, and the first teacher barred from awards by a case (the
/// one later proposed and not granted).
struct Conduct {
    campaigns: Vec<DemoCampaign>,
    cases: Vec<DemoConductCase>,
    barred: Option<usize>,
}

fn conduct(rng: &mut Rng, roll: &Roll) -> Conduct {
    let campaigns = vec![
        DemoCampaign {
            name: "人情风、谢师宴专项整治".to_string(),
            started_on: date(2021, 6, 1),
            summary: "严禁教职工参加学生家长宴请、收受礼品礼金，公布举报电话和邮箱".to_string(),
        },
        DemoCampaign {
            name: "以案促改警示教育".to_string(),
            started_on: date(2021, 4, 12),
            summary: "以近年查处的师德失范典型案例为镜鉴，开展警示教育和自查自纠".to_string(),
        },
    ];
    let mut candidates: Vec<usize> = roll
        .teachers
        .iter()
        .filter(|t| t.start.year() <= 2020)
        .filter(|t| roll.schools[t.school].ownership == Ownership::Public)
        .map(|t| t.staff)
        .collect();
    shuffle(rng, &mut candidates);
    let mut cases = Vec::new();
    let mut barred = None;
    for (&(campaign, source, summary, (m, d), step), &who) in CASES.iter().zip(&candidates) {
        let reported_on = date(2021, m, d);
        let (status, decision) = match step {
            Step::Reported => (ConductStatus::Reported, None),
            Step::Investigating => (ConductStatus::Investigating, None),
            Step::Decided(sanction, days, findings) => (
                ConductStatus::Decided,
                Some((sanction, later(reported_on, days), findings)),
            ),
        };
        if barred.is_none() && decision.is_some_and(|(s, _, _)| s.bars_awards()) {
            barred = Some(who);
        }
        cases.push(DemoConductCase {
            id_number: roll.staff[who].id_number.clone(),
            campaign,
            reported_on,
            source: source.to_string(),
            summary: summary.to_string(),
            status,
            findings: decision.map(|(_, _, f)| f.to_string()),
            sanction: decision.map(|(s, _, _)| s),
            decided_on: decision.map(|(_, on, _)| on),
        });
    }
    Conduct {
        campaigns,
        cases,
        barred,
    }
}

// ---------------------------------------------------------------------------------------
// Awards
// ---------------------------------------------------------------------------------------

/// Who may receive an award.
#[derive(Clone, Copy, PartialEq)]
enum Awardee {
    Teacher,
    RuralTeacher,
    Veteran,
    Admin,
}

/// Title, number granted, amount in yuan, granting body, who: 229 awards, 2,000,000 yuan.
const AWARDS: [(&str, usize, i64, &str, Awardee); 5] = [
    ("优秀教师", 150, 6_700, "溆浦县教育局", Awardee::Teacher),
    (
        "最美乡村教师",
        30,
        20_000,
        "溆浦县人民政府",
        Awardee::RuralTeacher,
    ),
    ("优秀校长", 20, 10_000, "溆浦县人民政府", Awardee::Admin),
    ("师德楷模", 10, 10_000, "溆浦县人民政府", Awardee::Veteran),
    ("优秀督办主任", 19, 5_000, "溆浦县教育局", Awardee::Admin),
];

fn eligible(roll: &Roll, i: usize, who: Awardee) -> bool {
    let s = &roll.staff[i];
    let school = &roll.schools[roll.school_of[i]];
    let start = s.start_date.map_or(2021, |d| d.year());
    school.ownership == Ownership::Public
        && match who {
            Awardee::Teacher => s.post_type == PostType::Teacher && start <= 2018,
            Awardee::RuralTeacher => {
                s.post_type == PostType::Teacher
                    && school.urban_rural == UrbanRural::Rural
                    && start <= 2006
            }
            Awardee::Veteran => s.post_type == PostType::Teacher && start <= 2001,
            Awardee::Admin => s.post_type == PostType::Admin,
        }
}

fn awards(
    rng: &mut Rng,
    roll: &Roll,
    cases: &[DemoConductCase],
    barred: Option<usize>,
) -> Vec<DemoAward> {
    let in_cases: HashSet<&str> = cases.iter().map(|c| c.id_number.as_str()).collect();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut principals: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    let teachers_day = date(2021, 9, 10);
    for (title, count, yuan, body, who) in AWARDS {
        let mut candidates: Vec<usize> = (0..roll.staff.len())
            .filter(|&i| {
                eligible(roll, i, who)
                    && !taken.contains(&i)
                    && !in_cases.contains(roll.staff[i].id_number.as_str())
            })
            .collect();
        shuffle(rng, &mut candidates);
        let mut chosen = 0;
        for i in candidates {
            if chosen == count {
                break;
            }
            // One 优秀校长 per school.
            if title == "优秀校长" && !principals.insert(roll.school_of[i]) {
                continue;
            }
            taken.insert(i);
            chosen += 1;
            out.push(DemoAward {
                id_number: roll.staff[i].id_number.clone(),
                title: title.to_string(),
                granting_body: body.to_string(),
                granted_on: if title == "优秀督办主任" {
                    date(2021, 12, 28)
                } else {
                    teachers_day
                },
                fen: yuan * 100,
                granted: true,
            });
        }
    }
    // Proposals not granted: one barred by a sanction (师德失范一票否决), the rest sent back.
    let mut refused: Vec<usize> = barred.into_iter().collect();
    let mut others: Vec<usize> = (0..roll.staff.len())
        .filter(|&i| {
            eligible(roll, i, Awardee::Teacher)
                && !taken.contains(&i)
                && !in_cases.contains(roll.staff[i].id_number.as_str())
        })
        .collect();
    shuffle(rng, &mut others);
    refused.extend(others.into_iter().take(10 - refused.len()));
    for i in refused {
        let (title, _, yuan, body, _) = AWARDS[0];
        out.push(DemoAward {
            id_number: roll.staff[i].id_number.clone(),
            title: title.to_string(),
            granting_body: body.to_string(),
            granted_on: date(2021, 8, between(rng, 16, 31)),
            fen: yuan * 100,
            granted: false,
        });
    }
    out
}
