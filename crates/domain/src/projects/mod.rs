//! 建设项目: the bureau's building projects with their money by year and source, what they
//! add when completed (places by stage, classrooms, teacher housing), and the
//! `projects.*`, `degrees.added.*` and `staff_housing.units` figures of a year.
//!
//! Glossary (code name → 中文): project → 建设项目, category → 项目类别, investment →
//! 本年投资 (kept in 分, read in 万元), funding source → 资金来源, started → 开工日期,
//! completed → 竣工日期, progress → 形象进度, degrees added → 新增学位 (compulsory → 义务教育,
//! senior → 普通高中, vocational → 中职, public preschool → 公办学前), classrooms → 教室间数,
//! staff housing → 教师周转宿舍 (套), capacity effect → 竣工后增加的学校容量.

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

labeled_enum!(
    /// 项目类别 (CONTRACTS.md `projects`).
    ProjectCategory {
        NewSchool => "新建学校" | "新建",
        Extension => "改扩建" | "扩建",
        Renovation => "维修改造" | "维修",
        StaffHousing => "教师周转宿舍" | "周转宿舍",
        Kindergarten => "幼儿园建设" | "幼儿园",
        Lighting => "照明改造" | "教室照明改造",
        Digital => "信息化" | "信息化建设",
        Other => "其他",
    }
);

labeled_enum!(
    /// 项目状态, read from the dates: not begun before 开工日期, built until 竣工日期.
    ProjectStatus {
        Planned => "未开工",
        Building => "在建",
        Completed => "已竣工",
    }
);

/// 新增学位 by stage. `senior` is 普通高中 only; the `degrees.added.senior` figure is
/// 高中及中职 (CONTRACTS.md: 2500, of which 中职 601), so it adds `vocational`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Degrees {
    pub compulsory: i64,
    pub senior: i64,
    pub vocational: i64,
    pub preschool_public: i64,
}

impl Degrees {
    pub fn total(&self) -> i64 {
        self.compulsory + self.senior + self.vocational + self.preschool_public
    }

    fn add(&mut self, other: &Degrees) {
        self.compulsory += other.compulsory;
        self.senior += other.senior;
        self.vocational += other.vocational;
        self.preschool_public += other.preschool_public;
    }
}

/// What a project adds when completed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Adds {
    pub degrees: Degrees,
    /// 教室间数: raises the school's classrooms from 竣工日期 on.
    pub classrooms: i64,
    /// 宿舍套数 (教师周转宿舍).
    pub housing_units: i64,
}

/// A project as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFacts {
    pub school_code: Option<String>,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub adds: Adds,
}

impl ProjectFacts {
    pub fn status(&self, today: NaiveDate) -> ProjectStatus {
        status(self.started_on, self.completed_on, today)
    }
}

pub fn status(started: NaiveDate, completed: Option<NaiveDate>, today: NaiveDate) -> ProjectStatus {
    match completed {
        Some(done) if done <= today => ProjectStatus::Completed,
        _ if started > today => ProjectStatus::Planned,
        _ => ProjectStatus::Building,
    }
}

/// Refuses a 竣工日期 before its 开工日期 (CONTRACTS.md).
pub fn check_dates(started: NaiveDate, completed: Option<NaiveDate>) -> Result<(), String> {
    match completed {
        Some(done) if done < started => Err(format!("竣工日期 {done} 早于开工日期 {started}")),
        _ => Ok(()),
    }
}

/// Refuses a quantity below zero or beyond what one project builds.
pub fn check_quantity(label: &str, n: i64) -> Result<(), String> {
    // A county's largest school has some thousands of places; 100,000 is past any project.
    const MAX: i64 = 100_000;
    if n < 0 {
        Err(format!("{label}不能为负数"))
    } else if n > MAX {
        Err(format!("{label}不能超过{MAX}"))
    } else {
        Ok(())
    }
}

/// Reads an amount in 万元 (`3718`, `0.5`, `1,234.5678`) into 分: at most six decimals,
/// which is one 分.
pub fn parse_wan(raw: &str) -> Option<i64> {
    let text: String = crate::text::fold_width(raw)
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let text = text.trim().trim_end_matches("万元").trim_end_matches('万');
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 6 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<6}").parse().ok()?
    };
    whole.checked_mul(1_000_000)?.checked_add(frac)
}

/// 分 as 万元 with the bureau's decimals (two): 3718000000 → `3718.00`.
pub fn wan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    // Round half up to 0.01 万元 (100 元).
    let hundredths = (abs + 5_000) / 10_000;
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

/// 分 as 万元 without rounding, for sheets read back in: 3718000000 → `3718`,
/// 12345 → `0.012345`.
pub fn wan_exact(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let frac = format!("{:06}", abs % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", abs / 1_000_000)
    } else {
        format!("{sign}{}.{frac}", abs / 1_000_000)
    }
}

/// A year's figures (CONTRACTS.md): the year's investment, and what the projects completed
/// in the year added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct YearFigures {
    pub investment_fen: i64,
    pub completed: i64,
    pub adds: Adds,
}

/// Sums `investments` (year, 分) of `year` and the adds of the projects completed in it.
pub fn year_figures<'p>(
    year: i32,
    projects: impl IntoIterator<Item = &'p ProjectFacts>,
    investments: impl IntoIterator<Item = (i32, i64)>,
) -> YearFigures {
    let mut out = YearFigures {
        investment_fen: investments
            .into_iter()
            .filter(|(y, _)| *y == year)
            .map(|(_, fen)| fen)
            .sum(),
        ..YearFigures::default()
    };
    for p in projects {
        if p.completed_on.is_some_and(|d| d.year() == year) {
            out.completed += 1;
            out.adds.degrees.add(&p.adds.degrees);
            out.adds.classrooms += p.adds.classrooms;
            out.adds.housing_units += p.adds.housing_units;
        }
    }
    out
}

/// Classrooms the completed projects of each school added by `on` (the capacity effect
/// the class-size monitor adds to the school's own count); schools without any are absent.
pub fn classrooms_added<'p>(
    projects: impl IntoIterator<Item = &'p ProjectFacts>,
    on: NaiveDate,
) -> std::collections::HashMap<String, i64> {
    let mut out = std::collections::HashMap::new();
    for p in projects {
        if let (Some(school), true) = (&p.school_code, p.completed_on.is_some_and(|d| d <= on)) {
            *out.entry(school.clone()).or_default() += p.adds.classrooms;
        }
    }
    out
}
