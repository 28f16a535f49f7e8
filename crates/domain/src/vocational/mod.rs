//! 职业教育: the vocational school's 专业 with their partner institutions, the agreements
//! signed with them and each year's intake, and the `vocational.five_year_intake` figure.
//!
//! Glossary (code name → 中文): programme → 专业 (name → 专业名称, code → 专业代码),
//! schooling → 学制 (三年制 / 五年制大专), partner → 合作院校, agreement → 合作协议 (title →
//! 协议名称, signed on → 签订日期, years → 期限（年）), intake → 招生人数 (per 年度), former
//! name → 曾用名 (a school's name until the day it was renamed).

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;

labeled_enum!(
    /// 学制.
    Schooling {
        ThreeYear => "三年制" | "三年制中职" | "中职",
        FiveYear => "五年制大专" | "五年制" | "五年一贯制大专",
    }
);

/// The most students one programme takes in a year.
pub const MAX_INTAKE: i64 = 5_000;

/// The longest agreement counted (years).
pub const MAX_YEARS: i64 = 20;

/// Refuses an intake below zero or beyond [`MAX_INTAKE`].
pub fn check_intake(n: i64) -> Result<(), String> {
    if (0..=MAX_INTAKE).contains(&n) {
        Ok(())
    } else {
        Err(format!("招生人数应为0–{MAX_INTAKE}的整数"))
    }
}

/// Refuses an agreement's term outside 1–[`MAX_YEARS`] years.
pub fn check_years(n: i64) -> Result<(), String> {
    if (1..=MAX_YEARS).contains(&n) {
        Ok(())
    } else {
        Err(format!("期限应为1–{MAX_YEARS}年"))
    }
}

/// 五年制大专 intake of `year` over (schooling, year, students) rows.
pub fn five_year_intake(year: i32, rows: impl IntoIterator<Item = (Schooling, i32, i64)>) -> i64 {
    rows.into_iter()
        .filter(|(s, y, _)| *s == Schooling::FiveYear && *y == year)
        .map(|(_, _, n)| n)
        .sum()
}

/// The last day an agreement signed on `signed` for `years` years runs.
pub fn runs_until(signed: chrono::NaiveDate, years: i64) -> Option<chrono::NaiveDate> {
    let months = u32::try_from(years.checked_mul(12)?).ok()?;
    signed
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()
}
