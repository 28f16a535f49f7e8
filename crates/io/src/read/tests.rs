//! Tests of the reader: header search, encodings, missing columns, rounded numbers.

use super::*;

const SPEC: &[Column] = &[
    Column::required("姓名"),
    Column::required("身份证件号").with_aliases(&["身份证号"]),
    Column::optional("民族"),
];

#[test]
fn finds_header_below_titles_in_any_order() {
    let csv = "溆浦县学生名单,,\n制表日期：2021年9月,,\n身份证号,备注,＊姓 名\n11010519491231002x,无,张三\n,,\n43122420150901001X,,李四\n";
    let table = read_csv(csv.as_bytes(), SPEC, &Limits::default()).expect("header found");
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
    let table = read_csv(&gbk, SPEC, &Limits::default()).expect("gbk read");
    assert_eq!(table.rows[0].cells[0], "王五");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice("姓名,身份证件号\n赵六,1\n".as_bytes());
    assert_eq!(
        read_csv(&bom, SPEC, &Limits::default())
            .expect("bom read")
            .rows[0]
            .cells[0],
        "赵六"
    );
}

#[test]
fn missing_required_column_is_named() {
    let err = read_csv(
        "姓名,民族\n张三,汉族\n".as_bytes(),
        SPEC,
        &Limits::default(),
    )
    .expect_err("no id column");
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
