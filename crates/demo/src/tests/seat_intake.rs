//! The county seat's intake: from the allocation, in balanced classes.

use super::*;

#[test]
fn seat_intake_comes_from_the_allocation_and_balanced_classes() {
    let d = demo();
    assert_eq!(d.intake.len(), 2);
    let autumn_rows: HashMap<&str, &StudentRecord> = records(autumn())
        .map(|s| (s.id_number.as_str(), s))
        .collect();
    for intake in &d.intake {
        assert!(intake.input.applicants.len() > 1_000);
        assert!(intake.result.unplaced.is_empty(), "everyone placed");
        // The result is the engine's on the stored input.
        assert_eq!(
            emis_domain::enrollment::allocate(&intake.input),
            intake.result
        );
        for formed in &intake.classes {
            let students: Vec<emis_domain::enrollment::BalanceStudent> = intake
                .input
                .applicants
                .iter()
                .filter(|a| {
                    intake
                        .result
                        .placement(&a.id)
                        .and_then(|p| p.school_code.as_deref())
                        == Some(formed.school_code.as_str())
                })
                .map(|a| emis_domain::enrollment::BalanceStudent {
                    id: a.id.clone(),
                    sex: a.sex,
                    score: a.score,
                })
                .collect();
            assert_eq!(
                emis_domain::enrollment::form_classes(&students, formed.class_size, formed.seed),
                formed.classes
            );
            for (c, ids) in formed.classes.iter().enumerate() {
                assert!(ids.len() as u32 <= formed.class_size);
                for id in ids {
                    let row = autumn_rows[id.as_str()];
                    assert_eq!(row.school_code, formed.school_code);
                    assert_eq!(row.grade, formed.grade);
                    assert_eq!(row.class_number, c as u32 + 1);
                }
            }
        }
    }
}
