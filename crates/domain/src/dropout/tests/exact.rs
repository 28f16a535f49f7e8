//! Exact matching by ID number and the roll statuses it carries.

use super::*;

#[test]
fn exact_id_match_carries_the_roll_status() {
    let b = d(2012, 5, 6);
    let ids: Vec<String> = (0..6).map(|i| id_for(b, 100 + i)).collect();
    let population: Vec<_> = ids
        .iter()
        .map(|id| person(id, "某某", Sex::Female, b))
        .collect();
    let statuses = [
        StudentStatus::Enrolled,
        StudentStatus::Suspended,
        StudentStatus::HomeTaught,
        StudentStatus::TransferredOut,
        StudentStatus::Graduated,
    ];
    // roll in another order than the population
    let roll: Vec<_> = statuses
        .iter()
        .enumerate()
        .rev()
        .map(|(i, &s)| student(&ids[i], "某某", Sex::Female, b, s))
        .collect();
    let result = run(&population, &roll);
    for (i, &status) in statuses.iter().enumerate() {
        match finding_of(&result, i as u32) {
            Some(Finding::Enrolled { student, status: s }) => {
                assert_eq!(s, status);
                assert_eq!(roll[student as usize].id_number, ids[i]);
            }
            other => panic!("person {i}: {other:?}"),
        }
    }
    assert_eq!(finding_of(&result, 5), Some(Finding::Suspected));
    assert_eq!(
        result.counts,
        MatchCounts {
            school_age: 6,
            in_school: 1,
            accounted: 2,
            not_in_school: 2,
            suspected: 1,
            probable: 0,
            poverty_household: 0,
        }
    );
    let not_in_school: Vec<(u32, StudentStatus)> = result
        .not_in_school
        .iter()
        .map(|n| (n.person, n.status))
        .collect();
    assert_eq!(
        not_in_school,
        vec![
            (3, StudentStatus::TransferredOut),
            (4, StudentStatus::Graduated)
        ]
    );
    assert_eq!(result.suspected.len(), 1);
    assert_eq!(result.suspected[0].person, 5);
    assert!(!result.suspected[0].is_probable());
    assert_eq!(Finding::Suspected.label(), "疑似辍学");
}

#[test]
fn a_number_on_the_roll_twice_counts_with_its_best_status() {
    let b = d(2010, 10, 10);
    let id = id_for(b, 21);
    let population = [person(&id, "向阳", Sex::Male, b)];
    let roll = [
        student(&id, "向阳", Sex::Male, b, StudentStatus::TransferredOut),
        student(&id, "向阳", Sex::Male, b, StudentStatus::Enrolled),
    ];
    let result = run(&population, &roll);
    assert_eq!(
        finding_of(&result, 0),
        Some(Finding::Enrolled {
            student: 1,
            status: StudentStatus::Enrolled
        })
    );
    assert!(result.not_in_school.is_empty());
}

#[test]
fn lower_case_x_matches_and_odd_numbers_match_as_text() {
    let b = d(2011, 1, 2);
    let id = (0..1000)
        .map(|s| id_for(b, s))
        .find(|id| id.ends_with('X'))
        .expect("some sequence ends in X");
    let population = [
        person(&id.to_lowercase(), "甲", Sex::Male, b),
        person("护照E12345678", "乙", Sex::Female, b),
        person("", "丙", Sex::Female, b),
    ];
    let roll = [
        student(&id, "甲", Sex::Male, b, StudentStatus::Enrolled),
        student(
            "护照E12345678",
            "乙",
            Sex::Female,
            b,
            StudentStatus::Enrolled,
        ),
    ];
    let result = run(&population, &roll);
    assert!(matches!(
        finding_of(&result, 0),
        Some(Finding::Enrolled { student: 0, .. })
    ));
    assert!(matches!(
        finding_of(&result, 1),
        Some(Finding::Enrolled { student: 1, .. })
    ));
    assert_eq!(finding_of(&result, 2), Some(Finding::Suspected));
}

#[test]
fn pack_id_round_trips_and_refuses_odd_text() {
    let id = "11010519491231002X";
    let key = pack_id(id).expect("packs");
    assert_eq!(key & 0xF, 10);
    assert_eq!(key >> 4, 11010519491231002);
    assert_eq!(pack_id("11010519491231002x"), Some(key));
    assert!(key < 1 << 61);
    assert_eq!(
        pack_id("99999999999999999X").map(|k| k < 1 << 61),
        Some(true)
    );
    for odd in [
        "",
        "1101051949123100",
        "1101051949123100X2",
        "11010519491231002Y",
        "1101051949123100２X",
    ] {
        assert_eq!(pack_id(odd), None, "{odd}");
    }
}
