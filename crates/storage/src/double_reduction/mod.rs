//! 双减 storage: the institution register with its status events (`institutions`) and
//! after-school service per school and term (`after_school`).

mod after_school;
mod five;
mod institutions;

pub use self::{after_school::*, five::*, institutions::*};
