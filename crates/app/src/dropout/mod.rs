//! 控辍保学: the population roll import with the comparison (三比对), cases (一人一案) and
//! their workflow, 送教上门 plans and visits, the dashboard and the ledger export.
//! Every change is scoped to the account and audited in the same transaction.

mod attachments;
mod cases;
mod home_teaching;
mod ledgers;
mod matching;
mod population;
mod poverty;
pub mod queries;
mod region;

pub use self::{
    attachments::*, cases::*, home_teaching::*, ledgers::*, matching::*, population::*, poverty::*,
    region::*,
};
