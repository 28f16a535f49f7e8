use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    pub fn from_path(path: &Path) -> Option<SheetFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(SheetFormat::Xlsx),
            "csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("无法写入 {0}：{1}")]
    Io(String, String),
    #[error("不支持的导出格式：{0}（请使用 .xlsx 或 .csv）")]
    Format(String),
}

/// Excel's limit on the characters in one cell.
pub const EXCEL_CELL_CHARS: usize = 32_767;

/// A cell's text cut to Excel's limit, so that no stored value can make an export fail.
/// Imports and forms refuse such text; this is the last line of defence.
fn within_excel_limit(value: &str) -> std::borrow::Cow<'_, str> {
    if value.len() <= EXCEL_CELL_CHARS {
        return std::borrow::Cow::Borrowed(value);
    }
    match value.char_indices().nth(EXCEL_CELL_CHARS) {
        Some((cut, _)) => {
            tracing::warn!(
                chars = value.chars().count(),
                "export cell longer than Excel's limit, truncated"
            );
            std::borrow::Cow::Owned(value[..cut].to_string())
        }
        None => std::borrow::Cow::Borrowed(value),
    }
}

/// A CSV cell safe to open in a spreadsheet (OWASP "CSV injection"): text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel and WPS
/// show it as text instead of running it as a formula. A cell that is a plain number as a
/// whole (`-5`, `+86`, `-0.5`) is left alone.
pub fn csv_safe(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        value.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && value.parse::<f64>().map_or(true, |n| !n.is_finite()) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Writes a header row and text rows. xlsx cells are all text (so 18-digit numbers keep
/// their digits, and never formulas) and the sheet streams to disk; csv is UTF-8 with a
/// BOM for Excel, formula-like cells escaped by [`csv_safe`]. Cells longer than Excel's
/// 32,767 characters are cut there (and logged) rather than failing the export.
pub fn write_sheet<I>(
    path: &Path,
    sheet_name: &str,
    headers: &[&str],
    rows: I,
) -> Result<u64, WriteError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let io_err = |e: String| WriteError::Io(path.display().to_string(), e);
    match SheetFormat::from_path(path) {
        Some(SheetFormat::Csv) => {
            let file = std::fs::File::create(path).map_err(|e| io_err(e.to_string()))?;
            let mut out = std::io::BufWriter::new(file);
            out.write_all(&[0xEF, 0xBB, 0xBF])
                .map_err(|e| io_err(e.to_string()))?;
            let mut writer = csv::Writer::from_writer(out);
            writer
                .write_record(headers)
                .map_err(|e| io_err(e.to_string()))?;
            let mut n = 0;
            for row in rows {
                writer
                    .write_record(
                        row.iter()
                            .map(|v| csv_safe(&within_excel_limit(v)).into_owned()),
                    )
                    .map_err(|e| io_err(e.to_string()))?;
                n += 1;
            }
            writer.flush().map_err(|e| io_err(e.to_string()))?;
            Ok(n)
        }
        Some(SheetFormat::Xlsx) => {
            let mut workbook = Workbook::new();
            let sheet = workbook
                .add_worksheet_with_constant_memory()
                .map_err(|e| io_err(e.to_string()))?;
            sheet
                .set_name(sheet_name)
                .map_err(|e| io_err(e.to_string()))?;
            let bold = Format::new().set_bold().set_background_color("#DDEBF7");
            let text = Format::new().set_num_format("@");
            for (c, h) in headers.iter().enumerate() {
                let width = if h.contains("号") || h.contains("名称") {
                    22.0
                } else {
                    12.0
                };
                sheet
                    .set_column_width(c as u16, width)
                    .map_err(|e| io_err(e.to_string()))?;
                sheet
                    .write_string_with_format(0, c as u16, within_excel_limit(h), &bold)
                    .map_err(|e| io_err(e.to_string()))?;
            }
            let mut n: u64 = 0;
            for row in rows {
                n += 1;
                for (c, value) in row.iter().enumerate() {
                    if !value.is_empty() {
                        sheet
                            .write_string_with_format(
                                n as u32,
                                c as u16,
                                within_excel_limit(value),
                                &text,
                            )
                            .map_err(|e| io_err(e.to_string()))?;
                    }
                }
            }
            workbook.save(path).map_err(|e| io_err(e.to_string()))?;
            Ok(n)
        }
        None => Err(WriteError::Format(path.display().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_table, Column};

    #[test]
    fn written_sheets_read_back() {
        let dir = std::env::temp_dir().join(format!("emis-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let spec = [Column::required("姓名"), Column::required("身份证件号")];
        for name in ["t.xlsx", "t.csv"] {
            let path = dir.join(name);
            let rows = vec![vec!["张三".to_string(), "43122420150901001X".to_string()]];
            assert_eq!(
                write_sheet(&path, "学生", &["姓名", "身份证件号"], rows).expect("written"),
                1
            );
            let table = read_table(&path, &spec).expect("read back");
            assert_eq!(table.rows[0].cells, vec!["张三", "43122420150901001X"]);
            assert_eq!(table.rows[0].number, 2);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod safety_tests {
    use super::*;
    use std::io::Read;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("emis-io-w-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join(name)
    }

    #[test]
    fn csv_escapes_formulas_but_not_numbers() {
        assert_eq!(csv_safe("=cmd|'/c calc'!A1"), "'=cmd|'/c calc'!A1");
        assert_eq!(csv_safe("+1+1"), "'+1+1");
        assert_eq!(csv_safe("-2+3"), "'-2+3");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("\t=1"), "'\t=1");
        assert_eq!(csv_safe("\r=1"), "'\r=1");
        assert_eq!(csv_safe("-5"), "-5");
        assert_eq!(csv_safe("+86"), "+86");
        assert_eq!(csv_safe("-0.5"), "-0.5");
        assert_eq!(csv_safe("张三"), "张三");
        assert_eq!(csv_safe("43122420150901001X"), "43122420150901001X");

        let path = temp("f.csv");
        write_sheet(
            &path,
            "t",
            &["姓名", "备注"],
            vec![vec![
                "=HYPERLINK(\"http://x\")".to_string(),
                "-5".to_string(),
            ]],
        )
        .expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",-5"),
            "{text}"
        );
    }

    #[test]
    fn xlsx_cells_are_strings_never_formulas() {
        let path = temp("f.xlsx");
        write_sheet(
            &path,
            "t",
            &["姓名"],
            vec![vec!["=1+1".to_string()], vec!["@A1".to_string()]],
        )
        .expect("written");
        let file = std::fs::File::open(&path).expect("open");
        let mut zip = zip::ZipArchive::new(file).expect("zip");
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .expect("sheet")
            .read_to_string(&mut xml)
            .expect("xml");
        assert!(!xml.contains("<f>"), "{xml}");
        assert!(xml.contains("=1+1"), "{xml}");
        let table = crate::read_table(&path, &[crate::Column::required("姓名")]).expect("reads");
        assert_eq!(table.rows[0].cells[0], "=1+1");
    }

    #[test]
    fn long_strings_are_cut_not_failing_the_export() {
        let long = "长".repeat(100_000);
        for name in ["long.xlsx", "long.csv"] {
            let path = temp(name);
            let n = write_sheet(
                &path,
                "t",
                &["姓名", "说明"],
                vec![vec![long.clone(), "x".into()]],
            )
            .expect("export succeeds");
            assert_eq!(n, 1);
            let table =
                crate::read_table(&path, &[crate::Column::required("姓名")]).expect("reads");
            assert_eq!(table.rows[0].cells[0].chars().count(), EXCEL_CELL_CHARS);
        }
    }
}
