//! 教师队伍 teacher workforce: the vocabulary of trainings, 公费定向师范生, studios, awards
//! and conduct cases, and the rules that read them (staffing standards, continuing
//! education hours, service obligations, the award workflow).
//!
//! Glossary (code name → 中文):
//! training → 教师培训, participant → 参训教师, person-time → 人次 (one teacher completing
//! one training), training level → 培训级别, continuing-education hours → 继续教育学时,
//! funded normal student → 公费定向师范生, selection → 选拔, placement → 安置,
//! service obligation → 服务期, directed township → 定向乡镇, studio → 工作室
//! (名师名校长工作室 / 学科工作室), host → 主持人, award → 表彰奖励, award fund → 奖励资金,
//! conduct → 师德师风, conduct case → 师德师风问题线索/案件, sanction → 处理处分,
//! campaign → 专项整治, staffing standard → 编制标准 (师生比), shortage → 缺编.

pub mod awards;
pub mod conduct;
pub mod funded;
pub mod hours;
pub mod staffing;

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;

labeled_enum!(
    /// 培训级别.
    TrainingLevel {
        National => "国家级" | "国培",
        Provincial => "省级" | "省培",
        City => "市级",
        County => "县级",
        School => "校本" | "校级" | "校本培训",
    }
);

labeled_enum!(
    /// 公费定向师范生的生源.
    TraineeSource {
        SeniorGraduate => "高中毕业" | "高中",
        JuniorGraduate => "初中毕业" | "初中",
    }
);

labeled_enum!(
    /// 定向学段.
    DirectedStage {
        Preschool => "学前教育" | "幼儿园" | "学前",
        Primary => "小学",
        Junior => "初中" | "初级中学",
    }
);

labeled_enum!(
    /// 工作室类别.
    StudioKind {
        Master => "名师名校长工作室" | "名师工作室" | "名校长工作室",
        Subject => "学科工作室",
    }
);

/// The five titles of the seed's 2021 awards (others may be granted too).
pub const AWARD_TITLES: &[&str] = &[
    "优秀教师",
    "最美乡村教师",
    "优秀校长",
    "师德楷模",
    "优秀督办主任",
];

/// 年龄段 of the staff roll, by full years on a day.
pub const AGE_BANDS: &[&str] = &["30岁及以下", "31–40岁", "41–50岁", "51–55岁", "56岁及以上"];

/// The age band of someone born on `birth`, on `today`.
pub fn age_band(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> &'static str {
    let age = today.years_since(birth).unwrap_or(0);
    match age {
        0..=30 => AGE_BANDS[0],
        31..=40 => AGE_BANDS[1],
        41..=50 => AGE_BANDS[2],
        51..=55 => AGE_BANDS[3],
        _ => AGE_BANDS[4],
    }
}
