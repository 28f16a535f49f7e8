//! Townships and schools: every type, the county seat, the new school.

use super::*;

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
    let (private, inclusive) = (kg(Ownership::Private), kg(Ownership::InclusivePrivate));
    assert!(kg(Ownership::Public) >= 25 && private + inclusive >= 40);
    // Every other 民办 kindergarten is 普惠性.
    assert!(
        inclusive == private || inclusive == private + 1,
        "{inclusive} / {private}"
    );
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
