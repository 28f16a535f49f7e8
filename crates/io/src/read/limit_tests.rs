//! Tests of the reader's limits: crafted workbooks, far-off cells, deflate bombs, the row,
//! cell and file caps, row numbers as Excel shows them, and refused formats.

use super::*;
use crate::crafted;
use std::time::{Duration, Instant};

const SPEC: &[Column] = &[Column::required("姓名"), Column::required("身份证件号")];

fn small() -> Limits {
    Limits {
        file_bytes: 1024 * 1024,
        unzipped_bytes: 1024 * 1024,
        data_rows: 100,
        columns: 8,
        cell_chars: 50,
        problems: 10,
    }
}

fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Table<'static>, SheetError> {
    read_table_bytes(bytes, SheetKind::Xlsx, SPEC, limits)
}

fn csv(text: &str, limits: &Limits) -> Result<Table<'static>, SheetError> {
    read_table_bytes(text.as_bytes(), SheetKind::Csv, SPEC, limits)
}

#[test]
fn crafted_workbook_reads_sparse_rows_with_sheet_numbers() {
    let rows = format!(
        r#"<row r="2">{}{}</row><row r="3">{}{}</row><row r="7">{}</row>"#,
        crafted::cell("A2", "姓名"),
        crafted::cell("C2", "身份证件号"),
        crafted::cell("A3", "张三"),
        crafted::cell("C3", "43122420150901001X"),
        crafted::cell("C7", "2"),
    );
    let table = xlsx(&crafted::xlsx_with_rows(&rows), &Limits::default()).expect("reads");
    assert_eq!(table.header_row, 2);
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[0].cells, vec!["张三", "43122420150901001X"]);
    assert_eq!(table.rows[1].number, 7);
    assert_eq!(table.rows[1].cells, vec!["", "2"]);
}

#[test]
fn cell_at_xfd1048576_is_refused_fast_naming_the_cell() {
    let bomb = crafted::xfd_bomb();
    assert!(bomb.len() < 5 * 1024, "{} bytes", bomb.len());
    let started = Instant::now();
    let err = xlsx(&bomb, &Limits::default()).expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "第1048576行第XFD列超出允许的范围：工作表最多300000行数据、256列"
    );
}

#[test]
fn column_beyond_the_cap_is_refused_but_blank_styled_cells_are_not() {
    let rows = format!(
        r#"<row r="1">{}{}<c r="Z1" s="1"/></row><row r="2">{}{}{}</row>"#,
        crafted::cell("A1", "姓名"),
        crafted::cell("B1", "身份证件号"),
        crafted::cell("A2", "张三"),
        crafted::cell("B2", "1"),
        crafted::cell("I2", "多余"),
    );
    let err = xlsx(&crafted::xlsx_with_rows(&rows), &small()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "第2行第I列超出允许的范围：工作表最多100行数据、8列"
    );
}

#[test]
fn deflate_bomb_is_refused_by_its_real_unzipped_size() {
    let bomb = crafted::deflate_bomb(8 * 1024 * 1024);
    assert!(bomb.len() < 64 * 1024, "{} bytes", bomb.len());
    let err = xlsx(&bomb, &small()).expect_err("refused");
    assert!(err.to_string().contains("解压后超过1MB"), "{err}");

    // Headers that lie about the size: the bytes are counted while inflating.
    let lying = crafted::lie_about_sizes(&bomb);
    assert_ne!(lying, bomb);
    match xlsx(&lying, &small()) {
        Err(SheetError::Unzipped { .. }) | Err(SheetError::NotWorkbook { .. }) => {}
        other => panic!("lying bomb not refused: {other:?}"),
    }
}

#[test]
fn too_many_rows_are_refused_while_streaming() {
    let mut rows = format!(
        r#"<row r="1">{}{}</row>"#,
        crafted::cell("A1", "姓名"),
        crafted::cell("B1", "身份证件号")
    );
    for r in 2..=102 {
        rows.push_str(&format!(
            r#"<row r="{r}">{}{}</row>"#,
            crafted::cell(&format!("A{r}"), "张三"),
            crafted::cell(&format!("B{r}"), "1")
        ));
    }
    let err = xlsx(&crafted::xlsx_with_rows(&rows), &small()).expect_err("refused");
    assert!(
        matches!(err, SheetError::TooManyRows { limit: 100 }),
        "{err}"
    );
    let mut text = String::from("姓名,身份证件号\n");
    for _ in 0..101 {
        text.push_str("张三,1\n");
    }
    let err = csv(&text, &small()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "数据超过100行：一个工作表最多100行数据，请分成多个文件导入"
    );
    let far = format!("姓名,身份证件号\n{}张三,1\n", "\n".repeat(200));
    let err = csv(&far, &small()).expect_err("refused");
    assert!(
        err.to_string().starts_with("第202行第A列超出允许的范围"),
        "{err}"
    );
}

#[test]
fn long_cells_are_refused_with_row_and_column() {
    let long = "长".repeat(51);
    let err = csv(&format!("标题\n姓名,身份证件号\n{long},1\n"), &small()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "第3行第A列的内容有51个字符，超过单元格允许的50个字符"
    );
    let rows = format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}</row>"#,
        crafted::cell("A1", "姓名"),
        crafted::cell("B1", "身份证件号"),
        crafted::cell("A2", "张三"),
        crafted::cell("B2", &long),
    );
    let err = xlsx(&crafted::xlsx_with_rows(&rows), &small()).expect_err("refused");
    assert!(
        err.to_string().starts_with("第2行第B列的内容有51个字符"),
        "{err}"
    );
    // Exactly at the limit is fine.
    let ok = csv(
        &format!("姓名,身份证件号\n{},1\n", "长".repeat(50)),
        &small(),
    );
    assert!(ok.is_ok());
}

#[test]
fn csv_rows_are_numbered_as_excel_shows_them() {
    // Title row, header, data: the bad row is on line 5.
    for text in [
        "学生名单\n姓名,身份证件号\n张三,1\n李四,2\n王五,bad\n",
        "学生名单\r\n姓名,身份证件号\r\n张三,1\r\n李四,2\r\n王五,bad\r\n",
        "\u{feff}学生名单,,\r\n姓名,身份证件号\r\n张三,1\r\n李四,2\r\n王五,bad\r\n",
        "学生名单\n\n姓名,身份证件号\n张三,1\n王五,bad\n",
        "\"学生名单\n2021\"\n姓名,身份证件号\n张三,1\n李四,2\n王五,bad\n",
    ] {
        let table = csv(text, &Limits::default()).expect("reads");
        let bad = table
            .rows
            .iter()
            .find(|r| r.cells[1] == "bad")
            .expect("row");
        assert_eq!(bad.number, 5, "{text:?}");
        assert_eq!(
            table.header_row,
            if text.contains("\n\n") { 3 } else { 2 },
            "{text:?}"
        );
    }
}

#[test]
fn broken_and_old_formats_are_refused_in_chinese() {
    for bytes in [
        &b"not a zip at all"[..],
        &b"PK\x03\x04broken"[..],
        &[0xD0, 0xCF, 0x11, 0xE0, 0, 0][..],
    ] {
        let message = xlsx(bytes, &Limits::default())
            .expect_err("refused")
            .to_string();
        assert!(
            message.starts_with("文件不是有效的 .xlsx 工作簿"),
            "{message}"
        );
        let words = message
            .replace(".xlsx", "")
            .replace("Excel", "")
            .replace("WPS", "");
        assert!(!words.chars().any(|c| c.is_ascii_alphabetic()), "{message}");
    }
    // A zip that is not a workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .expect("file");
    std::io::Write::write_all(&mut zip, b"hello").expect("write");
    let bytes = zip.finish().expect("zip").into_inner();
    let message = xlsx(&bytes, &Limits::default())
        .expect_err("refused")
        .to_string();
    assert!(message.starts_with("工作簿无法读取（"), "{message}");
    let words = message
        .replace(".xlsx", "")
        .replace("Excel", "")
        .replace("WPS", "");
    assert!(!words.chars().any(|c| c.is_ascii_alphabetic()), "{message}");
    for ext in ["xls", "xlsb", "ods"] {
        let message = SheetKind::from_extension(ext)
            .expect_err("refused")
            .to_string();
        assert_eq!(
            message,
            format!("不支持 .{ext} 文件：请在Excel或WPS中另存为 .xlsx 后再导入")
        );
    }
}

#[test]
fn file_size_is_capped() {
    let limits = Limits {
        file_bytes: 10,
        ..small()
    };
    let err = csv("姓名,身份证件号\n张三,1\n", &limits).expect_err("refused");
    assert!(matches!(err, SheetError::FileTooLarge { .. }), "{err}");
}

#[test]
fn column_letters_match_excel() {
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(16383), "XFD");
}
