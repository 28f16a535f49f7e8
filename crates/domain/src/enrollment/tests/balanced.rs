//! Balanced classes: minimal, balanced and reproducible, scored students dealt first.

use super::*;

fn students(n: usize, seed: u64, scored: bool) -> Vec<BalanceStudent> {
    let mut rng = rng::SplitMix64::new(seed);
    (0..n)
        .map(|i| BalanceStudent {
            id: format!("S{i:04}"),
            sex: if rng.chance(52) {
                Sex::Male
            } else {
                Sex::Female
            },
            score: scored.then(|| rng.below(1001) as f64 / 10.0),
        })
        .collect()
}

#[test]
fn balanced_classes_are_minimal_balanced_and_reproducible() {
    let list = students(203, 1, true);
    let classes = form_classes(&list, 45, 42);
    assert_eq!(classes.len(), 5);
    let summary = summarize_classes(&list, &classes);
    let sizes: Vec<u32> = summary.iter().map(|s| s.size).collect();
    assert!(sizes.iter().all(|s| *s == 40 || *s == 41), "{sizes:?}");
    assert!(spread(summary.iter().map(|s| f64::from(s.male))) <= 1.0);
    assert!(spread(summary.iter().map(|s| f64::from(s.female))) <= 1.0);
    // Snake dealing keeps the means within a couple of points on a 0–100 scale.
    let means = spread(summary.iter().filter_map(|s| s.mean_score));
    assert!(means < 2.5, "class means spread {means}");
    assert_eq!(form_classes(&list, 45, 42), classes);
    assert_ne!(form_classes(&list, 45, 43), classes);
    let unscored = students(203, 1, false);
    assert_ne!(
        form_classes(&unscored, 45, 1),
        form_classes(&unscored, 45, 2)
    );
    assert!(form_classes(&[], 45, 1).is_empty());
    assert_eq!(form_classes(&list[..3], 0, 1).len(), 3);
}

#[test]
fn students_with_a_score_are_dealt_before_those_without() {
    let list: Vec<BalanceStudent> = (0..4)
        .map(|i| BalanceStudent {
            id: format!("{i}"),
            sex: Sex::Female,
            score: match i {
                0 => Some(90.0),
                1 => Some(f64::NAN),
                2 => None,
                _ => Some(60.0),
            },
        })
        .collect();
    let classes = form_classes(&list, 2, 7);
    // 90 and 60 are dealt first, one to each class.
    for class in &classes {
        assert_eq!(
            class.iter().filter(|id| *id == "0" || *id == "3").count(),
            1
        );
    }
    let summary = summarize_classes(&list, &classes);
    assert_eq!(summary.iter().map(|s| s.female).sum::<u32>(), 4);
}
