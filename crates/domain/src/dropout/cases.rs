//! 一人一案: the case of one suspected child as a pure state machine.
//!
//! 待核查 (Open) → 劝返中 (InProgress, from the first visit or call) → 已销号 (Closed, with an
//! outcome from RULES.md and an evidence note; 动态销号). A closed case can be reopened with
//! a reason, which keeps the earlier closure in its history. [`apply`] refuses invalid
//! transitions with a Chinese message and leaves the case as it was.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// 案件状态.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// 待核查 (where every case starts)
    #[default]
    Open,
    /// 劝返中
    InProgress,
    /// 已销号
    Closed,
}

crate::labels_in_json!(CaseStatus);

impl std::fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [CaseStatus::Open, CaseStatus::InProgress, CaseStatus::Closed];

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Open => "待核查",
            CaseStatus::InProgress => "劝返中",
            CaseStatus::Closed => "已销号",
        }
    }

    /// 已销号: the case is done; it takes no more steps but reopening.
    pub fn is_closed(self) -> bool {
        self == CaseStatus::Closed
    }

    /// Reads a stored label (待核查, 劝返中, 已销号).
    pub fn parse(raw: &str) -> Option<CaseStatus> {
        CaseStatus::ALL
            .into_iter()
            .find(|s| s.label() == raw.trim())
    }
}

/// 户籍信息错误的类别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistrationFault {
    /// 死亡
    Deceased,
    /// 空挂户
    NominalHousehold,
    /// 双重户籍
    DualRegistration,
    /// 姓名或证件号错误
    WrongNameOrId,
    /// 查无此人
    NoSuchPerson,
}

impl RegistrationFault {
    pub fn label(self) -> &'static str {
        match self {
            RegistrationFault::Deceased => "死亡",
            RegistrationFault::NominalHousehold => "空挂户",
            RegistrationFault::DualRegistration => "双重户籍",
            RegistrationFault::WrongNameOrId => "姓名或证件号错误",
            RegistrationFault::NoSuchPerson => "查无此人",
        }
    }
}

/// 在外就读的地域.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Region {
    /// 省内
    InProvince,
    /// 省外
    OutOfProvince,
}

impl Region {
    pub fn label(self) -> &'static str {
        match self {
            Region::InProvince => "省内",
            Region::OutOfProvince => "省外",
        }
    }
}

/// 处理结果: the outcome a case is closed with (RULES.md "Dropout control").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// 户籍信息错误
    RegistrationError(RegistrationFault),
    /// 已在籍: found on the roll after all.
    FoundEnrolled,
    /// 在外就读已核实
    StudyingElsewhere(Region),
    /// 出国
    Abroad,
    /// 送教上门 (因病因残)
    HomeTeaching,
    /// 批准缓学/休学 (因病因残, approved by the township government or the county bureau)
    ApprovedDeferral,
    /// 劝返复学
    ReturnedToSchool,
    /// 无法联系
    Unreachable,
}

impl Outcome {
    pub const ALL: [Outcome; 13] = [
        Outcome::RegistrationError(RegistrationFault::Deceased),
        Outcome::RegistrationError(RegistrationFault::NominalHousehold),
        Outcome::RegistrationError(RegistrationFault::DualRegistration),
        Outcome::RegistrationError(RegistrationFault::WrongNameOrId),
        Outcome::RegistrationError(RegistrationFault::NoSuchPerson),
        Outcome::FoundEnrolled,
        Outcome::StudyingElsewhere(Region::InProvince),
        Outcome::StudyingElsewhere(Region::OutOfProvince),
        Outcome::Abroad,
        Outcome::HomeTeaching,
        Outcome::ApprovedDeferral,
        Outcome::ReturnedToSchool,
        Outcome::Unreachable,
    ];

    /// The category: 户籍信息错误, 已在籍, 在外就读已核实, 出国, 送教上门, 批准缓学/休学,
    /// 劝返复学, 无法联系.
    pub fn category(self) -> &'static str {
        match self {
            Outcome::RegistrationError(_) => "户籍信息错误",
            Outcome::FoundEnrolled => "已在籍",
            Outcome::StudyingElsewhere(_) => "在外就读已核实",
            Outcome::Abroad => "出国",
            Outcome::HomeTeaching => "送教上门",
            Outcome::ApprovedDeferral => "批准缓学/休学",
            Outcome::ReturnedToSchool => "劝返复学",
            Outcome::Unreachable => "无法联系",
        }
    }

    /// The full label, e.g. 户籍信息错误（空挂户）, 在外就读已核实（省外）.
    pub fn label(self) -> String {
        match self {
            Outcome::RegistrationError(fault) => {
                format!("{}（{}）", self.category(), fault.label())
            }
            Outcome::StudyingElsewhere(region) => {
                format!("{}（{}）", self.category(), region.label())
            }
            _ => self.category().to_string(),
        }
    }

    /// Reads a full label as [`Outcome::label`] writes it (half-width brackets accepted).
    pub fn parse(raw: &str) -> Option<Outcome> {
        let text = raw.trim().replace('(', "（").replace(')', "）");
        Outcome::ALL.into_iter().find(|o| o.label() == text)
    }

    /// Outcomes that follow from contact with the family: a visit or call must be logged
    /// before closing with them.
    pub fn needs_contact(self) -> bool {
        matches!(self, Outcome::ReturnedToSchool | Outcome::Unreachable)
    }
}

/// 包保责任人的角色.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResponsibleRole {
    /// 乡镇干部
    TownshipCadre,
    /// 村（社区）干部
    VillageCadre,
    /// 学校（校长）
    School,
    /// 教师
    Teacher,
}

impl ResponsibleRole {
    pub fn label(self) -> &'static str {
        match self {
            ResponsibleRole::TownshipCadre => "乡镇干部",
            ResponsibleRole::VillageCadre => "村（社区）干部",
            ResponsibleRole::School => "学校",
            ResponsibleRole::Teacher => "教师",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsible {
    pub role: ResponsibleRole,
    pub name: String,
}

/// 走访 or 电话.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VisitKind {
    /// 走访 (入户)
    Visit,
    /// 电话
    Phone,
}

impl VisitKind {
    pub fn label(self) -> &'static str {
        match self {
            VisitKind::Visit => "走访",
            VisitKind::Phone => "电话",
        }
    }
}

/// 案件日志的类型: what a line of a case's log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// 走访 or 电话: a visit or call logged on the case.
    Contact(VisitKind),
    /// 重新打开: the case was reopened (the earlier closure is kept with the line).
    Reopened,
    /// 匹配核实: a probable match was confirmed or rejected.
    MatchChecked,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::Contact(VisitKind::Visit),
        EventKind::Contact(VisitKind::Phone),
        EventKind::Reopened,
        EventKind::MatchChecked,
    ];

    /// The label stored and shown: 走访, 电话, 重新打开, 匹配核实.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Contact(kind) => kind.label(),
            EventKind::Reopened => "重新打开",
            EventKind::MatchChecked => "匹配核实",
        }
    }

    pub fn parse(raw: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.label() == raw.trim())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub date: NaiveDate,
    pub kind: VisitKind,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub outcome: Outcome,
    pub date: NaiveDate,
    /// 佐证材料说明 (attachments are stored elsewhere and referred to here).
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopening {
    pub date: NaiveDate,
    pub reason: String,
    pub previous: Closure,
}

/// One suspected child's case (一人一案).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The child's ID number as on the population roll.
    pub person_id: String,
    /// 户籍乡镇, for the township office's scope.
    pub township: String,
    pub opened_on: NaiveDate,
    pub status: CaseStatus,
    pub responsible: Vec<Responsible>,
    /// 办结期限
    pub deadline: Option<NaiveDate>,
    /// Every visit and call, in date order.
    pub visits: Vec<Visit>,
    pub closure: Option<Closure>,
    pub reopenings: Vec<Reopening>,
}

impl Case {
    pub fn open(person_id: &str, township: &str, opened_on: NaiveDate) -> Case {
        Case {
            person_id: person_id.to_string(),
            township: township.to_string(),
            opened_on,
            status: CaseStatus::Open,
            responsible: Vec::new(),
            deadline: None,
            visits: Vec::new(),
            closure: None,
            reopenings: Vec::new(),
        }
    }

    fn last_visit(&self) -> Option<NaiveDate> {
        self.visits.iter().map(|v| v.date).max()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseEvent {
    /// 指定包保责任人 (replaces the list).
    Assign {
        responsible: Vec<Responsible>,
    },
    LogVisit {
        date: NaiveDate,
        kind: VisitKind,
        note: String,
    },
    SetDeadline {
        date: NaiveDate,
    },
    /// 销号. `outcome` is optional here so that a form left blank is refused with a message.
    Close {
        outcome: Option<Outcome>,
        date: NaiveDate,
        evidence: String,
    },
    Reopen {
        date: NaiveDate,
        reason: String,
    },
}

fn cn(date: &NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("案件已销号，不能{action}；请先重新打开案件")]
    Closed { action: &'static str },
    #[error("案件已于{}销号，不能重复销号", cn(.closed_on))]
    AlreadyClosed { closed_on: NaiveDate },
    #[error("销号必须选择处理结果")]
    NoOutcome,
    #[error("销号必须填写佐证材料说明")]
    NoEvidence,
    #[error("销号日期{}早于立案日期{}", cn(.date), cn(.opened_on))]
    CloseBeforeOpen {
        date: NaiveDate,
        opened_on: NaiveDate,
    },
    #[error("销号日期{}早于最后一次走访日期{}", cn(.date), cn(.last_visit))]
    CloseBeforeVisit {
        date: NaiveDate,
        last_visit: NaiveDate,
    },
    #[error("以“{outcome}”销号前须至少登记一次走访或电话")]
    NoContact { outcome: &'static str },
    #[error("走访日期{}晚于销号日期{}；案件已销号，请先重新打开案件", cn(.date), cn(.closed_on))]
    VisitAfterClose {
        date: NaiveDate,
        closed_on: NaiveDate,
    },
    #[error("走访日期{}早于立案日期{}", cn(.date), cn(.opened_on))]
    VisitBeforeOpen {
        date: NaiveDate,
        opened_on: NaiveDate,
    },
    #[error("走访记录须填写情况说明")]
    EmptyNote,
    #[error("至少指定一名责任人")]
    NoResponsible,
    #[error("责任人姓名不能为空")]
    UnnamedResponsible,
    #[error("办结期限{}早于立案日期{}", cn(.date), cn(.opened_on))]
    DeadlineBeforeOpen {
        date: NaiveDate,
        opened_on: NaiveDate,
    },
    #[error("案件未销号，无需重新打开")]
    NotClosed,
    #[error("重新打开案件须说明原因")]
    NoReason,
    #[error("重新打开日期{}早于销号日期{}", cn(.date), cn(.closed_on))]
    ReopenBeforeClose {
        date: NaiveDate,
        closed_on: NaiveDate,
    },
}

/// The case after `event`, or why the event is refused.
pub fn apply(case: &Case, event: CaseEvent) -> Result<Case, CaseError> {
    let closure = case
        .closure
        .as_ref()
        .filter(|_| case.status == CaseStatus::Closed);
    let mut next = case.clone();
    match event {
        CaseEvent::Assign { responsible } => {
            if closure.is_some() {
                return Err(CaseError::Closed {
                    action: "变更责任人",
                });
            }
            if responsible.is_empty() {
                return Err(CaseError::NoResponsible);
            }
            if responsible.iter().any(|r| r.name.trim().is_empty()) {
                return Err(CaseError::UnnamedResponsible);
            }
            next.responsible = responsible;
        }
        CaseEvent::LogVisit { date, kind, note } => {
            if note.trim().is_empty() {
                return Err(CaseError::EmptyNote);
            }
            if date < case.opened_on {
                return Err(CaseError::VisitBeforeOpen {
                    date,
                    opened_on: case.opened_on,
                });
            }
            match closure {
                // A visit made before the case was closed may still be entered (补录).
                Some(closure) if date > closure.date => {
                    return Err(CaseError::VisitAfterClose {
                        date,
                        closed_on: closure.date,
                    });
                }
                Some(_) => {}
                None => next.status = CaseStatus::InProgress,
            }
            let at = next.visits.partition_point(|v| v.date <= date);
            next.visits.insert(at, Visit { date, kind, note });
        }
        CaseEvent::SetDeadline { date } => {
            if closure.is_some() {
                return Err(CaseError::Closed {
                    action: "调整办结期限",
                });
            }
            if date < case.opened_on {
                return Err(CaseError::DeadlineBeforeOpen {
                    date,
                    opened_on: case.opened_on,
                });
            }
            next.deadline = Some(date);
        }
        CaseEvent::Close {
            outcome,
            date,
            evidence,
        } => {
            if let Some(closure) = closure {
                return Err(CaseError::AlreadyClosed {
                    closed_on: closure.date,
                });
            }
            let outcome = outcome.ok_or(CaseError::NoOutcome)?;
            if evidence.trim().is_empty() {
                return Err(CaseError::NoEvidence);
            }
            if date < case.opened_on {
                return Err(CaseError::CloseBeforeOpen {
                    date,
                    opened_on: case.opened_on,
                });
            }
            if let Some(last_visit) = case.last_visit().filter(|&v| v > date) {
                return Err(CaseError::CloseBeforeVisit { date, last_visit });
            }
            if outcome.needs_contact() && case.visits.is_empty() {
                return Err(CaseError::NoContact {
                    outcome: outcome.category(),
                });
            }
            next.status = CaseStatus::Closed;
            next.closure = Some(Closure {
                outcome,
                date,
                evidence,
            });
        }
        CaseEvent::Reopen { date, reason } => {
            let Some(closure) = closure else {
                return Err(CaseError::NotClosed);
            };
            if reason.trim().is_empty() {
                return Err(CaseError::NoReason);
            }
            if date < closure.date {
                return Err(CaseError::ReopenBeforeClose {
                    date,
                    closed_on: closure.date,
                });
            }
            next.reopenings.push(Reopening {
                date,
                reason,
                previous: closure.clone(),
            });
            next.closure = None;
            next.status = CaseStatus::Open;
        }
    }
    Ok(next)
}

/// Whether an open case is past its deadline on `today` (the deadline day itself is not).
pub fn is_overdue(case: &Case, today: NaiveDate) -> bool {
    case.status != CaseStatus::Closed && case.deadline.is_some_and(|d| today > d)
}

#[cfg(test)]
mod tests;
