//! 控辍保学 (dropout control): the pure core, no I/O.
//!
//! 三比对 (RULES.md "Dropout control"): the household-registration roll of school-age
//! children (户籍适龄人口, template `population`) against the county's student roll (学籍),
//! the roll against being in school, and the suspected children against the 脱贫户 list.
//! [`match_roll`] produces the ledgers 适龄儿童, 疑似辍学 and 在籍不在校; [`cases`] is the
//! one-plan-per-child (一人一案) workflow for each suspected child.
//!
//! Matching reads whole tables through [`PersonRows`] and [`RollRows`]: a slice of any row
//! type with [`PersonRecord`] / [`StudentRecord`], or, for millions of rows, the columnar
//! [`CompactRows`] (packed ID keys, interned names: about 17 bytes a row instead of the
//! several `String`s of a [`PopulationPerson`] / [`RollStudent`]).

pub mod cases;
mod compact;
mod matching;
mod synthetic;

#[cfg(test)]
mod tests;

pub use compact::CompactRows;
pub use matching::{
    apply_decisions, compare_poverty, match_roll, pack_id, Candidate, Finding, IdDifference,
    MatchCounts, MatchDecision, MatchError, MatchResult, NotInSchool, SchoolAgeEntry,
    SuspectedChild,
};
pub use synthetic::{synthetic_as_of, synthetic_compact, synthetic_population};

use crate::dates::full_years;
use crate::registry::{Sex, StudentStatus};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One row of the household-registration roll (户籍适龄人口) from the public-security bureau.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationPerson {
    /// Normalized 18-character ID number; its check character may still be wrong.
    pub id_number: String,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// 户籍乡镇
    pub township: String,
    /// 户籍村(社区)
    pub village: Option<String>,
    /// 监护人
    pub guardian: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
}

/// One student on the county's roll (学籍), with the status of the term compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollStudent {
    pub id_number: String,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// 学校标识码
    pub school_code: String,
    pub status: StudentStatus,
}

/// What matching reads from a population row.
pub trait PersonRecord {
    fn id_number(&self) -> &str;
    fn name(&self) -> &str;
    fn sex(&self) -> Sex;
    fn birth_date(&self) -> NaiveDate;
}

/// What matching reads from a roll row: a person's fields and the student's status.
pub trait StudentRecord: PersonRecord {
    fn status(&self) -> StudentStatus;
}

/// An ID number as matching reads it: packed (see [`pack_id`]), or the text when it does
/// not pack (wrong length, stray characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKey<'a> {
    Packed(u64),
    Text(&'a str),
}

/// A whole population table, read row by row: a slice of [`PersonRecord`] rows, or the
/// columnar [`CompactRows`] that holds a province's rows in a fraction of the memory.
pub trait PersonRows: Sync {
    fn row_count(&self) -> usize;
    fn id_key(&self, row: usize) -> IdKey<'_>;
    /// The ID number as text (what decisions and the 脱贫户 list are keyed by).
    fn id_number(&self, row: usize) -> Cow<'_, str>;
    fn name(&self, row: usize) -> &str;
    fn sex(&self, row: usize) -> Sex;
    fn birth_date(&self, row: usize) -> NaiveDate;
}

/// A whole roll table: a population table with each student's status.
pub trait RollRows: PersonRows {
    fn status(&self, row: usize) -> StudentStatus;
}

impl<T: PersonRecord + Sync> PersonRows for [T] {
    fn row_count(&self) -> usize {
        self.len()
    }
    fn id_key(&self, row: usize) -> IdKey<'_> {
        let text = self[row].id_number();
        pack_id(text).map_or(IdKey::Text(text), IdKey::Packed)
    }
    fn id_number(&self, row: usize) -> Cow<'_, str> {
        Cow::Borrowed(self[row].id_number())
    }
    fn name(&self, row: usize) -> &str {
        self[row].name()
    }
    fn sex(&self, row: usize) -> Sex {
        self[row].sex()
    }
    fn birth_date(&self, row: usize) -> NaiveDate {
        self[row].birth_date()
    }
}

impl<T: StudentRecord + Sync> RollRows for [T] {
    fn status(&self, row: usize) -> StudentStatus {
        self[row].status()
    }
}

/// So that callers pass `&Vec<_>` as they would a slice.
impl<T: PersonRecord + Sync> PersonRows for Vec<T> {
    fn row_count(&self) -> usize {
        self.as_slice().row_count()
    }
    fn id_key(&self, row: usize) -> IdKey<'_> {
        self.as_slice().id_key(row)
    }
    fn id_number(&self, row: usize) -> Cow<'_, str> {
        self.as_slice().id_number(row)
    }
    fn name(&self, row: usize) -> &str {
        self.as_slice().name(row)
    }
    fn sex(&self, row: usize) -> Sex {
        self.as_slice().sex(row)
    }
    fn birth_date(&self, row: usize) -> NaiveDate {
        self.as_slice().birth_date(row)
    }
}

impl<T: StudentRecord + Sync> RollRows for Vec<T> {
    fn status(&self, row: usize) -> StudentStatus {
        self.as_slice().status(row)
    }
}

impl PersonRecord for PopulationPerson {
    fn id_number(&self) -> &str {
        &self.id_number
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn sex(&self) -> Sex {
        self.sex
    }
    fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
}

impl PersonRecord for RollStudent {
    fn id_number(&self) -> &str {
        &self.id_number
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn sex(&self) -> Sex {
        self.sex
    }
    fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
}

impl StudentRecord for RollStudent {
    fn status(&self) -> StudentStatus {
        self.status
    }
}

/// Settings of the comparison (RULES.md: compulsory age 6 to 15 full years on the cut-off
/// date, default 8月31日, of the snapshot's year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchSettings {
    pub cutoff_month: u32,
    pub cutoff_day: u32,
    pub min_age: i32,
    pub max_age: i32,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            cutoff_month: 8,
            cutoff_day: 31,
            min_age: 6,
            max_age: 15,
        }
    }
}

impl MatchSettings {
    /// The cut-off date in the snapshot's year; `None` when the month is not 1–12 or the
    /// day is 0. A day past the month's end is read as its last day (2月29日 → 2月28日).
    pub fn cutoff_date(&self, snapshot_date: NaiveDate) -> Option<NaiveDate> {
        cutoff_in_year(snapshot_date.year(), (self.cutoff_month, self.cutoff_day))
    }

    /// Whether a child born on `birth` is of compulsory age for the snapshot.
    pub fn is_compulsory_age(&self, birth: NaiveDate, snapshot_date: NaiveDate) -> bool {
        match self.cutoff_date(snapshot_date) {
            Some(cutoff) => {
                let age = full_years(birth, cutoff);
                self.min_age <= age && age <= self.max_age
            }
            None => false,
        }
    }

    /// The birth dates of compulsory age as an inclusive range: `(earliest, latest)`, or
    /// `None` when no birth date qualifies (bad cut-off, or `min_age > max_age`).
    pub fn birth_range(&self, snapshot_date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let cutoff = self.cutoff_date(snapshot_date)?;
        if self.min_age > self.max_age || self.min_age < 0 {
            return None;
        }
        // full_years(birth, cutoff) does not increase as birth moves later, so both ends are
        // found by bisection over day numbers.
        let day = |n: i32| NaiveDate::from_num_days_from_ce_opt(n);
        let c = cutoff.num_days_from_ce();
        let span = |years: i32| years.saturating_add(2).saturating_mul(366);
        // latest birth with age >= min_age
        let latest = bisect_last(c - span(self.min_age), c, |n| {
            day(n).is_some_and(|b| full_years(b, cutoff) >= self.min_age)
        })?;
        // earliest birth with age <= max_age
        let earliest = bisect_first(c - span(self.max_age), c, |n| {
            day(n).is_some_and(|b| full_years(b, cutoff) <= self.max_age)
        })?;
        if earliest > latest {
            return None;
        }
        Some((day(earliest)?, day(latest)?))
    }
}

/// Compulsory age with the default ages (6 to 15 full years) on the cut-off date
/// `(month, day)` of the snapshot's year.
pub fn compulsory_age(birth: NaiveDate, snapshot_date: NaiveDate, cutoff: (u32, u32)) -> bool {
    MatchSettings {
        cutoff_month: cutoff.0,
        cutoff_day: cutoff.1,
        ..MatchSettings::default()
    }
    .is_compulsory_age(birth, snapshot_date)
}

fn cutoff_in_year(year: i32, (month, day): (u32, u32)) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    (1..=day.min(31))
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

/// The largest `n` in `lo..=hi` with `ok(n)`, where `ok` is true up to some point and false
/// after it.
fn bisect_last(mut lo: i32, mut hi: i32, ok: impl Fn(i32) -> bool) -> Option<i32> {
    if !ok(lo) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// The smallest `n` in `lo..=hi` with `ok(n)`, where `ok` is false up to some point and true
/// after it.
fn bisect_first(mut lo: i32, mut hi: i32, ok: impl Fn(i32) -> bool) -> Option<i32> {
    if !ok(hi) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// Where a roll status puts a compulsory-age child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    /// 在读
    InSchool,
    /// 休学 / 送教上门: not in a classroom, but accounted for.
    Accounted,
    /// 转出 / 毕业 while of compulsory age: on the roll, not in school (在籍不在校).
    NotInSchool,
}

impl Placement {
    pub fn of(status: StudentStatus) -> Placement {
        match status {
            StudentStatus::Enrolled => Placement::InSchool,
            StudentStatus::Suspended | StudentStatus::HomeTaught => Placement::Accounted,
            StudentStatus::TransferredOut | StudentStatus::Graduated => Placement::NotInSchool,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Placement::InSchool => "在校",
            Placement::Accounted => "休学或送教上门",
            Placement::NotInSchool => "在籍不在校",
        }
    }
}
