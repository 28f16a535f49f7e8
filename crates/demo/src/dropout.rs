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
    let sex = if chance(rng, 0.5) {
        Sex::Male
    } else {
        Sex::Female
    };
    person_name(rng, sex)
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

/// Generates the demo's dropout-control records from the generated roll.
pub fn generate(
    rng: &mut Rng,
    schools: &[School],
    students: &[StudentRecord],
    staff: &[StaffRecord],
    ids: &mut crate::ids::IdBook,
) -> DemoDropout {
    let as_of = as_of();
    let settings = MatchSettings::default();
    let autumn = Term::autumn(2021);
    let county = &emis_domain::divisions::XUPU;
    let school_by_code: HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teachers_by_school = teachers_by_school(staff);
    // Compulsory schools by township, for the 包保 school of a case.
    let mut compulsory_by_township: HashMap<&str, Vec<&School>> = HashMap::new();
    for s in schools {
        if s.school_type.grades().iter().any(|g| g.is_compulsory()) {
            compulsory_by_township
                .entry(s.township_code.as_str())
                .or_default()
                .push(s);
        }
    }

    let mut population = Vec::new();
    let mut on_roll: Vec<usize> = Vec::new();
    for (i, s) in students.iter().enumerate() {
        if !listed_on_roll(s, autumn, as_of, &settings) {
            continue;
        }
        on_roll.push(i);
    }
    // The mistyped ones: chosen among the roll, their population row carries the right
    // number and the roll the swapped one; here the roll is kept and the population row
    // gets the swapped number instead, which the comparison sees the same way.
    let mut mistyped: HashSet<usize> = HashSet::new();
    let roll_ids: HashSet<&str> = students.iter().map(|s| s.id_number.as_str()).collect();
    while mistyped.len() < MISTYPED && !on_roll.is_empty() {
        let i = on_roll[index(rng, on_roll.len())];
        if mistype(&students[i].id_number).is_some_and(|m| !roll_ids.contains(m.as_str())) {
            mistyped.insert(i);
        }
    }
    let mut cases = Vec::new();
    for &i in &on_roll {
        let s = &students[i];
        let id_number = if mistyped.contains(&i) {
            mistype(&s.id_number).unwrap_or_else(|| s.id_number.clone())
        } else {
            s.id_number.clone()
        };
        population.push(roll_child(rng, s, &school_by_code, id_number.clone()));
        if mistyped.contains(&i) {
            let teacher = teachers_by_school
                .get(s.school_code.as_str())
                .and_then(|t| t.first().map(|n| n.to_string()))
                .unwrap_or_else(|| adult(rng));
            let visit_on = day(as_of, between(rng, 3, 10));
            cases.push(DemoCase {
                person_id: id_number,
                township_cadre: adult(rng),
                village_cadre: adult(rng),
                school_code: s.school_code.clone(),
                school_contact: adult(rng),
                teacher,
                deadline: day(as_of, 30),
                visits: vec![DemoVisit {
                    date: visit_on,
                    kind: VisitKind::Phone,
                    note: MISTYPED_NOTE.into(),
                }],
                close: Some(corrected_id(
                    rng,
                    visit_on,
                    school_by_code
                        .get(s.school_code.as_str())
                        .map(|sc| sc.name.as_str())
                        .unwrap_or("本县学校"),
                )),
            });
        }
    }

    // Children with no roll entry.
    let (earliest, latest) = settings.birth_range(as_of).unwrap_or((as_of, as_of));
    let span = (latest - earliest).num_days().max(1) as u32;
    for k in 0..NOT_ON_ROLL {
        let birth = day(earliest, between(rng, 0, span));
        let sex = if chance(rng, 0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let township = &county.townships[index(rng, county.townships.len())];
        let id_number = ids.issue(rng, county.code, birth, sex);
        population.push(unlisted_child(
            rng,
            id_number.clone(),
            sex,
            birth,
            township.name,
        ));
        let (outcome, notes, evidence) = outcome_plan(k);
        let school = compulsory_by_township
            .get(township.code)
            .and_then(|list| list.get(index(rng, list.len().max(1))))
            .copied();
        let school_code = school.map(|s| s.code.clone()).unwrap_or_default();
        let teacher = teachers_by_school
            .get(school_code.as_str())
            .and_then(|t| t.get(index(rng, t.len().max(1))).map(|n| n.to_string()))
            .unwrap_or_else(|| adult(rng));
        let mut date = day(as_of, between(rng, 2, 12));
        let mut visits = Vec::new();
        for (n, note) in notes.iter().enumerate() {
            visits.push(DemoVisit {
                date,
                kind: if n == 0 || chance(rng, 0.6) {
                    VisitKind::Visit
                } else {
                    VisitKind::Phone
                },
                note: (*note).to_string(),
            });
            date = day(date, between(rng, 7, 25));
        }
        let last = visits.last().map(|v| v.date).unwrap_or(as_of);
        let closed_on = day(last, between(rng, 1, 10))
            .min(NaiveDate::from_ymd_opt(2021, 12, 20).unwrap_or(last));
        cases.push(DemoCase {
            person_id: id_number,
            township_cadre: adult(rng),
            village_cadre: adult(rng),
            school_code,
            school_contact: adult(rng),
            teacher,
            deadline: day(as_of, if k % 7 == 0 { 60 } else { 45 }),
            visits,
            close: Some(DemoClose {
                outcome,
                on: closed_on.max(last),
                evidence: evidence.to_string(),
            }),
        });
    }

    // 送教上门: a plan per 送教上门 student per term, two teachers, a visit every other week.
    let mut plans = Vec::new();
    for s in students {
        if s.status != StudentStatus::HomeTaught {
            continue;
        }
        let pool = teachers_by_school
            .get(s.school_code.as_str())
            .cloned()
            .unwrap_or_default();
        let mut teachers: Vec<String> = Vec::new();
        while teachers.len() < 2 {
            let name = if pool.is_empty() {
                adult(rng)
            } else {
                pick(rng, &pool).to_string()
            };
            if !teachers.contains(&name) || pool.len() < 2 {
                teachers.push(name);
            }
        }
        let (first, last) = match s.term.season {
            emis_domain::term::Season::Spring => ((2021, 3, 5), (2021, 6, 30)),
            emis_domain::term::Season::Autumn => ((2021, 9, 6), (2021, 12, 31)),
        };
        let first = NaiveDate::from_ymd_opt(first.0, first.1, first.2).unwrap_or(as_of);
        let last = NaiveDate::from_ymd_opt(last.0, last.1, last.2).unwrap_or(as_of);
        let mut date = day(first, between(rng, 0, 6));
        let mut visits = Vec::new();
        while date <= last {
            visits.push(DemoHomeVisit {
                date,
                minutes: if chance(rng, 0.8) { 120 } else { 90 },
                teacher: pick(rng, &teachers).clone(),
                content: pick(rng, HOME_CONTENT).to_string(),
            });
            date = day(date, 14);
            if date.weekday() == chrono::Weekday::Sun {
                date = day(date, 1);
            }
        }
        plans.push(DemoPlan {
            student_id: s.id_number.clone(),
            name: s.name.clone(),
            school_code: s.school_code.clone(),
            term: s.term,
            teachers,
            plan: format!(
                "{}：每两周送教一次，每次2课时；生活适应、康复训练与文化课相结合",
                s.disability.as_deref().unwrap_or("残疾")
            ),
            visits,
        });
    }

    DemoDropout {
        as_of,
        population,
        cases,
        plans,
    }
}

/// Spring-2021 pupils missing from the autumn-2020 roll (they came over the winter) whom
/// 2020's comparison turns up: each was at school in another province (a case each).
pub const PREVIOUS_ARRIVED: usize = 20;
/// 2020's children on the roll under a mistyped ID number (probable matches, a case each).
pub const PREVIOUS_MISTYPED: usize = 8;
/// Of those, the ones the school had not yet confirmed: their cases are still open.
pub const PREVIOUS_MISTYPED_OPEN: usize = 2;
/// 2020's children of 15 who had left school to work and are not yet back: their cases are
/// still being worked (劝返中). They were 16 by the 2021 roll, so it does not list them.
pub const PREVIOUS_OPEN: usize = 3;

/// The notes of an [`PREVIOUS_ARRIVED`] pupil's case.
const AWAY_NOTES: [&str; 2] = [
    "电话联系家长，孩子随父母在外省务工地就读",
    "取得就读学校出具的在读证明；家长称寒假后回本县就读",
];
/// The notes of a [`PREVIOUS_OPEN`] child's case.
const WORKING_NOTES: [&str; 2] = [
    "入户走访，孩子已外出务工，家长表示将劝其返校",
    "包保教师电话联系孩子本人，宣讲义务教育法，劝返未果",
];

/// The date of the 2020 roll.
pub fn previous_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 10).unwrap_or_default()
}

/// The same day a year earlier (29 February to the 28th).
fn year_back(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .or_else(|| (d - Days::new(1)).with_year(d.year() - 1))
        .unwrap_or(d)
}

/// 2020's 控辍保学 and 送教上门, for the year-over-year figures, derived from 2021's: the
/// household-registration roll of 2020-09-10 holds every compulsory-age child of the 2020
/// autumn roll (`autumn_roll`: the ID numbers on it, which is the spring 2021 roll
/// thinned), the 2021 children not on the roll who were of age and already away a year
/// earlier (their cases a year back, with the same outcome), [`PREVIOUS_ARRIVED`] pupils
/// who were studying in another province that autumn, [`PREVIOUS_MISTYPED`] mistyped ID
/// numbers and [`PREVIOUS_OPEN`] children of 15 who had gone to work. Every case but
/// [`PREVIOUS_MISTYPED_OPEN`] + [`PREVIOUS_OPEN`] is closed. Each spring 2021 送教上门 plan
/// is carried back to the 2020 terms in which its student is 送教上门 on the roll
/// (`home_taught`: spring, autumn), with its visits moved back as well.
#[allow(clippy::too_many_arguments)]
pub fn previous_year(
    seed: u64,
    current: &DemoDropout,
    schools: &[School],
    students: &[StudentRecord],
    staff: &[StaffRecord],
    autumn_roll: &HashSet<String>,
    home_taught: [&HashSet<String>; 2],
) -> DemoDropout {
    let mut rng = Rng::seed_from_u64(seed ^ 0x00d0_0b0c_2020);
    let rng = &mut rng;
    let as_of = previous_as_of();
    let settings = MatchSettings::default();
    let county = &emis_domain::divisions::XUPU;
    let spring = Term::spring(2021);
    let school_by_code: HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teachers_by_school = teachers_by_school(staff);
    let teacher_of = |rng: &mut Rng, school: &str| -> String {
        teachers_by_school
            .get(school)
            .map(|t| t[index(rng, t.len())].to_string())
            .unwrap_or_else(|| adult(rng))
    };
    let school_name = |code: &str| -> String {
        school_by_code
            .get(code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "本县学校".into())
    };
    let known: HashMap<&str, &PopulationPerson> = current
        .population
        .iter()
        .map(|p| (p.id_number.as_str(), p))
        .collect();
    // ID numbers given already: the roll's and 2021's population roll's.
    let used: HashSet<&str> = students
        .iter()
        .map(|s| s.id_number.as_str())
        .chain(current.population.iter().map(|p| p.id_number.as_str()))
        .collect();
    let case_for = |rng: &mut Rng,
                    person_id: String,
                    school: &str,
                    visits: Vec<DemoVisit>,
                    close: Option<DemoClose>| DemoCase {
        person_id,
        township_cadre: adult(rng),
        village_cadre: adult(rng),
        school_code: school.to_string(),
        school_contact: adult(rng),
        teacher: teacher_of(rng, school),
        deadline: day(as_of, 45),
        visits,
        close,
    };

    // The children of the autumn 2020 roll, as the 2021 roll lists those of autumn 2021;
    // a few under a mistyped number. The others of the spring 2021 roll came over the winter.
    let mut population = Vec::new();
    let mut cases = Vec::new();
    let mut arrived: Vec<&StudentRecord> = Vec::new();
    let mut mistyped = 0;
    for s in students {
        if !listed_on_roll(s, spring, as_of, &settings) {
            continue;
        }
        if !autumn_roll.contains(&s.id_number) {
            arrived.push(s);
            continue;
        }
        // The household's details as the 2021 roll has them, where it lists the child.
        let mut person = match known.get(s.id_number.as_str()) {
            Some(listed) => (*listed).clone(),
            None => roll_child(rng, s, &school_by_code, s.id_number.clone()),
        };
        let typo = (mistyped < PREVIOUS_MISTYPED && chance(rng, 0.000_2))
            .then(|| mistype(&s.id_number))
            .flatten()
            .filter(|m| !used.contains(m.as_str()));
        if let Some(typo) = typo {
            mistyped += 1;
            person.id_number = typo.clone();
            let visit_on = day(as_of, between(rng, 3, 10));
            let (note, close) = if mistyped > PREVIOUS_MISTYPED - PREVIOUS_MISTYPED_OPEN {
                ("电话联系学校核对学籍，学校尚未回复核对结果", None)
            } else {
                (
                    MISTYPED_NOTE,
                    Some(corrected_id(rng, visit_on, &school_name(&s.school_code))),
                )
            };
            let visits = vec![DemoVisit {
                date: visit_on,
                kind: VisitKind::Phone,
                note: note.into(),
            }];
            cases.push(case_for(rng, typo, &s.school_code, visits, close));
        }
        population.push(person);
    }

    // The 2021 children not on the roll who were away already, a year earlier.
    for case in &current.cases {
        let Some(close) = &case.close else { continue };
        let lasting = matches!(
            close.outcome,
            Outcome::StudyingElsewhere(_)
                | Outcome::Abroad
                | Outcome::ApprovedDeferral
                | Outcome::RegistrationError(
                    RegistrationFault::NominalHousehold
                        | RegistrationFault::DualRegistration
                        | RegistrationFault::NoSuchPerson
                )
        );
        let Some(person) = known.get(case.person_id.as_str()) else {
            continue;
        };
        if !lasting || !settings.is_compulsory_age(person.birth_date, as_of) {
            continue;
        }
        population.push((*person).clone());
        cases.push(DemoCase {
            deadline: year_back(case.deadline),
            visits: case
                .visits
                .iter()
                .map(|v| DemoVisit {
                    date: year_back(v.date),
                    ..v.clone()
                })
                .collect(),
            close: Some(DemoClose {
                on: year_back(close.on),
                ..close.clone()
            }),
            ..case.clone()
        });
    }

    // Pupils at school in another province that autumn, back for the spring term.
    let step = (arrived.len() / PREVIOUS_ARRIVED.max(1)).max(1);
    for s in arrived.iter().step_by(step).take(PREVIOUS_ARRIVED) {
        population.push(roll_child(rng, s, &school_by_code, s.id_number.clone()));
        let called = day(as_of, between(rng, 2, 12));
        let verified = day(called, between(rng, 7, 20));
        let [first, then] = AWAY_NOTES;
        let visits = vec![
            visit(called, VisitKind::Phone, first),
            visit(verified, VisitKind::Phone, then),
        ];
        let close = Some(DemoClose {
            outcome: Outcome::StudyingElsewhere(Region::OutOfProvince),
            on: day(verified, between(rng, 1, 10)),
            evidence: "外省就读学校在读证明及学籍信息截图".into(),
        });
        cases.push(case_for(
            rng,
            s.id_number.clone(),
            &s.school_code,
            visits,
            close,
        ));
    }

    // Children of 15 gone to work, still being urged back.
    let (oldest, _) = settings.birth_range(as_of).unwrap_or((as_of, as_of));
    let mut open = 0;
    while open < PREVIOUS_OPEN {
        let birth = day(oldest, between(rng, 0, 200));
        let sex = if chance(rng, 0.6) {
            Sex::Male
        } else {
            Sex::Female
        };
        let parity = u16::from(sex == Sex::Male);
        let sequence = index(rng, 500) as u16 * 2 + parity;
        let id_number = emis_domain::identity::IdNumber::compose(county.code, birth, sequence)
            .as_str()
            .to_string();
        if used.contains(id_number.as_str()) || population.iter().any(|p| p.id_number == id_number)
        {
            continue;
        }
        open += 1;
        let township = &county.townships[index(rng, county.townships.len())];
        let child = unlisted_child(rng, id_number.clone(), sex, birth, township.name);
        population.push(child);
        let school = school_by_code
            .values()
            .filter(|s| s.township_code == township.code)
            .map(|s| s.code.as_str())
            .min()
            .unwrap_or_default();
        let visited = day(as_of, between(rng, 3, 10));
        let [first, then] = WORKING_NOTES;
        let called = day(visited, between(rng, 20, 40));
        let visits = vec![
            visit(visited, VisitKind::Visit, first),
            visit(called, VisitKind::Phone, then),
        ];
        cases.push(case_for(rng, id_number, school, visits, None));
    }

    // 送教上门: the spring 2021 plans, a year and half a year back.
    let plans = current
        .plans
        .iter()
        .filter(|p| p.term == spring)
        .flat_map(|p| {
            [(Term::spring(2020), 12), (Term::autumn(2020), 6)]
                .into_iter()
                .zip(home_taught)
                .filter(|(_, home)| home.contains(&p.student_id))
                .map(|((term, months), _)| DemoPlan {
                    term,
                    visits: p
                        .visits
                        .iter()
                        .map(|v| DemoHomeVisit {
                            date: v
                                .date
                                .checked_sub_months(chrono::Months::new(months))
                                .unwrap_or(v.date),
                            ..v.clone()
                        })
                        .collect(),
                    ..p.clone()
                })
        })
        .collect();

    DemoDropout {
        as_of,
        population,
        cases,
        plans,
    }
}
