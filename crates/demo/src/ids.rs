//! Unique, valid 18-digit ID numbers for the whole demo county (students and staff).

use crate::rng::{index, Rng};
use chrono::{Datelike, NaiveDate};
use emis_domain::identity::IdNumber;
use emis_domain::registry::Sex;
use std::collections::HashSet;

/// Hands out ID numbers and remembers them, so no number is given twice.
pub struct IdBook {
    used: HashSet<u64>,
}

impl IdBook {
    pub fn with_capacity(n: usize) -> IdBook {
        IdBook {
            used: HashSet::with_capacity(n),
        }
    }

    /// A fresh number for a person registered in `area` (6 digits), born on `birth`:
    /// the 3-digit sequence is odd for men and even for women, as GB 11643 wants.
    pub fn issue(&mut self, rng: &mut Rng, area: &str, birth: NaiveDate, sex: Sex) -> String {
        let area_num: u64 = area.parse().expect("area codes are six digits");
        let ymd =
            birth.year() as u64 * 10_000 + u64::from(birth.month()) * 100 + u64::from(birth.day());
        let parity = u16::from(sex == Sex::Male);
        loop {
            let sequence = index(rng, 500) as u16 * 2 + parity;
            let key = (area_num * 100_000_000 + ymd) * 1000 + u64::from(sequence);
            if self.used.insert(key) {
                return IdNumber::compose(area, birth, sequence)
                    .as_str()
                    .to_string();
            }
        }
    }
}
