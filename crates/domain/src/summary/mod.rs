//! 年度工作总结: the bureau's annual work summary as a document model. A template is text
//! an office writes: headings numbered the official way (一、 / （一） / 1.), each owned by
//! an office (股室), and paragraphs whose figures are placeholders bound to indicator codes
//! (`全年共资助学生{aid.person_times}人次、资助资金共计{aid.amount|万元}万元`). Rendering fills
//! each placeholder from the year's figures in the unit the bureau writes; a figure whose
//! module has no records of the year is written `【未录入：名称】`, never invented.
//!
//! Glossary (code name → 中文):
//! summary → 年度工作总结, template → 模板, section → 节 (a heading with its paragraphs),
//! office → 股室 (the bureau department drafting a section), figure → 数字 (a placeholder),
//! format → 单位格式, unrecorded → 未录入 (the module holds no records of the year),
//! no data → 无数据 (a rate over an empty set), frozen → 发布时固定的数字,
//! issuer → 发文单位, 口径 → an indicator's definition.

mod charts;
mod default;
mod render;
mod svg;
#[cfg(test)]
mod tests;

pub use charts::{charts, series_colour, value_text, Chart, ChartSeries};
pub use default::DEFAULT_TEMPLATE;
pub use render::{
    drill_down, editor_html, render, to_html_body, to_html_compared, to_html_document, to_markdown,
    FigureSet, FigureState, Frozen, Rendered, RenderedBlock, RenderedFigure, RenderedPiece,
};
pub use svg::chart_svg;

use crate::indicators::{self, Unit};
use std::fmt;

/// The longest template accepted, in characters (the seed is about 6,000).
pub const MAX_TEMPLATE_CHARS: usize = 100_000;
/// The longest line (one paragraph) accepted, in characters.
pub const MAX_LINE_CHARS: usize = 5_000;
/// The most headings and paragraphs a template may hold.
pub const MAX_BLOCKS: usize = 400;
/// The most figures a template may hold.
pub const MAX_FIGURES: usize = 1_000;

/// 股室: the offices that draft sections (an account's office, see [`crate::access::OFFICES`]).
pub use crate::access::OFFICES;

/// The office owning text before any heading names one.
pub const DEFAULT_OFFICE: &str = "办公室";

/// Units a count is written in (longest first: 人次 before 人).
const COUNT_UNITS: &[&str] = &[
    "人次", "人", "个", "所", "名", "间", "套", "家", "项", "次", "件", "起", "户",
];

/// 单位格式: how a figure is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An integer count followed by its unit word (人, 人次, 个, 所 …; empty: a bare number).
    Count(&'static str),
    /// 元, two decimals.
    Yuan,
    /// 万元, two decimals (4982.49万元).
    Wan,
    /// 亿元, four decimals (3.7344亿元).
    Yi,
    /// A rate as a percentage (100%, 85.5%).
    Percent,
}

impl Format {
    /// The names a template may write after `|`.
    pub fn choices() -> String {
        let mut all: Vec<&str> = COUNT_UNITS.to_vec();
        all.extend(["元", "万元", "亿元", "%"]);
        all.join("、")
    }

    pub fn parse(raw: &str) -> Option<Format> {
        match raw {
            "元" => Some(Format::Yuan),
            "万元" => Some(Format::Wan),
            "亿元" => Some(Format::Yi),
            "%" | "％" => Some(Format::Percent),
            _ => COUNT_UNITS
                .iter()
                .find(|u| **u == raw)
                .map(|u| Format::Count(u)),
        }
    }

    /// The unit written after the number.
    pub fn unit(self) -> &'static str {
        match self {
            Format::Count(unit) => unit,
            Format::Yuan => "元",
            Format::Wan => "万元",
            Format::Yi => "亿元",
            Format::Percent => "%",
        }
    }

    /// The indicator unit this format writes.
    fn fits(self, unit: Unit) -> bool {
        matches!(
            (self, unit),
            (Format::Count(_), Unit::Count)
                | (Format::Yuan | Format::Wan | Format::Yi, Unit::Yuan)
                | (Format::Percent, Unit::Rate)
        )
    }
}

/// A placeholder: the indicator it shows and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// An indicator code of the catalog, or `form.CODE.FIELD`.
    pub code: String,
    pub format: Format,
    /// Whether the template writes the unit right after the placeholder (`{x}人次`): the
    /// unit then goes with the figure, so an unrecorded figure does not leave it dangling.
    pub unit_written: bool,
}

/// Text or a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Figure(Figure),
    /// `{year}`: the summary's year.
    Year,
}

/// One paragraph: pieces in order.
pub type Paragraph = Vec<Piece>;

/// 节: a heading (none for the preface) with the paragraphs under it, owned by one office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 0 preface (no heading), 1 一、, 2 （一）, 3 1.
    pub level: u8,
    pub heading: Paragraph,
    pub office: String,
    pub paragraphs: Vec<Paragraph>,
}

/// A parsed template: its sections in order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Template {
    pub sections: Vec<Section>,
}

impl Template {
    /// Every figure code the template uses, in order of first use.
    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        for section in &self.sections {
            for piece in section
                .paragraphs
                .iter()
                .flatten()
                .chain(section.heading.iter())
            {
                if let Piece::Figure(f) = piece {
                    if !codes.contains(&f.code) {
                        codes.push(f.code.clone());
                    }
                }
            }
        }
        codes
    }
}

/// A problem in a template, at its line and column (both from 1, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column == 0 {
            write!(f, "第{}行：{}", self.line, self.message)
        } else {
            write!(f, "第{}行第{}列：{}", self.line, self.column, self.message)
        }
    }
}

/// Reads a template. Every problem is reported with its line and column; a template
/// with any problem is refused whole.
///
/// The text, line by line: `# 标题` (一、), `## 标题` (（一）), `### 标题` (1.); a heading
/// may end with `@股室`; every other non-empty line is a paragraph of the heading above it
/// (before any heading: the preface, owned by 办公室). `{code}` or `{code|格式}` is a
/// figure, `{year}` the year, `{{` and `}}` literal braces.
pub fn parse(text: &str) -> Result<Template, Vec<TemplateError>> {
    let mut errors = Vec::new();
    let chars = text.chars().count();
    if chars > MAX_TEMPLATE_CHARS {
        return Err(vec![TemplateError {
            line: 1,
            column: 0,
            message: format!("模板共{chars}字，超过上限{MAX_TEMPLATE_CHARS}字"),
        }]);
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut blocks = 0usize;
    let mut figures = 0usize;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if line.chars().count() > MAX_LINE_CHARS {
            errors.push(TemplateError {
                line: line_no,
                column: 0,
                message: format!("一段不能超过{MAX_LINE_CHARS}字"),
            });
            continue;
        }
        blocks += 1;
        if blocks == MAX_BLOCKS + 1 {
            errors.push(TemplateError {
                line: line_no,
                column: 0,
                message: format!("标题和段落合计不能超过{MAX_BLOCKS}个"),
            });
        }
        let marks = line.chars().take_while(|c| *c == '#').count();
        if marks > 0 {
            if marks > 3 {
                errors.push(TemplateError {
                    line: line_no,
                    column: 1,
                    message: "标题最多三级（#、##、###）".to_string(),
                });
                continue;
            }
            let rest = &line[marks..];
            let (heading_text, office) = match rest.rfind('@') {
                Some(at) => (&rest[..at], Some(rest[at + 1..].trim())),
                None => (rest, None),
            };
            let office = match office {
                Some(name) if OFFICES.contains(&name) => name.to_string(),
                Some(name) => {
                    let column = line[..marks + rest.rfind('@').unwrap_or(0)].chars().count() + 2;
                    errors.push(TemplateError {
                        line: line_no,
                        column,
                        message: format!("未知股室“{name}”（可选：{}）", OFFICES.join("、")),
                    });
                    continue;
                }
                // A heading without `@` keeps the office of the heading above it.
                None => sections
                    .iter()
                    .rev()
                    .find(|s| s.level > 0)
                    .map(|s| s.office.clone())
                    .unwrap_or_else(|| DEFAULT_OFFICE.to_string()),
            };
            let trimmed = heading_text.trim();
            if trimmed.is_empty() {
                errors.push(TemplateError {
                    line: line_no,
                    column: marks + 1,
                    message: "标题不能为空".to_string(),
                });
                continue;
            }
            let offset = line[..marks].chars().count()
                + heading_text
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .count();
            match pieces(trimmed, line_no, offset, &mut figures) {
                Ok(heading) => sections.push(Section {
                    level: marks as u8,
                    heading,
                    office,
                    paragraphs: Vec::new(),
                }),
                Err(mut e) => errors.append(&mut e),
            }
            continue;
        }
        let offset = line.chars().take_while(|c| c.is_whitespace()).count();
        match pieces(line.trim(), line_no, offset, &mut figures) {
            Ok(paragraph) => {
                if sections.is_empty() {
                    sections.push(Section {
                        level: 0,
                        heading: Vec::new(),
                        office: DEFAULT_OFFICE.to_string(),
                        paragraphs: Vec::new(),
                    });
                }
                if let Some(last) = sections.last_mut() {
                    last.paragraphs.push(paragraph);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if figures > MAX_FIGURES {
        errors.push(TemplateError {
            line: 1,
            column: 0,
            message: format!("数字占位符共{figures}个，超过上限{MAX_FIGURES}个"),
        });
    }
    if errors.is_empty() {
        Ok(Template { sections })
    } else {
        Err(errors)
    }
}

/// One line's text and figures. `offset` is the column (0-based, in characters) where
/// `text` starts on its line.
fn pieces(
    text: &str,
    line: usize,
    offset: usize,
    figures: &mut usize,
) -> Result<Paragraph, Vec<TemplateError>> {
    lex(text, line, offset, figures).map(|spans| spans.into_iter().map(|(p, _)| p).collect())
}

/// A piece and the characters of the line it was read from (start, end).
type Spanned = (Piece, (usize, usize));

/// [`pieces`] with where each piece stands in `text`, in characters: a text's span covers
/// its raw spelling (`{{` included), a figure's its placeholder and the unit written after it.
fn lex(
    text: &str,
    line: usize,
    offset: usize,
    figures: &mut usize,
) -> Result<Vec<Spanned>, Vec<TemplateError>> {
    let mut errors = Vec::new();
    let mut out: Vec<Spanned> = Vec::new();
    let mut literal = String::new();
    let mut literal_start = 0usize;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = offset + i + 1;
        if literal.is_empty() {
            literal_start = i;
        }
        if c == '{' && chars.get(i + 1) == Some(&'{') {
            literal.push('{');
            i += 2;
            continue;
        }
        if c == '}' && chars.get(i + 1) == Some(&'}') {
            literal.push('}');
            i += 2;
            continue;
        }
        if c == '}' {
            errors.push(TemplateError {
                line,
                column,
                message: "多余的“}”（文字中的括号请写作“}}”）".to_string(),
            });
            i += 1;
            continue;
        }
        if c != '{' {
            literal.push(c);
            i += 1;
            continue;
        }
        let Some(close) = chars[i + 1..].iter().position(|c| *c == '}') else {
            errors.push(TemplateError {
                line,
                column,
                message: "“{”没有对应的“}”".to_string(),
            });
            break;
        };
        let inner: String = chars[i + 1..i + 1 + close].iter().collect();
        let start = i;
        i += close + 2;
        let (code, format) = match inner.split_once('|') {
            Some((code, format)) => (code.trim(), Some(format.trim())),
            None => (inner.trim(), None),
        };
        if code == "year" && format.is_none() {
            flush(&mut literal, literal_start, start, &mut out);
            out.push((Piece::Year, (start, i)));
            continue;
        }
        let unit = match unit_of(code) {
            Some(unit) => unit,
            None if code.is_empty() => {
                errors.push(TemplateError {
                    line,
                    column,
                    message: "占位符“{}”缺少指标代码".to_string(),
                });
                continue;
            }
            None => {
                errors.push(TemplateError {
                    line,
                    column,
                    message: format!("未知指标代码“{code}”（见指标目录）"),
                });
                continue;
            }
        };
        let rest: String = chars[i..].iter().collect();
        let explicit = match format {
            Some(raw) => match Format::parse(raw) {
                Some(f) if unit.is_none_or(|u| f.fits(u)) => Some(f),
                Some(f) => {
                    errors.push(TemplateError {
                        line,
                        column,
                        message: format!(
                            "格式“{}”不适用于指标“{code}”（{}）",
                            f.unit(),
                            unit_label(unit)
                        ),
                    });
                    continue;
                }
                None => {
                    errors.push(TemplateError {
                        line,
                        column,
                        message: format!("未知格式“{raw}”（可用：{}）", Format::choices()),
                    });
                    continue;
                }
            },
            None => None,
        };
        let format = explicit.unwrap_or_else(|| default_format(unit, &rest));
        let unit_text = format.unit();
        let unit_written = !unit_text.is_empty() && rest.starts_with(unit_text);
        if unit_written {
            i += unit_text.chars().count();
        }
        flush(&mut literal, literal_start, start, &mut out);
        *figures += 1;
        out.push((
            Piece::Figure(Figure {
                code: code.to_string(),
                format,
                unit_written,
            }),
            (start, i),
        ));
    }
    flush(&mut literal, literal_start, chars.len(), &mut out);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn flush(literal: &mut String, start: usize, end: usize, out: &mut Vec<Spanned>) {
    if !literal.is_empty() {
        out.push((Piece::Text(std::mem::take(literal)), (start, end)));
    }
}

/// A line as the figure editor shows it: raw text (as written, `{{` included, so that it
/// posts back unchanged) and figures, each with the exact placeholder text it stands for
/// (`{aid.amount|万元}万元`), which the editor posts back in its place.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorPiece {
    Text(String),
    /// The placeholder's source and what it reads (a figure or `{year}`).
    Figure {
        source: String,
        piece: Piece,
    },
}

/// Cuts one line of a section's text into editor pieces; `None` when the line does not
/// read (the editor then shows it as text, and saving reports the problem).
pub fn editor_line(line: &str) -> Option<Vec<EditorPiece>> {
    let chars: Vec<char> = line.chars().collect();
    let spans = lex(line, 1, 0, &mut 0).ok()?;
    let raw = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
    Some(
        spans
            .into_iter()
            .map(|(piece, span)| match piece {
                Piece::Text(_) => EditorPiece::Text(raw(span)),
                piece => EditorPiece::Figure {
                    source: raw(span),
                    piece,
                },
            })
            .collect(),
    )
}

/// The unit of a code: `Some(None)` for a form field (a count or a decimal, known only
/// from its definition), `None` for an unknown code.
fn unit_of(code: &str) -> Option<Option<Unit>> {
    if let Some(indicator) = indicators::find(code) {
        return Some(Some(indicator.unit));
    }
    let mut parts = code.split('.');
    let well_formed = parts.next() == Some("form")
        && parts.clone().count() == 2
        && parts.all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
    well_formed.then_some(None)
}

fn unit_label(unit: Option<Unit>) -> &'static str {
    match unit {
        Some(Unit::Count) => "计数指标，可用人、人次、个、所等",
        Some(Unit::Yuan) => "金额指标，可用元、万元、亿元",
        Some(Unit::Rate) => "比率指标，只能用%",
        None => "报表填报数字",
    }
}

/// The format of a placeholder without `|`: from the indicator's unit and the unit word
/// the template writes after it.
fn default_format(unit: Option<Unit>, rest: &str) -> Format {
    match unit {
        Some(Unit::Rate) => Format::Percent,
        Some(Unit::Yuan) => [Format::Yi, Format::Wan, Format::Yuan]
            .into_iter()
            .find(|f| rest.starts_with(f.unit()))
            .unwrap_or(Format::Wan),
        Some(Unit::Count) | None => COUNT_UNITS
            .iter()
            .find(|u| rest.starts_with(**u))
            .map(|u| Format::Count(u))
            .unwrap_or(Format::Count("")),
    }
}

/// Numbering the official way: 一、 (level 1), （一） (level 2), 1. (level 3).
pub fn number(level: u8, n: usize) -> String {
    match level {
        1 => format!("{}、", chinese_numeral(n)),
        2 => format!("（{}）", chinese_numeral(n)),
        3 => format!("{n}."),
        _ => String::new(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (numbering stays under 100).
pub fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// 来源模块: the module whose records an indicator counts, named as the bureau names it
/// (the `【未录入：…】` mark and the 口径 appendix use it).
pub fn module_of(code: &str) -> &'static str {
    let prefixes: &[(&str, &str)] = &[
        ("students.", "学籍"),
        ("preschool.", "学籍"),
        ("classes.", "学籍"),
        ("dropout.home_teaching", "送教上门"),
        ("dropout.", "控辍保学"),
        ("aid.", "学生资助"),
        ("staff.recruited", "教职工"),
        ("staff.total", "教职工"),
        ("staff.teachers", "教职工"),
        ("staff.funded_normal", "公费定向师范生"),
        ("staff.studios", "工作室"),
        ("staff.training", "教师培训"),
        ("staff.award", "教师表彰"),
        ("safety.hazards", "安全隐患"),
        ("safety.incidents", "安全事故"),
        ("drowning.deaths", "安全事故"),
        ("drowning.", "防溺水"),
        ("double_reduction.", "校外培训机构"),
        ("after_school.", "课后服务"),
        ("projects.", "建设项目"),
        ("degrees.", "建设项目"),
        ("staff_housing.", "建设项目"),
        ("schools.titled", "荣誉与竞赛"),
        ("vocational.", "职业教育"),
        ("party.", "党员发展"),
        ("form.", "报表填报"),
    ];
    prefixes
        .iter()
        .find(|(prefix, _)| code.starts_with(prefix))
        .map(|(_, module)| *module)
        .unwrap_or("其他")
}

/// Every module name `module_of` answers, in a stable order.
pub fn modules() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for i in indicators::CATALOG {
        let m = module_of(i.code);
        if !all.contains(&m) {
            all.push(m);
        }
    }
    all.push(module_of("form."));
    all
}

/// One section's own text, as its office edits it: the heading line (none for the
/// preface) and the paragraphs under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionSource {
    pub level: u8,
    pub office: String,
    pub text: String,
}

/// Cuts a template into its sections' texts (each validated with the whole), so that each
/// office drafts its own; [`join`] puts them back.
pub fn split(text: &str) -> Result<Vec<SectionSource>, Vec<TemplateError>> {
    let template = parse(text)?;
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut preface: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            chunks.push(vec![line]);
        } else if let Some(current) = chunks.last_mut() {
            current.push(line);
        } else {
            preface.push(line);
        }
    }
    if preface.iter().any(|l| !l.trim().is_empty()) {
        chunks.insert(0, preface);
    }
    // parse() made one section per heading and one for a non-empty preface, in order.
    Ok(template
        .sections
        .iter()
        .zip(chunks)
        .map(|(section, lines)| {
            let mut office = section.office.clone();
            let mut lines: Vec<String> = lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim_end().to_string())
                .collect();
            // Each section names its office itself, so it reads the same on its own.
            if section.level > 0 && !lines[0].contains('@') {
                lines[0] = format!("{} @{office}", lines[0]);
            } else if section.level == 0 {
                office = DEFAULT_OFFICE.to_string();
            }
            SectionSource {
                level: section.level,
                office,
                text: lines.join("\n"),
            }
        })
        .collect())
}

/// Checks an office's new text for its section: one heading of the same level (none for
/// the preface) owned by the same office, with its paragraphs. Returns the text as stored.
pub fn check_section(text: &str, level: u8, office: &str) -> Result<String, Vec<TemplateError>> {
    let refuse = |message: String| {
        Err(vec![TemplateError {
            line: 1,
            column: 0,
            message,
        }])
    };
    let text = text.replace("\r\n", "\n");
    let template = parse(&text)?;
    match template.sections.as_slice() {
        [] => refuse("内容不能为空".to_string()),
        [only] if only.level != level => refuse(if level == 0 {
            "前言不能有标题（以#开头的行）".to_string()
        } else {
            format!(
                "第一行须是{}级标题（{}）",
                level,
                "#".repeat(usize::from(level))
            )
        }),
        [only] if level > 0 && only.office != office => {
            refuse(format!("本节由{office}起草，不能改为“{}”", only.office))
        }
        [_] => Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")),
        _ => refuse("一节只能有一个标题：新的标题请另起一节".to_string()),
    }
}

/// The whole template from its sections' texts, in order.
pub fn join<'a>(sections: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for text in sections {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text);
    }
    out.push('\n');
    out
}
