//! 一人一案: the case of one suspected child as a pure state machine.
//!
//! 待核查 (Open) → 劝返中 (InProgress, from the first visit or call) → 已销号 (Closed, with an
//! outcome from RULES.md and an evidence note; 动态销号). A closed case can be reopened with
//! a reason, which keeps the earlier closure in its history. [`apply`] refuses invalid
//! transitions with a Chinese message and leaves the case as it was.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// 案件状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseStatus {
    /// 待核查
    Open,
    /// 劝返中
    InProgress,
    /// 已销号
    Closed,
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
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn new_case() -> Case {
        Case::open("431224201203030021", "低庄镇", d(2021, 9, 10))
    }

    fn visit(date: NaiveDate) -> CaseEvent {
        CaseEvent::LogVisit {
            date,
            kind: VisitKind::Visit,
            note: "入户走访，家长同意返校".to_string(),
        }
    }

    fn close(outcome: Option<Outcome>, date: NaiveDate) -> CaseEvent {
        CaseEvent::Close {
            outcome,
            date,
            evidence: "返校证明".to_string(),
        }
    }

    fn step(case: &Case, event: CaseEvent) -> Case {
        apply(case, event).expect("event is accepted")
    }

    #[test]
    fn labels_follow_rules_md() {
        let labels: Vec<String> = Outcome::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(
            labels,
            [
                "户籍信息错误（死亡）",
                "户籍信息错误（空挂户）",
                "户籍信息错误（双重户籍）",
                "户籍信息错误（姓名或证件号错误）",
                "户籍信息错误（查无此人）",
                "已在籍",
                "在外就读已核实（省内）",
                "在外就读已核实（省外）",
                "出国",
                "送教上门",
                "批准缓学/休学",
                "劝返复学",
                "无法联系",
            ]
        );
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(&outcome.label()), Some(outcome));
        }
        assert_eq!(
            Outcome::parse("在外就读已核实(省外)"),
            Some(Outcome::StudyingElsewhere(Region::OutOfProvince))
        );
        assert_eq!(Outcome::parse("户籍信息错误"), None);
        let statuses: Vec<&str> = CaseStatus::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(statuses, ["待核查", "劝返中", "已销号"]);
    }

    #[test]
    fn the_main_flow_open_in_progress_closed() {
        let case = new_case();
        assert_eq!(case.status, CaseStatus::Open);
        let case = step(
            &case,
            CaseEvent::Assign {
                responsible: vec![
                    Responsible {
                        role: ResponsibleRole::TownshipCadre,
                        name: "舒建国".to_string(),
                    },
                    Responsible {
                        role: ResponsibleRole::Teacher,
                        name: "向丽".to_string(),
                    },
                ],
            },
        );
        assert_eq!(case.status, CaseStatus::Open);
        let case = step(
            &case,
            CaseEvent::SetDeadline {
                date: d(2021, 10, 10),
            },
        );
        let case = step(
            &case,
            CaseEvent::LogVisit {
                date: d(2021, 9, 12),
                kind: VisitKind::Phone,
                note: "电话联系家长".to_string(),
            },
        );
        assert_eq!(case.status, CaseStatus::InProgress);
        let case = step(&case, visit(d(2021, 9, 20)));
        let case = step(
            &case,
            close(Some(Outcome::ReturnedToSchool), d(2021, 9, 25)),
        );
        assert_eq!(case.status, CaseStatus::Closed);
        assert_eq!(
            case.closure.as_ref().map(|c| c.outcome),
            Some(Outcome::ReturnedToSchool)
        );
        assert_eq!(case.responsible.len(), 2);
        assert_eq!(case.visits.len(), 2);
    }

    #[test]
    fn a_case_can_close_straight_from_open_when_no_contact_is_needed() {
        let case = step(
            &new_case(),
            close(
                Some(Outcome::RegistrationError(RegistrationFault::Deceased)),
                d(2021, 9, 11),
            ),
        );
        assert_eq!(case.status, CaseStatus::Closed);
    }

    #[test]
    fn closing_needs_an_outcome_and_evidence() {
        let case = new_case();
        let err = apply(&case, close(None, d(2021, 9, 20))).expect_err("refused");
        assert_eq!(err, CaseError::NoOutcome);
        assert_eq!(err.to_string(), "销号必须选择处理结果");
        let err = apply(
            &case,
            CaseEvent::Close {
                outcome: Some(Outcome::Abroad),
                date: d(2021, 9, 20),
                evidence: "  ".to_string(),
            },
        )
        .expect_err("refused");
        assert_eq!(err, CaseError::NoEvidence);
    }

    #[test]
    fn returned_to_school_and_unreachable_need_a_logged_contact() {
        for outcome in [Outcome::ReturnedToSchool, Outcome::Unreachable] {
            let err =
                apply(&new_case(), close(Some(outcome), d(2021, 9, 20))).expect_err("refused");
            assert_eq!(
                err,
                CaseError::NoContact {
                    outcome: outcome.category()
                }
            );
            assert!(err.to_string().contains("至少登记一次走访或电话"));
        }
    }

    #[test]
    fn closing_twice_is_refused() {
        let case = step(
            &new_case(),
            close(Some(Outcome::FoundEnrolled), d(2021, 9, 20)),
        );
        let err = apply(&case, close(Some(Outcome::Abroad), d(2021, 9, 21))).expect_err("refused");
        assert_eq!(
            err,
            CaseError::AlreadyClosed {
                closed_on: d(2021, 9, 20)
            }
        );
        assert_eq!(err.to_string(), "案件已于2021年9月20日销号，不能重复销号");
    }

    #[test]
    fn dates_must_be_in_order() {
        let case = step(&new_case(), visit(d(2021, 9, 20)));
        assert_eq!(
            apply(&case, close(Some(Outcome::FoundEnrolled), d(2021, 9, 19))),
            Err(CaseError::CloseBeforeVisit {
                date: d(2021, 9, 19),
                last_visit: d(2021, 9, 20)
            })
        );
        assert_eq!(
            apply(
                &new_case(),
                close(Some(Outcome::FoundEnrolled), d(2021, 9, 1))
            ),
            Err(CaseError::CloseBeforeOpen {
                date: d(2021, 9, 1),
                opened_on: d(2021, 9, 10)
            })
        );
        assert_eq!(
            apply(&new_case(), visit(d(2021, 9, 9))),
            Err(CaseError::VisitBeforeOpen {
                date: d(2021, 9, 9),
                opened_on: d(2021, 9, 10)
            })
        );
        assert_eq!(
            apply(
                &new_case(),
                CaseEvent::SetDeadline {
                    date: d(2021, 9, 9)
                }
            ),
            Err(CaseError::DeadlineBeforeOpen {
                date: d(2021, 9, 9),
                opened_on: d(2021, 9, 10)
            })
        );
    }

    #[test]
    fn a_visit_after_close_is_refused_but_an_earlier_one_may_be_entered_late() {
        let case = step(&new_case(), visit(d(2021, 9, 15)));
        let case = step(
            &case,
            close(Some(Outcome::ReturnedToSchool), d(2021, 9, 25)),
        );
        let err = apply(&case, visit(d(2021, 9, 26))).expect_err("refused");
        assert_eq!(
            err,
            CaseError::VisitAfterClose {
                date: d(2021, 9, 26),
                closed_on: d(2021, 9, 25)
            }
        );
        assert!(err
            .to_string()
            .starts_with("走访日期2021年9月26日晚于销号日期2021年9月25日"));
        let late = step(&case, visit(d(2021, 9, 12)));
        assert_eq!(late.status, CaseStatus::Closed);
        let dates: Vec<NaiveDate> = late.visits.iter().map(|v| v.date).collect();
        assert_eq!(dates, vec![d(2021, 9, 12), d(2021, 9, 15)]);
    }

    #[test]
    fn a_closed_case_refuses_changes_until_reopened() {
        let case = step(&new_case(), close(Some(Outcome::Abroad), d(2021, 9, 20)));
        assert_eq!(
            apply(
                &case,
                CaseEvent::SetDeadline {
                    date: d(2021, 12, 1)
                }
            ),
            Err(CaseError::Closed {
                action: "调整办结期限"
            })
        );
        let assign = CaseEvent::Assign {
            responsible: vec![Responsible {
                role: ResponsibleRole::School,
                name: "某校".to_string(),
            }],
        };
        assert_eq!(
            apply(&case, assign.clone()),
            Err(CaseError::Closed {
                action: "变更责任人"
            })
        );
        assert_eq!(
            apply(
                &case,
                CaseEvent::Reopen {
                    date: d(2021, 10, 1),
                    reason: " ".to_string()
                }
            ),
            Err(CaseError::NoReason)
        );
        assert_eq!(
            apply(
                &case,
                CaseEvent::Reopen {
                    date: d(2021, 9, 19),
                    reason: "核实有误".to_string()
                }
            ),
            Err(CaseError::ReopenBeforeClose {
                date: d(2021, 9, 19),
                closed_on: d(2021, 9, 20)
            })
        );
        let reopened = step(
            &case,
            CaseEvent::Reopen {
                date: d(2021, 10, 1),
                reason: "复核发现未出国".to_string(),
            },
        );
        assert_eq!(reopened.status, CaseStatus::Open);
        assert_eq!(reopened.closure, None);
        assert_eq!(reopened.reopenings.len(), 1);
        assert_eq!(reopened.reopenings[0].previous.outcome, Outcome::Abroad);
        let reassigned = step(&reopened, assign);
        assert_eq!(reassigned.responsible.len(), 1);
        let visited = step(&reassigned, visit(d(2021, 10, 2)));
        assert_eq!(visited.status, CaseStatus::InProgress);
        assert_eq!(
            apply(
                &visited,
                CaseEvent::Reopen {
                    date: d(2021, 10, 3),
                    reason: "x".to_string()
                }
            ),
            Err(CaseError::NotClosed)
        );
    }

    #[test]
    fn assignment_and_visit_inputs_are_checked() {
        let case = new_case();
        assert_eq!(
            apply(
                &case,
                CaseEvent::Assign {
                    responsible: vec![]
                }
            ),
            Err(CaseError::NoResponsible)
        );
        assert_eq!(
            apply(
                &case,
                CaseEvent::Assign {
                    responsible: vec![Responsible {
                        role: ResponsibleRole::VillageCadre,
                        name: " ".to_string()
                    }]
                }
            ),
            Err(CaseError::UnnamedResponsible)
        );
        assert_eq!(
            apply(
                &case,
                CaseEvent::LogVisit {
                    date: d(2021, 9, 11),
                    kind: VisitKind::Phone,
                    note: String::new()
                }
            ),
            Err(CaseError::EmptyNote)
        );
    }

    #[test]
    fn overdue_means_open_and_past_the_deadline() {
        let case = step(
            &new_case(),
            CaseEvent::SetDeadline {
                date: d(2021, 10, 10),
            },
        );
        assert!(!is_overdue(&new_case(), d(2030, 1, 1)));
        assert!(!is_overdue(&case, d(2021, 10, 10)));
        assert!(is_overdue(&case, d(2021, 10, 11)));
        let in_progress = step(&case, visit(d(2021, 9, 15)));
        assert!(is_overdue(&in_progress, d(2021, 10, 11)));
        let closed = step(
            &in_progress,
            close(Some(Outcome::HomeTeaching), d(2021, 10, 20)),
        );
        assert!(!is_overdue(&closed, d(2021, 10, 21)));
    }
}
