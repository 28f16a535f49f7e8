//! A [`Chart`] as inline SVG: clustered columns with the chart's title, unit, value labels
//! and legend, as the .docx draws the same chart. Plain markup (no script), so it prints as
//! drawn and needs no font of its own; pages use it for their bar charts too. A value the
//! records do not give is left out (a gap), never drawn as a zero.

use super::charts::{series_colour, value_text, Chart};
use crate::text::escape_markup as esc;
use std::fmt::Write as _;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 52.0;
const PLOT_H: f64 = 170.0;
/// Label size (px) of the categories; their width is reckoned at one size a character,
/// which is what a CJK character takes.
const LABEL_PX: f64 = 12.0;
/// Columns narrower than this carry no value label (it would not fit; the tooltip has it).
const LABELLED_BAR: f64 = 14.0;

/// The chart as an `<svg class="chart">` element.
pub fn chart_svg(chart: &Chart) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let slots = chart.categories.len().max(1);
    let slot = plot_w / slots as f64;
    let widest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0) as f64
        * LABEL_PX;
    // Labels wider than their slot are turned, as the monitor's 25 townships need.
    let turned = widest > slot - 4.0;
    let labels_h = if turned {
        (widest * 0.65 + 8.0).min(110.0)
    } else {
        LABEL_PX + 10.0
    };
    let legend_y = TOP + PLOT_H + labels_h + 18.0;
    let height = legend_y + 12.0;
    let (step, top) = scale(chart);

    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-label="{t}"><text x="{x:.1}" y="20" font-size="15" font-weight="bold" text-anchor="middle">{t}</text>"#,
        t = esc(&chart.title),
        x = WIDTH / 2.0,
    );
    if !chart.unit.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{LEFT}" y="{:.0}" font-size="11" text-anchor="end" fill="#606266">单位：{}</text>"##,
            TOP - 12.0,
            esc(&chart.unit)
        );
    }
    // The value axis: gridlines at each step from zero.
    let ticks = (top / step).round() as usize;
    for k in 0..=ticks {
        let v = step * k as f64;
        let y = TOP + PLOT_H - PLOT_H * v / top;
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{:.0}" y1="{y:.1}" y2="{y:.1}" stroke="{}"/><text x="{:.0}" y="{:.1}" font-size="11" text-anchor="end" fill="#909399">{}</text>"##,
            WIDTH - RIGHT,
            if k == 0 { "#909399" } else { "#e4e7ed" },
            LEFT - 4.0,
            y + 4.0,
            // Steps of a fraction add up with float noise (0.6000000000000001).
            value_text((v * 1e6).round() / 1e6)
        );
    }
    let series = chart.series.len().max(1);
    let bar_w = (slot * 0.8 / series as f64).min(32.0);
    for (i, category) in chart.categories.iter().enumerate() {
        let x0 = LEFT + slot * i as f64 + (slot - bar_w * series as f64) / 2.0;
        for (j, s) in chart.series.iter().enumerate() {
            // A gap: no column, no label.
            let Some(v) = s.values.get(i).copied().flatten() else {
                continue;
            };
            let h = PLOT_H * v.max(0.0) / top;
            let x = x0 + bar_w * j as f64;
            let y = TOP + PLOT_H - h;
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{h:.1}" fill="#{}"><title>{}（{}）：{}{}</title></rect>"##,
                series_colour(chart, j),
                esc(category),
                esc(&s.name),
                value_text(v),
                esc(&chart.unit)
            );
            if bar_w >= LABELLED_BAR {
                let _ = write!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
                    x + bar_w / 2.0,
                    y - 4.0,
                    value_text(v)
                );
            }
        }
        let cx = LEFT + slot * (i as f64 + 0.5);
        let ly = TOP + PLOT_H + LABEL_PX + 4.0;
        if turned {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly:.1}" font-size="{LABEL_PX}" text-anchor="end" transform="rotate(-40 {cx:.1} {ly:.1})">{}</text>"#,
                esc(category)
            );
        } else {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly:.1}" font-size="{LABEL_PX}" text-anchor="middle">{}</text>"#,
                esc(category)
            );
        }
    }
    // The legend under the chart, centred, as the .docx places it.
    let entry_w = |name: &str| 18.0 + name.chars().count() as f64 * 12.0 + 16.0;
    let total: f64 = chart.series.iter().map(|s| entry_w(&s.name)).sum();
    let mut x = (WIDTH - total) / 2.0;
    for (j, s) in chart.series.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="#{}"/><text x="{:.1}" y="{legend_y:.1}" font-size="12">{}</text>"##,
            legend_y - 10.0,
            series_colour(chart, j),
            x + 16.0,
            esc(&s.name)
        );
        x += entry_w(&s.name);
    }
    svg.push_str("</svg>");
    svg
}

/// The value axis: a step of 1, 2 or 5 times a power of ten (at least 1 when every value
/// is whole, so counts are not split), and the top gridline at or above the largest value.
fn scale(chart: &Chart) -> (f64, f64) {
    let values = chart.series.iter().flat_map(|s| s.values.iter().flatten());
    let max = values.clone().fold(0.0_f64, |m, v| m.max(*v));
    let whole = values.clone().all(|v| v.fract() == 0.0);
    let rough = if max > 0.0 { max / 4.0 } else { 1.0 };
    let power = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    if whole {
        step = step.max(1.0);
    }
    let top = (max / step).ceil().max(1.0) * step;
    (step, top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::ChartSeries;

    fn chart(categories: &[&str], series: &[(&str, &[Option<f64>])]) -> Chart {
        Chart {
            title: "2021年控辍保学情况".to_string(),
            unit: "人".to_string(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            series: series
                .iter()
                .map(|(name, values)| ChartSeries {
                    name: name.to_string(),
                    values: values.to_vec(),
                })
                .collect(),
            codes: Vec::new(),
        }
    }

    /// The columns drawn: (fill, tooltip) of each `<rect>` that has a tooltip.
    fn columns(svg: &str) -> Vec<(String, String)> {
        svg.split("<rect ")
            .skip(1)
            .filter_map(|r| {
                let fill = r.split("fill=\"").nth(1)?.split('"').next()?.to_string();
                let title = r.split("<title>").nth(1)?.split("</title>").next()?;
                Some((fill, title.to_string()))
            })
            .collect()
    }

    #[test]
    fn a_gap_is_no_column_and_a_zero_is_one() {
        let svg = chart_svg(&chart(
            &["疑似辍学", "年末未销号"],
            &[
                ("2020年", &[None, Some(0.0)]),
                ("2021年", &[Some(12.0), Some(3.0)]),
            ],
        ));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            columns(&svg),
            vec![
                (
                    "#4472C4".to_string(),
                    "疑似辍学（2021年）：12人".to_string()
                ),
                (
                    "#A5A5A5".to_string(),
                    "年末未销号（2020年）：0人".to_string()
                ),
                (
                    "#4472C4".to_string(),
                    "年末未销号（2021年）：3人".to_string()
                ),
            ]
        );
        // The zero is labelled on its (flat) column; the gap has no label at all.
        assert!(svg.contains(">0</text><rect"));
        assert!(svg.contains("单位：人"));
        // Legend: both years, the year before grey.
        assert!(svg.contains("fill=\"#A5A5A5\"/><text") && svg.contains(">2020年</text>"));
    }

    #[test]
    fn labels_titles_and_names_are_escaped() {
        let mut c = chart(&["A&B <学校>"], &[("春季\"学期\"", &[Some(1.0)])]);
        c.title = "各乡镇<大班额>".to_string();
        c.unit = "个&".to_string();
        let svg = chart_svg(&c);
        assert!(svg.contains("aria-label=\"各乡镇&lt;大班额&gt;\""));
        assert!(svg.contains(">A&amp;B &lt;学校&gt;</text>"));
        assert!(svg.contains("春季&quot;学期&quot;"));
        assert!(svg.contains("单位：个&amp;"));
        assert!(!svg.contains("<学校>") && !svg.contains("A&B"));
    }

    #[test]
    fn the_axis_steps_cover_the_largest_value_in_whole_steps() {
        let of = |max: f64| scale(&chart(&["x"], &[("s", &[Some(max)])]));
        assert_eq!(of(664.0), (200.0, 800.0));
        assert_eq!(of(3.0), (1.0, 3.0));
        assert_eq!(of(0.0), (1.0, 1.0));
        let (step, top) = of(0.42);
        assert!((step - 0.2).abs() < 1e-9 && (top - 0.6).abs() < 1e-9);
        // No figure at all: an empty axis, no column.
        let empty = chart(&["x"], &[("s", &[None])]);
        assert_eq!(scale(&empty), (1.0, 1.0));
        assert!(columns(&chart_svg(&empty)).is_empty());
    }

    #[test]
    fn many_long_labels_are_turned_and_short_ones_are_not() {
        let few = chart_svg(&chart(
            &["排查发现", "整改销号"],
            &[("2021年", &[Some(1.0), Some(2.0)])],
        ));
        assert!(!few.contains("rotate("));
        let names: Vec<String> = (0..25).map(|i| format!("第{i}个乡镇")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let values = vec![Some(1.0); 25];
        let many = chart_svg(&chart(&refs, &[("春季", &values), ("秋季", &values)]));
        assert_eq!(many.matches("rotate(-40").count(), 25);
        // Columns too narrow for a label keep their value in the tooltip only.
        assert_eq!(many.matches("<title>").count(), 50);
        let value_label = "font-size=\"11\" text-anchor=\"middle\"";
        assert!(!many.contains(value_label));
        assert_eq!(few.matches(value_label).count(), 2);
    }
}
