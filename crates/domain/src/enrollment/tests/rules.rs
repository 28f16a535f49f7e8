//! Allocation rules: zone admission in priority order with reasons, ties, overflow,
//! out-of-zone applicants, reported problems and school totals.

use super::*;

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
