//! Priority order: ranks, category labels and distances as shown.

use super::*;

#[test]
fn rank_is_the_best_condition_that_holds() {
    let a = applicant("1", "c");
    let rank = |f: fn(&mut Applicant)| PriorityRank::of(&with(a.clone(), f), Some("A"));
    assert_eq!(
        rank(|a| {
            a.hukou_in_zone = true;
            a.owns_property = true;
            a.sibling_at_school = Some("A".into());
        }),
        PriorityRank::HukouAndProperty
    );
    assert_eq!(
        rank(|a| {
            a.hukou_in_zone = true;
            a.sibling_at_school = Some("A".into());
        }),
        PriorityRank::Sibling
    );
    assert_eq!(
        rank(|a| a.sibling_at_school = Some("B".into())),
        PriorityRank::ResidentInZone,
        "a sibling at another school does not count"
    );
    assert_eq!(
        rank(|a| a.hukou_in_zone = true),
        PriorityRank::HukouOrProperty
    );
    assert_eq!(
        rank(|a| a.owns_property = true),
        PriorityRank::HukouOrProperty
    );
    assert_eq!(
        rank(|a| a.priority = vec![
            PriorityCategory::MigrantWorkerChild,
            PriorityCategory::ServicemanChild
        ]),
        PriorityRank::PolicyPriority
    );
    assert_eq!(
        rank(|a| a.priority = vec![PriorityCategory::RuralTeacherChild]),
        PriorityRank::PolicyPriority
    );
    assert_eq!(
        rank(|a| a.priority = vec![PriorityCategory::MigrantWorkerChild]),
        PriorityRank::MigrantChild
    );
    assert_eq!(rank(|_| {}), PriorityRank::ResidentInZone);
    assert_eq!(
        PriorityRank::of(&with(a.clone(), |a| a.hukou_in_zone = true), None),
        PriorityRank::OutOfZone
    );
    let ordinals: Vec<u8> = PriorityRank::ALL.iter().map(|r| r.ordinal()).collect();
    assert_eq!(ordinals, vec![1, 2, 3, 4, 5, 6, 7]);
    assert!(PriorityRank::ALL.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        PriorityRank::Sibling.to_string(),
        "第2顺位（兄姐在本校就读）"
    );
}

#[test]
fn priority_categories_have_labels_and_parse() {
    for p in PriorityCategory::ALL {
        assert_eq!(PriorityCategory::parse(p.label()), Some(*p));
    }
    assert_eq!(
        PriorityCategory::parse(" 进城务工人员随迁子女 "),
        Some(PriorityCategory::MigrantWorkerChild)
    );
    assert_eq!(PriorityCategory::ServicemanChild.label(), "军人子女");
    assert_eq!(PriorityCategory::parse("教师"), None);
}

#[test]
fn distances_are_shown_in_metres_or_kilometres() {
    assert_eq!(format_distance(800), "800米");
    assert_eq!(format_distance(1000), "1.0公里");
    assert_eq!(format_distance(1240), "1.2公里");
    let d = distances(&[("c1", "A", 500), ("c1", "B", 900), ("c0", "A", 1)]);
    assert_eq!(d.get("c1", "B"), Some(900));
    assert_eq!(d.get("c1", "C"), None);
    assert_eq!(d.len(), 3);
    let rows = d.entries();
    assert_eq!(rows[0].community, "c0");
    assert_eq!(Distances::from(rows), d);
    let collected: Distances = [(("c1".to_string(), "A".to_string()), 7)]
        .into_iter()
        .collect();
    assert_eq!(collected.get("c1", "A"), Some(7));
}
