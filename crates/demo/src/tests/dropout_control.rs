//! 控辍保学: the population roll, the cases and 送教上门.

use super::*;
use emis_domain::dropout::cases::{apply, Case, CaseStatus};
use emis_domain::dropout::{match_roll, MatchResult, MatchSettings, RollStudent};

/// The household roll compared with a roll of students, as the import compares them.
fn compare<'a>(
    d: &dropout::DemoDropout,
    students: impl Iterator<Item = &'a StudentRecord>,
) -> MatchResult {
    let roll: Vec<RollStudent> = students
        .map(|s| RollStudent {
            id_number: s.id_number.clone(),
            name: s.name.clone(),
            sex: s.sex,
            birth_date: s.birth_date,
            school_code: s.school_code.clone(),
            status: s.status,
        })
        .collect();
    match_roll(&d.population, &roll, d.as_of, &MatchSettings::default()).expect("match")
}

/// The ID numbers the comparison finds suspected, and those with a case: the same.
fn suspected_are_cased(d: &dropout::DemoDropout, result: &MatchResult) -> usize {
    let suspected: HashSet<&str> = result
        .suspected
        .iter()
        .map(|c| d.population[c.person as usize].id_number.as_str())
        .collect();
    let cased: HashSet<&str> = d.cases.iter().map(|c| c.person_id.as_str()).collect();
    assert_eq!(suspected, cased);
    suspected.len()
}

/// A case worked through its steps, each accepted by the case workflow.
fn worked(plan: &dropout::DemoCase, opened: NaiveDate) -> Case {
    plan.steps()
        .into_iter()
        .fold(Case::open(&plan.person_id, "x", opened), |case, step| {
            apply(&case, step).expect("a valid step")
        })
}

/// 控辍保学: the demo roll matches the student roll except for the planned cases, every
/// case closes before year end through the case workflow, and every 送教上门 student has a
/// plan with teachers and visits in its term.
#[test]
fn dropout_roll_matches_and_every_case_closes() {
    let d = &demo().dropout;
    let result = compare(d, demo().students.iter().filter(|s| s.term == autumn()));
    assert_eq!(
        result.counts.suspected,
        dropout::NOT_ON_ROLL + dropout::MISTYPED
    );
    assert_eq!(result.counts.probable, dropout::MISTYPED);
    assert_eq!(result.counts.not_in_school, 0);
    assert!(result.counts.school_age > 100_000);
    suspected_are_cased(d, &result);
    let year_end = NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    for plan in &d.cases {
        assert_eq!(worked(plan, d.as_of).status, CaseStatus::Closed);
        let close = plan.close.as_ref().expect("every 2021 case closes");
        assert!(close.on <= year_end);
    }
    for term in [spring(), autumn()] {
        let home: HashSet<&str> = demo()
            .students
            .iter()
            .filter(|s| s.term == term && s.status == StudentStatus::HomeTaught)
            .map(|s| s.id_number.as_str())
            .collect();
        let plans: Vec<_> = d.plans.iter().filter(|p| p.term == term).collect();
        assert_eq!(plans.len(), home.len());
        for p in plans {
            assert!(home.contains(p.student_id.as_str()));
            assert_eq!(p.teachers.len(), 2);
            assert!(p.visits.len() >= 6, "{} visits", p.visits.len());
            assert!(p.visits.iter().all(|v| Term::containing(v.date) == term));
        }
    }
}

/// 2020, derived from 2021 over a 2020 roll (here the spring 2021 roll less one in 37): the
/// comparison finds exactly the children with a 2020 case, more than 2021's, with the
/// mistyped ones as probable matches; every case is a valid run of the workflow, and only
/// the planned few are left open; each 送教上门 plan lies in its 2020 term.
#[test]
fn previous_year_compares_to_its_cases() {
    let d = demo();
    let spring_2021: Vec<&StudentRecord> =
        d.students.iter().filter(|s| s.term == spring()).collect();
    let autumn_2020: Vec<&StudentRecord> = spring_2021
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 37 != 0)
        .map(|(_, s)| *s)
        .collect();
    let on_roll: HashSet<String> = autumn_2020.iter().map(|s| s.id_number.clone()).collect();
    let home: HashSet<String> = autumn_2020
        .iter()
        .filter(|s| s.status == StudentStatus::HomeTaught)
        .map(|s| s.id_number.clone())
        .collect();
    let previous = dropout::previous_year(
        2021,
        &d.dropout,
        &d.schools,
        &d.students,
        &d.staff,
        &on_roll,
        [&home, &home],
    );
    assert_eq!(previous.as_of, dropout::previous_as_of());
    let result = compare(&previous, autumn_2020.iter().copied());
    let suspected = suspected_are_cased(&previous, &result);
    assert_eq!(result.counts.probable, dropout::PREVIOUS_MISTYPED);
    assert!(
        suspected > dropout::NOT_ON_ROLL + dropout::MISTYPED,
        "{suspected} suspected in 2020"
    );
    let open = previous
        .cases
        .iter()
        .filter(|plan| worked(plan, previous.as_of).status != CaseStatus::Closed)
        .count();
    assert_eq!(
        open,
        dropout::PREVIOUS_MISTYPED_OPEN + dropout::PREVIOUS_OPEN
    );
    assert_eq!(previous.plans.len(), 2 * home.len());
    for p in &previous.plans {
        assert!(home.contains(&p.student_id));
        assert!(p.visits.iter().all(|v| Term::containing(v.date) == p.term));
    }
}
