//! 党建 (party building): 党员发展 — a person's stages from 入党申请人 to 正式党员, each dated —
//! and the branches' 三会一课 and 主题党日 logs.
//!
//! Glossary (code name → 中文): party building → 党建, branch → 党支部, secretary → 支部书记,
//! person → 发展对象人员 (anyone with a stage), stage → 发展阶段, applicant → 入党申请人,
//! activist → 入党积极分子, candidate → 发展对象, probationary member → 预备党员,
//! full member → 正式党员, confirmation → 转正, probation → 预备期 (one year),
//! meeting → 组织生活会议, branch assembly → 支部党员大会, committee → 支委会,
//! group meeting → 党小组会, party lesson → 党课, theme day → 主题党日,
//! party office → 党建办 (the bureau's 党建 股室, holding `Permission::KeepParty`).
//!
//! The rules here are the 发展党员工作细则's order of stages (RULES.md "Party building"):
//! every stage is dated no earlier than the stages before it and no later than those after
//! it, and 正式党员 comes at least one year after 预备党员.

use crate::access::{Permission, Role};
use crate::registry::labeled_enum;
use chrono::{Months, NaiveDate};

#[cfg(test)]
mod tests;

labeled_enum!(
    /// 发展阶段, in the order a person reaches them.
    PartyStage {
        Applicant => "入党申请人",
        Activist => "入党积极分子" | "积极分子",
        Candidate => "发展对象",
        Probationary => "预备党员",
        Confirmed => "正式党员" | "转正",
    }
);

labeled_enum!(
    /// 三会一课 and 主题党日.
    MeetingKind {
        Assembly => "支部党员大会" | "党员大会",
        Committee => "支委会",
        Group => "党小组会",
        Lesson => "党课",
        ThemeDay => "主题党日",
    }
);

/// Why a stage cannot be dated so, in the words the import and the form show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageError {
    /// Dated before a stage that comes earlier.
    BeforeEarlier {
        stage: PartyStage,
        on: NaiveDate,
        earlier: PartyStage,
        earlier_on: NaiveDate,
    },
    /// Dated after a stage that comes later.
    AfterLater {
        stage: PartyStage,
        on: NaiveDate,
        later: PartyStage,
        later_on: NaiveDate,
    },
    /// 正式党员 less than the year of probation after 预备党员.
    ProbationShort {
        probationary_on: NaiveDate,
        confirmed_on: NaiveDate,
    },
}

impl std::fmt::Display for StageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StageError::BeforeEarlier {
                stage,
                on,
                earlier,
                earlier_on,
            } => write!(
                f,
                "{stage}日期 {on} 早于该人员{earlier}日期 {earlier_on}（发展阶段须依次递进）"
            ),
            StageError::AfterLater {
                stage,
                on,
                later,
                later_on,
            } => write!(
                f,
                "{stage}日期 {on} 晚于该人员{later}日期 {later_on}（发展阶段须依次递进）"
            ),
            StageError::ProbationShort {
                probationary_on,
                confirmed_on,
            } => write!(
                f,
                "正式党员日期 {confirmed_on} 距预备党员日期 {probationary_on} 不足一年（预备期一年，最早 {} 转正）",
                probation_ends(*probationary_on)
            ),
        }
    }
}

/// The first day a probationary member may become a full member: one year on (a 29 February
/// goes to the 28th).
pub fn probation_ends(probationary_on: NaiveDate) -> NaiveDate {
    probationary_on
        .checked_add_months(Months::new(12))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether `stage` may be dated `on` given the person's other stages (`known`: stage and
/// date; a record of the same stage is the one being replaced and is not compared).
pub fn check_stage(
    known: &[(PartyStage, NaiveDate)],
    stage: PartyStage,
    on: NaiveDate,
) -> Result<(), StageError> {
    for &(other, other_on) in known {
        if other < stage && on < other_on {
            return Err(StageError::BeforeEarlier {
                stage,
                on,
                earlier: other,
                earlier_on: other_on,
            });
        }
        if other > stage && on > other_on {
            return Err(StageError::AfterLater {
                stage,
                on,
                later: other,
                later_on: other_on,
            });
        }
        let pair = match (stage, other) {
            (PartyStage::Confirmed, PartyStage::Probationary) => Some((other_on, on)),
            (PartyStage::Probationary, PartyStage::Confirmed) => Some((on, other_on)),
            _ => None,
        };
        if let Some((probationary_on, confirmed_on)) = pair {
            if confirmed_on < probation_ends(probationary_on) {
                return Err(StageError::ProbationShort {
                    probationary_on,
                    confirmed_on,
                });
            }
        }
    }
    Ok(())
}

/// Which `party.*` indicator reaching a stage counts toward (CONTRACTS.md), if any.
pub fn counted_as(stage: PartyStage) -> Option<&'static str> {
    match stage {
        PartyStage::Activist => Some("party.activists"),
        PartyStage::Probationary => Some("party.probationary"),
        PartyStage::Confirmed => Some("party.confirmed"),
        PartyStage::Applicant | PartyStage::Candidate => None,
    }
}

/// What an account may do with one branch's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BranchAccess {
    /// The party office: every branch, its members' stages and meetings, and writing them.
    Office,
    /// The branch's own secretary: reads the branch and records its meetings.
    Secretary,
}

/// 党建 visibility, decided here only: "visible only to the party office and the branch's own
/// secretary". `secretary` is the branch's secretary account, if one is named.
pub fn branch_access(role: Role, username: &str, secretary: Option<&str>) -> Option<BranchAccess> {
    if role.permits(Permission::KeepParty) {
        Some(BranchAccess::Office)
    } else if secretary.is_some_and(|s| s == username) {
        Some(BranchAccess::Secretary)
    } else {
        None
    }
}
