//! 双减: the training institutions' 2021 changes and 课后服务 5+2, each figure recomputed
//! from the records (for the demo seed and another one).

use super::*;
use crate::double_reduction::{DemoAfterSchool, DemoDoubleReduction, DemoInstitution};
use emis_domain::double_reduction::after_school::{Rates, Service};
use emis_domain::double_reduction::{
    counted_as, credit_code, InstitutionCategory, InstitutionStatus,
};

fn both() -> [&'static DemoCounty; 2] {
    [demo(), other()]
}

/// Distinct institutions per indicator, from their 2021 events, as the system counts them.
fn counted_2021(institutions: &[DemoInstitution]) -> HashMap<&'static str, usize> {
    let mut counted: HashMap<&'static str, HashSet<&str>> = HashMap::new();
    for i in institutions {
        for e in i.events.iter().filter(|e| e.on.year() == 2021) {
            if let Some(code) = counted_as(e.status, i.category, i.licence.is_some()) {
                counted
                    .entry(code)
                    .or_default()
                    .insert(i.credit_code.as_str());
            }
        }
    }
    counted.into_iter().map(|(k, v)| (k, v.len())).collect()
}

#[test]
fn institutions_give_1_closed_12_deregistered_20_transformed() {
    for d in both() {
        let counted = counted_2021(&d.double_reduction.institutions);
        assert_eq!(
            counted.get("double_reduction.institutions.closed"),
            Some(&1)
        );
        assert_eq!(
            counted.get("double_reduction.institutions.deregistered"),
            Some(&12)
        );
        assert_eq!(
            counted.get("double_reduction.institutions.transformed"),
            Some(&20)
        );
        assert_eq!(counted.len(), 3);
        assert_eq!(crate::double_reduction::CLOSED_UNLICENSED, 1);
        assert_eq!(crate::double_reduction::DEREGISTERED, 12);
        assert_eq!(crate::double_reduction::TRANSFORMED, 20);
    }
}

#[test]
fn institution_changes_around_the_counted_ones() {
    use InstitutionStatus::*;
    for d in both() {
        let list = &d.double_reduction.institutions;
        let of_2021 = |i: &DemoInstitution, status| {
            i.events
                .iter()
                .any(|e| e.status == status && e.on.year() == 2021)
        };
        let double_reduction = NaiveDate::from_ymd_opt(2021, 7, 24).expect("date");
        // The 无证 closure is after 双减; a licensed 非学科类 closure does not count.
        let unlicensed_closed: Vec<_> = list
            .iter()
            .filter(|i| i.licence.is_none() && of_2021(i, Closed))
            .collect();
        assert_eq!(unlicensed_closed.len(), 1);
        let e = unlicensed_closed[0]
            .events
            .iter()
            .find(|e| e.status == Closed)
            .expect("closure");
        assert!(e.on > double_reduction);
        assert!(e
            .document
            .as_deref()
            .is_some_and(|doc| doc.starts_with("溆教发〔2021〕") && doc.ends_with('号')));
        assert_eq!(
            list.iter()
                .filter(|i| i.licence.is_some() && of_2021(i, Closed))
                .filter(|i| i.category == InstitutionCategory::NonSubject)
                .count(),
            1
        );
        // 注销 and 转型 of 学科类 fall in August–December, never both for one institution.
        for i in list
            .iter()
            .filter(|i| i.category == InstitutionCategory::Subject)
        {
            assert!(
                !(of_2021(i, Deregistered) && of_2021(i, Transformed)),
                "{}",
                i.name
            );
            for e in i.events.iter().filter(|e| e.on.year() == 2021) {
                if matches!(e.status, Deregistered | Transformed) {
                    assert!((8..=12).contains(&e.on.month()), "{}", i.name);
                }
            }
        }
        // Some were suspended first, in 2021.
        let suspended_first = list
            .iter()
            .filter(|i| {
                i.category == InstitutionCategory::Subject
                    && i.events.windows(2).any(|w| {
                        w[0].status == Suspended
                            && w[0].on.year() == 2021
                            && matches!(w[1].status, Deregistered | Transformed)
                    })
            })
            .count();
        assert!((5..=15).contains(&suspended_first), "{suspended_first}");
        // 营转非 twice, counting for nothing; 2020 changes at 2–3 institutions.
        let non_profit = list.iter().filter(|i| of_2021(i, NonProfit)).count();
        assert_eq!(non_profit, 2);
        let of_2020 = list
            .iter()
            .filter(|i| i.events.iter().any(|e| e.on.year() == 2020))
            .count();
        assert!((2..=3).contains(&of_2020), "{of_2020}");
        // Events in date order, never the same status twice on one day.
        for i in list {
            assert!(i.events.windows(2).all(|w| w[0].on < w[1].on), "{}", i.name);
            let days: HashSet<(NaiveDate, InstitutionStatus)> =
                i.events.iter().map(|e| (e.on, e.status)).collect();
            assert_eq!(days.len(), i.events.len(), "{}", i.name);
            assert!(i.events.iter().all(|e| e.status != Normal));
            assert!(i.events.iter().all(|e| e.on
                >= NaiveDate::from_ymd_opt(2020, 1, 1).expect("date")
                && e.on <= NaiveDate::from_ymd_opt(2021, 12, 31).expect("date")));
        }
        // One 文号 per (day, status), numbered in date order within a year.
        let number = |doc: &str| -> u32 {
            doc.split('〕')
                .nth(1)
                .and_then(|n| n.strip_suffix('号'))
                .and_then(|n| n.parse().ok())
                .expect("a numbered document")
        };
        let mut documents: Vec<(NaiveDate, u32, InstitutionStatus, &str)> = list
            .iter()
            .flat_map(|i| &i.events)
            .filter_map(|e| {
                e.document
                    .as_deref()
                    .map(|doc| (e.on, number(doc), e.status, doc))
            })
            .collect();
        documents.sort();
        documents.dedup();
        let issued: HashSet<&str> = documents.iter().map(|d| d.3).collect();
        assert_eq!(issued.len(), documents.len(), "one document, one decision");
        for w in documents.windows(2) {
            assert!(w[0].3.contains(&format!("〔{}〕", w[0].0.year())));
            if w[0].0.year() == w[1].0.year() {
                assert!(w[0].1 < w[1].1, "{w:?}");
            }
        }
    }
}

#[test]
fn institutions_have_valid_distinct_codes_and_plausible_details() {
    for d in both() {
        let list = &d.double_reduction.institutions;
        assert!((90..=120).contains(&list.len()), "{}", list.len());
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let mut licences = HashSet::new();
        let mut by_township: HashMap<&str, usize> = HashMap::new();
        for i in list {
            assert_eq!(
                credit_code::parse(&i.credit_code).as_deref(),
                Ok(i.credit_code.as_str())
            );
            assert_eq!(&i.credit_code[2..8], XUPU.code, "{}", i.credit_code);
            assert!(codes.insert(i.credit_code.as_str()), "{}", i.credit_code);
            assert!(names.insert(i.name.as_str()), "{}", i.name);
            let township = XUPU
                .township(&i.township_code)
                .unwrap_or_else(|| panic!("{} not a township", i.township_code));
            assert!(
                i.name.starts_with(XUPU.name) || i.name.starts_with(township.name),
                "{}",
                i.name
            );
            assert!(i.address.contains(township.name), "{}", i.address);
            assert!(!i.owner.is_empty());
            if let Some(l) = &i.licence {
                assert!(l.starts_with("教民1431224") && l.ends_with('号'), "{l}");
                assert!(licences.insert(l.as_str()), "{l}");
            }
            let subject_words = [
                "文化",
                "教育培训",
                "学科",
                "作文",
                "阅读",
                "数学",
                "英语",
                "外语",
                "理化",
            ];
            let teaches_subjects = subject_words.iter().any(|w| i.name.contains(w));
            assert_eq!(
                teaches_subjects,
                i.category == InstitutionCategory::Subject,
                "{}",
                i.name
            );
            *by_township.entry(i.township_code.as_str()).or_default() += 1;
        }
        assert_eq!(by_township.len(), 25);
        let seat = by_township[seat_code()];
        assert!(by_township
            .iter()
            .all(|(t, n)| *t == seat_code() || *n < seat));
        let unlicensed = list.iter().filter(|i| i.licence.is_none()).count();
        assert!((1..=5).contains(&unlicensed), "{unlicensed}");
    }
}

fn compulsory(d: &DemoCounty) -> Vec<&School> {
    d.schools
        .iter()
        .filter(|s| s.school_type.grades().iter().any(|g| g.is_compulsory()))
        .collect()
}

fn rolls(d: &DemoCounty) -> HashMap<(&str, Term), u32> {
    let mut roll = HashMap::new();
    for s in d.students.iter().filter(|s| on_roll(s.status)) {
        *roll.entry((s.school_code.as_str(), s.term)).or_default() += 1;
    }
    roll
}

fn rates(d: &DemoCounty, term: Term) -> Rates {
    let roll = rolls(d);
    let records: HashMap<&str, &DemoAfterSchool> = d
        .double_reduction
        .after_school
        .iter()
        .filter(|r| r.term == term)
        .map(|r| (r.school_code.as_str(), r))
        .collect();
    let mut rates = Rates::default();
    for s in compulsory(d) {
        let service = records.get(s.code.as_str()).map(|r| Service {
            offered: r.offered,
            days_a_week: r.days_a_week,
            minutes_a_day: r.minutes_a_day,
            students: r.students,
        });
        let on_roll = roll.get(&(s.code.as_str(), term)).copied().unwrap_or(0);
        rates.add(service.as_ref(), on_roll);
    }
    rates
}

#[test]
fn after_school_one_record_per_compulsory_school_and_term() {
    for d in both() {
        let schools: HashMap<&str, &School> =
            d.schools.iter().map(|s| (s.code.as_str(), s)).collect();
        let mut seen: HashMap<(&str, Term), usize> = HashMap::new();
        for r in &d.double_reduction.after_school {
            assert!([spring(), autumn()].contains(&r.term));
            let school = schools
                .get(r.school_code.as_str())
                .unwrap_or_else(|| panic!("{} not a school", r.school_code));
            assert!(school
                .school_type
                .grades()
                .iter()
                .any(|g| g.is_compulsory()));
            *seen.entry((r.school_code.as_str(), r.term)).or_default() += 1;
        }
        let compulsory = compulsory(d);
        assert_eq!(seen.len(), 2 * compulsory.len());
        assert!(seen.values().all(|n| *n == 1));
        for s in &compulsory {
            for term in [spring(), autumn()] {
                assert_eq!(seen.get(&(s.code.as_str(), term)), Some(&1), "{}", s.name);
            }
        }
        for t in [
            SchoolType::Primary,
            SchoolType::Junior,
            SchoolType::NineYear,
            SchoolType::Complete,
            SchoolType::Special,
        ] {
            assert!(compulsory.iter().any(|s| s.school_type == t), "{t}");
        }
        assert!(compulsory.iter().all(|s| !matches!(
            s.school_type,
            SchoolType::Kindergarten | SchoolType::Senior | SchoolType::Vocational
        )));
    }
}

#[test]
fn after_school_autumn_at_5_plus_2_and_spring_short() {
    for d in both() {
        let a = rates(d, autumn());
        assert_eq!(a.reported, a.schools);
        assert_eq!(a.coverage(), 1.0);
        assert_eq!(a.time_compliance(), 1.0);
        assert!((0.7..=0.95).contains(&a.participation()), "{a:?}");
        let s = rates(d, spring());
        assert_eq!(s.reported, s.schools);
        assert!((0.8..0.9).contains(&s.coverage()), "{s:?}");
        assert!((0.7..0.9).contains(&s.time_compliance()), "{s:?}");
        assert!(s.participation() < a.participation());
        for r in &d.double_reduction.after_school {
            if r.term == autumn() {
                assert!(r.offered && r.days_a_week == 5, "{}", r.school_code);
                assert!((120..=150).contains(&r.minutes_a_day), "{}", r.school_code);
            }
            if r.offered {
                assert!((3..=5).contains(&r.days_a_week));
                assert!((60..=150).contains(&r.minutes_a_day));
                assert!((3..=60).contains(&r.teachers));
            } else {
                assert_eq!(
                    (r.days_a_week, r.minutes_a_day, r.students, r.teachers),
                    (0, 0, 0, 0)
                );
            }
        }
    }
}

#[test]
fn after_school_students_within_the_roll() {
    for d in both() {
        let roll = rolls(d);
        for r in &d.double_reduction.after_school {
            let on_roll = roll
                .get(&(r.school_code.as_str(), r.term))
                .copied()
                .unwrap_or(0);
            assert!(r.students <= on_roll, "{} {:?}", r.school_code, r.term);
            if r.term == spring() && on_roll == 0 {
                assert!(!r.offered, "{} had nobody in spring", r.school_code);
            }
            if r.term == autumn() {
                assert!(
                    f64::from(r.students) >= f64::from(on_roll) * 0.74,
                    "{} {} of {on_roll}",
                    r.school_code,
                    r.students
                );
            }
        }
    }
}

#[test]
fn double_reduction_records_are_deterministic() {
    let d = demo();
    let run = |seed: u64| -> DemoDoubleReduction {
        let mut rng = crate::rng::Rng::seed_from_u64(seed);
        crate::double_reduction::generate(&mut rng, &d.schools, &d.students)
    };
    assert!(
        run(11) == run(11),
        "the same seed must give the same records"
    );
    assert_ne!(
        demo().double_reduction.institutions,
        other().double_reduction.institutions
    );
}

#[test]
fn five_checks_fall_short_in_spring_and_comply_in_autumn() {
    use emis_domain::double_reduction::five::findings;
    for d in both() {
        let reporting: Vec<&School> = d
            .schools
            .iter()
            .filter(|s| s.school_type != SchoolType::Kindergarten)
            .collect();
        let checks = &d.double_reduction.five_checks;
        assert_eq!(checks.len(), 2 * reporting.len());
        let type_of: HashMap<&str, SchoolType> = reporting
            .iter()
            .map(|s| (s.code.as_str(), s.school_type))
            .collect();
        let short = |term: Term| {
            checks
                .iter()
                .filter(|c| c.term == term)
                .filter(|c| !findings(type_of[c.school_code.as_str()], &c.check).is_empty())
                .count()
        };
        assert_eq!(
            short(Term::autumn(2021)),
            0,
            "autumn: every school complies"
        );
        let spring = short(Term::spring(2021)) as f64 / reporting.len() as f64;
        assert!((0.1..0.4).contains(&spring), "spring shortfall {spring}");
    }
}

#[test]
fn the_supervision_visits_a_sample_and_closes_what_it_found() {
    use crate::double_reduction::supervision::{PROBLEMS, VISITED};
    for d in both() {
        let compulsory: HashSet<&str> = compulsory(d).iter().map(|s| s.code.as_str()).collect();
        super::supervision::a_sound_campaign(
            &d.double_reduction.supervision,
            &compulsory,
            VISITED,
            PROBLEMS,
        );
    }
}
