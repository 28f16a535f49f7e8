//! 督导评估: the 教育督导 visits (a campaign area on the hazard ledger's workflow, see
//! [`crate::safety::Area::Supervision`]) and the yearly 中小学绩效目标管理评估 that scores
//! every school ([`assessment`]).
//!
//! Glossary (code name → 中文): supervision → 教育督导, visit → 督导检查, inspector → 督学,
//! assessment → 绩效目标管理评估 (考核), scheme → 考核方案, item → 考核指标, weight → 分值,
//! source → 评分来源 (metric → 系统指标, inspector's score → 督学评分), scoring → 计分方法,
//! ranking → 排名, published → 已公布.

pub mod assessment;
