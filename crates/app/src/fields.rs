//! Form fields read the same way everywhere: a refusal names its field (`AppError::Invalid`)
//! so the form shows the message beside it.

use crate::{AppError, Result};
use chrono::NaiveDate;

/// A refusal of one field.
pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

/// A required text, trimmed, at most `max` characters.
pub(crate) fn required_text<'a>(
    field: &'static str,
    label: &str,
    value: &'a str,
    max: usize,
) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, format!("{label}不能为空")));
    }
    emis_domain::limits::check_len(label, value, max).map_err(|m| invalid(field, m))?;
    Ok(value)
}

/// A date in any usual spelling, not after `today`.
pub(crate) fn past_date(
    field: &'static str,
    label: &str,
    value: &str,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let date = emis_domain::dates::parse_date(value).ok_or_else(|| {
        invalid(
            field,
            format!("{label}“{}”无法识别，应如 2021-09-01", value.trim()),
        )
    })?;
    if date > today {
        return Err(invalid(field, format!("{label} {date} 晚于今天")));
    }
    Ok(date)
}

/// A whole number in `lo..=hi`.
pub(crate) fn number_in(
    field: &'static str,
    label: &str,
    value: &str,
    lo: i64,
    hi: i64,
) -> Result<i64> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| invalid(field, format!("{label}应为{lo}–{hi}的整数")))
}
