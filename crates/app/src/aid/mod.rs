//! 学生资助 services: the policy catalog per year, eligibility and gap checks over the
//! stored rolls and payments, the proposal workflow (学校申报 → 乡镇审核 → 县资助中心审批,
//! sent back with a reason), disbursement batches and indicators. (The demo county's aid
//! loads from `crate::demo`.)
//!
//! Parts: `policies` (资助政策 catalog), `checks` (eligibility and gaps), `proposals`
//! (学校申报), `review` (乡镇审核/县资助中心审批, history), `batches` (发放批次 and
//! payments), `indicators` (资助统计) and `queries` (the reads the pages and the API show).

use emis_domain::aid::ProposalStatus;
use emis_domain::registry::School;

mod batches;
mod checks;
mod indicators;
mod policies;
mod proposals;
pub mod queries;
mod review;

pub use self::{batches::*, checks::*, indicators::*, policies::*, proposals::*, review::*};

/// 学校申报.
pub const PROPOSED: &str = ProposalStatus::Proposed.label();
/// 乡镇审核 (checked by the township).
pub const CHECKED: &str = ProposalStatus::Checked.label();
/// 县资助中心审批 (approved).
pub const APPROVED: &str = ProposalStatus::Approved.label();
/// 退回 (sent back with a reason).
pub const SENT_BACK: &str = ProposalStatus::SentBack.label();

fn school_of<'a>(schools: &'a [School], code: &str) -> Option<&'a School> {
    schools.iter().find(|s| s.code == code)
}
