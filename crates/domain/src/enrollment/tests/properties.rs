//! Property tests: random inputs against a model of the documented rules.

use super::*;

/// Random inputs: up to 8 schools (some without a plan), 30 communities (some in two
/// zones, some in none), 300 applicants (some from unknown communities), distances in
/// steps of 100 m so that ties happen, small classes so that schools fill.
fn arb_input() -> impl Strategy<Value = AllocationInput> {
    (1usize..=8, 1usize..=30)
        .prop_flat_map(|(ns, nc)| {
            let plans =
                prop::collection::vec(prop::option::weighted(0.9, (0u32..=4, 1u32..=12)), ns);
            let zoning = prop::collection::vec(
                (
                    prop::option::weighted(0.85, 0..ns),
                    prop::option::weighted(0.1, 0..ns),
                ),
                nc,
            );
            let dist = prop::collection::vec(
                prop::collection::vec(
                    prop::option::weighted(0.8, (0u32..40).prop_map(|x| x * 100)),
                    ns,
                ),
                nc,
            );
            let people = prop::collection::vec(
                (
                    0..=nc,
                    any::<bool>(),
                    any::<bool>(),
                    prop::option::weighted(0.2, 0..ns),
                    prop::collection::vec(0usize..4, 0..3),
                    any::<bool>(),
                    0u16..1000,
                ),
                0..=300,
            );
            (Just(ns), Just(nc), plans, zoning, dist, people)
        })
        .prop_map(|(ns, nc, plans, zoning, dist, people)| {
            let school = |s: usize| format!("S{s}");
            let community = |c: usize| format!("C{c:02}");
            let capacities = plans
                .iter()
                .enumerate()
                .filter_map(|(s, p)| p.map(|(classes, size)| plan(&school(s), classes, size)))
                .collect();
            let mut zones: Vec<Zone> = (0..ns).map(|s| zone(&school(s), &[])).collect();
            for (c, (first, second)) in zoning.iter().enumerate() {
                for s in first.iter().chain(second.iter()) {
                    zones[*s].communities.push(community(c));
                }
            }
            let mut distances = Distances::new();
            for (c, row) in dist.iter().enumerate() {
                for (s, d) in row.iter().enumerate() {
                    if let Some(d) = d {
                        distances.insert(&community(c), &school(s), *d);
                    }
                }
            }
            let mut applicants: Vec<Applicant> = people
                .iter()
                .enumerate()
                .map(
                    |(i, (c, hukou, property, sibling, prio, male, tag))| Applicant {
                        id: format!("{tag:03}-{i:03}"),
                        name: String::new(),
                        sex: if *male { Sex::Male } else { Sex::Female },
                        community: if *c == nc {
                            "unknown".into()
                        } else {
                            community(*c)
                        },
                        hukou_in_zone: *hukou,
                        owns_property: *property,
                        sibling_at_school: sibling.map(school),
                        priority: prio.iter().map(|p| PriorityCategory::ALL[*p]).collect(),
                        score: None,
                    },
                )
                .collect();
            // About 1.5 % repeat the previous ID number.
            for i in 1..applicants.len() {
                if people[i].6 < 15 {
                    applicants[i].id = applicants[i - 1].id.clone();
                }
            }
            AllocationInput {
                grade: Grade::G1,
                communities: Vec::new(),
                zones,
                capacities,
                distances,
                applicants,
            }
        })
}

/// The model's own view of an input: capacity per offering school, and each community's
/// zone school by the documented rule (nearest claiming zone, then lowest code).
struct Model {
    capacity: BTreeMap<String, u32>,
    zone_of: HashMap<String, String>,
}

fn model(input: &AllocationInput) -> Model {
    let mut capacity = BTreeMap::new();
    for c in &input.capacities {
        capacity
            .entry(c.school_code.clone())
            .or_insert(c.capacity());
    }
    let mut claims: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for z in &input.zones {
        for c in &z.communities {
            claims.entry(c).or_default().push(&z.school_code);
        }
    }
    let zone_of = claims
        .into_iter()
        .filter_map(|(c, schools)| {
            let best = schools
                .into_iter()
                .min_by_key(|s| (input.distances.get(c, s).unwrap_or(u32::MAX), *s))?;
            Some((c.to_string(), best.to_string()))
        })
        .collect();
    Model { capacity, zone_of }
}

/// (0 zone / 1 out of zone, rank, distance, ID number): the documented overflow order.
type ReplayKey<'a> = (u8, PriorityRank, u32, &'a str);

fn dist_or_max(input: &AllocationInput, community: &str, school: &str) -> u32 {
    input.distances.get(community, school).unwrap_or(u32::MAX)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn capacity_and_exactly_once(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        prop_assert_eq!(r.placements.len(), input.applicants.len());
        let mut count: BTreeMap<&str, u32> = BTreeMap::new();
        let mut seen = HashSet::new();
        let mut not_placed: Vec<&str> = Vec::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            prop_assert_eq!(&p.applicant_id, &a.id);
            prop_assert!(!p.reason.is_empty());
            let repeated = !seen.insert(a.id.as_str());
            match &p.school_code {
                Some(s) => {
                    prop_assert!(!repeated);
                    prop_assert!(p.kind != PlacementKind::Unplaced);
                    *count.entry(s).or_default() += 1;
                }
                None => {
                    prop_assert_eq!(p.kind, PlacementKind::Unplaced);
                    not_placed.push(&a.id);
                }
            }
        }
        // The unplaced list is exactly the applicants without a school, in input order.
        let listed: Vec<&str> = r.unplaced.iter().map(|u| u.applicant_id.as_str()).collect();
        prop_assert_eq!(listed, not_placed);
        prop_assert_eq!(r.placed_count() + r.unplaced.len(), input.applicants.len());
        for s in &r.schools {
            let placed = count.get(s.school_code.as_str()).copied().unwrap_or(0);
            prop_assert_eq!(s.placed, placed);
            prop_assert_eq!(s.placed, s.placed_zone + s.placed_overflow);
            prop_assert!(s.placed <= s.capacity);
            prop_assert_eq!(s.capacity, m.capacity.get(&s.school_code).copied().unwrap_or(0));
            prop_assert!(s.classes_needed <= s.classes_planned);
            prop_assert!(s.largest_class <= s.class_size);
        }
    }

    #[test]
    fn nobody_is_displaced_by_a_lower_priority(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        let mut first = HashSet::new();
        // Per zone school: the worst (rank, distance, id) admitted by zone.
        let mut worst: HashMap<&str, (PriorityRank, u32, &str)> = HashMap::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if p.kind == PlacementKind::Zone {
                let s = p.school_code.as_deref().unwrap_or_default();
                prop_assert_eq!(m.zone_of.get(&a.community).map(String::as_str), Some(s));
                let key = (p.rank, dist_or_max(&input, &a.community, s), a.id.as_str());
                let w = worst.entry(s).or_insert(key);
                if key > *w { *w = key; }
            }
        }
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if !first.insert(a.id.as_str()) { continue; }
            let Some(z) = m.zone_of.get(&a.community) else {
                prop_assert_eq!(p.rank, PriorityRank::OutOfZone);
                prop_assert!(p.kind != PlacementKind::Zone);
                continue;
            };
            prop_assert_eq!(p.rank, PriorityRank::of(a, Some(z)));
            prop_assert_eq!(p.zone_school.as_ref(), Some(z));
            if let Some(w) = worst.get(z.as_str()) {
                let key = (p.rank, dist_or_max(&input, &a.community, z), a.id.as_str());
                if key < *w || p.rank < w.0 {
                    prop_assert_eq!(p.school_code.as_ref(), Some(z), "{} displaced at {}", a.id, z);
                }
            }
            if p.kind != PlacementKind::Zone {
                // Not admitted at the zone school: it was full with zone applicants.
                let cap = m.capacity.get(z).copied().unwrap_or(0);
                let zs = r.school(z).map_or(0, |s| s.placed_zone);
                prop_assert_eq!(zs, cap);
            }
        }
        // Overflow reaches a school only after all its zone applicants are in.
        for s in &r.schools {
            if s.placed_overflow > 0 {
                prop_assert_eq!(s.placed_zone, s.zone_applicants);
            }
        }
    }

    #[test]
    fn prop_overflow_goes_to_the_nearest_school_with_room(input in arb_input()) {
        let r = allocate(&input);
        let m = model(&input);
        let full: HashSet<&str> = r
            .schools
            .iter()
            .filter(|s| s.placed >= s.capacity)
            .map(|s| s.school_code.as_str())
            .collect();
        let offering: Vec<(&str, u32)> = m
            .capacity
            .iter()
            .filter(|(_, c)| **c > 0)
            .map(|(s, c)| (s.as_str(), *c))
            .collect();
        // End-state check: every school nearer than the one chosen is full.
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if p.kind != PlacementKind::Overflow { continue; }
            let t = p.school_code.as_deref().unwrap_or_default();
            let d = input.distances.get(&a.community, t);
            prop_assert_eq!(p.distance_m, d);
            let d = d.unwrap_or(u32::MAX);
            for (s, _) in &offering {
                if let Some(ds) = input.distances.get(&a.community, s) {
                    if (ds, *s) < (d, t) {
                        prop_assert!(
                            full.contains(s),
                            "{} sent to {} but {} nearer has room", a.id, t, s
                        );
                    }
                }
            }
        }
        // Replay in the documented order: zone overflow by (rank, distance, id), then out of
        // zone by (nearest distance, id); each takes the nearest school with room then.
        let mut room: BTreeMap<&str, u32> = offering.iter().map(|(s, c)| (*s, *c)).collect();
        for s in &r.schools {
            if let Some(x) = room.get_mut(s.school_code.as_str()) { *x -= s.placed_zone; }
        }
        let mut seen = HashSet::new();
        let mut queue: Vec<(ReplayKey<'_>, usize)> = Vec::new();
        for (i, (p, a)) in r.placements.iter().zip(&input.applicants).enumerate() {
            if !seen.insert(a.id.as_str()) || p.kind == PlacementKind::Zone { continue; }
            let key = match m.zone_of.get(&a.community) {
                Some(z) => (0, p.rank, dist_or_max(&input, &a.community, z), a.id.as_str()),
                None => {
                    let nearest = offering
                        .iter()
                        .filter_map(|(s, _)| input.distances.get(&a.community, s))
                        .min()
                        .unwrap_or(u32::MAX);
                    (1, p.rank, nearest, a.id.as_str())
                }
            };
            queue.push((key, i));
        }
        queue.sort();
        for (_, i) in queue {
            let a = &input.applicants[i];
            let choice = room
                .iter()
                .filter(|(_, left)| **left > 0)
                .filter_map(|(s, _)| Some((input.distances.get(&a.community, s)?, *s)))
                .min();
            prop_assert_eq!(
                r.placements[i].school_code.as_deref(),
                choice.map(|(_, s)| s),
                "replay of {}", a.id
            );
            if let Some((_, s)) = choice {
                if let Some(x) = room.get_mut(s) { *x -= 1; }
            }
        }
        // Within a community, a higher rank is never sent farther, nor left out while a
        // lower rank gets an overflow place.
        let mut first = HashSet::new();
        let mut by_community: BTreeMap<&str, Vec<(PriorityRank, Option<u32>)>> = BTreeMap::new();
        for (p, a) in r.placements.iter().zip(&input.applicants) {
            if !first.insert(a.id.as_str()) {
                continue;
            }
            if p.kind != PlacementKind::Zone {
                by_community.entry(&a.community).or_default().push((p.rank, p.distance_m));
            }
        }
        for list in by_community.values() {
            for x in list {
                for y in list {
                    if x.0 < y.0 {
                        if let Some(dy) = y.1 {
                            prop_assert!(x.1.is_some_and(|dx| dx <= dy));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn allocation_is_deterministic_and_order_free(input in arb_input(), rotate in 0usize..300) {
        let r = allocate(&input);
        prop_assert_eq!(&r, &allocate(&input));
        let mut other = input.clone();
        other.applicants.reverse();
        if !other.applicants.is_empty() {
            let k = rotate % other.applicants.len();
            other.applicants.rotate_left(k);
        }
        let mut zones = other.zones.clone();
        zones.reverse();
        other.zones = zones;
        let r2 = allocate(&other);
        // Order-free when ID numbers are unique (of repeated ones, the first in input order
        // is the application that counts).
        let ids: HashSet<&str> = input.applicants.iter().map(|a| a.id.as_str()).collect();
        if ids.len() == input.applicants.len() {
            prop_assert_eq!(&r.schools, &r2.schools);
            prop_assert_eq!(&r.warnings, &r2.warnings);
            for p in &r.placements {
                prop_assert_eq!(Some(p), r2.placement(&p.applicant_id));
            }
        }
    }

    #[test]
    fn applying_an_empty_scenario_changes_nothing(input in arb_input()) {
        let same = apply(&input, &Scenario { name: "无变化".into(), changes: Vec::new() });
        prop_assert_eq!(&same, &input);
        let r = allocate(&input);
        let c = compare(&r, &allocate(&same));
        prop_assert!(c.changed.is_empty() && c.schools.is_empty());
    }

    #[test]
    fn balanced_class_invariants(
        people in prop::collection::vec((any::<bool>(), prop::option::of(0.0f64..100.0)), 0..250),
        class_size in 1u32..=60,
        seed in any::<u64>(),
    ) {
        let list: Vec<BalanceStudent> = people
            .iter()
            .enumerate()
            .map(|(i, (male, score))| BalanceStudent {
                id: format!("{i:03}"),
                sex: if *male { Sex::Male } else { Sex::Female },
                score: *score,
            })
            .collect();
        let classes = form_classes(&list, class_size, seed);
        prop_assert_eq!(classes.len(), list.len().div_ceil(class_size as usize));
        let mut all: Vec<&String> = classes.iter().flatten().collect();
        all.sort();
        let expected: Vec<&String> = list.iter().map(|s| &s.id).collect();
        prop_assert_eq!(all, expected);
        let summary = summarize_classes(&list, &classes);
        for s in &summary {
            prop_assert!(s.size <= class_size);
            prop_assert!(s.size > 0);
        }
        if !summary.is_empty() {
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.size))) <= 1.0);
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.male))) <= 1.0);
            prop_assert!(spread(summary.iter().map(|s| f64::from(s.female))) <= 1.0);
        }
        prop_assert_eq!(form_classes(&list, class_size, seed), classes);
    }
}
