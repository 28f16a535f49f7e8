//! 表彰奖励 workflow: a school proposes a teacher for a title (学校推荐), the township checks
//! it (乡镇审核), the bureau grants it with its money (已授予); either may send it back with
//! a reason (退回), after which the school may propose again. A proposal made by a township
//! starts checked; one made by the bureau starts checked as well and is granted by it.
//! Granted awards come from the year's reward fund, which may not be overspent.

use crate::access::OrgLevel;

/// 表彰状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AwardStatus {
    Proposed,
    Checked,
    Granted,
    SentBack,
}

impl AwardStatus {
    pub const ALL: &'static [AwardStatus] = &[
        AwardStatus::Proposed,
        AwardStatus::Checked,
        AwardStatus::Granted,
        AwardStatus::SentBack,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AwardStatus::Proposed => "学校推荐",
            AwardStatus::Checked => "乡镇审核",
            AwardStatus::Granted => "已授予",
            AwardStatus::SentBack => "退回",
        }
    }

    pub fn parse(raw: &str) -> Option<AwardStatus> {
        Self::ALL.iter().copied().find(|s| s.label() == raw.trim())
    }

    /// The status a new proposal starts in, by the proposer's level.
    pub fn proposed_by(level: OrgLevel) -> AwardStatus {
        match level {
            OrgLevel::School => AwardStatus::Proposed,
            // A region proposes nothing (it holds no `ProposeAwards`).
            OrgLevel::Township | OrgLevel::County | OrgLevel::Region => AwardStatus::Checked,
        }
    }
}

crate::labels_in_json!(AwardStatus);

impl std::fmt::Display for AwardStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwardDecision {
    Pass,
    SendBack,
}

/// Why a decision cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwardRefusal {
    #[error("该推荐当前状态为“{0}”，不能再审核")]
    NotPending(AwardStatus),
    #[error("该推荐待乡镇审核，县教育局不能直接授予")]
    AwaitsTownship,
    #[error("该推荐已经乡镇审核，待县教育局授予")]
    AwaitsBureau,
    #[error("退回时必须填写退回原因")]
    ReasonRequired,
    #[error("奖金 {amount} 元超出奖励资金余额 {balance} 元")]
    OverFund { amount: String, balance: String },
}

/// The status after a reviewer at `level` decides on an award in `status`.
pub fn decide(
    status: AwardStatus,
    level: OrgLevel,
    decision: AwardDecision,
    reason: &str,
) -> Result<AwardStatus, AwardRefusal> {
    if decision == AwardDecision::SendBack && reason.trim().is_empty() {
        return Err(AwardRefusal::ReasonRequired);
    }
    match (status, level) {
        (AwardStatus::Proposed, OrgLevel::Township) => Ok(match decision {
            AwardDecision::Pass => AwardStatus::Checked,
            AwardDecision::SendBack => AwardStatus::SentBack,
        }),
        (AwardStatus::Checked, OrgLevel::County) => Ok(match decision {
            AwardDecision::Pass => AwardStatus::Granted,
            AwardDecision::SendBack => AwardStatus::SentBack,
        }),
        (AwardStatus::Proposed, OrgLevel::County) => Err(AwardRefusal::AwaitsTownship),
        (AwardStatus::Checked, _) => Err(AwardRefusal::AwaitsBureau),
        (other, _) => Err(AwardRefusal::NotPending(other)),
    }
}

/// Refuses a grant that would take the fund below zero (amounts in fen).
pub fn check_fund(amount_fen: i64, balance_fen: i64) -> Result<(), AwardRefusal> {
    if amount_fen > balance_fen {
        return Err(AwardRefusal::OverFund {
            amount: crate::indicators::Value::Fen(amount_fen).to_json(),
            balance: crate::indicators::Value::Fen(balance_fen).to_json(),
        });
    }
    Ok(())
}
