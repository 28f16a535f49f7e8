//! 年度工作总结 as .docx: the OOXML parts written directly through the zip writer, in the
//! official layout (GB/T 9704 公文格式): A4, 仿宋_GB2312 三号 body with 宋体 as the fallback
//! the font table names, 方正小标宋简体 二号 title, 黑体 / 楷体 headings, fixed 28-point lines,
//! and the page number centred in the footer (— 1 —). Word, WPS and LibreOffice read it.

use emis_domain::summary::{FigureState, Rendered, RenderedPiece};
use emis_domain::text::escape_markup as escape;
use std::fmt::Write as _;
use std::io::Write as _;

const TITLE_FONT: &str = "方正小标宋简体";
const H1_FONT: &str = "黑体";
const H2_FONT: &str = "楷体_GB2312";
/// 二号 22pt, in half-points (the body's 三号 16pt is the default style's).
const TITLE_SIZE: u32 = 44;

/// The document as .docx bytes.
pub fn write_docx(doc: &Rendered) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let document = document_xml(doc);
    let core = core_xml(doc);
    let content_types = content_types(doc.charts.len());
    let document_rels = document_rels(doc.charts.len());
    let parts: [(&str, &str); 9] = [
        ("[Content_Types].xml", &content_types),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP),
        ("docProps/core.xml", &core),
        ("word/_rels/document.xml.rels", &document_rels),
        ("word/document.xml", &document),
        ("word/styles.xml", STYLES),
        ("word/fontTable.xml", FONT_TABLE),
        ("word/footer1.xml", FOOTER),
    ];
    for (name, text) in parts {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    // Each chart a DrawingML chart part with its data cached (what the office suites draw,
    // in their own CJK fonts), and that data as an embedded workbook so that Word and WPS
    // can edit it.
    for (i, chart) in doc.charts.iter().enumerate() {
        let n = i + 1;
        zip.start_file(format!("word/charts/chart{n}.xml"), options)?;
        zip.write_all(crate::docx_chart::chart_xml(chart).as_bytes())?;
        zip.start_file(format!("word/charts/_rels/chart{n}.xml.rels"), options)?;
        zip.write_all(crate::docx_chart::chart_rels(n).as_bytes())?;
        let workbook = crate::docx_chart::chart_workbook(chart)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        zip.start_file(format!("word/embeddings/chart{n}.xlsx"), options)?;
        zip.write_all(&workbook)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types(charts: usize) -> String {
    let mut out = CONTENT_TYPES.replace(
        "<Default Extension=\"xml\"",
        "<Default Extension=\"xlsx\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/><Default Extension=\"xml\"",
    );
    let overrides: String = (1..=charts)
        .map(|n| format!("<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"))
        .collect();
    out.insert_str(out.len() - "</Types>".len(), &overrides);
    out
}

fn document_rels(charts: usize) -> String {
    let rels: String = (1..=charts)
        .map(|n| format!("<Relationship Id=\"rIdChart{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart{n}.xml\"/>"))
        .collect();
    let mut out = DOCUMENT_RELS.to_string();
    out.insert_str(out.len() - "</Relationships>".len(), &rels);
    out
}

#[derive(Clone, Copy, Default)]
struct RunStyle<'a> {
    font: Option<&'a str>,
    size: Option<u32>,
    bold: bool,
    red: bool,
}

fn run(out: &mut String, text: &str, style: RunStyle) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r><w:rPr>");
    if let Some(font) = style.font {
        let _ = write!(
            out,
            "<w:rFonts w:ascii=\"{font}\" w:eastAsia=\"{font}\" w:hAnsi=\"{font}\" w:cs=\"{font}\"/>"
        );
    }
    if style.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if style.red {
        out.push_str("<w:color w:val=\"C00000\"/>");
    }
    if let Some(size) = style.size {
        let _ = write!(out, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
    }
    let _ = write!(
        out,
        "</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    );
}

fn pieces(out: &mut String, doc: &Rendered, pieces: &[RenderedPiece], style: RunStyle) {
    for piece in pieces {
        match piece {
            RenderedPiece::Text(t) => run(out, t, style),
            RenderedPiece::Figure(i) => {
                let f = &doc.figures[*i];
                // A figure the records do not give stands out for the reviewer.
                let red = f.state != FigureState::Shown;
                run(out, &f.text, RunStyle { red, ..style });
            }
        }
    }
}

/// A paragraph: `props` its pPr content, then the runs `body` writes.
fn paragraph(out: &mut String, props: &str, body: impl FnOnce(&mut String)) {
    let _ = write!(out, "<w:p><w:pPr>{props}</w:pPr>");
    body(out);
    out.push_str("</w:p>");
}

const CENTRED: &str = "<w:jc w:val=\"center\"/>";
const INDENTED: &str =
    "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>";

fn document_xml(doc: &Rendered) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><w:body>",
    );
    let title = RunStyle {
        font: Some(TITLE_FONT),
        size: Some(TITLE_SIZE),
        ..Default::default()
    };
    paragraph(
        &mut out,
        &format!("<w:spacing w:line=\"700\" w:lineRule=\"exact\"/>{CENTRED}"),
        |o| run(o, &doc.title, title),
    );
    paragraph(&mut out, CENTRED, |o| {
        run(o, &doc.issuer, RunStyle::default())
    });
    paragraph(&mut out, CENTRED, |o| {
        run(o, &format!("（{}）", doc.date), RunStyle::default())
    });
    for block in &doc.blocks {
        let mut paragraphs = block.paragraphs.iter();
        match block.level {
            1 | 2 => {
                let font = if block.level == 1 { H1_FONT } else { H2_FONT };
                let style = RunStyle {
                    font: Some(font),
                    ..Default::default()
                };
                paragraph(&mut out, INDENTED, |o| {
                    run(o, &block.number, style);
                    pieces(o, doc, &block.heading, style);
                });
            }
            3 => {
                // 1. headings run into their first paragraph, in bold.
                let first = paragraphs.next();
                paragraph(&mut out, INDENTED, |o| {
                    let bold = RunStyle {
                        bold: true,
                        ..Default::default()
                    };
                    run(o, &block.number, bold);
                    pieces(o, doc, &block.heading, bold);
                    if let Some(first) = first {
                        pieces(o, doc, first, RunStyle::default());
                    }
                });
            }
            _ => {}
        }
        for p in paragraphs {
            paragraph(&mut out, INDENTED, |o| {
                pieces(o, doc, p, RunStyle::default())
            });
        }
        for &chart in &block.charts {
            // Single-spaced: the body's exact 28-point lines would clip the drawing.
            paragraph(
                &mut out,
                &format!("<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>{CENTRED}"),
                |o| crate::docx_chart::inline(o, chart + 1, &doc.charts[chart].title),
            );
        }
    }
    appendix(&mut out, doc);
    out.push_str(SECTION);
    out.push_str("</w:body></w:document>");
    out
}

/// 附：数字口径, on a page of its own: each figure, its value, last year's, its definition.
fn appendix(out: &mut String, doc: &Rendered) {
    paragraph(out, "<w:pageBreakBefore/>", |o| {
        run(
            o,
            "附：数字口径",
            RunStyle {
                font: Some(H1_FONT),
                ..Default::default()
            },
        )
    });
    let small = RunStyle {
        size: Some(21),
        ..Default::default()
    };
    out.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w=\"2200\"/><w:gridCol w:w=\"1500\"/><w:gridCol w:w=\"1500\"/><w:gridCol w:w=\"3800\"/></w:tblGrid>");
    let header = [
        "指标".to_string(),
        format!("{}年", doc.year),
        format!("{}年", doc.year - 1),
        "口径".to_string(),
    ];
    let rows = std::iter::once(header).chain(doc.figures.iter().map(|f| {
        [
            format!("{}（{}）", f.name, f.code),
            f.text.clone(),
            f.previous.clone().unwrap_or_else(|| "—".to_string()),
            f.definition.clone(),
        ]
    }));
    for cells in rows {
        out.push_str("<w:tr>");
        for cell in cells {
            out.push_str("<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>");
            paragraph(
                out,
                "<w:spacing w:line=\"300\" w:lineRule=\"auto\"/>",
                |o| run(o, &cell, small),
            );
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

fn core_xml(doc: &Rendered) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator></cp:coreProperties>",
        escape(&doc.title),
        escape(&doc.issuer)
    )
}

/// A4 with the 公文 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm) and the
/// footer holding the page number.
const SECTION: &str = "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-842\"/></w:sectPr>";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>county-emis</Application></Properties>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/></Relationships>";

/// The body style: 仿宋_GB2312 三号, lines fixed at 28 points.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\" w:cs=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/></w:style></w:styles>";

/// The fonts the document names, each with the one a machine without it falls back to
/// (仿宋_GB2312 → 仿宋 → 宋体 by its GB2312 character set and family).
const FONT_TABLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font><w:font w:name=\"仿宋\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font><w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/><w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font><w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font><w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font><w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>";

/// The footer: — PAGE — centred, 宋体 四号 (14pt).
const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

#[cfg(test)]
mod tests {
    use super::*;
    use emis_domain::indicators::{IndicatorSet, Value};
    use emis_domain::summary::{parse, render, FigureSet};
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut text = String::new();
        archive
            .by_name(name)
            .expect("the part")
            .read_to_string(&mut text)
            .expect("utf-8");
        text
    }

    #[test]
    fn the_docx_holds_the_figures_fonts_and_page_numbers() {
        let mut set = IndicatorSet::default();
        set.push("aid.person_times", Value::Count(79_067));
        set.push("aid.amount", Value::Fen(4_982_490_000));
        let template = parse("# 工作 @资助中心\n### 资助 <与> & @资助中心\n全年共资助学生{aid.person_times}人次、资助资金共计{aid.amount|万元}万元；积极分子{party.activists}人。")
            .expect("a template");
        let doc = render(
            &template,
            &FigureSet::new(2021, &set, ["党员发展"]),
            None,
            "溆浦县教育局",
            chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("a date"),
        );
        let bytes = write_docx(&doc).expect("written");
        let document = part(&bytes, "word/document.xml");
        assert!(document.contains("2021年教育工作总结"));
        assert!(document.contains("79067人次"));
        assert!(document.contains("4982.49万元"));
        assert!(document.contains("【未录入：培养入党积极分子人数】"));
        assert!(document.contains("资助 &lt;与&gt; &amp;"));
        assert!(document.contains("一、"));
        assert!(document.contains("方正小标宋简体"));
        assert!(part(&bytes, "word/footer1.xml").contains(" PAGE "));
        assert!(part(&bytes, "word/fontTable.xml").contains("<w:altName w:val=\"宋体\"/>"));
        assert!(part(&bytes, "[Content_Types].xml").contains("/word/document.xml"));
    }

    #[test]
    fn the_docx_draws_its_charts_from_the_figures() {
        let mut year = IndicatorSet::default();
        let mut before = IndicatorSet::default();
        for (code, n, m) in [
            ("classes.large.compulsory.spring", 664, 0),
            ("classes.oversize.compulsory.spring", 12, 0),
            ("classes.large.senior.spring", 40, 0),
            ("classes.oversize.senior.spring", 3, 0),
            ("classes.large.compulsory.autumn", 301, 0),
            ("classes.oversize.compulsory.autumn", 0, 0),
            ("classes.large.senior.autumn", 22, 0),
            ("classes.oversize.senior.autumn", 1, 0),
            ("safety.hazards.found", 1520, 1304),
            ("safety.hazards.rectified", 1498, 1290),
            ("safety.hazards.overdue", 7, 9),
        ] {
            year.push(code, Value::Count(n));
            if m > 0 {
                before.push(code, Value::Count(m));
            }
        }
        let template = parse("# 工作 @办公室\n### 大班额 @基础教育\n春季义务教育大班额{classes.large.compulsory.spring}个。\n### 安全 @安全\n排查隐患{safety.hazards.found}个。\n### 控辍 @基础教育\n疑似辍学{dropout.suspected}人。")
            .expect("a template");
        let doc = render(
            &template,
            &FigureSet::new(2021, &year, ["控辍保学"]),
            Some(&FigureSet::new(2020, &before, ["控辍保学"])),
            "溆浦县教育局",
            chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("a date"),
        );
        // Dropout is unrecorded: no chart of it, and no invented zeros.
        assert_eq!(doc.charts.len(), 2, "{:?}", doc.charts);
        let bytes = write_docx(&doc).expect("written");
        let document = part(&bytes, "word/document.xml");
        // Each chart follows the paragraph discussing its figures.
        let classes = document.find("664个").expect("the class figure");
        let chart1 = document
            .find("r:id=\"rIdChart1\"")
            .expect("chart 1 in the text");
        let hazards = document.find("1520个").expect("the hazard figure");
        let chart2 = document
            .find("r:id=\"rIdChart2\"")
            .expect("chart 2 in the text");
        assert!(classes < chart1 && chart1 < hazards && hazards < chart2);
        assert!(
            part(&bytes, "word/_rels/document.xml.rels").contains("Target=\"charts/chart2.xml\"")
        );
        let types = part(&bytes, "[Content_Types].xml");
        assert!(types.contains("/word/charts/chart1.xml"));
        assert!(types.contains("Extension=\"xlsx\""));
        let classes = part(&bytes, "word/charts/chart1.xml");
        assert!(classes.contains("2021年大班额化解情况（春季、秋季学期）"));
        assert!(classes.contains("<c:v>义务教育超大班额</c:v>"));
        assert!(classes.contains("<c:v>春季学期</c:v>") && classes.contains("<c:v>秋季学期</c:v>"));
        for value in ["664", "12", "40", "301", "22"] {
            assert!(classes.contains(&format!("<c:v>{value}</c:v>")), "{value}");
        }
        let hazards = part(&bytes, "word/charts/chart2.xml");
        assert!(hazards.contains("<c:v>2020年</c:v>") && hazards.contains("<c:v>2021年</c:v>"));
        for value in ["1520", "1498", "7", "1304", "1290", "9"] {
            assert!(hazards.contains(&format!("<c:v>{value}</c:v>")), "{value}");
        }
        assert!(
            part(&bytes, "word/charts/_rels/chart2.xml.rels").contains("../embeddings/chart2.xlsx")
        );
        // The embedded workbook reads back with the same data.
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip");
        let mut workbook = Vec::new();
        archive
            .by_name("word/embeddings/chart2.xlsx")
            .expect("the workbook")
            .read_to_end(&mut workbook)
            .expect("bytes");
        use calamine::Reader as _;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(workbook)).expect("an xlsx");
        let sheet = book.worksheet_range("Sheet1").expect("Sheet1");
        assert_eq!(
            sheet.get_value((3, 0)).map(|d| d.to_string()),
            Some("逾期未整改".to_string())
        );
        assert_eq!(
            sheet.get_value((1, 1)).map(|d| d.to_string()),
            Some("1304".to_string())
        );
        assert_eq!(
            sheet.get_value((0, 2)).map(|d| d.to_string()),
            Some("2021年".to_string())
        );
    }
}
