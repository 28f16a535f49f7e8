//! The demo county's 公文登记: the documents the work summary names, with plausible 文号,
//! dates and offices, and one 通知 for each 文号 the 校外培训机构 status changes carry, so
//! that those 文号 resolve to registered documents. Nothing here is random: the named
//! documents take their wanted number, or the next one the institution notices left free.

use crate::double_reduction::DemoInstitution;
use chrono::NaiveDate;
use emis_domain::documents::{DocCategory, DocNumber};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoDocument {
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub office: &'static str,
    pub category: DocCategory,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day")
}

/// (机关代字, wanted number, title, date, office, category) of the documents the summary names.
fn named() -> Vec<(
    &'static str,
    u32,
    &'static str,
    NaiveDate,
    &'static str,
    DocCategory,
)> {
    use DocCategory::*;
    vec![
        (
            "溆教发",
            16,
            "溆浦县教育局加强学校思想政治课建设的实施方案（2019-2021年）",
            day(2019, 3, 28),
            "基础教育股",
            Plan,
        ),
        (
            "溆教发",
            27,
            "溆浦县学校思想政治课建设评价细则",
            day(2019, 5, 16),
            "基础教育股",
            Rules,
        ),
        (
            "溆教党发",
            2,
            "2021年党风廉政建设与反腐败工作要点",
            day(2021, 2, 26),
            "机关党委",
            Other,
        ),
        (
            "溆教发",
            6,
            "2021年溆浦县“师德师风建设年”工作方案",
            day(2021, 3, 3),
            "人事股",
            Plan,
        ),
        (
            "溆教发",
            9,
            "溆浦县深化新时代教育评价改革实施方案",
            day(2021, 3, 19),
            "督导室",
            Plan,
        ),
        (
            "溆教党发",
            7,
            "溆浦县教育系统关于在党史学习教育中开展“我为群众办实事”实践活动的方案",
            day(2021, 4, 12),
            "机关党委",
            Plan,
        ),
        (
            "溆教发",
            12,
            "溆浦县预防学生溺水工作方案",
            day(2021, 4, 20),
            "安全股",
            Plan,
        ),
        (
            "溆教发",
            14,
            "溆浦县深化新时代教育督导体制机制改革的实施方案",
            day(2021, 4, 28),
            "督导室",
            Plan,
        ),
        (
            "溆教发",
            17,
            "溆浦县中小学校落实“五项管理”实施方案",
            day(2021, 5, 14),
            "基础教育股",
            Plan,
        ),
        (
            "溆教发",
            19,
            "溆浦县中小学食堂委托经营管理的规定",
            day(2021, 5, 31),
            "计划财务股",
            Other,
        ),
        (
            "溆教发",
            22,
            "溆浦县2021年秋季卢峰镇城区中小学招生工作方案",
            day(2021, 6, 18),
            "基础教育股",
            Plan,
        ),
        (
            "溆教发",
            31,
            "溆浦县中小学生课后服务方案",
            day(2021, 8, 26),
            "基础教育股",
            Plan,
        ),
        (
            "溆教发",
            35,
            "“双减”暨“五项管理”专项督查方案",
            day(2021, 9, 13),
            "督导室",
            Plan,
        ),
        (
            "溆教发",
            41,
            "中小学绩效目标管理评估方案",
            day(2021, 11, 8),
            "督导室",
            Plan,
        ),
    ]
}

/// The documents: the institution notices first (their 文号 are fixed), then the named
/// documents at their wanted number or the next free one.
pub fn generate(institutions: &[DemoInstitution]) -> Vec<DemoDocument> {
    // (文号) → (date, status, institutions) of the changes it orders.
    let mut notices: BTreeMap<DocNumber, (NaiveDate, &'static str, usize)> = BTreeMap::new();
    for i in institutions {
        for e in &i.events {
            let Some(number) = e.document.as_deref().and_then(|d| DocNumber::parse(d).ok()) else {
                continue;
            };
            notices
                .entry(number)
                .or_insert((e.on, e.status.label(), 0))
                .2 += 1;
        }
    }
    let mut taken: BTreeSet<DocNumber> = notices.keys().cloned().collect();
    let mut out: Vec<DemoDocument> = notices
        .into_iter()
        .map(|(number, (on, status, n))| DemoDocument {
            number: number.to_string(),
            title: format!("关于对{n}家校外培训机构作出{status}处理的通知"),
            issued_on: on,
            office: "双减工作领导小组办公室",
            category: DocCategory::Notice,
        })
        .collect();
    for (issuer, wanted, title, on, office, category) in named() {
        let mut number = DocNumber {
            issuer: issuer.to_string(),
            year: chrono::Datelike::year(&on),
            serial: wanted,
        };
        while taken.contains(&number) {
            number.serial += 1;
        }
        taken.insert(number.clone());
        out.push(DemoDocument {
            number: number.to_string(),
            title: title.to_string(),
            issued_on: on,
            office,
            category,
        });
    }
    out.sort_by(|a, b| a.issued_on.cmp(&b.issued_on).then(a.number.cmp(&b.number)));
    out
}

/// The 文号 the documents give a title (the records issued under it carry it).
pub fn number_of(documents: &[DemoDocument], title: &str) -> Option<String> {
    documents
        .iter()
        .find(|d| d.title == title)
        .map(|d| d.number.clone())
}

/// The 双减 专项督查's 方案, the 督导 reform the visits run under, and the assessment's 方案.
pub const SUPERVISION_PLAN: &str = "“双减”暨“五项管理”专项督查方案";
pub const VISITS_PLAN: &str = "溆浦县深化新时代教育督导体制机制改革的实施方案";
pub const ASSESSMENT_PLAN: &str = "中小学绩效目标管理评估方案";
