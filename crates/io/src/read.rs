use calamine::{Data, DataRef, Reader};
use emis_domain::text::{fold_width, header_key};
use std::path::Path;

/// A column the caller wants: its template name and accepted aliases.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    pub name: &'a str,
    pub aliases: &'a [&'a str],
    pub required: bool,
}

impl<'a> Column<'a> {
    pub const fn required(name: &'a str) -> Column<'a> {
        Column {
            name,
            aliases: &[],
            required: true,
        }
    }
    pub const fn optional(name: &'a str) -> Column<'a> {
        Column {
            name,
            aliases: &[],
            required: false,
        }
    }
    pub const fn with_aliases(self, aliases: &'a [&'a str]) -> Column<'a> {
        Column { aliases, ..self }
    }
    /// Whether a header cell's key ([`header_key`]) names this column; the name is read
    /// the same way, so a name with full-width marks (a form's `在校生数（人）`) matches.
    fn matches(&self, key: &str) -> bool {
        self.name == key || self.aliases.contains(&key) || header_key(self.name) == key
    }
}

/// The columns asked for: the templates' are `'static`; a form's are its field labels.
pub type ColumnSpec<'a> = [Column<'a>];

/// One data row: its number as the sheet shows it (1-based), and one text cell per
/// requested column in the spec's order (empty when absent or blank).
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub number: u32,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Table<'a> {
    /// Whether each requested column was found in the header.
    pub present: Vec<bool>,
    pub header_row: u32,
    pub rows: Vec<TableRow>,
    /// Problems seen while reading a cell (row, column name, reason), such as an ID
    /// number stored as a number that Excel has already rounded.
    pub cell_issues: Vec<(u32, &'a str, String)>,
}

/// The bounds every sheet read is held to, so that no file can make the reader allocate
/// by what the file claims (a cell at XFD1048576, a zip bomb) rather than by what it holds.
/// The web and CLI show these figures; `Limits::default()` is what every import uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub file_bytes: u64,
    /// Largest total decompressed size of all parts of an .xlsx, in bytes.
    pub unzipped_bytes: u64,
    /// Most data rows (below the header) in one sheet.
    pub data_rows: u32,
    /// Most columns: a non-blank cell beyond this column is refused.
    pub columns: u32,
    /// Longest cell, in characters (Excel's own limit).
    pub cell_chars: usize,
    /// Most problems listed in one import report; the rest are counted.
    pub problems: usize,
}

impl Limits {
    /// 64 MB file, 256 MB unzipped, 300,000 data rows, 256 columns, 32,767 characters per
    /// cell, 1,000 problems listed.
    pub const DEFAULT: Limits = Limits {
        file_bytes: 64 * 1024 * 1024,
        unzipped_bytes: 256 * 1024 * 1024,
        data_rows: 300_000,
        columns: 256,
        cell_chars: 32_767,
        problems: 1_000,
    };

    /// The last sheet row a non-blank cell may be on: the data rows plus the rows above
    /// the header that may hold titles, and the header itself.
    fn last_sheet_row(&self) -> u64 {
        u64::from(self.data_rows) + HEADER_SCAN_ROWS as u64 + 1
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// The file types the reader accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetKind {
    Xlsx,
    Csv,
}

impl SheetKind {
    /// The kind for a file extension; `Err` names why others are refused.
    pub fn from_extension(ext: &str) -> Result<SheetKind, SheetError> {
        match ext.to_ascii_lowercase().as_str() {
            "csv" | "txt" => Ok(SheetKind::Csv),
            "xlsx" | "xlsm" => Ok(SheetKind::Xlsx),
            other @ ("xls" | "xlsb" | "ods" | "et") => Err(SheetError::SaveAsXlsx(other.into())),
            other => Err(SheetError::Format(other.to_string())),
        }
    }
}

fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0}MB")
    } else {
        format!("{mb:.1}MB")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("无法读取文件 {path}：{reason}")]
    Open { path: String, reason: String },
    #[error("不支持的文件类型“{0}”：请使用 .xlsx 或 .csv")]
    Format(String),
    #[error("不支持 .{0} 文件：请在Excel或WPS中另存为 .xlsx 后再导入")]
    SaveAsXlsx(String),
    #[error("文件不是有效的 .xlsx 工作簿（{reason}）：请在Excel或WPS中打开后另存为 .xlsx 再导入")]
    NotWorkbook { reason: &'static str },
    #[error("工作簿无法读取（{reason}）：请在Excel或WPS中打开后另存为 .xlsx 再导入")]
    Broken { reason: &'static str },
    #[error("文件有{}，超过允许的{}：请分成多个文件导入", mb(*size), mb(*limit))]
    FileTooLarge { size: u64, limit: u64 },
    #[error("工作簿解压后超过{}（可能含有大量空白格式或是恶意构造的文件），已拒绝：请只保留数据另存为新文件后再导入", mb(*limit))]
    Unzipped { limit: u64 },
    #[error("第{row}行第{column}列超出允许的范围：工作表最多{rows}行数据、{columns}列")]
    OutOfRange {
        row: u64,
        column: String,
        rows: u32,
        columns: u32,
    },
    #[error("数据超过{limit}行：一个工作表最多{limit}行数据，请分成多个文件导入")]
    TooManyRows { limit: u32 },
    #[error("第{row}行第{column}列的内容有{chars}个字符，超过单元格允许的{limit}个字符")]
    CellTooLong {
        row: u64,
        column: String,
        chars: usize,
        limit: usize,
    },
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

/// Most parts in one .xlsx archive (a workbook has a few dozen).
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Excel's column letters for a 0-based column index: 0 → A, 16383 → XFD.
pub fn column_letters(index: u64) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个文件夹".into(),
        _ => "读取失败".into(),
    }
}

/// Reads the first sheet of an .xlsx or a .csv file into the requested columns, within
/// the default [`Limits`].
pub fn read_table<'a>(path: &Path, spec: &ColumnSpec<'a>) -> Result<Table<'a>, SheetError> {
    read_table_limited(path, spec, &Limits::default())
}

/// The same within the given limits.
pub fn read_table_limited<'a>(
    path: &Path,
    spec: &ColumnSpec<'a>,
    limits: &Limits,
) -> Result<Table<'a>, SheetError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let kind = SheetKind::from_extension(ext)?;
    let open_err = |e: std::io::Error| SheetError::Open {
        path: path.display().to_string(),
        reason: io_reason(&e),
    };
    let size = std::fs::metadata(path).map_err(open_err)?.len();
    if size > limits.file_bytes {
        return Err(SheetError::FileTooLarge {
            size,
            limit: limits.file_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(open_err)?;
    read_table_bytes(&bytes, kind, spec, limits)
}

/// Reads a sheet from its bytes (an upload, a fuzz input) within the given limits.
pub fn read_table_bytes<'a>(
    bytes: &[u8],
    kind: SheetKind,
    spec: &ColumnSpec<'a>,
    limits: &Limits,
) -> Result<Table<'a>, SheetError> {
    if bytes.len() as u64 > limits.file_bytes {
        return Err(SheetError::FileTooLarge {
            size: bytes.len() as u64,
            limit: limits.file_bytes,
        });
    }
    match kind {
        SheetKind::Csv => read_csv(bytes, spec, limits),
        SheetKind::Xlsx => read_xlsx(bytes, spec, limits),
    }
}

/// Checks the archive before calamine opens it: a zip at all, few parts, and the parts'
/// real decompressed bytes (counted while inflating, whatever the headers claim) under
/// the cap.
fn scan_zip(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    use std::io::Read;
    let not_zip = |reason| SheetError::NotWorkbook { reason };
    if !bytes.starts_with(b"PK\x03\x04") {
        let reason = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "文件已加密，或是旧版Excel格式"
        } else {
            "不是压缩包格式"
        };
        return Err(not_zip(reason));
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| not_zip("压缩包已损坏"))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(not_zip("压缩包中的部件过多"));
    }
    let declared: u64 = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > limits.unzipped_bytes {
        return Err(SheetError::Unzipped {
            limit: limits.unzipped_bytes,
        });
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut part = archive
            .by_index(i)
            .map_err(|_| not_zip("压缩包已损坏或使用了不支持的压缩方式"))?;
        loop {
            let n = part
                .read(&mut buf)
                .map_err(|_| not_zip("压缩包内容已损坏"))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limits.unzipped_bytes {
                return Err(SheetError::Unzipped {
                    limit: limits.unzipped_bytes,
                });
            }
        }
    }
    Ok(())
}

/// A calamine error in words the user can act on (never calamine's English).
fn xlsx_reason(e: &calamine::XlsxError) -> &'static str {
    use calamine::XlsxError as E;
    match e {
        E::Password => "工作簿设有打开密码，请先取消密码",
        E::Zip(_) | E::Io(_) => "压缩包已损坏",
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) | E::UnexpectedNode(_) => "工作表内容格式错误",
        E::FileNotFound(_) | E::RelationshipNotFound | E::WorksheetNotFound(_) => "缺少工作表部件",
        E::NotAWorksheet(_) => "第一个工作表不是普通工作表（例如图表）",
        E::Vba(_) => "宏内容无法读取",
        _ => "工作簿结构无法识别",
    }
}

fn read_xlsx<'a>(
    bytes: &[u8],
    spec: &ColumnSpec<'a>,
    limits: &Limits,
) -> Result<Table<'a>, SheetError> {
    scan_zip(bytes, limits)?;
    let broken = |e: calamine::XlsxError| SheetError::Broken {
        reason: xlsx_reason(&e),
    };
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::NoSheet)?;
    let mut cells = workbook.worksheet_cells_reader(&first).map_err(broken)?;
    let last_row = limits.last_sheet_row();
    let mut pending: Option<(u32, Vec<CellText>)> = None;
    let mut done = false;
    let rows = std::iter::from_fn(|| -> Option<Result<RawRow, SheetError>> {
        loop {
            if done {
                return pending.take().map(|(n, c)| Ok((n, c)));
            }
            let cell = match cells.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => {
                    done = true;
                    continue;
                }
                Err(e) => {
                    done = true;
                    pending = None;
                    return Some(Err(broken(e)));
                }
            };
            let value = cell.get_value();
            if matches!(value, DataRef::Empty) {
                continue;
            }
            let (r, c) = cell.get_position();
            let row = u64::from(r) + 1;
            if row > last_row || u64::from(c) >= u64::from(limits.columns) {
                done = true;
                pending = None;
                return Some(Err(SheetError::OutOfRange {
                    row,
                    column: column_letters(u64::from(c)),
                    rows: limits.data_rows,
                    columns: limits.columns,
                }));
            }
            let text = match checked(data_ref_text(value), row, u64::from(c), limits) {
                Ok(text) => text,
                Err(e) => {
                    done = true;
                    pending = None;
                    return Some(Err(e));
                }
            };
            let number = r + 1;
            let finished = match &mut pending {
                Some((n, row_cells)) if *n == number => {
                    place(row_cells, c as usize, text);
                    None
                }
                _ => {
                    let mut row_cells = Vec::new();
                    place(&mut row_cells, c as usize, text);
                    pending.replace((number, row_cells))
                }
            };
            if let Some((n, c)) = finished {
                return Some(Ok((n, c)));
            }
        }
    });
    build_table(rows, spec, limits)
}

fn place(cells: &mut Vec<CellText>, column: usize, text: CellText) {
    if cells.len() <= column {
        cells.resize(column + 1, (String::new(), None));
    }
    cells[column] = text;
}

/// A cell's text and a problem with it, if any.
type CellText = (String, Option<String>);
/// A sheet row: its number as the sheet shows it (1-based) and its cells by column.
type RawRow = (u32, Vec<CellText>);

/// Refuses a cell longer than the limit, naming its place.
fn checked(text: CellText, row: u64, column: u64, limits: &Limits) -> Result<CellText, SheetError> {
    // A char is at most 4 bytes, so only long strings need counting.
    if text.0.len() > limits.cell_chars {
        let chars = text.0.chars().count();
        if chars > limits.cell_chars {
            return Err(SheetError::CellTooLong {
                row,
                column: column_letters(column),
                chars,
                limit: limits.cell_chars,
            });
        }
    }
    Ok(text)
}

/// The blank lines the csv reader skipped before the record starting near `start` (its
/// reported start may fall inside the previous record's line break, or before blank
/// lines). The run of line-break bytes around `start` holds the previous record's break
/// (unless `first`) and one break per blank line; "\r\n" counts once.
fn blank_lines_before(text: &[u8], start: usize, first: bool) -> usize {
    let is_break = |b: &u8| *b == b'\r' || *b == b'\n';
    let start = start.min(text.len());
    let from = text[..start]
        .iter()
        .rposition(|b| !is_break(b))
        .map_or(0, |p| p + 1);
    let to = text[start..]
        .iter()
        .position(|b| !is_break(b))
        .map_or(text.len(), |p| start + p);
    let run = &text[from..to];
    let breaks = run.iter().filter(|b| **b == b'\n').count()
        + run
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\r' && run.get(i + 1) != Some(&b'\n'))
            .count();
    if first {
        breaks
    } else {
        breaks.saturating_sub(1)
    }
}

/// Decodes CSV bytes: UTF-8 (BOM or not) when valid, otherwise GB18030 (a superset of GBK).
fn decode_csv(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    }
}

fn read_csv<'a>(
    bytes: &[u8],
    spec: &ColumnSpec<'a>,
    limits: &Limits,
) -> Result<Table<'a>, SheetError> {
    let text = decode_csv(bytes);
    let text = text.as_ref();
    // A first pass that allocates nothing per row: a file with far too many rows is
    // refused before any row is built (a million-row file in a fraction of a second).
    let mut counter = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut scratch = csv::ByteRecord::new();
    let mut filled: u64 = 0;
    while let Ok(true) = counter.read_byte_record(&mut scratch) {
        if scratch.iter().any(|f| !f.trim_ascii().is_empty()) {
            filled += 1;
            if filled > limits.last_sheet_row() {
                return Err(SheetError::TooManyRows {
                    limit: limits.data_rows,
                });
            }
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // Rows are numbered as Excel and WPS show the file: one row per record, blank lines
    // included (the csv reader skips them), a quoted line break staying in its row.
    let mut number: u64 = 0;
    let last_row = limits.last_sheet_row();
    let mut done = false;
    let rows = std::iter::from_fn(|| -> Option<Result<RawRow, SheetError>> {
        if done {
            return None;
        }
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(_) => {
                done = true;
                return Some(Err(SheetError::Broken {
                    reason: "CSV 文件格式错误",
                }));
            }
        }
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        number += 1 + blank_lines_before(text.as_bytes(), start, number == 0) as u64;
        let mut cells = Vec::with_capacity(record.len());
        for (c, cell) in record.iter().enumerate() {
            if cell.trim().is_empty() {
                cells.push((String::new(), None));
                continue;
            }
            if number > last_row || c as u64 >= u64::from(limits.columns) {
                done = true;
                return Some(Err(SheetError::OutOfRange {
                    row: number,
                    column: column_letters(c as u64),
                    rows: limits.data_rows,
                    columns: limits.columns,
                }));
            }
            match checked((fold_width(cell), None), number, c as u64, limits) {
                Ok(text) => cells.push(text),
                Err(e) => {
                    done = true;
                    return Some(Err(e));
                }
            }
        }
        Some(Ok((u32::try_from(number).unwrap_or(u32::MAX), cells)))
    });
    build_table(rows, spec, limits)
}

/// Text of one Excel cell, and a problem with it if the value cannot be trusted.
fn data_ref_text(cell: &DataRef<'_>) -> CellText {
    match cell {
        DataRef::SharedString(s) => (fold_width(s), None),
        DataRef::String(s) => (fold_width(s), None),
        other => cell_text(&Data::from(other.clone())),
    }
}

/// Text of one Excel cell, and a problem with it if the value cannot be trusted.
fn cell_text(cell: &Data) -> CellText {
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

fn build_table<'a, I>(
    rows: I,
    spec: &ColumnSpec<'a>,
    limits: &Limits,
) -> Result<Table<'a>, SheetError>
where
    I: Iterator<Item = Result<RawRow, SheetError>>,
{
    let mut rows = rows;
    let mut scanned: Vec<(u32, Vec<String>)> = Vec::new();
    let mut header: Option<(u32, Vec<Option<usize>>)> = None;
    while scanned.len() < HEADER_SCAN_ROWS {
        let Some(row) = rows.next() else {
            break;
        };
        let (number, cells) = row?;
        let keys: Vec<String> = cells.iter().map(|c| header_key(&c.0)).collect();
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
    for row in rows {
        let (number, mut cells) = row?;
        let mut out = Vec::with_capacity(spec.len());
        let mut blank = true;
        for (col, pos) in spec.iter().zip(&positions) {
            let (value, issue) = match pos.and_then(|p| cells.get_mut(p)) {
                Some(cell) => std::mem::take(cell),
                None => (String::new(), None),
            };
            if let Some(reason) = issue {
                if table.cell_issues.len() < limits.problems {
                    table.cell_issues.push((number, col.name, reason));
                }
            }
            blank &= value.is_empty();
            out.push(value);
        }
        if !blank {
            if table.rows.len() >= limits.data_rows as usize {
                return Err(SheetError::TooManyRows {
                    limit: limits.data_rows,
                });
            }
            table.rows.push(TableRow { number, cells: out });
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod limit_tests;
