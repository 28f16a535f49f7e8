use super::awards::{check_fund, decide, AwardDecision, AwardRefusal, AwardStatus};
use super::conduct::{flags_award, Sanction};
use super::funded::{obligation, standing, Placement, TraineeFacts, TraineeStanding};
use super::hours::{parse_hours, HoursRequirement};
use super::staffing::{SchoolStaffing, Staffing, StaffingStandard};
use super::*;
use crate::access::OrgLevel;
use crate::registry::{SchoolType, Stage};
use chrono::NaiveDate;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn labels_read_their_aliases() {
    assert_eq!(TrainingLevel::parse("国培"), Some(TrainingLevel::National));
    assert_eq!(TrainingLevel::parse("校本"), Some(TrainingLevel::School));
    assert_eq!(StudioKind::parse("名师工作室"), Some(StudioKind::Master));
    assert_eq!(
        TraineeSource::parse("初中"),
        Some(TraineeSource::JuniorGraduate)
    );
    assert_eq!(TrainingLevel::parse("区级"), None);
}

#[test]
fn required_teachers_round_up_per_stage() {
    let std = StaffingStandard::default();
    assert_eq!(std.required(Stage::Primary, 19), 1);
    assert_eq!(std.required(Stage::Primary, 20), 2);
    assert_eq!(std.required(Stage::Junior, 135), 10);
    assert_eq!(std.required(Stage::Junior, 136), 11);
    assert_eq!(std.display(Stage::Junior), "1:13.5");
    assert_eq!(std.display(Stage::Primary), "1:19");
    assert_eq!(StaffingStandard::parse_ratio("1：13.5"), Some(135));
    assert_eq!(StaffingStandard::parse_ratio("19"), Some(190));
    assert_eq!(StaffingStandard::parse_ratio("0.5"), None);
    assert_eq!(StaffingStandard::parse_ratio("13.55"), None);
}

#[test]
fn a_nine_year_school_needs_both_stages_and_names_missing_subjects() {
    let school = SchoolStaffing {
        school_type: Some(SchoolType::NineYear),
        students: vec![(Stage::Primary, 380), (Stage::Junior, 270)],
        teachers: 35,
        subjects: ["语文", "数学", "英语", "科学", "体育", "物理"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let s = Staffing::of(&StaffingStandard::default(), &school);
    assert_eq!(s.required, 20 + 20);
    assert_eq!((s.actual, s.shortage, s.surplus), (35, 5, 0));
    assert!(s.missing_subjects.contains(&"音乐".to_string()));
    assert!(s.missing_subjects.contains(&"化学".to_string()));
    assert!(!s.missing_subjects.contains(&"物理".to_string()));
}

#[test]
fn sums_keep_shortages_per_school() {
    let a = Staffing {
        required: 10,
        actual: 12,
        surplus: 2,
        ..Staffing::default()
    };
    let b = Staffing {
        required: 10,
        actual: 7,
        shortage: 3,
        ..Staffing::default()
    };
    let total = Staffing::sum([&a, &b]);
    assert_eq!((total.required, total.actual), (20, 19));
    assert_eq!((total.shortage, total.surplus), (3, 2));
}

#[test]
fn hours_are_due_in_fifths_of_the_cycle() {
    let r = HoursRequirement::default();
    assert_eq!(r.cycle_of(2021), (2021, 2025));
    assert_eq!(r.cycle_of(2026), (2026, 2030));
    assert_eq!(r.cycle_of(2019), (2016, 2020));
    assert_eq!(r.due_by(2021), 72);
    assert_eq!(r.due_by(2025), 360);
    assert!(r.is_behind(719, 2021));
    assert!(!r.is_behind(720, 2021));
    assert_eq!(parse_hours("24"), Some(240));
    assert_eq!(parse_hours("24.5"), Some(245));
    assert_eq!(parse_hours("２４学时"), Some(240));
    assert_eq!(parse_hours("abc"), None);
    assert_eq!(parse_hours("99999"), None);
}

#[test]
fn trainee_standing_follows_graduation_and_placement() {
    let mut facts = TraineeFacts {
        expected_graduation: 2021,
        directed_township: Some("431224105".into()),
        service_years: 6,
        placement: None,
    };
    assert_eq!(
        standing(&facts, day(2021, 3, 1)),
        TraineeStanding::InTraining
    );
    assert_eq!(
        standing(&facts, day(2021, 9, 1)),
        TraineeStanding::AwaitingPlacement
    );
    assert_eq!(
        standing(&facts, day(2022, 12, 1)),
        TraineeStanding::AwaitingPlacement
    );
    assert_eq!(
        standing(&facts, day(2023, 1, 1)),
        TraineeStanding::PlacementOverdue
    );
    facts.placement = Some(Placement {
        start_date: Some(day(2021, 9, 1)),
        township_code: "431224105".into(),
    });
    let o = obligation(&facts, day(2024, 8, 31));
    assert_eq!(
        (o.standing, o.years_served, o.years_left),
        (TraineeStanding::Serving, 2, 4)
    );
    assert_eq!(
        standing(&facts, day(2027, 9, 1)),
        TraineeStanding::Fulfilled
    );
    facts.placement.as_mut().expect("placed").township_code = "431224101".into();
    let o = obligation(&facts, day(2022, 1, 1));
    assert!(o.standing.is_warning());
    assert_eq!(o.standing, TraineeStanding::OutsideDirectedTownship);
}

#[test]
fn awards_go_school_township_bureau() {
    use AwardDecision::*;
    let s = AwardStatus::proposed_by(OrgLevel::School);
    assert_eq!(s, AwardStatus::Proposed);
    assert_eq!(
        decide(s, OrgLevel::County, Pass, ""),
        Err(AwardRefusal::AwaitsTownship)
    );
    let s = decide(s, OrgLevel::Township, Pass, "").expect("checked");
    assert_eq!(s, AwardStatus::Checked);
    assert_eq!(
        decide(s, OrgLevel::Township, Pass, ""),
        Err(AwardRefusal::AwaitsBureau)
    );
    assert_eq!(
        decide(s, OrgLevel::County, SendBack, " "),
        Err(AwardRefusal::ReasonRequired)
    );
    let granted = decide(s, OrgLevel::County, Pass, "").expect("granted");
    assert_eq!(granted, AwardStatus::Granted);
    assert!(matches!(
        decide(granted, OrgLevel::County, Pass, ""),
        Err(AwardRefusal::NotPending(AwardStatus::Granted))
    ));
    assert_eq!(
        AwardStatus::proposed_by(OrgLevel::Township),
        AwardStatus::Checked
    );
    assert!(check_fund(100_000, 100_000).is_ok());
    assert_eq!(
        check_fund(100_001, 100_000)
            .expect_err("over the fund")
            .to_string(),
        "奖金 1000.01 元超出奖励资金余额 1000.00 元"
    );
}

#[test]
fn sanctions_flag_awards_for_two_years() {
    let decided = day(2020, 6, 1);
    assert!(flags_award(Sanction::Warning, decided, day(2021, 9, 1)));
    assert!(!flags_award(Sanction::Warning, decided, day(2022, 6, 1)));
    assert!(!flags_award(Sanction::Unfounded, decided, day(2021, 9, 1)));
    assert!(!flags_award(Sanction::Warning, decided, day(2020, 5, 31)));
}

proptest! {
    /// Enough teachers for every stage: never below the ratio, never one more than needed.
    #[test]
    fn required_is_the_least_that_meets_the_ratio(students in 0u32..5_000, ratio in 10u32..600) {
        let std = StaffingStandard { preschool: ratio, primary: ratio, junior: ratio, senior: ratio };
        let need = std.required(Stage::Junior, students);
        prop_assert!(need * ratio >= students * 10);
        prop_assert!(need == 0 || (need - 1) * ratio < students * 10);
    }

    /// Shortage and surplus: exactly one of them, and they account for the difference.
    #[test]
    fn shortage_and_surplus_balance(p in 0u32..3_000, j in 0u32..3_000, teachers in 0u32..400) {
        let school = SchoolStaffing {
            school_type: Some(SchoolType::NineYear),
            students: vec![(Stage::Primary, p), (Stage::Junior, j)],
            teachers,
            ..SchoolStaffing::default()
        };
        let s = Staffing::of(&StaffingStandard::default(), &school);
        prop_assert!(s.shortage == 0 || s.surplus == 0);
        prop_assert_eq!(s.actual as i64 - s.required as i64, s.surplus as i64 - s.shortage as i64);
    }

    /// What is due rises through a cycle and reaches the whole requirement in its last year.
    #[test]
    fn due_hours_rise_to_the_requirement(start in 2000i32..2030, year in 2000i32..2040) {
        let r = HoursRequirement { cycle_start: start, ..HoursRequirement::default() };
        let (first, last) = r.cycle_of(year);
        prop_assert!(first <= year && year <= last);
        prop_assert_eq!(r.due_by(last), 360);
        if year < last { prop_assert!(r.due_by(year) < r.due_by(year + 1)); }
    }
}
