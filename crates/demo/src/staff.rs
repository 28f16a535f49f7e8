//! 教职工: about 9,000 staff, sized from each school's classes, with the 2021 recruits
//! (补充教师) chosen slot by slot so that each channel has exactly its planned number.

use crate::ids::IdBook;
use crate::names;
use crate::rng::{between, chance, choose_weighted_mask, pick, pick_weighted, Rng};
use crate::schools::{Kind, Plan};
use chrono::NaiveDate;
use emis_domain::divisions::XUPU;
use emis_domain::registry::{
    Grade, PostType, RecruitChannel, SchoolType, Sex, StaffRecord, Stage, StudentRecord, UrbanRural,
};
use std::collections::{BTreeSet, HashMap};

/// About how many staff the county has (the seed: 9000余名教职员工).
pub const STAFF_TOTAL: f64 = 9_000.0;
/// Teachers recruited in 2021 by channel (the seed: 特岗 142, 公开招聘 261, 公费师范生 267,
/// 调入 12; 682 in all).
pub const RECRUITED_2021: [(RecruitChannel, usize); 4] = [
    (RecruitChannel::Tegang, 142),
    (RecruitChannel::Open, 261),
    (RecruitChannel::FundedNormal, 267),
    (RecruitChannel::Transfer, 12),
];

const PRIMARY_SUBJECTS: &[(&str, f64)] = &[
    ("语文", 34.0),
    ("数学", 28.0),
    ("英语", 8.0),
    ("科学", 6.0),
    ("道德与法治", 5.0),
    ("体育", 7.0),
    ("音乐", 5.0),
    ("美术", 5.0),
    ("信息技术", 2.0),
];
const JUNIOR_SUBJECTS: &[(&str, f64)] = &[
    ("语文", 16.0),
    ("数学", 16.0),
    ("英语", 14.0),
    ("物理", 7.0),
    ("化学", 5.0),
    ("生物", 5.0),
    ("道德与法治", 7.0),
    ("历史", 6.0),
    ("地理", 5.0),
    ("体育", 7.0),
    ("音乐", 3.0),
    ("美术", 3.0),
    ("信息技术", 3.0),
    ("心理健康", 1.0),
];
const SENIOR_SUBJECTS: &[(&str, f64)] = &[
    ("语文", 14.0),
    ("数学", 14.0),
    ("英语", 14.0),
    ("物理", 10.0),
    ("化学", 9.0),
    ("生物", 8.0),
    ("思想政治", 7.0),
    ("历史", 7.0),
    ("地理", 7.0),
    ("体育", 5.0),
    ("音乐", 2.0),
    ("美术", 2.0),
    ("信息技术", 2.0),
    ("通用技术", 1.0),
];
const VOCATIONAL_SUBJECTS: &[(&str, f64)] = &[
    ("语文", 10.0),
    ("数学", 10.0),
    ("英语", 8.0),
    ("计算机应用", 15.0),
    ("电子技术应用", 10.0),
    ("机电技术应用", 10.0),
    ("汽车运用与维修", 8.0),
    ("旅游服务与管理", 6.0),
    ("现代农艺技术", 5.0),
    ("学前教育", 6.0),
    ("体育", 5.0),
    ("思想政治", 5.0),
];
const SPECIAL_SUBJECTS: &[(&str, f64)] = &[
    ("特殊教育", 60.0),
    ("语文", 10.0),
    ("数学", 10.0),
    ("康复训练", 10.0),
    ("体育", 5.0),
    ("美术", 5.0),
];

/// One post to fill.
struct Slot {
    school: usize,
    post: PostType,
    /// The stage taught (teachers only).
    stage: Option<Stage>,
    channel_2021: Option<RecruitChannel>,
}

fn teachers_per_class(plan: &Plan, stage: Stage) -> f64 {
    match (plan.school.school_type, stage) {
        (SchoolType::Special, _) => 3.5,
        (SchoolType::Vocational, _) => 3.0,
        (_, Stage::Preschool) => 1.7,
        (_, Stage::Primary) => 1.85,
        (_, Stage::Junior) => 3.2,
        (_, Stage::Senior) => 3.3,
    }
}

const STAGES: [Stage; 4] = [
    Stage::Preschool,
    Stage::Primary,
    Stage::Junior,
    Stage::Senior,
];

fn stage_index(stage: Stage) -> usize {
    match stage {
        Stage::Preschool => 0,
        Stage::Primary => 1,
        Stage::Junior => 2,
        Stage::Senior => 3,
    }
}

/// Classes per school and stage: the larger of the two terms.
fn class_counts(plans: &[Plan], students: &[StudentRecord]) -> Vec<[u32; 4]> {
    let index: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.school.code.as_str(), i))
        .collect();
    let mut classes: BTreeSet<(usize, bool, Grade, u32)> = BTreeSet::new();
    for s in students {
        if let Some(&i) = index.get(s.school_code.as_str()) {
            let autumn = s.term.season == emis_domain::term::Season::Autumn;
            classes.insert((i, autumn, s.grade, s.class_number));
        }
    }
    let mut per_term = vec![[[0u32; 4]; 2]; plans.len()];
    for (i, autumn, grade, _) in classes {
        per_term[i][usize::from(autumn)][stage_index(grade.stage())] += 1;
    }
    per_term
        .into_iter()
        .map(|[a, b]| std::array::from_fn(|k| a[k].max(b[k])))
        .collect()
}

/// Builds the staff of every school.
pub fn generate(
    rng: &mut Rng,
    plans: &[Plan],
    students: &[StudentRecord],
    ids: &mut IdBook,
) -> Vec<StaffRecord> {
    let classes = class_counts(plans, students);

    // Raw needs per school: teachers by stage, then administration, support and workers.
    let needs: Vec<[f64; 7]> = plans
        .iter()
        .zip(&classes)
        .map(|(plan, c)| {
            let mut need = [0.0; 7];
            for stage in STAGES {
                let k = stage_index(stage);
                need[k] = f64::from(c[k]) * teachers_per_class(plan, stage);
            }
            let total: f64 = f64::from(c.iter().sum::<u32>());
            need[4] = 1.0 + total / 12.0;
            need[5] = total / 20.0;
            need[6] = 1.0 + total / 10.0 + if plan.school.boarding { 2.0 } else { 0.0 };
            need
        })
        .collect();
    // Scale to the county's total; a second pass corrects for rounding at small schools.
    let rounded =
        |factor: f64| -> f64 { needs.iter().flatten().map(|n| (n * factor).round()).sum() };
    let raw: f64 = needs.iter().flatten().sum();
    let mut factor = STAFF_TOTAL / raw;
    factor *= STAFF_TOTAL / rounded(factor);

    let mut slots: Vec<Slot> = Vec::with_capacity(9_500);
    for (school, need) in needs.iter().enumerate() {
        for (k, n) in need.iter().enumerate() {
            let count = (n * factor).round() as usize;
            let (post, stage) = match k {
                0..=3 => (PostType::Teacher, Some(STAGES[k])),
                4 => (PostType::Admin, None),
                5 => (PostType::Support, None),
                _ => (PostType::Worker, None),
            };
            for _ in 0..count {
                slots.push(Slot {
                    school,
                    post,
                    stage,
                    channel_2021: None,
                });
            }
        }
    }

    choose_recruits(rng, plans, &mut slots);

    slots
        .iter()
        .map(|slot| staff_record(rng, ids, &plans[slot.school], slot))
        .collect()
}

/// Marks exactly the planned number of 2021 recruits per channel among teacher posts.
fn choose_recruits(rng: &mut Rng, plans: &[Plan], slots: &mut [Slot]) {
    for (channel, count) in RECRUITED_2021 {
        let weights: Vec<f64> = slots
            .iter()
            .map(|slot| {
                let plan = &plans[slot.school];
                if slot.post != PostType::Teacher
                    || slot.channel_2021.is_some()
                    || plan.school.ownership.is_private()
                {
                    return 0.0;
                }
                let setting = plan.school.urban_rural;
                let compulsory_rural = matches!(
                    plan.kind,
                    Kind::VillagePrimary
                        | Kind::CentrePrimary
                        | Kind::TownJunior
                        | Kind::RuralNineYear
                );
                match channel {
                    // 特岗 and 公费定向师范生 serve rural compulsory schools.
                    RecruitChannel::Tegang | RecruitChannel::FundedNormal if compulsory_rural => {
                        if setting == UrbanRural::Rural {
                            3.0
                        } else {
                            1.5
                        }
                    }
                    RecruitChannel::FundedNormal if plan.kind == Kind::CentreKg => 1.0,
                    RecruitChannel::Tegang | RecruitChannel::FundedNormal => 0.0,
                    RecruitChannel::Transfer if setting == UrbanRural::Urban => 1.0,
                    RecruitChannel::Transfer => 0.0,
                    _ if setting == UrbanRural::Urban => 2.0,
                    _ => 1.0,
                }
            })
            .collect();
        let mask = choose_weighted_mask(rng, &weights, count);
        for (slot, chosen) in slots.iter_mut().zip(mask) {
            if chosen {
                slot.channel_2021 = Some(channel);
            }
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real calendar date")
}

fn staff_record(rng: &mut Rng, ids: &mut IdBook, plan: &Plan, slot: &Slot) -> StaffRecord {
    let female_share = match (slot.post, slot.stage) {
        (PostType::Teacher, Some(Stage::Preschool)) => 0.97,
        (PostType::Teacher, Some(Stage::Primary)) => 0.66,
        (PostType::Teacher, Some(Stage::Junior)) => 0.52,
        (PostType::Teacher, _) if plan.kind == Kind::Special => 0.6,
        (PostType::Teacher, _) => 0.42,
        (PostType::Worker, _) => 0.45,
        _ => 0.45,
    };
    let sex = if chance(rng, female_share) {
        Sex::Female
    } else {
        Sex::Male
    };
    let private = plan.school.ownership.is_private();

    // Birth year and start of service.
    let (birth_year, start) = match slot.channel_2021 {
        Some(channel) => {
            let birth_year = match channel {
                RecruitChannel::FundedNormal => between(rng, 1998, 2000) as i32,
                RecruitChannel::Tegang => between(rng, 1994, 1999) as i32,
                RecruitChannel::Transfer => between(rng, 1978, 1990) as i32,
                _ => between(rng, 1990, 1999) as i32,
            };
            let start = match channel {
                RecruitChannel::Transfer => date(2021, 8, between(rng, 15, 31)),
                _ => date(2021, 9, 1),
            };
            (birth_year, start)
        }
        None => {
            let birth_year = if private {
                between(rng, 1976, 1998) as i32
            } else {
                between(rng, 1962, 1998) as i32
            };
            let year = (birth_year + between(rng, 20, 24) as i32).min(2020);
            (
                birth_year,
                date(year, between(rng, 8, 9), between(rng, 1, 28)),
            )
        }
    };
    let birth = date(birth_year, between(rng, 1, 12), between(rng, 1, 28));
    let outside = match slot.channel_2021 {
        Some(RecruitChannel::Transfer) => 0.7,
        _ => 0.04,
    };
    let area = if chance(rng, outside) {
        *pick(rng, names::OTHER_AREAS)
    } else {
        XUPU.code
    };
    let id_number = ids.issue(rng, area, birth, sex);

    let years = 2021 - chrono::Datelike::year(&start);
    let teacher = slot.post == PostType::Teacher;
    let channel = if slot.channel_2021.is_some() {
        slot.channel_2021
    } else if private {
        None
    } else if chrono::Datelike::year(&start) >= 2009 && !plan.is_urban() && teacher {
        Some(
            [
                RecruitChannel::Tegang,
                RecruitChannel::FundedNormal,
                RecruitChannel::Open,
                RecruitChannel::Transfer,
            ][pick_weighted(rng, 4, |i| [0.3, 0.2, 0.4, 0.1][i])],
        )
    } else if chrono::Datelike::year(&start) >= 2009 {
        Some(if chance(rng, 0.7) {
            RecruitChannel::Open
        } else {
            RecruitChannel::Transfer
        })
    } else {
        Some(
            [
                RecruitChannel::Other,
                RecruitChannel::Open,
                RecruitChannel::Transfer,
            ][pick_weighted(rng, 3, |i| [0.7, 0.2, 0.1][i])],
        )
    };

    let title = if !teacher || slot.channel_2021.is_some() {
        None
    } else {
        let r = crate::rng::unit(rng);
        let senior_school = matches!(plan.kind, Kind::Senior | Kind::Complete);
        let t = match years {
            0 => None,
            1..=2 => (r < 0.7).then_some("二级教师"),
            3..=9 => Some(if r < 0.5 {
                "二级教师"
            } else {
                "一级教师"
            }),
            10..=19 => Some(if r < 0.1 {
                "二级教师"
            } else if r < 0.8 {
                "一级教师"
            } else {
                "高级教师"
            }),
            _ if senior_school && r < 0.01 => Some("正高级教师"),
            _ => Some(if r < 0.05 {
                "二级教师"
            } else if r < 0.65 {
                "一级教师"
            } else {
                "高级教师"
            }),
        };
        if private && chance(rng, 0.6) {
            None
        } else {
            t
        }
    };

    let subject = if teacher {
        let pool = match (plan.school.school_type, slot.stage) {
            (SchoolType::Special, _) => SPECIAL_SUBJECTS,
            (SchoolType::Vocational, _) => VOCATIONAL_SUBJECTS,
            (_, Some(Stage::Preschool)) => &[("学前教育", 1.0)][..],
            (_, Some(Stage::Primary)) => PRIMARY_SUBJECTS,
            (_, Some(Stage::Junior)) => JUNIOR_SUBJECTS,
            _ => SENIOR_SUBJECTS,
        };
        Some(
            pool[pick_weighted(rng, pool.len(), |i| pool[i].1)]
                .0
                .to_string(),
        )
    } else {
        None
    };

    StaffRecord {
        school_code: plan.school.code.clone(),
        name: names::person_name(rng, sex),
        sex,
        id_number,
        post_type: slot.post,
        subject,
        title: title.map(str::to_string),
        channel,
        start_date: Some(start),
    }
}
