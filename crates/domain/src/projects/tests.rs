use super::*;
use proptest::prelude::*;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn project(school: &str, started: &str, completed: Option<&str>, classrooms: i64) -> ProjectFacts {
    ProjectFacts {
        school_code: Some(school.to_string()),
        started_on: day(started),
        completed_on: completed.map(day),
        adds: Adds {
            classrooms,
            ..Adds::default()
        },
    }
}

#[test]
fn wan_reads_the_bureau_spellings() {
    assert_eq!(parse_wan("3718"), Some(3_718_000_000));
    assert_eq!(parse_wan("3,718.5"), Some(3_718_500_000));
    assert_eq!(parse_wan("０.０１"), Some(10_000));
    assert_eq!(parse_wan("0.000001"), Some(1));
    assert_eq!(parse_wan("12万元"), Some(12_000_000));
    for bad in ["", "-1", "1.0000001", "一百", "1e3", ".5"] {
        assert_eq!(parse_wan(bad), None, "{bad}");
    }
    assert_eq!(wan(37_344_000_000), "37344.00");
    assert_eq!(wan(5_000), "0.01", "half a hundredth rounds up");
    assert_eq!(wan(4_999), "0.00");
}

#[test]
fn a_completion_before_its_start_is_refused() {
    assert!(check_dates(day("2021-03-01"), Some(day("2021-02-28"))).is_err());
    assert!(check_dates(day("2021-03-01"), Some(day("2021-03-01"))).is_ok());
    assert!(check_dates(day("2021-03-01"), None).is_ok());
    assert!(check_quantity("教室间数", -1).is_err());
    assert!(check_quantity("教室间数", 100_001).is_err());
}

#[test]
fn status_follows_the_dates() {
    let today = day("2021-09-01");
    assert_eq!(
        status(day("2021-10-01"), None, today),
        ProjectStatus::Planned
    );
    assert_eq!(
        status(day("2021-03-01"), None, today),
        ProjectStatus::Building
    );
    // A completion date still ahead is a plan, not a fact.
    assert_eq!(
        status(day("2021-03-01"), Some(day("2021-12-01")), today),
        ProjectStatus::Building
    );
    assert_eq!(
        status(day("2021-03-01"), Some(day("2021-08-20")), today),
        ProjectStatus::Completed
    );
}

#[test]
fn a_year_counts_its_investment_and_its_completions() {
    let mut done = project("A", "2020-03-01", Some("2021-08-20"), 24);
    done.adds.degrees.compulsory = 1080;
    done.adds.housing_units = 40;
    let earlier = project("A", "2019-03-01", Some("2020-08-20"), 12);
    let open = project("B", "2021-03-01", None, 30);
    let figures = year_figures(
        2021,
        [&done, &earlier, &open],
        [(2021, 100), (2020, 1_000), (2021, 23)],
    );
    assert_eq!(figures.investment_fen, 123);
    assert_eq!(figures.completed, 1);
    assert_eq!(figures.adds.degrees.compulsory, 1080);
    assert_eq!(figures.adds.classrooms, 24);
    assert_eq!(figures.adds.housing_units, 40);
}

#[test]
fn classrooms_take_effect_on_completion() {
    let ps = [
        project("A", "2020-03-01", Some("2021-08-20"), 24),
        project("A", "2021-03-01", None, 30),
        project("B", "2020-03-01", Some("2021-01-10"), 6),
    ];
    let added = |on: &str, school: &str| classrooms_added(&ps, day(on)).get(school).copied();
    assert_eq!(added("2021-08-19", "A"), None);
    assert_eq!(added("2021-08-20", "A"), Some(24));
    assert_eq!(added("2021-09-01", "B"), Some(6));
    assert_eq!(added("2021-09-01", "C"), None);
}

proptest! {
    #[test]
    fn wan_round_trips_to_the_hundredth(hundredths in 0i64..10_000_000_000) {
        let fen = hundredths * 10_000;
        prop_assert_eq!(parse_wan(&wan(fen)), Some(fen));
    }

    #[test]
    fn exact_wan_reads_back_to_the_fen(fen in 0i64..1_000_000_000_000) {
        prop_assert_eq!(parse_wan(&wan_exact(fen)), Some(fen));
    }

    #[test]
    fn a_year_adds_up_to_its_parts(
        years in proptest::collection::vec((2019i32..2023, 0i64..1_000_000), 0..40),
    ) {
        let total: i64 = (2019..2023)
            .map(|y| year_figures(y, [], years.iter().copied()).investment_fen)
            .sum();
        prop_assert_eq!(total, years.iter().map(|(_, f)| f).sum::<i64>());
    }
}
