//! 控辍保学 and 送教上门 for the demo county: the household-registration roll of school-age
//! children (户籍适龄人口) as the public-security bureau would send it on 2021-09-10, the
//! cases the comparison turns up with their visits and outcomes, and a home-teaching plan
//! with visits for every 送教上门 student of each term.
//!
//! The roll holds every compulsory-age child of the autumn 2021 roll who is in school,
//! 休学 or 送教上门 (so they all match by ID number), plus children the bureau has to find:
//! [`NOT_ON_ROLL`] children with no roll entry at all, and [`MISTYPED`] children whose ID
//! number on the roll has two digits of the sequence swapped (probable matches). Each of
//! those becomes a case that is closed by mid-December with an outcome from RULES.md, so
//! no case is left open at year end (the seed: 无一人失学辍学).
//!
//! [`previous_year`] derives 2020's from them, for the year-over-year figures: a county
//! whose control work has since improved (more suspected children, some still open).

use crate::names::{person_name, VILLAGES};
use crate::rng::{between, chance, index, pick, Rng};
use chrono::{Datelike, Days, NaiveDate};
use emis_domain::dropout::cases::{
    CaseEvent, Outcome, Region, RegistrationFault, Responsible, ResponsibleRole, VisitKind,
};
use emis_domain::dropout::{MatchSettings, PopulationPerson};
use emis_domain::registry::{PostType, School, Sex, StaffRecord, StudentRecord, StudentStatus};
use emis_domain::term::Term;
use rand::SeedableRng;
use std::collections::{HashMap, HashSet};

/// Children of compulsory age with no roll entry (each becomes a case).
pub const NOT_ON_ROLL: usize = 48;
/// Children on the roll under a mistyped ID number (probable matches, each a case).
pub const MISTYPED: usize = 6;

/// The date of the demo roll.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 9, 10).unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoVisit {
    pub date: NaiveDate,
    pub kind: VisitKind,
    pub note: String,
}

/// The whole life of one case, for a suspected child (by the population ID number).
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCase {
    pub person_id: String,
    pub township_cadre: String,
    pub village_cadre: String,
    pub school_code: String,
    pub school_contact: String,
    pub teacher: String,
    pub deadline: NaiveDate,
    pub visits: Vec<DemoVisit>,
    /// How the case was closed (销号); `None` while it is still being worked (劝返中).
    pub close: Option<DemoClose>,
}

impl DemoCase {
    /// The case's steps through the case workflow, in order: the four 包保责任人, the
    /// deadline, each contact, and the closing if it was closed.
    pub fn steps(&self) -> Vec<CaseEvent> {
        let responsible = [
            (ResponsibleRole::TownshipCadre, &self.township_cadre),
            (ResponsibleRole::VillageCadre, &self.village_cadre),
            (ResponsibleRole::School, &self.school_contact),
            (ResponsibleRole::Teacher, &self.teacher),
        ]
        .into_iter()
        .map(|(role, name)| Responsible {
            role,
            name: name.clone(),
        })
        .collect();
        let mut steps = vec![
            CaseEvent::Assign { responsible },
            CaseEvent::SetDeadline {
                date: self.deadline,
            },
        ];
        steps.extend(self.visits.iter().map(|v| CaseEvent::LogVisit {
            date: v.date,
            kind: v.kind,
            note: v.note.clone(),
        }));
        steps.extend(self.close.as_ref().map(|c| CaseEvent::Close {
            outcome: Some(c.outcome),
            date: c.on,
            evidence: c.evidence.clone(),
        }));
        steps
    }
}

/// The outcome a case was closed with, on a day, with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoClose {
    pub outcome: Outcome,
    pub on: NaiveDate,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoHomeVisit {
    pub date: NaiveDate,
    pub minutes: i64,
    pub teacher: String,
    pub content: String,
}

/// A 送教上门 plan of one student for one term.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoPlan {
    pub student_id: String,
    pub name: String,
    pub school_code: String,
    pub term: Term,
    pub teachers: Vec<String>,
    pub plan: String,
    pub visits: Vec<DemoHomeVisit>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DemoDropout {
    pub as_of: NaiveDate,
    /// 户籍乡镇 is the township's name, as the bureau writes it.
    pub population: Vec<PopulationPerson>,
    pub cases: Vec<DemoCase>,
    pub plans: Vec<DemoPlan>,
}

fn day(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(date)
}

fn phone(rng: &mut Rng) -> String {
    let prefix = pick(
        rng,
        &[
            "138", "139", "150", "151", "158", "173", "177", "187", "189",
        ],
    );
    format!("{prefix}{:08}", between(rng, 0, 99_999_999))
}

fn village(rng: &mut Rng) -> String {
    format!("{}村", pick(rng, VILLAGES))
}

fn adult(rng: &mut Rng) -> String {
    crate::names::anyone_name(rng, 0.5)
}

/// Swaps the 15th and 16th characters (two digits of the sequence) when they differ.
fn mistype(id: &str) -> Option<String> {
    let mut bytes = id.as_bytes().to_vec();
    if bytes.len() != 18 || bytes[14] == bytes[15] {
        return None;
    }
    bytes.swap(14, 15);
    String::from_utf8(bytes).ok()
}

/// What happened to a child not on the roll, with the notes of the visits and the evidence.
fn outcome_plan(i: usize) -> (Outcome, &'static [&'static str], &'static str) {
    use Outcome::*;
    match i {
        0..=15 => (
            StudyingElsewhere(Region::OutOfProvince),
            &[
                "电话联系家长，随父母在外省务工地就读",
                "取得就读学校出具的在读证明",
            ],
            "外省就读学校在读证明及学籍信息截图",
        ),
        16..=25 => (
            StudyingElsewhere(Region::InProvince),
            &[
                "入户走访，家长称孩子在省内其他县市就读",
                "经省学籍系统核实在读",
            ],
            "省学籍系统查询截图",
        ),
        26..=30 => (
            RegistrationError(RegistrationFault::NominalHousehold),
            &["入户走访，户籍地无此儿童居住，系空挂户"],
            "村委会及派出所出具的空挂户证明",
        ),
        31..=33 => (
            RegistrationError(RegistrationFault::DualRegistration),
            &["核查发现该儿童在外地另有户籍并在当地就读"],
            "派出所双重户籍核查说明",
        ),
        34..=35 => (
            RegistrationError(RegistrationFault::Deceased),
            &["入户核实，该儿童已于往年病故，户籍未注销"],
            "村委会证明及派出所户籍注销回执",
        ),
        36 => (
            RegistrationError(RegistrationFault::NoSuchPerson),
            &["乡、村两级核查，查无此人"],
            "乡镇政府查无此人情况说明",
        ),
        37 => (
            Abroad,
            &["电话联系家长，孩子已随父母出国"],
            "出入境记录查询说明",
        ),
        38..=40 => (
            ApprovedDeferral,
            &[
                "入户走访，孩子因病住院治疗",
                "家长提交缓学申请及医院诊断证明",
            ],
            "乡镇人民政府批准的缓学审批表及诊断证明",
        ),
        _ => (
            ReturnedToSchool,
            &[
                "入户走访，孩子厌学在家，宣讲义务教育法",
                "包保教师再次家访，家长同意送孩子返校",
                "孩子已返校上课",
            ],
            "复学登记表及返校照片",
        ),
    }
}

const HOME_CONTENT: &[&str] = &[
    "生活适应：穿衣、洗漱训练",
    "康复训练：精细动作",
    "语文：识字与看图说话",
    "数学：数的认识与计数",
    "沟通与交往训练",
    "唱游与律动",
    "绘画与手工",
    "安全教育与家长康复指导",
];

/// The teachers of each school, by name.
fn teachers_by_school(staff: &[StaffRecord]) -> HashMap<&str, Vec<&str>> {
    let mut by_school: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in staff {
        if s.post_type == PostType::Teacher {
            by_school
                .entry(s.school_code.as_str())
                .or_default()
                .push(s.name.as_str());
        }
    }
    by_school
}

/// A student's 户籍乡镇: the recorded one, else the township of the school.
fn household_township(s: &StudentRecord, school_by_code: &HashMap<&str, &School>) -> String {
    let county = &emis_domain::divisions::XUPU;
    s.household_township
        .clone()
        .or_else(|| {
            school_by_code.get(s.school_code.as_str()).and_then(|sc| {
                county
                    .township(&sc.township_code)
                    .map(|t| t.name.to_string())
            })
        })
        .unwrap_or_else(|| county.townships[0].name.to_string())
}

/// Whether the household roll of `as_of` lists a student of a term's roll as one the
/// comparison finds there: of compulsory age and 在读, 休学 or 送教上门.
fn listed_on_roll(
    s: &StudentRecord,
    term: Term,
    as_of: NaiveDate,
    settings: &MatchSettings,
) -> bool {
    s.term == term
        && settings.is_compulsory_age(s.birth_date, as_of)
        && matches!(
            s.status,
            StudentStatus::Enrolled | StudentStatus::Suspended | StudentStatus::HomeTaught
        )
}

/// A child of the roll as the household roll lists them, under `id_number`.
fn roll_child(
    rng: &mut Rng,
    s: &StudentRecord,
    school_by_code: &HashMap<&str, &School>,
    id_number: String,
) -> PopulationPerson {
    PopulationPerson {
        id_number,
        name: s.name.clone(),
        sex: s.sex,
        birth_date: s.birth_date,
        township: household_township(s, school_by_code),
        village: Some(village(rng)),
        guardian: Some(adult(rng)),
        phone: Some(phone(rng)),
    }
}

/// A child the roll does not have, registered in a township.
fn unlisted_child(
    rng: &mut Rng,
    id_number: String,
    sex: Sex,
    birth_date: NaiveDate,
    township: &str,
) -> PopulationPerson {
    PopulationPerson {
        id_number,
        name: person_name(rng, sex),
        sex,
        birth_date,
        township: township.to_string(),
        village: Some(village(rng)),
        guardian: Some(adult(rng)),
        phone: Some(phone(rng)),
    }
}

fn visit(date: NaiveDate, kind: VisitKind, note: &str) -> DemoVisit {
    DemoVisit {
        date,
        kind,
        note: note.to_string(),
    }
}

/// The phone call that finds a mistyped ID number on the roll.
const MISTYPED_NOTE: &str = "电话联系学校核对学籍，学籍中证件号第15、16位颠倒，系同一人";

/// A mistyped ID number's case closed a few days after the call.
fn corrected_id(rng: &mut Rng, called: NaiveDate, school_name: &str) -> DemoClose {
    DemoClose {
        outcome: Outcome::RegistrationError(RegistrationFault::WrongNameOrId),
        on: day(called, between(rng, 1, 5)),
        evidence: format!("学籍与户籍证件号核对表，已在{school_name}就读，学籍证件号已申请更正"),
    }
}

mod previous;
mod year;

pub use previous::*;
pub use year::*;
