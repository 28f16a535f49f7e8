use super::*;
use crate::access::Role;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn stages_in_order() {
    use PartyStage::*;
    let known = [
        (Applicant, day(2019, 3, 1)),
        (Activist, day(2019, 9, 1)),
        (Candidate, day(2020, 9, 1)),
    ];
    assert_eq!(check_stage(&known, Probationary, day(2020, 12, 1)), Ok(()));
    assert_eq!(
        check_stage(&known, Probationary, day(2020, 6, 1)),
        Err(StageError::BeforeEarlier {
            stage: Probationary,
            on: day(2020, 6, 1),
            earlier: Candidate,
            earlier_on: day(2020, 9, 1)
        })
    );
    assert_eq!(
        check_stage(&known, Applicant, day(2020, 1, 1))
            .expect_err("after activist")
            .to_string(),
        "入党申请人日期 2020-01-01 晚于该人员入党积极分子日期 2019-09-01（发展阶段须依次递进）"
    );
    // The same day twice is in order (a branch may decide two things in one meeting).
    assert_eq!(check_stage(&known, Activist, day(2019, 3, 1)), Ok(()));
}

#[test]
fn a_year_of_probation() {
    use PartyStage::*;
    let known = [(Probationary, day(2020, 7, 1))];
    assert_eq!(check_stage(&known, Confirmed, day(2021, 7, 1)), Ok(()));
    let short = check_stage(&known, Confirmed, day(2021, 6, 30)).expect_err("short");
    assert_eq!(
        short.to_string(),
        "正式党员日期 2021-06-30 距预备党员日期 2020-07-01 不足一年（预备期一年，最早 2021-07-01 转正）"
    );
    // Recording the probationary date after the confirmation is checked the same way.
    let confirmed = [(Confirmed, day(2021, 7, 1))];
    assert!(matches!(
        check_stage(&confirmed, Probationary, day(2020, 9, 1)),
        Err(StageError::ProbationShort { .. })
    ));
    assert_eq!(probation_ends(day(2020, 2, 29)), day(2021, 2, 28));
}

#[test]
fn counted_stages() {
    assert_eq!(counted_as(PartyStage::Activist), Some("party.activists"));
    assert_eq!(
        counted_as(PartyStage::Probationary),
        Some("party.probationary")
    );
    assert_eq!(counted_as(PartyStage::Confirmed), Some("party.confirmed"));
    assert_eq!(counted_as(PartyStage::Applicant), None);
    assert_eq!(counted_as(PartyStage::Candidate), None);
    assert_eq!(PartyStage::parse("转正"), Some(PartyStage::Confirmed));
    assert_eq!(MeetingKind::parse("主题党日"), Some(MeetingKind::ThemeDay));
}

#[test]
fn who_sees_a_branch() {
    for role in Role::ALL.iter().copied() {
        let office = role.permits(Permission::KeepParty);
        assert_eq!(
            branch_access(role, "zhangsan", Some("lisi")),
            office.then_some(BranchAccess::Office),
            "{}",
            role.label()
        );
        assert_eq!(
            branch_access(role, "lisi", Some("lisi")),
            Some(if office {
                BranchAccess::Office
            } else {
                BranchAccess::Secretary
            })
        );
        if !office {
            assert_eq!(branch_access(role, "lisi", None), None);
        }
    }
}

/// A person's stages in order: gaps in days between consecutive stages, the probation gap
/// at least a year.
fn timeline(gaps: &[u32; 4], start: NaiveDate) -> Vec<(PartyStage, NaiveDate)> {
    let mut on = start;
    let mut out = vec![(PartyStage::Applicant, on)];
    for (i, stage) in PartyStage::ALL[1..].iter().enumerate() {
        on = if *stage == PartyStage::Confirmed {
            probation_ends(on) + chrono::Days::new(u64::from(gaps[i]))
        } else {
            on + chrono::Days::new(u64::from(gaps[i]))
        };
        out.push((*stage, on));
    }
    out
}

/// Whether a set of stages obeys every rule, checked pair by pair.
fn in_order(stages: &[(PartyStage, NaiveDate)]) -> bool {
    stages.iter().all(|&(a, a_on)| {
        stages.iter().all(|&(b, b_on)| {
            (a >= b || a_on <= b_on)
                && !(a == PartyStage::Probationary
                    && b == PartyStage::Confirmed
                    && b_on < probation_ends(a_on))
        })
    })
}

proptest! {
    /// A person's stages in order are accepted whatever order they are recorded in.
    #[test]
    fn ordered_stages_are_accepted_in_any_order(
        gaps in proptest::array::uniform4(0u32..800),
        start in 0u32..4000,
        order in Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let stages = timeline(&gaps, day(2008, 1, 1) + chrono::Days::new(u64::from(start)));
        let mut known = Vec::new();
        for i in order {
            let (stage, on) = stages[i];
            prop_assert_eq!(check_stage(&known, stage, on), Ok(()));
            known.push((stage, on));
        }
    }

    /// Whatever is recorded, stage by stage with any dates, what was accepted obeys the rules.
    #[test]
    fn accepted_stages_always_obey_the_rules(
        tries in proptest::collection::vec((0usize..5, 0u32..2000), 1..12),
    ) {
        let mut known: Vec<(PartyStage, NaiveDate)> = Vec::new();
        for (stage, offset) in tries {
            let stage = PartyStage::ALL[stage];
            let on = day(2015, 1, 1) + chrono::Days::new(u64::from(offset));
            let others: Vec<_> = known.iter().copied().filter(|(s, _)| *s != stage).collect();
            if check_stage(&others, stage, on).is_ok() {
                known = others;
                known.push((stage, on));
            }
            prop_assert!(in_order(&known), "{:?}", known);
        }
    }

    /// A confirmation less than a year after the probationary date is always refused.
    #[test]
    fn short_probation_is_refused(start in 0u32..4000, short in 1u32..365) {
        let probationary = day(2010, 1, 1) + chrono::Days::new(u64::from(start));
        let confirmed = probation_ends(probationary) - chrono::Days::new(u64::from(short));
        let refused = matches!(
            check_stage(&[(PartyStage::Probationary, probationary)], PartyStage::Confirmed, confirmed),
            Err(StageError::ProbationShort { .. })
        );
        prop_assert!(refused);
    }
}
