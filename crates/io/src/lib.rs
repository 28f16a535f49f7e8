//! Sheets in and out: .xlsx (first sheet) and .csv (UTF-8 with or without BOM, or GBK as
//! Chinese Excel writes it). Reading finds the header row by its column names below any
//! title rows; writing produces the import templates back, every cell as text so that ID
//! numbers keep all 18 digits.
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod crafted;
mod docx;
mod docx_chart;
mod read;
mod write;

pub use docx::write_docx;
pub use read::{
    column_letters, read_table, read_table_bytes, read_table_limited, Column, ColumnSpec, Limits,
    SheetError, SheetKind, Table, TableRow,
};
pub use write::{write_sheet, SheetFormat, WriteError};
