//! The national systems' files as they come: the roll exported by the national student
//! registry (全国中小学生学籍信息管理系统), the national aid system's sheets and the police
//! household roll. Their choice columns carry coded values (`1-男`, `15-土家族`,
//! `2-住校`), their class names carry the grade (`三年级(2)班`, `小三(02)班`), and some of
//! their students hold a document other than the mainland ID card.
//!
//! Every import reads its cells through these functions (through `RowCheck` in the app
//! crate), so a coded value is read the same way in every column of every sheet.
//!
//! Glossary (code name → 中文): coded value → 代码值 (`代码-名称`), document type →
//! 身份证件类型, document number → 证件号, document key → the registry's identity of a
//! student (证件类型 + 证件号), auxiliary roll number → 学籍辅号, left-behind child →
//! 留守儿童, migrant child → 随迁子女, orphan → 孤儿, household type → 户口性质,
//! overseas status → 港澳台侨外, nationality → 国籍/地区, attendance → 就读方式,
//! day student → 走读, boarder → 住校.

use crate::registry::Grade;
use serde::{Deserialize, Serialize};

/// Splits a national coded value `code-label` (`1-男`, `15-土家族`, `A-护照`) into its code
/// and label; `None` when the text is not of that form. The code is 1–3 letters or digits.
pub fn split_coded(text: &str) -> Option<(&str, &str)> {
    let (code, label) = text.split_once('-')?;
    let code_ok = (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric());
    let label = label.trim();
    (code_ok && !label.is_empty()).then_some((code.trim(), label))
}

/// The national code tables this product knows, by the column (our template's name) that
/// carries them: the label a code stands for. A code of a column not listed here is not
/// checked against its label (户口性质, 港澳台侨外 and 国籍/地区 are kept as they come).
pub fn label_of_code(column: &str, code: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match column {
        "性别" => &[("1", "男"), ("2", "女")],
        "民族" => return ethnicity_of_code(code),
        "身份证件类型" => return DocumentType::of_code(code).map(DocumentType::label),
        "就读方式" => &[("1", "走读"), ("2", "住校")],
        "留守儿童" => &[
            ("0", "非留守儿童"),
            ("1", "单亲留守儿童"),
            ("2", "双亲留守儿童"),
        ],
        "随迁子女" | "孤儿" | "寄宿生" => &[("0", "否"), ("1", "是")],
        _ => return None,
    };
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// Whether the column's national code table is known ([`label_of_code`]).
pub fn knows_codes(column: &str) -> bool {
    matches!(
        column,
        "性别"
            | "民族"
            | "身份证件类型"
            | "就读方式"
            | "留守儿童"
            | "随迁子女"
            | "孤儿"
            | "寄宿生"
    )
}

/// The national code of a label in a column, for the national export (`男` → `1`).
pub fn code_of_label(column: &str, label: &str) -> Option<String> {
    match column {
        "民族" => {
            let n = crate::ethnicity::GB3304.iter().position(|e| *e == label);
            return n.map(|n| format!("{:02}", n + 1)).or(match label {
                "其他" => Some("97".into()),
                "外国血统中国籍人士" => Some("98".into()),
                _ => None,
            });
        }
        "身份证件类型" => {
            return DocumentType::parse(label).map(|t| t.code().to_string());
        }
        _ => {}
    }
    ["0", "1", "2"]
        .into_iter()
        .find(|code| label_of_code(column, code) == Some(label))
        .map(str::to_string)
}

/// A label written in the national form `code-label` when its code is known, bare otherwise.
pub fn coded(column: &str, label: &str) -> String {
    match code_of_label(column, label) {
        Some(code) => format!("{code}-{label}"),
        None => label.to_string(),
    }
}

fn ethnicity_of_code(code: &str) -> Option<&'static str> {
    let n: usize = code.parse().ok()?;
    match n {
        97 => Some(crate::ethnicity::OTHER[0]),
        98 => Some(crate::ethnicity::OTHER[1]),
        _ => crate::ethnicity::GB3304.get(n.checked_sub(1)?).copied(),
    }
}

/// Why a choice cell was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodedRefusal {
    /// Neither the text nor the label of a `code-label` value is one of the choices.
    Unknown,
    /// The column's code table is known and has no such code (`3-住校`).
    UnknownCode { code: String },
    /// A known code stands for another label than the one written (`2-男`).
    Disagrees {
        code: String,
        label: String,
        expected: &'static str,
    },
}

/// Reads a choice cell as our template writes it (the bare label, or whatever `parse`
/// accepts) or as the national systems do (`code-label`, the label read by `parse`). Where
/// the column's code table is known ([`label_of_code`]) the code must stand for the label.
pub fn read_coded<T: PartialEq>(
    column: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, CodedRefusal> {
    // The national form first: a bare label has no `code-` and goes straight to `parse`,
    // and a coded one is read once, not tried whole first (150,000 rows × every column).
    if let Some((code, label)) = split_coded(raw) {
        if let Some(value) = parse(label) {
            return check_code(column, code, label, value, &parse);
        }
    }
    if let Some(value) = parse(raw) {
        return Ok(value);
    }
    // Full-width digits or dash (`１－男`): folded, then read as above.
    let text = crate::text::fold_width(raw);
    if text == raw {
        return Err(CodedRefusal::Unknown);
    }
    let (code, label) = split_coded(&text).ok_or(CodedRefusal::Unknown)?;
    let value = parse(label).ok_or(CodedRefusal::Unknown)?;
    check_code(column, code, label, value, &parse)
}

/// A coded value's code against its label, where the column's code table is known.
fn check_code<T: PartialEq>(
    column: &str,
    code: &str,
    label: &str,
    value: T,
    parse: &impl Fn(&str) -> Option<T>,
) -> Result<T, CodedRefusal> {
    match label_of_code(column, code) {
        // The label as the table writes it, or another spelling of the same value (`苗`).
        Some(expected) if expected == label || parse(expected).as_ref() == Some(&value) => {
            Ok(value)
        }
        Some(expected) => Err(CodedRefusal::Disagrees {
            code: code.to_string(),
            label: label.to_string(),
            expected,
        }),
        None if knows_codes(column) => Err(CodedRefusal::UnknownCode {
            code: code.to_string(),
        }),
        None => Ok(value),
    }
}

impl std::fmt::Display for CodedRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodedRefusal::Unknown => f.write_str("无法识别"),
            CodedRefusal::UnknownCode { code } => {
                write!(f, "代码“{code}”不在全国学籍系统该列的代码表中")
            }
            CodedRefusal::Disagrees {
                code,
                label,
                expected,
            } => write!(f, "代码“{code}”表示“{expected}”，与名称“{label}”不一致"),
        }
    }
}

/// A free-text national value (户口性质, 港澳台侨外, 国籍/地区) as it is kept: folded and
/// trimmed, with its code if it came with one, so the national export writes it back as it
/// came; `None` when blank.
pub fn kept_as_given(raw: &str) -> Option<String> {
    let text = crate::text::fold_width(raw);
    (!text.is_empty()).then_some(text)
}

/// Reads a 班级 cell: a bare class number (`3`, `3班`, `(3)班`) or a class name carrying
/// its grade as the national export writes it (`三年级(2)班`, `小三(02)班`, `初一(3)班`,
/// `高二1班`). Returns the grade the name carries, if any, and the class number.
pub fn parse_class_name(raw: &str) -> Option<(Option<Grade>, u32)> {
    let text = crate::text::fold_width(raw);
    let body = text.strip_suffix('班').unwrap_or(&text);
    let (prefix, number) = match body.strip_suffix(')') {
        Some(inner) => {
            let open = inner.rfind('(')?;
            (&inner[..open], &inner[open + 1..])
        }
        None => {
            let first_digit = body.find(|c: char| c.is_ascii_digit())?;
            (&body[..first_digit], &body[first_digit..])
        }
    };
    let number: u32 = number.parse().ok()?;
    if !(1..=99).contains(&number) {
        return None;
    }
    if prefix.is_empty() {
        return Some((None, number));
    }
    Some((Some(grade_of_class_prefix(prefix)?), number))
}

/// The grade a class name starts with: a grade label (`三年级`, `初一`, `高二`, `大班`) or
/// the national short forms 小一…小六 (primary) and 初一…初三, 高一…高三.
fn grade_of_class_prefix(prefix: &str) -> Option<Grade> {
    if let Some(grade) = Grade::parse(prefix) {
        return Some(grade);
    }
    let rest = prefix.strip_prefix('小')?;
    let n = "一二三四五六".chars().position(|c| rest == c.to_string())?;
    Some(Grade::ALL[3 + n])
}

/// 身份证件类型, with the national system's one-character codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DocumentType {
    /// 1 居民身份证: checked by GB 11643; sex and birth date read from the number.
    #[default]
    ResidentId,
    /// 6 香港特区护照/身份证明.
    HongKong,
    /// 7 澳门特区护照/身份证明.
    Macau,
    /// 8 台湾居民来往大陆通行证.
    Taiwan,
    /// 9 境外永久居住证.
    ForeignPermanent,
    /// A 护照.
    Passport,
    /// Z 其他: the number may be missing, the student is then known by 学籍辅号.
    Other,
}

crate::labels_in_json!(DocumentType);

impl DocumentType {
    pub const ALL: &'static [DocumentType] = &[
        DocumentType::ResidentId,
        DocumentType::HongKong,
        DocumentType::Macau,
        DocumentType::Taiwan,
        DocumentType::ForeignPermanent,
        DocumentType::Passport,
        DocumentType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "1",
            DocumentType::HongKong => "6",
            DocumentType::Macau => "7",
            DocumentType::Taiwan => "8",
            DocumentType::ForeignPermanent => "9",
            DocumentType::Passport => "A",
            DocumentType::Other => "Z",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "居民身份证",
            DocumentType::HongKong => "香港特区护照/身份证明",
            DocumentType::Macau => "澳门特区护照/身份证明",
            DocumentType::Taiwan => "台湾居民来往大陆通行证",
            DocumentType::ForeignPermanent => "境外永久居住证",
            DocumentType::Passport => "护照",
            DocumentType::Other => "其他",
        }
    }

    pub fn of_code(code: &str) -> Option<DocumentType> {
        let code = code.to_ascii_uppercase();
        DocumentType::ALL.iter().copied().find(|t| t.code() == code)
    }

    /// Reads a label (or a common spelling of it) or a bare code.
    pub fn parse(raw: &str) -> Option<DocumentType> {
        let text = crate::text::fold_width(raw);
        let found = match text.as_str() {
            "居民身份证" | "身份证" | "居民身份证号" => DocumentType::ResidentId,
            "香港特区护照/身份证明"
            | "香港特区护照/港澳居民来往内地通行证"
            | "香港特区护照"
            | "香港身份证"
            | "港澳居民来往内地通行证(香港)" => DocumentType::HongKong,
            "澳门特区护照/身份证明"
            | "澳门特区护照/港澳居民来往内地通行证"
            | "澳门特区护照"
            | "澳门身份证"
            | "港澳居民来往内地通行证(澳门)" => DocumentType::Macau,
            "台湾居民来往大陆通行证" | "台胞证" | "台湾居民来往大陆通行证/台胞证" => {
                DocumentType::Taiwan
            }
            "境外永久居住证" | "外国人永久居留身份证" | "外国人永久居留证" => {
                DocumentType::ForeignPermanent
            }
            "护照" => DocumentType::Passport,
            "其他" => DocumentType::Other,
            code => return DocumentType::of_code(code),
        };
        Some(found)
    }

    pub fn choices() -> String {
        DocumentType::ALL
            .iter()
            .map(|t| format!("{}-{}", t.code(), t.label()))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Checks a number of this type by its own shape (a 居民身份证 is checked by
    /// [`crate::identity::IdNumber`], not here) and returns it as it is kept: folded,
    /// upper-case, without blanks and brackets. The reason is Chinese, for the row's refusal.
    pub fn check_number(self, raw: &str) -> Result<String, String> {
        let number: String = crate::text::fold_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
        let digits = |s: &str| s.bytes().filter(u8::is_ascii_digit).count();
        let len = number.len();
        let (ok, shape) = match self {
            DocumentType::ResidentId => (false, "18位居民身份证号"),
            // 香港身份证 A123456(7), 回乡证 H12345678(01), 香港特区护照 K12345678.
            DocumentType::HongKong => (
                alnum(&number)
                    && (7..=11).contains(&len)
                    && number.starts_with(|c: char| c.is_ascii_uppercase())
                    && digits(&number) >= 6,
                "以字母开头、含至少6位数字的7–11位字母或数字（如 A1234567、H12345678）",
            ),
            // 澳门身份证 1234567(8), 回乡证 M12345678, 澳门特区护照 MA1234567.
            DocumentType::Macau => (
                alnum(&number) && (8..=11).contains(&len) && digits(&number) >= 6,
                "含至少6位数字的8–11位字母或数字（如 12345678、M12345678）",
            ),
            // 台胞证 8 digits (since 2015) or 10 characters (the older booklet).
            DocumentType::Taiwan => (
                alnum(&number) && (8..=10).contains(&len) && digits(&number) >= 7,
                "8–10位字母或数字（如 12345678）",
            ),
            // 外国人永久居留身份证: 15 characters (2004) or 18 (2017).
            DocumentType::ForeignPermanent => (
                alnum(&number) && (len == 15 || len == 18),
                "15位或18位字母或数字",
            ),
            DocumentType::Passport => (
                alnum(&number) && (5..=17).contains(&len) && digits(&number) >= 1,
                "5–17位字母或数字",
            ),
            DocumentType::Other => (
                number
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && (1..=30).contains(&len),
                "1–30位字母、数字或“-”",
            ),
        };
        if ok {
            Ok(number)
        } else {
            Err(format!(
                "{}号码“{}”格式不对，应为{shape}",
                self.label(),
                crate::text::fold_width(raw)
            ))
        }
    }
}

impl std::fmt::Display for DocumentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The registry's identity of a student, one text (the `id_number` column, unique per
/// county): the 18-digit number of a 居民身份证 as it always was; for any other document
/// its type code, `:` and the number (`A:E12345678`); for a `Z-其他` without a number,
/// `Z#` and the 学籍辅号. Every module that matches people by ID number compares this
/// text, so a passport number never meets a mainland ID number by accident.
pub fn document_key(kind: DocumentType, number: &str) -> String {
    match kind {
        DocumentType::ResidentId => number.to_string(),
        _ => format!("{}:{number}", kind.code()),
    }
}

/// The key of a `Z-其他` student without a document number: the 学籍辅号.
pub fn auxiliary_key(aux_no: &str) -> String {
    format!("Z#{aux_no}")
}

/// A key read back: the document type and its number (`None` for a student known by 学籍辅号).
pub fn parse_key(key: &str) -> (DocumentType, Option<&str>) {
    let bytes = key.as_bytes();
    if bytes.len() >= 2 && (bytes[1] == b':' || bytes[1] == b'#') {
        if let Some(kind) = DocumentType::of_code(&key[..1]) {
            return match bytes[1] {
                b':' => (kind, Some(&key[2..])),
                _ => (kind, None),
            };
        }
    }
    (DocumentType::ResidentId, Some(key))
}

/// The 身份证件号 cell of a student key, the type having its own column: the number
/// without the key's type prefix, masked unless `unmasked`; empty for a `Z-其他` student
/// known by 学籍辅号.
pub fn shown_number(key: &str, unmasked: bool) -> String {
    let shown = if unmasked {
        key.to_string()
    } else {
        crate::identity::mask_id(key)
    };
    match parse_key(key) {
        (DocumentType::ResidentId, _) => shown,
        (_, Some(_)) => shown.get(2..).unwrap_or_default().to_string(),
        (_, None) => String::new(),
    }
}

/// The cells a sheet writes for a student key, so that importing it back finds the same
/// student: 身份证件号 ([`shown_number`]), 身份证件类型 (empty for a 居民身份证, the
/// template's default) and 学籍辅号 (for a `Z-其他` student known by it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentCells {
    pub number: String,
    pub kind: String,
    pub aux_no: String,
}

pub fn document_cells(key: &str, unmasked: bool) -> DocumentCells {
    let (kind, number) = parse_key(key);
    DocumentCells {
        number: shown_number(key, unmasked),
        kind: match kind {
            DocumentType::ResidentId => String::new(),
            kind => kind.label().to_string(),
        },
        aux_no: match number {
            None => key.get(2..).unwrap_or_default().to_string(),
            Some(_) => String::new(),
        },
    }
}

/// The student keys a typed document number may stand for, one per document type other
/// than the 居民身份证 (and the 学籍辅号 of a `Z-其他` without a number): what a search by
/// number compares with. Empty when the text cannot be such a number.
pub fn keys_for_number(text: &str) -> Vec<String> {
    let number: String = crate::text::fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let shaped = (5..=30).contains(&number.len())
        && number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && number.bytes().any(|b| b.is_ascii_digit());
    if !shaped {
        return Vec::new();
    }
    let mut keys: Vec<String> = DocumentType::ALL[1..]
        .iter()
        .map(|kind| document_key(*kind, &number))
        .collect();
    keys.push(auxiliary_key(&number));
    keys
}

/// 留守儿童 (the national code table: 0 非留守儿童, 1 单亲留守儿童, 2 双亲留守儿童).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeftBehind {
    No,
    OneParent,
    BothParents,
}

crate::labels_in_json!(LeftBehind);

impl LeftBehind {
    pub const ALL: &'static [LeftBehind] = &[
        LeftBehind::No,
        LeftBehind::OneParent,
        LeftBehind::BothParents,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LeftBehind::No => "非留守儿童",
            LeftBehind::OneParent => "单亲留守儿童",
            LeftBehind::BothParents => "双亲留守儿童",
        }
    }

    /// Reads a label or 否; a bare 是 is refused, since the national sheet says whether one
    /// parent or both are away.
    pub fn parse(raw: &str) -> Option<LeftBehind> {
        match crate::text::fold_width(raw).as_str() {
            "非留守儿童" | "非留守" | "否" => Some(LeftBehind::No),
            "单亲留守儿童" | "单亲留守" => Some(LeftBehind::OneParent),
            "双亲留守儿童" | "双亲留守" => Some(LeftBehind::BothParents),
            _ => None,
        }
    }

    pub fn choices() -> String {
        "0-非留守儿童 / 1-单亲留守儿童 / 2-双亲留守儿童".into()
    }

    /// Whether the child is left behind at all (by one parent or both).
    pub fn is_left_behind(self) -> bool {
        self != LeftBehind::No
    }
}

impl std::fmt::Display for LeftBehind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Reads 就读方式: 走读 (false) or 住校 (true), the same fact as 寄宿生.
pub fn parse_attendance(raw: &str) -> Option<bool> {
    match crate::text::fold_width(raw).as_str() {
        "走读" | "走读生" => Some(false),
        "住校" | "住校生" | "寄宿" => Some(true),
        _ => None,
    }
}

/// 就读方式 as the national sheet writes it.
pub fn attendance_label(boarding: bool) -> &'static str {
    if boarding {
        "住校"
    } else {
        "走读"
    }
}

/// What the national 学籍 export holds about a student beyond our own template: kept with
/// the student, exported with it, and read by dropout control (留守, 随迁) and aid (孤儿).
/// The document type is not here: it is part of the student's key ([`document_key`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NationalFacts {
    /// 留守儿童; `None` when the sheet did not say.
    pub left_behind: Option<LeftBehind>,
    /// 随迁子女 (进城务工人员随迁子女).
    pub migrant: Option<bool>,
    /// 孤儿.
    pub orphan: Option<bool>,
    /// 户口性质, as it came (`1-农业户口`).
    pub household_type: Option<String>,
    /// 港澳台侨外, as it came.
    pub overseas: Option<String>,
    /// 国籍/地区, as it came (`156-中国`).
    pub nationality: Option<String>,
    /// 学籍辅号: the national registry's second number; identifies a `Z-其他` student
    /// without a document number.
    pub aux_no: Option<String>,
}

impl NationalFacts {
    /// Whether dropout control lists the student among its risk groups (留守 or 随迁).
    pub fn risk_groups(&self) -> Vec<&'static str> {
        let mut groups = Vec::new();
        if self.left_behind.is_some_and(LeftBehind::is_left_behind) {
            groups.push("留守儿童");
        }
        if self.migrant == Some(true) {
            groups.push("随迁子女");
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Sex;
    use proptest::prelude::*;

    #[test]
    fn coded_values_read_as_their_labels() {
        assert_eq!(read_coded("性别", "1-男", Sex::parse), Ok(Sex::Male));
        assert_eq!(read_coded("性别", "女", Sex::parse), Ok(Sex::Female));
        assert_eq!(read_coded("性别", "２-女", Sex::parse), Ok(Sex::Female));
        assert_eq!(
            read_coded("民族", "15-土家族", crate::ethnicity::parse),
            Ok("土家族")
        );
        assert_eq!(read_coded("就读方式", "2-住校", parse_attendance), Ok(true));
        assert_eq!(
            read_coded("孤儿", "0-否", crate::registry::parse_yes_no),
            Ok(false)
        );
        assert_eq!(
            read_coded("年级", "13-三年级", Grade::parse),
            Ok(Grade::G3),
            "a code table we do not know is not checked"
        );
    }

    #[test]
    fn a_code_that_stands_for_another_label_is_refused() {
        assert_eq!(
            read_coded("性别", "2-男", Sex::parse),
            Err(CodedRefusal::Disagrees {
                code: "2".into(),
                label: "男".into(),
                expected: "女"
            })
        );
        let refused =
            read_coded("民族", "06-土家族", crate::ethnicity::parse).expect_err("06 is 苗族");
        assert!(refused.to_string().contains("苗族"), "{refused}");
        assert_eq!(
            read_coded("性别", "1-男性", Sex::parse),
            Err(CodedRefusal::Unknown)
        );
        assert_eq!(
            read_coded("性别", "男-", Sex::parse),
            Err(CodedRefusal::Unknown)
        );
    }

    #[test]
    fn labels_are_written_with_their_codes() {
        assert_eq!(coded("性别", "男"), "1-男");
        assert_eq!(coded("民族", "土家族"), "15-土家族");
        assert_eq!(coded("民族", "汉族"), "01-汉族");
        assert_eq!(coded("民族", "穿青人"), "穿青人");
        assert_eq!(coded("就读方式", "住校"), "2-住校");
        assert_eq!(coded("留守儿童", "双亲留守儿童"), "2-双亲留守儿童");
        assert_eq!(coded("身份证件类型", "护照"), "A-护照");
        assert_eq!(coded("户口性质", "农业户口"), "农业户口");
    }

    #[test]
    fn class_names_carry_their_grade() {
        assert_eq!(parse_class_name("三年级(2)班"), Some((Some(Grade::G3), 2)));
        assert_eq!(parse_class_name("小三(02)班"), Some((Some(Grade::G3), 2)));
        assert_eq!(parse_class_name("初一(3)班"), Some((Some(Grade::G7), 3)));
        assert_eq!(
            parse_class_name("七年级（3）班"),
            Some((Some(Grade::G7), 3))
        );
        assert_eq!(parse_class_name("高二1班"), Some((Some(Grade::S2), 1)));
        assert_eq!(
            parse_class_name("大班(2)班"),
            Some((Some(Grade::Senior), 2))
        );
        for bare in ["3", "3班", "(3)班", "（3）班", "03"] {
            assert_eq!(parse_class_name(bare), Some((None, 3)), "{bare}");
        }
        for bad in [
            "三班",
            "小七(1)班",
            "十年级(1)班",
            "三年级(0)班",
            "三年级()班",
            "",
        ] {
            assert_eq!(parse_class_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_document_is_checked_by_its_own_shape() {
        assert_eq!(
            DocumentType::Passport.check_number(" e1234 5678 "),
            Ok("E12345678".into())
        );
        assert_eq!(
            DocumentType::HongKong.check_number("A123456(7)"),
            Ok("A1234567".into())
        );
        assert!(DocumentType::HongKong.check_number("12345678").is_err());
        assert!(DocumentType::Macau.check_number("1234567(8)").is_ok());
        assert!(DocumentType::Taiwan.check_number("01234567").is_ok());
        assert!(DocumentType::Taiwan.check_number("0123").is_err());
        assert!(DocumentType::ForeignPermanent
            .check_number("USA123456789012")
            .is_ok());
        assert!(DocumentType::Passport
            .check_number("E1234567890123456789")
            .is_err());
        let refused = DocumentType::Passport
            .check_number("护照号")
            .expect_err("not letters");
        assert!(
            refused.contains("护照") && refused.contains("5–17位"),
            "{refused}"
        );
        assert_eq!(DocumentType::parse("A"), Some(DocumentType::Passport));
        assert_eq!(DocumentType::parse("台胞证"), Some(DocumentType::Taiwan));
        assert_eq!(
            read_coded("身份证件类型", "6-护照", DocumentType::parse).map_err(|e| e.to_string()),
            Err("代码“6”表示“香港特区护照/身份证明”，与名称“护照”不一致".into())
        );
    }

    #[test]
    fn keys_keep_the_document_type() {
        assert_eq!(
            document_key(DocumentType::Passport, "E12345678"),
            "A:E12345678"
        );
        assert_eq!(
            parse_key("A:E12345678"),
            (DocumentType::Passport, Some("E12345678"))
        );
        assert_eq!(parse_key("Z#G2021001"), (DocumentType::Other, None));
        assert_eq!(
            parse_key("11010519491231002X"),
            (DocumentType::ResidentId, Some("11010519491231002X"))
        );
        assert_eq!(auxiliary_key("G2021001"), "Z#G2021001");
        assert_eq!(
            keys_for_number("e1234 5678"),
            vec![
                "6:E12345678",
                "7:E12345678",
                "8:E12345678",
                "9:E12345678",
                "A:E12345678",
                "Z:E12345678",
                "Z#E12345678"
            ]
        );
        assert!(keys_for_number("张三").is_empty());
        assert!(keys_for_number("ABCDEF").is_empty());
        assert_eq!(shown_number("A:E12345678", false), "E1*****78");
        assert_eq!(shown_number("A:E12345678", true), "E12345678");
        assert_eq!(shown_number("Z#G2021001", true), "");
        assert_eq!(
            shown_number("11010519491231002X", false),
            "110105**********2X"
        );
    }

    #[test]
    fn risk_groups_are_the_left_behind_and_the_migrant() {
        let facts = NationalFacts {
            left_behind: Some(LeftBehind::OneParent),
            migrant: Some(true),
            ..NationalFacts::default()
        };
        assert_eq!(facts.risk_groups(), vec!["留守儿童", "随迁子女"]);
        let not = NationalFacts {
            left_behind: Some(LeftBehind::No),
            migrant: Some(false),
            ..NationalFacts::default()
        };
        assert!(not.risk_groups().is_empty());
    }

    proptest! {
        #[test]
        fn every_class_name_written_reads_back(grade in prop::sample::select(Grade::ALL.to_vec()), n in 1u32..100) {
            prop_assert_eq!(parse_class_name(&format!("{}({n})班", grade.label())), Some((Some(grade), n)));
        }

        #[test]
        fn coded_reading_never_panics(raw in "\\PC{0,12}") {
            let _ = read_coded("民族", &raw, crate::ethnicity::parse);
            let _ = parse_class_name(&raw);
            let _ = parse_key(&raw);
        }
    }
}
