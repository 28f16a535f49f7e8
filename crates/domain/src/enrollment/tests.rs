//! Unit and property tests of the allocation engine, what-if runs and balanced classes.

use super::*;
use crate::identity::IdNumber;
use crate::registry::{Grade, Sex};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

fn applicant(id: &str, community: &str) -> Applicant {
    Applicant {
        id: id.to_string(),
        name: format!("学生{id}"),
        sex: Sex::Male,
        community: community.to_string(),
        hukou_in_zone: false,
        owns_property: false,
        sibling_at_school: None,
        priority: Vec::new(),
        score: None,
    }
}

fn with(mut a: Applicant, f: impl FnOnce(&mut Applicant)) -> Applicant {
    f(&mut a);
    a
}

fn zone(school: &str, communities: &[&str]) -> Zone {
    Zone {
        school_code: school.to_string(),
        grade: Grade::G1,
        communities: communities.iter().map(|c| c.to_string()).collect(),
    }
}

fn plan(school: &str, classes: u32, class_size: u32) -> SchoolCapacity {
    SchoolCapacity {
        school_code: school.to_string(),
        grade: Grade::G1,
        classes,
        class_size,
    }
}

fn distances(rows: &[(&str, &str, u32)]) -> Distances {
    let mut d = Distances::new();
    for (c, s, m) in rows {
        d.insert(c, s, *m);
    }
    d
}

fn input(
    zones: Vec<Zone>,
    capacities: Vec<SchoolCapacity>,
    distances: Distances,
    applicants: Vec<Applicant>,
) -> AllocationInput {
    AllocationInput {
        grade: Grade::G1,
        communities: Vec::new(),
        zones,
        capacities,
        distances,
        applicants,
    }
}

fn school_of<'a>(r: &'a AllocationResult, id: &str) -> Option<&'a str> {
    r.placement(id).and_then(|p| p.school_code.as_deref())
}

// ---------------------------------------------------------------- priority order

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

// ---------------------------------------------------------------- allocation rules

/// Zone A (3 places) with one applicant of each rank 1–6; B has room, 1.2 km away.
fn six_ranks() -> AllocationInput {
    let applicants = vec![
        applicant("06", "c1"),
        with(applicant("05", "c1"), |a| {
            a.priority = vec![PriorityCategory::MigrantWorkerChild]
        }),
        with(applicant("04", "c1"), |a| {
            a.priority = vec![PriorityCategory::ServicemanChild]
        }),
        with(applicant("03", "c1"), |a| a.hukou_in_zone = true),
        with(applicant("02", "c1"), |a| {
            a.sibling_at_school = Some("A".into())
        }),
        with(applicant("01", "c1"), |a| {
            a.hukou_in_zone = true;
            a.owns_property = true;
        }),
    ];
    input(
        vec![zone("A", &["c1"]), zone("B", &["c2"])],
        vec![plan("A", 1, 3), plan("B", 2, 45)],
        distances(&[("c1", "A", 300), ("c1", "B", 1200), ("c2", "B", 200)]),
        applicants,
    )
}

#[test]
fn zone_applicants_are_admitted_in_priority_order_with_reasons() {
    let r = allocate(&six_ranks());
    let reason = |id: &str| {
        r.placement(id)
            .map(|p| p.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason("01"), "划片内：户籍与房产均在片区（第1顺位）");
    assert_eq!(reason("02"), "划片内：兄姐在本校就读（第2顺位）");
    assert_eq!(reason("03"), "划片内：户籍在片区、无房产（第3顺位）");
    for id in ["01", "02", "03"] {
        assert_eq!(school_of(&r, id), Some("A"));
        assert_eq!(r.placement(id).map(|p| p.kind), Some(PlacementKind::Zone));
    }
    assert_eq!(
        reason("04"),
        "划片学校A已满（第4顺位），就近安排至B（距离1.2公里）"
    );
    assert_eq!(
        reason("05"),
        "划片学校A已满（第5顺位），就近安排至B（距离1.2公里）"
    );
    assert_eq!(
        reason("06"),
        "划片学校A已满（第6顺位），就近安排至B（距离1.2公里）"
    );
    for id in ["04", "05", "06"] {
        let p = r.placement(id).expect("placed");
        assert_eq!(p.school_code.as_deref(), Some("B"));
        assert_eq!(p.kind, PlacementKind::Overflow);
        assert_eq!(p.zone_school.as_deref(), Some("A"));
        assert_eq!(p.distance_m, Some(1200));
    }
    // Placements come back in input order, one per applicant.
    let ids: Vec<&str> = r
        .placements
        .iter()
        .map(|p| p.applicant_id.as_str())
        .collect();
    assert_eq!(ids, vec!["06", "05", "04", "03", "02", "01"]);
    assert!(r.unplaced.is_empty());
    assert!(r.warnings.is_empty());
}

#[test]
fn other_reasons_name_the_condition() {
    let applicants = vec![
        with(applicant("1", "c1"), |a| a.owns_property = true),
        with(applicant("2", "c1"), |a| {
            a.priority = vec![
                PriorityCategory::RuralTeacherChild,
                PriorityCategory::ServicemanChild,
            ]
        }),
        with(applicant("3", "c1"), |a| {
            a.priority = vec![PriorityCategory::MigrantWorkerChild]
        }),
        applicant("4", "c1"),
    ];
    let r = allocate(&input(
        vec![zone("A", &["c1"])],
        vec![plan("A", 1, 45)],
        Distances::new(),
        applicants,
    ));
    let reason = |id: &str| {
        r.placement(id)
            .map(|p| p.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason("1"), "划片内：房产在片区、无户籍（第3顺位）");
    assert_eq!(
        reason("2"),
        "划片内：政策优先（军人子女、乡村教师子女）（第4顺位）"
    );
    assert_eq!(reason("3"), "划片内：随迁子女（第5顺位）");
    assert_eq!(reason("4"), "划片内：片区内居住（第6顺位）");
}

#[test]
fn ties_go_to_the_nearer_community_then_the_lower_id_whatever_the_input_order() {
    let applicants = vec![
        applicant("9", "near"),
        applicant("5", "far"),
        applicant("7", "near"),
        applicant("3", "nodist"),
    ];
    let base = input(
        vec![zone("A", &["near", "far", "nodist"])],
        vec![plan("A", 1, 2), plan("B", 1, 45)],
        distances(&[
            ("near", "A", 400),
            ("far", "A", 900),
            ("near", "B", 5000),
            ("far", "B", 3000),
        ]),
        applicants,
    );
    let r = allocate(&base);
    assert_eq!(school_of(&r, "7"), Some("A"));
    assert_eq!(school_of(&r, "9"), Some("A"));
    assert_eq!(school_of(&r, "5"), Some("B"));
    // Unknown distance counts as farthest; and with no distance anywhere, no overflow.
    let p = r.placement("3").expect("listed");
    assert_eq!(p.school_code, None);
    assert_eq!(r.unplaced.len(), 1);
    assert_eq!(r.unplaced[0].reason, UnplacedReason::ZoneFullNoDistances);
    assert_eq!(
        r.unplaced[0].message,
        "划片学校A已满，缺少到其他学校的距离数据"
    );
    assert_eq!(p.reason, "未安排：划片学校A已满，缺少到其他学校的距离数据");

    let mut reversed = base.clone();
    reversed.applicants.reverse();
    let r2 = allocate(&reversed);
    for a in &base.applicants {
        assert_eq!(r.placement(&a.id), r2.placement(&a.id));
    }
}

#[test]
fn overflow_goes_to_the_nearest_school_with_room() {
    // A is full; B (nearest) is full with its own zone; D has no plan; C and E tie at
    // 3 km: C (lower code) takes the first, E the next once C is full.
    let mut applicants = vec![
        with(applicant("a1", "ca"), |a| a.hukou_in_zone = true),
        applicant("a2", "ca"),
        applicant("a3", "ca"),
        applicant("b1", "cb"),
    ];
    applicants.push(applicant("a4", "ca"));
    let r = allocate(&input(
        vec![zone("A", &["ca"]), zone("B", &["cb"])],
        vec![
            plan("A", 1, 1),
            plan("B", 1, 1),
            plan("C", 1, 1),
            plan("E", 1, 1),
            plan("D", 0, 45),
        ],
        distances(&[
            ("ca", "A", 100),
            ("ca", "B", 1000),
            ("ca", "D", 500),
            ("ca", "C", 3000),
            ("ca", "E", 3000),
        ]),
        applicants,
    ));
    assert_eq!(school_of(&r, "a1"), Some("A"));
    assert_eq!(
        school_of(&r, "b1"),
        Some("B"),
        "B's zone applicant is never displaced by overflow"
    );
    assert_eq!(school_of(&r, "a2"), Some("C"));
    assert_eq!(school_of(&r, "a3"), Some("E"));
    let u = &r.unplaced[0];
    assert_eq!(u.applicant_id, "a4");
    assert_eq!(u.reason, UnplacedReason::ZoneFullNoRoomNearby);
    assert_eq!(u.message, "划片学校A已满，有距离数据的学校均无空余学位");
    assert_eq!(u.zone_school.as_deref(), Some("A"));
    assert_eq!(u.rank, PriorityRank::ResidentInZone);
}

#[test]
fn out_of_zone_applicants_come_after_zone_overflow() {
    // The out-of-zone applicant has both hukou and property flags and lives nearer to B,
    // but zone overflow from A goes first.
    let applicants = vec![
        with(applicant("x1", "cx"), |a| {
            a.hukou_in_zone = true;
            a.owns_property = true;
        }),
        applicant("a1", "ca"),
        applicant("a2", "ca"),
        applicant("x2", "nowhere"),
    ];
    let r = allocate(&input(
        vec![zone("A", &["ca"]), zone("B", &[])],
        vec![plan("A", 1, 1), plan("B", 1, 1)],
        distances(&[
            ("ca", "A", 100),
            ("ca", "B", 4000),
            ("cx", "B", 100),
            ("cx", "A", 200),
        ]),
        applicants,
    ));
    assert_eq!(school_of(&r, "a1"), Some("A"));
    assert_eq!(school_of(&r, "a2"), Some("B"));
    assert_eq!(school_of(&r, "x1"), None);
    let reasons: BTreeMap<&str, (UnplacedReason, &str)> = r
        .unplaced
        .iter()
        .map(|u| (u.applicant_id.as_str(), (u.reason, u.message.as_str())))
        .collect();
    assert_eq!(
        reasons.get("x1"),
        Some(&(
            UnplacedReason::NotZonedNoRoomNearby,
            "所在社区不在本年级任何学区，有距离数据的学校均无空余学位"
        ))
    );
    assert_eq!(
        reasons.get("x2"),
        Some(&(
            UnplacedReason::NotZonedNoDistances,
            "所在社区不在本年级任何学区，且无距离数据"
        ))
    );
    assert_eq!(
        r.placement("x1").map(|p| p.rank),
        Some(PriorityRank::OutOfZone)
    );

    // With room, an out-of-zone applicant is placed by distance, with the reason.
    let r = allocate(&input(
        vec![zone("A", &["ca"])],
        vec![plan("A", 1, 45), plan("B", 1, 45)],
        distances(&[("cx", "A", 2600), ("cx", "B", 900)]),
        vec![applicant("x", "cx")],
    ));
    let p = r.placement("x").expect("placed");
    assert_eq!(p.school_code.as_deref(), Some("B"));
    assert_eq!(p.kind, PlacementKind::Overflow);
    assert_eq!(
        p.reason,
        "所在社区cx不在本年级任何学区，就近安排至B（距离900米）"
    );
}

#[test]
fn duplicates_conflicts_and_missing_plans_are_reported() {
    let applicants = vec![
        applicant("1", "c1"),
        applicant("1", "c1"),
        applicant("2", "c2"),
    ];
    let r = allocate(&input(
        vec![zone("A", &["c1"]), zone("B", &["c1"]), zone("Z", &["c2"])],
        vec![plan("A", 1, 45), plan("B", 1, 45), plan("A", 9, 45)],
        distances(&[("c1", "A", 900), ("c1", "B", 300), ("c2", "A", 1500)]),
        applicants,
    ));
    assert_eq!(
        r.warnings,
        vec![
            "学校A的一年级招生计划重复，以第一条为准".to_string(),
            "学校Z划有一年级学区但无招生计划，片区内申请人将就近统筹安排".to_string(),
            "社区c1同时划入A、B的一年级学区，按距离归入B".to_string(),
        ]
    );
    assert_eq!(r.placements.len(), 3);
    assert_eq!(r.placements[0].school_code.as_deref(), Some("B"));
    assert_eq!(r.placements[1].school_code, None);
    assert_eq!(r.unplaced[0].reason, UnplacedReason::DuplicateApplication);
    assert_eq!(
        r.placements[1].reason,
        "未安排：身份证件号重复，以首次出现的申请为准"
    );
    assert_eq!(
        r.placements[2].reason,
        "划片学校Z无一年级招生计划（第6顺位），就近安排至A（距离1.5公里）"
    );
    let z = r.school("Z").expect("zone school listed");
    assert_eq!((z.capacity, z.zone_applicants, z.placed), (0, 1, 0));
    assert_eq!(r.school("A").map(|s| s.capacity), Some(45));
    let codes: Vec<&str> = r.schools.iter().map(|s| s.school_code.as_str()).collect();
    assert_eq!(codes, vec!["A", "B", "Z"]);

    // Without distances, a zone school without a plan says so.
    let r = allocate(&input(
        vec![zone("Z", &["c2"])],
        vec![],
        Distances::new(),
        vec![applicant("2", "c2")],
    ));
    assert_eq!(
        r.unplaced[0].message,
        "划片学校Z无招生计划，缺少到其他学校的距离数据"
    );
}

#[test]
fn other_grades_are_ignored() {
    let mut zones = vec![zone("A", &["c1"])];
    zones.push(Zone {
        school_code: "M".into(),
        grade: Grade::G7,
        communities: vec!["c1".into()],
    });
    let mut caps = vec![plan("A", 1, 45)];
    caps.push(SchoolCapacity {
        school_code: "M".into(),
        grade: Grade::G7,
        classes: 4,
        class_size: 50,
    });
    let r = allocate(&input(
        zones,
        caps,
        Distances::new(),
        vec![applicant("1", "c1")],
    ));
    assert_eq!(school_of(&r, "1"), Some("A"));
    assert_eq!(r.schools.len(), 1);
    assert!(r.warnings.is_empty());
}

#[test]
fn school_totals_give_classes_needed_and_average_size() {
    let applicants: Vec<Applicant> = (0..100)
        .map(|i| applicant(&format!("{i:03}"), "c1"))
        .collect();
    let r = allocate(&input(
        vec![zone("A", &["c1"])],
        vec![plan("A", 3, 45), plan("B", 2, 45)],
        Distances::new(),
        applicants,
    ));
    let a = r.school("A").expect("A");
    assert_eq!(a.capacity, 135);
    assert_eq!(a.placed, 100);
    assert_eq!(a.placed_zone, 100);
    assert_eq!(a.free_places, 35);
    assert_eq!(a.classes_needed, 3);
    assert!((a.average_class_size - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(a.largest_class, 34);
    let b = r.school("B").expect("B");
    assert_eq!(
        (
            b.placed,
            b.classes_needed,
            b.average_class_size,
            b.largest_class
        ),
        (0, 0, 0.0, 0)
    );
    assert_eq!(r.placed_count(), 100);
    assert_eq!(
        SchoolCapacity {
            school_code: "X".into(),
            grade: Grade::G7,
            classes: 8,
            class_size: 50
        }
        .capacity(),
        400
    );
}

// ---------------------------------------------------------------- what-if

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

// ---------------------------------------------------------------- balanced classes

fn students(n: usize, seed: u64, scored: bool) -> Vec<BalanceStudent> {
    let mut rng = rng::SplitMix64::new(seed);
    (0..n)
        .map(|i| BalanceStudent {
            id: format!("S{i:04}"),
            sex: if rng.chance(52) {
                Sex::Male
            } else {
                Sex::Female
            },
            score: scored.then(|| rng.below(1001) as f64 / 10.0),
        })
        .collect()
}

fn spread(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    let max = v.iter().copied().fold(f64::MIN, f64::max);
    let min = v.iter().copied().fold(f64::MAX, f64::min);
    max - min
}

#[test]
fn balanced_classes_are_minimal_balanced_and_reproducible() {
    let list = students(203, 1, true);
    let classes = form_classes(&list, 45, 42);
    assert_eq!(classes.len(), 5);
    let summary = summarize_classes(&list, &classes);
    let sizes: Vec<u32> = summary.iter().map(|s| s.size).collect();
    assert!(sizes.iter().all(|s| *s == 40 || *s == 41), "{sizes:?}");
    assert!(spread(summary.iter().map(|s| f64::from(s.male))) <= 1.0);
    assert!(spread(summary.iter().map(|s| f64::from(s.female))) <= 1.0);
    // Snake dealing keeps the means within a couple of points on a 0–100 scale.
    let means = spread(summary.iter().filter_map(|s| s.mean_score));
    assert!(means < 2.5, "class means spread {means}");
    assert_eq!(form_classes(&list, 45, 42), classes);
    assert_ne!(form_classes(&list, 45, 43), classes);
    let unscored = students(203, 1, false);
    assert_ne!(
        form_classes(&unscored, 45, 1),
        form_classes(&unscored, 45, 2)
    );
    assert!(form_classes(&[], 45, 1).is_empty());
    assert_eq!(form_classes(&list[..3], 0, 1).len(), 3);
}

#[test]
fn students_with_a_score_are_dealt_before_those_without() {
    let list: Vec<BalanceStudent> = (0..4)
        .map(|i| BalanceStudent {
            id: format!("{i}"),
            sex: Sex::Female,
            score: match i {
                0 => Some(90.0),
                1 => Some(f64::NAN),
                2 => None,
                _ => Some(60.0),
            },
        })
        .collect();
    let classes = form_classes(&list, 2, 7);
    // 90 and 60 are dealt first, one to each class.
    for class in &classes {
        assert_eq!(
            class.iter().filter(|id| *id == "0" || *id == "3").count(),
            1
        );
    }
    let summary = summarize_classes(&list, &classes);
    assert_eq!(summary.iter().map(|s| s.female).sum::<u32>(), 4);
}

// ---------------------------------------------------------------- synthetic input and scale

#[test]
fn synthetic_input_is_deterministic_and_valid() {
    let a = synthetic_input(2000, 10, 200, 7);
    assert_eq!(a, synthetic_input(2000, 10, 200, 7));
    assert_ne!(a.applicants, synthetic_input(2000, 10, 200, 8).applicants);
    assert_eq!(a.applicants.len(), 2000);
    assert_eq!(a.capacities.len(), 10);
    assert_eq!(a.distances.len(), 2000);
    let ids: HashSet<&str> = a.applicants.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids.len(), 2000);
    for x in &a.applicants {
        let id = IdNumber::parse(&x.id).expect("valid ID number");
        assert_eq!(id.sex(), x.sex);
    }
    let r = allocate(&a);
    assert!(r.placed_count() > 1500);
    assert!(r
        .placements
        .iter()
        .any(|p| p.kind == PlacementKind::Overflow));
    assert!(synthetic_input(0, 0, 0, 1).applicants.is_empty());
    assert_eq!(synthetic_input(5, 0, 0, 1).applicants.len(), 5);
}

#[test]
fn scale_20000_applicants_60_schools_2000_communities() {
    let input = synthetic_input(20_000, 60, 2_000, 2021);
    let started = std::time::Instant::now();
    let r = allocate(&input);
    let elapsed = started.elapsed();
    assert_eq!(r.placements.len(), 20_000);
    assert_eq!(r.schools.len(), 60);
    assert_eq!(r.placed_count() + r.unplaced.len(), 20_000);
    assert!(r.schools.iter().all(|s| s.placed <= s.capacity));
    eprintln!(
        "allocate 20,000 / 60 / 2,000: {elapsed:?}, placed {}",
        r.placed_count()
    );
}

// ---------------------------------------------------------------- properties

/// Random inputs: up to 8 schools (some without a plan), 30 communities (some in two
/// zones, some in none), 300 applicants (some from unknown communities), distances in
/// steps of 100 m so that ties happen, small classes so that schools fill.
fn arb_input() -> impl Strategy<Value = AllocationInput> {
    (1usize..=8, 1usize..=30)
        .prop_flat_map(|(ns, nc)| {
            let plans =
                prop::collection::vec(prop::option::weighted(0.9, (0u32..=4, 1u32..=12)), ns);
            let zoning = prop::collection::vec(
                (
                    prop::option::weighted(0.85, 0..ns),
                    prop::option::weighted(0.1, 0..ns),
                ),
                nc,
            );
            let dist = prop::collection::vec(
                prop::collection::vec(
                    prop::option::weighted(0.8, (0u32..40).prop_map(|x| x * 100)),
                    ns,
                ),
                nc,
            );
            let people = prop::collection::vec(
                (
                    0..=nc,
                    any::<bool>(),
                    any::<bool>(),
                    prop::option::weighted(0.2, 0..ns),
                    prop::collection::vec(0usize..4, 0..3),
                    any::<bool>(),
                    0u16..1000,
                ),
                0..=300,
            );
            (Just(ns), Just(nc), plans, zoning, dist, people)
        })
        .prop_map(|(ns, nc, plans, zoning, dist, people)| {
            let school = |s: usize| format!("S{s}");
            let community = |c: usize| format!("C{c:02}");
            let capacities = plans
                .iter()
                .enumerate()
                .filter_map(|(s, p)| p.map(|(classes, size)| plan(&school(s), classes, size)))
                .collect();
            let mut zones: Vec<Zone> = (0..ns).map(|s| zone(&school(s), &[])).collect();
            for (c, (first, second)) in zoning.iter().enumerate() {
                for s in first.iter().chain(second.iter()) {
                    zones[*s].communities.push(community(c));
                }
            }
            let mut distances = Distances::new();
            for (c, row) in dist.iter().enumerate() {
                for (s, d) in row.iter().enumerate() {
                    if let Some(d) = d {
                        distances.insert(&community(c), &school(s), *d);
                    }
                }
            }
            let mut applicants: Vec<Applicant> = people
                .iter()
                .enumerate()
                .map(
                    |(i, (c, hukou, property, sibling, prio, male, tag))| Applicant {
                        id: format!("{tag:03}-{i:03}"),
                        name: String::new(),
                        sex: if *male { Sex::Male } else { Sex::Female },
                        community: if *c == nc {
                            "unknown".into()
                        } else {
                            community(*c)
                        },
                        hukou_in_zone: *hukou,
                        owns_property: *property,
                        sibling_at_school: sibling.map(school),
                        priority: prio.iter().map(|p| PriorityCategory::ALL[*p]).collect(),
                        score: None,
                    },
                )
                .collect();
            // About 1.5 % repeat the previous ID number.
            for i in 1..applicants.len() {
                if people[i].6 < 15 {
                    applicants[i].id = applicants[i - 1].id.clone();
                }
            }
            AllocationInput {
                grade: Grade::G1,
                communities: Vec::new(),
                zones,
                capacities,
                distances,
                applicants,
            }
        })
}

/// The model's own view of an input: capacity per offering school, and each community's
/// zone school by the documented rule (nearest claiming zone, then lowest code).
struct Model {
    capacity: BTreeMap<String, u32>,
    zone_of: HashMap<String, String>,
}

fn model(input: &AllocationInput) -> Model {
    let mut capacity = BTreeMap::new();
    for c in &input.capacities {
        capacity
            .entry(c.school_code.clone())
            .or_insert(c.capacity());
    }
    let mut claims: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for z in &input.zones {
        for c in &z.communities {
            claims.entry(c).or_default().push(&z.school_code);
        }
    }
    let zone_of = claims
        .into_iter()
        .filter_map(|(c, schools)| {
            let best = schools
                .into_iter()
                .min_by_key(|s| (input.distances.get(c, s).unwrap_or(u32::MAX), *s))?;
            Some((c.to_string(), best.to_string()))
        })
        .collect();
    Model { capacity, zone_of }
}

/// (0 zone / 1 out of zone, rank, distance, ID number): the documented overflow order.
type ReplayKey<'a> = (u8, PriorityRank, u32, &'a str);

fn dist_or_max(input: &AllocationInput, community: &str, school: &str) -> u32 {
    input.distances.get(community, school).unwrap_or(u32::MAX)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn capacity_and_exactly_once(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        prop_assert_eq!(r.placements.len(), input.applicants.len());
        let mut count: BTreeMap<&str, u32> = BTreeMap::new();
        let mut seen = HashSet::new();
        let mut not_placed: Vec<&str> = Vec::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            prop_assert_eq!(&p.applicant_id, &a.id);
            prop_assert!(!p.reason.is_empty());
            let repeated = !seen.insert(a.id.as_str());
            match &p.school_code {
                Some(s) => {
                    prop_assert!(!repeated);
                    prop_assert!(p.kind != PlacementKind::Unplaced);
                    *count.entry(s).or_default() += 1;
                }
                None => {
                    prop_assert_eq!(p.kind, PlacementKind::Unplaced);
                    not_placed.push(&a.id);
                }
            }
        }
        // The unplaced list is exactly the applicants without a school, in input order.
        let listed: Vec<&str> = r.unplaced.iter().map(|u| u.applicant_id.as_str()).collect();
        prop_assert_eq!(listed, not_placed);
        prop_assert_eq!(r.placed_count() + r.unplaced.len(), input.applicants.len());
        for s in &r.schools {
            let placed = count.get(s.school_code.as_str()).copied().unwrap_or(0);
            prop_assert_eq!(s.placed, placed);
            prop_assert_eq!(s.placed, s.placed_zone + s.placed_overflow);
            prop_assert!(s.placed <= s.capacity);
            prop_assert_eq!(s.capacity, m.capacity.get(&s.school_code).copied().unwrap_or(0));
            prop_assert!(s.classes_needed <= s.classes_planned);
            prop_assert!(s.largest_class <= s.class_size);
        }
    }

    #[test]
    fn nobody_is_displaced_by_a_lower_priority(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        let mut first = HashSet::new();
        // Per zone school: the worst (rank, distance, id) admitted by zone.
        let mut worst: HashMap<&str, (PriorityRank, u32, &str)> = HashMap::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if p.kind == PlacementKind::Zone {
                let s = p.school_code.as_deref().unwrap_or_default();
                prop_assert_eq!(m.zone_of.get(&a.community).map(String::as_str), Some(s));
                let key = (p.rank, dist_or_max(&input, &a.community, s), a.id.as_str());
                let w = worst.entry(s).or_insert(key);
                if key > *w { *w = key; }
            }
        }
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if !first.insert(a.id.as_str()) { continue; }
            let Some(z) = m.zone_of.get(&a.community) else {
                prop_assert_eq!(p.rank, PriorityRank::OutOfZone);
                prop_assert!(p.kind != PlacementKind::Zone);
                continue;
            };
            prop_assert_eq!(p.rank, PriorityRank::of(a, Some(z)));
            prop_assert_eq!(p.zone_school.as_ref(), Some(z));
            if let Some(w) = worst.get(z.as_str()) {
                let key = (p.rank, dist_or_max(&input, &a.community, z), a.id.as_str());
                if key < *w || p.rank < w.0 {
                    prop_assert_eq!(p.school_code.as_ref(), Some(z), "{} displaced at {}", a.id, z);
                }
            }
            if p.kind != PlacementKind::Zone {
                // Not admitted at the zone school: it was full with zone applicants.
                let cap = m.capacity.get(z).copied().unwrap_or(0);
                let zs = r.school(z).map_or(0, |s| s.placed_zone);
                prop_assert_eq!(zs, cap);
            }
        }
        // Overflow reaches a school only after all its zone applicants are in.
        for s in &r.schools {
            if s.placed_overflow > 0 {
                prop_assert_eq!(s.placed_zone, s.zone_applicants);
            }
        }
    }

    #[test]
    fn prop_overflow_goes_to_the_nearest_school_with_room(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        let full: HashSet<&str> = r
            .schools
            .iter()
            .filter(|s| s.placed >= s.capacity)
            .map(|s| s.school_code.as_str())
            .collect();
        let offering: Vec<(&str, u32)> = m
            .capacity
            .iter()
            .filter(|(_, c)| **c > 0)
            .map(|(s, c)| (s.as_str(), *c))
            .collect();
        // End-state check: every school nearer than the one chosen is full.
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if p.kind != PlacementKind::Overflow { continue; }
            let t = p.school_code.as_deref().unwrap_or_default();
            let d = input.distances.get(&a.community, t);
            prop_assert_eq!(p.distance_m, d);
            let d = d.unwrap_or(u32::MAX);
            for (s, _) in &offering {
                if let Some(ds) = input.distances.get(&a.community, s) {
                    if (ds, *s) < (d, t) {
                        prop_assert!(
                            full.contains(s),
                            "{} sent to {} but {} nearer has room", a.id, t, s
                        );
                    }
                }
            }
        }
        // Replay in the documented order: zone overflow by (rank, distance, id), then out of
        // zone by (nearest distance, id); each takes the nearest school with room then.
        let mut room: BTreeMap<&str, u32> = offering.iter().map(|(s, c)| (*s, *c)).collect();
        for s in &r.schools {
            if let Some(x) = room.get_mut(s.school_code.as_str()) { *x -= s.placed_zone; }
        }
        let mut seen = HashSet::new();
        let mut queue: Vec<(ReplayKey<'_>, usize)> = Vec::new();
        for (i, (p, a)) in r.placements.iter().zip(&input.applicants).enumerate() {
            if !seen.insert(a.id.as_str()) || p.kind == PlacementKind::Zone { continue; }
            let key = match m.zone_of.get(&a.community) {
                Some(z) => (0, p.rank, dist_or_max(&input, &a.community, z), a.id.as_str()),
                None => {
                    let nearest = offering
                        .iter()
                        .filter_map(|(s, _)| input.distances.get(&a.community, s))
                        .min()
                        .unwrap_or(u32::MAX);
                    (1, p.rank, nearest, a.id.as_str())
                }
            };
            queue.push((key, i));
        }
        queue.sort();
        for (_, i) in queue {
            let a = &input.applicants[i];
            let choice = room
                .iter()
                .filter(|(_, left)| **left > 0)
                .filter_map(|(s, _)| Some((input.distances.get(&a.community, s)?, *s)))
                .min();
            prop_assert_eq!(
                r.placements[i].school_code.as_deref(),
                choice.map(|(_, s)| s),
                "replay of {}", a.id
            );
            if let Some((_, s)) = choice {
                if let Some(x) = room.get_mut(s) { *x -= 1; }
            }
        }
        // Within a community, a higher rank is never sent farther, nor left out while a
        // lower rank gets an overflow place.
        let mut first = HashSet::new();
        let mut by_community: BTreeMap<&str, Vec<(PriorityRank, Option<u32>)>> = BTreeMap::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if !first.insert(a.id.as_str()) {
                continue;
            }
            if p.kind != PlacementKind::Zone {
                by_community.entry(&a.community).or_default().push((p.rank, p.distance_m));
            }
        }
        for list in by_community.values() {
            for x in list {
                for y in list {
                    if x.0 < y.0 {
                        if let Some(dy) = y.1 {
                            prop_assert!(x.1.is_some_and(|dx| dx <= dy));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn allocation_is_deterministic_and_order_free(input in arb_input(), rotate in 0usize..300) {
        let r = allocate(&input);
        prop_assert_eq!(&r, &allocate(&input));
        let mut other = input.clone();
        other.applicants.reverse();
        if !other.applicants.is_empty() {
            let k = rotate % other.applicants.len();
            other.applicants.rotate_left(k);
        }
        let mut zones = other.zones.clone();
        zones.reverse();
        other.zones = zones;
        let r2 = allocate(&other);
        // Order-free when ID numbers are unique (of repeated ones, the first in input order
        // is the application that counts).
        let ids: HashSet<&str> = input.applicants.iter().map(|a| a.id.as_str()).collect();
        if ids.len() == input.applicants.len() {
            prop_assert_eq!(&r.schools, &r2.schools);
            prop_assert_eq!(&r.warnings, &r2.warnings);
            for p in &r.placements {
                prop_assert_eq!(Some(p), r2.placement(&p.applicant_id));
            }
        }
    }

    #[test]
    fn applying_an_empty_scenario_changes_nothing(input in arb_input()) {
        let same = apply(&input, &Scenario { name: "无变化".into(), changes: Vec::new() });
        prop_assert_eq!(&same, &input);
        let r = allocate(&input);
        let c = compare(&r, &allocate(&same));
        prop_assert!(c.changed.is_empty() && c.schools.is_empty());
    }

    #[test]
    fn balanced_class_invariants(
        people in prop::collection::vec((any::<bool>(), prop::option::of(0.0f64..100.0)), 0..250),
        class_size in 1u32..=60,
        seed in any::<u64>(),
    ) {
        let list: Vec<BalanceStudent> = people
            .iter()
            .enumerate()
            .map(|(i, (male, score))| BalanceStudent {
                id: format!("{i:03}"),
                sex: if *male { Sex::Male } else { Sex::Female },
                score: *score,
            })
            .collect();
        let classes = form_classes(&list, class_size, seed);
        prop_assert_eq!(classes.len(), list.len().div_ceil(class_size as usize));
        let mut all: Vec<&String> = classes.iter().flatten().collect();
        all.sort();
        let expected: Vec<&String> = list.iter().map(|s| &s.id).collect();
        prop_assert_eq!(all, expected);
        let summary = summarize_classes(&list, &classes);
        for s in &summary {
            prop_assert!(s.size <= class_size);
            prop_assert!(s.size > 0);
        }
        if !summary.is_empty() {
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.size))) <= 1.0);
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.male))) <= 1.0);
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.female))) <= 1.0);
        }
        prop_assert_eq!(form_classes(&list, class_size, seed), classes);
    }
}
