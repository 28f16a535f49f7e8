//! 党建: 50 / 62 / 42 persons reaching 入党积极分子 / 预备党员 / 正式党员 in 2021, recomputed
//! from the stage records, and every person's stages obeying the rules (for the demo seed
//! and another one).

use super::*;
use emis_domain::party::{check_stage, counted_as, probation_ends, PartyStage};

#[test]
fn stages_give_50_activists_62_probationary_42_confirmed() {
    for d in [demo(), other()] {
        let mut counted: HashMap<&'static str, HashSet<&str>> = HashMap::new();
        for p in &d.party.people {
            for (stage, on) in &p.stages {
                if on.year() == 2021 {
                    if let Some(code) = counted_as(*stage) {
                        counted
                            .entry(code)
                            .or_default()
                            .insert(p.id_number.as_str());
                    }
                }
            }
        }
        let n = |code: &str| counted.get(code).map_or(0, |s| s.len());
        assert_eq!(n("party.activists"), crate::party::ACTIVISTS);
        assert_eq!(n("party.probationary"), crate::party::PROBATIONARY);
        assert_eq!(n("party.confirmed"), crate::party::CONFIRMED);
        assert_eq!(
            (
                crate::party::ACTIVISTS,
                crate::party::PROBATIONARY,
                crate::party::CONFIRMED
            ),
            (50, 62, 42)
        );
    }
}

#[test]
fn every_persons_stages_obey_the_rules() {
    let d = demo();
    let staff: HashMap<&str, &StaffRecord> =
        d.staff.iter().map(|s| (s.id_number.as_str(), s)).collect();
    let branches: HashSet<&str> = d.party.branches.iter().map(|b| b.name.as_str()).collect();
    let mut ids = HashSet::new();
    for p in &d.party.people {
        assert!(ids.insert(p.id_number.as_str()), "one record per person");
        assert!(IdNumber::parse(&p.id_number).is_ok(), "{}", p.id_number);
        assert!(branches.contains(p.branch.as_str()));
        // A school branch's people are its own staff.
        let branch = d
            .party
            .branches
            .iter()
            .find(|b| b.name == p.branch)
            .expect("branch");
        match (&branch.school_code, staff.get(p.id_number.as_str())) {
            (Some(code), Some(s)) => assert_eq!(&s.school_code, code),
            (Some(_), None) => panic!("{} is not on the staff roll", p.name),
            (None, member) => assert!(member.is_none(), "the 局机关's own are not school staff"),
        }
        for (i, (stage, on)) in p.stages.iter().enumerate() {
            assert_eq!(
                *stage,
                PartyStage::ALL[i],
                "stages from the first, in order"
            );
            let others: Vec<_> = p
                .stages
                .iter()
                .copied()
                .filter(|(s, _)| s != stage)
                .collect();
            assert_eq!(check_stage(&others, *stage, *on), Ok(()), "{}", p.name);
            assert!(*on <= NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"));
        }
        // A 2021 正式党员 was 预备党员 in 2020 or earlier, at least a year before.
        if let [.., (PartyStage::Probationary, p_on), (PartyStage::Confirmed, c_on)] = p.stages[..]
        {
            assert!(c_on >= probation_ends(p_on));
            if c_on.year() == 2021 {
                assert!(p_on.year() <= 2020);
            }
        }
    }
    assert!(d
        .party
        .branches
        .iter()
        .any(|b| b.name == crate::party::BUREAU_BRANCH));
    assert!(d.party.branches.len() > 20);
    // Every branch logs 三会一课 and 主题党日 every month of 2021.
    for b in &d.party.branches {
        let months: HashSet<u32> = d
            .party
            .meetings
            .iter()
            .filter(|m| m.branch == b.name && m.kind == emis_domain::party::MeetingKind::ThemeDay)
            .map(|m| m.held_on.month())
            .collect();
        assert_eq!(months.len(), 12, "{}", b.name);
    }
    assert!(d
        .party
        .meetings
        .iter()
        .all(|m| m.attended <= m.expected && m.expected > 0));
}
