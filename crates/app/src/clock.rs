//! 时钟 the clock: what "today" is. One value in the web state and the command line, so
//! every rule that looks at the date (overdue hazards, the current term, a closing date
//! not in the future) sees the same day, and a training or demo install can pin it.

use chrono::NaiveDate;
use emis_domain::term::Term;

/// `EMIS_TODAY=2021-10-15` pins the date (training on the 2021 demo county, tests).
pub const PIN_VARIABLE: &str = "EMIS_TODAY";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pinned: Option<NaiveDate>,
}

impl Clock {
    /// The computer's local date.
    pub fn system() -> Clock {
        Clock { pinned: None }
    }

    /// Always the given day.
    pub fn pinned(day: NaiveDate) -> Clock {
        Clock { pinned: Some(day) }
    }

    /// The system clock, or the day `EMIS_TODAY` names. A value that is not a date is
    /// refused rather than ignored, so a mistyped pin is noticed at start-up.
    pub fn from_env() -> crate::Result<Clock> {
        match std::env::var(PIN_VARIABLE) {
            Err(_) => Ok(Clock::system()),
            Ok(raw) if raw.trim().is_empty() => Ok(Clock::system()),
            Ok(raw) => raw
                .trim()
                .parse::<NaiveDate>()
                .map(Clock::pinned)
                .map_err(|_| {
                    crate::AppError::Usage(format!(
                        "{PIN_VARIABLE}=“{raw}”不是日期，应如 2021-10-15"
                    ))
                }),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.pinned
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The term today falls in.
    pub fn current_term(&self) -> Term {
        Term::containing(self.today())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_keeps_its_day_and_term() {
        let day = NaiveDate::from_ymd_opt(2021, 10, 15).expect("a date");
        let clock = Clock::pinned(day);
        assert_eq!(clock.today(), day);
        assert_eq!(clock.current_term().code(), "2021-autumn");
        assert_ne!(Clock::system().today(), day);
    }
}
