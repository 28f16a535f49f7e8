//! 图表: the few charts the summary carries where its sections discuss the figures (large
//! classes by term, dropout control and safety hazards against the year before). Each is
//! drawn from the same figure set as the text, so a chart never says what the sentence
//! beside it does not; a value the records do not give is a gap, never a zero.

use super::render::FigureSet;
use crate::indicators::Value;
use serde::Serialize;

/// One series of a chart: a bar per category, `None` where the records give no figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChartSeries {
    /// `春季学期`, `2021年`.
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A clustered column chart, with the data it shows (the docx caches it in the chart part).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    /// The unit of the values (个, 人), shown on the value axis.
    pub unit: String,
    pub categories: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// The indicator codes behind the categories, in order (the section mentioning one of
    /// them is where the chart goes).
    pub codes: Vec<String>,
}

/// How a chart's series run: two terms of the year, or the year before and the year.
#[derive(Clone, Copy)]
enum Across {
    /// Categories are code stems completed by `.spring` / `.autumn`.
    Terms,
    /// The previous year's figures beside this year's.
    Years,
}

struct Spec {
    title: &'static str,
    unit: &'static str,
    across: Across,
    categories: &'static [(&'static str, &'static str)],
}

const SPECS: &[Spec] = &[
    Spec {
        title: "大班额化解情况（春季、秋季学期）",
        unit: "个",
        across: Across::Terms,
        categories: &[
            ("义务教育大班额", "classes.large.compulsory"),
            ("义务教育超大班额", "classes.oversize.compulsory"),
            ("普通高中大班额", "classes.large.senior"),
            ("普通高中超大班额", "classes.oversize.senior"),
        ],
    },
    Spec {
        title: "控辍保学情况",
        unit: "人",
        across: Across::Years,
        categories: &[
            ("疑似辍学", "dropout.suspected"),
            ("年末未销号", "dropout.unresolved"),
            ("春季送教上门", "dropout.home_teaching.spring"),
            ("秋季送教上门", "dropout.home_teaching.autumn"),
        ],
    },
    Spec {
        title: "安全隐患排查整改情况",
        unit: "个",
        across: Across::Years,
        categories: &[
            ("排查发现", "safety.hazards.found"),
            ("整改销号", "safety.hazards.rectified"),
            ("逾期未整改", "safety.hazards.overdue"),
        ],
    },
];

/// Series colours (RGB hex): the year before grey, the year (or the autumn term) blue, then
/// orange and green; the .docx chart and the SVG draw with the same.
const COLOURS: [&str; 4] = ["A5A5A5", "4472C4", "ED7D31", "70AD47"];

/// The colour of series `j`: with two series or more the first (the year before) is grey,
/// a single series is blue.
pub fn series_colour(chart: &Chart, j: usize) -> &'static str {
    let first = if chart.series.len() > 1 { 0 } else { 1 };
    COLOURS[(first + j) % COLOURS.len()]
}

/// A value as a chart writes it: integers without a decimal point.
pub fn value_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A figure as a number for a chart, or none (未录入, 无数据).
fn number(set: &FigureSet, code: &str) -> Option<f64> {
    match set.resolve(code).ok()? {
        Value::Count(n) | Value::Fen(n) | Value::Hundredths(n) => Some(n as f64),
        Value::Rate(r) => Some(r),
    }
}

/// The summary's charts for a year: those with at least one figure of the year, each
/// series kept only when it has a figure.
pub fn charts(figures: &FigureSet, previous: Option<&FigureSet>) -> Vec<Chart> {
    SPECS
        .iter()
        .filter_map(|spec| {
            let labels = spec.categories.iter().map(|(l, _)| l.to_string()).collect();
            let (codes, series): (Vec<String>, Vec<ChartSeries>) = match spec.across {
                Across::Terms => {
                    let codes = |season: &str| -> Vec<String> {
                        spec.categories
                            .iter()
                            .map(|(_, stem)| format!("{stem}.{season}"))
                            .collect()
                    };
                    let (spring, autumn) = (codes("spring"), codes("autumn"));
                    let series = vec![
                        ChartSeries {
                            name: "春季学期".to_string(),
                            values: spring.iter().map(|c| number(figures, c)).collect(),
                        },
                        ChartSeries {
                            name: "秋季学期".to_string(),
                            values: autumn.iter().map(|c| number(figures, c)).collect(),
                        },
                    ];
                    (spring.into_iter().chain(autumn).collect(), series)
                }
                Across::Years => {
                    let codes: Vec<String> =
                        spec.categories.iter().map(|(_, c)| c.to_string()).collect();
                    let of = |set: &FigureSet| ChartSeries {
                        name: format!("{}年", set.year),
                        values: codes.iter().map(|c| number(set, c)).collect(),
                    };
                    let mut series: Vec<ChartSeries> = previous.map(of).into_iter().collect();
                    series.push(of(figures));
                    (codes, series)
                }
            };
            let current_shown = match spec.across {
                Across::Terms => series.iter().any(|s| s.values.iter().any(Option::is_some)),
                Across::Years => series
                    .last()
                    .is_some_and(|s| s.values.iter().any(Option::is_some)),
            };
            current_shown.then(|| Chart {
                title: format!("{}年{}", figures.year, spec.title),
                unit: spec.unit.to_string(),
                categories: labels,
                series: series
                    .into_iter()
                    .filter(|s| s.values.iter().any(Option::is_some))
                    .collect(),
                codes,
            })
        })
        .collect()
}
