//! Tests of the safety generator: hazards closed in time, and every school ticking every
//! inspection it is part of.

use super::*;

#[test]
fn every_hazard_is_closed_in_time_and_the_year() {
    let demo = crate::generate(2021);
    let s = generate(2021, &demo.schools, &demo.students);
    assert!(
        (300..=340).contains(&s.hazards.len()),
        "{}",
        s.hazards.len()
    );
    assert_eq!(
        s.inspections
            .iter()
            .filter(|i| i.kind == "专项行动")
            .count(),
        6
    );
    for h in &s.hazards {
        assert!(h.found_on.year() == 2021);
        assert!(h.rectified_on <= h.deadline, "{h:?}");
        assert!(h.found_on <= h.rectified_on && h.rectified_on <= h.closed_on);
        assert!(h.closed_on <= day(2021, 12, 31));
        assert!(emis_domain::safety::is_category(h.category));
    }
    assert!(s.hazards.iter().any(|h| h.grade == "重大"));
    assert_eq!(s.missing_patrols.len(), 7);
    assert_eq!(s, generate(2021, &demo.schools, &demo.students));
}

#[test]
fn every_school_checks_every_inspection_it_is_part_of_by_year_end() {
    let demo = crate::generate(2021);
    let s = generate(2021, &demo.schools, &demo.students);
    let campaigns = s
        .inspections
        .iter()
        .filter(|i| i.school_code.is_none())
        .count();
    let monthly = s.inspections.len() - campaigns;
    assert_eq!(s.checks.len(), monthly + campaigns * demo.schools.len());
    let mut seen = std::collections::HashSet::new();
    for c in &s.checks {
        let i = &s.inspections[c.inspection];
        assert!(i
            .school_code
            .as_ref()
            .is_none_or(|own| *own == c.school_code));
        assert!(
            i.planned_on <= c.checked_on && c.checked_on <= day(2021, 12, 31),
            "{c:?}"
        );
        assert!(
            seen.insert((c.inspection, c.school_code.clone())),
            "ticked twice: {c:?}"
        );
    }
}
