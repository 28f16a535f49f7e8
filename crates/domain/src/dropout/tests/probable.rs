//! Probable matches (same name, birth and sex; a transposition; a wrong check character)
//! and the poverty list.

use super::*;

#[test]
fn same_name_birth_and_sex_is_probable() {
    let b = d(2013, 3, 3);
    let population = [person(&id_for(b, 31), "舒雨涵", Sex::Female, b)];
    let roll = [
        student(
            &id_for(b, 402),
            "舒雨涵",
            Sex::Female,
            b,
            StudentStatus::Enrolled,
        ),
        // differ in sex, birth date or name: not offered
        student(
            &id_for(b, 403),
            "舒雨涵",
            Sex::Male,
            b,
            StudentStatus::Enrolled,
        ),
        student(
            &id_for(d(2013, 3, 4), 404),
            "舒雨涵",
            Sex::Female,
            d(2013, 3, 4),
            StudentStatus::Enrolled,
        ),
        student(
            &id_for(b, 406),
            "舒雨菡",
            Sex::Female,
            b,
            StudentStatus::Enrolled,
        ),
    ];
    let result = run(&population, &roll);
    assert_eq!(finding_of(&result, 0), Some(Finding::Probable));
    let child = &result.suspected[0];
    assert_eq!(
        child.candidates,
        vec![Candidate {
            student: 0,
            same_name_birth_sex: true,
            id_difference: None
        }]
    );
    assert_eq!(child.candidates[0].reason(), "姓名、出生日期、性别相同");
    assert_eq!(result.counts.suspected, 1);
    assert_eq!(result.counts.probable, 1);
}

#[test]
fn names_compare_trimmed() {
    let b = d(2013, 3, 3);
    let population = [person(&id_for(b, 31), " 舒雨涵", Sex::Female, b)];
    let roll = [student(
        &id_for(b, 402),
        "舒雨涵 ",
        Sex::Female,
        b,
        StudentStatus::Enrolled,
    )];
    assert_eq!(
        finding_of(&run(&population, &roll), 0),
        Some(Finding::Probable)
    );
}

#[test]
fn a_transposed_pair_of_digits_is_probable_with_its_position() {
    let b = d(2012, 7, 19);
    let right = id_for(b, 57);
    // positions 15 and 16 (1-based) hold "05"
    let typo = swap_adjacent(&right, 14);
    assert_ne!(typo, right);
    let population = [person(&typo, "滕子轩", Sex::Male, b)];
    let roll = [student(
        &right,
        "滕梓轩",
        Sex::Male,
        b,
        StudentStatus::Enrolled,
    )];
    let result = run(&population, &roll);
    assert_eq!(finding_of(&result, 0), Some(Finding::Probable));
    let candidate = result.suspected[0].candidates[0];
    assert_eq!(
        candidate.id_difference,
        Some(IdDifference::Transposed { position: 15 })
    );
    assert!(!candidate.same_name_birth_sex);
    assert_eq!(candidate.reason(), "身份证件号第15、16位颠倒");
}

#[test]
fn a_transposition_with_the_check_character_is_probable() {
    let b = d(2012, 7, 19);
    let right = (0..1000)
        .map(|s| id_for(b, s))
        .find(|id| {
            let c = id.as_bytes();
            c[17] != b'X' && c[16] != c[17]
        })
        .expect("some number");
    let typo = swap_adjacent(&right, 16);
    let population = [person(&typo, "甲", Sex::Female, b)];
    let roll = [student(
        &right,
        "乙",
        Sex::Female,
        b,
        StudentStatus::Enrolled,
    )];
    let result = run(&population, &roll);
    assert_eq!(
        result.suspected[0].candidates[0].id_difference,
        Some(IdDifference::Transposed { position: 17 })
    );
}

#[test]
fn a_wrong_check_character_is_probable_either_way_round() {
    let b = d(2009, 12, 1);
    let right = id_for(b, 88);
    let mut wrong = right.as_bytes().to_vec();
    let valid = check_character(&wrong[..17]) as u8;
    wrong[17] = if valid == b'7' { b'8' } else { b'7' };
    let wrong = String::from_utf8(wrong).expect("ascii");
    // the population's number is wrong
    let population = [person(&wrong, "谌博", Sex::Male, b)];
    let roll = [student(
        &right,
        "谌博",
        Sex::Male,
        b,
        StudentStatus::Enrolled,
    )];
    let result = run(&population, &roll);
    assert_eq!(
        result.suspected[0].candidates,
        vec![Candidate {
            student: 0,
            same_name_birth_sex: true,
            id_difference: Some(IdDifference::CheckCharacter)
        }]
    );
    assert_eq!(
        result.suspected[0].candidates[0].reason(),
        "姓名、出生日期、性别相同；身份证件号仅校验位（末位）不同"
    );
    // the roll's number is wrong
    let population = [person(&right, "谌博", Sex::Male, b)];
    let roll = [student(
        &wrong,
        "另一人",
        Sex::Female,
        b,
        StudentStatus::Enrolled,
    )];
    let result = run(&population, &roll);
    assert_eq!(
        result.suspected[0].candidates[0].id_difference,
        Some(IdDifference::CheckCharacter)
    );
}

#[test]
fn numbers_differing_in_other_ways_are_not_probable() {
    let b = d(2012, 7, 19);
    let right = id_for(b, 57);
    let mut two_apart = right.as_bytes().to_vec();
    two_apart.swap(10, 12);
    let two_apart = String::from_utf8(two_apart).expect("ascii");
    let other_digit = id_for(b, 59);
    let population = [
        person(&two_apart, "甲", Sex::Male, b),
        person(&other_digit, "乙", Sex::Male, b),
    ];
    let roll = [student(&right, "丙", Sex::Male, b, StudentStatus::Enrolled)];
    let result = run(&population, &roll);
    assert!(result.suspected.iter().all(|c| !c.is_probable()));
    assert_eq!(result.counts.suspected, 2);
    assert_eq!(result.counts.probable, 0);
}

#[test]
fn a_student_claimed_by_its_own_number_is_not_offered_to_someone_else() {
    let b = d(2011, 4, 4);
    let mine = id_for(b, 71);
    let population = [
        person(&mine, "王芳", Sex::Female, b),
        // another 王芳 born the same day, not on the roll
        person(&id_for(b, 72), "王芳", Sex::Female, b),
    ];
    let roll = [student(
        &mine,
        "王芳",
        Sex::Female,
        b,
        StudentStatus::Enrolled,
    )];
    let result = run(&population, &roll);
    assert!(matches!(
        finding_of(&result, 0),
        Some(Finding::Enrolled { .. })
    ));
    assert_eq!(finding_of(&result, 1), Some(Finding::Suspected));
    assert!(result.suspected[0].candidates.is_empty());
}

#[test]
fn a_duplicate_row_is_offered_once_as_the_row_standing_for_its_number() {
    let b = d(2011, 4, 4);
    let theirs = id_for(b, 73);
    let population = [person(&id_for(b, 74), "李静", Sex::Female, b)];
    let roll = [
        student(
            &theirs,
            "李静",
            Sex::Female,
            b,
            StudentStatus::TransferredOut,
        ),
        student(&theirs, "李静", Sex::Female, b, StudentStatus::Enrolled),
    ];
    let result = run(&population, &roll);
    let students: Vec<u32> = result.suspected[0]
        .candidates
        .iter()
        .map(|c| c.student)
        .collect();
    assert_eq!(students, vec![1]);
}

#[test]
fn poverty_list_marks_suspected_and_not_in_school_children() {
    let b = d(2010, 2, 2);
    let ids: Vec<String> = (0..4).map(|i| id_for(b, 200 + i)).collect();
    let population: Vec<_> = ids
        .iter()
        .map(|id| person(id, "某", Sex::Male, b))
        .collect();
    let roll = [
        student(&ids[0], "某", Sex::Male, b, StudentStatus::Enrolled),
        student(&ids[1], "某", Sex::Male, b, StudentStatus::TransferredOut),
    ];
    let mut result = run(&population, &roll);
    let poverty: HashSet<String> = [&ids[0], &ids[1], &ids[2]]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(compare_poverty(&mut result, &population, &poverty), 2);
    assert_eq!(result.counts.poverty_household, 2);
    let marked: Vec<(u32, bool)> = result
        .suspected
        .iter()
        .map(|c| (c.person, c.poverty_household))
        .collect();
    assert_eq!(marked, vec![(2, true), (3, false)]);
    assert!(result.not_in_school[0].poverty_household);
}
