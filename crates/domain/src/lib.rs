//! Pure domain rules of county-emis: no I/O, no database, no clock unless passed in.
//!
//! Glossary (code name → 中文):
//! county → 县, township → 乡镇, school → 学校, term → 学期, grade → 年级,
//! class → 班级, student roll → 学籍, id number → 身份证件号, student number → 学籍号,
//! large class → 大班额 (56–65), oversize class → 超大班额 (66+), staff → 教职工,
//! hardship → 家庭经济困难, boarding → 寄宿, recruitment channel → 补充渠道.
#![forbid(unsafe_code)]

pub mod access;
pub mod aid;
pub mod class_size;
pub mod dates;
pub mod divisions;
pub mod dropout;
pub mod enrollment;
pub mod ethnicity;
pub mod files;
pub mod identity;
pub mod indicators;
pub mod limits;
pub mod login;
pub mod registry;
pub mod safety;
pub mod term;
pub mod text;
