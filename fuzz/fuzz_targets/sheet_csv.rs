//! Any bytes as a .csv upload (UTF-8, BOM or GBK): refused or read, never a panic.
#![no_main]
use emis_io::{read_table_bytes, Column, Limits, SheetKind};
use libfuzzer_sys::fuzz_target;

const SPEC: &[Column] = &[
    Column::required("姓名"),
    Column::required("身份证件号").with_aliases(&["身份证号"]),
    Column::optional("民族"),
];

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(table) = read_table_bytes(data, SheetKind::Csv, SPEC, &limits) {
        let mut last = table.header_row;
        for row in &table.rows {
            assert!(row.number > last, "rows numbered in order");
            last = row.number;
            assert_eq!(row.cells.len(), SPEC.len());
            assert!(row.cells.iter().all(|c| c.chars().count() <= limits.cell_chars));
        }
    }
});
