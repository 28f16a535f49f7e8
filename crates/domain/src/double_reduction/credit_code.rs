//! 统一社会信用代码 (GB 32100-2015): 18 characters from 0–9 and the capitals without I, O, S,
//! V and Z; the last is a check character over the first 17 (weights 3^i mod 31).

/// The code's alphabet, each character's value being its position.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a code is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位，实际{0}位")]
    Length(usize),
    #[error("统一社会信用代码第{position}位“{found}”不是允许的字符（数字或除 I、O、S、V、Z 外的大写字母）")]
    Character { position: usize, found: char },
    #[error("统一社会信用代码校验位应为“{expected}”，实际为“{found}”")]
    Check { expected: char, found: char },
}

/// The check character of the first 17 characters (already checked to be in the alphabet).
fn check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| ALPHABET.iter().position(|a| a == c).unwrap_or(0) as u32 * w)
        .sum();
    let value = (31 - sum % 31) % 31;
    ALPHABET[value as usize] as char
}

/// Reads a code (trimmed, width-folded, lower case taken as upper case) and checks it.
pub fn parse(raw: &str) -> Result<String, CreditCodeError> {
    let text = crate::text::fold_width(raw).to_ascii_uppercase();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    for (i, c) in chars.iter().enumerate() {
        if !c.is_ascii() || !ALPHABET.contains(&(*c as u8)) {
            return Err(CreditCodeError::Character {
                position: i + 1,
                found: *c,
            });
        }
    }
    let bytes = text.as_bytes();
    let expected = check_char(&bytes[..17]);
    if chars[17] != expected {
        return Err(CreditCodeError::Check {
            expected,
            found: chars[17],
        });
    }
    Ok(text)
}

/// A valid code for the 17 given characters (tests and the demo county).
pub fn compose(body: &str) -> Option<String> {
    let body = body.to_ascii_uppercase();
    (body.len() == 17 && body.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| format!("{body}{}", check_char(body.as_bytes())))
}
