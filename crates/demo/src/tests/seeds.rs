//! The same seed gives the same county; another seed gives the same figures.

use super::*;

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
