use super::*;
use proptest::prelude::*;

#[test]
fn the_five_year_intake_counts_that_schooling_and_year() {
    let rows = [
        (Schooling::FiveYear, 2021, 38),
        (Schooling::ThreeYear, 2021, 120),
        (Schooling::FiveYear, 2020, 30),
    ];
    assert_eq!(five_year_intake(2021, rows), 38);
    assert_eq!(five_year_intake(2019, rows), 0);
    assert_eq!(Schooling::parse("五年制"), Some(Schooling::FiveYear));
    assert!(check_intake(-1).is_err() && check_intake(MAX_INTAKE + 1).is_err());
    assert!(check_years(0).is_err() && check_years(5).is_ok());
    let signed: chrono::NaiveDate = "2021-06-18".parse().expect("date");
    assert_eq!(runs_until(signed, 5), "2026-06-17".parse().ok());
}

proptest! {
    #[test]
    fn the_intake_is_the_sum_of_its_rows(ns in proptest::collection::vec(0i64..MAX_INTAKE, 0..20)) {
        let rows: Vec<_> = ns.iter().map(|n| (Schooling::FiveYear, 2021, *n)).collect();
        prop_assert_eq!(five_year_intake(2021, rows), ns.iter().sum::<i64>());
    }
}
