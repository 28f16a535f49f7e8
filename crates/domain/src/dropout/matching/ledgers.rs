//! What the comparison returns: a finding per child, the three ledgers (适龄儿童, 疑似辍学,
//! 在籍不在校) with candidates, their totals, and the errors.

use crate::dropout::Placement;
use crate::registry::StudentStatus;
use serde::{Deserialize, Serialize};

/// What the comparison found for one compulsory-age child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Finding {
    /// The ID number is on the roll: `student` is the row (when the number is on the roll
    /// twice, the row with the best status: 在读, 送教上门, 休学, 转出, 毕业).
    Enrolled { student: u32, status: StudentStatus },
    /// Not on the roll by ID number, but a probable match awaits confirmation.
    Probable,
    /// Not on the roll and nothing resembles it (疑似辍学 or never enrolled).
    Suspected,
}

impl Finding {
    pub fn label(self) -> &'static str {
        match self {
            Finding::Enrolled { status, .. } => match Placement::of(status) {
                Placement::InSchool => "在籍在校",
                Placement::Accounted => status.label(),
                Placement::NotInSchool => "在籍不在校",
            },
            Finding::Probable => "疑似匹配待确认",
            Finding::Suspected => "疑似辍学",
        }
    }

    /// Whether the child's ID number is not on the roll (the indicator `dropout.suspected`).
    pub fn is_suspected(self) -> bool {
        !matches!(self, Finding::Enrolled { .. })
    }
}

/// A line of the 适龄儿童 ledger. `person` indexes the population slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SchoolAgeEntry {
    pub person: u32,
    pub finding: Finding,
}

/// How a candidate's ID number differs from the child's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdDifference {
    /// Characters `position` and `position + 1` (1-based) are swapped.
    Transposed { position: u8 },
    /// Only the check character (the 18th) differs.
    CheckCharacter,
}

/// A roll student that probably is the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Candidate {
    /// Index into the roll slice.
    pub student: u32,
    pub same_name_birth_sex: bool,
    pub id_difference: Option<IdDifference>,
}

impl Candidate {
    /// The reason shown to the officer who confirms or rejects the match.
    pub fn reason(&self) -> String {
        let mut parts = Vec::new();
        if self.same_name_birth_sex {
            parts.push("姓名、出生日期、性别相同".to_string());
        }
        match self.id_difference {
            Some(IdDifference::Transposed { position }) => parts.push(format!(
                "身份证件号第{}、{}位颠倒",
                position,
                u32::from(position) + 1
            )),
            Some(IdDifference::CheckCharacter) => {
                parts.push("身份证件号仅校验位（末位）不同".to_string())
            }
            None => {}
        }
        parts.join("；")
    }
}

/// A line of the 疑似辍学 ledger: a compulsory-age child whose ID number is not on the roll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectedChild {
    pub person: u32,
    /// Probable matches, by roll index; empty when nothing resembles the child.
    pub candidates: Vec<Candidate>,
    /// Set by [`compare_poverty`](super::compare_poverty): the child is on the 脱贫户 list.
    pub poverty_household: bool,
}

impl SuspectedChild {
    pub fn is_probable(&self) -> bool {
        !self.candidates.is_empty()
    }
}

/// A line of the 在籍不在校 ledger: a compulsory-age child on the roll as 转出 or 毕业.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotInSchool {
    pub person: u32,
    pub student: u32,
    pub status: StudentStatus,
    pub poverty_household: bool,
}

/// Totals over the 适龄儿童 ledger. `suspected` counts every child whose ID number is not on
/// the roll (indicator `dropout.suspected`); `probable` those of them with a probable match
/// (indicator `dropout.probable`), so `suspected - probable` found nothing at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCounts {
    pub school_age: usize,
    /// On the roll as 在读.
    pub in_school: usize,
    /// On the roll as 休学 or 送教上门.
    pub accounted: usize,
    /// On the roll as 转出 or 毕业.
    pub not_in_school: usize,
    pub suspected: usize,
    pub probable: usize,
    /// Set by [`compare_poverty`](super::compare_poverty): suspected or not-in-school
    /// children on the 脱贫户 list.
    pub poverty_household: usize,
}

/// The three ledgers. Indices point into the slices given to
/// [`match_roll`](super::match_roll).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    /// 适龄儿童: every compulsory-age person, in population order.
    pub school_age: Vec<SchoolAgeEntry>,
    /// 疑似辍学: compulsory-age persons whose ID number is not on the roll, in population order.
    pub suspected: Vec<SuspectedChild>,
    /// 在籍不在校: compulsory-age persons on the roll as 转出 or 毕业, in population order.
    pub not_in_school: Vec<NotInSchool>,
    pub counts: MatchCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    #[error(
        "比对设置无效：截止日期{month}月{day}日、年龄{min_age}至{max_age}周岁无法确定适龄范围"
    )]
    Settings {
        month: u32,
        day: u32,
        min_age: i32,
        max_age: i32,
    },
    #[error("比对数据过大：{rows}行超过单次比对上限（{limit}行）")]
    TooManyRows { rows: usize, limit: usize },
}
