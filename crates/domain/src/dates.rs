//! Dates as they arrive in sheets: 2014-09-01, 2014/9/1, 20140901, 2014年9月1日, 2014.9.1.

use chrono::NaiveDate;

/// Parses the common Chinese spellings of a date. Returns `None` for anything else,
/// including impossible dates such as 2021-02-30.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let text = crate::text::fold_width(raw);
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let y = text[0..4].parse().ok()?;
        let m = text[4..6].parse().ok()?;
        let d = text[6..8].parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    let parts: Vec<&str> = text
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if parts[0].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    )
}

/// A date as the database stores it (2014-09-01), read without the general parser: a
/// region's comparison reads tens of millions of them. Other text goes to chrono's parser.
pub fn parse_stored(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return text.parse().ok();
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(number(&b[0..4])?).ok()?,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )
}

/// Full years of age on `on`, as the law counts them (周岁).
pub fn full_years(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// The county's clock: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991).
const COUNTY_OFFSET_SECONDS: i32 = 8 * 3600;

/// A stored moment (`2021-09-01T00:30:00Z`, RFC 3339) as a person in the county reads it:
/// `2021-09-01 08:30`. Text that is not a moment is shown as it is.
pub fn local_time(stored: &str) -> String {
    let offset = chrono::FixedOffset::east_opt(COUNTY_OFFSET_SECONDS).expect("a valid offset");
    match chrono::DateTime::parse_from_rfc3339(stored.trim()) {
        Ok(at) => at
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The stored-date reader agrees with chrono's on every day and on broken text.
        #[test]
        fn stored_dates_read_as_chrono_reads_them(days in 0i64..60_000, noise in "[0-9-]{0,11}") {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a day") + chrono::Duration::days(days);
            let text = day.format("%Y-%m-%d").to_string();
            proptest::prop_assert_eq!(parse_stored(&text), Some(day));
            proptest::prop_assert_eq!(parse_stored(&noise), noise.parse::<NaiveDate>().ok());
        }
    }

    #[test]
    fn stored_dates_refuse_impossible_days() {
        assert_eq!(parse_stored("2021-02-30"), None);
        assert_eq!(parse_stored("2021-13-01"), None);
        assert_eq!(parse_stored("2021-0a-01"), None);
        assert_eq!(parse_stored(""), None);
    }

    #[test]
    fn moments_read_in_the_county_clock() {
        assert_eq!(local_time("2021-09-01T00:30:00Z"), "2021-09-01 08:30");
        // Past midnight in the county: the next day.
        assert_eq!(local_time("2021-12-31T16:05:09Z"), "2022-01-01 00:05");
        assert_eq!(local_time("2021-09-01T08:30:00+08:00"), "2021-09-01 08:30");
        assert_eq!(local_time("2021-09-01"), "2021-09-01");
        assert_eq!(local_time("未使用"), "未使用");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn reads_every_documented_spelling() {
        for text in [
            "2014-09-01",
            "2014/9/1",
            "20140901",
            "2014年9月1日",
            "2014.9.1",
            "２０１４－０９－０１",
        ] {
            assert_eq!(parse_date(text), Some(d(2014, 9, 1)), "{text}");
        }
    }

    #[test]
    fn refuses_impossible_dates_and_noise() {
        for text in ["2021-02-30", "20211301", "14-9-1", "九月", "", "2014-09"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn counts_full_years() {
        assert_eq!(full_years(d(2015, 9, 1), d(2021, 8, 31)), 5);
        assert_eq!(full_years(d(2015, 8, 31), d(2021, 8, 31)), 6);
        assert_eq!(full_years(d(2012, 2, 29), d(2021, 2, 28)), 8);
    }
}
