//! Any bytes as an .xlsx upload: refused or read, never a panic, an abort or an
//! allocation by what the file claims.
#![no_main]
use emis_io::{read_table_bytes, Column, Limits, SheetKind};
use libfuzzer_sys::fuzz_target;

const SPEC: &[Column] = &[
    Column::required("姓名"),
    Column::required("身份证件号").with_aliases(&["身份证号"]),
    Column::optional("民族"),
];

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        unzipped_bytes: 16 * 1024 * 1024,
        ..Limits::default()
    };
    if let Ok(table) = read_table_bytes(data, SheetKind::Xlsx, SPEC, &limits) {
        assert!(table.rows.len() <= limits.data_rows as usize);
        for row in &table.rows {
            assert_eq!(row.cells.len(), SPEC.len());
            assert!(row.cells.iter().all(|c| c.chars().count() <= limits.cell_chars));
        }
    }
});
