//! 安全管理: the hazard ledger (隐患排查整改销号) and anti-drowning (防溺水) rules. Pure:
//! the caller passes "today" in.
//!
//! Glossary: hazard → 隐患, inspection → 排查, campaign → 专项行动 (大排查大整治),
//! rectification → 整改, verification → 复查, closing → 销号, sent back → 退回,
//! overdue → 逾期, water body → 水域, patrol → 巡查.

pub mod drowning;

use chrono::NaiveDate;
use serde::Serialize;

/// 隐患等级.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Grade {
    /// 一般隐患: low harm, fixable on the spot.
    #[default]
    General,
    /// 重大隐患: needs stoppage, time or outside help; leadership sees it at once.
    Major,
}

impl Grade {
    pub const ALL: &'static [Grade] = &[Grade::General, Grade::Major];

    pub fn label(self) -> &'static str {
        match self {
            Grade::General => "一般",
            Grade::Major => "重大",
        }
    }

    /// Reads 一般 / 一般隐患 / 重大 / 重大隐患.
    pub fn parse(raw: &str) -> Option<Grade> {
        let t = raw.trim();
        let t = t.strip_suffix("隐患").unwrap_or(t);
        Grade::ALL.iter().copied().find(|g| g.label() == t)
    }
}

crate::labels_in_json!(Grade as "HazardGrade");

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// 隐患类别 (RULES.md).
pub const CATEGORIES: &[&str] = &[
    "校舍建筑",
    "消防",
    "用电",
    "食堂食品",
    "校车交通",
    "周边环境",
    "实验室危化品",
    "体育器材",
    "门卫与三防",
    "特种设备",
    "防溺水",
];

pub fn is_category(raw: &str) -> bool {
    is_category_of(Area::Safety, raw)
}

/// Whether `raw` is a category of the area's problems.
pub fn is_category_of(area: Area, raw: &str) -> bool {
    area.categories().contains(&raw.trim())
}

/// 隐患状态.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Status {
    /// 待整改: recorded, waiting for the responsible person, measures and deadline.
    #[default]
    Open,
    /// 整改中: assigned; the school is rectifying.
    Rectifying,
    /// 待复查: the school reported the rectification; the bureau verifies.
    AwaitingReview,
    /// 已销号: verified and closed.
    Closed,
    /// 退回: the bureau sent the rectification back; the school rectifies again.
    SentBack,
}

crate::labels_in_json!(Status as "HazardStatus");

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Open,
        Status::Rectifying,
        Status::AwaitingReview,
        Status::Closed,
        Status::SentBack,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "待整改",
            Status::Rectifying => "整改中",
            Status::AwaitingReview => "待复查",
            Status::Closed => "已销号",
            Status::SentBack => "退回",
        }
    }

    pub fn parse(raw: &str) -> Option<Status> {
        Status::ALL
            .iter()
            .copied()
            .find(|s| s.label() == raw.trim())
    }

    pub fn is_closed(self) -> bool {
        self == Status::Closed
    }
}

/// A step of the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Action {
    /// 落实整改责任: responsible person, measures, deadline, budget.
    Assign,
    /// 报告整改结果 (with evidence).
    Rectify,
    /// 复查通过并销号.
    Close,
    /// 复查不通过，退回.
    SendBack,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Assign => "落实整改责任",
            Action::Rectify => "报告整改结果",
            Action::Close => "复查销号",
            Action::SendBack => "退回重改",
        }
    }
}

/// Why a step is refused, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("隐患当前为“{from}”，不能{action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("隐患已销号，不能再修改")]
    AlreadyClosed,
}

/// The state machine: 待整改 → 整改中 → 待复查 → 已销号, or 待复查 → 退回 → 待复查 (again);
/// assignment may be revised while the hazard is open, being rectified or sent back.
pub fn transition(from: Status, action: Action) -> Result<Status, TransitionError> {
    use Action::*;
    use Status::*;
    if from == Closed {
        return Err(TransitionError::AlreadyClosed);
    }
    let to = match (from, action) {
        (Open | Rectifying | SentBack, Assign) => Some(if from == SentBack {
            SentBack
        } else {
            Rectifying
        }),
        (Rectifying | SentBack, Rectify) => Some(AwaitingReview),
        (AwaitingReview, Close) => Some(Closed),
        (AwaitingReview, SendBack) => Some(SentBack),
        _ => None,
    };
    to.ok_or(TransitionError::NotAllowed {
        from: from.label(),
        action: action.label(),
    })
}

/// 逾期: not closed after the deadline (the day after 整改时限 and later). A hazard
/// closed late is not overdue once closed; before closing it is judged by `today`.
pub fn is_overdue(
    status: Status,
    deadline: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let Some(deadline) = deadline else {
        return false;
    };
    match (status, closed_on) {
        (Status::Closed, Some(closed)) if closed <= today => false,
        // Judged as of a past day: closed later than that day counts as still open then.
        _ => today > deadline,
    }
}

/// Where an overdue hazard is listed: the school always; the township from the first
/// day overdue; the county bureau after 7 days overdue or at once for 重大 hazards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Escalation {
    None,
    Township,
    County,
}

pub fn escalation(grade: Grade, deadline: NaiveDate, today: NaiveDate) -> Escalation {
    let late = (today - deadline).num_days();
    if late <= 0 {
        Escalation::None
    } else if grade == Grade::Major || late > 7 {
        Escalation::County
    } else {
        Escalation::Township
    }
}

/// Inspection kinds.
pub const INSPECTION_KINDS: &[&str] = &["月度排查", "专项行动", SUPERVISION_KIND, VISIT_KIND];

/// The kind of a 双减 专项督查 (area 双减).
pub const SUPERVISION_KIND: &str = "专项督查";

/// The kind of an 教育督导 visit campaign (area 督导).
pub const VISIT_KIND: &str = "督导检查";

crate::registry::labeled_enum!(
    /// 工作领域 of an inspection and of the problems it finds. The ledger's workflow
    /// (整改 → 复查 → 销号/退回) and its evidence files serve the safety inspections, the
    /// 双减 专项督查 and the 教育督导 visits alike; each area keeps its own lists, categories
    /// and figures.
    Area {
        Safety => "安全",
        DoubleReduction => "双减",
        Supervision => "督导",
    }
);

// `labeled_enum!` writes the derives, so the default is spelled out here.
#[allow(clippy::derivable_impls)]
impl Default for Area {
    fn default() -> Self {
        Area::Safety
    }
}

impl Area {
    /// What a problem of the area is called on its pages.
    pub fn noun(self) -> &'static str {
        match self {
            Area::Safety => "隐患",
            Area::DoubleReduction => "督查问题",
            Area::Supervision => "督导问题",
        }
    }

    /// The categories a problem of the area is filed under.
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Area::Safety => CATEGORIES,
            Area::DoubleReduction => SUPERVISION_CHECKLIST,
            Area::Supervision => VISIT_CHECKLIST,
        }
    }

    /// The kind of a county-wide campaign of the area.
    pub fn campaign_kind(self) -> &'static str {
        match self {
            Area::Safety => "专项行动",
            Area::DoubleReduction => SUPERVISION_KIND,
            Area::Supervision => VISIT_KIND,
        }
    }

    /// The checklist a campaign of the area starts from.
    pub fn checklist(self) -> &'static [&'static str] {
        match self {
            Area::Safety => CAMPAIGN_CHECKLIST,
            Area::DoubleReduction => SUPERVISION_CHECKLIST,
            Area::Supervision => VISIT_CHECKLIST,
        }
    }

    /// A campaign's name as the form suggests it.
    pub fn example_title(self) -> &'static str {
        match self {
            Area::Safety => "安全隐患大排查大整治",
            Area::DoubleReduction => "秋季学期双减工作专项督查",
            Area::Supervision => "2021年秋季学期中小学责任督学挂牌督导",
        }
    }

    /// What the form asks when a problem's place is left blank.
    pub fn place_hint(self) -> &'static str {
        match self {
            Area::Safety => "请填写隐患部位，如“教学楼二楼走廊”",
            Area::DoubleReduction | Area::Supervision => "请填写涉及的年级、班级或部门，如“四年级”",
        }
    }
}

/// The checklist of a 双减 专项督查, and the categories of the problems it finds (RULES.md:
/// 5+2, homework by grade, the 五项管理, no written exams in grades 1–2).
pub const SUPERVISION_CHECKLIST: &[&str] = &[
    "课后服务5+2",
    "作业总量与时长",
    "睡眠管理",
    "手机管理",
    "读物管理",
    "体质管理",
    "考试管理",
    "校外培训治理",
    "收费与宣传",
];

/// The checklist of an 教育督导 visit (责任督学挂牌督导 and the yearly 综合督导), and the
/// categories of the problems it finds.
pub const VISIT_CHECKLIST: &[&str] = &[
    "党建与思政",
    "办学行为",
    "教育教学",
    "队伍建设",
    "安全管理",
    "控辍保学",
    "经费与资产",
    "校园环境",
];

/// The checklist of a county-wide 大排查大整治 campaign.
pub const CAMPAIGN_CHECKLIST: &[&str] = &[
    "校舍安全",
    "消防设施",
    "用电线路",
    "食堂食品安全",
    "校车与交通",
    "校园周边环境",
    "实验室危化品",
    "门卫与三防建设",
    "防溺水",
];

/// Evidence files follow the one rule for attachments (see [`crate::files`]).
pub use crate::files::{
    check_file as check_evidence, FileKind as EvidenceKind, MAX_FILE_BYTES as MAX_EVIDENCE_BYTES,
};

/// Money typed by people: 1200 / 1200.5 / 1,200.50 元 → fen.
pub fn parse_yuan(raw: &str) -> Option<i64> {
    let t: String = crate::text::fold_width(raw)
        .chars()
        .filter(|c| *c != ',' && *c != '元' && !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Some(0);
    }
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// Fen as 元 with two decimals.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

#[cfg(test)]
mod tests;
