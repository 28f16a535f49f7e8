//! 控辍保学 storage: population snapshots and their findings, cases (一人一案) with their
//! log and attachments, the 脱贫户 list, and 送教上门 plans and visits.

mod attachments;
mod cases;
mod home_teaching;
mod ledgers;
mod matching;
mod population;
mod poverty;
mod risk_groups;

pub use self::{
    attachments::*, cases::*, home_teaching::*, ledgers::*, matching::*, population::*, poverty::*,
    risk_groups::*,
};
