//! Filling a template with the year's figures, and writing the result as html or markdown
//! (the docx writer lives with the other file writers, in emis-io).

use super::charts::{charts, Chart};
use super::{editor_line, module_of, number, EditorPiece, Figure, Format, Piece, Template};
use crate::indicators::{self, IndicatorSet, Value};
use crate::text::escape_markup as escape;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The figures one summary is written from: the year's values and the modules with no
/// records of that year (their figures are 未录入, whatever value was computed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureSet {
    pub year: i32,
    pub values: BTreeMap<String, Value>,
    /// Module names (see [`module_of`]) without a record of the year.
    pub unrecorded: BTreeSet<String>,
}

impl FigureSet {
    pub fn new<'a>(
        year: i32,
        set: &IndicatorSet,
        unrecorded: impl IntoIterator<Item = &'a str>,
    ) -> FigureSet {
        let values = set
            .values
            .iter()
            .map(|(c, v)| (c.to_string(), *v))
            .chain(set.forms.iter().map(|(c, v)| (c.clone(), *v)))
            .collect();
        FigureSet {
            year,
            values,
            unrecorded: unrecorded.into_iter().map(str::to_string).collect(),
        }
    }

    /// The value to write for a code, or why there is none.
    pub(super) fn resolve(&self, code: &str) -> Result<Value, FigureState> {
        if self.unrecorded.contains(module_of(code)) {
            return Err(FigureState::Unrecorded);
        }
        match self.values.get(code) {
            None => Err(FigureState::Unrecorded),
            Some(Value::Rate(r)) if !r.is_finite() => Err(FigureState::NoData),
            Some(v) => Ok(*v),
        }
    }

    /// The stored form of the figures, for a published version.
    pub fn freeze(&self) -> Frozen {
        Frozen {
            year: self.year,
            values: self
                .values
                .iter()
                .map(|(c, v)| (c.clone(), FrozenValue::from(*v)))
                .collect(),
            unrecorded: self.unrecorded.iter().cloned().collect(),
        }
    }
}

/// 发布时固定的数字: a figure set as JSON, read back exactly.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Frozen {
    pub year: i32,
    values: BTreeMap<String, FrozenValue>,
    unrecorded: Vec<String>,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum FrozenValue {
    Count(i64),
    Fen(i64),
    /// None: a rate over nothing.
    Rate(Option<f64>),
    Hundredths(i64),
}

impl From<Value> for FrozenValue {
    fn from(v: Value) -> Self {
        match v {
            Value::Count(n) => FrozenValue::Count(n),
            Value::Fen(n) => FrozenValue::Fen(n),
            Value::Rate(r) => FrozenValue::Rate(r.is_finite().then_some(r)),
            Value::Hundredths(n) => FrozenValue::Hundredths(n),
        }
    }
}

impl From<FrozenValue> for Value {
    fn from(v: FrozenValue) -> Self {
        match v {
            FrozenValue::Count(n) => Value::Count(n),
            FrozenValue::Fen(n) => Value::Fen(n),
            FrozenValue::Rate(r) => Value::Rate(r.unwrap_or(f64::NAN)),
            FrozenValue::Hundredths(n) => Value::Hundredths(n),
        }
    }
}

impl Frozen {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Frozen, String> {
        serde_json::from_str(text).map_err(|e| format!("固定数字无法读取：{e}"))
    }

    pub fn thaw(&self) -> FigureSet {
        FigureSet {
            year: self.year,
            values: self
                .values
                .iter()
                .map(|(c, v)| (c.clone(), Value::from(*v)))
                .collect(),
            unrecorded: self.unrecorded.iter().cloned().collect(),
        }
    }
}

/// Why a figure is or is not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FigureState {
    /// Computed from records.
    Shown,
    /// 未录入: its module has no records of the year.
    Unrecorded,
    /// 无数据: a rate over an empty set.
    NoData,
}

/// A figure as written, with what a reader needs to trace it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedFigure {
    pub code: String,
    pub name: String,
    pub module: &'static str,
    pub definition: String,
    /// What the document says: `79067人次`, `【未录入：资助学生人次】`.
    pub text: String,
    pub state: FigureState,
    /// The value in the JSON report's spelling (`null` for none).
    pub json: String,
    /// The previous year's figure in the same format, where its records exist.
    pub previous: Option<String>,
    /// The list page of the records behind it.
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum RenderedPiece {
    Text(String),
    /// An index into [`Rendered::figures`].
    Figure(usize),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedBlock {
    /// 0 preface, 1–3 heading levels.
    pub level: u8,
    /// `一、`, `（二）`, `3.`; empty for the preface.
    pub number: String,
    pub office: String,
    pub heading: Vec<RenderedPiece>,
    pub paragraphs: Vec<Vec<RenderedPiece>>,
    /// Indices into [`Rendered::charts`] drawn after the block's paragraphs.
    pub charts: Vec<usize>,
}

/// A summary ready to write.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rendered {
    pub year: i32,
    pub title: String,
    pub issuer: String,
    /// `2022年1月10日`.
    pub date: String,
    pub blocks: Vec<RenderedBlock>,
    /// Every distinct figure, in order of first use (the 口径 appendix).
    pub figures: Vec<RenderedFigure>,
    /// The charts placed after the blocks that discuss their figures.
    pub charts: Vec<Chart>,
}

impl Rendered {
    /// The plain text of a run of pieces.
    pub fn text_of(&self, pieces: &[RenderedPiece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                RenderedPiece::Text(t) => t.as_str(),
                RenderedPiece::Figure(i) => self.figures[*i].text.as_str(),
            })
            .collect()
    }
}

/// Fills the template. `previous` is the year before, for the comparison beside each
/// figure; `issuer` the body issuing it (溆浦县教育局); `date` the date it carries.
pub fn render(
    template: &Template,
    figures: &FigureSet,
    previous: Option<&FigureSet>,
    issuer: &str,
    date: chrono::NaiveDate,
) -> Rendered {
    use chrono::Datelike;
    let year = figures.year;
    let mut out = Rendered {
        year,
        title: format!("{year}年教育工作总结"),
        issuer: issuer.to_string(),
        date: format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        blocks: Vec::new(),
        figures: Vec::new(),
        charts: Vec::new(),
    };
    let mut counters = [0usize; 4];
    for section in &template.sections {
        let level = section.level.min(3);
        let numbering = if level > 0 {
            let l = usize::from(level);
            counters[l] += 1;
            for deeper in counters.iter_mut().skip(l + 1) {
                *deeper = 0;
            }
            number(level, counters[l])
        } else {
            String::new()
        };
        let heading = fill(&section.heading, figures, previous, &mut out.figures);
        let paragraphs = section
            .paragraphs
            .iter()
            .map(|p| fill(p, figures, previous, &mut out.figures))
            .collect();
        out.blocks.push(RenderedBlock {
            level,
            number: numbering,
            office: section.office.clone(),
            heading,
            paragraphs,
            charts: Vec::new(),
        });
    }
    // Each chart after the first block whose text holds one of its figures; a chart no
    // section discusses is left out.
    for chart in charts(figures, previous) {
        let discusses = |block: &RenderedBlock| {
            std::iter::once(&block.heading)
                .chain(&block.paragraphs)
                .flatten()
                .any(|p| match p {
                    RenderedPiece::Figure(i) => chart.codes.contains(&out.figures[*i].code),
                    RenderedPiece::Text(_) => false,
                })
        };
        if let Some(at) = out.blocks.iter().position(discusses) {
            out.blocks[at].charts.push(out.charts.len());
            out.charts.push(chart);
        }
    }
    out
}

fn fill(
    pieces: &[Piece],
    figures: &FigureSet,
    previous: Option<&FigureSet>,
    seen: &mut Vec<RenderedFigure>,
) -> Vec<RenderedPiece> {
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push(RenderedPiece::Text(t.clone())),
            Piece::Year => out.push(RenderedPiece::Text(figures.year.to_string())),
            Piece::Figure(f) => {
                let rendered = figure(f, figures, previous);
                // The same figure twice in the same format is one entry of the appendix.
                let index = match seen.iter().position(|s| *s == rendered) {
                    Some(i) => i,
                    None => {
                        seen.push(rendered);
                        seen.len() - 1
                    }
                };
                out.push(RenderedPiece::Figure(index));
            }
        }
    }
    out
}

fn figure(f: &Figure, figures: &FigureSet, previous: Option<&FigureSet>) -> RenderedFigure {
    let indicator = indicators::find(&f.code);
    let name = indicator
        .map(|i| i.name.to_string())
        .unwrap_or_else(|| format!("报表填报 {}", f.code));
    let definition = indicator
        .map(|i| i.definition.to_string())
        .unwrap_or_else(|| "各填报单位本年度最近一次已提交的填报之和".to_string());
    let (text, state, json) = match figures.resolve(&f.code) {
        Ok(v) => (write_value(v, f.format), FigureState::Shown, v.to_json()),
        Err(FigureState::Unrecorded) => (
            format!("【未录入：{name}】"),
            FigureState::Unrecorded,
            "null".to_string(),
        ),
        Err(state) => (format!("【无数据：{name}】"), state, "null".to_string()),
    };
    let previous = previous.and_then(|p| p.resolve(&f.code).ok().map(|v| write_value(v, f.format)));
    RenderedFigure {
        link: drill_down(&f.code, figures.year),
        code: f.code.clone(),
        module: module_of(&f.code),
        name,
        definition,
        text,
        state,
        json,
        previous,
    }
}

/// A value in a format, with its unit: `79067人次`, `4982.49万元`, `3.7344亿元`, `100%`.
pub fn write_value(value: Value, format: Format) -> String {
    let number = match (value, format) {
        (Value::Count(n), Format::Count(_)) => n.to_string(),
        (Value::Fen(fen), Format::Yuan) => Value::Fen(fen).to_json(),
        // 0.01万元 is 100元 (10,000分); 0.0001亿元 is 10,000元 (1,000,000分).
        (Value::Fen(fen), Format::Wan) => decimal(round_div(fen, 10_000), 2),
        (Value::Fen(fen), Format::Yi) => decimal(round_div(fen, 1_000_000), 4),
        (Value::Rate(r), Format::Percent) => percent(r),
        (Value::Hundredths(n), _) => decimal(n, 2),
        // A form field summed as a count shown with a money format, or the like: the value
        // as the indicator table shows it, rather than a wrong conversion.
        (v, _) => return v.display(),
    };
    format!("{number}{}", format.unit())
}

/// `n / d` rounded half away from zero.
fn round_div(n: i64, d: i64) -> i64 {
    let q = n / d;
    let r = n % d;
    if r.abs() * 2 >= d {
        q + n.signum()
    } else {
        q
    }
}

/// An integer of `places` decimal places as text: (498249, 2) → 4982.49.
fn decimal(n: i64, places: u32) -> String {
    let scale = 10i64.pow(places);
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

/// A rate as a percentage with at most two decimals and no trailing zeros: 1 → 100,
/// 0.855 → 85.5.
fn percent(rate: f64) -> String {
    let text = format!("{:.2}", rate * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The list page of the records behind an indicator, where one exists.
pub fn drill_down(code: &str, year: i32) -> Option<String> {
    let term_of = |code: &str| {
        if code.ends_with(".spring") {
            "spring"
        } else {
            "autumn"
        }
    };
    let link = if code.starts_with("classes.large.") {
        format!("/classes?term={year}-{}&min=56", term_of(code))
    } else if code.starts_with("classes.oversize.") {
        format!("/classes?term={year}-{}&min=66", term_of(code))
    } else if code.starts_with("dropout.home_teaching.") {
        format!("/dropout/home-teaching?term={year}-{}", term_of(code))
    } else {
        let path = [
            ("students.", "/students"),
            ("preschool.", "/schools"),
            ("dropout.", "/dropout/ledger"),
            ("aid.missed", "/aid"),
            ("aid.", "/aid/batches"),
            ("staff.recruited", "/teachers/recruitment"),
            ("staff.funded_normal", "/teachers/trainees"),
            ("staff.studios", "/teachers/studios"),
            ("staff.training", "/teachers/trainings"),
            ("staff.award", "/teachers/awards"),
            ("staff.", "/staff"),
            ("safety.hazards", "/safety/hazards"),
            ("safety.incidents", "/incidents"),
            ("drowning.deaths", "/incidents"),
            ("drowning.waters", "/safety/waters"),
            ("drowning.patrol", "/safety/patrols"),
            ("drowning.letters", "/safety/letters"),
            ("double_reduction.", "/double-reduction/institutions"),
            ("after_school.", "/double-reduction/after-school"),
            ("projects.", "/projects"),
            ("degrees.", "/projects"),
            ("staff_housing.", "/projects"),
            ("schools.titled", "/honours"),
            ("vocational.", "/vocational"),
            ("party.", "/party"),
            ("form.", "/forms"),
        ]
        .iter()
        .find(|(prefix, _)| code.starts_with(prefix))?
        .1;
        path.to_string()
    };
    Some(link)
}

/// A section's text as the figure editor's lines (html for a `contenteditable` block): text
/// as written, each figure an atomic chip (`contenteditable="false"`) showing its value
/// today and its code, carrying the placeholder it stands for in `data-source`, so the
/// browser posts back the same `{code|unit}` text and the server's check stays the only one.
/// A line that does not read is shown as its text.
pub fn editor_html(source: &str, figures: &FigureSet) -> String {
    let mut out = String::new();
    for line in source.lines() {
        out.push_str("<div class=\"line\">");
        match editor_line(line) {
            Some(pieces) => {
                for piece in pieces {
                    match piece {
                        EditorPiece::Text(t) => out.push_str(&escape(&t)),
                        EditorPiece::Figure { source, piece } => {
                            let (value, code, title) = match &piece {
                                Piece::Figure(f) => {
                                    let r = figure(f, figures, None);
                                    let title = format!("{}（{}），不可手改", r.name, r.code);
                                    (r.text, r.code, title)
                                }
                                _ => (
                                    figures.year.to_string(),
                                    "year".to_string(),
                                    "年度（year），不可手改".to_string(),
                                ),
                            };
                            let _ = write!(
                                out,
                                "<span class=\"chip\" contenteditable=\"false\" data-source=\"{}\" title=\"{}\">{}<small>{}</small></span>",
                                escape(&source),
                                escape(&title),
                                escape(&value),
                                escape(&code)
                            );
                        }
                    }
                }
            }
            None => out.push_str(&escape(line)),
        }
        if line.is_empty() {
            out.push_str("<br>");
        }
        out.push_str("</div>");
    }
    out
}

/// How figures are shown in html.
#[derive(Clone, Copy)]
struct Shown {
    /// Each figure a link to its records.
    links: bool,
    /// The previous year's figure after each one (pages; not the document as issued).
    compare: bool,
}

fn html_pieces(doc: &Rendered, pieces: &[RenderedPiece], shown: Shown) -> String {
    let links = shown.links;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            RenderedPiece::Text(t) => out.push_str(&escape(t)),
            RenderedPiece::Figure(i) => {
                let f = &doc.figures[*i];
                let class = match f.state {
                    FigureState::Shown => "fig",
                    FigureState::Unrecorded => "fig unrecorded",
                    FigureState::NoData => "fig nodata",
                };
                let mut title = format!("{}（{}）", f.name, f.code);
                if let Some(prev) = &f.previous {
                    let _ = write!(title, "；{}年：{prev}", doc.year - 1);
                }
                match (&f.link, links && f.state == FigureState::Shown) {
                    (Some(href), true) => {
                        let _ = write!(
                            out,
                            "<a class=\"{class}\" data-code=\"{}\" href=\"{}\" title=\"{}\">{}</a>",
                            escape(&f.code),
                            escape(href),
                            escape(&title),
                            escape(&f.text)
                        );
                    }
                    _ => {
                        let _ = write!(
                            out,
                            "<span class=\"{class}\" data-code=\"{}\" title=\"{}\">{}</span>",
                            escape(&f.code),
                            escape(&title),
                            escape(&f.text)
                        );
                    }
                }
                if let (true, Some(prev)) = (shown.compare, &f.previous) {
                    let _ = write!(
                        out,
                        "<span class=\"prev\">（{}年{}）</span>",
                        doc.year - 1,
                        escape(prev)
                    );
                }
            }
        }
    }
    out
}

/// The document as an html fragment (for a page, or inside [`to_html_document`]): every
/// figure a link to its records when `links`, and the 口径 appendix with the previous
/// year beside each figure.
pub fn to_html_body(doc: &Rendered, links: bool) -> String {
    html_body(
        doc,
        Shown {
            links,
            compare: false,
        },
    )
}

/// The same with the previous year's figure after each figure that has one, for the pages
/// where the year is read against the last.
pub fn to_html_compared(doc: &Rendered) -> String {
    html_body(
        doc,
        Shown {
            links: true,
            compare: true,
        },
    )
}

fn html_body(doc: &Rendered, shown: Shown) -> String {
    let mut out = String::from("<article class=\"summary\">\n");
    let _ = writeln!(
        out,
        "<h1 class=\"summary-title\">{}</h1>\n<p class=\"summary-issuer\">{}</p>\n<p class=\"summary-date\">（{}）</p>",
        escape(&doc.title),
        escape(&doc.issuer),
        escape(&doc.date)
    );
    for block in &doc.blocks {
        let heading = html_pieces(doc, &block.heading, shown);
        let office = escape(&block.office);
        match block.level {
            0 => {}
            1 => {
                let _ = writeln!(
                    out,
                    "<h2 data-office=\"{office}\">{}{heading}</h2>",
                    block.number
                );
            }
            2 => {
                let _ = writeln!(
                    out,
                    "<h3 data-office=\"{office}\">{}{heading}</h3>",
                    block.number
                );
            }
            _ => {}
        }
        let mut paragraphs = block.paragraphs.iter();
        if block.level == 3 {
            // 1. headings run into their first paragraph, as the bureau writes them.
            let first = paragraphs
                .next()
                .map(|p| html_pieces(doc, p, shown))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<p data-office=\"{office}\"><strong>{}{heading}</strong>{first}</p>",
                block.number
            );
        }
        for p in paragraphs {
            let _ = writeln!(
                out,
                "<p data-office=\"{office}\">{}</p>",
                html_pieces(doc, p, shown)
            );
        }
        // Where the .docx draws them: after the paragraphs of the block discussing them.
        for &chart in &block.charts {
            let _ = writeln!(
                out,
                "<figure class=\"summary-chart\">{}</figure>",
                super::chart_svg(&doc.charts[chart])
            );
        }
    }
    out.push_str("<section class=\"summary-appendix\">\n<h2>附：数字口径</h2>\n");
    let _ = writeln!(
        out,
        "<table class=\"grid\"><thead><tr><th>指标代码</th><th>名称</th><th class=\"num\">{}年</th><th class=\"num\">{}年</th><th>口径</th><th>来源</th></tr></thead><tbody>",
        doc.year,
        doc.year - 1
    );
    for f in &doc.figures {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.code),
            escape(&f.name),
            escape(&f.text),
            escape(f.previous.as_deref().unwrap_or("—")),
            escape(&f.definition),
            escape(f.module)
        );
    }
    out.push_str("</tbody></table>\n</section>\n</article>\n");
    out
}

/// A standalone html file: print-ready, in the official fonts where the reader has them.
pub fn to_html_document(doc: &Rendered, links: bool) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        title = escape(&format!("{}{}", doc.issuer, doc.title)),
        body = to_html_body(doc, links)
    )
}

/// Print layout of the official document: A4, 仿宋 body, 小标宋 title, 黑体 headings.
const STYLE: &str = "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: \"仿宋_GB2312\", \"仿宋\", FangSong, \"宋体\", SimSun, serif; font-size: 16pt; line-height: 1.75; max-width: 48em; margin: 2em auto; }
.summary-title { font-family: \"方正小标宋简体\", \"方正小标宋_GBK\", \"华文中宋\", \"宋体\", SimSun, serif; font-size: 22pt; font-weight: normal; text-align: center; }
.summary-issuer, .summary-date { text-align: center; margin: 0; }
.summary h2 { font-family: \"黑体\", SimHei, sans-serif; font-size: 16pt; font-weight: normal; }
.summary h3 { font-family: \"楷体_GB2312\", \"楷体\", KaiTi, serif; font-size: 16pt; font-weight: normal; }
.summary p { text-indent: 2em; margin: 0; }
.summary .fig { color: inherit; text-decoration: underline dotted; }
.summary .unrecorded, .summary .nodata { color: #b00; }
.summary-chart { margin: 0.6em auto; text-align: center; break-inside: avoid; page-break-inside: avoid; }
.summary-chart svg { width: 100%; max-width: 15cm; height: auto; font-family: \"宋体\", SimSun, serif; }
.summary-appendix table { border-collapse: collapse; font-size: 11pt; }
.summary-appendix td, .summary-appendix th { border: 1px solid #999; padding: 2px 6px; }
@media print { .summary .fig { text-decoration: none; } }
";

/// The document as markdown, with the 口径 appendix as a table.
pub fn to_markdown(doc: &Rendered) -> String {
    let mut out = format!("# {}\n\n{}\n\n（{}）\n\n", doc.title, doc.issuer, doc.date);
    for block in &doc.blocks {
        let heading = doc.text_of(&block.heading);
        let mut paragraphs = block.paragraphs.iter();
        match block.level {
            1 => {
                let _ = writeln!(out, "## {}{heading}\n", block.number);
            }
            2 => {
                let _ = writeln!(out, "### {}{heading}\n", block.number);
            }
            3 => {
                let first = paragraphs
                    .next()
                    .map(|p| doc.text_of(p))
                    .unwrap_or_default();
                let _ = writeln!(out, "**{}{heading}**{first}\n", block.number);
            }
            _ => {}
        }
        for p in paragraphs {
            let _ = writeln!(out, "{}\n", doc.text_of(p));
        }
    }
    let _ = writeln!(
        out,
        "## 附：数字口径\n\n| 指标代码 | 名称 | {} 年 | {} 年 | 口径 |\n| --- | --- | --- | --- | --- |",
        doc.year,
        doc.year - 1
    );
    for f in &doc.figures {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            f.code,
            f.name,
            f.text,
            f.previous.as_deref().unwrap_or("—"),
            f.definition
        );
    }
    out
}
