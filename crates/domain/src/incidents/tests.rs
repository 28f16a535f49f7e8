use super::*;
use proptest::prelude::*;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn facts(on: &str, category: IncidentCategory, in_school: bool, deaths: i64) -> IncidentFacts {
    IncidentFacts {
        happened_on: day(on),
        category,
        in_school,
        deaths,
        injuries: 2,
    }
}

#[test]
fn the_year_counts_in_and_out_of_school_and_drownings() {
    let all = [
        facts("2021-03-02", IncidentCategory::Traffic, false, 0),
        facts("2021-07-20", IncidentCategory::Drowning, false, 1),
        facts("2021-10-11", IncidentCategory::Accident, true, 0),
        facts("2020-07-20", IncidentCategory::Drowning, false, 2),
    ];
    let f = year_figures(2021, &all);
    assert_eq!(
        f,
        IncidentFigures {
            incidents: 3,
            in_school: 1,
            out_of_school: 2,
            deaths: 1,
            injuries: 6,
            drowning_deaths: 1,
        }
    );
    assert_eq!(year_figures(2019, &all), IncidentFigures::default());
}

#[test]
fn steps_follow_the_incident_until_closed() {
    let on = day("2021-05-01");
    let today = day("2021-12-31");
    assert!(check_step(on, false, day("2021-05-01"), today).is_ok());
    assert!(check_step(on, false, day("2021-04-30"), today).is_err());
    assert!(check_step(on, false, day("2022-01-01"), today).is_err());
    assert!(check_step(on, true, day("2021-06-01"), today)
        .expect_err("closed")
        .contains("已结案"));
    assert!(check_people("死亡人数", -1).is_err());
    assert!(check_people("受伤人数", MAX_PEOPLE + 1).is_err());
    assert_eq!(
        IncidentCategory::parse("交通事故"),
        Some(IncidentCategory::Traffic)
    );
    assert_eq!(StepKind::parse("结案"), Some(StepKind::Close));
}

proptest! {
    #[test]
    fn in_and_out_of_school_add_up(rows in proptest::collection::vec((0usize..8, any::<bool>(), 0i64..5, 0i64..5), 0..40)) {
        let all: Vec<IncidentFacts> = rows
            .iter()
            .map(|(c, inside, d, i)| IncidentFacts {
                happened_on: day("2021-06-01"),
                category: IncidentCategory::ALL[*c],
                in_school: *inside,
                deaths: *d,
                injuries: *i,
            })
            .collect();
        let f = year_figures(2021, &all);
        prop_assert_eq!(f.incidents as usize, all.len());
        prop_assert_eq!(f.in_school + f.out_of_school, f.incidents);
        prop_assert!(f.drowning_deaths <= f.deaths);
    }
}
