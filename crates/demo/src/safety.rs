//! 安全管理 in the demo county, 2021: 12 monthly inspections of every school, 6 county-wide
//! campaigns, a few hundred hazards of the usual categories (every one rectified and
//! closed before its deadline and before the year ends), the county's waters (溆水 and its
//! tributaries, 山塘, reservoirs, 野泳点) with their measures and the 九长 chain, summer
//! patrols at the dangerous ones (a few missing, to be flagged), 十有 per township and
//! school, and the rule for which parents signed the letter.
//!
//! Pure and deterministic: its own ChaCha stream from the seed, so the registry's figures
//! do not move.

use crate::names::{person_name, VILLAGES};
use crate::rng::{between, chance, index, pick, Rng};
use chrono::{Datelike, Duration, NaiveDate};
use emis_domain::divisions::XUPU;
use emis_domain::registry::{School, Sex, StudentRecord};
use emis_domain::safety::drowning::{self, Measures};
use emis_domain::safety::CAMPAIGN_CHECKLIST;
use rand::SeedableRng;

#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    pub kind: &'static str,
    pub title: String,
    pub school_code: Option<String>,
    pub planned_on: NaiveDate,
    pub done_on: NaiveDate,
    pub checklist: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hazard {
    /// Index into `Safety::inspections`.
    pub inspection: usize,
    pub school_code: String,
    pub place: String,
    pub category: &'static str,
    pub grade: &'static str,
    pub description: String,
    pub found_on: NaiveDate,
    pub responsible: String,
    pub measures: String,
    pub deadline: NaiveDate,
    pub budget_fen: i64,
    pub result: String,
    pub rectified_on: NaiveDate,
    pub review: String,
    pub closed_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Water {
    pub township_code: &'static str,
    pub village: String,
    pub name: String,
    pub kind: &'static str,
    pub longitude: String,
    pub latitude: String,
    pub risk: &'static str,
    pub measures: Measures,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub level: &'static str,
    pub township_code: String,
    /// Index into `Safety::waters`.
    pub water: Option<usize>,
    pub village: Option<String>,
    pub school_code: Option<String>,
    pub class_label: Option<String>,
    pub role: &'static str,
    pub person: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Patrol {
    pub water: usize,
    pub day: NaiveDate,
    pub slot: &'static str,
    pub patroller: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TenHave {
    pub org_code: String,
    pub item: &'static str,
    pub done: bool,
    pub evidence: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Safety {
    pub inspections: Vec<Inspection>,
    pub hazards: Vec<Hazard>,
    pub waters: Vec<Water>,
    pub chain: Vec<Link>,
    pub patrols: Vec<Patrol>,
    pub ten_haves: Vec<TenHave>,
    /// The (water, day) pairs left with fewer than two patrols.
    pub missing_patrols: Vec<(usize, NaiveDate)>,
    /// Checklist ticks: every school checks the whole list of its monthly inspections and of
    /// every campaign, so each shows complete progress by the end of the year.
    pub checks: Vec<Checks>,
}

/// A school's ticks of every item of an inspection's checklist, on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Checks {
    /// Index into [`Safety::inspections`].
    pub inspection: usize,
    pub school_code: String,
    pub checked_on: NaiveDate,
}

/// The parents of a student on the autumn roll signed the letter unless the student's
/// record id leaves this remainder when divided by [`LETTER_MODULUS`] (about one in 260).
pub const LETTER_UNSIGNED_REMAINDER: i64 = 17;
pub const LETTER_MODULUS: i64 = 263;

/// Whether the parents of the student with this record id signed (the demo's rule).
pub fn letter_signed(student_id: i64) -> bool {
    student_id % LETTER_MODULUS != LETTER_UNSIGNED_REMAINDER
}

const CAMPAIGNS: &[(&str, u32, u32)] = &[
    ("春季开学安全隐患大排查", 2, 22),
    ("安全隐患大排查大整治专项行动", 4, 12),
    ("防溺水专项检查", 5, 20),
    ("汛期校舍安全专项排查", 6, 15),
    ("秋季开学安全大检查", 8, 25),
    ("冬季消防安全专项整治", 11, 9),
];

/// (category, place, description, measures, result, budget range in yuan)
type Kind = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    (u32, u32),
);

const KINDS: &[Kind] = &[
    (
        "校舍建筑",
        "教学楼外墙",
        "外墙瓷砖空鼓脱落",
        "拆除空鼓瓷砖，重新粘贴并设置警戒区",
        "已修复，警戒区撤除",
        (800, 6000),
    ),
    (
        "校舍建筑",
        "学生宿舍",
        "宿舍楼楼梯扶手松动",
        "加固楼梯扶手",
        "扶手已焊接加固",
        (300, 2000),
    ),
    (
        "校舍建筑",
        "围墙",
        "校园围墙局部开裂倾斜",
        "拆除重砌开裂段围墙",
        "开裂段已拆除重砌",
        (5000, 30000),
    ),
    (
        "消防",
        "教学楼",
        "灭火器压力不足、过期",
        "更换过期灭火器并建立检查登记",
        "已更换，建立月检登记",
        (200, 1500),
    ),
    (
        "消防",
        "学生宿舍",
        "安全出口指示灯损坏",
        "更换应急照明和疏散指示灯",
        "已更换并测试正常",
        (300, 1200),
    ),
    (
        "消防",
        "食堂",
        "消防通道堆放杂物",
        "清理杂物，划定禁停禁堆区域",
        "已清理，专人巡查",
        (0, 200),
    ),
    (
        "用电",
        "教室",
        "插座面板破损，电线裸露",
        "更换插座面板，线路穿管",
        "已更换并穿管",
        (100, 800),
    ),
    (
        "用电",
        "学生宿舍",
        "私拉乱接电线",
        "拆除私接线路，开展用电安全教育",
        "已拆除，宿舍每周检查",
        (0, 300),
    ),
    (
        "用电",
        "配电房",
        "配电箱未上锁、无警示标识",
        "配电箱加锁并张贴警示标识",
        "已加锁并设标识",
        (100, 500),
    ),
    (
        "食堂食品",
        "食堂操作间",
        "生熟食品未分开存放",
        "增设生熟分区货架并标识",
        "已分区存放",
        (500, 3000),
    ),
    (
        "食堂食品",
        "食堂",
        "留样冰箱温度不达标、留样记录不全",
        "维修留样冰箱，规范留样记录",
        "冰箱已维修，记录完整",
        (300, 2500),
    ),
    (
        "食堂食品",
        "食堂",
        "从业人员健康证过期",
        "督促办理健康证，未取得前调离岗位",
        "已全部持证上岗",
        (0, 500),
    ),
    (
        "校车交通",
        "校门口",
        "上下学时段校门口无减速标志",
        "协调交警设置减速带和警示标志",
        "减速带和标志已设置",
        (1500, 8000),
    ),
    (
        "校车交通",
        "校车",
        "校车安全锤、灭火器缺失",
        "补齐校车安全锤和灭火器",
        "已补齐并检查",
        (200, 800),
    ),
    (
        "周边环境",
        "学校周边",
        "校园周边有流动摊贩占道经营",
        "联合市场监管部门清理",
        "已清理，纳入日常巡查",
        (0, 0),
    ),
    (
        "周边环境",
        "学校后山",
        "后山边坡有落石风险",
        "设置拦石网并定期巡查",
        "拦石网已安装",
        (8000, 60000),
    ),
    (
        "实验室危化品",
        "化学实验室",
        "危化品未实行双人双锁管理",
        "危化品入柜，实行双人双锁",
        "已落实双人双锁",
        (500, 3000),
    ),
    (
        "实验室危化品",
        "实验室",
        "废液随意倾倒，无回收容器",
        "配置废液回收桶，规范处置",
        "已配置并建立台账",
        (300, 1500),
    ),
    (
        "体育器材",
        "操场",
        "单杠立柱锈蚀松动",
        "更换锈蚀立柱并加固",
        "已更换",
        (800, 5000),
    ),
    (
        "体育器材",
        "篮球场",
        "篮球架底座配重不足",
        "加装配重并固定",
        "已加固",
        (500, 2000),
    ),
    (
        "门卫与三防",
        "门卫室",
        "门卫防护器械不全",
        "补充钢叉、防刺背心等器械",
        "器械已配齐",
        (500, 2500),
    ),
    (
        "门卫与三防",
        "校门",
        "监控摄像头损坏，未与公安联网",
        "维修监控并接入联网平台",
        "已修复并联网",
        (1000, 8000),
    ),
    (
        "门卫与三防",
        "校门",
        "一键报警装置故障",
        "维修一键报警装置",
        "已修复并测试",
        (300, 1500),
    ),
    (
        "特种设备",
        "锅炉房",
        "锅炉压力表未按期检定",
        "送检压力表，完善检定记录",
        "已检定合格",
        (300, 1500),
    ),
    (
        "特种设备",
        "食堂",
        "电梯年检过期",
        "联系特检机构年检",
        "年检合格",
        (800, 3000),
    ),
    (
        "防溺水",
        "学校附近山塘",
        "山塘边无警示牌和救生设施",
        "设置警示牌，配齐救生杆、救生圈、救生绳",
        "一牌一杆一圈一绳已配齐",
        (500, 3000),
    ),
    (
        "防溺水",
        "学校附近河段",
        "河边护栏缺损",
        "修复护栏",
        "护栏已修复",
        (2000, 15000),
    ),
];

/// 重大 hazards (few): (category, place, description, measures, result, budget yuan)
const MAJOR: &[Kind] = &[
    (
        "校舍建筑",
        "老教学楼",
        "老教学楼经鉴定为C级危房仍在使用",
        "停止使用，学生转移至新教学楼，申报维修加固项目",
        "已完成加固并经复核鉴定为B级",
        (150_000, 600_000),
    ),
    (
        "周边环境",
        "学校后山",
        "后山滑坡体威胁学生宿舍",
        "宿舍学生转移，实施边坡治理工程",
        "边坡治理工程已完工验收",
        (200_000, 800_000),
    ),
    (
        "消防",
        "学生宿舍",
        "宿舍楼只有一个疏散通道",
        "增设室外疏散楼梯",
        "室外疏散楼梯已建成",
        (80_000, 250_000),
    ),
    (
        "用电",
        "教学楼",
        "教学楼线路严重老化，多次跳闸",
        "整体更换教学楼供电线路",
        "线路已整体改造",
        (60_000, 200_000),
    ),
];

const RIVERS: &[&str] = &[
    "溆水",
    "四都河",
    "龙潭河",
    "双龙江",
    "九溪江",
    "岩溪",
    "深子河",
    "洑水",
    "大潭溪",
];

fn phone(rng: &mut Rng) -> String {
    let head = pick(
        rng,
        &[
            "138", "139", "150", "151", "152", "158", "173", "180", "187", "199",
        ],
    );
    format!("{head}{:08}", between(rng, 0, 99_999_999))
}

fn name(rng: &mut Rng) -> String {
    let sex = if chance(rng, 0.7) {
        Sex::Male
    } else {
        Sex::Female
    };
    person_name(rng, sex)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Generates the safety records of 2021 for the schools and roll of the demo county.
pub fn generate(seed: u64, schools: &[School], students: &[StudentRecord]) -> Safety {
    let mut rng = Rng::seed_from_u64(seed ^ 0x5AFE_2021);
    let mut out = Safety::default();
    let checklist: Vec<String> = CAMPAIGN_CHECKLIST.iter().map(|s| s.to_string()).collect();
    let year = 2021;

    // Monthly inspections of every school (schools that open in autumn from September).
    let autumn_only: std::collections::HashSet<&str> = {
        let spring: std::collections::HashSet<&str> = students
            .iter()
            .filter(|s| s.term.season == emis_domain::term::Season::Spring)
            .map(|s| s.school_code.as_str())
            .collect();
        schools
            .iter()
            .map(|s| s.code.as_str())
            .filter(|c| !spring.contains(c))
            .collect()
    };
    for month in 1..=12u32 {
        for school in schools {
            if month < 9 && autumn_only.contains(school.code.as_str()) {
                continue;
            }
            let planned = day(year, month, 10);
            out.inspections.push(Inspection {
                kind: "月度排查",
                title: format!("{year}年{month}月安全隐患排查"),
                school_code: Some(school.code.clone()),
                planned_on: planned,
                done_on: planned + Duration::days(i64::from(between(&mut rng, 0, 8))),
                checklist: checklist.clone(),
            });
        }
    }
    let monthly = out.inspections.len();
    for (title, m, d) in CAMPAIGNS {
        let planned = day(year, *m, *d);
        out.inspections.push(Inspection {
            kind: "专项行动",
            title: format!("{year}年{title}"),
            school_code: None,
            planned_on: planned,
            done_on: planned + Duration::days(14),
            checklist: checklist.clone(),
        });
    }

    // Hazards: about 320, found in monthly inspections and campaigns.
    let total = between(&mut rng, 310, 335) as usize;
    let majors = 4;
    let school_index: std::collections::HashMap<&str, usize> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    for n in 0..total {
        let from_campaign = chance(&mut rng, 0.3);
        let (inspection, school_code, found_on) = if from_campaign {
            let c = monthly + index(&mut rng, CAMPAIGNS.len());
            let school = &schools[index(&mut rng, schools.len())];
            let start = out.inspections[c].planned_on;
            let found = start + Duration::days(i64::from(between(&mut rng, 0, 13)));
            (c, school.code.clone(), found)
        } else {
            let i = index(&mut rng, monthly);
            let insp = &out.inspections[i];
            (
                i,
                insp.school_code.clone().unwrap_or_default(),
                insp.done_on,
            )
        };
        // Nothing found after 12月15日 (so every hazard can close within the year).
        let found_on = found_on.min(day(year, 12, 15));
        let major = n < majors;
        let (category, place, description, measures, result, (lo, hi)) = if major {
            MAJOR[n % MAJOR.len()]
        } else {
            *pick(&mut rng, KINDS)
        };
        let days = if major {
            between(&mut rng, 30, 90)
        } else {
            between(&mut rng, 3, 20)
        };
        let deadline = (found_on + Duration::days(i64::from(days))).min(day(year, 12, 28));
        let span = (deadline - found_on).num_days().max(1);
        let rectified_on =
            found_on + Duration::days(i64::from(between(&mut rng, 1, span as u32)).min(span));
        let closed_on = (rectified_on + Duration::days(i64::from(between(&mut rng, 0, 3))))
            .min(day(year, 12, 31));
        let budget_fen = i64::from(between(&mut rng, lo, hi.max(lo))) * 100;
        out.hazards.push(Hazard {
            inspection,
            school_code,
            place: place.to_string(),
            category,
            grade: if major { "重大" } else { "一般" },
            description: description.to_string(),
            found_on,
            responsible: name(&mut rng),
            measures: measures.to_string(),
            deadline,
            budget_fen,
            result: result.to_string(),
            rectified_on,
            review: "复查合格，同意销号".to_string(),
            closed_on,
        });
    }
    out.hazards.sort_by_key(|h| h.found_on);

    // Waters per township.
    for (t, township) in XUPU.townships.iter().enumerate() {
        let base_lon = 110.35 + (t % 5) as f64 * 0.11;
        let base_lat = 27.55 + (t / 5) as f64 * 0.1;
        let mut add = |rng: &mut Rng, kind: &'static str, name: String, risk: &'static str| {
            let village = format!("{}村", pick(rng, VILLAGES));
            let equipped = risk != "一般" || chance(rng, 0.5);
            let measures = Measures {
                sign: equipped || chance(rng, 0.5),
                pole: equipped,
                ring: equipped,
                rope: equipped,
                rail: kind == "河段" && chance(rng, 0.4),
                backfilled: false,
                closed: kind == "野泳点" && chance(rng, 0.2),
            };
            out.waters.push(Water {
                township_code: township.code,
                village: village.clone(),
                name: format!("{}{}", village.trim_end_matches('村'), name),
                kind,
                longitude: format!("{:.5}", base_lon + drowning_offset(rng)),
                latitude: format!("{:.5}", base_lat + drowning_offset(rng)),
                risk,
                measures,
            });
        };
        let river = RIVERS[t % RIVERS.len()];
        add(&mut rng, "河段", format!("{river}段"), "高");
        if chance(&mut rng, 0.5) {
            add(
                &mut rng,
                "河段",
                format!("{}段", RIVERS[(t + 3) % RIVERS.len()]),
                "较高",
            );
        }
        for _ in 0..between(&mut rng, 1, 3) {
            let risk = if chance(&mut rng, 0.5) {
                "较高"
            } else {
                "一般"
            };
            add(&mut rng, "山塘", "山塘".into(), risk);
        }
        if chance(&mut rng, 0.4) {
            add(&mut rng, "水库", "水库".into(), "高");
        }
        add(&mut rng, "野泳点", "野泳点".into(), "高");
    }
    // Names are unique per township (several ponds may share a village).
    let mut seen = std::collections::HashSet::new();
    for w in &mut out.waters {
        let mut name = w.name.clone();
        let mut k = 2;
        while !seen.insert((w.township_code, name.clone())) {
            name = format!("{}{k}号", w.name);
            k += 1;
        }
        w.name = name;
    }

    // The 九长 chain.
    out.chain.push(Link {
        level: "县",
        township_code: XUPU.townships[0].code.to_string(),
        water: None,
        village: None,
        school_code: None,
        class_label: None,
        role: "县长",
        person: name(&mut rng),
        phone: phone(&mut rng),
    });
    out.chain.push(Link {
        level: "县",
        township_code: XUPU.townships[0].code.to_string(),
        water: None,
        village: None,
        school_code: None,
        class_label: None,
        role: "局长",
        person: name(&mut rng),
        phone: phone(&mut rng),
    });
    for township in XUPU.townships {
        out.chain.push(Link {
            level: "乡镇",
            township_code: township.code.to_string(),
            water: None,
            village: None,
            school_code: None,
            class_label: None,
            role: "乡(镇)长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }
    for (w, water) in out.waters.clone().iter().enumerate() {
        for (level, role) in [("水域", "河(库)长"), ("村", "村长"), ("村", "组长")] {
            out.chain.push(Link {
                level,
                township_code: water.township_code.to_string(),
                water: Some(w),
                village: Some(water.village.clone()),
                school_code: None,
                class_label: None,
                role,
                person: name(&mut rng),
                phone: phone(&mut rng),
            });
        }
    }
    let mut classes: Vec<(&str, String)> = students
        .iter()
        .filter(|s| s.term.season == emis_domain::term::Season::Autumn)
        .map(|s| {
            (
                s.school_code.as_str(),
                format!("{}{}班", s.grade.label(), s.class_number),
            )
        })
        .collect();
    classes.sort();
    classes.dedup();
    for school in schools {
        out.chain.push(Link {
            level: "学校",
            township_code: school.township_code.clone(),
            water: None,
            village: None,
            school_code: Some(school.code.clone()),
            class_label: None,
            role: "校长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }
    for (code, label) in classes {
        let Some(&i) = school_index.get(code) else {
            continue;
        };
        out.chain.push(Link {
            level: "班级",
            township_code: schools[i].township_code.clone(),
            water: None,
            village: None,
            school_code: Some(code.to_string()),
            class_label: Some(label),
            role: "班长",
            person: name(&mut rng),
            phone: phone(&mut rng),
        });
    }

    // Summer patrols: noon and after school at every dangerous water not backfilled;
    // a handful of (water, day) pairs get only one.
    let dangerous: Vec<usize> = out
        .waters
        .iter()
        .enumerate()
        .filter(|(_, w)| drowning::is_dangerous(w.risk) && !w.measures.backfilled)
        .map(|(i, _)| i)
        .collect();
    let days = drowning::summer_days(year);
    let mut missing = std::collections::BTreeSet::new();
    while missing.len() < 7 && !dangerous.is_empty() {
        missing.insert((
            *pick(&mut rng, &dangerous),
            days[index(&mut rng, days.len())],
        ));
    }
    for &w in &dangerous {
        let patrollers = [name(&mut rng), name(&mut rng)];
        for d in &days {
            out.patrols.push(Patrol {
                water: w,
                day: *d,
                slot: "中午",
                patroller: patrollers[(d.day() % 2) as usize].clone(),
            });
            if !missing.contains(&(w, *d)) {
                out.patrols.push(Patrol {
                    water: w,
                    day: *d,
                    slot: "放学后",
                    patroller: patrollers[((d.day() + 1) % 2) as usize].clone(),
                });
            }
        }
    }
    out.missing_patrols = missing.into_iter().collect();

    // 十有 per township and school.
    let orgs = XUPU
        .townships
        .iter()
        .map(|t| t.code.to_string())
        .chain(schools.iter().map(|s| s.code.clone()));
    for org in orgs {
        for item in drowning::TEN_HAVES {
            out.ten_haves.push(TenHave {
                org_code: org.clone(),
                item,
                done: true,
                evidence: format!("{item}相关文件已存档（{year}年）"),
            });
        }
    }
    out.checks = checks(seed, &out.inspections, schools, &autumn_only);
    out
}

/// The checklist ticks of the year. A monthly inspection is ticked by its school on the day it
/// was done; a campaign by every school on a day of its fortnight (a school that opened in
/// autumn catches up on 1 September). Its own random stream keeps the other figures as they were.
fn checks(
    seed: u64,
    inspections: &[Inspection],
    schools: &[School],
    autumn_only: &std::collections::HashSet<&str>,
) -> Vec<Checks> {
    let mut rng = Rng::seed_from_u64(seed ^ 0xC4EC_2021);
    let mut out = Vec::new();
    for (index, i) in inspections.iter().enumerate() {
        if let Some(school) = &i.school_code {
            out.push(Checks {
                inspection: index,
                school_code: school.clone(),
                checked_on: i.done_on,
            });
            continue;
        }
        let span = (i.done_on - i.planned_on).num_days().max(0) as u32;
        let opened = day(i.planned_on.year(), 9, 1);
        for school in schools {
            let mut checked_on =
                i.planned_on + Duration::days(i64::from(between(&mut rng, 0, span)));
            if autumn_only.contains(school.code.as_str()) && checked_on < opened {
                checked_on = opened;
            }
            out.push(Checks {
                inspection: index,
                school_code: school.code.clone(),
                checked_on,
            });
        }
    }
    out
}

fn drowning_offset(rng: &mut Rng) -> f64 {
    (crate::rng::unit(rng) - 0.5) * 0.08
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hazard_is_closed_in_time_and_the_year() {
        let demo = crate::generate(2021);
        let s = generate(2021, &demo.schools, &demo.students);
        assert!(
            (300..=340).contains(&s.hazards.len()),
            "{}",
            s.hazards.len()
        );
        assert_eq!(
            s.inspections
                .iter()
                .filter(|i| i.kind == "专项行动")
                .count(),
            6
        );
        for h in &s.hazards {
            assert!(h.found_on.year() == 2021);
            assert!(h.rectified_on <= h.deadline, "{h:?}");
            assert!(h.found_on <= h.rectified_on && h.rectified_on <= h.closed_on);
            assert!(h.closed_on <= day(2021, 12, 31));
            assert!(emis_domain::safety::is_category(h.category));
        }
        assert!(s.hazards.iter().any(|h| h.grade == "重大"));
        assert_eq!(s.missing_patrols.len(), 7);
        assert_eq!(s, generate(2021, &demo.schools, &demo.students));
    }

    #[test]
    fn every_school_checks_every_inspection_it_is_part_of_by_year_end() {
        let demo = crate::generate(2021);
        let s = generate(2021, &demo.schools, &demo.students);
        let campaigns = s
            .inspections
            .iter()
            .filter(|i| i.school_code.is_none())
            .count();
        let monthly = s.inspections.len() - campaigns;
        assert_eq!(s.checks.len(), monthly + campaigns * demo.schools.len());
        let mut seen = std::collections::HashSet::new();
        for c in &s.checks {
            let i = &s.inspections[c.inspection];
            assert!(i
                .school_code
                .as_ref()
                .is_none_or(|own| *own == c.school_code));
            assert!(
                i.planned_on <= c.checked_on && c.checked_on <= day(2021, 12, 31),
                "{c:?}"
            );
            assert!(
                seen.insert((c.inspection, c.school_code.clone())),
                "ticked twice: {c:?}"
            );
        }
    }
}
