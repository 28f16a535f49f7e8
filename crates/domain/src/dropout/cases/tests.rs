//! Tests of the case state machine: labels, the main flow, closing rules, date order,
//! reopening, input checks and overdue.

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
    for status in CaseStatus::ALL {
        assert_eq!(CaseStatus::parse(status.label()), Some(status));
    }
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.label()).collect();
    assert_eq!(kinds, ["走访", "电话", "重新打开", "匹配核实"]);
    for kind in EventKind::ALL {
        assert_eq!(EventKind::parse(kind.label()), Some(kind));
    }
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
        let err = apply(&new_case(), close(Some(outcome), d(2021, 9, 20))).expect_err("refused");
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
