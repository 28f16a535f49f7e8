//! The demo county's 教育督导 of 2021: the 责任督学挂牌督导 of autumn (40 schools visited from
//! 8 November on the 督导 checklist; 8 visits find a problem, closed before the end of the
//! year, see [`crate::campaigns`]) and the inspectors' scores of the year's
//! 绩效目标管理评估: every school scored on every item of the default scheme that an
//! inspector scores, between 70% and 100% of its weight in half points.

use crate::campaigns::{self, DemoCampaign, Finding, Plan};
use crate::rng::{between, Rng};
use chrono::NaiveDate;
use emis_domain::registry::School;
use emis_domain::safety::Area;
use emis_domain::supervision::assessment::{default_scheme, Source};

/// Schools visited, and how many of the visits find a problem.
pub const VISITED: usize = 40;
pub const PROBLEMS: usize = 8;

/// What a 督导检查 may find: (checklist item, where, problem, measures, result).
const FINDINGS: &[Finding] = &[
    (
        "党建与思政",
        "党支部",
        "三会一课记录不全，10月支部党员大会无记录",
        "补齐会议记录，支部书记每月检查台账",
        "已按月召开并记录，台账完整",
    ),
    (
        "办学行为",
        "教务处",
        "课程表未开足道德与法治课时",
        "按课程方案调整课表，报中心校备案",
        "课表已调整，开足开齐",
    ),
    (
        "教育教学",
        "教研组",
        "集体备课流于形式，教案雷同",
        "修订集体备课制度，按学科组每周教研一次",
        "已修订制度，抽查教研记录完整",
    ),
    (
        "队伍建设",
        "人事",
        "2名教师未完成年度继续教育学时",
        "安排参加县级培训补足学时",
        "已补足学时并登记",
    ),
    (
        "安全管理",
        "学生宿舍",
        "宿舍夜间值班记录缺失",
        "落实宿管员夜间巡查并签字",
        "已建立巡查签字制度",
    ),
    (
        "控辍保学",
        "七年级",
        "2名长期请假学生未按规定报告乡镇",
        "按控辍保学流程登记并报告，开展家访",
        "已登记报告，学生返校",
    ),
    (
        "经费与资产",
        "总务处",
        "固定资产账实不符",
        "全面清查固定资产，补登台账",
        "已清查并补登，账实相符",
    ),
    (
        "校园环境",
        "运动场",
        "运动场围栏破损",
        "维修围栏，设置警示标识",
        "围栏已修复",
    ),
];

/// An inspector's score of one school on one item of the scheme.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoScore {
    pub school_code: String,
    pub item: String,
    /// Points in hundredths, as stored.
    pub hundredths: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoSupervision {
    pub visits: DemoCampaign,
    /// 2021's inspectors' scores, every school on every inspector item of the default scheme.
    pub scores: Vec<DemoScore>,
    /// The 文号 the 2021 scheme is issued under (set once the documents are drawn).
    pub scheme_document: Option<String>,
}

pub fn generate(rng: &mut Rng, schools: &[School]) -> DemoSupervision {
    let plan = Plan {
        area: Area::Supervision,
        title: "2021年秋季学期中小学责任督学挂牌督导",
        start: NaiveDate::from_ymd_opt(2021, 11, 8).expect("a real date"),
        visited: VISITED,
        problems: PROBLEMS,
        findings: FINDINGS,
        eligible: |_| true,
    };
    let visits = campaigns::generate(rng, schools, &plan);
    let items: Vec<_> = default_scheme()
        .into_iter()
        .filter(|i| i.source == Source::Inspector)
        .collect();
    let mut ordered: Vec<&School> = schools.iter().collect();
    ordered.sort_by(|a, b| a.code.cmp(&b.code));
    let mut scores = Vec::with_capacity(ordered.len() * items.len());
    for s in ordered {
        for item in &items {
            // Half points from 70% of the weight to full marks.
            let halves = (item.weight * 2.0) as u32;
            let low = halves * 7 / 10;
            scores.push(DemoScore {
                school_code: s.code.clone(),
                item: item.name.clone(),
                hundredths: i64::from(between(rng, low, halves)) * 50,
            });
        }
    }
    DemoSupervision {
        visits,
        scores,
        scheme_document: None,
    }
}
