//! Property tests: results do not depend on row order, and agree with the rules.

use super::*;

type NormalizedCandidate = (String, bool, Option<IdDifference>);

/// What a result says, in terms that do not depend on row order.
fn normalized(
    population: &[PopulationPerson],
    roll: &[RollStudent],
    result: &MatchResult,
) -> BTreeMap<String, (String, Vec<NormalizedCandidate>)> {
    let mut out = BTreeMap::new();
    for e in &result.school_age {
        let kind = match e.finding {
            Finding::Enrolled { status, .. } => format!("enrolled {}", status.label()),
            Finding::Probable => "probable".to_string(),
            Finding::Suspected => "suspected".to_string(),
        };
        out.insert(
            population[e.person as usize].id_number.clone(),
            (kind, Vec::new()),
        );
    }
    for child in &result.suspected {
        let mut candidates: Vec<_> = child
            .candidates
            .iter()
            .map(|c| {
                (
                    roll[c.student as usize].id_number.clone(),
                    c.same_name_birth_sex,
                    c.id_difference,
                )
            })
            .collect();
        candidates.sort();
        if let Some(entry) = out.get_mut(&population[child.person as usize].id_number) {
            entry.1 = candidates;
        }
    }
    out
}

fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

/// The plain reading of [`pack_id`], digit by digit.
fn pack_slowly(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b[..17]
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
    let check = match b[17] {
        c @ b'0'..=b'9' => c - b'0',
        b'X' | b'x' => 10,
        _ => return None,
    };
    Some(n << 4 | u64::from(check))
}

proptest! {
    #[test]
    fn pack_id_reads_like_the_plain_loop(
        id in "[0-9]{17}[0-9Xx]|[0-9:/ ]{16}[0-9Xx]{2}|[0-9]{0,20}|\\PC{0,19}",
    ) {
        prop_assert_eq!(pack_id(&id), pack_slowly(&id));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_compulsory_age_person_lands_in_exactly_one_ledger(
        seed in any::<u64>(), n_pop in 0usize..600, n_roll in 0usize..600,
    ) {
        let (population, roll) = synthetic_population(n_roll, n_pop, seed);
        let result = run(&population, &roll);
        let settings = MatchSettings::default();
        let expected: Vec<u32> = (0..population.len() as u32)
            .filter(|&i| settings.is_compulsory_age(population[i as usize].birth_date, as_of()))
            .collect();
        let listed: Vec<u32> = result.school_age.iter().map(|e| e.person).collect();
        prop_assert_eq!(&listed, &expected);
        let suspected: Vec<u32> = result.school_age.iter()
            .filter(|e| e.finding.is_suspected()).map(|e| e.person).collect();
        let ledger: Vec<u32> = result.suspected.iter().map(|c| c.person).collect();
        prop_assert_eq!(&suspected, &ledger);
        for (e, c) in result.school_age.iter().filter(|e| e.finding.is_suspected()).zip(&result.suspected) {
            prop_assert_eq!(e.finding == Finding::Probable, c.is_probable());
        }
        let c = result.counts;
        prop_assert_eq!(c.in_school + c.accounted + c.not_in_school + c.suspected, c.school_age);
        prop_assert_eq!(c.probable, result.suspected.iter().filter(|c| c.is_probable()).count());
        let not_in_school: Vec<u32> = result.school_age.iter()
            .filter(|e| matches!(e.finding, Finding::Enrolled { status, .. } if Placement::of(status) == Placement::NotInSchool))
            .map(|e| e.person).collect();
        prop_assert_eq!(not_in_school, result.not_in_school.iter().map(|n| n.person).collect::<Vec<_>>());
    }

    #[test]
    fn an_id_on_the_roll_is_never_suspected(seed in any::<u64>(), n in 1usize..500) {
        let (population, roll) = synthetic_population(n, n, seed);
        let on_roll: HashSet<&str> = roll.iter().map(|s| s.id_number.as_str()).collect();
        let result = run(&population, &roll);
        for child in &result.suspected {
            prop_assert!(!on_roll.contains(population[child.person as usize].id_number.as_str()));
        }
        for e in &result.school_age {
            if let Finding::Enrolled { student, .. } = e.finding {
                prop_assert_eq!(&roll[student as usize].id_number, &population[e.person as usize].id_number);
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_input_order(seed in any::<u64>(), n in 1usize..400, order in any::<u64>()) {
        let (population, roll) = synthetic_population(n * 3 / 4, n, seed);
        let first = normalized(&population, &roll, &run(&population, &roll));
        let population2 = shuffled(&population, order);
        let roll2 = shuffled(&roll, order.rotate_left(17));
        let second = normalized(&population2, &roll2, &run(&population2, &roll2));
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_transposed_roll_number_is_probable_not_missed(
        seed in any::<u64>(), n in 1usize..300, pick in any::<prop::sample::Index>(), pos in 0usize..17,
    ) {
        let (mut population, roll) = synthetic_population(n, n, seed);
        let j = pick.index(roll.len());
        let original = roll[j].id_number.clone();
        let bytes = original.as_bytes();
        let i = (0..17).map(|k| (pos + k) % 17)
            .find(|&i| bytes[i] != bytes[i + 1] && !(i == 16 && bytes[17] == b'X'));
        prop_assume!(i.is_some());
        let i = i.unwrap_or(0);
        let typo = swap_adjacent(&original, i);
        // Nobody holds the roll's number; a child of compulsory age holds the typo.
        population.retain(|p| p.id_number != original && p.id_number != typo);
        let birth = d(2012, 6, 1);
        population.push(person(&typo, "测试儿童", Sex::Male, birth));
        let me = population.len() as u32 - 1;
        let result = run(&population, &roll);
        let on_roll = roll.iter().any(|s| s.id_number == typo);
        match finding_of(&result, me) {
            Some(Finding::Enrolled { .. }) => prop_assert!(on_roll),
            Some(Finding::Probable) => {
                let child = result.suspected.iter().find(|c| c.person == me).expect("listed");
                let hit = child.candidates.iter().find(|c| roll[c.student as usize].id_number == original);
                prop_assert!(hit.is_some(), "{:?}", child);
                prop_assert_eq!(
                    hit.and_then(|c| c.id_difference),
                    Some(IdDifference::Transposed { position: i as u8 + 1 })
                );
            }
            other => prop_assert!(false, "missed: {:?}", other),
        }
    }
}
