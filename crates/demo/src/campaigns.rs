//! A county-wide campaign of visits as the demo county ran it: the office visits a sample of
//! the eligible schools over working days from a start date, three schools a day, and checks
//! the area's whole list at each; a few visits find a problem, which goes back to the school
//! with a deadline of two weeks, is rectified within it and closed on review before the end
//! of the year. The 双减 专项督查 ([`crate::double_reduction`]) and the 督导检查
//! ([`crate::supervision`]) are two plans of it.

use crate::names::person_name;
use crate::rng::{between, pick, shuffle, Rng};
use chrono::{Days, NaiveDate};
use emis_domain::registry::{School, Sex};
use emis_domain::safety::Area;

/// A campaign with its visits and the problems found, closed.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCampaign {
    pub area: Area,
    pub title: String,
    pub planned_on: NaiveDate,
    pub checklist: Vec<&'static str>,
    pub visits: Vec<DemoVisit>,
    pub problems: Vec<DemoProblem>,
    /// The 文号 it is issued under (set once the county's documents are drawn).
    pub document: Option<String>,
}

/// The inspectors' day at a school: every item checked, with what they saw.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoVisit {
    pub school_code: String,
    pub checked_on: NaiveDate,
    pub note: String,
}

/// A problem found at a visit, from 待整改 to 已销号.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoProblem {
    pub school_code: String,
    pub category: &'static str,
    pub place: &'static str,
    pub description: &'static str,
    pub found_on: NaiveDate,
    pub responsible: String,
    pub measures: &'static str,
    pub deadline: NaiveDate,
    pub result: &'static str,
    pub rectified_on: NaiveDate,
    pub review: &'static str,
    pub closed_on: NaiveDate,
}

/// What a visit may find: (checklist item, where, problem, measures, result).
pub type Finding = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// How a campaign is drawn.
pub struct Plan {
    pub area: Area,
    pub title: &'static str,
    pub start: NaiveDate,
    /// Schools visited, and how many of the visits find a problem.
    pub visited: usize,
    pub problems: usize,
    pub findings: &'static [Finding],
    /// The schools the campaign visits.
    pub eligible: fn(&School) -> bool,
}

fn later(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days))).unwrap_or(d)
}

/// Draws the campaign of `plan` among `schools`.
pub fn generate(rng: &mut Rng, schools: &[School], plan: &Plan) -> DemoCampaign {
    let start = plan.start;
    let mut eligible: Vec<&School> = schools.iter().filter(|s| (plan.eligible)(s)).collect();
    eligible.sort_by(|a, b| a.code.cmp(&b.code));
    shuffle(rng, &mut eligible);
    let visited = &eligible[..plan.visited.min(eligible.len())];
    let mut findings: Vec<usize> = (0..plan.findings.len()).collect();
    shuffle(rng, &mut findings);
    let mut visits = Vec::with_capacity(visited.len());
    let mut problems = Vec::new();
    for (n, s) in visited.iter().enumerate() {
        // Two weeks of working days, three schools a day.
        let day = later(start, (n as u32 / 3) + 2 * (n as u32 / 15));
        let found = (n < plan.problems).then(|| plan.findings[findings[n % findings.len()]]);
        let note = match found {
            Some((item, _, what, _, _)) => format!("{item}：{what}；其余项目符合要求"),
            None => "各项均符合要求".to_string(),
        };
        visits.push(DemoVisit {
            school_code: s.code.clone(),
            checked_on: day,
            note,
        });
        if let Some((category, place, description, measures, result)) = found {
            let deadline = later(day, 14);
            let rectified_on = later(day, between(rng, 5, 12));
            let sex = *pick(rng, &[Sex::Male, Sex::Female]);
            problems.push(DemoProblem {
                school_code: s.code.clone(),
                category,
                place,
                description,
                found_on: day,
                responsible: format!("分管副校长{}", person_name(rng, sex)),
                measures,
                deadline,
                result,
                rectified_on,
                review: "复查合格，予以销号",
                closed_on: later(rectified_on, between(rng, 1, 4)),
            });
        }
    }
    DemoCampaign {
        area: plan.area,
        title: plan.title.into(),
        planned_on: start,
        checklist: plan.area.checklist().to_vec(),
        visits,
        problems,
        document: None,
    }
}
