//! 学生资助: the policy catalog as data, eligibility of each student-term for each policy,
//! and the five gap lists that prove 应助尽助.
//!
//! A [`Policy`] says, for one year, which grades and school types it covers, who is
//! eligible (a [`Rule`] over the registry's facts: stage, boarding, hardship type,
//! disability, the school's 城乡类别, vocational year, pilot schools), what it pays per
//! term ([`Amount`]: a flat sum, so much a school day, or tiers) and an optional quota
//! (名额) per term. [`catalog_2021`] holds the national and Hunan policies of 2021 as data.
//!
//! [`entitlements`] lists every (student, policy, term) the registry makes eligible, and
//! [`gaps`] compares them with the payments actually made: eligible but not funded
//! (应助尽助 gap), funded but not eligible, funded twice under one policy in one term,
//! funded at two schools in one term, and funded while not on the roll.
//!
//! Money is kept in fen (分), so sums are exact: 312.5 yuan is 31250 fen.

mod catalog;
mod conditions;
mod edit;
mod eligibility;
#[cfg(test)]
mod tests;
mod workflow;

pub use catalog::catalog_2021;
pub use conditions::Conditions;
pub use edit::{PolicyError, PolicyForm};
pub use eligibility::{
    entitlements, gaps, missed_count, missed_ranked, summarize, Entitlement, Gaps, PaidGroup,
    Payment, RollGroup, Summary,
};
pub use workflow::{BatchStatus, ProposalStatus};

use crate::registry::{Grade, Hardship, School, SchoolType, Stage, StudentRecord, UrbanRural};
use crate::term::{Season, Term};
use serde::{Deserialize, Serialize};

/// One aid policy (资助项目) in force in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Policy {
    /// Stable code, e.g. `nutrition`, used in the database and the API.
    pub code: String,
    /// The name the `aid` import's 资助项目 column carries, e.g. 农村义务教育学生营养改善计划.
    pub name: String,
    pub year: i32,
    /// Grades covered; empty means every grade.
    pub grades: Vec<Grade>,
    /// School types covered; empty means every type.
    pub school_types: Vec<SchoolType>,
    /// Who is eligible among the covered students.
    pub who: Rule,
    /// What a student is paid per term.
    pub amount: Amount,
    /// 名额 per term for the county: when set, only the first so many eligible students
    /// (ordered by priority group, then ID number) are eligible in that term.
    pub quota: Option<Quota>,
    /// The 文号 of the document the county implements the policy under (溆教发〔2021〕45号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// 名额 of a policy in each term of its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quota {
    pub spring: u32,
    pub autumn: u32,
}

impl Quota {
    pub fn of(self, season: Season) -> u32 {
        match season {
            Season::Spring => self.spring,
            Season::Autumn => self.autumn,
        }
    }
}

/// Eligibility as data over one student's facts in one term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Everyone,
    AllOf(Vec<Rule>),
    AnyOf(Vec<Rule>),
    Not(Box<Rule>),
    /// 寄宿生.
    Boarding,
    /// The family hardship type is one of these.
    Hardship(Vec<Hardship>),
    /// Any hardship type other than 无.
    AnyHardship,
    /// A disability is recorded (or the hardship type is 残疾学生).
    Disabled,
    /// The school's 城乡类别 is one of these.
    SchoolSetting(Vec<UrbanRural>),
    /// The school is one of these (e.g. the schools in a pilot programme).
    SchoolIn(Vec<String>),
    /// 中职 year 1–3 (高一–高三 at a 中等职业学校).
    VocationalYear(Vec<u8>),
}

/// Amount paid per student per term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    /// A flat sum per term (half the yearly amount).
    PerTerm { fen: i64 },
    /// So much per school day, by season, times the school days of a term.
    PerDay {
        spring_fen: i64,
        autumn_fen: i64,
        days: u32,
    },
    /// A flat sum per term that depends on the stage (小学 / 初中 …).
    ByStage { amounts: Vec<(Stage, i64)> },
    /// Tiers (档次): the first tier whose rule matches is the student's default; a payment
    /// of any tier's amount is valid.
    Tiers { tiers: Vec<Tier> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tier {
    pub fen: i64,
    pub when: Rule,
}

/// The facts eligibility looks at: a student's record for a term and their school.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    pub student: &'a StudentRecord,
    pub school: &'a School,
}

impl Rule {
    pub fn matches(&self, f: Facts<'_>) -> bool {
        match self {
            Rule::Everyone => true,
            Rule::AllOf(rules) => rules.iter().all(|r| r.matches(f)),
            Rule::AnyOf(rules) => rules.iter().any(|r| r.matches(f)),
            Rule::Not(rule) => !rule.matches(f),
            Rule::Boarding => f.student.boarding,
            Rule::Hardship(kinds) => kinds.contains(&f.student.effective_hardship()),
            Rule::AnyHardship => f.student.effective_hardship() != Hardship::None,
            Rule::Disabled => {
                f.student.hardship == Hardship::Disabled || f.student.disability.is_some()
            }
            Rule::SchoolSetting(settings) => settings.contains(&f.school.urban_rural),
            Rule::SchoolIn(codes) => codes.contains(&f.school.code),
            Rule::VocationalYear(years) => {
                f.school.school_type == SchoolType::Vocational
                    && vocational_year(f.student.grade).is_some_and(|y| years.contains(&y))
            }
        }
    }
}

/// 中职 year of a grade (高一 → 1).
pub fn vocational_year(grade: Grade) -> Option<u8> {
    match grade {
        Grade::S1 => Some(1),
        Grade::S2 => Some(2),
        Grade::S3 => Some(3),
        _ => None,
    }
}

impl Amount {
    /// The default amount for a student in a term, `None` when no tier matches.
    pub fn for_student(&self, term: Term, f: Facts<'_>) -> Option<i64> {
        match self {
            Amount::PerTerm { fen } => Some(*fen),
            Amount::PerDay {
                spring_fen,
                autumn_fen,
                days,
            } => {
                let per_day = match term.season {
                    Season::Spring => spring_fen,
                    Season::Autumn => autumn_fen,
                };
                Some(per_day * i64::from(*days))
            }
            Amount::ByStage { amounts } => amounts
                .iter()
                .find(|(stage, _)| *stage == f.student.grade.stage())
                .map(|(_, fen)| *fen),
            Amount::Tiers { tiers } => tiers.iter().find(|t| t.when.matches(f)).map(|t| t.fen),
        }
    }

    /// Whether a paid amount is one this policy can pay in the term.
    pub fn allows(&self, term: Term, fen: i64, f: Facts<'_>) -> bool {
        match self {
            Amount::Tiers { tiers } => tiers.iter().any(|t| t.fen == fen),
            _ => self.for_student(term, f) == Some(fen),
        }
    }
}

impl Policy {
    /// Whether the student-term is covered and eligible (quota aside).
    pub fn covers(&self, f: Facts<'_>) -> bool {
        (self.grades.is_empty() || self.grades.contains(&f.student.grade))
            && (self.school_types.is_empty() || self.school_types.contains(&f.school.school_type))
            && self.who.matches(f)
    }
}

/// Priority group (资助优先): lower comes first when a quota is short.
pub fn priority(h: Hardship) -> u8 {
    match h {
        Hardship::LiftedOut => 0,
        Hardship::Tekun | Hardship::Orphan => 1,
        Hardship::Dibao => 2,
        Hardship::Disabled => 3,
        Hardship::Other => 4,
        Hardship::None => 5,
    }
}

/// Fen as yuan with two decimals: 31250 → `312.50`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Reads a yuan amount (`312.5`, `1,000`, `1000.00`) into fen.
pub fn parse_yuan(raw: &str) -> Option<i64> {
    let text: String = crate::text::fold_width(raw)
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let text = text.trim().trim_end_matches('元');
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac_fen: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(frac_fen)
}
