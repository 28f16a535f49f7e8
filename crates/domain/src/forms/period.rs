//! 填报周期: how often a form is asked for, and the period one assignment covers.

use crate::term::Term;
use serde::{Deserialize, Serialize};

/// How often a form is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// 一次性: asked once, filed under the year it was asked.
    Once,
    Year,
    Term,
    Month,
}

impl PeriodKind {
    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Once => "一次性",
            PeriodKind::Year => "每年",
            PeriodKind::Term => "每学期",
            PeriodKind::Month => "每月",
        }
    }

    /// How a period of this kind is written, for messages.
    fn example(self) -> &'static str {
        match self {
            PeriodKind::Once | PeriodKind::Year => "2021",
            PeriodKind::Term => "2021-autumn（2021年秋季学期）",
            PeriodKind::Month => "2021-09",
        }
    }

    /// Reads the period an assignment covers (`2021`, `2021-autumn`, `2021-09`).
    pub fn read(self, raw: &str) -> Result<Period, String> {
        let raw = raw.trim();
        let refused = || {
            format!(
                "填报周期“{raw}”不符合{}报表的写法，应如 {}",
                self.label(),
                self.example()
            )
        };
        let year = |t: &str| -> Option<i32> {
            t.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y) && t.len() == 4)
        };
        match self {
            PeriodKind::Once | PeriodKind::Year => year(raw).map(Period::Year).ok_or_else(refused),
            PeriodKind::Term => Term::parse(raw)
                .filter(|t| (2000..=2100).contains(&t.year))
                .map(Period::Term)
                .ok_or_else(refused),
            PeriodKind::Month => {
                let (y, m) = raw.split_once('-').ok_or_else(refused)?;
                let month = m.parse::<u32>().ok().filter(|n| (1..=12).contains(n));
                match (year(y), month) {
                    (Some(y), Some(month)) if m.len() == 2 => Ok(Period::Month(y, month)),
                    _ => Err(refused()),
                }
            }
        }
    }
}

/// The period one assignment covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    Term(Term),
    Month(i32, u32),
}

impl Period {
    /// As stored and typed: `2021`, `2021-autumn`, `2021-09`.
    pub fn code(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Term(t) => t.code(),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    /// For people: 2021年, 2021年秋季学期, 2021年9月.
    pub fn label(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::Term(t) => t.label(),
            Period::Month(y, m) => format!("{y}年{m}月"),
        }
    }

    /// The calendar year the period's figures count in (`form.CODE.FIELD` of a year).
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Month(y, _) => y,
            Period::Term(t) => t.year,
        }
    }
}
