//! What-if runs: scenarios change the input, and comparing two runs lists the differences.

use super::*;

#[test]
fn scenarios_change_the_input_and_compare_lists_the_differences() {
    let base = six_ranks();
    let before = allocate(&base);
    let scenario = Scenario {
        name: "A校增加1个班".into(),
        changes: vec![ScenarioChange::AddClasses {
            school_code: "A".into(),
            grade: Grade::G1,
            n: 1,
        }],
    };
    let changed = apply(&base, &scenario);
    assert_eq!(base, six_ranks(), "the base is not modified");
    assert_eq!(changed.capacities[0].classes, 2);
    let after = allocate(&changed);
    assert!(after
        .placements
        .iter()
        .all(|p| p.school_code.as_deref() == Some("A")));
    let cmp = compare(&before, &after);
    assert_eq!((cmp.placed_before, cmp.placed_after), (6, 6));
    assert_eq!((cmp.zone_placed_before, cmp.zone_placed_after), (3, 6));
    let moved: Vec<(&str, Option<&str>, Option<&str>)> = cmp
        .changed
        .iter()
        .map(|c| {
            (
                c.applicant_id.as_str(),
                c.before_school.as_deref(),
                c.after_school.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        vec![
            ("04", Some("B"), Some("A")),
            ("05", Some("B"), Some("A")),
            ("06", Some("B"), Some("A"))
        ]
    );
    assert_eq!(
        cmp.changed[0].after_reason,
        "划片内：政策优先（军人子女）（第4顺位）"
    );
    let deltas: Vec<(&str, i64, i64, i64)> = cmp
        .schools
        .iter()
        .map(|s| {
            (
                s.school_code.as_str(),
                s.placed_delta,
                s.capacity_delta,
                s.classes_delta,
            )
        })
        .collect();
    assert_eq!(deltas, vec![("A", 3, 3, 1), ("B", -3, 0, -1)]);
    assert!(compare(&before, &before).changed.is_empty());
    assert!(compare(&before, &before).schools.is_empty());
}

#[test]
fn moving_a_community_and_class_sizes() {
    let base = six_ranks();
    let s = Scenario {
        name: "c1划入B".into(),
        changes: vec![
            ScenarioChange::MoveCommunity {
                community: "c1".into(),
                to_school: "B".into(),
            },
            ScenarioChange::SetClassSize {
                school_code: "B".into(),
                grade: Grade::G1,
                class_size: 2,
            },
            ScenarioChange::AddClasses {
                school_code: "A".into(),
                grade: Grade::G1,
                n: -5,
            },
            ScenarioChange::AddClasses {
                school_code: "N".into(),
                grade: Grade::G1,
                n: 2,
            },
            ScenarioChange::AddClasses {
                school_code: "Q".into(),
                grade: Grade::G1,
                n: -2,
            },
        ],
    };
    let changed = apply(&base, &s);
    assert_eq!(changed.zones[0].communities, Vec::<String>::new());
    assert_eq!(
        changed.zones[1].communities,
        vec!["c2".to_string(), "c1".to_string()]
    );
    assert_eq!(changed.capacities[0].classes, 0);
    assert_eq!(changed.capacities[1].class_size, 2);
    assert_eq!(changed.capacities[2], plan("N", 2, 45));
    assert_eq!(changed.capacities.len(), 3);
    let r = allocate(&changed);
    // B: 2 classes of 2 → the four best-ranked; 02's sibling is at A, no longer its zone
    // school, so 02 drops to rank 6; the rest have no distance to N.
    let at_b: Vec<&str> = r
        .placements
        .iter()
        .filter(|p| p.school_code.as_deref() == Some("B"))
        .map(|p| p.applicant_id.as_str())
        .collect();
    assert_eq!(at_b, vec!["05", "04", "03", "01"]);
    assert_eq!(r.unplaced.len(), 2);

    // Moving into a school without a zone creates one.
    let s = Scenario {
        name: "x".into(),
        changes: vec![ScenarioChange::MoveCommunity {
            community: "c9".into(),
            to_school: "Q".into(),
        }],
    };
    assert_eq!(apply(&base, &s).zones.last(), Some(&zone("Q", &["c9"])));
    assert_eq!(
        ScenarioChange::AddClasses {
            school_code: "A".into(),
            grade: Grade::G1,
            n: 2
        }
        .describe(),
        "学校A一年级增加2个班"
    );
    assert_eq!(
        ScenarioChange::AddClasses {
            school_code: "A".into(),
            grade: Grade::G7,
            n: -1
        }
        .describe(),
        "学校A七年级减少1个班"
    );
    assert_eq!(
        ScenarioChange::MoveCommunity {
            community: "c1".into(),
            to_school: "B".into()
        }
        .describe(),
        "社区c1调整至学校B学区"
    );
}
