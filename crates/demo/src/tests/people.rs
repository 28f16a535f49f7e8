//! The students as people: names, ethnicities, households, hardship and boarding.

use super::*;

#[test]
fn names_ethnicities_and_households_are_realistic() {
    let townships: HashSet<&str> = XUPU.townships.iter().map(|t| t.name).collect();
    let mut ethnicities: HashMap<&str, usize> = HashMap::new();
    let mut surnames: HashMap<char, usize> = HashMap::new();
    let mut total = 0;
    for s in records(autumn()) {
        let chars = s.name.chars().count();
        assert!((2..=3).contains(&chars), "{}", s.name);
        *surnames
            .entry(s.name.chars().next().expect("non-empty"))
            .or_default() += 1;
        *ethnicities
            .entry(s.ethnicity.as_deref().expect("ethnicity"))
            .or_default() += 1;
        assert!(townships.contains(s.household_township.as_deref().expect("household")));
        total += 1;
    }
    assert!(ethnicities["汉族"] as f64 / total as f64 > 0.8);
    for e in ["苗族", "瑶族", "侗族", "土家族"] {
        assert!(ethnicities.get(e).copied().unwrap_or(0) > 100, "{e}");
    }
    for c in "舒向张李王刘陈杨贺谌周曾".chars() {
        assert!(surnames.get(&c).copied().unwrap_or(0) > 500, "{c}");
    }
    let males = records(autumn()).filter(|s| s.sex == Sex::Male).count() as f64 / total as f64;
    assert!((0.5..0.56).contains(&males));
}

#[test]
fn hardship_shares_are_realistic() {
    let mut counts: HashMap<Hardship, usize> = HashMap::new();
    let mut total = 0usize;
    for s in records(autumn()) {
        *counts.entry(s.hardship).or_default() += 1;
        total += 1;
        assert_eq!(
            s.disability.is_some(),
            s.hardship == Hardship::Disabled,
            "{}",
            s.id_number
        );
    }
    let share = |h: Hardship| counts.get(&h).copied().unwrap_or(0) as f64 / total as f64;
    assert!(
        (0.08..=0.12).contains(&share(Hardship::LiftedOut)),
        "{}",
        share(Hardship::LiftedOut)
    );
    assert!(
        (0.02..=0.03).contains(&share(Hardship::Dibao)),
        "{}",
        share(Hardship::Dibao)
    );
    assert!(share(Hardship::Tekun) > 0.0 && share(Hardship::Tekun) < 0.01);
    assert!(share(Hardship::Orphan) > 0.0 && share(Hardship::Orphan) < 0.005);
    assert!(
        (0.005..=0.015).contains(&share(Hardship::Disabled)),
        "{}",
        share(Hardship::Disabled)
    );
    assert!(share(Hardship::None) > 0.83);
}

#[test]
fn boarding_is_realistic() {
    let schools = schools();
    let mut rural_junior = (0usize, 0usize);
    let mut primary_boarders = 0usize;
    for s in &demo().students {
        let school = schools[s.school_code.as_str()];
        if s.boarding {
            assert!(school.boarding, "{} is a day school", school.name);
            assert_ne!(school.school_type, SchoolType::Kindergarten);
        }
        if s.grade.stage() == emis_domain::registry::Stage::Junior
            && school.urban_rural != UrbanRural::Urban
            && s.status == StudentStatus::Enrolled
        {
            rural_junior.0 += usize::from(s.boarding);
            rural_junior.1 += 1;
        }
        if s.grade.stage() == emis_domain::registry::Stage::Primary && s.boarding {
            primary_boarders += 1;
        }
    }
    let share = rural_junior.0 as f64 / rural_junior.1 as f64;
    assert!(share > 0.6, "rural junior boarding share {share}");
    assert!(primary_boarders > 1_000, "{primary_boarders}");
}
