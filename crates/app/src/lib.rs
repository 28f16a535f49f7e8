//! Application services: what the CLI and the web call. Each service checks its input
//! with the domain rules, reads and writes through storage in one transaction, and
//! writes the audit log in that same transaction.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod aid;
pub mod attachments;
pub mod auth;
pub mod clock;
pub mod demo;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
pub mod enrollment;
pub mod exports;
mod fields;
pub mod forms;
pub mod home;
pub mod honours;
pub mod imports;
pub mod incidents;
pub mod masked;
pub mod moving;
pub mod party;
pub mod projects;
pub mod region;
pub mod registry;
pub mod report;
pub mod safety;
pub mod summary;
pub mod supervision;
pub mod teachers;
pub mod timing;
pub mod uploads;
pub mod vocational;

pub use clock::Clock;
pub use emis_storage::audit::Actor;
pub use emis_storage::Db;

use emis_domain::access::{Permission, Role};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", storage_message(.0))]
    Storage(#[from] emis_storage::StorageError),
    #[error(transparent)]
    Sheet(#[from] emis_io::SheetError),
    #[error(transparent)]
    Write(#[from] emis_io::WriteError),
    /// The input was refused as a whole; the message says why (exit status 1).
    #[error("{0}")]
    Refused(String),
    /// One field of the input was refused: a form shows the message next to that field,
    /// the API and the command line name the field (exit status 1).
    #[error("{field}：{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// A form's answers refused field by field (数据采集): each refusal names its field
    /// code, so the page shows it beside that field (exit status 1).
    #[error("{}", answers_message(.0))]
    Answers(Vec<emis_domain::forms::Refusal>),
    /// The command was used wrongly (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// A login refused: wrong name or password, or too many failures.
    #[error(transparent)]
    Login(#[from] auth::LoginError),
    /// Not there, or outside the account's scope: the same answer for both.
    #[error("未找到该记录")]
    NotFound,
    /// The role may see this but not change it.
    #[error("当前角色无权进行此操作")]
    Forbidden,
    /// Someone else changed the same data meanwhile; trying again reads their change.
    #[error("{0}")]
    Conflict(String),
}

pub type Result<T> = std::result::Result<T, AppError>;

fn answers_message(refusals: &[emis_domain::forms::Refusal]) -> String {
    let reasons: Vec<&str> = refusals.iter().map(|r| r.reason.as_str()).collect();
    reasons.join("；")
}

/// What a storage failure says to the user, in Chinese (storage itself carries no user text).
fn storage_message(e: &emis_storage::StorageError) -> String {
    use emis_storage::StorageError as S;
    match e {
        S::Sql(e) => format!("数据库错误：{e}"),
        S::BadUrl(url) => {
            format!("数据库地址无法识别：{url}（应为 sqlite://文件路径、文件路径或 postgres://…）")
        }
        S::NoCounty(code) if code.is_empty() => "数据库中还没有县：请先运行 emis init".into(),
        S::NoCounty(code) => format!("数据库中没有县 {code}：请先运行 emis init"),
        S::UsernameTaken(name) => format!("账号 {name} 已存在"),
        S::BackupNeedsSqlite => "备份命令仅用于 SQLite；PostgreSQL 请使用 pg_dump".into(),
        S::UnknownTable(table) => format!("未知的表 {table}"),
        S::BadTerm(term) => format!("学期“{term}”无法识别"),
        S::Document { what, detail } => {
            let what = match *what {
                "aid policy" => "资助政策",
                other => other,
            };
            format!("数据库中保存的{what}无法读取：{detail}")
        }
        S::Migration(e) => format!("数据库结构迁移失败：{e}"),
        S::WrittenMeanwhile => "写入期间另一处（表单、转学或另一个导入）修改了同一批记录，本次未写入任何数据，请重新导入".into(),
    }
}

impl From<registry::FieldError> for AppError {
    fn from(e: registry::FieldError) -> Self {
        AppError::Invalid {
            field: e.field,
            message: e.reason,
        }
    }
}

impl AppError {
    /// The refused field, for a form that shows it next to the field; any other error as
    /// it is. The one place a page turns a refusal back into its form.
    pub fn field_error<T>(
        result: Result<T>,
    ) -> Result<std::result::Result<T, registry::FieldError>> {
        match result {
            Ok(value) => Ok(Ok(value)),
            Err(AppError::Invalid { field, message }) => Ok(Err(registry::FieldError {
                field,
                reason: message,
            })),
            Err(e) => Err(e),
        }
    }
}

/// The single authority on role-level permission: `Forbidden` unless the role holds it.
/// Who holds what is decided in [`Role::permits`]; record-level scope is each service's.
pub fn require(role: Role, permission: Permission) -> Result<()> {
    if role.permits(permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Progress of a long task, shown as a bar in a terminal.
pub trait Progress: Sync {
    fn stage(&self, name: &str, total: u64);
    fn advance(&self, by: u64);
}

/// For callers that show nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _by: u64) {}
}
