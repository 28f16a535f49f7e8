//! 建设项目: the 2021 figures summed from the generated projects by the system's own rule
//! (`emis_domain::projects::year_figures`), and every project at a school of the county.

use super::*;
use emis_domain::projects::{check_dates, year_figures, ProjectFacts};

fn facts(d: &DemoCounty) -> Vec<ProjectFacts> {
    d.projects
        .iter()
        .map(|p| ProjectFacts {
            school_code: p.school_code.clone(),
            started_on: p.started_on,
            completed_on: p.completed_on,
            adds: p.adds,
        })
        .collect()
}

fn money(d: &DemoCounty) -> impl Iterator<Item = (i32, i64)> + '_ {
    d.projects
        .iter()
        .flat_map(|p| p.investments.iter().map(|(y, fen, _)| (*y, *fen)))
}

#[test]
fn projects_give_the_summary_figures_of_2021() {
    let d = demo();
    let f = year_figures(2021, &facts(d), money(d));
    // 3.7344亿元.
    assert_eq!(f.investment_fen, 37_344 * 1_000_000);
    let degrees = f.adds.degrees;
    assert_eq!(degrees.compulsory, 2500);
    assert_eq!(degrees.senior + degrees.vocational, 2500, "高中及中职");
    assert_eq!(degrees.vocational, 601);
    assert_eq!(degrees.preschool_public, 900);
    assert_eq!(f.adds.housing_units, 524);
    // 2020 has its own money and completions, for the year-over-year view.
    let before = year_figures(2020, &facts(d), money(d));
    assert!(before.investment_fen > 0 && before.completed > 0);
}

#[test]
fn every_project_is_at_a_school_of_the_county_and_dated_in_order() {
    let d = demo();
    let codes: HashSet<&str> = d.schools.iter().map(|s| s.code.as_str()).collect();
    for p in &d.projects {
        if let Some(code) = &p.school_code {
            assert!(codes.contains(code.as_str()), "{}", p.name);
        }
        assert!(
            check_dates(p.started_on, p.completed_on).is_ok(),
            "{}",
            p.name
        );
    }
    // Only the county-wide lighting and digital work has no school of its own.
    let without: Vec<&str> = d
        .projects
        .iter()
        .filter(|p| p.school_code.is_none())
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        without,
        [
            "35所寄宿制学校1222间教室照明改造",
            "教育信息化2.0（智慧校园）建设"
        ]
    );
    let named = |stem: &str| d.projects.iter().any(|p| p.name.contains(stem));
    assert!(named("雅堂芙蓉学校") && named("湘维分校") && named("照明改造"));
    let boarding = d
        .projects
        .iter()
        .filter(|p| p.name.ends_with("寄宿制学校建设"))
        .count();
    assert_eq!(boarding, 5);
}
