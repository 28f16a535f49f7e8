//! 双减 in the demo county, 2021: the register of 校外培训机构 with their status changes,
//! 课后服务 of every compulsory-stage school in the spring and autumn terms, the schools'
//! 五项管理 self-checks ([`five`]) and the autumn 专项督查 ([`supervision`]).
//!
//! # How the seed's figures come out of the records
//!
//! * **Institutions.** About a hundred institutions in the 25 townships (every township has
//!   one, 卢峰镇 the most), each with a unique 统一社会信用代码 composed by
//!   `credit_code::compose`. Their fates are planned, not counted: exactly
//!   [`CLOSED_UNLICENSED`] 无证 institution closed (关停) after 2021-07-24,
//!   [`DEREGISTERED`] 学科类 institutions 注销 and [`TRANSFORMED`] 转型 between August and
//!   December 2021, some of them after a 停业整顿 earlier in the year. Around them are
//!   changes that count for nothing in 2021: a licensed 非学科类 institution closed, a
//!   非学科类 one deregistered, two 营转非, 停业整顿 still pending, and three institutions
//!   whose changes fell in 2020 (an unlicensed one closed, a 学科类 one deregistered, one
//!   suspended in 2020 and deregistered in 2021).
//! * **课后服务.** Every school whose grades include a compulsory grade has one record per
//!   term. In autumn 2021 every one offers the service five days a week for 120–150
//!   minutes a day, so 开展率 and 时间达标率 are both 100%; in spring about 85% offered it
//!   (village schools least often) and about a fifth of those ran fewer days or shorter
//!   days. Participants are a share of the school's roll that term (在读, 休学 and
//!   送教上门 records), never more.
//!
//! Pure and deterministic: its own ChaCha stream from the seed, so the registry's figures
//! do not move, and no hash-map iteration order reaches the output.

pub mod five;
pub mod supervision;

pub use crate::campaigns::{DemoCampaign, DemoProblem, DemoVisit};
pub use five::DemoFiveCheck;

use crate::names::{person_name, VILLAGES};
use crate::rng::{between, chance, choose_weighted_mask, pick, pick_weighted, shuffle, unit, Rng};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use emis_domain::divisions::XUPU;
use emis_domain::double_reduction::credit_code;
use emis_domain::double_reduction::{InstitutionCategory, InstitutionStatus};
use emis_domain::registry::{School, Sex, StudentRecord, StudentStatus, UrbanRural};
use emis_domain::term::Term;
use std::collections::{BTreeMap, HashMap, HashSet};

/// 无证 institutions closed (关停) in 2021.
pub const CLOSED_UNLICENSED: usize = 1;
/// 学科类 institutions deregistered (注销) in 2021.
pub const DEREGISTERED: usize = 12;
/// 学科类 institutions transformed (转型) to 非学科类 in 2021.
pub const TRANSFORMED: usize = 20;

/// The demo county's 双减 records.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoDoubleReduction {
    pub institutions: Vec<DemoInstitution>,
    /// One record per compulsory-stage school per term (spring and autumn 2021).
    pub after_school: Vec<DemoAfterSchool>,
    /// One self-check per primary, junior or senior school per term (2021).
    pub five_checks: Vec<DemoFiveCheck>,
    pub supervision: DemoCampaign,
}

/// A 校外培训机构 and its status changes in date order (none: 正常 throughout).
#[derive(Clone, Debug, PartialEq)]
pub struct DemoInstitution {
    pub name: String,
    pub credit_code: String,
    pub category: InstitutionCategory,
    pub township_code: String,
    /// 办学许可证号; `None` for 无证.
    pub licence: Option<String>,
    pub owner: String,
    pub address: String,
    pub events: Vec<DemoInstitutionEvent>,
}

/// A dated status change, with its 文号 if one was issued.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoInstitutionEvent {
    pub status: InstitutionStatus,
    pub on: NaiveDate,
    pub document: Option<String>,
}

/// One school's 课后服务 in one term; not offered has 0 days, minutes, students, teachers.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoAfterSchool {
    pub school_code: String,
    pub term: Term,
    pub offered: bool,
    pub days_a_week: u32,
    pub minutes_a_day: u32,
    pub students: u32,
    pub teachers: u32,
}

/// Generates the institutions and the after-school records of the compulsory-stage schools;
/// `students` holds the student records of both 2021 terms.
pub fn generate(
    rng: &mut Rng,
    schools: &[School],
    students: &[StudentRecord],
) -> DemoDoubleReduction {
    let institutions = institutions(rng);
    let after_school = after_school(rng, schools, students);
    // Drawn after the others, so adding them left the earlier records as they were.
    let five_checks = five::five_checks(rng, schools);
    let supervision = supervision::supervision(rng, schools);
    DemoDoubleReduction {
        institutions,
        after_school,
        five_checks,
        supervision,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real calendar date")
}

fn later(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days))).unwrap_or(d)
}

/// A uniform working day in `lo..=hi` (a weekend moves to the Monday after).
fn workday_between(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let span = (hi - lo).num_days().max(0) as u32;
    let d = later(lo, between(rng, 0, span));
    match d.weekday() {
        Weekday::Sat => later(d, 2),
        Weekday::Sun => later(d, 1),
        _ => d,
    }
}

// ---------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------

/// 注销 decisions of 2021, issued in batches.
const DEREGISTER_DAYS: [(u32, u32); 5] = [(8, 27), (9, 24), (10, 29), (11, 26), (12, 24)];
/// 转型 approvals of 2021, issued in batches.
const TRANSFORM_DAYS: [(u32, u32); 5] = [(8, 31), (9, 28), (10, 26), (11, 30), (12, 21)];

/// Name endings of 学科类 institutions (语文, 数学, 外语, 物理 and 化学, or several).
const SUBJECT_KINDS: &[&str] = &[
    "文化培训学校",
    "教育培训学校",
    "文化补习学校",
    "学科辅导中心",
    "作文培训学校",
    "阅读写作培训中心",
    "数学培训学校",
    "思维数学培训中心",
    "英语培训学校",
    "外语培训中心",
    "理化培训中心",
];

/// 非学科类 institutions by field (艺术, 体育, 科技): name stems and endings.
const OTHER_FIELDS: &[(&[&str], &[&str])] = &[
    (
        &[
            "艺林",
            "墨香",
            "七彩",
            "童画",
            "天韵",
            "舞之韵",
            "翰墨",
            "乐之声",
            "星光",
            "彩虹",
        ],
        &[
            "美术培训中心",
            "书法培训中心",
            "舞蹈培训学校",
            "音乐培训中心",
            "艺术培训学校",
        ],
    ),
    (
        &["飞扬", "腾龙", "精武", "小海豚", "雏鹰", "阳光", "新星"],
        &[
            "跆拳道馆",
            "武术培训学校",
            "篮球培训中心",
            "游泳培训中心",
            "体育培训中心",
        ],
    ),
    (
        &["创客", "未来星", "青苗", "弈趣", "小牛顿"],
        &["机器人编程培训中心", "科技创新培训中心", "围棋培训中心"],
    ),
];

/// Name endings of 托管 (unlicensed after-school care).
const CARE_KINDS: &[&str] = &["托管中心", "午托中心", "学生托管部"];

const SUBJECT_STEMS: &[&str] = &[
    "启航", "博学", "明德", "英才", "求知", "卓越", "优学", "育英", "精英", "弘毅", "思源", "北辰",
    "立人", "致远", "鸿志", "学海", "金榜", "领航", "尚学", "睿思", "博雅", "华英", "文博", "勤思",
    "拓新", "明志", "状元", "书山", "励志", "智远",
];

const CARE_STEMS: &[&str] = &[
    "小博士",
    "好学生",
    "开心",
    "乐乐",
    "向日葵",
    "知了",
    "小书包",
    "快乐岛",
];

/// Streets of the county seat.
const STREETS: &[&str] = &[
    "沿河路",
    "建设路",
    "解放街",
    "警予路",
    "屈原路",
    "长乐街",
    "正街",
    "东正街",
    "溆水大道",
    "卢峰路",
    "向阳路",
    "新城大道",
    "南庄坪路",
    "思蒙路",
];

/// Towns with more institutions than the others.
const BUSY_TOWNS: &[&str] = &[
    "低庄镇",
    "桥江镇",
    "大江口镇",
    "思蒙镇",
    "龙潭镇",
    "双井镇",
    "观音阁镇",
];

/// The 统一社会信用代码 alphabet (GB 32100: no I, O, S, V, Z).
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// What an institution is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Subject,
    Other,
    Care,
}

/// A status change before its 文号 is numbered.
struct Planned {
    status: InstitutionStatus,
    on: NaiveDate,
    documented: bool,
}

/// An institution's category, licence and fate.
struct Plan {
    kind: Kind,
    licensed: bool,
    events: Vec<Planned>,
}

impl Plan {
    fn new(kind: Kind, licensed: bool) -> Plan {
        Plan {
            kind,
            licensed,
            events: Vec::new(),
        }
    }

    fn then(mut self, status: InstitutionStatus, on: NaiveDate, documented: bool) -> Plan {
        self.events.push(Planned {
            status,
            on,
            documented,
        });
        self
    }

    fn category(&self) -> InstitutionCategory {
        match self.kind {
            Kind::Subject => InstitutionCategory::Subject,
            Kind::Other | Kind::Care => InstitutionCategory::NonSubject,
        }
    }
}

/// A 2021 停业整顿 after 双减 (2021-07-24), ordered on inspection (a 文号 half the time).
fn suspension_2021(rng: &mut Rng) -> Planned {
    Planned {
        status: InstitutionStatus::Suspended,
        on: workday_between(rng, date(2021, 7, 26), date(2021, 9, 17)),
        documented: chance(rng, 0.5),
    }
}

/// A batch day of `days` more than a week after `after`.
fn batch_day(rng: &mut Rng, days: &[(u32, u32)], after: Option<NaiveDate>) -> NaiveDate {
    let all: Vec<NaiveDate> = days.iter().map(|&(m, d)| date(2021, m, d)).collect();
    let open: Vec<NaiveDate> = all
        .iter()
        .copied()
        .filter(|d| after.is_none_or(|a| *d > later(a, 7)))
        .collect();
    *pick(rng, if open.is_empty() { &all } else { &open })
}

/// A 学科类 institution ending in `status` on a batch day of `days`, after an optional
/// earlier 停业整顿.
fn subject_ending(
    rng: &mut Rng,
    status: InstitutionStatus,
    days: &[(u32, u32)],
    suspended: Option<Planned>,
) -> Plan {
    let after = suspended.as_ref().map(|s| s.on);
    let on = batch_day(rng, days, after);
    let mut plan = Plan::new(Kind::Subject, true);
    plan.events.extend(suspended);
    plan.then(status, on, true)
}

/// Every institution's fate, in no particular order.
fn plans(rng: &mut Rng) -> Vec<Plan> {
    use InstitutionStatus::*;
    let mut plans = Vec::new();
    // 注销: one suspended in late 2020, four after 双减, the rest directly.
    for k in 0..DEREGISTERED {
        let suspended = match k {
            0 => Some(Planned {
                status: Suspended,
                on: workday_between(rng, date(2020, 10, 12), date(2020, 11, 30)),
                documented: true,
            }),
            1..=4 => Some(suspension_2021(rng)),
            _ => None,
        };
        plans.push(subject_ending(
            rng,
            Deregistered,
            &DEREGISTER_DAYS,
            suspended,
        ));
    }
    // 转型: six after a 停业整顿.
    for k in 0..TRANSFORMED {
        let suspended = (k < 6).then(|| suspension_2021(rng));
        plans.push(subject_ending(rng, Transformed, &TRANSFORM_DAYS, suspended));
    }
    // 营转非: count for nothing.
    for _ in 0..2 {
        let on = workday_between(rng, date(2021, 11, 1), date(2021, 12, 20));
        plans.push(Plan::new(Kind::Subject, true).then(NonProfit, on, true));
    }
    // 停业整顿 still pending at the end of the year.
    for _ in 0..3 {
        let on = workday_between(rng, date(2021, 8, 16), date(2021, 11, 30));
        let documented = chance(rng, 0.5);
        plans.push(Plan::new(Kind::Subject, true).then(Suspended, on, documented));
    }
    // 学科类 still under review.
    for _ in 0..2 {
        plans.push(Plan::new(Kind::Subject, true));
    }
    // A 学科类 institution suspended and deregistered in 2020.
    let suspended = workday_between(rng, date(2020, 5, 6), date(2020, 5, 29));
    let deregistered = workday_between(rng, later(suspended, 20), later(suspended, 40));
    plans.push(
        Plan::new(Kind::Subject, true)
            .then(Suspended, suspended, true)
            .then(Deregistered, deregistered, true),
    );
    // 无证: the one closed after 双减, one closed in 2020, one ordered to rectify.
    let closed = workday_between(rng, date(2021, 8, 2), date(2021, 11, 30));
    plans.push(Plan::new(Kind::Care, false).then(Closed, closed, true));
    let closed = workday_between(rng, date(2020, 11, 2), date(2020, 12, 18));
    plans.push(Plan::new(Kind::Care, false).then(Closed, closed, true));
    let suspended = workday_between(rng, date(2021, 9, 1), date(2021, 11, 30));
    plans.push(Plan::new(Kind::Care, false).then(Suspended, suspended, false));
    // 非学科类: one licensed closed after a spring 停业整顿, one deregistered, one suspended.
    let suspended = workday_between(rng, date(2021, 5, 6), date(2021, 6, 25));
    let closed = workday_between(rng, date(2021, 9, 1), date(2021, 12, 17));
    plans.push(
        Plan::new(Kind::Other, true)
            .then(Suspended, suspended, false)
            .then(Closed, closed, true),
    );
    let deregistered = workday_between(rng, date(2021, 10, 8), date(2021, 12, 17));
    plans.push(Plan::new(Kind::Other, true).then(Deregistered, deregistered, true));
    let suspended = workday_between(rng, date(2021, 4, 6), date(2021, 6, 30));
    plans.push(Plan::new(Kind::Other, true).then(Suspended, suspended, false));
    // The rest: licensed 非学科类 institutions with no change.
    for _ in 0..between(rng, 50, 64) {
        plans.push(Plan::new(Kind::Other, true));
    }
    plans
}

/// One township code per institution: every township at least one, 卢峰镇 about 38%, the
/// larger towns more than the others. Shuffled.
fn township_slots(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    let seat = XUPU.townships[0];
    let others: Vec<_> = XUPU.townships.iter().filter(|t| !t.urban).collect();
    let seat_share = n * 38 / 100;
    let mut slots: Vec<&'static str> = vec![seat.code; seat_share];
    slots.extend(others.iter().map(|t| t.code));
    let weight = |i: usize| {
        if BUSY_TOWNS.contains(&others[i].name) {
            2.0
        } else {
            1.0
        }
    };
    while slots.len() < n {
        slots.push(others[pick_weighted(rng, others.len(), weight)].code);
    }
    shuffle(rng, &mut slots);
    slots
}

fn township_name(code: &str) -> &'static str {
    XUPU.township(code).map_or("卢峰镇", |t| t.name)
}

/// A name unique in `taken`: the county or the township, a stem, the kind's ending.
fn name(rng: &mut Rng, kind: Kind, township_code: &str, taken: &mut HashSet<String>) -> String {
    let township = township_name(township_code);
    let seat = township_code == XUPU.townships[0].code;
    loop {
        let (stems, endings) = match kind {
            Kind::Subject => (SUBJECT_STEMS, SUBJECT_KINDS),
            Kind::Other => *pick(rng, OTHER_FIELDS),
            Kind::Care => (CARE_STEMS, CARE_KINDS),
        };
        let place = if seat && chance(rng, 0.7) {
            XUPU.name
        } else {
            township
        };
        let name = format!("{place}{}{}", pick(rng, stems), pick(rng, endings));
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

fn address(rng: &mut Rng, township_code: &str) -> String {
    let township = township_name(township_code);
    if township_code == XUPU.townships[0].code {
        let street = pick(rng, STREETS);
        let number = between(rng, 1, 320);
        if chance(rng, 0.4) {
            format!(
                "{}{township}{street}{number}号{}楼",
                XUPU.name,
                between(rng, 2, 5)
            )
        } else {
            format!("{}{township}{street}{number}号", XUPU.name)
        }
    } else if chance(rng, 0.6) {
        format!("{}{township}正街{}号", XUPU.name, between(rng, 1, 180))
    } else {
        format!(
            "{}{township}{}村{}组",
            XUPU.name,
            pick(rng, VILLAGES),
            between(rng, 1, 12)
        )
    }
}

/// A credit code unique in `taken`: 民办非企业单位 (52…MJ) for licensed institutions,
/// 个体工商户 (92…MA) for the unlicensed.
fn credit_code(rng: &mut Rng, licensed: bool, taken: &mut HashSet<String>) -> String {
    let head = if licensed { "52431224MJ" } else { "92431224MA" };
    loop {
        let mut body = head.to_string();
        for _ in 0..7 {
            body.push(*pick(rng, ALPHABET) as char);
        }
        let code = credit_code::compose(&body).expect("a body of 17 code characters");
        if taken.insert(code.clone()) {
            return code;
        }
    }
}

fn institutions(rng: &mut Rng) -> Vec<DemoInstitution> {
    let mut plans = plans(rng);
    shuffle(rng, &mut plans);
    let mut slots = township_slots(rng, plans.len());
    let seat = XUPU.townships[0].code;
    // 学科类 institutions crowd into the county seat: half of them take a seat slot first.
    let mut townships = Vec::with_capacity(plans.len());
    for plan in &plans {
        let at = (plan.kind == Kind::Subject && chance(rng, 0.5))
            .then(|| slots.iter().position(|s| *s == seat))
            .flatten()
            .unwrap_or(slots.len() - 1);
        townships.push(slots.remove(at));
    }
    // 办学许可证号 issued over the years, one per licensed institution.
    let mut licence_numbers: Vec<u32> = (1..=plans.len() as u32 + 40).collect();
    shuffle(rng, &mut licence_numbers);
    let mut licence_numbers = licence_numbers.into_iter();
    let documents = documents(rng, &plans);
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    let mut out: Vec<(usize, DemoInstitution)> = plans
        .iter()
        .zip(townships)
        .map(|(plan, township)| {
            let sex = if chance(rng, 0.55) {
                Sex::Female
            } else {
                Sex::Male
            };
            let licence = plan
                .licensed
                .then(|| licence_numbers.next())
                .flatten()
                .map(|n| format!("教民14312247{n:06}号"));
            let institution = DemoInstitution {
                name: name(rng, plan.kind, township, &mut names),
                credit_code: credit_code(rng, plan.licensed, &mut codes),
                category: plan.category(),
                township_code: township.to_string(),
                licence,
                owner: person_name(rng, sex),
                address: address(rng, township),
                events: plan
                    .events
                    .iter()
                    .map(|e| DemoInstitutionEvent {
                        status: e.status,
                        on: e.on,
                        document: e
                            .documented
                            .then(|| documents.get(&(e.on, e.status)).cloned())
                            .flatten(),
                    })
                    .collect(),
            };
            let order = XUPU
                .townships
                .iter()
                .position(|t| t.code == township)
                .unwrap_or(0);
            (order, institution)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    out.into_iter().map(|(_, i)| i).collect()
}

/// 文号 (溆教发〔年〕号) of the documented changes, numbered in date order within each year;
/// the changes of one status on one day share one document.
fn documents(rng: &mut Rng, plans: &[Plan]) -> BTreeMap<(NaiveDate, InstitutionStatus), String> {
    let keys: BTreeMap<(NaiveDate, InstitutionStatus), ()> = plans
        .iter()
        .flat_map(|p| &p.events)
        .filter(|e| e.documented)
        .map(|e| ((e.on, e.status), ()))
        .collect();
    let mut numbers: HashMap<i32, u32> = HashMap::new();
    keys.into_keys()
        .map(|(on, status)| {
            let year = on.year();
            let number = numbers.entry(year).or_insert(between(rng, 20, 40));
            *number += between(rng, 1, 6);
            ((on, status), format!("溆教发〔{year}〕{number}号"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 课后服务
// ---------------------------------------------------------------------------------------

fn on_roll(status: StudentStatus) -> bool {
    matches!(
        status,
        StudentStatus::Enrolled | StudentStatus::Suspended | StudentStatus::HomeTaught
    )
}

/// A share of `roll` between `lo` and `hi` (fractions), never more than the roll.
fn share_of(rng: &mut Rng, roll: u32, lo: f64, hi: f64) -> u32 {
    let share = lo + (hi - lo) * unit(rng);
    ((f64::from(roll) * share).floor() as u32).min(roll)
}

/// Teachers taking part: about one per 20 students, 3 to 60.
fn teachers_for(rng: &mut Rng, students: u32) -> u32 {
    (students / 20 + between(rng, 0, 3)).clamp(3, 60)
}

fn after_school(
    rng: &mut Rng,
    schools: &[School],
    students: &[StudentRecord],
) -> Vec<DemoAfterSchool> {
    let spring = Term::spring(2021);
    let autumn = Term::autumn(2021);
    let mut roll: HashMap<(&str, Term), u32> = HashMap::new();
    for s in students.iter().filter(|s| on_roll(s.status)) {
        *roll.entry((s.school_code.as_str(), s.term)).or_default() += 1;
    }
    let roll_of = |code: &str, term: Term| roll.get(&(code, term)).copied().unwrap_or(0);
    let compulsory: Vec<&School> = schools
        .iter()
        .filter(|s| s.school_type.grades().iter().any(|g| g.is_compulsory()))
        .collect();
    // Spring: about 15% did not offer the service, village schools most often.
    let reluctance = |s: &School| match s.urban_rural {
        UrbanRural::Urban => 0.3,
        UrbanRural::Town => 1.0,
        UrbanRural::Rural => 3.0,
    };
    // A school with nobody on the spring roll (opened in autumn) offered nothing.
    let n = compulsory.len();
    let empty: Vec<bool> = compulsory
        .iter()
        .map(|s| roll_of(&s.code, spring) == 0)
        .collect();
    let others = ((n * 15 / 100).max(1)).saturating_sub(empty.iter().filter(|e| **e).count());
    let reluctant: Vec<f64> = compulsory
        .iter()
        .zip(&empty)
        .map(|(s, &e)| if e { 0.0 } else { reluctance(s) })
        .collect();
    let not_offering: Vec<bool> = choose_weighted_mask(rng, &reluctant, others)
        .into_iter()
        .zip(&empty)
        .map(|(m, &e)| m || e)
        .collect();
    // Of those offering, about a fifth fell short of 5+2.
    let offering = n - not_offering.iter().filter(|m| **m).count();
    let shortfall_weights: Vec<f64> = compulsory
        .iter()
        .zip(&not_offering)
        .map(|(s, &off)| if off { 0.0 } else { reluctance(s) })
        .collect();
    let short = choose_weighted_mask(rng, &shortfall_weights, (offering / 5).max(1));
    let mut out = Vec::with_capacity(2 * n);
    for (i, school) in compulsory.iter().enumerate() {
        let code = school.code.as_str();
        let record = if not_offering[i] {
            DemoAfterSchool {
                school_code: code.to_string(),
                term: spring,
                offered: false,
                days_a_week: 0,
                minutes_a_day: 0,
                students: 0,
                teachers: 0,
            }
        } else {
            let (days, minutes) = if short[i] {
                match between(rng, 0, 2) {
                    0 => (between(rng, 3, 4), between(rng, 24, 30) * 5),
                    1 => (5, between(rng, 12, 20) * 5),
                    _ => (between(rng, 3, 4), between(rng, 12, 20) * 5),
                }
            } else {
                (5, between(rng, 24, 30) * 5)
            };
            let students = share_of(rng, roll_of(code, spring), 0.45, 0.8);
            DemoAfterSchool {
                school_code: code.to_string(),
                term: spring,
                offered: true,
                days_a_week: days,
                minutes_a_day: minutes,
                students,
                teachers: teachers_for(rng, students),
            }
        };
        out.push(record);
        // Autumn, after 双减: everyone, 5 days, two hours or more.
        let students = share_of(rng, roll_of(code, autumn), 0.75, 0.95);
        out.push(DemoAfterSchool {
            school_code: code.to_string(),
            term: autumn,
            offered: true,
            days_a_week: 5,
            minutes_a_day: between(rng, 24, 30) * 5,
            students,
            teachers: teachers_for(rng, students),
        });
    }
    out
}
