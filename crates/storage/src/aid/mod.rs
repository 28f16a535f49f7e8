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

pub use self::{batches::*, checks::*, hardship::*, policies::*, proposals::*};
