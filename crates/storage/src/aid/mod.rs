//! 学生资助 storage: the policy catalog per year, proposals and their lines, batches,
//! payments and hardship evidence.
//!
//! The parts carry app's names: `policies`, `proposals`, `batches` (and payments), `checks`
//! (what eligibility reads), plus `hardship` (the certificates the hardship import keeps).

mod batches;
mod checks;
mod hardship;
mod policies;
mod proposals;

/// The filters, order and page of an aid list (proposals or batches), each filter in SQL.
#[derive(Clone, Debug, Default)]
pub struct AidListQuery {
    pub term: Option<String>,
    pub township: Option<String>,
    pub school: Option<String>,
    /// A status label of the listed kind.
    pub status: Option<String>,
    /// One of the list's sortable columns.
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    pub per_page: i64,
}

pub use self::{batches::*, checks::*, hardship::*, policies::*, proposals::*};
