//! Storage: one code path over SQLite (the embedded default) and PostgreSQL, through
//! sqlx's runtime-chosen driver. Queries use only types both engines share (integers,
//! text), so dates are ISO-8601 text and money is integer fen.
#![forbid(unsafe_code)]

pub mod aid;
pub mod audit;
mod db;
pub mod dropout;
pub mod enrollment;
pub mod indicators;
pub mod lists;
mod migrate;
pub mod registry;
pub mod safety;
mod sql;
pub mod testing;
pub mod transfers;
pub mod users;

pub use db::{commit, now_text, Backend, Db, Tx};
pub use migrate::MigrationError;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("数据库错误：{0}")]
    Sql(#[from] sqlx::Error),
    #[error("数据库地址无法识别：{0}（应为 sqlite://文件路径、文件路径或 postgres://…）")]
    BadUrl(String),
    #[error("数据库中没有县 {0}：请先运行 emis init")]
    NoCounty(String),
    #[error("{0}")]
    Conflict(String),
    #[error("数据库结构迁移失败：{0}")]
    Migration(#[from] MigrationError),
}

pub type Result<T> = std::result::Result<T, StorageError>;
