//! Compulsory age: the cut-off date, 29 February, the age settings and the birth range.

use super::*;

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
