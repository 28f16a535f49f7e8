//! 安全管理 (safety): the hazard ledger (排查 → 整改 → 复查 → 销号) and anti-drowning
//! records. Every change is checked against the account's scope and audited in the same
//! transaction.
//!
//! Who does what: a 学校管理员 records and rectifies its own school's hazards; a 乡镇中心校
//! the schools of its township; the 股室 (officer) and the administrator record anywhere,
//! schedule inspections and campaigns, and verify and close (销号) or send back; 局领导
//! and 班主任 read.
//!
//! Parts: `inspections` (排查计划/专项行动) and `checklist` (their items ticked),
//! `hazards` (隐患台账 and its export), `evidence` (整改材料/照片), `waters` (水域 and
//! measures), `chain` (九长), `patrols` (巡查), `roster` (值班), `ten_haves` (十有),
//! `letters` (致家长信), `coverage` (覆盖情况) and `dashboard` (home card, indicators).

use crate::auth::Account;
use crate::registry::FieldError;
use crate::Result;
use emis_domain::access::Permission;
use emis_storage::audit::Entry;

pub mod campaigns;
pub mod chain;
pub mod checklist;
pub mod coverage;
pub mod dashboard;
pub mod evidence;
pub mod hazards;
pub mod inspections;
pub mod letters;
pub mod patrols;
pub mod queries;
pub mod roster;
pub mod ten_haves;
pub mod waters;

pub use self::{
    coverage::*, dashboard::*, evidence::*, hazards::*, inspections::*, letters::*, patrols::*,
    ten_haves::*, waters::*,
};
/// The person of a 九长 link (职务, 姓名, 手机).
pub use chain::{add_chain_link, PersonForm as ChainForm};

type Checked<T> = std::result::Result<T, FieldError>;

fn field(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

fn require(account: &Account, permission: Permission) -> Result<()> {
    crate::require(account.role, permission)
}

/// A mobile number as typed (full-width digits folded): 11 digits starting with 1.
fn valid_phone(raw: &str) -> Checked<String> {
    let phone: String = emis_domain::text::fold_width(raw.trim());
    if phone.len() != 11 || !phone.chars().all(|c| c.is_ascii_digit()) || !phone.starts_with('1') {
        return Err(field("phone", "手机号码应为11位数字"));
    }
    Ok(phone)
}

/// Audits a change of any safety record with its before and after (JSON), in `tx`.
#[allow(clippy::too_many_arguments)]
async fn audit_change<B: serde::Serialize, A: serde::Serialize>(
    tx: &mut emis_storage::Tx,
    account: &Account,
    source: &str,
    action: &str,
    entity: &str,
    key: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    Entry::new(account.county(), action, entity, key)
        .before(before.and_then(|b| serde_json::to_string(b).ok()))
        .after(after.and_then(|a| serde_json::to_string(a).ok()))
        .record(tx, &account.actor(source))
        .await?;
    Ok(())
}

/// A ticked checkbox as forms send it.
fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "on" | "true" | "是"))
}
