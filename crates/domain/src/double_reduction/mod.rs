//! 双减 (2021-07-24) and 五项管理: off-campus training institutions and what became of them,
//! after-school service (课后服务) and its 5+2 standard.
//!
//! Glossary (code name → 中文): double reduction → 双减, training institution → 校外培训机构,
//! credit code → 统一社会信用代码, licence → 办学许可证 (none: 无证), subject-type → 学科类,
//! non-subject → 非学科类, status event → 状态变更, closed → 关停, deregistered → 注销,
//! transformed → 转型 (to 非学科类), non-profit → 营转非, after-school service → 课后服务,
//! coverage → 开展率, time compliance → 时间达标率, participation → 参与率,
//! five managements → 五项管理 (作业, 睡眠, 手机, 读物, 体质).

pub mod after_school;
pub mod credit_code;
pub mod five;

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;

labeled_enum!(
    /// 机构类别 (RULES.md: 学科类 teach the school subjects).
    InstitutionCategory {
        Subject => "学科类",
        NonSubject => "非学科类",
    }
);

labeled_enum!(
    /// 机构状态. Every state but 正常 is reached by a dated event.
    InstitutionStatus {
        Normal => "正常",
        Suspended => "停业整顿",
        Closed => "关停",
        Deregistered => "注销",
        Transformed => "转型",
        NonProfit => "营转非",
    }
);

labeled_enum!(
    /// 线索来源 of a case against an institution.
    CaseSource {
        Complaint => "投诉举报" | "投诉",
        Inspection => "检查发现" | "检查",
        Other => "其他",
    }
);

labeled_enum!(
    /// 案件状态.
    InstitutionCaseStatus {
        Open => "处理中",
        Closed => "已办结",
    }
);

/// The 学科类 subjects (RULES.md); others (体育, 艺术, 综合实践) are 非学科类.
pub const SUBJECTS: &[&str] = &[
    "道德与法治",
    "语文",
    "历史",
    "地理",
    "数学",
    "外语",
    "物理",
    "化学",
    "生物",
];

/// Which `double_reduction.institutions.*` indicator a status change counts toward, if any
/// (CONTRACTS.md): an unlicensed institution closed, a subject-type one deregistered or
/// transformed.
pub fn counted_as(
    status: InstitutionStatus,
    category: InstitutionCategory,
    licensed: bool,
) -> Option<&'static str> {
    match (status, category) {
        (InstitutionStatus::Closed, _) if !licensed => Some("double_reduction.institutions.closed"),
        (InstitutionStatus::Deregistered, InstitutionCategory::Subject) => {
            Some("double_reduction.institutions.deregistered")
        }
        (InstitutionStatus::Transformed, InstitutionCategory::Subject) => {
            Some("double_reduction.institutions.transformed")
        }
        _ => None,
    }
}
