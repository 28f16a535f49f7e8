//! Synthetic data, county and province scale, and the columnar tables against row slices.

use super::*;

#[test]
fn synthetic_data_is_deterministic_and_valid() {
    let (p1, r1) = synthetic_population(3_000, 4_000, 9);
    let (p2, r2) = synthetic_population(3_000, 4_000, 9);
    assert_eq!(p1, p2);
    assert_eq!(r1, r2);
    assert_eq!(p1.len(), 4_000);
    assert_eq!(r1.len(), 3_000);
    let ids: HashSet<&str> = p1.iter().map(|p| p.id_number.as_str()).collect();
    assert_eq!(ids.len(), p1.len(), "population numbers are unique");
    for p in &p1 {
        let id = IdNumber::parse(&p.id_number).expect("valid number");
        assert_eq!(id.birth_date(), p.birth_date);
        assert_eq!(id.sex(), p.sex);
    }
    let (p3, _) = synthetic_population(3_000, 4_000, 10);
    assert_ne!(p1, p3);
}

fn check_county_result<P: PersonRows + ?Sized>(population: &P, result: &MatchResult) {
    let c = result.counts;
    let compulsory = (0..population.row_count())
        .filter(|&p| {
            MatchSettings::default().is_compulsory_age(population.birth_date(p), synthetic_as_of())
        })
        .count();
    assert_eq!(c.school_age, compulsory);
    assert_eq!(
        c.in_school + c.accounted + c.not_in_school + c.suspected,
        c.school_age
    );
    // about 1% not on the roll by number, 0.6% of them with a probable match
    let rate = c.suspected as f64 / c.school_age as f64;
    assert!((0.006..0.014).contains(&rate), "suspected rate {rate}");
    let probable = c.probable as f64 / c.school_age as f64;
    assert!(
        (0.004..0.008).contains(&probable),
        "probable rate {probable}"
    );
}

/// County size: 200,000 population rows against 150,000 students.
#[test]
fn county_size_smoke() {
    let started = Instant::now();
    let (population, roll) = synthetic_population(150_000, 200_000, 2021);
    let generated = started.elapsed();
    let started = Instant::now();
    let result = run(&population, &roll);
    let matched = started.elapsed();
    eprintln!(
        "county size: generated in {generated:?}, matched in {matched:?}: {:?}",
        result.counts
    );
    check_county_result(&population, &result);
}

/// The columnar tables give the same ledgers as the row slices, row for row, including an
/// ID number that does not pack and a name with stray spaces.
#[test]
fn compact_rows_match_like_row_slices() {
    let (mut population, mut roll) = synthetic_population(20_000, 30_000, 5);
    let born = d(2012, 5, 1);
    population.push(person("43122420120501001", "舒  明", Sex::Male, born));
    roll.push(student(
        "43122420120501001",
        " 舒  明 ",
        Sex::Male,
        born,
        StudentStatus::Suspended,
    ));
    population.push(person("431224201205010x2", "向芳", Sex::Female, born));
    let mut compact_population = CompactRows::with_capacity(population.len());
    for p in &population {
        let status = StudentStatus::Enrolled;
        compact_population.push(&p.id_number, &p.name, p.sex, p.birth_date, status);
    }
    let mut compact_roll = CompactRows::default();
    for s in &roll {
        compact_roll.push(&s.id_number, &s.name, s.sex, s.birth_date, s.status);
    }
    assert_eq!(compact_population.len(), population.len());
    // names repeat: each distinct name is stored once
    assert!(compact_population.distinct_names() < population.len());
    let rows = run(&population, &roll);
    let columns = match_roll(
        &compact_population,
        &compact_roll,
        as_of(),
        &MatchSettings::default(),
    )
    .expect("settings are valid");
    assert_eq!(columns, rows);
    let odd = (population.len() - 2) as u32;
    assert!(matches!(
        finding_of(&columns, odd),
        Some(Finding::Enrolled {
            status: StudentStatus::Suspended,
            ..
        })
    ));
    for row in [0, 17, odd as usize] {
        assert_eq!(compact_population.id_number(row), population[row].id_number);
    }
    // and the generator's compact output is its row output
    let (generated_population, generated_roll) = synthetic_compact(2_000, 3_000, 5);
    let (rows_population, rows_roll) = synthetic_population(2_000, 3_000, 5);
    assert_eq!(
        match_roll(
            &generated_population,
            &generated_roll,
            as_of(),
            &MatchSettings::default()
        ),
        match_roll(
            &rows_population,
            &rows_roll,
            as_of(),
            &MatchSettings::default()
        )
    );
    for (row, student) in rows_roll.iter().enumerate() {
        assert_eq!(generated_roll.name(row), student.name);
        assert_eq!(generated_roll.status(row), student.status);
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU time of this process in clock ticks (1/100 s).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after ")"
    field(11) + field(12)
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Province size: 10,000,000 against 10,000,000. Run with
/// `cargo test --release -p emis-domain dropout -- --ignored --nocapture`.
#[test]
#[ignore]
fn province_size() {
    let started = Instant::now();
    let (population, roll) = synthetic_compact(10_000_000, 10_000_000, 2021);
    let generated = started.elapsed();
    let before = rss_kib().unwrap_or(0);
    let generation_peak = peak_rss_kib().unwrap_or(0);
    eprintln!(
        "province size: compact inputs {} MiB ({} + {} distinct names), peak while generating {} MiB",
        (population.heap_bytes() + roll.heap_bytes()) / (1 << 20),
        population.distinct_names(),
        roll.distinct_names(),
        generation_peak / 1024
    );
    // Resets the peak to the current size (Linux), so that the peak below is the matching's.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let mut timings = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        drop(last.take());
        let cpu = cpu_ticks();
        let started = Instant::now();
        let result = match_roll(&population, &roll, as_of(), &MatchSettings::default())
            .expect("settings are valid");
        timings.push((started.elapsed(), cpu_ticks().saturating_sub(cpu)));
        last = Some(result);
    }
    let peak = peak_rss_kib().unwrap_or(0);
    let result = last.expect("ran");
    eprintln!(
        "province size: generated in {generated:?}; matched in (wall, CPU ticks) {timings:?}; \
         input RSS {} MiB, peak RSS {} MiB (peak reset: {reset}; matching adds at most {} MiB); {:?}",
        before / 1024,
        peak / 1024,
        peak.saturating_sub(before) / 1024,
        result.counts
    );
    check_county_result(&population, &result);
}
