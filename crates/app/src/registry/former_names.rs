//! 曾用名: a school's former names (the schools import records one when a stored school's
//! name changes; the demo records 溆浦楚怡职业学校's).

use crate::auth::Account;
use crate::Result;
use emis_storage::school_names as store;
pub use emis_storage::school_names::FormerNameRow;
use emis_storage::Db;

/// The former names of a school the caller already read (its page checks the scope).
pub async fn of_school(db: &Db, account: &Account, school: &str) -> Result<Vec<FormerNameRow>> {
    Ok(store::former_names(db, account.county(), school).await?)
}
