//! 学期: `2021-spring` (2021年春季学期) and `2021-autumn` (2021年秋季学期).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Season {
    Spring,
    Autumn,
}

/// A school term. Orders by time: 2021-spring < 2021-autumn < 2022-spring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Term {
    pub year: i32,
    pub season: Season,
}

impl Term {
    pub fn spring(year: i32) -> Term {
        Term {
            year,
            season: Season::Spring,
        }
    }

    pub fn autumn(year: i32) -> Term {
        Term {
            year,
            season: Season::Autumn,
        }
    }

    /// Reads `2021-spring`, `2021-autumn`, and the Chinese `2021年春季学期` / `2021年秋季`.
    pub fn parse(raw: &str) -> Option<Term> {
        let text = crate::text::fold_width(raw);
        if let Some((year, season)) = text.split_once('-') {
            let year: i32 = year.parse().ok()?;
            return match season {
                "spring" => Some(Term::spring(year)),
                "autumn" => Some(Term::autumn(year)),
                _ => None,
            };
        }
        let (year, rest) = text.split_once('年')?;
        let year: i32 = year.parse().ok()?;
        if rest.starts_with('春') {
            Some(Term::spring(year))
        } else if rest.starts_with('秋') {
            Some(Term::autumn(year))
        } else {
            None
        }
    }

    /// The code used on the command line and in the database.
    pub fn code(self) -> String {
        let season = match self.season {
            Season::Spring => "spring",
            Season::Autumn => "autumn",
        };
        format!("{}-{season}", self.year)
    }

    /// A stored term code (`2021-autumn`) as people read it (`2021年秋季学期`); text that is
    /// not a term is shown as it is.
    pub fn label_of(code: &str) -> String {
        Term::parse(code).map_or_else(|| code.to_string(), Term::label)
    }

    pub fn label(self) -> String {
        let season = match self.season {
            Season::Spring => "春季",
            Season::Autumn => "秋季",
        };
        format!("{}年{season}学期", self.year)
    }

    /// The term a date falls in: February to July is spring, August to December autumn,
    /// January still belongs to the previous year's autumn term.
    pub fn containing(date: NaiveDate) -> Term {
        match date.month() {
            1 => Term::autumn(date.year() - 1),
            2..=7 => Term::spring(date.year()),
            _ => Term::autumn(date.year()),
        }
    }

    /// The day the term's school year began (1 September), used for age-for-grade checks.
    pub fn school_year_start(self) -> NaiveDate {
        let year = match self.season {
            Season::Spring => self.year - 1,
            Season::Autumn => self.year,
        };
        NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or_default()
    }

    /// The day the term's teaching begins as the county counts it (春季 1 March, 秋季
    /// 1 September): a building finished by then is in use that term.
    pub fn first_day(self) -> NaiveDate {
        let month = match self.season {
            Season::Spring => 3,
            Season::Autumn => 9,
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or_default()
    }

    /// The terms of a calendar year, in order.
    pub fn of_year(year: i32) -> [Term; 2] {
        [Term::spring(year), Term::autumn(year)]
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_chinese() {
        assert_eq!(Term::parse("2021-spring"), Some(Term::spring(2021)));
        assert_eq!(Term::parse("2021年秋季学期"), Some(Term::autumn(2021)));
        assert_eq!(Term::parse("2021-summer"), None);
        assert_eq!(Term::autumn(2021).code(), "2021-autumn");
        assert!(Term::spring(2021) < Term::autumn(2021));
        assert!(Term::autumn(2021) < Term::spring(2022));
    }

    #[test]
    fn dates_fall_into_terms() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(Term::containing(d(2022, 1, 10)), Term::autumn(2021));
        assert_eq!(Term::containing(d(2021, 3, 1)), Term::spring(2021));
        assert_eq!(Term::spring(2021).school_year_start(), d(2020, 9, 1));
    }
}
