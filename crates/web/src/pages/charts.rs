//! SVG charts drawn on the server (no script): grouped bars, stacked bands (the class-size
//! monitor) and horizontal counts (the staff roll's breakdowns).

use emis_app::enrollment::BandCounts;
use emis_domain::summary::{chart_svg, Chart, ChartSeries};
use emis_domain::text::escape_markup as esc;

/// A grouped bar chart of two series (春季/秋季, 在办/已销号), drawn as the annual summary
/// draws its charts (`summary::chart_svg`): one SVG builder for the pages and the summary.
pub fn bar_chart(title: &str, series: [&str; 2], bars: &[(String, u32, u32)]) -> String {
    let values = |pick: fn(&(String, u32, u32)) -> u32| -> Vec<Option<f64>> {
        bars.iter().map(|b| Some(f64::from(pick(b)))).collect()
    };
    chart_svg(&Chart {
        title: title.to_string(),
        unit: String::new(),
        categories: bars.iter().map(|(label, _, _)| label.clone()).collect(),
        series: vec![
            ChartSeries {
                name: series[0].to_string(),
                values: values(|b| b.1),
            },
            ChartSeries {
                name: series[1].to_string(),
                values: values(|b| b.2),
            },
        ],
        codes: Vec::new(),
    })
}

/// A horizontal stacked bar per group: classes by band (≤45, 46–55, 56–65, 66+).
pub fn band_chart(title: &str, rows: &[(String, BandCounts)]) -> String {
    let width = 760.0_f64;
    let row_h = 26.0;
    let left = 90.0;
    let height = 44.0 + row_h * rows.len() as f64 + 10.0;
    let colors = ["#95d475", "#eebe77", "#f89898", "#c45656"];
    let names = ["45人及以下", "46–55人", "56–65人", "66人及以上"];
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}"><text x="0" y="18" font-size="14" font-weight="bold">{t}</text>"#,
        t = esc(title)
    );
    for (i, name) in names.iter().enumerate() {
        let x = 300.0 + i as f64 * 112.0;
        svg.push_str(&format!(
            r#"<rect x="{x}" y="8" width="12" height="12" fill="{}"/><text x="{}" y="18" font-size="12">{name}</text>"#,
            colors[i],
            x + 16.0
        ));
    }
    for (i, (label, c)) in rows.iter().enumerate() {
        let y = 34.0 + row_h * i as f64;
        let total = f64::from(c.classes.max(1));
        let parts = [
            c.classes - c.big - c.large,
            c.big,
            c.large - c.oversize,
            c.oversize,
        ];
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 15.0,
            esc(label)
        ));
        let mut x = left;
        for (j, n) in parts.iter().enumerate() {
            let w = (width - left - 60.0) * f64::from(*n) / total;
            if w > 0.0 {
                svg.push_str(&format!(
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="18" fill="{}"><title>{}：{}个班</title></rect>"#,
                    colors[j], names[j], n
                ));
            }
            x += w;
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#606266">{}班</text>"##,
            x + 4.0,
            y + 14.0,
            c.classes
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of counts, one per label, longest first as given.
pub fn count_chart(title: &str, rows: &[(String, u64)]) -> String {
    let width = 560.0_f64;
    let row_h = 22.0;
    let left = 130.0;
    let right = 60.0;
    let height = 30.0 + row_h * rows.len() as f64 + 6.0;
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}"><text x="0" y="18" font-size="14" font-weight="bold">{t}</text>"#,
        t = esc(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 28.0 + row_h * i as f64;
        let w = (width - left - right) * (*n as f64) / max;
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">{}</text><rect x="{left}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="#79bbff"><title>{}：{n}</title></rect><text x="{:.1}" y="{:.1}" font-size="12" fill="#606266">{n}</text>"##,
            left - 6.0,
            y + 14.0,
            esc(label),
            row_h - 6.0,
            esc(label),
            left + w + 4.0,
            y + 14.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_labels_escaped() {
        let svg = bar_chart(
            "各乡镇<大班额>",
            ["春季", "秋季"],
            &[("卢峰镇".into(), 496, 0), ("A&B".into(), 3, 1)],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("各乡镇&lt;大班额&gt;") && svg.contains("A&amp;B"));
        // Two legend swatches and four columns, the zero one flat but drawn.
        assert_eq!(svg.matches("<rect").count(), 2 + 4);
        assert!(svg.contains("<title>卢峰镇（秋季）：0</title>"));
        let counts = BandCounts {
            classes: 10,
            students: 500,
            big: 3,
            large: 2,
            oversize: 1,
        };
        let svg = band_chart("分布", &[("小学".into(), counts)]);
        assert_eq!(svg.matches("<title>").count(), 4);
    }
}
