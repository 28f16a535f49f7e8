//! A respondent's answers read against the definition: each value by its field's type,
//! bounds and lock, then the cross-field checks. Answers are kept as canonical text per
//! field code (`12`, `67.50`, `2021-09-01`, `是`), the same in the database, the sheet and
//! the page.

use super::{Definition, Field, FieldType, Rule, MAX_TEXT};
use std::collections::{BTreeMap, HashMap};

/// Canonical answers by field code; a blank answer is absent.
pub type Answers = BTreeMap<String, String>;

/// One value read by its field's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Integer(i64),
    /// Hundredths: 67.5 is 6750.
    Decimal(i64),
    Text(String),
    Date(chrono::NaiveDate),
    Choice(String),
    Bool(bool),
}

impl Answer {
    /// The canonical text stored and shown.
    pub fn canonical(&self) -> String {
        match self {
            Answer::Integer(n) => n.to_string(),
            Answer::Decimal(h) => {
                let sign = if *h < 0 { "-" } else { "" };
                format!(
                    "{sign}{}.{:02}",
                    h.unsigned_abs() / 100,
                    h.unsigned_abs() % 100
                )
            }
            Answer::Text(t) | Answer::Choice(t) => t.clone(),
            Answer::Date(d) => d.to_string(),
            Answer::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }

    /// The number a rule or a sum reads (integers and decimals only).
    pub fn number(&self) -> Option<f64> {
        match self {
            Answer::Integer(n) => Some(*n as f64),
            Answer::Decimal(h) => Some(*h as f64 / 100.0),
            _ => None,
        }
    }

    /// The value in hundredths, for exact sums of a field over responses.
    pub fn hundredths(&self) -> Option<i64> {
        match self {
            Answer::Integer(n) => n.checked_mul(100),
            Answer::Decimal(h) => Some(*h),
            _ => None,
        }
    }
}

/// A refused value, by field code, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: String,
    pub reason: String,
}

/// Reads one value as the field's type; blank is `None`. Bounds are checked here too.
pub fn read_answer(field: &Field, raw: &str) -> Result<Option<Answer>, String> {
    let text = crate::text::fold_width(raw.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let answer = match field.kind {
        FieldType::Integer => {
            let digits: String = text.chars().filter(|c| *c != ',').collect();
            Answer::Integer(
                digits
                    .parse::<i64>()
                    .ok()
                    .filter(|n| n.unsigned_abs() < 1_000_000_000_000)
                    .ok_or_else(|| format!("“{text}”不是整数"))?,
            )
        }
        FieldType::Decimal => Answer::Decimal(
            hundredths(&text).ok_or_else(|| format!("“{text}”不是数字（最多两位小数）"))?,
        ),
        FieldType::Text => {
            let n = text.chars().count();
            if n > MAX_TEXT {
                return Err(format!("不能超过{MAX_TEXT}个字（现有{n}个字）"));
            }
            Answer::Text(text)
        }
        FieldType::Date => Answer::Date(
            crate::dates::parse_date(&text)
                .ok_or_else(|| format!("“{text}”不是日期，应如 2021-09-01"))?,
        ),
        FieldType::Choice => {
            if !field.choices.contains(&text) {
                return Err(format!("应为：{}", field.choices.join(" / ")));
            }
            Answer::Choice(text)
        }
        FieldType::Bool => Answer::Bool(match text.as_str() {
            "是" | "有" | "true" | "yes" => true,
            "否" | "无" | "false" | "no" => false,
            _ => return Err(format!("“{text}”应为“是”或“否”")),
        }),
    };
    if let Some(v) = answer.number() {
        let unit = field.unit.as_deref().unwrap_or("");
        if let Some(min) = field.min.filter(|m| v < *m) {
            return Err(format!("不能小于{min}{unit}"));
        }
        if let Some(max) = field.max.filter(|m| v > *m) {
            return Err(format!("不能大于{max}{unit}"));
        }
    }
    Ok(Some(answer))
}

/// Money-like text with at most two decimals, as hundredths.
fn hundredths(text: &str) -> Option<i64> {
    let t: String = text.chars().filter(|c| *c != ',').collect();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 12
    {
        return None;
    }
    let value = whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    Some(if negative { -value } else { value })
}

/// Reads a respondent's answers (raw text by field code). Prefilled values (by field code)
/// fill blanks; a locked one that differs is refused. A draft (`submitting` false) may
/// leave required fields blank and is not held to the cross-field checks; a submission is.
/// Every refused field is listed, in the definition's order.
pub fn check_answers(
    def: &Definition,
    raw: &BTreeMap<String, String>,
    prefilled: &BTreeMap<String, Answer>,
    submitting: bool,
) -> Result<Answers, Vec<Refusal>> {
    let mut refused = Vec::new();
    let mut read: BTreeMap<&str, Answer> = BTreeMap::new();
    for f in &def.fields {
        let given = raw.get(&f.code).map(String::as_str).unwrap_or("");
        let refuse = |reason: String| Refusal {
            field: f.code.clone(),
            reason: format!("{}：{reason}", f.label),
        };
        let value = match read_answer(f, given) {
            Ok(v) => v,
            Err(reason) => {
                refused.push(refuse(reason));
                continue;
            }
        };
        let prefill = prefilled.get(&f.code);
        let value = match (value, prefill) {
            (Some(v), Some(p)) if f.locked && v != *p => {
                refused.push(refuse(format!(
                    "该项由系统按本单位记录预填为{}，不能修改",
                    p.canonical()
                )));
                continue;
            }
            (Some(v), _) => Some(v),
            (None, Some(p)) => Some(p.clone()),
            (None, None) => None,
        };
        match value {
            Some(v) => {
                read.insert(f.code.as_str(), v);
            }
            None if submitting && f.required => refused.push(refuse("必填".into())),
            None => {}
        }
    }
    if submitting && refused.is_empty() {
        let numbers: HashMap<&str, f64> = read
            .iter()
            .filter_map(|(k, v)| v.number().map(|n| (*k, n)))
            .collect();
        for c in &def.checks {
            let Ok(rule) = Rule::parse(&c.rule) else {
                continue; // A stored definition was checked when it was defined.
            };
            if rule.holds(&numbers) == Some(false) {
                let field = rule.fields().first().copied().unwrap_or_default();
                refused.push(Refusal {
                    field: field.to_string(),
                    reason: c.message.clone(),
                });
            }
        }
    }
    if refused.is_empty() {
        Ok(read
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.canonical()))
            .collect())
    } else {
        Err(refused)
    }
}
