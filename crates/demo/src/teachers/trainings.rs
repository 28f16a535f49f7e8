//! The 2021 trainings: templates by level drawn from the teachers they are meant for, sized
//! so that the completed person-times come to exactly `PERSON_TIMES`.

use super::*;

/// Whom a training is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Pool {
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
pub(super) enum PoolKind {
    All,
    Rural,
    Band(Band),
    Subject,
    RuralSubject,
    Recruits,
    FundedRecruits,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Size {
    Range(u32, u32),
    /// A share of the pool (percent) with a cap.
    Share(u32, u32, usize),
    All,
    /// Sized last, to reach [`PERSON_TIMES`].
    Fill,
}

/// One training per subject label (space-separated), or numbered sessions of one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Each {
    Label(&'static str),
    Sessions(usize),
}

/// A family of 2021 trainings.
pub(super) struct Template {
    level: TrainingLevel,
    /// `{}` is the subject label.
    name: &'static str,
    each: Each,
    pool: PoolKind,
    size: Size,
    /// Hours, start month and days, each as lowest and highest.
    shape: [u32; 6],
}

pub(super) const fn t(
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

pub(super) const FURONG: &str = "小学语文 小学数学 小学英语 小学科学 小学音乐 小学美术 小学体育 \
                      初中语文 初中数学 初中英语 初中物理 初中化学 初中历史 学前教育";
pub(super) const PROVINCE_CORE: &str = "小学语文 小学数学 初中语文 初中数学 初中英语 初中物理 \
                             高中语文 高中数学 高中英语 高中物理 高中化学 高中生物";
pub(super) const CITY_LEADERS: &str =
    "小学语文 小学数学 小学英语 小学科学 初中语文 初中数学 初中英语 \
                            初中物理 初中化学 初中生物 初中历史 初中地理 高中语文 高中数学 \
                            高中英语 高中物理 高中化学 高中生物 高中历史 高中地理";
pub(super) const CITY_RURAL: &str = "小学语文 小学数学 小学英语 小学音乐 小学美术 小学体育 \
                          初中语文 初中数学 初中英语 初中道德与法治";
pub(super) const COUNTY_SUBJECTS: &str =
    "小学语文 小学数学 小学英语 小学科学 小学道德与法治 小学体育 \
                               小学音乐 小学美术 小学信息技术 初中语文 初中数学 初中英语 \
                               初中物理 初中化学 初中生物 初中道德与法治 初中历史 初中地理 \
                               初中体育 初中信息技术 高中语文 高中数学 高中英语 高中物理 \
                               高中化学 高中生物 高中思想政治 高中历史 高中地理 学前教育";

/// The 2021 trainings above school level: 15 国家级, 40 省级, 60 市级 and 150 县级.
pub(super) const TEMPLATES: &[Template] = &[
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
pub(super) const OPENED_AUTUMN_2021: &str = "溆浦县雅堂芙蓉学校";

/// A training being planned: its teachers are indices into [`Roll::teachers`].
pub(super) struct Planned {
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
pub(super) fn hours(rng: &mut Rng, (lo, hi): (u32, u32)) -> u32 {
    let h = between(rng, lo, hi) * 10;
    if h < hi * 10 && chance(rng, 0.08) {
        h + 5
    } else {
        h
    }
}

/// `n` distinct teachers of `members`, more engaged ones more likely.
pub(super) fn draw(rng: &mut Rng, roll: &Roll, members: &[usize], n: usize) -> Vec<usize> {
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

pub(super) fn trainings(rng: &mut Rng, roll: &Roll) -> Vec<DemoTraining> {
    let mut planned = plan(rng, roll);
    fill(rng, roll, &mut planned);
    let mut out: Vec<DemoTraining> = planned.into_iter().map(|p| finish(rng, roll, p)).collect();
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.name.cmp(&b.name)));
    out
}

/// Every training with its name, dates, hours and pool, none with teachers yet.
pub(super) fn plan(rng: &mut Rng, roll: &Roll) -> Vec<Planned> {
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
pub(super) fn free(roll: &Roll, p: &Planned) -> Vec<usize> {
    let inside: HashSet<usize> = p.members.iter().copied().collect();
    roll.members(p.pool, p.start)
        .into_iter()
        .filter(|t| !inside.contains(t))
        .collect()
}

/// Draws the teachers of every training: everything but the fill first, then the fill
/// sized so that the completed 2021 person-times come to [`PERSON_TIMES`].
pub(super) fn fill(rng: &mut Rng, roll: &Roll, planned: &mut [Planned]) {
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
pub(super) fn finish(rng: &mut Rng, roll: &Roll, p: Planned) -> DemoTraining {
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
