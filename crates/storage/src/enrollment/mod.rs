//! 招生与班额 storage: class-size settings, capacity, the large-class ledger, communities,
//! zones, distances, intake plans, applicants, allocation runs and balanced classes.
//! Every query is limited to one county; pure rules stay in `emis_domain`. The parts have
//! the same names as in the app and web layers.

mod allocation;
mod balanced;
mod intake;
mod ledger;
mod monitor;
mod settings;
mod zones;

pub use self::{
    allocation::*, balanced::*, intake::*, ledger::*, monitor::*, settings::*, zones::*,
};
