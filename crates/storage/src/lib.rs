//! Storage: one code path over SQLite (the embedded default) and PostgreSQL, through
//! sqlx's runtime-chosen driver. Queries use only types both engines share (integers,
//! text), so dates are ISO-8601 text and money is integer fen.
#![forbid(unsafe_code)]

pub mod aid;
pub mod audit;
pub mod citus;
pub mod copy;
mod db;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
pub mod enrollment;
pub mod forms;
pub mod honours;
pub mod incidents;
pub mod indicators;
pub mod lists;
mod migrate;
pub mod party;
pub mod projects;
pub mod region;
pub mod registry;
pub mod roll;
pub mod safety;
pub mod school_names;
mod sql;
pub use sql::Packed;
pub mod summary;
pub mod supervision;
pub mod teachers;
pub mod testing;
pub mod transfers;
pub mod users;
pub mod vocational;

pub use db::{commit, now_text, Backend, Db, Tx};
pub use migrate::MigrationError;

/// What went wrong in storage, as data: the words users read are the app's
/// (`emis_app::AppError`), so this type carries no user text.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database URL not understood: {0}")]
    BadUrl(String),
    #[error("no county {0} in the database")]
    NoCounty(String),
    #[error("username {0} is taken")]
    UsernameTaken(String),
    #[error("backup copies SQLite databases only")]
    BackupNeedsSqlite,
    #[error("not a counted table: {0}")]
    UnknownTable(String),
    #[error("not a term: {0}")]
    BadTerm(String),
    /// A stored JSON document that could not be written or read back.
    #[error("stored {what} unreadable: {detail}")]
    Document { what: &'static str, detail: String },
    #[error("migration failed: {0}")]
    Migration(#[from] MigrationError),
    /// A row a write found new was written by another writer since it was read.
    #[error("a row was written by another writer since it was read")]
    WrittenMeanwhile,
}

pub type Result<T> = std::result::Result<T, StorageError>;
