use super::*;
use crate::identity::{check_character, IdNumber};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn as_of() -> NaiveDate {
    d(2021, 9, 1)
}

fn person(id: &str, name: &str, sex: Sex, birth: NaiveDate) -> PopulationPerson {
    PopulationPerson {
        id_number: id.to_string(),
        name: name.to_string(),
        sex,
        birth_date: birth,
        township: "卢峰镇".to_string(),
        village: None,
        guardian: None,
        phone: None,
    }
}

fn student(id: &str, name: &str, sex: Sex, birth: NaiveDate, status: StudentStatus) -> RollStudent {
    RollStudent {
        id_number: id.to_string(),
        name: name.to_string(),
        sex,
        birth_date: birth,
        school_code: "2143001234".to_string(),
        status,
    }
}

/// A valid ID number for a birth date.
fn id_for(birth: NaiveDate, seq: u16) -> String {
    IdNumber::compose("431224", birth, seq).as_str().to_string()
}

fn run(population: &[PopulationPerson], roll: &[RollStudent]) -> MatchResult {
    match_roll(population, roll, as_of(), &MatchSettings::default()).expect("settings are valid")
}

fn finding_of(result: &MatchResult, person: u32) -> Option<Finding> {
    result
        .school_age
        .iter()
        .find(|e| e.person == person)
        .map(|e| e.finding)
}

fn swap_adjacent(id: &str, i: usize) -> String {
    let mut bytes = id.as_bytes().to_vec();
    bytes.swap(i, i + 1);
    String::from_utf8(bytes).expect("ascii")
}

// ---- compulsory age ----

#[test]
fn compulsory_age_boundaries_on_the_cut_off_date() {
    let snapshot = d(2021, 3, 15);
    // 6 full years on 2021-08-31
    assert!(compulsory_age(d(2015, 8, 31), snapshot, (8, 31)));
    assert!(!compulsory_age(d(2015, 9, 1), snapshot, (8, 31)));
    // 15 full years on 2021-08-31, 16 the day before
    assert!(compulsory_age(d(2005, 9, 1), snapshot, (8, 31)));
    assert!(!compulsory_age(d(2005, 8, 31), snapshot, (8, 31)));
    // another cut-off date moves both ends
    assert!(!compulsory_age(d(2015, 8, 31), snapshot, (8, 30)));
    assert!(compulsory_age(d(2005, 8, 31), snapshot, (8, 30)));
    // the snapshot's year decides, not the snapshot's day
    assert!(compulsory_age(d(2015, 8, 31), d(2021, 12, 31), (8, 31)));
    assert!(!compulsory_age(d(2015, 8, 31), d(2020, 12, 31), (8, 31)));
    // a bad cut-off qualifies nobody
    assert!(!compulsory_age(d(2010, 1, 1), snapshot, (13, 1)));
    assert!(!compulsory_age(d(2010, 1, 1), snapshot, (8, 0)));
}

#[test]
fn a_29_february_cut_off_reads_as_the_28th_in_common_years() {
    let settings = MatchSettings {
        cutoff_month: 2,
        cutoff_day: 29,
        ..MatchSettings::default()
    };
    assert_eq!(settings.cutoff_date(d(2021, 5, 1)), Some(d(2021, 2, 28)));
    assert_eq!(settings.cutoff_date(d(2020, 5, 1)), Some(d(2020, 2, 29)));
}

#[test]
fn ages_are_settings() {
    let settings = MatchSettings {
        min_age: 7,
        max_age: 14,
        ..MatchSettings::default()
    };
    assert!(!settings.is_compulsory_age(d(2015, 1, 1), as_of()));
    assert!(settings.is_compulsory_age(d(2014, 8, 31), as_of()));
    assert!(settings.is_compulsory_age(d(2006, 9, 1), as_of()));
    assert!(!settings.is_compulsory_age(d(2006, 8, 31), as_of()));
}

#[test]
fn birth_range_agrees_with_full_years() {
    for (m, day) in [(8, 31), (2, 29), (1, 1), (12, 31), (9, 1)] {
        for year in [2020, 2021, 2024] {
            let settings = MatchSettings {
                cutoff_month: m,
                cutoff_day: day,
                ..MatchSettings::default()
            };
            let snapshot = d(year, 6, 1);
            let (lo, hi) = settings.birth_range(snapshot).expect("range");
            assert!(settings.is_compulsory_age(lo, snapshot));
            assert!(settings.is_compulsory_age(hi, snapshot));
            assert!(!settings.is_compulsory_age(lo.pred_opt().expect("day"), snapshot));
            assert!(!settings.is_compulsory_age(hi.succ_opt().expect("day"), snapshot));
        }
    }
    let upside_down = MatchSettings {
        min_age: 16,
        max_age: 6,
        ..MatchSettings::default()
    };
    assert_eq!(upside_down.birth_range(as_of()), None);
    assert!(matches!(
        match_roll::<[PopulationPerson], [RollStudent]>(&[], &[], as_of(), &upside_down),
        Err(MatchError::Settings { .. })
    ));
}

#[test]
fn persons_outside_compulsory_age_are_not_compared() {
    let young = d(2016, 1, 1);
    let old = d(2004, 1, 1);
    let population = [
        person(&id_for(young, 11), "甲", Sex::Male, young),
        person(&id_for(old, 12), "乙", Sex::Female, old),
    ];
    let result = run(&population, &[]);
    assert!(result.school_age.is_empty());
    assert!(result.suspected.is_empty());
    assert_eq!(result.counts, MatchCounts::default());
}

// ---- exact matching and statuses ----

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

// ---- probable matches ----

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

// ---- decisions on probable matches ----

/// Three children with a transposed number each; the roll holds the right numbers, the
/// second student 转出.
fn three_probable() -> (Vec<PopulationPerson>, Vec<RollStudent>) {
    let b = d(2011, 3, 4);
    let right: Vec<String> = (0..3).map(|i| id_for(b, 310 + i * 7)).collect();
    let population = right
        .iter()
        .enumerate()
        .map(|(i, id)| person(&swap_adjacent(id, 13), &format!("甲{i}"), Sex::Male, b))
        .collect();
    let statuses = [
        StudentStatus::Enrolled,
        StudentStatus::TransferredOut,
        StudentStatus::Enrolled,
    ];
    let roll = right
        .iter()
        .zip(statuses)
        .enumerate()
        .map(|(i, (id, status))| student(id, &format!("乙{i}"), Sex::Male, b, status))
        .collect();
    (population, roll)
}

#[test]
fn decisions_turn_probable_matches_into_found_or_suspected() {
    let (population, roll) = three_probable();
    let mut result = run(&population, &roll);
    assert_eq!(result.counts.probable, 3);
    // Children 0 and 1 confirmed, child 2 rejected; each about its own candidate only.
    let decided = |child: &str, student: &str| {
        let n = population.iter().position(|p| p.id_number == child)?;
        (roll[n].id_number == student).then_some(if n < 2 {
            MatchDecision::Confirmed
        } else {
            MatchDecision::Rejected
        })
    };
    assert_eq!(apply_decisions(&mut result, &population, &roll, decided), 3);
    assert_eq!(
        finding_of(&result, 0),
        Some(Finding::Enrolled {
            student: 0,
            status: StudentStatus::Enrolled
        })
    );
    assert_eq!(finding_of(&result, 2), Some(Finding::Suspected));
    let c = result.counts;
    assert_eq!((c.suspected, c.probable), (1, 0));
    assert_eq!((c.in_school, c.not_in_school), (1, 1));
    assert_eq!(result.not_in_school[0].person, 1);
    assert_eq!(result.suspected.len(), 1);
    assert!(!result.suspected[0].is_probable());
}

#[test]
fn decisions_about_other_pairs_leave_the_comparison_alone() {
    let (population, roll) = three_probable();
    let before = run(&population, &roll);
    let mut result = before.clone();
    // A decision about another student does not touch these candidates.
    let other = |_: &str, student: &str| {
        (student == "431224201103040000").then_some(MatchDecision::Rejected)
    };
    assert_eq!(apply_decisions(&mut result, &population, &roll, other), 0);
    assert_eq!(result, before);
}

// ---- synthetic data and scale ----

#[test]
fn synthetic_data_is_deterministic_and_valid() {
    let (p1, r1) = synthetic_population(3_000, 4_000, 9);
    let (p2, r2) = synthetic_population(3_000, 4_000, 9);
    assert_eq!(p1, p2);
    assert_eq!(r1, r2);
    assert_eq!(p1.len(), 4_000);
    assert_eq!(r1.len(), 3_000);
    let ids: HashSet<&str> = p1.iter().map(|p| p.id_number.as_str()).collect();
    assert_eq!(ids.len(), p1.len(), "population numbers are unique");
    for p in &p1 {
        let id = IdNumber::parse(&p.id_number).expect("valid number");
        assert_eq!(id.birth_date(), p.birth_date);
        assert_eq!(id.sex(), p.sex);
    }
    let (p3, _) = synthetic_population(3_000, 4_000, 10);
    assert_ne!(p1, p3);
}

fn check_county_result<P: PersonRows + ?Sized>(population: &P, result: &MatchResult) {
    let c = result.counts;
    let compulsory = (0..population.row_count())
        .filter(|&p| {
            MatchSettings::default().is_compulsory_age(population.birth_date(p), synthetic_as_of())
        })
        .count();
    assert_eq!(c.school_age, compulsory);
    assert_eq!(
        c.in_school + c.accounted + c.not_in_school + c.suspected,
        c.school_age
    );
    // about 1% not on the roll by number, 0.6% of them with a probable match
    let rate = c.suspected as f64 / c.school_age as f64;
    assert!((0.006..0.014).contains(&rate), "suspected rate {rate}");
    let probable = c.probable as f64 / c.school_age as f64;
    assert!(
        (0.004..0.008).contains(&probable),
        "probable rate {probable}"
    );
}

/// County size: 200,000 population rows against 150,000 students.
#[test]
fn county_size_smoke() {
    let started = Instant::now();
    let (population, roll) = synthetic_population(150_000, 200_000, 2021);
    let generated = started.elapsed();
    let started = Instant::now();
    let result = run(&population, &roll);
    let matched = started.elapsed();
    eprintln!(
        "county size: generated in {generated:?}, matched in {matched:?}: {:?}",
        result.counts
    );
    check_county_result(&population, &result);
}

/// The columnar tables give the same ledgers as the row slices, row for row, including an
/// ID number that does not pack and a name with stray spaces.
#[test]
fn compact_rows_match_like_row_slices() {
    let (mut population, mut roll) = synthetic_population(20_000, 30_000, 5);
    let born = d(2012, 5, 1);
    population.push(person("43122420120501001", "舒  明", Sex::Male, born));
    roll.push(student(
        "43122420120501001",
        " 舒  明 ",
        Sex::Male,
        born,
        StudentStatus::Suspended,
    ));
    population.push(person("431224201205010x2", "向芳", Sex::Female, born));
    let mut compact_population = CompactRows::with_capacity(population.len());
    for p in &population {
        let status = StudentStatus::Enrolled;
        compact_population.push(&p.id_number, &p.name, p.sex, p.birth_date, status);
    }
    let mut compact_roll = CompactRows::default();
    for s in &roll {
        compact_roll.push(&s.id_number, &s.name, s.sex, s.birth_date, s.status);
    }
    assert_eq!(compact_population.len(), population.len());
    // names repeat: each distinct name is stored once
    assert!(compact_population.distinct_names() < population.len());
    let rows = run(&population, &roll);
    let columns = match_roll(
        &compact_population,
        &compact_roll,
        as_of(),
        &MatchSettings::default(),
    )
    .expect("settings are valid");
    assert_eq!(columns, rows);
    let odd = (population.len() - 2) as u32;
    assert!(matches!(
        finding_of(&columns, odd),
        Some(Finding::Enrolled {
            status: StudentStatus::Suspended,
            ..
        })
    ));
    for row in [0, 17, odd as usize] {
        assert_eq!(compact_population.id_number(row), population[row].id_number);
    }
    // and the generator's compact output is its row output
    let (generated_population, generated_roll) = synthetic_compact(2_000, 3_000, 5);
    let (rows_population, rows_roll) = synthetic_population(2_000, 3_000, 5);
    assert_eq!(
        match_roll(
            &generated_population,
            &generated_roll,
            as_of(),
            &MatchSettings::default()
        ),
        match_roll(
            &rows_population,
            &rows_roll,
            as_of(),
            &MatchSettings::default()
        )
    );
    for (row, student) in rows_roll.iter().enumerate() {
        assert_eq!(generated_roll.name(row), student.name);
        assert_eq!(generated_roll.status(row), student.status);
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU time of this process in clock ticks (1/100 s).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after ")"
    field(11) + field(12)
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Province size: 10,000,000 against 10,000,000. Run with
/// `cargo test --release -p emis-domain dropout -- --ignored --nocapture`.
#[test]
#[ignore]
fn province_size() {
    let started = Instant::now();
    let (population, roll) = synthetic_compact(10_000_000, 10_000_000, 2021);
    let generated = started.elapsed();
    let before = rss_kib().unwrap_or(0);
    let generation_peak = peak_rss_kib().unwrap_or(0);
    eprintln!(
        "province size: compact inputs {} MiB ({} + {} distinct names), peak while generating {} MiB",
        (population.heap_bytes() + roll.heap_bytes()) / (1 << 20),
        population.distinct_names(),
        roll.distinct_names(),
        generation_peak / 1024
    );
    // Resets the peak to the current size (Linux), so that the peak below is the matching's.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let mut timings = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        drop(last.take());
        let cpu = cpu_ticks();
        let started = Instant::now();
        let result = match_roll(&population, &roll, as_of(), &MatchSettings::default())
            .expect("settings are valid");
        timings.push((started.elapsed(), cpu_ticks().saturating_sub(cpu)));
        last = Some(result);
    }
    let peak = peak_rss_kib().unwrap_or(0);
    let result = last.expect("ran");
    eprintln!(
        "province size: generated in {generated:?}; matched in (wall, CPU ticks) {timings:?}; \
         input RSS {} MiB, peak RSS {} MiB (peak reset: {reset}; matching adds at most {} MiB); {:?}",
        before / 1024,
        peak / 1024,
        peak.saturating_sub(before) / 1024,
        result.counts
    );
    check_county_result(&population, &result);
}

// ---- properties ----

type NormalizedCandidate = (String, bool, Option<IdDifference>);

/// What a result says, in terms that do not depend on row order.
fn normalized(
    population: &[PopulationPerson],
    roll: &[RollStudent],
    result: &MatchResult,
) -> BTreeMap<String, (String, Vec<NormalizedCandidate>)> {
    let mut out = BTreeMap::new();
    for e in &result.school_age {
        let kind = match e.finding {
            Finding::Enrolled { status, .. } => format!("enrolled {}", status.label()),
            Finding::Probable => "probable".to_string(),
            Finding::Suspected => "suspected".to_string(),
        };
        out.insert(
            population[e.person as usize].id_number.clone(),
            (kind, Vec::new()),
        );
    }
    for child in &result.suspected {
        let mut candidates: Vec<_> = child
            .candidates
            .iter()
            .map(|c| {
                (
                    roll[c.student as usize].id_number.clone(),
                    c.same_name_birth_sex,
                    c.id_difference,
                )
            })
            .collect();
        candidates.sort();
        if let Some(entry) = out.get_mut(&population[child.person as usize].id_number) {
            entry.1 = candidates;
        }
    }
    out
}

fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

/// The plain reading of [`pack_id`], digit by digit.
fn pack_slowly(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b[..17]
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
    let check = match b[17] {
        c @ b'0'..=b'9' => c - b'0',
        b'X' | b'x' => 10,
        _ => return None,
    };
    Some(n << 4 | u64::from(check))
}

proptest! {
    #[test]
    fn pack_id_reads_like_the_plain_loop(
        id in "[0-9]{17}[0-9Xx]|[0-9:/ ]{16}[0-9Xx]{2}|[0-9]{0,20}|\\PC{0,19}",
    ) {
        prop_assert_eq!(pack_id(&id), pack_slowly(&id));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_compulsory_age_person_lands_in_exactly_one_ledger(
        seed in any::<u64>(), n_pop in 0usize..600, n_roll in 0usize..600,
    ) {
        let (population, roll) = synthetic_population(n_roll, n_pop, seed);
        let result = run(&population, &roll);
        let settings = MatchSettings::default();
        let expected: Vec<u32> = (0..population.len() as u32)
            .filter(|&i| settings.is_compulsory_age(population[i as usize].birth_date, as_of()))
            .collect();
        let listed: Vec<u32> = result.school_age.iter().map(|e| e.person).collect();
        prop_assert_eq!(&listed, &expected);
        let suspected: Vec<u32> = result.school_age.iter()
            .filter(|e| e.finding.is_suspected()).map(|e| e.person).collect();
        let ledger: Vec<u32> = result.suspected.iter().map(|c| c.person).collect();
        prop_assert_eq!(&suspected, &ledger);
        for (e, c) in result.school_age.iter().filter(|e| e.finding.is_suspected()).zip(&result.suspected) {
            prop_assert_eq!(e.finding == Finding::Probable, c.is_probable());
        }
        let c = result.counts;
        prop_assert_eq!(c.in_school + c.accounted + c.not_in_school + c.suspected, c.school_age);
        prop_assert_eq!(c.probable, result.suspected.iter().filter(|c| c.is_probable()).count());
        let not_in_school: Vec<u32> = result.school_age.iter()
            .filter(|e| matches!(e.finding, Finding::Enrolled { status, .. } if Placement::of(status) == Placement::NotInSchool))
            .map(|e| e.person).collect();
        prop_assert_eq!(not_in_school, result.not_in_school.iter().map(|n| n.person).collect::<Vec<_>>());
    }

    #[test]
    fn an_id_on_the_roll_is_never_suspected(seed in any::<u64>(), n in 1usize..500) {
        let (population, roll) = synthetic_population(n, n, seed);
        let on_roll: HashSet<&str> = roll.iter().map(|s| s.id_number.as_str()).collect();
        let result = run(&population, &roll);
        for child in &result.suspected {
            prop_assert!(!on_roll.contains(population[child.person as usize].id_number.as_str()));
        }
        for e in &result.school_age {
            if let Finding::Enrolled { student, .. } = e.finding {
                prop_assert_eq!(&roll[student as usize].id_number, &population[e.person as usize].id_number);
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_input_order(seed in any::<u64>(), n in 1usize..400, order in any::<u64>()) {
        let (population, roll) = synthetic_population(n * 3 / 4, n, seed);
        let first = normalized(&population, &roll, &run(&population, &roll));
        let population2 = shuffled(&population, order);
        let roll2 = shuffled(&roll, order.rotate_left(17));
        let second = normalized(&population2, &roll2, &run(&population2, &roll2));
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_transposed_roll_number_is_probable_not_missed(
        seed in any::<u64>(), n in 1usize..300, pick in any::<prop::sample::Index>(), pos in 0usize..17,
    ) {
        let (mut population, roll) = synthetic_population(n, n, seed);
        let j = pick.index(roll.len());
        let original = roll[j].id_number.clone();
        let bytes = original.as_bytes();
        let i = (0..17).map(|k| (pos + k) % 17)
            .find(|&i| bytes[i] != bytes[i + 1] && !(i == 16 && bytes[17] == b'X'));
        prop_assume!(i.is_some());
        let i = i.unwrap_or(0);
        let typo = swap_adjacent(&original, i);
        // Nobody holds the roll's number; a child of compulsory age holds the typo.
        population.retain(|p| p.id_number != original && p.id_number != typo);
        let birth = d(2012, 6, 1);
        population.push(person(&typo, "测试儿童", Sex::Male, birth));
        let me = population.len() as u32 - 1;
        let result = run(&population, &roll);
        let on_roll = roll.iter().any(|s| s.id_number == typo);
        match finding_of(&result, me) {
            Some(Finding::Enrolled { .. }) => prop_assert!(on_roll),
            Some(Finding::Probable) => {
                let child = result.suspected.iter().find(|c| c.person == me).expect("listed");
                let hit = child.candidates.iter().find(|c| roll[c.student as usize].id_number == original);
                prop_assert!(hit.is_some(), "{:?}", child);
                prop_assert_eq!(
                    hit.and_then(|c| c.id_difference),
                    Some(IdDifference::Transposed { position: i as u8 + 1 })
                );
            }
            other => prop_assert!(false, "missed: {:?}", other),
        }
    }
}
