//! A columnar table of population or roll rows for province-size matching.
//!
//! A [`PopulationPerson`](super::PopulationPerson) costs well over 100 bytes and several heap
//! blocks; here a row is 17 bytes in flat arrays: the packed ID key (8), an index into the
//! interned names (4), the birth date (4) and sex + status (1). Names repeat a great deal
//! (a province's children share far fewer names than there are children), so each distinct
//! name is stored once in one text buffer. ID numbers that do not pack keep their text in
//! a small side map.

use super::matching::{name_hash, status_code, status_of_code, unpack};
use super::{pack_id, IdKey, PersonRows, RollRows};
use crate::registry::{Sex, StudentStatus};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;

/// In `keys`: the row's ID number does not pack; its text is in `odd_ids`.
const ODD: u64 = u64::MAX;

#[derive(Clone, Debug, Default)]
pub struct CompactRows {
    keys: Vec<u64>,
    odd_ids: HashMap<u32, Box<str>>,
    names: Vec<u32>,
    births: Vec<NaiveDate>,
    /// Bit 0: male; bits 1–3: the status code.
    flags: Vec<u8>,
    interned: Names,
}

/// Distinct names, each once: name `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Clone, Debug, Default)]
struct Names {
    text: String,
    ends: Vec<u32>,
    /// By the name's 64-bit hash, the first name with that hash; a different name with the
    /// same hash (very rare) goes to `collided`, so that lookups stay exact.
    /// The key is already a hash: Fx only spreads it.
    by_hash: rustc_hash::FxHashMap<u64, u32>,
    collided: HashMap<Box<str>, u32>,
}

impl Names {
    fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[start..self.ends[id] as usize]
    }

    fn intern(&mut self, name: &str) -> u32 {
        let hash = name_hash(name);
        if let Some(&id) = self.by_hash.get(&hash) {
            if self.get(id) == name {
                return id;
            }
            if let Some(&id) = self.collided.get(name) {
                return id;
            }
            let id = self.add(name);
            self.collided.insert(name.into(), id);
            return id;
        }
        let id = self.add(name);
        self.by_hash.insert(hash, id);
        id
    }

    fn add(&mut self, name: &str) -> u32 {
        self.text.push_str(name);
        self.ends.push(self.text.len() as u32);
        (self.ends.len() - 1) as u32
    }
}

impl CompactRows {
    pub fn with_capacity(rows: usize) -> CompactRows {
        CompactRows {
            keys: Vec::with_capacity(rows),
            names: Vec::with_capacity(rows),
            births: Vec::with_capacity(rows),
            flags: Vec::with_capacity(rows),
            ..CompactRows::default()
        }
    }

    /// Appends a row; the name is kept trimmed (matching compares trimmed names). For a
    /// population row the status is not read; pass [`StudentStatus::Enrolled`].
    pub fn push(
        &mut self,
        id_number: &str,
        name: &str,
        sex: Sex,
        birth_date: NaiveDate,
        status: StudentStatus,
    ) {
        let row = self.keys.len() as u32;
        match pack_id(id_number) {
            Some(key) => self.keys.push(key),
            None => {
                self.keys.push(ODD);
                self.odd_ids.insert(row, id_number.into());
            }
        }
        let name = self.interned.intern(name.trim());
        self.names.push(name);
        self.births.push(birth_date);
        self.flags
            .push(u8::from(sex == Sex::Male) | ((status_code(status) as u8) << 1));
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many distinct names the table holds.
    pub fn distinct_names(&self) -> usize {
        self.interned.ends.len()
    }

    /// Bytes held on the heap (capacity of the columns and the name store, roughly for the
    /// maps), for reports.
    pub fn heap_bytes(&self) -> usize {
        let map_entry = |key: usize, value: usize| key + value + 8;
        self.keys.capacity() * 8
            + self.names.capacity() * 4
            + self.births.capacity() * 4
            + self.flags.capacity()
            + self.interned.text.capacity()
            + self.interned.ends.capacity() * 4
            + self.interned.by_hash.capacity() * map_entry(8, 4)
            + self.odd_ids.capacity() * map_entry(4, 16)
            + self.interned.collided.capacity() * map_entry(16, 4)
    }
}

impl PersonRows for CompactRows {
    fn row_count(&self) -> usize {
        self.keys.len()
    }
    fn id_key(&self, row: usize) -> IdKey<'_> {
        match self.keys[row] {
            ODD => IdKey::Text(self.odd_ids.get(&(row as u32)).map_or("", |t| t)),
            key => IdKey::Packed(key),
        }
    }
    fn id_number(&self, row: usize) -> Cow<'_, str> {
        match self.id_key(row) {
            IdKey::Packed(key) => Cow::Owned(String::from_utf8_lossy(&unpack(key)).into_owned()),
            IdKey::Text(text) => Cow::Borrowed(text),
        }
    }
    fn name(&self, row: usize) -> &str {
        self.interned.get(self.names[row])
    }
    fn sex(&self, row: usize) -> Sex {
        if self.flags[row] & 1 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
    fn birth_date(&self, row: usize) -> NaiveDate {
        self.births[row]
    }
}

impl RollRows for CompactRows {
    fn status(&self, row: usize) -> StudentStatus {
        status_of_code(u64::from(self.flags[row] >> 1))
    }
}
