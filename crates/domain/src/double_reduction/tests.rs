use super::after_school::{Rates, Service};
use super::credit_code::{compose, parse, CreditCodeError};
use super::*;
use proptest::prelude::*;

#[test]
fn credit_codes_by_gb_32100() {
    // A published code (国家市场监督管理总局's own example form).
    let good = compose("91431224MA4L0000").map(|_| ());
    assert_eq!(good, None, "16 characters are not a body");
    let code = compose("91431224MA4L00001").expect("body");
    assert_eq!(parse(&code), Ok(code.clone()));
    assert_eq!(parse(&code.to_lowercase()), Ok(code.clone()));
    let last = code.chars().last().expect("check");
    let wrong = if last == '0' { '1' } else { '0' };
    let bad = format!("{}{wrong}", &code[..17]);
    assert_eq!(
        parse(&bad),
        Err(CreditCodeError::Check {
            expected: last,
            found: wrong
        })
    );
    assert_eq!(parse("123"), Err(CreditCodeError::Length(3)));
    assert!(matches!(
        parse("91431224MA4L0000IX"),
        Err(CreditCodeError::Character { position: 17, .. })
    ));
    assert_eq!(
        parse(&bad).expect_err("wrong check").to_string(),
        format!("统一社会信用代码校验位应为“{last}”，实际为“{wrong}”")
    );
}

#[test]
fn which_changes_count() {
    use InstitutionCategory::*;
    use InstitutionStatus::*;
    assert_eq!(
        counted_as(Closed, NonSubject, false),
        Some("double_reduction.institutions.closed")
    );
    assert_eq!(
        counted_as(Closed, Subject, true),
        None,
        "a licensed one closing is not 无证"
    );
    assert_eq!(
        counted_as(Deregistered, Subject, true),
        Some("double_reduction.institutions.deregistered")
    );
    assert_eq!(counted_as(Deregistered, NonSubject, true), None);
    assert_eq!(
        counted_as(Transformed, Subject, true),
        Some("double_reduction.institutions.transformed")
    );
    assert_eq!(counted_as(Suspended, Subject, false), None);
}

#[test]
fn five_plus_two() {
    let s = Service {
        offered: true,
        days_a_week: 5,
        minutes_a_day: 120,
        students: 300,
    };
    assert!(s.meets_standard());
    assert_eq!(s.shortfall(), None);
    let short = Service {
        minutes_a_day: 90,
        ..s
    };
    assert_eq!(
        short.shortfall().as_deref(),
        Some("每天90分钟（应≥120分钟）")
    );
    let mut rates = Rates::default();
    rates.add(Some(&s), 400);
    rates.add(Some(&short), 200);
    rates.add(None, 100);
    assert_eq!((rates.offering, rates.meeting), (2, 1));
    assert!((rates.coverage() - 2.0 / 3.0).abs() < 1e-9);
    assert!((rates.time_compliance() - 0.5).abs() < 1e-9);
    assert!((rates.participation() - 600.0 / 700.0).abs() < 1e-9);
    assert!(Rates::default().coverage().is_nan(), "no schools: no rate");
}

proptest! {
    /// Every composed code parses, and changing its check character is always caught.
    #[test]
    fn composed_codes_parse(body in "[0-9A-HJ-NP-RTUW-Y]{17}", other in 0usize..31) {
        let code = compose(&body).expect("valid body");
        prop_assert_eq!(parse(&code), Ok(code.clone()));
        let alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        let swapped = alphabet.chars().nth(other).expect("char");
        if !code.ends_with(swapped) {
            let wrong = format!("{body}{swapped}");
            let is_check_error = matches!(parse(&wrong), Err(CreditCodeError::Check { .. }));
            prop_assert!(is_check_error);
        }
    }
}

#[test]
fn five_managements_by_stage() {
    use super::five::{findings, FiveItem, SelfCheck};
    use crate::registry::SchoolType;
    let good = SelfCheck {
        homework_g12: Some(0),
        homework_g36: Some(55),
        homework_junior: Some(90),
        sleep_primary: Some(100),
        sleep_junior: Some(90),
        sleep_senior: None,
        phones_out_of_class: true,
        reading_reviewed: true,
        pe_primary: Some(4),
        pe_junior: Some(3),
        pe_senior: None,
        no_written_exams_g12: true,
    };
    assert!(findings(SchoolType::NineYear, &good).is_empty());
    // A senior school must report senior sleep and PE, not primary homework.
    let senior = findings(SchoolType::Senior, &good);
    let items: Vec<FiveItem> = senior.iter().map(|f| f.item).collect();
    assert_eq!(items, [FiveItem::Sleep, FiveItem::Fitness]);
    assert_eq!(senior[0].reason, "高中睡眠时间未填报");
    let bad = SelfCheck {
        homework_g12: Some(20),
        homework_junior: Some(120),
        sleep_junior: Some(85),
        pe_junior: Some(2),
        phones_out_of_class: false,
        no_written_exams_g12: false,
        ..good.clone()
    };
    let reasons: Vec<String> = findings(SchoolType::NineYear, &bad)
        .into_iter()
        .map(|f| f.reason)
        .collect();
    assert_eq!(
        reasons,
        [
            "一二年级书面作业20分钟，超过0分钟",
            "初中书面作业120分钟，超过90分钟",
            "初中睡眠时间8.5小时，少于9小时",
            "初中体育课2节/周，少于3节/周",
            "手机未做到不带入课堂",
            "一二年级仍有纸笔考试",
        ]
    );
}
