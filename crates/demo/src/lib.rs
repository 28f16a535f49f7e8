//! 演示县: a pure, deterministic generator of the demo county, 溆浦县 (431224) in 2021.
//!
//! [`generate`] builds about 300 schools in the 25 townships, one student record per
//! student per term for 2021 spring and autumn (about 149,000 students aged 3–17) and
//! about 9,000 staff. The same seed always gives the same county; nothing is read from
//! disk, the clock or a database. All randomness comes from one ChaCha8 stream seeded
//! with the seed, and no hash-map iteration order reaches the output.
//!
//! # How the seed's figures come out of the records
//!
//! The generator does not write any figure down. It plans the county so that the figures,
//! measured afterwards from the records by the same code the system uses
//! (`emis_domain::class_size::count_large_classes`, counts of statuses and channels), are
//! the ones in the county's 2021 work summary:
//!
//! * **Spring class sizes.** Every school gets a number of classes per grade. Among the
//!   义务教育 classes of urban and town-seat schools, exactly 664 are drawn (weighted
//!   sampling without replacement, urban classes five times as likely) to be planned at
//!   56 or more, and 108 of those (urban twelve times as likely) at 66 or more; among the
//!   普通高中 classes, 68 and 3. Each class then gets exactly its planned number of 在读
//!   students, drawn from its band (66–80, 56–65, or an ordinary band of at most 55;
//!   village classes 15–45, kindergarten classes at most 35). 送教上门, 休学 and 转出
//!   students are added to classes on top and so leave the class sizes unchanged.
//! * **Autumn class sizes.** After everyone moves up a grade (or to the next school, or
//!   leaves), the county seat's 一年级 and 七年级 intake is *allocated* by the enrollment
//!   engine (`emis_domain::enrollment::allocate`) from generated applicants, zones and
//!   class plans, and each urban school's placed intake is split by `form_classes` into
//!   balanced classes of at most the standard size (45 / 50) with a recorded seed (see
//!   [`DemoIntake`]). Every other (school, grade) is split into as many classes as keep
//!   each class at or under a target of at most 55 在读 students, as the county did by
//!   opening classes and the new 雅堂芙蓉学校; so no 大班额 remains.
//! * **148955 students on the autumn roll.** Continuing students and the new 小班 intake
//!   are counted, and the number of new arrivals is whatever brings the autumn roll
//!   (在读, 休学, 送教上门) to 148955.
//! * **送教上门 265 / 256.** 265 spring children are planned; in autumn those who finished
//!   九年级 leave, surplus children return to class, and newly found children make up
//!   the rest of 256.
//! * **682 recruits.** Exactly 142 / 261 / 267 / 12 teacher posts are drawn for 特岗 /
//!   公开招聘 / 公费师范生 / 调入 and given a 2021 start date; every other post started in
//!   2020 or earlier.
//! * **The teacher workforce.** Trainings, 公费定向师范生, studios, awards and 师德师风
//!   cases are drawn from the staff roll so that their 2021 figures come out exactly
//!   ([`teachers`]).
//! * **建设项目.** The year's projects are placed at schools chosen by name and type, with
//!   money and places planned to give 3.7344亿元 and the summary's 新增学位 and housing
//!   ([`projects`]).
//! * **荣誉与竞赛.** 7 / 2 / 7 titled schools and the city and provincial results, the
//!   arts showcase's 23 / 16 / 11 prizes to pupils of the roll ([`honours`]).
//! * **双减.** One 无证 institution closed and 12 / 20 学科类 institutions deregistered /
//!   transformed in 2021, and 课后服务 in every compulsory-stage school at 5+2 in autumn
//!   ([`double_reduction`]).
//! * **党建.** Exactly 50 / 62 / 42 people reach 入党积极分子 / 预备党员 / 正式党员 in 2021,
//!   every one's stages in order with a year of probation ([`party`]).
//! * **督导.** 40 schools visited on the 督导 checklist, 8 problems found and closed, and the
//!   inspectors' scores of every school for the 绩效目标管理评估 ([`supervision`]).
//!
//! The tests in this crate recompute every one of these figures from the generated
//! records.
#![forbid(unsafe_code)]

pub mod campaigns;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
mod hardship;
pub mod honours;
mod ids;
pub mod incidents;
mod intake;
mod names;
pub mod party;
pub mod projects;
pub mod province;
mod rng;
pub mod safety;
mod schools;
mod staff;
mod students;
pub mod supervision;
pub mod teachers;
pub mod vocational;

use emis_domain::divisions::{County, XUPU};
use emis_domain::registry::{School, StaffRecord, StudentRecord};
use rand::SeedableRng;

pub use intake::{DemoIntake, IntakeClasses};

/// The generated demo county.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCounty {
    /// 溆浦县 (`emis_domain::divisions::XUPU`).
    pub county: &'static County,
    pub schools: Vec<School>,
    /// One record per student per term, for `Term::spring(2021)` and `Term::autumn(2021)`.
    pub students: Vec<StudentRecord>,
    pub staff: Vec<StaffRecord>,
    /// 控辍保学 and 送教上门 records ([`dropout`]).
    pub dropout: dropout::DemoDropout,
    /// The 2021 autumn 一年级 and 七年级 intake of the county seat's urban schools: the
    /// allocation input (applicants, zones, plans, distances), the engine's result and the
    /// balanced classes with their seeds. The autumn classes of those grades at those
    /// schools are these classes.
    pub intake: Vec<DemoIntake>,
    /// Trainings, 公费定向师范生, studios, awards and 师德师风 cases ([`teachers`]).
    pub teachers: teachers::DemoTeachers,
    /// 校外培训机构 and 课后服务 ([`double_reduction`]).
    pub double_reduction: double_reduction::DemoDoubleReduction,
    /// What the schools and townships answered on the starter forms ([`forms`]).
    pub forms: forms::DemoForms,
    /// Building projects of 2020–2021 ([`projects`]).
    pub projects: Vec<projects::DemoProject>,
    /// Honours and competition results of 2021 ([`honours`]).
    pub honours: Vec<honours::DemoHonour>,
    /// 党建: branches, people's stages and the branches' meetings ([`party`]).
    pub party: party::DemoParty,
    /// 督导检查 and the inspectors' scores of the 绩效目标管理评估 ([`supervision`]).
    pub supervision: supervision::DemoSupervision,
    /// The documents the bureau issued ([`documents`]); the campaigns and the scheme above
    /// carry the 文号 of the 方案 they run under.
    pub documents: Vec<documents::DemoDocument>,
}

/// Generates the demo county from `seed`; the same seed gives the same county.
pub fn generate(seed: u64) -> DemoCounty {
    let mut rng = rng::Rng::seed_from_u64(seed);
    let plans = schools::build(&mut rng);
    let mut ids = ids::IdBook::with_capacity(170_000);
    let roll = students::generate(&mut rng, &plans, &mut ids);
    let staff = staff::generate(&mut rng, &plans, &roll.students, &mut ids);
    let schools: Vec<School> = plans.into_iter().map(|p| p.school).collect();
    // A stream of its own, so the registry comes out as before.
    let mut dropout_rng = rng::Rng::seed_from_u64(seed ^ 0x00d0_0b0c_2021);
    let dropout = dropout::generate(&mut dropout_rng, &schools, &roll.students, &staff, &mut ids);
    let mut teachers_rng = rng::Rng::seed_from_u64(seed ^ 0x7eac_4e25_2021);
    let teachers = teachers::generate(&mut teachers_rng, &schools, &staff, &mut ids);
    let mut double_reduction_rng = rng::Rng::seed_from_u64(seed ^ 0x5e1d_2021_0724);
    let mut double_reduction =
        double_reduction::generate(&mut double_reduction_rng, &schools, &roll.students);
    let mut forms_rng = rng::Rng::seed_from_u64(seed ^ 0x000f_02a5_2021);
    let forms = forms::generate(&mut forms_rng, &XUPU, &schools);
    let projects = projects::generate(&schools);
    let honours = honours::generate(&schools, &roll.students, &staff);
    let mut party_rng = rng::Rng::seed_from_u64(seed ^ 0x0da7_2021_0701);
    let party = party::generate(&mut party_rng, &schools, &staff);
    let mut supervision_rng = rng::Rng::seed_from_u64(seed ^ 0x5d0d_2021_1108);
    let mut supervision = supervision::generate(&mut supervision_rng, &schools);
    let documents = documents::generate(&double_reduction.institutions);
    let number_of = |title| documents::number_of(&documents, title);
    double_reduction.supervision.document = number_of(documents::SUPERVISION_PLAN);
    supervision.visits.document = number_of(documents::VISITS_PLAN);
    supervision.scheme_document = number_of(documents::ASSESSMENT_PLAN);
    DemoCounty {
        supervision,
        documents,
        projects,
        honours,
        party,
        forms,
        county: &XUPU,
        schools,
        students: roll.students,
        staff,
        dropout,
        intake: roll.intake,
        teachers,
        double_reduction,
    }
}

pub mod aid;
pub mod forms;
#[cfg(test)]
mod tests;
