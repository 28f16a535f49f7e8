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

/// Writes a header row and text rows. xlsx cells are all text (so 18-digit numbers keep
/// their digits) and the sheet streams to disk; csv is UTF-8 with a BOM for Excel.
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
                    .write_record(&row)
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
                    .write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(|e| io_err(e.to_string()))?;
            }
            let mut n: u64 = 0;
            for row in rows {
                n += 1;
                for (c, value) in row.iter().enumerate() {
                    if !value.is_empty() {
                        sheet
                            .write_string_with_format(n as u32, c as u16, value, &text)
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
