use super::*;
use proptest::prelude::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, d).expect("date")
}

#[test]
fn the_main_path_closes_a_hazard() {
    let s = transition(Status::Open, Action::Assign).expect("assign");
    assert_eq!(s, Status::Rectifying);
    let s = transition(s, Action::Rectify).expect("rectify");
    assert_eq!(s, Status::AwaitingReview);
    let s = transition(s, Action::Close).expect("close");
    assert_eq!(s, Status::Closed);
}

#[test]
fn sent_back_is_rectified_again() {
    let s = transition(Status::AwaitingReview, Action::SendBack).expect("send back");
    assert_eq!(s, Status::SentBack);
    assert_eq!(transition(s, Action::Rectify), Ok(Status::AwaitingReview));
}

#[test]
fn refusals_say_why_in_chinese() {
    let e = transition(Status::Open, Action::Close).expect_err("cannot close an open hazard");
    assert_eq!(e.to_string(), "隐患当前为“待整改”，不能复查销号");
    let e = transition(Status::Closed, Action::Assign).expect_err("closed");
    assert_eq!(e.to_string(), "隐患已销号，不能再修改");
    assert!(transition(Status::Open, Action::Rectify).is_err());
}

#[test]
fn overdue_is_open_after_the_deadline() {
    let deadline = Some(day(3, 10));
    assert!(!is_overdue(Status::Rectifying, deadline, None, day(3, 10)));
    assert!(is_overdue(Status::Rectifying, deadline, None, day(3, 11)));
    assert!(!is_overdue(
        Status::Closed,
        deadline,
        Some(day(3, 20)),
        day(12, 31)
    ));
    // As of 3月15日, a hazard closed on 3月20日 was still overdue.
    assert!(is_overdue(
        Status::Closed,
        deadline,
        Some(day(3, 20)),
        day(3, 15)
    ));
    assert!(!is_overdue(Status::Open, None, None, day(12, 31)));
}

#[test]
fn escalation_reaches_the_bureau() {
    assert_eq!(
        escalation(Grade::General, day(3, 10), day(3, 10)),
        Escalation::None
    );
    assert_eq!(
        escalation(Grade::General, day(3, 10), day(3, 12)),
        Escalation::Township
    );
    assert_eq!(
        escalation(Grade::General, day(3, 10), day(3, 18)),
        Escalation::County
    );
    assert_eq!(
        escalation(Grade::Major, day(3, 10), day(3, 11)),
        Escalation::County
    );
}

#[test]
fn evidence_is_judged_by_its_first_bytes() {
    assert_eq!(
        check_evidence(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
        Ok(EvidenceKind::Jpeg)
    );
    assert_eq!(
        check_evidence(b"\x89PNG\r\n\x1a\n...."),
        Ok(EvidenceKind::Png)
    );
    assert_eq!(check_evidence(b"%PDF-1.7\n"), Ok(EvidenceKind::Pdf));
    assert!(check_evidence(b"MZ\x90\x00").is_err());
    assert!(check_evidence(b"").is_err());
    let mut big = vec![0xFF, 0xD8, 0xFF];
    big.resize(MAX_EVIDENCE_BYTES + 1, 0);
    assert!(check_evidence(&big).expect_err("too big").contains("10 MB"));
}

#[test]
fn money_in_yuan() {
    assert_eq!(parse_yuan("1200"), Some(120_000));
    assert_eq!(parse_yuan("1,200.5元"), Some(120_050));
    assert_eq!(parse_yuan("１２"), Some(1200));
    assert_eq!(parse_yuan(""), Some(0));
    assert_eq!(parse_yuan("abc"), None);
    assert_eq!(parse_yuan("1.234"), None);
    assert_eq!(yuan(120_050), "1200.50");
}

#[test]
fn labels_parse_back() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.label()), Some(*s));
    }
    assert_eq!(Grade::parse("重大隐患"), Some(Grade::Major));
    assert!(is_category("消防"));
    assert!(!is_category("其他"));
}

#[test]
fn each_area_files_problems_under_its_own_categories() {
    assert_eq!(Area::default(), Area::Safety);
    assert!(is_category_of(Area::DoubleReduction, "作业总量与时长"));
    assert!(!is_category_of(Area::DoubleReduction, "消防"));
    assert!(!is_category_of(Area::Safety, "作业总量与时长"));
    // A 专项督查 checks what its problems are filed under.
    for item in Area::DoubleReduction.checklist() {
        assert!(is_category_of(Area::DoubleReduction, item));
    }
    assert_eq!(Area::DoubleReduction.campaign_kind(), SUPERVISION_KIND);
    assert_eq!(Area::parse("双减"), Some(Area::DoubleReduction));
}

fn any_status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn any_action() -> impl Strategy<Value = Action> {
    prop::sample::select(vec![
        Action::Assign,
        Action::Rectify,
        Action::Close,
        Action::SendBack,
    ])
}

proptest! {
    /// Whatever the steps, a hazard is closed only through 待复查, and a closed one never moves.
    #[test]
    fn closing_needs_review(actions in prop::collection::vec(any_action(), 0..20)) {
        let mut s = Status::Open;
        for a in actions {
            let before = s;
            if let Ok(next) = transition(s, a) {
                if next == Status::Closed {
                    prop_assert_eq!(before, Status::AwaitingReview);
                }
                prop_assert!(before != Status::Closed);
                s = next;
            }
        }
    }

    #[test]
    fn overdue_never_before_the_deadline(s in any_status(), offset in -400i64..0) {
        let deadline = day(6, 30);
        let today = deadline + chrono::Duration::days(offset);
        prop_assert!(!is_overdue(s, Some(deadline), None, today));
    }

    #[test]
    fn money_round_trips(fen in 0i64..1_000_000_000) {
        prop_assert_eq!(parse_yuan(&yuan(fen)), Some(fen));
    }
}
