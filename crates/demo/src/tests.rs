//! Every requirement on the demo county, measured from the generated records.

use super::*;
use chrono::{Datelike, NaiveDate};
use emis_domain::class_size::{count_large_classes, ClassFact, ClassSizeRules, LargeClassCounts};
use emis_domain::dates::full_years;
use emis_domain::identity::IdNumber;
use emis_domain::registry::{
    Grade, Hardship, Ownership, PostType, RecruitChannel, SchoolType, Sex, StudentStatus,
    UrbanRural,
};
use emis_domain::term::Term;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn demo() -> &'static DemoCounty {
    static DEMO: OnceLock<DemoCounty> = OnceLock::new();
    DEMO.get_or_init(|| generate(2021))
}

/// A second county, to show the figures do not depend on a lucky seed.
fn other() -> &'static DemoCounty {
    static OTHER: OnceLock<DemoCounty> = OnceLock::new();
    OTHER.get_or_init(|| generate(7))
}

fn spring() -> Term {
    Term::spring(2021)
}

fn autumn() -> Term {
    Term::autumn(2021)
}

fn schools() -> HashMap<&'static str, &'static School> {
    demo()
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s))
        .collect()
}

fn school_named(name: &str) -> &'static School {
    demo()
        .schools
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no school named {name}"))
}

fn records(term: Term) -> impl Iterator<Item = &'static StudentRecord> {
    demo().students.iter().filter(move |s| s.term == term)
}

fn on_roll(status: StudentStatus) -> bool {
    matches!(
        status,
        StudentStatus::Enrolled | StudentStatus::Suspended | StudentStatus::HomeTaught
    )
}

/// Class sizes as the indicators count them: 在读 students per (school, grade, class).
fn class_sizes(term: Term) -> HashMap<(&'static str, Grade, u32), u32> {
    let mut sizes = HashMap::new();
    for s in records(term) {
        let size = sizes
            .entry((s.school_code.as_str(), s.grade, s.class_number))
            .or_insert(0);
        if s.status == StudentStatus::Enrolled {
            *size += 1;
        }
    }
    sizes
}

fn large_classes(term: Term) -> LargeClassCounts {
    let schools = schools();
    let facts: Vec<ClassFact> = class_sizes(term)
        .into_iter()
        .map(|((code, grade, _), size)| ClassFact {
            school_type: schools[code].school_type,
            grade,
            size,
        })
        .collect();
    count_large_classes(&ClassSizeRules::default(), &facts)
}

fn seat_code() -> &'static str {
    XUPU.township("卢峰镇").expect("卢峰镇").code
}

#[test]
fn same_seed_same_county_other_seed_differs() {
    let again = generate(2021);
    assert!(again == *demo(), "the same seed must give the same county");
    assert_ne!(other().students, demo().students);
    assert_ne!(other().staff, demo().staff);
}

#[test]
fn another_seed_gives_the_same_figures() {
    let d = other();
    let schools: HashMap<&str, SchoolType> = d
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.school_type))
        .collect();
    for (term, expected) in [
        (
            spring(),
            LargeClassCounts {
                compulsory_large: 664,
                compulsory_oversize: 108,
                senior_large: 68,
                senior_oversize: 3,
            },
        ),
        (autumn(), LargeClassCounts::default()),
    ] {
        let mut sizes: HashMap<(&str, Grade, u32), u32> = HashMap::new();
        for s in d.students.iter().filter(|s| s.term == term) {
            let size = sizes
                .entry((s.school_code.as_str(), s.grade, s.class_number))
                .or_insert(0);
            *size += u32::from(s.status == StudentStatus::Enrolled);
        }
        let facts: Vec<ClassFact> = sizes
            .into_iter()
            .map(|((code, grade, _), size)| ClassFact {
                school_type: schools[code],
                grade,
                size,
            })
            .collect();
        assert_eq!(
            count_large_classes(&ClassSizeRules::default(), &facts),
            expected
        );
        let home = d
            .students
            .iter()
            .filter(|s| s.term == term && s.status == StudentStatus::HomeTaught)
            .count();
        assert_eq!(home, if term == spring() { 265 } else { 256 });
    }
    let roll: HashSet<&str> = d
        .students
        .iter()
        .filter(|s| s.term == autumn() && on_roll(s.status))
        .map(|s| s.id_number.as_str())
        .collect();
    assert_eq!(roll.len(), 148_955);
    let recruits = d
        .staff
        .iter()
        .filter(|s| s.start_date.is_some_and(|d| d.year() == 2021))
        .count();
    assert_eq!(recruits, 682);
}

#[test]
fn all_townships_with_seat_urban_and_town_seats() {
    let d = demo();
    assert_eq!(d.county.code, "431224");
    let codes: HashSet<&str> = XUPU.townships.iter().map(|t| t.code).collect();
    for s in &d.schools {
        assert!(codes.contains(s.township_code.as_str()), "{}", s.name);
        if s.township_code == seat_code() {
            assert_eq!(s.urban_rural, UrbanRural::Urban, "{}", s.name);
        } else {
            assert_ne!(s.urban_rural, UrbanRural::Urban, "{}", s.name);
        }
    }
    for t in XUPU.townships {
        assert!(
            d.schools.iter().any(|s| s.township_code == t.code),
            "{}",
            t.name
        );
        if t.urban {
            continue;
        }
        for suffix in ["中心小学", "中心幼儿园", "中学"] {
            let s = school_named(&format!("{}{suffix}", t.name));
            assert_eq!(s.urban_rural, UrbanRural::Town, "{}", s.name);
            assert_eq!(s.township_code, t.code);
        }
        let villages = d
            .schools
            .iter()
            .filter(|s| s.township_code == t.code && s.urban_rural == UrbanRural::Rural)
            .count();
        assert!(villages >= 2, "{} has {villages} village schools", t.name);
    }
}

#[test]
fn about_300_schools_of_every_type() {
    let d = demo();
    assert!(
        (280..=320).contains(&d.schools.len()),
        "{}",
        d.schools.len()
    );
    for t in SchoolType::ALL {
        let n = d.schools.iter().filter(|s| s.school_type == *t).count();
        match t {
            SchoolType::TwelveYear => assert_eq!(n, 0),
            SchoolType::Vocational | SchoolType::Special => assert_eq!(n, 1, "{t}"),
            _ => assert!(n >= 2, "{t}: {n}"),
        }
    }
    for (name, t) in [
        ("溆浦县第一中学", SchoolType::Senior),
        ("溆浦县第三中学", SchoolType::Complete),
        ("溆浦县警予学校", SchoolType::NineYear),
        ("卢峰镇中学", SchoolType::Junior),
        ("水东镇中学", SchoolType::Junior),
        ("龙潭镇大华学校", SchoolType::NineYear),
        ("溆浦县雅堂芙蓉学校", SchoolType::NineYear),
        ("溆浦楚怡职业学校", SchoolType::Vocational),
        ("溆浦县特殊教育学校", SchoolType::Special),
    ] {
        assert_eq!(school_named(name).school_type, t, "{name}");
    }
    let kg = |o| {
        d.schools
            .iter()
            .filter(|s| s.school_type == SchoolType::Kindergarten && s.ownership == o)
            .count()
    };
    assert!(kg(Ownership::Public) >= 25 && kg(Ownership::Private) >= 40);
    let codes: HashSet<&str> = d.schools.iter().map(|s| s.code.as_str()).collect();
    let names: HashSet<&str> = d.schools.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(codes.len(), d.schools.len(), "school codes are unique");
    assert_eq!(names.len(), d.schools.len(), "school names are unique");
    assert!(d.schools.iter().all(|s| s.code.len() == 10
        && s.code.starts_with("2143")
        && s.code.bytes().all(|b| b.is_ascii_digit())));
}

#[test]
fn new_school_has_students_only_in_autumn() {
    let code = school_named("溆浦县雅堂芙蓉学校").code.as_str();
    assert_eq!(
        records(spring()).filter(|s| s.school_code == code).count(),
        0
    );
    let autumn = records(autumn()).filter(|s| s.school_code == code).count();
    assert!((1_500..=4_000).contains(&autumn), "{autumn}");
}

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

#[test]
fn names_ethnicities_and_households_are_realistic() {
    let townships: HashSet<&str> = XUPU.townships.iter().map(|t| t.name).collect();
    let mut ethnicities: HashMap<&str, usize> = HashMap::new();
    let mut surnames: HashMap<char, usize> = HashMap::new();
    let mut total = 0;
    for s in records(autumn()) {
        let chars = s.name.chars().count();
        assert!((2..=3).contains(&chars), "{}", s.name);
        *surnames
            .entry(s.name.chars().next().expect("non-empty"))
            .or_default() += 1;
        *ethnicities
            .entry(s.ethnicity.as_deref().expect("ethnicity"))
            .or_default() += 1;
        assert!(townships.contains(s.household_township.as_deref().expect("household")));
        total += 1;
    }
    assert!(ethnicities["汉族"] as f64 / total as f64 > 0.8);
    for e in ["苗族", "瑶族", "侗族", "土家族"] {
        assert!(ethnicities.get(e).copied().unwrap_or(0) > 100, "{e}");
    }
    for c in "舒向张李王刘陈杨贺谌周曾".chars() {
        assert!(surnames.get(&c).copied().unwrap_or(0) > 500, "{c}");
    }
    let males = records(autumn()).filter(|s| s.sex == Sex::Male).count() as f64 / total as f64;
    assert!((0.5..0.56).contains(&males));
}

#[test]
fn hardship_shares_are_realistic() {
    let mut counts: HashMap<Hardship, usize> = HashMap::new();
    let mut total = 0usize;
    for s in records(autumn()) {
        *counts.entry(s.hardship).or_default() += 1;
        total += 1;
        assert_eq!(
            s.disability.is_some(),
            s.hardship == Hardship::Disabled,
            "{}",
            s.id_number
        );
    }
    let share = |h: Hardship| counts.get(&h).copied().unwrap_or(0) as f64 / total as f64;
    assert!(
        (0.08..=0.12).contains(&share(Hardship::LiftedOut)),
        "{}",
        share(Hardship::LiftedOut)
    );
    assert!(
        (0.02..=0.03).contains(&share(Hardship::Dibao)),
        "{}",
        share(Hardship::Dibao)
    );
    assert!(share(Hardship::Tekun) > 0.0 && share(Hardship::Tekun) < 0.01);
    assert!(share(Hardship::Orphan) > 0.0 && share(Hardship::Orphan) < 0.005);
    assert!(
        (0.005..=0.015).contains(&share(Hardship::Disabled)),
        "{}",
        share(Hardship::Disabled)
    );
    assert!(share(Hardship::None) > 0.83);
}

#[test]
fn boarding_is_realistic() {
    let schools = schools();
    let mut rural_junior = (0usize, 0usize);
    let mut primary_boarders = 0usize;
    for s in &demo().students {
        let school = schools[s.school_code.as_str()];
        if s.boarding {
            assert!(school.boarding, "{} is a day school", school.name);
            assert_ne!(school.school_type, SchoolType::Kindergarten);
        }
        if s.grade.stage() == emis_domain::registry::Stage::Junior
            && school.urban_rural != UrbanRural::Urban
            && s.status == StudentStatus::Enrolled
        {
            rural_junior.0 += usize::from(s.boarding);
            rural_junior.1 += 1;
        }
        if s.grade.stage() == emis_domain::registry::Stage::Primary && s.boarding {
            primary_boarders += 1;
        }
    }
    let share = rural_junior.0 as f64 / rural_junior.1 as f64;
    assert!(share > 0.6, "rural junior boarding share {share}");
    assert!(primary_boarders > 1_000, "{primary_boarders}");
}

#[test]
fn staff_size_and_2021_recruits_by_channel() {
    let d = demo();
    assert!(
        (8_700..=9_300).contains(&d.staff.len()),
        "{}",
        d.staff.len()
    );
    let schools = schools();
    let mut recruits: HashMap<RecruitChannel, usize> = HashMap::new();
    for s in &d.staff {
        let school = schools
            .get(s.school_code.as_str())
            .unwrap_or_else(|| panic!("unknown school {}", s.school_code));
        let start = s.start_date.expect("start date");
        let birth = IdNumber::parse(&s.id_number).expect("valid").birth_date();
        let age = full_years(birth, start);
        assert!((18..=60).contains(&age), "started at {age}");
        assert!(start <= NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"));
        if start.year() == 2021 {
            let channel = s.channel.expect("recruits have a channel");
            *recruits.entry(channel).or_default() += 1;
            assert_eq!(s.post_type, PostType::Teacher);
            if matches!(channel, RecruitChannel::Tegang) {
                assert_ne!(
                    school.urban_rural,
                    UrbanRural::Urban,
                    "特岗 serve rural schools"
                );
            }
        }
        assert_eq!(s.subject.is_some(), s.post_type == PostType::Teacher);
    }
    assert_eq!(recruits.get(&RecruitChannel::Tegang), Some(&142));
    assert_eq!(recruits.get(&RecruitChannel::Open), Some(&261));
    assert_eq!(recruits.get(&RecruitChannel::FundedNormal), Some(&267));
    assert_eq!(recruits.get(&RecruitChannel::Transfer), Some(&12));
    assert_eq!(recruits.values().sum::<usize>(), 682);

    let teachers = d
        .staff
        .iter()
        .filter(|s| s.post_type == PostType::Teacher)
        .count();
    assert!(teachers as f64 / d.staff.len() as f64 > 0.75);
    for title in ["二级教师", "一级教师", "高级教师"] {
        assert!(
            d.staff
                .iter()
                .filter(|s| s.title.as_deref() == Some(title))
                .count()
                > 500,
            "{title}"
        );
    }
    for subject in ["语文", "数学", "英语", "物理", "学前教育"] {
        assert!(
            d.staff
                .iter()
                .any(|s| s.subject.as_deref() == Some(subject)),
            "{subject}"
        );
    }
    // Every school with students has staff.
    let staffed: HashSet<&str> = d.staff.iter().map(|s| s.school_code.as_str()).collect();
    assert!(d
        .students
        .iter()
        .all(|s| staffed.contains(s.school_code.as_str())));
}

#[test]
fn seat_intake_comes_from_the_allocation_and_balanced_classes() {
    let d = demo();
    assert_eq!(d.intake.len(), 2);
    let autumn_rows: HashMap<&str, &StudentRecord> = records(autumn())
        .map(|s| (s.id_number.as_str(), s))
        .collect();
    for intake in &d.intake {
        assert!(intake.input.applicants.len() > 1_000);
        assert!(intake.result.unplaced.is_empty(), "everyone placed");
        // The result is the engine's on the stored input.
        assert_eq!(
            emis_domain::enrollment::allocate(&intake.input),
            intake.result
        );
        for formed in &intake.classes {
            let students: Vec<emis_domain::enrollment::BalanceStudent> = intake
                .input
                .applicants
                .iter()
                .filter(|a| {
                    intake
                        .result
                        .placement(&a.id)
                        .and_then(|p| p.school_code.as_deref())
                        == Some(formed.school_code.as_str())
                })
                .map(|a| emis_domain::enrollment::BalanceStudent {
                    id: a.id.clone(),
                    sex: a.sex,
                    score: a.score,
                })
                .collect();
            assert_eq!(
                emis_domain::enrollment::form_classes(&students, formed.class_size, formed.seed),
                formed.classes
            );
            for (c, ids) in formed.classes.iter().enumerate() {
                assert!(ids.len() as u32 <= formed.class_size);
                for id in ids {
                    let row = autumn_rows[id.as_str()];
                    assert_eq!(row.school_code, formed.school_code);
                    assert_eq!(row.grade, formed.grade);
                    assert_eq!(row.class_number, c as u32 + 1);
                }
            }
        }
    }
}

/// 控辍保学: the demo roll matches the student roll except for the planned cases, every
/// case closes before year end through the case workflow, and every 送教上门 student has a
/// plan with teachers and visits in its term.
#[test]
fn dropout_roll_matches_and_every_case_closes() {
    use emis_domain::dropout::cases::{
        apply, Case, CaseEvent, CaseStatus, Responsible, ResponsibleRole,
    };
    use emis_domain::dropout::{match_roll, MatchSettings, RollStudent};
    let d = &demo().dropout;
    let roll: Vec<RollStudent> = demo()
        .students
        .iter()
        .filter(|s| s.term == autumn())
        .map(|s| RollStudent {
            id_number: s.id_number.clone(),
            name: s.name.clone(),
            sex: s.sex,
            birth_date: s.birth_date,
            school_code: s.school_code.clone(),
            status: s.status,
        })
        .collect();
    let result =
        match_roll(&d.population, &roll, d.as_of, &MatchSettings::default()).expect("match");
    assert_eq!(
        result.counts.suspected,
        dropout::NOT_ON_ROLL + dropout::MISTYPED
    );
    assert_eq!(result.counts.probable, dropout::MISTYPED);
    assert_eq!(result.counts.not_in_school, 0);
    assert!(result.counts.school_age > 100_000);
    let suspected: HashSet<&str> = result
        .suspected
        .iter()
        .map(|c| d.population[c.person as usize].id_number.as_str())
        .collect();
    let cased: HashSet<&str> = d.cases.iter().map(|c| c.person_id.as_str()).collect();
    assert_eq!(suspected, cased);
    let year_end = NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    for plan in &d.cases {
        let mut case = Case::open(&plan.person_id, "x", d.as_of);
        let mut steps = vec![CaseEvent::Assign {
            responsible: vec![Responsible {
                role: ResponsibleRole::TownshipCadre,
                name: plan.township_cadre.clone(),
            }],
        }];
        steps.extend(plan.visits.iter().map(|v| CaseEvent::LogVisit {
            date: v.date,
            kind: v.kind,
            note: v.note.clone(),
        }));
        steps.push(CaseEvent::Close {
            outcome: Some(plan.outcome),
            date: plan.closed_on,
            evidence: plan.evidence.clone(),
        });
        for step in steps {
            case = apply(&case, step).expect("a valid step");
        }
        assert_eq!(case.status, CaseStatus::Closed);
        assert!(plan.closed_on <= year_end);
    }
    for term in [spring(), autumn()] {
        let home: HashSet<&str> = demo()
            .students
            .iter()
            .filter(|s| s.term == term && s.status == StudentStatus::HomeTaught)
            .map(|s| s.id_number.as_str())
            .collect();
        let plans: Vec<_> = d.plans.iter().filter(|p| p.term == term).collect();
        assert_eq!(plans.len(), home.len());
        for p in plans {
            assert!(home.contains(p.student_id.as_str()));
            assert_eq!(p.teachers.len(), 2);
            assert!(p.visits.len() >= 6, "{} visits", p.visits.len());
            assert!(p.visits.iter().all(|v| Term::containing(v.date) == term));
        }
    }
}
