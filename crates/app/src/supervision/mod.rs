//! 督导评估: the 督导检查 visits are campaigns of area 督导 on the hazard ledger's workflow
//! (`safety::campaigns`, no code of their own here); the yearly 绩效目标管理评估 is
//! [`assessment`].

pub mod assessment;
