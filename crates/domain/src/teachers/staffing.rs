//! 编制标准: how many 专任教师 a school needs for its students, and which subjects of the
//! national curriculum no teacher of the school teaches.
//!
//! The standard is the 2014 unified urban-rural ratio (高中 1:12.5, 初中 1:13.5, 小学 1:19)
//! unless the county sets its own; kindergartens are counted at 1:7 (the 2013 配备标准 gives
//! 1:5 to 1:7 staff to children). Ratios are kept in tenths of a student so that sums stay
//! exact: 1:13.5 is 135.

use crate::registry::{SchoolType, Stage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Students per teacher by stage, in tenths (190 is 1:19).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StaffingStandard {
    pub preschool: u32,
    pub primary: u32,
    pub junior: u32,
    pub senior: u32,
}

impl Default for StaffingStandard {
    fn default() -> Self {
        StaffingStandard {
            preschool: 70,
            primary: 190,
            junior: 135,
            senior: 125,
        }
    }
}

impl StaffingStandard {
    pub fn ratio(&self, stage: Stage) -> u32 {
        match stage {
            Stage::Preschool => self.preschool,
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
            Stage::Senior => self.senior,
        }
    }

    /// 1:13.5 for people.
    pub fn display(&self, stage: Stage) -> String {
        let r = self.ratio(stage);
        if r.is_multiple_of(10) {
            format!("1:{}", r / 10)
        } else {
            format!("1:{}.{}", r / 10, r % 10)
        }
    }

    /// Reads `13.5`, `1:13.5` or `1：13.5` into tenths; a ratio must lie in 1:1–1:60.
    pub fn parse_ratio(raw: &str) -> Option<u32> {
        let text = crate::text::fold_width(raw);
        let text = text.strip_prefix("1:").unwrap_or(&text);
        let (whole, tenth) = match text.split_once('.') {
            Some((w, t)) if t.len() == 1 => (w, t.parse::<u32>().ok()?),
            Some(_) => return None,
            None => (text, 0),
        };
        let tenths = whole.parse::<u32>().ok()?.checked_mul(10)? + tenth;
        (10..=600).contains(&tenths).then_some(tenths)
    }

    /// Teachers needed for `students` of a stage: always rounded up.
    pub fn required(&self, stage: Stage, students: u32) -> u32 {
        (students * 10).div_ceil(self.ratio(stage))
    }
}

/// The subjects of the national curriculum a school of this stage must have a teacher for.
pub fn required_subjects(school_type: SchoolType, stage: Stage) -> &'static [&'static str] {
    match (school_type, stage) {
        (SchoolType::Special, _) => &["特殊教育"],
        (SchoolType::Vocational, _) => &["语文", "数学", "英语"],
        (_, Stage::Preschool) => &[],
        (_, Stage::Primary) => &[
            "语文",
            "数学",
            "英语",
            "科学",
            "道德与法治",
            "体育",
            "音乐",
            "美术",
        ],
        (_, Stage::Junior) => &[
            "语文",
            "数学",
            "英语",
            "物理",
            "化学",
            "生物",
            "道德与法治",
            "历史",
            "地理",
            "体育",
            "音乐",
            "美术",
        ],
        (_, Stage::Senior) => &[
            "语文",
            "数学",
            "英语",
            "物理",
            "化学",
            "生物",
            "思想政治",
            "历史",
            "地理",
            "体育",
        ],
    }
}

/// One school's students per stage and its teachers' subjects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SchoolStaffing {
    pub school_type: Option<SchoolType>,
    /// Students on the roll by stage.
    pub students: Vec<(Stage, u32)>,
    /// 专任教师 on the roll.
    pub teachers: u32,
    /// The subjects the school's teachers teach.
    pub subjects: BTreeSet<String>,
}

/// The staffing picture of one school (or a sum of schools).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Staffing {
    pub students: u32,
    /// 应配专任教师.
    pub required: u32,
    /// 实有专任教师.
    pub actual: u32,
    /// 缺编 (required − actual when positive).
    pub shortage: u32,
    /// 超编 (actual − required when positive).
    pub surplus: u32,
    /// Required subjects no teacher of the school teaches.
    pub missing_subjects: Vec<String>,
}

impl Staffing {
    /// The picture of one school under a standard.
    pub fn of(standard: &StaffingStandard, school: &SchoolStaffing) -> Staffing {
        let mut students = 0;
        let mut required = 0;
        let mut missing = BTreeSet::new();
        for (stage, n) in &school.students {
            if *n == 0 {
                continue;
            }
            students += n;
            required += standard.required(*stage, *n);
            if let Some(t) = school.school_type {
                for subject in required_subjects(t, *stage) {
                    if !school.subjects.contains(*subject) {
                        missing.insert(subject.to_string());
                    }
                }
            }
        }
        Staffing::from_counts(
            students,
            required,
            school.teachers,
            missing.into_iter().collect(),
        )
    }

    fn from_counts(students: u32, required: u32, actual: u32, missing: Vec<String>) -> Staffing {
        Staffing {
            students,
            required,
            actual,
            shortage: required.saturating_sub(actual),
            surplus: actual.saturating_sub(required),
            missing_subjects: missing,
        }
    }

    /// A township's or the county's sum. Shortage and surplus are summed per school: one
    /// school's surplus does not fill another's shortage (teachers are posted to a school).
    pub fn sum<'a>(schools: impl IntoIterator<Item = &'a Staffing>) -> Staffing {
        let mut total = Staffing::default();
        for s in schools {
            total.students += s.students;
            total.required += s.required;
            total.actual += s.actual;
            total.shortage += s.shortage;
            total.surplus += s.surplus;
        }
        total
    }
}
