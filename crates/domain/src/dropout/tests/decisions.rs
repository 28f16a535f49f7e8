//! Officers' decisions on probable matches applied to a comparison.

use super::*;

/// Three children with a transposed number each; the roll holds the right numbers, the
/// second student 转出.
fn three_probable() -> (Vec<PopulationPerson>, Vec<RollStudent>) {
    let b = d(2011, 3, 4);
    let right: Vec<String> = (0..3).map(|i| id_for(b, 310 + i * 7)).collect();
    let population = right
        .iter()
        .enumerate()
        .map(|(i, id)| person(&swap_adjacent(id, 13), &format!("甲{i}"), Sex::Male, b))
        .collect();
    let statuses = [
        StudentStatus::Enrolled,
        StudentStatus::TransferredOut,
        StudentStatus::Enrolled,
    ];
    let roll = right
        .iter()
        .zip(statuses)
        .enumerate()
        .map(|(i, (id, status))| student(id, &format!("乙{i}"), Sex::Male, b, status))
        .collect();
    (population, roll)
}

#[test]
fn decisions_turn_probable_matches_into_found_or_suspected() {
    let (population, roll) = three_probable();
    let mut result = run(&population, &roll);
    assert_eq!(result.counts.probable, 3);
    // Children 0 and 1 confirmed, child 2 rejected; each about its own candidate only.
    let decided = |child: &str, student: &str| {
        let n = population.iter().position(|p| p.id_number == child)?;
        (roll[n].id_number == student).then_some(if n < 2 {
            MatchDecision::Confirmed
        } else {
            MatchDecision::Rejected
        })
    };
    assert_eq!(apply_decisions(&mut result, &population, &roll, decided), 3);
    assert_eq!(
        finding_of(&result, 0),
        Some(Finding::Enrolled {
            student: 0,
            status: StudentStatus::Enrolled
        })
    );
    assert_eq!(finding_of(&result, 2), Some(Finding::Suspected));
    let c = result.counts;
    assert_eq!((c.suspected, c.probable), (1, 0));
    assert_eq!((c.in_school, c.not_in_school), (1, 1));
    assert_eq!(result.not_in_school[0].person, 1);
    assert_eq!(result.suspected.len(), 1);
    assert!(!result.suspected[0].is_probable());
}

#[test]
fn decisions_about_other_pairs_leave_the_comparison_alone() {
    let (population, roll) = three_probable();
    let before = run(&population, &roll);
    let mut result = before.clone();
    // A decision about another student does not touch these candidates.
    let other = |_: &str, student: &str| {
        (student == "431224201103040000").then_some(MatchDecision::Rejected)
    };
    assert_eq!(apply_decisions(&mut result, &population, &roll, other), 0);
    assert_eq!(result, before);
}
