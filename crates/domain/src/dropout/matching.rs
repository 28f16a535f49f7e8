//! 户籍 vs 学籍 matching, built for a province-size input (10⁷ rows on each side).
//!
//! Keys. An 18-character ID number packs into a `u64`: the first 17 digits as a number
//! (< 10¹⁷ < 2⁵⁷) shifted left by 4, the check character (0–9, X = 10) in the low 4 bits;
//! the key is below 2⁶¹. In the roll table the top 3 bits of the stored word carry the
//! student's status, so a lookup yields the status without touching the roll row. Numbers
//! that do not pack (wrong length, stray characters) go to a small string map.
//!
//! Passes (each over two threads):
//! 1. pack the roll's ID numbers (eight digits at a time) and sort them by the hash's top
//!    bit into two halves; each thread builds an open-addressing table for one half (linear
//!    probing, load ≤ 0.7, 12-byte slots: stored word and row index);
//! 2. look up every compulsory-age person; a hit is `Enrolled` and claims the student;
//! 3. for the persons not found (about 1%): probe the table with every adjacent
//!    transposition and every other check character of their ID number (one thread), and
//!    compare name + birth date + sex with the roll students nobody claimed (the other
//!    thread; a sorted array of the missing persons' keys). A student already claimed by
//!    its own ID number is accounted for and is not offered as someone else's match.
//!
//! Probes go in batches of 32 whose first slots are loaded together before any probe runs,
//! so that their cache misses overlap. Besides the table (about 20 bytes per roll row) only
//! the ledgers are allocated per row: 12 bytes per compulsory-age child, plus the suspected
//! and not-in-school lists; no string is copied.
//!
//! This file holds the keys, the table and the passes; what the comparison returns is in
//! `ledgers`, what follows it (脱贫户 list, officers' decisions) in `decisions`.

use super::{IdKey, MatchSettings, PersonRows, Placement, RollRows};
use crate::registry::{Sex, StudentStatus};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

mod decisions;
mod ledgers;

pub use decisions::*;
pub use ledgers::*;

const THREADS: usize = 2;
/// Probes warmed together (see [`RollIndex::warm`]).
const BATCH: usize = 32;
const EMPTY: u64 = u64::MAX;
const KEY_BITS: u64 = (1 << 61) - 1;
/// Rows are indexed by `u32`; `u32::MAX` is kept free.
const MAX_ROWS: usize = u32::MAX as usize - 1;

/// The 64-bit key of an ID number: the 17 leading digits times 16 plus the check character
/// (X = 10; a lower-case x reads as X). `None` unless the text is 17 digits and a digit or X.
pub fn pack_id(id: &str) -> Option<u64> {
    pack_bytes(id.as_bytes())
}

fn pack_bytes(id: &[u8]) -> Option<u64> {
    let (Some(high), Some(low), Some(&last), Some(&check)) = (
        eight_digits(id.get(0..8)?),
        eight_digits(id.get(8..16)?),
        id.get(16),
        id.get(17),
    ) else {
        return None;
    };
    if id.len() != 18 || !last.is_ascii_digit() {
        return None;
    }
    let check = match check {
        b'0'..=b'9' => check - b'0',
        b'X' | b'x' => 10,
        _ => return None,
    };
    let n = (high * 100_000_000 + low) * 10 + u64::from(last - b'0');
    Some((n << 4) | u64::from(check))
}

/// Eight ASCII digits as a number, or `None` (SWAR: all eight bytes at once).
fn eight_digits(bytes: &[u8]) -> Option<u64> {
    let chunk = u64::from_le_bytes(bytes.try_into().ok()?);
    // every byte in 0x30..=0x39
    let digits = chunk & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
        && chunk.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0
            == 0x3030_3030_3030_3030;
    if !digits {
        return None;
    }
    // The first character is the lowest byte: combine pairs, then quads, then halves.
    let v = chunk - 0x3030_3030_3030_3030;
    let v = (v * 10 + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let v = (v * 100 + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((v * 10_000 + (v >> 32)) & 0xFFFF_FFFF)
}

/// The 18 characters of a packed key.
pub(super) fn unpack(key: u64) -> [u8; 18] {
    let mut out = [0u8; 18];
    let check = (key & 0xF) as u8;
    out[17] = if check == 10 { b'X' } else { b'0' + check };
    let mut n = key >> 4;
    for slot in out[..17].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out
}

/// murmur3's 64-bit finalizer.
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

pub(super) fn status_code(status: StudentStatus) -> u64 {
    match status {
        StudentStatus::Enrolled => 0,
        StudentStatus::HomeTaught => 1,
        StudentStatus::Suspended => 2,
        StudentStatus::TransferredOut => 3,
        StudentStatus::Graduated => 4,
    }
}

pub(super) fn status_of_code(code: u64) -> StudentStatus {
    match code {
        0 => StudentStatus::Enrolled,
        1 => StudentStatus::HomeTaught,
        2 => StudentStatus::Suspended,
        3 => StudentStatus::TransferredOut,
        _ => StudentStatus::Graduated,
    }
}

/// One half of the roll table: slots of [key low, key high, row].
struct Part {
    slots: Vec<[u32; 3]>,
    mask: usize,
    shift: u32,
}

impl Part {
    fn with_capacity(rows: usize) -> Part {
        let want = (rows.saturating_mul(10) / 7).max(16);
        let size = want.next_power_of_two();
        let bits = size.trailing_zeros();
        Part {
            slots: vec![[u32::MAX; 3]; size],
            mask: size - 1,
            shift: 63 - bits,
        }
    }

    /// Inserts (row, stored word, start slot); of two rows with one key, [`prefer`] decides.
    fn insert_batch(&mut self, batch: &[(u32, u64, usize)]) {
        let mut acc = 0u32;
        for &(_, _, start) in batch {
            acc ^= self.slots[start][0];
        }
        std::hint::black_box(acc);
        for &(row, stored, start) in batch {
            let key = stored & KEY_BITS;
            let mut i = start;
            loop {
                let slot = &mut self.slots[i];
                let w = word(slot);
                if w == EMPTY {
                    *slot = [stored as u32, (stored >> 32) as u32, row];
                    break;
                }
                if w & KEY_BITS == key {
                    let new = (row, status_of_code(stored >> 61));
                    let old = (slot[2], status_of_code(w >> 61));
                    if prefer(new, old) {
                        *slot = [stored as u32, (stored >> 32) as u32, row];
                    }
                    break;
                }
                i = (i + 1) & self.mask;
            }
        }
    }

    fn start(&self, h: u64) -> usize {
        // Bit 63 picked the part; the next bits pick the slot.
        (((h << 1) >> 1) >> self.shift) as usize & self.mask
    }
}

fn word(slot: &[u32; 3]) -> u64 {
    u64::from(slot[0]) | (u64::from(slot[1]) << 32)
}

/// The roll's ID numbers: packed keys in two hash-partitioned halves, the rest in a map.
struct RollIndex<'a> {
    parts: Vec<Part>,
    odd: HashMap<&'a str, (u32, StudentStatus)>,
}

impl RollIndex<'_> {
    /// Where the probe for a key starts: (part, slot).
    fn locate(&self, key: u64) -> (usize, usize) {
        let h = mix(key);
        let part = (h >> 63) as usize;
        (part, self.parts[part].start(h))
    }

    /// The row and status stored for a packed key.
    fn get(&self, key: u64) -> Option<(u32, StudentStatus)> {
        self.get_at(key, self.locate(key))
    }

    fn get_at(&self, key: u64, (part, start): (usize, usize)) -> Option<(u32, StudentStatus)> {
        let part = &self.parts[part];
        let mut i = start;
        loop {
            let slot = &part.slots[i];
            let w = word(slot);
            if w == EMPTY {
                return None;
            }
            if w & KEY_BITS == key {
                return Some((slot[2], status_of_code(w >> 61)));
            }
            i = (i + 1) & part.mask;
        }
    }

    /// Loads the first slot of each probe, so that the probes that follow find them in
    /// cache: these loads are independent and overlap, where a probe loop waits for each
    /// miss in turn.
    fn warm(&self, at: impl Iterator<Item = (usize, usize)>) {
        let mut acc = 0u32;
        for (part, slot) in at {
            acc ^= self.parts[part].slots[slot][0];
        }
        std::hint::black_box(acc);
    }

    fn get_id(&self, id: IdKey<'_>) -> Option<(u32, StudentStatus)> {
        match id {
            IdKey::Packed(key) => self.get(key),
            IdKey::Text(text) => self.odd.get(text).copied(),
        }
    }
}

/// Which of two rows with the same ID number stands for it: better status, then the earlier.
fn prefer(new: (u32, StudentStatus), old: (u32, StudentStatus)) -> bool {
    let rank = |s| status_code(s);
    (rank(new.1), new.0) < (rank(old.1), old.0)
}

/// A worker's result; a worker's panic (a bug) is raised again here.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn chunk_len(n: usize) -> usize {
    n.div_ceil(THREADS).max(1)
}

/// Pass 1a's output for one chunk of the roll: per part, the rows and their stored words.
#[derive(Default)]
struct Packed {
    rows: [Vec<u32>; 2],
    stored: [Vec<u64>; 2],
    odd: Vec<u32>,
}

/// The row ranges the threads take, in order.
fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let chunk = chunk_len(n);
    (0..n)
        .step_by(chunk)
        .map(move |start| start..(start + chunk).min(n))
}

fn build_index<S: RollRows + ?Sized>(roll: &S) -> RollIndex<'_> {
    // Pass 1a: pack the keys (status in the top bits) and sort them into the two parts.
    let packed: Vec<Packed> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks(roll.row_count())
            .map(|rows| {
                scope.spawn(move || {
                    let expect = rows.len() / 2 + rows.len() / 32 + 16;
                    let mut out = Packed {
                        rows: [Vec::with_capacity(expect), Vec::with_capacity(expect)],
                        stored: [Vec::with_capacity(expect), Vec::with_capacity(expect)],
                        odd: Vec::new(),
                    };
                    for i in rows {
                        let row = i as u32;
                        match roll.id_key(i) {
                            IdKey::Packed(key) => {
                                let part = (mix(key) >> 63) as usize;
                                out.rows[part].push(row);
                                out.stored[part].push(key | (status_code(roll.status(i)) << 61));
                            }
                            IdKey::Text(_) => out.odd.push(row),
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(joined).collect()
    });
    // Pass 1b: each thread fills one part of the table, from every chunk in row order.
    let packed_ref = &packed;
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2usize)
            .map(|p| {
                scope.spawn(move || {
                    let count = packed_ref.iter().map(|c| c.rows[p].len()).sum();
                    let mut part = Part::with_capacity(count);
                    let mut batch: Vec<(u32, u64, usize)> = Vec::with_capacity(BATCH);
                    for chunk in packed_ref {
                        for (&row, &stored) in chunk.rows[p].iter().zip(&chunk.stored[p]) {
                            let start = part.start(mix(stored & KEY_BITS));
                            batch.push((row, stored, start));
                            if batch.len() == BATCH {
                                part.insert_batch(&batch);
                                batch.clear();
                            }
                        }
                    }
                    part.insert_batch(&batch);
                    part
                })
            })
            .collect();
        handles.into_iter().map(joined).collect()
    });
    let odd_rows: Vec<u32> = packed.iter().flat_map(|c| c.odd.iter().copied()).collect();
    drop(packed);
    let mut odd: HashMap<&str, (u32, StudentStatus)> = HashMap::new();
    for row in odd_rows {
        let IdKey::Text(text) = roll.id_key(row as usize) else {
            continue;
        };
        let new = (row, roll.status(row as usize));
        odd.entry(text)
            .and_modify(|old| {
                if prefer(new, *old) {
                    *old = new;
                }
            })
            .or_insert(new);
    }
    RollIndex { parts, odd }
}

/// Pass 2's output for one chunk of the population.
struct Looked {
    entries: Vec<SchoolAgeEntry>,
    not_in_school: Vec<NotInSchool>,
    /// Positions in `entries` of the persons not found.
    missing: Vec<u32>,
    claimed: Vec<u64>,
}

impl Looked {
    fn look_up<P: PersonRows + ?Sized>(
        &mut self,
        batch: &[(u32, u64, (usize, usize))],
        population: &P,
        index: &RollIndex<'_>,
    ) {
        index.warm(
            batch
                .iter()
                .filter(|&&(_, key, _)| key != EMPTY)
                .map(|&(_, _, at)| at),
        );
        for &(person, key, at) in batch {
            let hit = if key == EMPTY {
                index.get_id(population.id_key(person as usize))
            } else {
                index.get_at(key, at)
            };
            match hit {
                Some((student, status)) => {
                    self.claimed[student as usize / 64] |= 1 << (student % 64);
                    if Placement::of(status) == Placement::NotInSchool {
                        self.not_in_school.push(NotInSchool {
                            person,
                            student,
                            status,
                            poverty_household: false,
                        });
                    }
                    self.entries.push(SchoolAgeEntry {
                        person,
                        finding: Finding::Enrolled { student, status },
                    });
                }
                None => {
                    self.missing.push(self.entries.len() as u32);
                    self.entries.push(SchoolAgeEntry {
                        person,
                        finding: Finding::Suspected,
                    });
                }
            }
        }
    }
}

/// A bit per roll row: the row stands for an ID number some compulsory-age person has.
struct Claims(Vec<u64>);

impl Claims {
    fn has(&self, row: u32) -> bool {
        let row = row as usize;
        self.0
            .get(row / 64)
            .is_some_and(|w| w & (1 << (row % 64)) != 0)
    }
}

/// Compares the household-registration roll with the student roll (户籍 vs 学籍, 学籍 vs in
/// school) as of the snapshot date. See the module documentation for the method.
pub fn match_roll<P, S>(
    population: &P,
    roll: &S,
    snapshot_date: NaiveDate,
    settings: &MatchSettings,
) -> Result<MatchResult, MatchError>
where
    P: PersonRows + ?Sized,
    S: RollRows + ?Sized,
{
    for rows in [population.row_count(), roll.row_count()] {
        if rows > MAX_ROWS {
            return Err(MatchError::TooManyRows {
                rows,
                limit: MAX_ROWS,
            });
        }
    }
    let Some((earliest, latest)) = settings.birth_range(snapshot_date) else {
        return Err(MatchError::Settings {
            month: settings.cutoff_month,
            day: settings.cutoff_day,
            min_age: settings.min_age,
            max_age: settings.max_age,
        });
    };
    let index = build_index(roll);
    let words = roll.row_count().div_ceil(64);

    // Pass 2: every compulsory-age person by ID number.
    let index_ref = &index;
    let looked: Vec<Looked> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks(population.row_count())
            .enumerate()
            .map(|(t, people)| {
                scope.spawn(move || {
                    // The first chunk's ledger will hold everyone's; untouched capacity costs
                    // no memory.
                    let reserve = if t == 0 {
                        population.row_count()
                    } else {
                        people.len()
                    };
                    let mut out = Looked {
                        entries: Vec::with_capacity(reserve),
                        not_in_school: Vec::new(),
                        missing: Vec::new(),
                        claimed: vec![0u64; words],
                    };
                    // (row, key or EMPTY for a number that does not pack, probe start)
                    let mut batch: Vec<(u32, u64, (usize, usize))> = Vec::with_capacity(BATCH);
                    for i in people {
                        let birth = population.birth_date(i);
                        if birth < earliest || birth > latest {
                            continue;
                        }
                        let row = i as u32;
                        match population.id_key(i) {
                            IdKey::Packed(key) => batch.push((row, key, index_ref.locate(key))),
                            IdKey::Text(_) => batch.push((row, EMPTY, (0, 0))),
                        }
                        if batch.len() == BATCH {
                            out.look_up(&batch, population, index_ref);
                            batch.clear();
                        }
                    }
                    out.look_up(&batch, population, index_ref);
                    out
                })
            })
            .collect();
        handles.into_iter().map(joined).collect()
    });

    let mut school_age: Vec<SchoolAgeEntry> = Vec::new();
    let mut not_in_school = Vec::new();
    let mut missing: Vec<u32> = Vec::new();
    let mut claims = Claims(Vec::new());
    for part in looked {
        let offset = school_age.len() as u32;
        missing.extend(part.missing.iter().map(|&m| m + offset));
        if school_age.is_empty() {
            school_age = part.entries;
        } else {
            school_age.extend_from_slice(&part.entries);
        }
        not_in_school.extend(part.not_in_school);
        if claims.0.is_empty() {
            claims.0 = part.claimed;
        } else {
            for (a, b) in claims.0.iter_mut().zip(&part.claimed) {
                *a |= b;
            }
        }
    }
    if claims.0.len() < words {
        claims.0.resize(words, 0);
    }

    // Pass 3: probable matches for the persons not found.
    let missing_people: Vec<u32> = missing
        .iter()
        .map(|&pos| school_age[pos as usize].person)
        .collect();
    let (by_id, by_name) = std::thread::scope(|scope| {
        let by_id = scope.spawn(|| id_variants(population, &missing_people, &index, &claims));
        let by_name = scope.spawn(|| {
            same_name_birth_sex(
                population,
                roll,
                &missing_people,
                &index,
                &claims,
                (earliest, latest),
            )
        });
        (joined(by_id), joined(by_name))
    });
    let mut found: Vec<(u32, u32, bool, Option<IdDifference>)> = by_id
        .into_iter()
        .map(|(m, s, d)| (m, s, false, Some(d)))
        .chain(by_name.into_iter().map(|(m, s)| (m, s, true, None)))
        .collect();
    found.sort_unstable_by_key(|&(m, s, name, _)| (m, s, !name));

    let mut suspected: Vec<SuspectedChild> = missing_people
        .iter()
        .map(|&person| SuspectedChild {
            person,
            candidates: Vec::new(),
            poverty_household: false,
        })
        .collect();
    for (m, student, name, difference) in found {
        let child = &mut suspected[m as usize];
        match child.candidates.last_mut() {
            Some(last) if last.student == student => {
                last.same_name_birth_sex |= name;
                if last.id_difference.is_none() {
                    last.id_difference = difference;
                }
            }
            _ => child.candidates.push(Candidate {
                student,
                same_name_birth_sex: name,
                id_difference: difference,
            }),
        }
    }
    for (child, &pos) in suspected.iter().zip(&missing) {
        if child.is_probable() {
            school_age[pos as usize].finding = Finding::Probable;
        }
    }

    let mut counts = MatchCounts {
        school_age: school_age.len(),
        not_in_school: not_in_school.len(),
        suspected: suspected.len(),
        probable: suspected.iter().filter(|c| c.is_probable()).count(),
        ..MatchCounts::default()
    };
    for entry in &school_age {
        if let Finding::Enrolled { status, .. } = entry.finding {
            match Placement::of(status) {
                Placement::InSchool => counts.in_school += 1,
                Placement::Accounted => counts.accounted += 1,
                Placement::NotInSchool => {}
            }
        }
    }
    Ok(MatchResult {
        school_age,
        suspected,
        not_in_school,
        counts,
    })
}

/// Roll rows whose ID number differs from a missing person's by one adjacent transposition
/// or only in the check character: (position in `missing`, row, difference).
fn id_variants<P: PersonRows + ?Sized>(
    population: &P,
    missing: &[u32],
    index: &RollIndex<'_>,
    claims: &Claims,
) -> Vec<(u32, u32, IdDifference)> {
    let mut out = Vec::new();
    let mut variants: Vec<(u64, IdDifference)> = Vec::with_capacity(28);
    let mut at: Vec<(usize, usize)> = Vec::with_capacity(28);
    for (m, &person) in missing.iter().enumerate() {
        let IdKey::Packed(key) = population.id_key(person as usize) else {
            continue;
        };
        variants.clear();
        for check in 0..=10u64 {
            if check != key & 0xF {
                variants.push(((key & !0xF) | check, IdDifference::CheckCharacter));
            }
        }
        let chars = unpack(key);
        for i in 0..17 {
            if chars[i] == chars[i + 1] || (i == 16 && chars[17] == b'X') {
                continue;
            }
            let mut swapped = chars;
            swapped.swap(i, i + 1);
            if let Some(variant) = pack_bytes(&swapped) {
                let position = i as u8 + 1;
                variants.push((variant, IdDifference::Transposed { position }));
            }
        }
        at.clear();
        at.extend(variants.iter().map(|&(v, _)| index.locate(v)));
        index.warm(at.iter().copied());
        for (&(variant, difference), &at) in variants.iter().zip(&at) {
            if let Some((row, _)) = index.get_at(variant, at) {
                if !claims.has(row) {
                    out.push((m as u32, row, difference));
                }
            }
        }
    }
    out
}

/// FNV-1a over the trimmed name.
pub(super) fn name_hash(name: &str) -> u64 {
    name.trim()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Birth day (from the start of the compulsory range), sex and 43 bits of the name's hash.
fn probable_key(day: u32, sex: Sex, name: &str) -> u64 {
    (u64::from(day) << 44) | (u64::from(sex == Sex::Male) << 43) | (name_hash(name) >> 21)
}

/// Unclaimed roll rows with a missing person's name, birth date and sex:
/// (position in `missing`, the row standing for that row's ID number).
fn same_name_birth_sex<P: PersonRows + ?Sized, S: RollRows + ?Sized>(
    population: &P,
    roll: &S,
    missing: &[u32],
    index: &RollIndex<'_>,
    claims: &Claims,
    (earliest, latest): (NaiveDate, NaiveDate),
) -> Vec<(u32, u32)> {
    if missing.is_empty() {
        return Vec::new();
    }
    let first_day = earliest.num_days_from_ce();
    let days = (latest.num_days_from_ce() - first_day + 1).max(0) as usize;
    let day_of = |d: NaiveDate| (d.num_days_from_ce() - first_day) as u32;
    // (birth day, sex) buckets that some missing person occupies.
    let mut buckets = vec![0u64; (days * 2).div_ceil(64)];
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(missing.len());
    for (m, &person) in missing.iter().enumerate() {
        let p = person as usize;
        let (sex, day) = (population.sex(p), day_of(population.birth_date(p)));
        let bucket = day as usize * 2 + usize::from(sex == Sex::Male);
        buckets[bucket / 64] |= 1 << (bucket % 64);
        keys.push((probable_key(day, sex, population.name(p)), m as u32));
    }
    keys.sort_unstable();

    let mut out = Vec::new();
    for (w, &bits) in claims.0.iter().enumerate() {
        let mut free = !bits;
        while free != 0 {
            let row = w * 64 + free.trailing_zeros() as usize;
            free &= free - 1;
            if row >= roll.row_count() {
                break;
            }
            let birth = roll.birth_date(row);
            if birth < earliest || birth > latest {
                continue;
            }
            let day = day_of(birth);
            let sex = roll.sex(row);
            let bucket = day as usize * 2 + usize::from(sex == Sex::Male);
            if buckets[bucket / 64] & (1 << (bucket % 64)) == 0 {
                continue;
            }
            let name = roll.name(row);
            let key = probable_key(day, sex, name);
            let from = keys.partition_point(|&(k, _)| k < key);
            for &(k, m) in &keys[from..] {
                if k != key {
                    break;
                }
                let p = missing[m as usize] as usize;
                if population.name(p).trim() != name.trim()
                    || population.birth_date(p) != birth
                    || population.sex(p) != sex
                {
                    continue;
                }
                // The row standing for this ID number (a duplicate row defers to it).
                let standing = index
                    .get_id(roll.id_key(row))
                    .map_or(row as u32, |(r, _)| r);
                if !claims.has(standing) {
                    out.push((m, standing));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
