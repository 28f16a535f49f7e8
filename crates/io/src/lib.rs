//! Sheets in and out: .xlsx (first sheet) and .csv (UTF-8 with or without BOM, or GBK as
//! Chinese Excel writes it). Reading finds the header row by its column names below any
//! title rows; writing produces the import templates back, every cell as text so that ID
//! numbers keep all 18 digits.
#![forbid(unsafe_code)]

mod read;
mod write;

pub use read::{read_table, Column, ColumnSpec, SheetError, Table, TableRow};
pub use write::{write_sheet, SheetFormat, WriteError};
