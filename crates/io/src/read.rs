use calamine::{open_workbook_auto, Data, Reader};
use emis_domain::text::{fold_width, header_key};
use std::path::Path;

/// A column the caller wants: its template name and accepted aliases.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Column {
    pub const fn required(name: &'static str) -> Column {
        Column {
            name,
            aliases: &[],
            required: true,
        }
    }
    pub const fn optional(name: &'static str) -> Column {
        Column {
            name,
            aliases: &[],
            required: false,
        }
    }
    pub const fn with_aliases(self, aliases: &'static [&'static str]) -> Column {
        Column { aliases, ..self }
    }
    fn matches(&self, key: &str) -> bool {
        self.name == key || self.aliases.contains(&key)
    }
}

pub type ColumnSpec = [Column];

/// One data row: its number as the sheet shows it (1-based), and one text cell per
/// requested column in the spec's order (empty when absent or blank).
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub number: u32,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Whether each requested column was found in the header.
    pub present: Vec<bool>,
    pub header_row: u32,
    pub rows: Vec<TableRow>,
    /// Problems seen while reading a cell (row, column name, reason), such as an ID
    /// number stored as a number that Excel has already rounded.
    pub cell_issues: Vec<(u32, &'static str, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("无法读取文件 {path}：{reason}")]
    Open { path: String, reason: String },
    #[error("不支持的文件类型“{0}”：请使用 .xlsx 或 .csv")]
    Format(String),
    #[error("文件中没有工作表")]
    NoSheet,
    #[error("找不到表头：前{scanned}行中没有一行同时包含必填列 {required}；最接近的第{best_row}行缺少 {missing}")]
    NoHeader {
        scanned: usize,
        required: String,
        best_row: u32,
        missing: String,
    },
}

/// How many rows from the top may hold titles before the header.
const HEADER_SCAN_ROWS: usize = 30;

/// Reads the first sheet of an .xlsx/.xls/.ods or a .csv file into the requested columns.
pub fn read_table(path: &Path, spec: &ColumnSpec) -> Result<Table, SheetError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let open_err = |reason: String| SheetError::Open {
        path: path.display().to_string(),
        reason,
    };
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| open_err(e.to_string()))?;
            read_csv(&bytes, spec)
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            let mut workbook = open_workbook_auto(path).map_err(|e| open_err(e.to_string()))?;
            let range = workbook
                .worksheet_range_at(0)
                .ok_or(SheetError::NoSheet)?
                .map_err(|e| open_err(e.to_string()))?;
            let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
            let rows = range
                .rows()
                .enumerate()
                .map(|(i, cells)| (first_row + i as u32 + 1, cells));
            build_table(rows, spec, cell_text)
        }
        other => Err(SheetError::Format(other.to_string())),
    }
}

/// Decodes CSV bytes: UTF-8 (BOM or not) when valid, otherwise GB18030 (a superset of GBK).
fn decode_csv(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8], spec: &ColumnSpec) -> Result<Table, SheetError> {
    let text = decode_csv(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Open {
            path: "CSV".into(),
            reason: e.to_string(),
        })?;
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        records.push((line, record));
    }
    let rows = records
        .iter()
        .map(|(line, r)| (*line, r.iter().collect::<Vec<&str>>()));
    build_table(rows, spec, |cell: &&str| (fold_width(cell), None))
}

/// Text of one Excel cell, and a problem with it if the value cannot be trusted.
fn cell_text(cell: &Data) -> (String, Option<String>) {
    match cell {
        Data::Empty => (String::new(), None),
        Data::String(s) => (fold_width(s), None),
        Data::Int(i) => (i.to_string(), None),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (format!("{}", *f as i64), None),
        Data::Float(f) if f.abs() >= 1e15 => (
            format!("{f}"),
            Some(
                "单元格是数值格式，超过15位的号码已被Excel截断：请把该列设为文本格式后重新填写"
                    .to_string(),
            ),
        ),
        Data::Float(f) => (f.to_string(), None),
        Data::Bool(b) => ((if *b { "是" } else { "否" }).to_string(), None),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => (d.date().to_string(), None),
            None => (
                dt.as_f64().to_string(),
                Some("日期单元格无法识别".to_string()),
            ),
        },
        Data::DateTimeIso(s) => (s.chars().take(10).collect(), None),
        Data::DurationIso(s) => (s.clone(), None),
        Data::Error(e) => (String::new(), Some(format!("单元格含错误值 {e}"))),
    }
}

fn build_table<'a, C: 'a, R, I, F>(rows: I, spec: &ColumnSpec, text: F) -> Result<Table, SheetError>
where
    R: AsRef<[C]>,
    I: Iterator<Item = (u32, R)>,
    F: Fn(&C) -> (String, Option<String>),
{
    let mut rows = rows.peekable();
    let mut scanned: Vec<(u32, Vec<String>)> = Vec::new();
    let mut header: Option<(u32, Vec<Option<usize>>)> = None;
    while scanned.len() < HEADER_SCAN_ROWS {
        let Some((number, cells)) = rows.next() else {
            break;
        };
        let keys: Vec<String> = cells
            .as_ref()
            .iter()
            .map(|c| header_key(&text(c).0))
            .collect();
        let positions: Vec<Option<usize>> = spec
            .iter()
            .map(|col| keys.iter().position(|k| col.matches(k)))
            .collect();
        if spec
            .iter()
            .zip(&positions)
            .all(|(col, pos)| !col.required || pos.is_some())
        {
            header = Some((number, positions));
            break;
        }
        scanned.push((number, keys));
    }
    let Some((header_row, positions)) = header else {
        let required: Vec<&str> = spec.iter().filter(|c| c.required).map(|c| c.name).collect();
        let missing_in = |keys: &Vec<String>| -> Vec<&str> {
            spec.iter()
                .filter(|c| c.required && !keys.iter().any(|k| c.matches(k)))
                .map(|c| c.name)
                .collect()
        };
        let (best_row, missing) = scanned
            .iter()
            .map(|(n, keys)| (*n, missing_in(keys)))
            .min_by_key(|(_, m)| m.len())
            .unwrap_or((1, required.clone()));
        return Err(SheetError::NoHeader {
            scanned: HEADER_SCAN_ROWS,
            required: required.join("、"),
            best_row,
            missing: missing.join("、"),
        });
    };

    let mut table = Table {
        present: positions.iter().map(Option::is_some).collect(),
        header_row,
        ..Table::default()
    };
    for (number, cells) in rows {
        let cells = cells.as_ref();
        let mut out = Vec::with_capacity(spec.len());
        let mut blank = true;
        for (col, pos) in spec.iter().zip(&positions) {
            let (value, issue) = match pos.and_then(|p| cells.get(p)) {
                Some(cell) => text(cell),
                None => (String::new(), None),
            };
            if let Some(reason) = issue {
                table.cell_issues.push((number, col.name, reason));
            }
            blank &= value.is_empty();
            out.push(value);
        }
        if !blank {
            table.rows.push(TableRow { number, cells: out });
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Column] = &[
        Column::required("姓名"),
        Column::required("身份证件号").with_aliases(&["身份证号"]),
        Column::optional("民族"),
    ];

    #[test]
    fn finds_header_below_titles_in_any_order() {
        let csv = "溆浦县学生名单,,\n制表日期：2021年9月,,\n身份证号,备注,＊姓 名\n11010519491231002x,无,张三\n,,\n43122420150901001X,,李四\n";
        let table = read_csv(csv.as_bytes(), SPEC).expect("header found");
        assert_eq!(table.header_row, 3);
        assert_eq!(table.present, vec![true, true, false]);
        assert_eq!(table.rows.len(), 2, "blank rows are skipped");
        assert_eq!(
            table.rows[0],
            TableRow {
                number: 4,
                cells: vec!["张三".into(), "11010519491231002x".into(), String::new()]
            }
        );
        assert_eq!(table.rows[1].number, 6);
    }

    #[test]
    fn reads_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证件号\n王五,110105194912310028\n");
        let table = read_csv(&gbk, SPEC).expect("gbk read");
        assert_eq!(table.rows[0].cells[0], "王五");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("姓名,身份证件号\n赵六,1\n".as_bytes());
        assert_eq!(
            read_csv(&bom, SPEC).expect("bom read").rows[0].cells[0],
            "赵六"
        );
    }

    #[test]
    fn missing_required_column_is_named() {
        let err = read_csv("姓名,民族\n张三,汉族\n".as_bytes(), SPEC).expect_err("no id column");
        let message = err.to_string();
        assert!(
            message.contains("身份证件号") && message.contains("第1行"),
            "{message}"
        );
    }

    #[test]
    fn rounded_excel_numbers_are_flagged() {
        let (text, issue) = cell_text(&Data::Float(4.31224201509011e17));
        assert!(!text.is_empty());
        assert!(issue.expect("flagged").contains("文本格式"));
        assert_eq!(cell_text(&Data::Float(2014.0)).0, "2014");
    }
}
