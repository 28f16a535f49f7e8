//! The student roll: totals, class sizes, 送教上门, statuses, ID numbers, grades and ages.

use super::*;

#[test]
fn autumn_roll_is_the_seeds_148955_students_aged_3_to_17() {
    let ids: HashSet<&str> = records(autumn())
        .filter(|s| on_roll(s.status))
        .map(|s| s.id_number.as_str())
        .collect();
    assert_eq!(ids.len(), 148_955);
    let start = autumn().school_year_start();
    for s in records(autumn()).filter(|s| on_roll(s.status)) {
        let age = full_years(s.birth_date, start);
        assert!((3..=17).contains(&age), "{} aged {age}", s.id_number);
    }
    let spring: HashSet<&str> = records(spring())
        .filter(|s| on_roll(s.status))
        .map(|s| s.id_number.as_str())
        .collect();
    assert!(
        (140_000..=158_000).contains(&spring.len()),
        "{}",
        spring.len()
    );
}

#[test]
fn spring_large_classes_are_the_seeds_figures() {
    assert_eq!(
        large_classes(spring()),
        LargeClassCounts {
            compulsory_large: 664,
            compulsory_oversize: 108,
            senior_large: 68,
            senior_oversize: 3,
        }
    );
}

#[test]
fn autumn_has_no_large_classes() {
    assert_eq!(large_classes(autumn()), LargeClassCounts::default());
    let schools = schools();
    for ((code, grade, class), size) in class_sizes(autumn()) {
        let t = schools[code].school_type;
        if grade.is_compulsory()
            || (grade.stage() == emis_domain::registry::Stage::Senior
                && t.counts_as_general_senior())
        {
            assert!(size <= 55, "{code} {grade} {class}: {size}");
        }
    }
}

#[test]
fn large_classes_sit_in_urban_and_town_schools_and_other_sizes_are_realistic() {
    let schools = schools();
    let mut urban_large = 0;
    let mut large = 0;
    for term in [spring(), autumn()] {
        for ((code, grade, class), size) in class_sizes(term) {
            let school = schools[code];
            if size >= 56 {
                large += 1;
                assert_ne!(
                    school.urban_rural,
                    UrbanRural::Rural,
                    "{} {grade}",
                    school.name
                );
                urban_large += usize::from(school.urban_rural == UrbanRural::Urban);
            }
            match school.school_type {
                SchoolType::Kindergarten => {
                    assert!(size <= 35, "{} {grade} {class}: {size}", school.name)
                }
                SchoolType::Special => assert!(size <= 15),
                _ if school.urban_rural == UrbanRural::Rural => {
                    assert!(size <= 45, "{} {grade} {class}: {size}", school.name);
                    if term == spring() {
                        assert!(size >= 15, "{} {grade} {class}: {size}", school.name);
                    }
                }
                _ => assert!(size <= 82),
            }
        }
    }
    assert!(
        urban_large * 2 > large,
        "most large classes are urban: {urban_large} of {large}"
    );
}

#[test]
fn home_taught_265_in_spring_256_in_autumn() {
    for (term, expected) in [(spring(), 265), (autumn(), 256)] {
        let home: Vec<&StudentRecord> = records(term)
            .filter(|s| s.status == StudentStatus::HomeTaught)
            .collect();
        assert_eq!(home.len(), expected, "{term}");
        for s in home {
            assert!(s.grade.is_compulsory());
            assert!(s.class_number >= 1);
            assert_eq!(s.hardship, Hardship::Disabled);
            assert!(s.disability.is_some());
            assert!(!s.boarding);
        }
    }
}

#[test]
fn a_few_students_suspended_and_some_transferred_out_in_spring() {
    for term in [spring(), autumn()] {
        let n = records(term)
            .filter(|s| s.status == StudentStatus::Suspended)
            .count();
        assert!((5..=120).contains(&n), "{term}: {n}");
    }
    let out = records(spring())
        .filter(|s| s.status == StudentStatus::TransferredOut)
        .count();
    assert!(out > 0 && out < 1_000);
    assert!(records(autumn()).all(|s| on_roll(s.status)));
}

#[test]
fn student_ids_are_valid_unique_and_match_sex_and_birth() {
    let d = demo();
    let mut local = 0usize;
    let mut total = 0usize;
    for term in [spring(), autumn()] {
        let mut seen = HashSet::new();
        for s in records(term) {
            assert!(
                seen.insert(s.id_number.as_str()),
                "one record per student per term: {}",
                s.id_number
            );
            let id = IdNumber::parse(&s.id_number).expect("valid ID number");
            assert_eq!(id.as_str(), s.id_number);
            assert_eq!(id.sex(), s.sex);
            assert_eq!(id.birth_date(), s.birth_date);
            assert_eq!(
                s.student_no.as_deref(),
                Some(format!("G{}", s.id_number).as_str())
            );
            assert!(id.area_code().starts_with("43"));
            local += usize::from(id.area_code() == "431224");
            total += 1;
        }
    }
    let share = local as f64 / total as f64;
    assert!(
        (0.9..0.995).contains(&share),
        "share registered in 溆浦: {share}"
    );
    let students: HashSet<&str> = d.students.iter().map(|s| s.id_number.as_str()).collect();
    let mut staff = HashSet::new();
    for s in &d.staff {
        let id = IdNumber::parse(&s.id_number).expect("valid staff ID number");
        assert_eq!(id.sex(), s.sex);
        assert!(staff.insert(s.id_number.as_str()), "staff IDs are unique");
        assert!(
            !students.contains(s.id_number.as_str()),
            "staff and students never share an ID"
        );
    }
}

#[test]
fn every_student_sits_in_a_grade_their_school_teaches() {
    let schools = schools();
    for s in &demo().students {
        let school = schools
            .get(s.school_code.as_str())
            .unwrap_or_else(|| panic!("unknown school {}", s.school_code));
        assert!(
            school.school_type.grades().contains(&s.grade),
            "{} has no {}",
            school.name,
            s.grade
        );
        assert!(s.class_number >= 1);
        assert!(s.term == spring() || s.term == autumn());
    }
}

#[test]
fn students_keep_their_identity_and_move_up_one_grade() {
    let schools = schools();
    let before: HashMap<&str, &StudentRecord> = records(spring())
        .map(|s| (s.id_number.as_str(), s))
        .collect();
    let mut kept = 0;
    let mut changed_school = 0;
    for a in records(autumn()) {
        let Some(s) = before.get(a.id_number.as_str()) else {
            continue;
        };
        kept += 1;
        assert_eq!(
            (&a.name, a.sex, a.birth_date),
            (&s.name, s.sex, s.birth_date)
        );
        assert_eq!(a.hardship, s.hardship);
        assert_eq!(Some(a.grade), s.grade.next(), "{}", a.id_number);
        assert!(on_roll(s.status));
        if a.school_code != s.school_code {
            changed_school += 1;
        }
        let (from, to) = (
            schools[s.school_code.as_str()],
            schools[a.school_code.as_str()],
        );
        match a.grade {
            Grade::G1 => assert_eq!(from.school_type, SchoolType::Kindergarten),
            Grade::G7 if from.school_type == SchoolType::Primary => assert!(
                to.township_code == from.township_code || to.township_code == seat_code(),
                "{} → {}",
                from.name,
                to.name
            ),
            Grade::S1 => assert!(matches!(
                to.school_type,
                SchoolType::Senior | SchoolType::Complete | SchoolType::Vocational
            )),
            _ => {}
        }
    }
    assert!(kept > 120_000, "{kept}");
    assert!(changed_school > 20_000, "{changed_school}");
    // 高三 graduate; everyone else who stays in the county keeps their ID number.
    let graduates: HashSet<&str> = records(spring())
        .filter(|s| s.grade == Grade::S3)
        .map(|s| s.id_number.as_str())
        .collect();
    assert!(records(autumn()).all(|a| !graduates.contains(a.id_number.as_str())));
    // Some 九年级 go on to 高一 (general or vocational); the rest leave.
    let g9: Vec<&str> = records(spring())
        .filter(|s| s.grade == Grade::G9 && s.status == StudentStatus::Enrolled)
        .map(|s| s.id_number.as_str())
        .collect();
    let autumn_ids: HashSet<&str> = records(autumn()).map(|s| s.id_number.as_str()).collect();
    let stayed = g9.iter().filter(|id| autumn_ids.contains(*id)).count() as f64 / g9.len() as f64;
    assert!((0.6..0.85).contains(&stayed), "{stayed}");
    // New 小班 children and new arrivals are on the autumn roll only.
    let new = records(autumn())
        .filter(|a| !before.contains_key(a.id_number.as_str()))
        .count();
    let nursery = records(autumn())
        .filter(|a| a.grade == Grade::Nursery)
        .count();
    assert!(
        new > nursery && nursery > 5_000,
        "{new} new, {nursery} 小班"
    );
}

#[test]
fn ages_fit_grades() {
    let mut off_by_one_or_less = 0usize;
    let mut off_more = 0usize;
    for s in &demo().students {
        let age = full_years(s.birth_date, s.term.school_year_start());
        let offset = age - s.grade.typical_age();
        assert!(
            offset.abs() <= 3,
            "{} in {} aged {age}",
            s.id_number,
            s.grade
        );
        if offset.abs() <= 1 {
            off_by_one_or_less += 1;
        } else {
            off_more += 1;
        }
    }
    let share = off_more as f64 / (off_more + off_by_one_or_less) as f64;
    assert!(
        off_more > 0 && share < 0.005,
        "{off_more} off by 2–3 ({share})"
    );
    let exact = demo()
        .students
        .iter()
        .filter(|s| full_years(s.birth_date, s.term.school_year_start()) == s.grade.typical_age())
        .count();
    assert!(exact as f64 / demo().students.len() as f64 > 0.7);
}
