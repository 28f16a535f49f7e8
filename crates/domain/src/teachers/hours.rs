//! 继续教育学时: every teacher owes at least 360 hours in each five-year cycle (教师继续教育
//! 规定). Part-way through a cycle a teacher is behind when their hours are below the share
//! of the requirement due by the end of the year looked at (72 hours a year).

use serde::{Deserialize, Serialize};

/// The county's continuing-education requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HoursRequirement {
    /// Hours owed in one cycle.
    pub hours: u32,
    /// Years in one cycle.
    pub cycle_years: u32,
    /// The first year of a cycle (cycles follow each other from it).
    pub cycle_start: i32,
}

impl Default for HoursRequirement {
    fn default() -> Self {
        HoursRequirement {
            hours: 360,
            cycle_years: 5,
            cycle_start: 2021,
        }
    }
}

impl HoursRequirement {
    /// The cycle `year` falls in, as (first year, last year).
    pub fn cycle_of(&self, year: i32) -> (i32, i32) {
        let len = self.cycle_years.max(1) as i32;
        let first = self.cycle_start + (year - self.cycle_start).div_euclid(len) * len;
        (first, first + len - 1)
    }

    /// Hours due by the end of `year` within its cycle (rounded up).
    pub fn due_by(&self, year: i32) -> u32 {
        let (first, _) = self.cycle_of(year);
        let elapsed = (year - first + 1) as u32;
        (self.hours * elapsed).div_ceil(self.cycle_years.max(1))
    }

    /// Whether the hours done in the cycle so far (in tenths) fall short of what is due
    /// by the end of `year`.
    pub fn is_behind(&self, tenths: i64, year: i32) -> bool {
        tenths < i64::from(self.due_by(year)) * 10
    }
}

/// Reads 学时 as written: `24`, `24.5` (kept in tenths of an hour), blank for none.
pub fn parse_hours(raw: &str) -> Option<u32> {
    let text = crate::text::fold_width(raw);
    let text = text.trim_end_matches("学时").trim_end_matches('h');
    let (whole, tenth) = match text.split_once('.') {
        Some((w, t)) if t.len() == 1 => (w, t.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (text, 0),
    };
    let tenths = whole
        .parse::<u32>()
        .ok()?
        .checked_mul(10)?
        .checked_add(tenth)?;
    // One training of more than 2,000 hours is a typing error.
    (tenths <= 20_000).then_some(tenths)
}

/// Tenths of an hour for people: 24 or 24.5.
pub fn display_tenths(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}
