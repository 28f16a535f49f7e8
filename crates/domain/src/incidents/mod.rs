//! 安全事故登记: the safety incidents of the county's schools — what happened, where, to
//! whom, and the steps taken until the case is closed — and the year's `safety.incidents*`
//! and `drowning.deaths` figures, so that "全年未发生校内安全责任事故" is read from records.
//!
//! Glossary (code name → 中文): incident → 安全事故, happened on → 发生日期, category → 类别
//! (溺水 / 交通 / 校园欺凌 / 食物中毒 / 踩踏 / 火灾 / 意外伤害 / 其他), in school → 在校期间
//! (是) or 校外 (否), deaths → 死亡人数, injuries → 受伤人数, account → 经过, step → 后续处理
//! (处置 / 报告 / 整改 / 结案), closed → 已结案.

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

labeled_enum!(
    /// 事故类别.
    IncidentCategory {
        Drowning => "溺水",
        Traffic => "交通" | "交通事故",
        Bullying => "校园欺凌" | "欺凌",
        FoodPoisoning => "食物中毒",
        Stampede => "踩踏" | "拥挤踩踏",
        Fire => "火灾",
        Accident => "意外伤害",
        Other => "其他",
    }
);

labeled_enum!(
    /// 后续处理: what was done after the incident, in the order it is usually done.
    StepKind {
        Handling => "处置" | "现场处置",
        Report => "报告" | "上报",
        Rectify => "整改",
        Close => "结案",
    }
);

/// The most people one incident is recorded with (a county's worst day is far below).
pub const MAX_PEOPLE: i64 = 1_000;

/// Refuses a count of people below zero or beyond [`MAX_PEOPLE`].
pub fn check_people(label: &str, n: i64) -> Result<(), String> {
    if n < 0 {
        Err(format!("{label}不能为负数"))
    } else if n > MAX_PEOPLE {
        Err(format!("{label}不能超过{MAX_PEOPLE}"))
    } else {
        Ok(())
    }
}

/// An incident as the figures read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncidentFacts {
    pub happened_on: NaiveDate,
    pub category: IncidentCategory,
    pub in_school: bool,
    pub deaths: i64,
    pub injuries: i64,
}

/// A year's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IncidentFigures {
    pub incidents: i64,
    pub in_school: i64,
    pub out_of_school: i64,
    pub deaths: i64,
    pub injuries: i64,
    /// Deaths in 溺水 incidents.
    pub drowning_deaths: i64,
}

impl IncidentFigures {
    pub fn add(&mut self, f: &IncidentFacts) {
        self.incidents += 1;
        if f.in_school {
            self.in_school += 1;
        } else {
            self.out_of_school += 1;
        }
        self.deaths += f.deaths;
        self.injuries += f.injuries;
        if f.category == IncidentCategory::Drowning {
            self.drowning_deaths += f.deaths;
        }
    }
}

/// The figures of the incidents that happened in `year`.
pub fn year_figures<'a>(
    year: i32,
    incidents: impl IntoIterator<Item = &'a IncidentFacts>,
) -> IncidentFigures {
    let mut out = IncidentFigures::default();
    for f in incidents
        .into_iter()
        .filter(|f| f.happened_on.year() == year)
    {
        out.add(f);
    }
    out
}

/// Checks a follow-up step against the incident and the steps before it: not before the
/// incident, not after today, nothing after 结案.
pub fn check_step(
    happened_on: NaiveDate,
    closed: bool,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if closed {
        Err("该事故已结案，不能再登记后续处理".into())
    } else if on < happened_on {
        Err(format!("日期 {on} 早于事故发生日期 {happened_on}"))
    } else if on > today {
        Err(format!("日期 {on} 晚于今天"))
    } else {
        Ok(())
    }
}
