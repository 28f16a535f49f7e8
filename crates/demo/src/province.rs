//! 模拟省: synthetic counties for measuring a province (issue #19), made from the demo
//! generator with another seed and renamed to another county code.
//!
//! A province-sized database needs counties that differ (other students, other classes,
//! other hazards) yet are as plausible as the demo county. [`county`] runs
//! [`crate::generate`] with the county's own seed and then [`recode`]s what a province
//! holds of it (schools, the roll, staff, the population roll, aid and hazards, which are
//! made from the roll) from 溆浦县 to the synthetic code:
//!
//! * township codes keep their three-digit suffix under the new county code;
//! * school codes become `21` + the county code's last four digits + the old code's last
//!   four digits, unique across the province;
//! * ID numbers registered in 溆浦县 (area `431224`) are registered in the new county, with
//!   the birth date and sequence kept and the check character recomputed; those
//!   registered elsewhere stay as they are, so a child may appear in two counties' rolls
//!   as in life.
//!
//! The other parts of the demo (teachers' trainings, projects, forms…) keep 溆浦县's codes and are not
//! what a province benchmark loads.

use crate::DemoCounty;
use emis_domain::divisions::{County, Township, XUPU};
use emis_domain::identity::check_character;
#[cfg(test)]
use emis_domain::identity::IdNumber;

/// The code of the `index`-th synthetic county (0-based): `43` (湖南) + a city `01`…`14` +
/// a county `21`…`28`, skipping 溆浦县 and the areas the demo registers newcomers in.
pub fn county_code(index: usize) -> Option<String> {
    (1..=14)
        .flat_map(|city| (21..=28).map(move |county| format!("43{city:02}{county:02}")))
        .filter(|code| code != XUPU.code && !crate::names::OTHER_AREAS.contains(&code.as_str()))
        .nth(index)
}

/// How many synthetic counties [`county_code`] can name.
pub fn capacity() -> usize {
    (0..).take_while(|&i| county_code(i).is_some()).count()
}

/// The seed of the `index`-th synthetic county: the demo's seed moved on, so that no two
/// counties share their records.
pub fn seed(index: usize) -> u64 {
    2021 + 7919 * (index as u64 + 1)
}

/// The name of the `index`-th synthetic county: 模拟1县, 模拟2县, …
pub fn county_name(index: usize) -> String {
    format!("模拟{}县", index + 1)
}

/// The `index`-th synthetic county of the province, generated and recoded.
pub fn county(index: usize) -> Option<DemoCounty> {
    let code = county_code(index)?;
    Some(recode(
        crate::generate(seed(index)),
        &code,
        &county_name(index),
    ))
}

/// Renames a generated county to `code` and `name` (see the module's rules).
pub fn recode(mut demo: DemoCounty, code: &str, name: &str) -> DemoCounty {
    let old = demo.county.code;
    let township = |c: &str| match c.strip_prefix(old) {
        Some(suffix) => format!("{code}{suffix}"),
        None => c.to_string(),
    };
    let school = |c: &str| {
        let tail = &c[c.len().saturating_sub(4)..];
        format!("21{}{tail}", &code[2..])
    };
    let person = |id: &str| recode_id(id, old, code);
    // The county's names and codes live as long as the process: a province is loaded once.
    let townships: Vec<Township> = demo
        .county
        .townships
        .iter()
        .map(|t| Township {
            code: leak(township(t.code)),
            name: t.name,
            urban: t.urban,
        })
        .collect();
    demo.county = Box::leak(Box::new(County {
        code: leak(code.to_string()),
        name: leak(name.to_string()),
        full_name: leak(format!("湖南省{name}")),
        townships: Box::leak(townships.into_boxed_slice()),
    }));
    for s in &mut demo.schools {
        s.code = school(&s.code);
        s.township_code = township(&s.township_code);
    }
    for s in &mut demo.students {
        s.school_code = school(&s.school_code);
        s.id_number = person(&s.id_number);
    }
    for s in &mut demo.staff {
        s.school_code = school(&s.school_code);
        s.id_number = person(&s.id_number);
    }
    for p in &mut demo.dropout.population {
        p.id_number = person(&p.id_number);
    }
    demo
}

/// An ID number registered in `from` moved to `to`, its check character recomputed;
/// any other number unchanged. A number whose check character was wrong (the demo
/// population roll has a few, as real rolls do) stays wrong, so it still fails to match.
fn recode_id(id: &str, from: &str, to: &str) -> String {
    let Some(rest) = id
        .strip_prefix(from)
        .filter(|_| id.len() == 18 && id.is_ascii())
    else {
        return id.to_string();
    };
    let first17 = format!("{to}{}", &rest[..11]);
    if !first17.bytes().all(|b| b.is_ascii_digit()) {
        return id.to_string();
    }
    let right = check_character(first17.as_bytes());
    let was_right = check_character(&id.as_bytes()[..17]) == id[17..].chars().next().unwrap_or(' ');
    let check = if was_right {
        right
    } else {
        // Any character but the right one.
        if right == '0' {
            '1'
        } else {
            '0'
        }
    };
    format!("{first17}{check}")
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_distinct_six_digit_hunan_counties() {
        let codes: Vec<String> = (0..capacity()).filter_map(county_code).collect();
        assert!(codes.len() >= 100, "{} codes", codes.len());
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), codes.len());
        for c in &codes {
            assert!(c.starts_with("43") && c.len() == 6, "{c}");
            assert_ne!(c, XUPU.code);
        }
        assert_eq!(county_code(capacity()), None);
        // A school code keeps the county's last four digits, so counties never share one.
        let tails: HashSet<&str> = codes.iter().map(|c| &c[2..]).collect();
        assert_eq!(tails.len(), codes.len());
    }

    #[test]
    fn a_wrong_check_character_stays_wrong() {
        let id = IdNumber::compose(
            "431224",
            chrono::NaiveDate::from_ymd_opt(2012, 3, 4).expect("date"),
            17,
        );
        let right = id.as_str().chars().last().expect("18 characters");
        let wrong = format!(
            "{}{}",
            &id.as_str()[..17],
            if right == '5' { '6' } else { '5' }
        );
        let moved = recode_id(&wrong, "431224", "430121");
        assert!(moved.starts_with("43012120120304017"));
        assert!(IdNumber::parse(&moved).is_err(), "{moved}");
    }

    #[test]
    fn an_id_number_moves_with_its_check_character() {
        let id = IdNumber::compose(
            "431224",
            chrono::NaiveDate::from_ymd_opt(2012, 3, 4).expect("date"),
            17,
        );
        let moved = recode_id(id.as_str(), "431224", "430121");
        assert_eq!(&moved[..17], "43012120120304017");
        assert!(IdNumber::parse(&moved).is_ok(), "{moved}");
        // Registered elsewhere: unchanged.
        assert_eq!(
            recode_id("431202201203040171", "431224", "430121"),
            "431202201203040171"
        );
    }

    #[test]
    fn a_recoded_county_is_whole_and_its_own() {
        let demo = crate::generate(2021);
        let county = recode(demo.clone(), "430121", "模拟1县");
        assert_eq!(county.county.code, "430121");
        assert_eq!(county.county.townships.len(), XUPU.townships.len());
        let townships: HashSet<&str> = county.county.townships.iter().map(|t| t.code).collect();
        let schools: HashSet<&str> = county.schools.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(
            schools.len(),
            demo.schools.len(),
            "school codes stay unique"
        );
        for s in &county.schools {
            assert!(s.code.starts_with("210121"), "{}", s.code);
            assert!(townships.contains(s.township_code.as_str()));
        }
        let mut local = 0;
        for (new, old) in county.students.iter().zip(&demo.students) {
            assert!(schools.contains(new.school_code.as_str()));
            assert!(IdNumber::parse(&new.id_number).is_ok(), "{}", new.id_number);
            if old.id_number.starts_with("431224") {
                assert!(new.id_number.starts_with("430121"));
                local += 1;
            } else {
                assert_eq!(new.id_number, old.id_number);
            }
            assert_eq!(
                (new.grade, new.status, new.term),
                (old.grade, old.status, old.term)
            );
        }
        assert!(local > county.students.len() / 2, "most were born here");
        // One student per ID number and term, as before.
        let keys: HashSet<(&str, _)> = county
            .students
            .iter()
            .map(|s| (s.id_number.as_str(), s.term))
            .collect();
        assert_eq!(keys.len(), county.students.len());
        // The population roll moves with the roll: the same children match.
        let roll: HashSet<&str> = county
            .students
            .iter()
            .map(|s| s.id_number.as_str())
            .collect();
        let matched = |d: &DemoCounty, roll: &HashSet<&str>| {
            d.dropout
                .population
                .iter()
                .filter(|p| roll.contains(p.id_number.as_str()))
                .count()
        };
        let old_roll: HashSet<&str> = demo.students.iter().map(|s| s.id_number.as_str()).collect();
        assert_eq!(matched(&county, &roll), matched(&demo, &old_roll));
    }
}
