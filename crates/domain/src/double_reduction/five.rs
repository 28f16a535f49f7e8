//! 五项管理 (作业, 睡眠, 手机, 读物, 体质) and the exam rules: a school's self-check of a term,
//! read against RULES.md: no written homework in grades 1–2, at most 60 minutes a day in
//! grades 3–6 and 90 in junior school; sleep of 10 / 9 / 8 hours (primary / junior /
//! senior); phones kept out of class; the reading list reviewed; PE lessons of 4 / 3 / 2 a
//! week; no written exams in grades 1–2.

use crate::registry::{SchoolType, Stage};
use serde::{Deserialize, Serialize};

/// The five items and the exam rules, as the self-check lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FiveItem {
    Homework,
    Sleep,
    Phones,
    Reading,
    Fitness,
    Exams,
}

impl FiveItem {
    pub const ALL: &'static [FiveItem] = &[
        FiveItem::Homework,
        FiveItem::Sleep,
        FiveItem::Phones,
        FiveItem::Reading,
        FiveItem::Fitness,
        FiveItem::Exams,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FiveItem::Homework => "作业",
            FiveItem::Sleep => "睡眠",
            FiveItem::Phones => "手机",
            FiveItem::Reading => "读物",
            FiveItem::Fitness => "体质",
            FiveItem::Exams => "考试",
        }
    }

    pub fn parse(raw: &str) -> Option<FiveItem> {
        FiveItem::ALL
            .iter()
            .copied()
            .find(|i| i.label() == raw.trim())
    }
}

crate::labels_in_json!(FiveItem);

impl std::fmt::Display for FiveItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A school's self-check of a term: the figures it reports (blank where the school has no
/// such grades) and the yes/no items.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SelfCheck {
    /// 书面作业平均时长（分钟/天）: grades 1–2, 3–6, junior.
    pub homework_g12: Option<u32>,
    pub homework_g36: Option<u32>,
    pub homework_junior: Option<u32>,
    /// 睡眠时间（小时，作息安排保障）by stage, in tenths of an hour.
    pub sleep_primary: Option<u32>,
    pub sleep_junior: Option<u32>,
    pub sleep_senior: Option<u32>,
    /// 手机不带入课堂.
    pub phones_out_of_class: bool,
    /// 课外读物进校园已审核.
    pub reading_reviewed: bool,
    /// 体育课（节/周）by stage.
    pub pe_primary: Option<u32>,
    pub pe_junior: Option<u32>,
    pub pe_senior: Option<u32>,
    /// 一二年级不进行纸笔考试.
    pub no_written_exams_g12: bool,
}

/// One item the school does not comply with, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    pub item: FiveItem,
    pub reason: String,
}

/// The stages a school type teaches (of primary, junior, senior): the figures its
/// self-check reports.
pub fn stages(school_type: SchoolType) -> Vec<Stage> {
    let mut out: Vec<Stage> = school_type.grades().iter().map(|g| g.stage()).collect();
    out.dedup();
    out.retain(|s| *s != Stage::Preschool);
    out
}

/// The items a self-check of a school of this type misses (none: compliant). A figure the
/// school's grades call for but left blank is a finding too.
pub fn findings(school_type: SchoolType, check: &SelfCheck) -> Vec<Finding> {
    let stages = stages(school_type);
    let has = |s: Stage| stages.contains(&s);
    let mut out = Vec::new();
    let mut find = |item: FiveItem, reason: String| out.push(Finding { item, reason });
    let mut at_most = |item, label: &str, value: Option<u32>, max: u32, unit: &str| match value {
        None => find(item, format!("{label}未填报")),
        Some(v) if v > max => find(item, format!("{label}{v}{unit}，超过{max}{unit}")),
        Some(_) => {}
    };
    if has(Stage::Primary) {
        at_most(
            FiveItem::Homework,
            "一二年级书面作业",
            check.homework_g12,
            0,
            "分钟",
        );
        at_most(
            FiveItem::Homework,
            "三至六年级书面作业",
            check.homework_g36,
            60,
            "分钟",
        );
    }
    if has(Stage::Junior) {
        at_most(
            FiveItem::Homework,
            "初中书面作业",
            check.homework_junior,
            90,
            "分钟",
        );
    }
    let mut at_least = |item,
                        label: &str,
                        value: Option<u32>,
                        min: u32,
                        shown: &dyn Fn(u32) -> String| match value {
        None => out.push(Finding {
            item,
            reason: format!("{label}未填报"),
        }),
        Some(v) if v < min => out.push(Finding {
            item,
            reason: format!("{label}{}，少于{}", shown(v), shown(min)),
        }),
        Some(_) => {}
    };
    let hours = |tenths: u32| crate::teachers::hours::display_tenths(i64::from(tenths)) + "小时";
    let lessons = |n: u32| format!("{n}节/周");
    for (stage, label, sleep, min_sleep, pe, min_pe) in [
        (
            Stage::Primary,
            "小学",
            check.sleep_primary,
            100,
            check.pe_primary,
            4,
        ),
        (
            Stage::Junior,
            "初中",
            check.sleep_junior,
            90,
            check.pe_junior,
            3,
        ),
        (
            Stage::Senior,
            "高中",
            check.sleep_senior,
            80,
            check.pe_senior,
            2,
        ),
    ] {
        if has(stage) {
            at_least(
                FiveItem::Sleep,
                &format!("{label}睡眠时间"),
                sleep,
                min_sleep,
                &hours,
            );
            at_least(
                FiveItem::Fitness,
                &format!("{label}体育课"),
                pe,
                min_pe,
                &lessons,
            );
        }
    }
    if !check.phones_out_of_class {
        out.push(Finding {
            item: FiveItem::Phones,
            reason: "手机未做到不带入课堂".into(),
        });
    }
    if !check.reading_reviewed {
        out.push(Finding {
            item: FiveItem::Reading,
            reason: "课外读物未审核".into(),
        });
    }
    if has(Stage::Primary) && !check.no_written_exams_g12 {
        out.push(Finding {
            item: FiveItem::Exams,
            reason: "一二年级仍有纸笔考试".into(),
        });
    }
    out
}
