//! 教师队伍 storage: the settings (staffing standard, hours requirement, the year's
//! recruitment plan and award fund), trainings and participants, 公费定向师范生, studios,
//! awards and conduct cases, and the roll facts the teacher pages read.
//!
//! The parts carry app's names: `settings`, `trainings`, `trainees`, `studios`, `awards`,
//! `conduct`, and `roll` (what the staffing picture and the indicators count).

mod awards;
mod conduct;
mod roll;
mod settings;
mod studios;
mod trainees;
mod trainings;

pub use self::{
    awards::*, conduct::*, roll::*, settings::*, studios::*, trainees::*, trainings::*,
};
