//! 督导: the autumn visits and the assessment's inspectors' scores.

use super::*;
use crate::campaigns::DemoCampaign;
use emis_domain::safety::is_category_of;
use emis_domain::supervision::assessment::{default_scheme, Source};

/// A campaign visits `visited` distinct eligible schools on working days from its start, one
/// visit each, and finds `problems` problems of the area's categories, each at a visit whose
/// note names it, rectified within its deadline and closed in 2021.
pub(super) fn a_sound_campaign(
    c: &DemoCampaign,
    eligible: &HashSet<&str>,
    visited: usize,
    problems: usize,
) {
    assert_eq!(c.visits.len(), visited);
    let schools: HashSet<&str> = c.visits.iter().map(|v| v.school_code.as_str()).collect();
    assert_eq!(schools.len(), visited, "one visit a school");
    assert!(schools.iter().all(|s| eligible.contains(s)));
    assert!(c
        .visits
        .iter()
        .all(|v| v.checked_on >= c.planned_on && v.checked_on.weekday().number_from_monday() <= 5));
    assert_eq!(c.checklist, c.area.checklist());
    assert_eq!(c.problems.len(), problems);
    for p in &c.problems {
        assert!(schools.contains(p.school_code.as_str()));
        assert!(is_category_of(c.area, p.category), "{}", p.category);
        assert!(p.found_on <= p.rectified_on && p.rectified_on <= p.deadline);
        assert!(p.rectified_on < p.closed_on && p.closed_on.year() == 2021);
        let visit = c.visits.iter().find(|v| v.school_code == p.school_code);
        assert!(visit.is_some_and(|v| v.checked_on == p.found_on && v.note.contains(p.description)));
    }
}

#[test]
fn the_visits_cover_forty_schools_and_close_what_they_found() {
    use crate::supervision::{PROBLEMS, VISITED};
    for d in [demo(), other()] {
        let all: HashSet<&str> = d.schools.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(
            d.supervision.visits.area,
            emis_domain::safety::Area::Supervision
        );
        a_sound_campaign(&d.supervision.visits, &all, VISITED, PROBLEMS);
    }
}

#[test]
fn every_school_is_scored_on_every_inspector_item_within_its_weight() {
    let inspector: Vec<_> = default_scheme()
        .into_iter()
        .filter(|i| i.source == Source::Inspector)
        .collect();
    for d in [demo(), other()] {
        let scores = &d.supervision.scores;
        assert_eq!(scores.len(), d.schools.len() * inspector.len());
        let pairs: HashSet<(&str, &str)> = scores
            .iter()
            .map(|s| (s.school_code.as_str(), s.item.as_str()))
            .collect();
        assert_eq!(pairs.len(), scores.len(), "one score a school and item");
        for s in scores {
            let item = inspector
                .iter()
                .find(|i| i.name == s.item)
                .expect("an item");
            let full = (item.weight * 100.0) as i64;
            assert!((full * 7 / 10..=full).contains(&s.hundredths), "{s:?}");
            assert_eq!(s.hundredths % 50, 0, "half points");
        }
        // Not everyone gets the same: the ranking has something to rank.
        let distinct: HashSet<i64> = scores.iter().map(|s| s.hundredths).collect();
        assert!(distinct.len() > 5);
    }
}

#[test]
fn the_campaigns_and_the_scheme_run_under_the_summarys_plans() {
    use crate::documents::{number_of, ASSESSMENT_PLAN, SUPERVISION_PLAN, VISITS_PLAN};
    for d in [demo(), other()] {
        let plan = |title| number_of(&d.documents, title).expect(title);
        assert_eq!(
            d.double_reduction.supervision.document,
            Some(plan(SUPERVISION_PLAN))
        );
        assert_eq!(d.supervision.visits.document, Some(plan(VISITS_PLAN)));
        assert_eq!(d.supervision.scheme_document, Some(plan(ASSESSMENT_PLAN)));
    }
}
