//! The yearly assessment: a scheme of weighted items, each scored from a figure the system
//! holds for the school (a [`Metric`] with a [`Scoring`]) or by an inspector, the total of
//! each school, and the ranking (ties share a place: 1, 2, 2, 4).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A figure the system computes for each school of the county for a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Metric {
    /// 隐患整改率: the year's hazards of the school closed / found (none found: 1).
    HazardsRectified,
    /// 逾期未整改隐患: open hazards past their deadline at the year's end.
    HazardsOverdue,
    /// 大班额: classes of 56+ in the latest term of the year with classes.
    LargeClasses,
    /// 课后服务: offered in the latest term of the year with records (1 or 0).
    AfterSchoolOffered,
    /// 报表按时报送率: the year's form tasks submitted by their due date / tasks.
    FormsOnTime,
}

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::HazardsRectified,
        Metric::HazardsOverdue,
        Metric::LargeClasses,
        Metric::AfterSchoolOffered,
        Metric::FormsOnTime,
    ];

    /// The code a scheme names it by.
    pub fn code(self) -> &'static str {
        match self {
            Metric::HazardsRectified => "safety.rectified",
            Metric::HazardsOverdue => "safety.overdue",
            Metric::LargeClasses => "classes.large",
            Metric::AfterSchoolOffered => "after_school.offered",
            Metric::FormsOnTime => "forms.on_time",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::HazardsRectified => "隐患整改率",
            Metric::HazardsOverdue => "逾期未整改隐患数",
            Metric::LargeClasses => "大班额班级数",
            Metric::AfterSchoolOffered => "开展课后服务",
            Metric::FormsOnTime => "报表按时报送率",
        }
    }

    pub fn parse(raw: &str) -> Option<Metric> {
        let t = crate::text::fold_width(raw);
        Metric::ALL
            .iter()
            .copied()
            .find(|m| m.code() == t || m.label() == t)
    }

    /// Whether the figure is a share (0–1) rather than a count.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Metric::HazardsRectified | Metric::AfterSchoolOffered | Metric::FormsOnTime
        )
    }
}

/// How a metric becomes points out of the item's weight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Scoring {
    /// 按比率: weight × the share (a rate of 0–1).
    Rate,
    /// 达标: full marks at `target` or above, in proportion below it.
    AtLeast(f64),
    /// 每项扣分: the weight less `points` for each one counted, never below zero.
    PenaltyEach(f64),
}

/// Where an item's points come from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Source {
    Metric {
        metric: Metric,
        scoring: Scoring,
    },
    /// 督学评分: an inspector gives 0 to the weight.
    Inspector,
}

/// One weighted item of a scheme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Item {
    pub name: String,
    /// 分值: the item's full marks.
    pub weight: f64,
    pub source: Source,
}

impl Item {
    /// The points a figure gives (rounded to hundredths).
    pub fn points(&self, value: f64) -> f64 {
        let w = self.weight;
        let raw = match self.source {
            Source::Inspector => value.clamp(0.0, w),
            Source::Metric { scoring, .. } => match scoring {
                Scoring::Rate => w * value.clamp(0.0, 1.0),
                Scoring::AtLeast(target) if target > 0.0 => w * (value / target).clamp(0.0, 1.0),
                Scoring::AtLeast(_) => w,
                Scoring::PenaltyEach(p) => (w - p * value.max(0.0)).max(0.0),
            },
        };
        (raw * 100.0).round() / 100.0
    }

    /// How the item is scored, as the scheme's page states it.
    pub fn describe(&self) -> String {
        match self.source {
            Source::Inspector => "督学评分".into(),
            Source::Metric { metric, scoring } => match scoring {
                Scoring::Rate => format!("{}×分值", metric.label()),
                Scoring::AtLeast(t) => format!("{}达到{}得满分", metric.label(), shown(t)),
                Scoring::PenaltyEach(p) => format!("{}每个扣{}分", metric.label(), shown(p)),
            },
        }
    }

    /// The item as one line of the scheme's text form (what [`parse_scheme`] reads).
    pub fn line(&self) -> String {
        let source = match self.source {
            Source::Inspector => "督学评分".to_string(),
            Source::Metric { metric, scoring } => match scoring {
                Scoring::Rate => format!("{} 比率", metric.code()),
                Scoring::AtLeast(t) => format!("{} 达到 {}", metric.code(), shown(t)),
                Scoring::PenaltyEach(p) => format!("{} 每个扣 {}", metric.code(), shown(p)),
            },
        };
        format!("{}，{}，{source}", self.name, shown(self.weight))
    }
}

fn shown(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A scheme's items must have names, distinct, weights above zero summing to 100.
pub const TOTAL: f64 = 100.0;
/// At most this many items in a scheme.
pub const MAX_ITEMS: usize = 60;

/// Reads a scheme written one item a line: `名称，分值，来源`, where 来源 is `督学评分` or
/// a metric code with its scoring (`safety.rectified 比率`, `forms.on_time 达到 0.95`,
/// `classes.large 每个扣 2`). Refusals name the line.
pub fn parse_scheme(text: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = crate::text::fold_width(line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: String| format!("第{}行：{m}", n + 1);
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        let [name, weight, source] = parts[..] else {
            return Err(at("应写作“名称，分值，来源”".into()));
        };
        let weight: f64 = weight
            .parse()
            .ok()
            .filter(|w: &f64| *w > 0.0 && *w <= TOTAL)
            .ok_or_else(|| at(format!("分值“{weight}”应为大于0、不超过100的数")))?;
        let source = parse_source(source).map_err(at)?;
        items.push(Item {
            name: name.to_string(),
            weight,
            source,
        });
    }
    check_scheme(&items)?;
    Ok(items)
}

fn parse_source(raw: &str) -> Result<Source, String> {
    if raw == "督学评分" {
        return Ok(Source::Inspector);
    }
    let words: Vec<&str> = raw.split_whitespace().collect();
    let metrics = || {
        Metric::ALL
            .iter()
            .map(|m| format!("{}（{}）", m.code(), m.label()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let metric = words
        .first()
        .and_then(|w| Metric::parse(w))
        .ok_or_else(|| format!("来源“{raw}”应为“督学评分”或系统指标：{}", metrics()))?;
    let number = |w: Option<&&str>| -> Result<f64, String> {
        w.and_then(|w| w.parse::<f64>().ok())
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("来源“{raw}”缺少计分所需的数"))
    };
    let scoring = match words.get(1).copied() {
        Some("比率") if metric.is_rate() => Scoring::Rate,
        Some("比率") => return Err(format!("{}是计数，不能按比率计分", metric.label())),
        Some("达到") => Scoring::AtLeast(number(words.get(2))?),
        Some("每个扣") => Scoring::PenaltyEach(number(words.get(2))?),
        _ => {
            return Err(format!(
                "来源“{raw}”应写明计分方法：比率、达到 N 或 每个扣 N"
            ))
        }
    };
    Ok(Source::Metric { metric, scoring })
}

/// Refuses a scheme without items, with a repeated or blank name, or whose weights do not
/// sum to 100.
pub fn check_scheme(items: &[Item]) -> Result<(), String> {
    if items.is_empty() {
        return Err("考核方案至少要有一项指标".into());
    }
    if items.len() > MAX_ITEMS {
        return Err(format!("考核方案最多{MAX_ITEMS}项指标"));
    }
    for (i, item) in items.iter().enumerate() {
        if item.name.trim().is_empty() {
            return Err(format!("第{}项指标缺少名称", i + 1));
        }
        if items[..i].iter().any(|o| o.name == item.name) {
            return Err(format!("指标“{}”重复", item.name));
        }
    }
    let sum: f64 = items.iter().map(|i| i.weight).sum();
    if (sum - TOTAL).abs() > 0.001 {
        return Err(format!("各项分值合计应为100，现为{}", shown(sum)));
    }
    Ok(())
}

/// One school's figures: the metrics the system computed and the inspectors' scores by
/// item name.
#[derive(Clone, Debug, Default)]
pub struct SchoolFigures {
    pub metrics: HashMap<Metric, f64>,
    pub inspector: HashMap<String, f64>,
}

/// One school's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchoolResult {
    pub school_code: String,
    pub school_name: String,
    /// Points per item, in the scheme's order.
    pub points: Vec<f64>,
    pub total: f64,
    /// 1 is first; tied totals share a place.
    pub rank: u32,
    /// Items an inspector has not scored yet (counted as 0).
    pub unscored: u32,
}

/// Scores and ranks every school: `(code, name, figures)` in any order; the result is by
/// rank, then code.
pub fn compute(items: &[Item], schools: Vec<(String, String, SchoolFigures)>) -> Vec<SchoolResult> {
    let mut out: Vec<SchoolResult> = schools
        .into_iter()
        .map(|(code, name, f)| {
            let mut unscored = 0;
            let points: Vec<f64> = items
                .iter()
                .map(|item| match item.source {
                    Source::Inspector => match f.inspector.get(&item.name) {
                        Some(score) => item.points(*score),
                        None => {
                            unscored += 1;
                            0.0
                        }
                    },
                    Source::Metric { metric, .. } => {
                        item.points(f.metrics.get(&metric).copied().unwrap_or(0.0))
                    }
                })
                .collect();
            let total = (points.iter().sum::<f64>() * 100.0).round() / 100.0;
            SchoolResult {
                school_code: code,
                school_name: name,
                points,
                total,
                rank: 0,
                unscored,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.school_code.cmp(&b.school_code))
    });
    let mut rank = 0;
    let mut previous: Option<f64> = None;
    for (i, r) in out.iter_mut().enumerate() {
        if previous != Some(r.total) {
            rank = i as u32 + 1;
            previous = Some(r.total);
        }
        r.rank = rank;
    }
    out
}

/// The county average of each item's points and of the total (what a school sees beside
/// its own).
pub fn averages(items: &[Item], results: &[SchoolResult]) -> (Vec<f64>, f64) {
    let n = results.len().max(1) as f64;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let per_item = (0..items.len())
        .map(|i| round(results.iter().map(|r| r.points[i]).sum::<f64>() / n))
        .collect();
    (
        per_item,
        round(results.iter().map(|r| r.total).sum::<f64>() / n),
    )
}

/// The scheme a year starts from (the county edits it): 100 points over what the system
/// holds and the inspectors' judgement.
pub fn default_scheme() -> Vec<Item> {
    let metric = |name: &str, weight: f64, metric, scoring| Item {
        name: name.into(),
        weight,
        source: Source::Metric { metric, scoring },
    };
    let inspector = |name: &str, weight: f64| Item {
        name: name.into(),
        weight,
        source: Source::Inspector,
    };
    vec![
        inspector("党建与思政工作", 10.0),
        inspector("办学行为规范", 10.0),
        inspector("教育教学质量", 20.0),
        inspector("教师队伍建设", 10.0),
        metric(
            "安全隐患整改",
            10.0,
            Metric::HazardsRectified,
            Scoring::Rate,
        ),
        metric(
            "逾期未整改隐患",
            5.0,
            Metric::HazardsOverdue,
            Scoring::PenaltyEach(2.5),
        ),
        metric(
            "消除大班额",
            10.0,
            Metric::LargeClasses,
            Scoring::PenaltyEach(2.0),
        ),
        metric("课后服务", 10.0, Metric::AfterSchoolOffered, Scoring::Rate),
        metric(
            "报表按时报送",
            5.0,
            Metric::FormsOnTime,
            Scoring::AtLeast(0.95),
        ),
        inspector("校园文化与特色", 10.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_scheme_reads_from_its_lines_and_back() {
        let scheme = default_scheme();
        assert!(check_scheme(&scheme).is_ok());
        let text: Vec<String> = scheme.iter().map(Item::line).collect();
        assert_eq!(parse_scheme(&text.join("\n")), Ok(scheme));
    }

    #[test]
    fn a_bad_scheme_is_refused_by_its_line() {
        assert_eq!(
            parse_scheme("安全，10，safety.rectified 比率\n质量，abc，督学评分"),
            Err("第2行：分值“abc”应为大于0、不超过100的数".into())
        );
        assert!(parse_scheme("安全，10，天气 比率")
            .expect_err("an unknown metric")
            .starts_with("第1行：来源“天气 比率”应为"));
        assert_eq!(
            parse_scheme("大班额，100，classes.large 比率"),
            Err("第1行：大班额班级数是计数，不能按比率计分".into())
        );
        assert_eq!(
            parse_scheme("质量，60，督学评分\n安全，30，督学评分"),
            Err("各项分值合计应为100，现为90".into())
        );
        assert_eq!(
            parse_scheme("质量，50，督学评分\n质量，50，督学评分"),
            Err("指标“质量”重复".into())
        );
    }

    #[test]
    fn points_follow_the_scoring() {
        let item = |source| Item {
            name: "x".into(),
            weight: 10.0,
            source,
        };
        let m = |scoring| Source::Metric {
            metric: Metric::LargeClasses,
            scoring,
        };
        assert_eq!(item(m(Scoring::Rate)).points(0.875), 8.75);
        assert_eq!(item(m(Scoring::AtLeast(0.95))).points(0.99), 10.0);
        assert_eq!(item(m(Scoring::AtLeast(0.95))).points(0.475), 5.0);
        assert_eq!(item(m(Scoring::PenaltyEach(2.0))).points(3.0), 4.0);
        assert_eq!(item(m(Scoring::PenaltyEach(2.0))).points(9.0), 0.0);
        assert_eq!(
            item(Source::Inspector).points(12.0),
            10.0,
            "capped at the weight"
        );
    }

    #[test]
    fn ties_share_a_place() {
        let items = vec![Item {
            name: "质量".into(),
            weight: 100.0,
            source: Source::Inspector,
        }];
        let school = |code: &str, score: Option<f64>| {
            let mut f = SchoolFigures::default();
            if let Some(s) = score {
                f.inspector.insert("质量".into(), s);
            }
            (code.to_string(), code.to_string(), f)
        };
        let r = compute(
            &items,
            vec![
                school("C", Some(80.0)),
                school("A", Some(90.0)),
                school("B", Some(80.0)),
                school("D", None),
            ],
        );
        let ranks: Vec<(&str, u32)> = r.iter().map(|r| (r.school_code.as_str(), r.rank)).collect();
        assert_eq!(ranks, [("A", 1), ("B", 2), ("C", 2), ("D", 4)]);
        assert_eq!(r[3].unscored, 1);
        assert_eq!(averages(&items, &r).1, 62.5);
    }

    proptest! {
        #[test]
        fn totals_stay_within_the_scheme(
            values in proptest::collection::vec(0.0f64..20.0, 10),
            scores in proptest::collection::vec(0.0f64..30.0, 10),
        ) {
            let items = default_scheme();
            let mut f = SchoolFigures::default();
            for (m, v) in Metric::ALL.iter().zip(&values) {
                f.metrics.insert(*m, if m.is_rate() { v / 20.0 } else { *v });
            }
            for (item, s) in items.iter().zip(&scores) {
                f.inspector.insert(item.name.clone(), *s);
            }
            let r = compute(&items, vec![("A".into(), "A".into(), f)]);
            prop_assert!(r[0].total >= 0.0 && r[0].total <= TOTAL + 0.01);
            prop_assert!((r[0].points.iter().sum::<f64>() - r[0].total).abs() < 0.05);
        }
    }
}
