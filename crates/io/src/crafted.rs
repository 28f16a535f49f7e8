//! Hand-built workbooks for tests, benches and fuzz seeds: a minimal valid .xlsx around a
//! given sheet XML, the one-cell-at-XFD1048576 workbook, and a deflate bomb. Not used by
//! the program itself.
use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A workbook whose one sheet holds `rows` (the XML inside `<sheetData>`), the sheet part
/// written by `body` so that it can be streamed into the compressor.
pub fn xlsx_streamed(body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ];
    let result = (|| -> zip::result::ZipResult<Vec<u8>> {
        for (name, text) in parts {
            zip.start_file(name, options)?;
            zip.write_all(text.as_bytes())?;
        }
        zip.start_file("xl/worksheets/sheet1.xml", options)?;
        zip.write_all(SHEET_HEAD.as_bytes())?;
        body(&mut zip)?;
        zip.write_all(SHEET_TAIL.as_bytes())?;
        Ok(zip.finish()?.into_inner())
    })();
    result.unwrap_or_default()
}

/// A workbook around the given `<sheetData>` content.
pub fn xlsx_with_rows(rows: &str) -> Vec<u8> {
    xlsx_streamed(|w| w.write_all(rows.as_bytes()))
}

/// Inline-string cell XML.
pub fn cell(reference: &str, text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{escaped}</t></is></c>"#)
}

/// The ~1 KB workbook with a header row and one cell at XFD1048576, which made the old
/// reader allocate a dense 17-billion-cell range.
pub fn xfd_bomb() -> Vec<u8> {
    xlsx_with_rows(&format!(
        r#"<row r="1">{}{}</row><row r="1048576">{}</row>"#,
        cell("A1", "姓名"),
        cell("B1", "身份证件号"),
        cell("XFD1048576", "x")
    ))
}

/// A deflate bomb: a header row, then the same row repeated until the sheet XML is about
/// `unzipped` bytes (deflate packs ~1,000:1, so 700 MB compresses to ~700 KB).
pub fn deflate_bomb(unzipped: u64) -> Vec<u8> {
    xlsx_streamed(|w| {
        w.write_all(
            format!(
                r#"<row r="1">{}{}</row>"#,
                cell("A1", "姓名"),
                cell("B1", "身份证件号")
            )
            .as_bytes(),
        )?;
        let row =
            format!("<row>{}{}</row>", cell("", "张三"), cell("", "1")).replace(r#" r="""#, "");
        let chunk = row.repeat(8192);
        let mut written = 0u64;
        while written < unzipped {
            w.write_all(chunk.as_bytes())?;
            written += chunk.len() as u64;
        }
        Ok(())
    })
}

/// The total decompressed size of a zip's parts, as its headers state it.
pub fn unzipped_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total += archive.by_index_raw(i).ok()?.size();
    }
    Some(total)
}

/// The same archive with the sheet part's declared uncompressed size set to 100 bytes in
/// both its local and central headers: the reader must count real bytes, not trust these.
pub fn lie_about_sizes(bytes: &[u8]) -> Vec<u8> {
    let mut lying = bytes.to_vec();
    let sheet = b"xl/worksheets/sheet1.xml";
    for (sig, size_at, name_at) in [(&b"PK\x03\x04"[..], 22, 30), (&b"PK\x01\x02"[..], 24, 46)] {
        let mut i = 0;
        while let Some(p) = lying[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            if lying.get(at + name_at..at + name_at + sheet.len()) == Some(&sheet[..]) {
                lying[at + size_at..at + size_at + 4].copy_from_slice(&100u32.to_le_bytes());
            }
            i = at + 4;
        }
    }
    lying
}
