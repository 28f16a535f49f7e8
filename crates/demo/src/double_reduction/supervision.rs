//! The demo county's 专项督查 of autumn 2021: the office visits a sample of the
//! compulsory-stage schools between 15 and 26 November and checks the whole 双减 list at
//! each; a few visits find a problem, which goes back to the school with a deadline of two
//! weeks, is rectified within it and closed on review before the end of the year.

use crate::names::person_name;
use crate::rng::{between, pick, shuffle, Rng};
use chrono::{Days, NaiveDate};
use emis_domain::registry::{School, Sex};
use emis_domain::safety::Area;

/// Schools visited, and how many of the visits find a problem.
pub const VISITED: usize = 30;
pub const PROBLEMS: usize = 6;

#[derive(Clone, Debug, PartialEq)]
pub struct DemoSupervision {
    pub title: String,
    pub planned_on: NaiveDate,
    pub checklist: Vec<&'static str>,
    pub visits: Vec<DemoVisit>,
    pub problems: Vec<DemoProblem>,
}

/// The inspectors' day at a school: every item checked, with what they saw.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoVisit {
    pub school_code: String,
    pub checked_on: NaiveDate,
    pub note: String,
}

/// A problem found at a visit, from 待整改 to 已销号.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoProblem {
    pub school_code: String,
    pub category: &'static str,
    pub place: &'static str,
    pub description: &'static str,
    pub found_on: NaiveDate,
    pub responsible: String,
    pub measures: &'static str,
    pub deadline: NaiveDate,
    pub result: &'static str,
    pub rectified_on: NaiveDate,
    pub review: &'static str,
    pub closed_on: NaiveDate,
}

/// What a visit may find: (checklist item, where, problem, measures, result).
const FINDINGS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "作业总量与时长",
        "五年级",
        "五年级书面作业每天约80分钟，超过60分钟",
        "年级组统筹作业，每天公示各科作业量",
        "已建立作业公示制度，抽查作业时长均在60分钟内",
    ),
    (
        "手机管理",
        "八年级",
        "部分学生将手机带入课堂，未统一保管",
        "设手机保管柜，告知家长手机不进课堂",
        "已设保管柜并签订家校协议，课堂未见手机",
    ),
    (
        "睡眠管理",
        "寄宿部",
        "寄宿生晚自习延至21:40，睡眠不足9小时",
        "调整作息时间表，晚自习21:00结束",
        "已调整作息，21:30熄灯",
    ),
    (
        "课后服务5+2",
        "全校",
        "周五未安排课后服务，未达每周5天",
        "周五增设课后服务，安排教师轮值",
        "已按每周5天、每天2小时开展",
    ),
    (
        "考试管理",
        "一年级",
        "一年级组织了期中纸笔测试",
        "停止一二年级纸笔考试，改为游园式综合评价",
        "已停止纸笔考试，评价方案报中心校备案",
    ),
    (
        "读物管理",
        "图书室",
        "图书室部分课外读物未经审核",
        "对馆藏读物逐本审核，清理不适宜读物",
        "已完成审核并登记造册",
    ),
    (
        "体质管理",
        "三年级",
        "三年级体育课每周3节，少于4节",
        "调整课表，保证每周4节体育课",
        "课表已调整，每周4节体育课",
    ),
    (
        "收费与宣传",
        "校门口",
        "校门口张贴校外培训机构招生广告",
        "清理广告，门卫加强巡查",
        "已清理，未再发现",
    ),
];

fn later(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days))).unwrap_or(d)
}

pub(super) fn supervision(rng: &mut Rng, schools: &[School]) -> DemoSupervision {
    let start = NaiveDate::from_ymd_opt(2021, 11, 15).expect("a real date");
    let mut compulsory: Vec<&School> = schools
        .iter()
        .filter(|s| s.school_type.grades().iter().any(|g| g.is_compulsory()))
        .collect();
    compulsory.sort_by(|a, b| a.code.cmp(&b.code));
    shuffle(rng, &mut compulsory);
    let visited = &compulsory[..VISITED.min(compulsory.len())];
    let mut findings: Vec<usize> = (0..FINDINGS.len()).collect();
    shuffle(rng, &mut findings);
    let mut visits = Vec::with_capacity(visited.len());
    let mut problems = Vec::new();
    for (n, s) in visited.iter().enumerate() {
        // Two weeks of working days, three schools a day.
        let day = later(start, (n as u32 / 3) + 2 * (n as u32 / 15));
        let found = (n < PROBLEMS).then(|| FINDINGS[findings[n % findings.len()]]);
        let note = match found {
            Some((item, _, what, _, _)) => format!("{item}：{what}；其余项目符合要求"),
            None => "各项均符合要求".to_string(),
        };
        visits.push(DemoVisit {
            school_code: s.code.clone(),
            checked_on: day,
            note,
        });
        if let Some((category, place, description, measures, result)) = found {
            let deadline = later(day, 14);
            let rectified_on = later(day, between(rng, 5, 12));
            let sex = *pick(rng, &[Sex::Male, Sex::Female]);
            problems.push(DemoProblem {
                school_code: s.code.clone(),
                category,
                place,
                description,
                found_on: day,
                responsible: format!("分管副校长{}", person_name(rng, sex)),
                measures,
                deadline,
                result,
                rectified_on,
                review: "复查合格，予以销号",
                closed_on: later(rectified_on, between(rng, 1, 4)),
            });
        }
    }
    DemoSupervision {
        title: "2021年秋季学期双减工作专项督查".into(),
        planned_on: start,
        checklist: Area::DoubleReduction.checklist().to_vec(),
        visits,
        problems,
    }
}
