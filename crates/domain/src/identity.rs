//! 居民身份证号码 (GB 11643-1999) and the legacy 15-digit numbers (GB 11643-1989).
//!
//! An 18-digit number is 6 digits of area, 8 of birth date, 3 of sequence (odd for men,
//! even for women) and a check character over the first 17 digits. The area code is where
//! the person was first registered and may no longer exist, so only the province prefix is
//! checked strictly.

use crate::registry::Sex;
use chrono::{Datelike, NaiveDate};
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level prefixes in use: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82.
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// A checked 18-digit ID number, upper-case `X`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    Empty,
    Length(usize),
    Characters,
    Province(String),
    BirthDate(String),
    CheckCharacter { expected: char, found: char },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Empty => write!(f, "身份证件号为空"),
            IdError::Length(n) => write!(f, "身份证件号应为18位（或旧式15位），实为{n}位"),
            IdError::Characters => write!(f, "身份证件号只能由数字组成，末位可为X"),
            IdError::Province(p) => write!(f, "身份证件号前两位“{p}”不是有效的省级行政区代码"),
            IdError::BirthDate(d) => write!(f, "身份证件号中的出生日期“{d}”不存在"),
            IdError::CheckCharacter { expected, found } => {
                write!(f, "身份证件号校验位错误：末位应为{expected}，实为{found}")
            }
        }
    }
}

impl std::error::Error for IdError {}

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdNumber {
    /// Reads a number as typed: blanks and full-width digits folded, lower-case `x` read
    /// as `X`, a 15-digit legacy number upgraded to 18 digits.
    pub fn parse(raw: &str) -> Result<IdNumber, IdError> {
        let text: String = crate::text::fold_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        let bytes = text.as_bytes();
        match bytes.len() {
            15 => {
                if !bytes.iter().all(u8::is_ascii_digit) {
                    return Err(IdError::Characters);
                }
                let mut first17 = Vec::with_capacity(18);
                first17.extend_from_slice(&bytes[..6]);
                first17.extend_from_slice(b"19");
                first17.extend_from_slice(&bytes[6..15]);
                let check = check_character(&first17);
                first17.push(check as u8);
                let upgraded = String::from_utf8(first17).map_err(|_| IdError::Characters)?;
                Self::validate_body(&upgraded)?;
                Ok(IdNumber(upgraded))
            }
            18 => {
                if !bytes[..17].iter().all(u8::is_ascii_digit)
                    || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
                {
                    return Err(IdError::Characters);
                }
                Self::validate_body(&text)?;
                let expected = check_character(&bytes[..17]);
                let found = bytes[17] as char;
                if expected != found {
                    return Err(IdError::CheckCharacter { expected, found });
                }
                Ok(IdNumber(text))
            }
            n => Err(IdError::Length(n)),
        }
    }

    fn validate_body(text: &str) -> Result<(), IdError> {
        let province: u32 = text[..2].parse().map_err(|_| IdError::Characters)?;
        if !PROVINCES.contains(&province) {
            return Err(IdError::Province(text[..2].to_string()));
        }
        let date = &text[6..14];
        parse_yyyymmdd(date).ok_or_else(|| IdError::BirthDate(date.to_string()))?;
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit area code of first registration.
    pub fn area_code(&self) -> &str {
        &self.0[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        parse_yyyymmdd(&self.0[6..14]).unwrap_or_default()
    }

    /// Odd sequence for men, even for women.
    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Builds a valid number from its parts (the demo county and tests use it).
    pub fn compose(area: &str, birth: NaiveDate, sequence: u16) -> IdNumber {
        let first17 = format!(
            "{area}{:04}{:02}{:02}{:03}",
            birth.year(),
            birth.month(),
            birth.day(),
            sequence % 1000
        );
        let check = check_character(first17.as_bytes());
        IdNumber(format!("{first17}{check}"))
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_yyyymmdd(text: &str) -> Option<NaiveDate> {
    let y: i32 = text.get(0..4)?.parse().ok()?;
    let m: u32 = text.get(4..6)?.parse().ok()?;
    let d: u32 = text.get(6..8)?.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Masks an ID number for lists and exports: the area code and the last two characters
/// stay, the birth date and sequence are hidden (110105**********2X).
///
/// A student key of another document (`A:E12345678`, `Z#G2021001`, see
/// [`crate::national::document_key`]) keeps its type code and the number's first and last
/// two characters (`A:E1*****78`).
pub fn mask_id(id: &str) -> String {
    if let Some((prefix, number)) = split_document_key(id) {
        return format!("{prefix}{}", mask_document_number(number));
    }
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// A student key of a document other than the 居民身份证: its `X:` / `Z#` prefix and the
/// number (see [`crate::national::document_key`]).
fn split_document_key(key: &str) -> Option<(&str, &str)> {
    let bytes = key.as_bytes();
    let shaped = bytes.len() > 2
        && matches!(bytes[0], b'6'..=b'9' | b'A' | b'Z')
        && matches!(bytes[1], b':' | b'#');
    shaped.then(|| key.split_at(2))
}

/// A document number other than a 居民身份证's, masked: the first and last two characters
/// stay when it is long enough to keep most of it hidden.
fn mask_document_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 6 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

/// Masks every ID-number-shaped run in a text (17 digits and a digit or X, not part of a
/// longer run of letters or digits) with [`mask_id`]; for audit keys and change records.
pub fn mask_ids_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_run = i == 0 || !is_word(bytes[i - 1]);
        let shaped = starts_run
            && i + 18 <= bytes.len()
            && bytes[i..i + 17].iter().all(u8::is_ascii_digit)
            && matches!(bytes[i + 17], b'0'..=b'9' | b'X' | b'x')
            && bytes.get(i + 18).is_none_or(|b| !is_word(*b));
        if shaped {
            spans.push((i, 18));
            i += 18;
        } else if let Some(len) = document_key_at(bytes, i) {
            spans.push((i, len));
            i += len;
        } else {
            i += 1;
        }
    }
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, len) in spans {
        out.push_str(&text[last..start]);
        out.push_str(&mask_id(&text[start..start + len]));
        last = start + len;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// The length of a student key of another document starting at `i` (`A:E12345678`: a
/// type code, `:` or `#`, then at least five letters, digits or `-`), not inside a word.
fn document_key_at(bytes: &[u8], i: usize) -> Option<usize> {
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    let starts_run = i == 0 || !is_word(bytes[i - 1]);
    let typed = matches!(bytes.get(i), Some(b'6'..=b'9' | b'A' | b'Z'))
        && matches!(bytes.get(i + 1), Some(b':' | b'#'));
    if !starts_run || !typed {
        return None;
    }
    let number = bytes[i + 2..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    (number >= 5).then_some(2 + number)
}

/// Masks a phone number as every list and export shows it: 138****5678 (the first three
/// and last four digits; a shorter number is all stars). The one masking of phones.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_are_masked_in_lists() {
        assert_eq!(mask_phone("13807451234"), "138****1234");
        assert_eq!(mask_phone(" 13807451234 "), "138****1234");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn known_good_number() {
        let id = IdNumber::parse("11010519491231002X").expect("valid");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).expect("date")
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.area_code(), "110105");
    }

    #[test]
    fn lower_case_x_and_full_width_digits_are_folded() {
        let id = IdNumber::parse(" １１０１０５１９４９１２３１００２x ").expect("valid");
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn legacy_fifteen_digits_are_upgraded() {
        let id = IdNumber::parse("110105491231002").expect("valid");
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(IdNumber::parse(""), Err(IdError::Empty));
        assert_eq!(IdNumber::parse("1234"), Err(IdError::Length(4)));
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdError::Characters)
        );
        assert_eq!(
            IdNumber::parse("990105194912310028"),
            Err(IdError::Province("99".into()))
        );
        assert!(matches!(
            IdNumber::parse("110105194902300021"),
            Err(IdError::BirthDate(_))
        ));
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdError::CheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
        assert!(IdError::CheckCharacter {
            expected: 'X',
            found: '1'
        }
        .to_string()
        .contains("校验位"));
    }

    #[test]
    fn id_numbers_inside_texts_are_masked() {
        assert_eq!(
            mask_ids_in_text(r#"{"id_number":"11010519491231002X","name":"张三"}"#),
            r#"{"id_number":"110105**********2X","name":"张三"}"#
        );
        assert_eq!(mask_ids_in_text("431224201105050012"), "431224**********12");
        assert_eq!(
            mask_ids_in_text("a 431224201105050012 b 431224201105050029"),
            "a 431224**********12 b 431224**********29"
        );
        // Longer runs (bank cards), shorter numbers and words are left alone.
        for kept in [
            "6222024312242011050500",
            "43122420110505001",
            "x431224201105050012",
            "431224201105050012a",
            "plain",
        ] {
            assert_eq!(mask_ids_in_text(kept), kept);
        }
    }

    #[test]
    fn other_documents_are_masked_with_their_type() {
        assert_eq!(mask_id("A:E12345678"), "A:E1*****78");
        assert_eq!(mask_id("Z#G2021001"), "Z#G2****01");
        assert_eq!(mask_id("Z:X12"), "Z:***");
        assert_eq!(
            mask_ids_in_text(r#"{"id_number":"A:E12345678","time":"9:30"}"#),
            r#"{"id_number":"A:E1*****78","time":"9:30"}"#
        );
        assert_eq!(mask_ids_in_text("student 8:01234567"), "student 8:01****67");
        assert_eq!(mask_ids_in_text("BA:E12345678"), "BA:E12345678");
    }

    #[test]
    fn masks_keep_only_the_edges() {
        assert_eq!(mask_id("11010519491231002X"), "110105**********2X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    fn any_birth() -> impl Strategy<Value = NaiveDate> {
        (1930i32..2025, 1u32..=12, 1u32..=31)
            .prop_filter_map("real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    proptest! {
        #[test]
        fn composed_numbers_parse_back(birth in any_birth(), seq in 0u16..1000, area in prop::sample::select(vec!["431224", "110105", "820000", "650102"])) {
            let id = IdNumber::compose(area, birth, seq);
            let parsed = IdNumber::parse(id.as_str()).expect("composed numbers are valid");
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.sex(), if seq % 2 == 1 { Sex::Male } else { Sex::Female });
            prop_assert_eq!(parsed.as_str().to_lowercase(), id.as_str().to_lowercase());
            prop_assert_eq!(IdNumber::parse(&id.as_str().to_lowercase()).expect("lower x"), parsed);
        }

        #[test]
        fn any_single_digit_change_is_caught(birth in any_birth(), seq in 0u16..1000, pos in 0usize..17, delta in 1u8..10) {
            let id = IdNumber::compose("431224", birth, seq);
            let mut bytes = id.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            prop_assert!(IdNumber::parse(&changed).is_err());
        }

        #[test]
        fn legacy_upgrade_keeps_birth_and_sex(birth in (1900i32..2000, 1u32..=12, 1u32..=28).prop_map(|(y,m,d)| NaiveDate::from_ymd_opt(y,m,d).expect("date")), seq in 0u16..1000) {
            let legacy = format!("431224{}{:03}", birth.format("%y%m%d"), seq);
            let id = IdNumber::parse(&legacy).expect("legacy numbers upgrade");
            prop_assert_eq!(id.birth_date(), birth);
            prop_assert_eq!(id, IdNumber::compose("431224", birth, seq));
        }

        #[test]
        fn parse_never_panics(raw in "\\PC{0,24}") {
            let _ = IdNumber::parse(&raw);
        }
    }
}
