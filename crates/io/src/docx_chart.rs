//! The summary's charts in the .docx: native DrawingML column charts (`word/charts/chartN.xml`)
//! whose categories and values are cached in the part, so Word, WPS and LibreOffice draw
//! them with their own Chinese fonts, and whose data is also embedded as a small workbook
//! (`word/embeddings/chartN.xlsx`) so that 编辑数据 works in Word and WPS. No image is
//! rasterised here: no font has to be shipped for the Chinese labels.

use emis_domain::summary::{series_colour, value_text, Chart};
use emis_domain::text::escape_markup as escape;
use std::fmt::Write as _;

/// 15 cm × 8.5 cm, within the 公文 text width (15.6 cm).
const WIDTH_EMU: u32 = 5_400_000;
const HEIGHT_EMU: u32 = 3_060_000;
const FONT: &str = "宋体";

/// The run holding chart `n` (1-based) as an inline drawing.
pub fn inline(out: &mut String, n: usize, title: &str) {
    let _ = write!(
        out,
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{WIDTH_EMU}\" cy=\"{HEIGHT_EMU}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{n}\" name=\"图表 {n}\" descr=\"{}\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart r:id=\"rIdChart{n}\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
        escape(title)
    );
}

/// The chart part's relationships: its embedded workbook.
pub fn chart_rels(n: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/package\" Target=\"../embeddings/chart{n}.xlsx\"/></Relationships>"
    )
}

/// The column letter of series `j` in the embedded sheet (categories are column A).
fn column(j: usize) -> char {
    char::from(b'B' + (j as u8).min(24))
}

/// Text properties: the chart's labels in 宋体 (Latin and East Asian), `size` in 1/100 pt.
fn text_props(size: u32) -> String {
    format!(
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size}\" b=\"0\"><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"{FONT}\"/><a:cs typeface=\"{FONT}\"/></a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
    )
}

/// `word/charts/chartN.xml`: a clustered column chart with its data cached.
pub fn chart_xml(chart: &Chart) -> String {
    let rows = chart.categories.len();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><c:date1904 val=\"0\"/><c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart>",
    );
    let _ = write!(
        out,
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"><a:latin typeface=\"黑体\"/><a:ea typeface=\"黑体\"/></a:defRPr></a:pPr><a:r><a:rPr lang=\"zh-CN\" sz=\"1200\" b=\"1\"><a:latin typeface=\"黑体\"/><a:ea typeface=\"黑体\"/></a:rPr><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/><c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>",
        escape(&chart.title)
    );
    let categories = {
        let mut c = format!(
            "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${}</c:f><c:strCache><c:ptCount val=\"{rows}\"/>",
            rows + 1
        );
        for (i, name) in chart.categories.iter().enumerate() {
            let _ = write!(c, "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", escape(name));
        }
        c.push_str("</c:strCache></c:strRef></c:cat>");
        c
    };
    for (j, series) in chart.series.iter().enumerate() {
        let col = column(j);
        let colour = series_colour(chart, j);
        let _ = write!(
            out,
            "<c:ser><c:idx val=\"{j}\"/><c:order val=\"{j}\"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/><c:dLbls>{}<c:dLblPos val=\"outEnd\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>{categories}",
            escape(&series.name),
            text_props(900)
        );
        let _ = write!(
            out,
            "<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"{rows}\"/>",
            rows + 1
        );
        // A figure the records do not give is no point at all (a gap), never a zero.
        for (i, value) in series.values.iter().enumerate() {
            if let Some(v) = value {
                let _ = write!(
                    out,
                    "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>",
                    value_text(*v)
                );
            }
        }
        out.push_str("</c:numCache></c:numRef></c:val></c:ser>");
    }
    let _ = write!(
        out,
        "<c:gapWidth val=\"80\"/><c:overlap val=\"-10\"/><c:axId val=\"5001\"/><c:axId val=\"5002\"/></c:barChart><c:catAx><c:axId val=\"5001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>{}<c:crossAx val=\"5002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx><c:valAx><c:axId val=\"5002\"/><c:scaling><c:orientation val=\"minMax\"/><c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines><c:title><c:tx><c:rich><a:bodyPr rot=\"0\" vert=\"horz\"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\" b=\"0\"><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"{FONT}\"/></a:defRPr></a:pPr><a:r><a:rPr lang=\"zh-CN\" sz=\"900\" b=\"0\"><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"{FONT}\"/></a:rPr><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>{}<c:crossAx val=\"5001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx></c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>{}</c:legend><c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>{}<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData></c:chartSpace>",
        text_props(900),
        escape(&format!("单位：{}", chart.unit)),
        text_props(900),
        text_props(900),
        text_props(1000),
    );
    out
}

/// The chart's data as the embedded workbook: categories down column A, a column per
/// series, the series names in row 1 (the cells the chart part's formulas name).
pub fn chart_workbook(chart: &Chart) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1")?;
    for (i, name) in chart.categories.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, name)?;
    }
    for (j, series) in chart.series.iter().enumerate() {
        let col = j as u16 + 1;
        sheet.write_string(0, col, &series.name)?;
        for (i, value) in series.values.iter().enumerate() {
            if let Some(v) = value {
                sheet.write_number(i as u32 + 1, col, *v)?;
            }
        }
    }
    sheet.set_column_width(0, 18)?;
    book.save_to_buffer()
}
