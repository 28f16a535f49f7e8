//! The synthetic input (deterministic, valid) and an allocation at county scale.

use super::*;

#[test]
fn synthetic_input_is_deterministic_and_valid() {
    let a = synthetic_input(2000, 10, 200, 7);
    assert_eq!(a, synthetic_input(2000, 10, 200, 7));
    assert_ne!(a.applicants, synthetic_input(2000, 10, 200, 8).applicants);
    assert_eq!(a.applicants.len(), 2000);
    assert_eq!(a.capacities.len(), 10);
    assert_eq!(a.distances.len(), 2000);
    let ids: HashSet<&str> = a.applicants.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids.len(), 2000);
    for x in &a.applicants {
        let id = IdNumber::parse(&x.id).expect("valid ID number");
        assert_eq!(id.sex(), x.sex);
    }
    let r = allocate(&a);
    assert!(r.placed_count() > 1500);
    assert!(r
        .placements
        .iter()
        .any(|p| p.kind == PlacementKind::Overflow));
    assert!(synthetic_input(0, 0, 0, 1).applicants.is_empty());
    assert_eq!(synthetic_input(5, 0, 0, 1).applicants.len(), 5);
}

#[test]
fn scale_20000_applicants_60_schools_2000_communities() {
    let input = synthetic_input(20_000, 60, 2_000, 2021);
    let started = std::time::Instant::now();
    let r = allocate(&input);
    let elapsed = started.elapsed();
    assert_eq!(r.placements.len(), 20_000);
    assert_eq!(r.schools.len(), 60);
    assert_eq!(r.placed_count() + r.unplaced.len(), 20_000);
    assert!(r.schools.iter().all(|s| s.placed <= s.capacity));
    eprintln!(
        "allocate 20,000 / 60 / 2,000: {elapsed:?}, placed {}",
        r.placed_count()
    );
}
