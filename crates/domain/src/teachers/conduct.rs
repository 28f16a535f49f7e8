//! 师德师风: complaints and clues (线索) about a teacher are recorded as cases and followed
//! from report through investigation to a decision; a decision that the report is true
//! carries a sanction. A teacher sanctioned within the last two years is flagged when
//! proposed for an award (师德失范一票否决), so the reviewer sees it.

use chrono::{Months, NaiveDate};

use crate::registry::labeled_enum;

labeled_enum!(
    /// 案件状态.
    ConductStatus {
        Reported => "已受理",
        Investigating => "调查核实",
        Decided => "已处理",
    }
);

labeled_enum!(
    /// 处理结果. 不属实 closes a case without a sanction.
    Sanction {
        Unfounded => "查无实据" | "不属实",
        Education => "批评教育",
        Notice => "通报批评",
        Warning => "警告",
        Demerit => "记过",
        Demotion => "降低岗位等级",
        Dismissal => "开除",
    }
);

impl Sanction {
    /// Whether the sanction bars awards for its period.
    pub fn bars_awards(self) -> bool {
        self != Sanction::Unfounded
    }
}

/// How long a sanction flags award proposals.
pub const AWARD_BAR_MONTHS: u32 = 24;

/// Whether a sanction decided on `decided` still flags a proposal made on `on`.
pub fn flags_award(sanction: Sanction, decided: NaiveDate, on: NaiveDate) -> bool {
    sanction.bars_awards()
        && decided <= on
        && decided
            .checked_add_months(Months::new(AWARD_BAR_MONTHS))
            .is_some_and(|end| on < end)
}

/// The next status of a case: report → investigation → decision; a decided case is final.
pub fn advance(status: ConductStatus) -> Option<ConductStatus> {
    match status {
        ConductStatus::Reported => Some(ConductStatus::Investigating),
        ConductStatus::Investigating => Some(ConductStatus::Decided),
        ConductStatus::Decided => None,
    }
}
