//! The demo county's 专项督查 of autumn 2021: the office visits 30 of the compulsory-stage
//! schools between 15 and 26 November and checks the whole 双减 list at each; 6 visits find
//! a problem, closed before the end of the year ([`crate::campaigns`]).

use crate::campaigns::{self, DemoCampaign, Finding, Plan};
use crate::rng::Rng;
use chrono::NaiveDate;
use emis_domain::registry::School;
use emis_domain::safety::Area;

/// Schools visited, and how many of the visits find a problem.
pub const VISITED: usize = 30;
pub const PROBLEMS: usize = 6;

/// What a visit may find: (checklist item, where, problem, measures, result).
const FINDINGS: &[Finding] = &[
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

pub(super) fn supervision(rng: &mut Rng, schools: &[School]) -> DemoCampaign {
    let plan = Plan {
        area: Area::DoubleReduction,
        title: "2021年秋季学期双减工作专项督查",
        start: NaiveDate::from_ymd_opt(2021, 11, 15).expect("a real date"),
        visited: VISITED,
        problems: PROBLEMS,
        findings: FINDINGS,
        eligible: |s| s.school_type.grades().iter().any(|g| g.is_compulsory()),
    };
    campaigns::generate(rng, schools, &plan)
}
