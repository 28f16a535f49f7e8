//! 荣誉与竞赛: one register for what schools, teachers, students and teams are granted or
//! win, the `schools.titled.*` figures, and competition results by event, level and prize.
//!
//! Glossary (code name → 中文): honour → 荣誉, subject → 对象 (school → 学校, teacher → 教师,
//! student → 学生, team → 团体), title → 名称, kind → 类别 (featured school → 特色学校,
//! honorary title → 荣誉称号, competition → 竞赛), level → 级别 (国家级 / 省级 / 市级 /
//! 县级), granting body → 授予单位, prize → 等次 (一等奖, 第一名…), event → 项目.

#[cfg(test)]
mod tests;

use crate::registry::labeled_enum;
use serde::Serialize;

labeled_enum!(
    /// 对象类型.
    SubjectKind {
        School => "学校",
        Teacher => "教师",
        Student => "学生",
        Team => "团体" | "代表队",
    }
);

labeled_enum!(
    /// 类别.
    HonourKind {
        Featured => "特色学校",
        Title => "荣誉称号",
        Competition => "竞赛" | "比赛",
    }
);

labeled_enum!(
    /// 级别, highest first.
    Level {
        National => "国家级" | "全国",
        Provincial => "省级",
        City => "市级",
        County => "县级",
    }
);

/// Which `schools.titled.*` figure a school's honour counts toward (CONTRACTS.md): the
/// national campus football and basketball schools and the 书香校园, by their names.
pub fn titled_as(subject: SubjectKind, title: &str) -> Option<&'static str> {
    if subject != SubjectKind::School {
        return None;
    }
    let t = crate::text::fold_width(title);
    if t.contains("足球特色学校") {
        Some("schools.titled.football")
    } else if t.contains("篮球特色学校") {
        Some("schools.titled.basketball")
    } else if t.contains("书香校园") {
        Some("schools.titled.reading")
    } else {
        None
    }
}

/// The `schools.titled.*` codes, in catalog order.
pub const TITLED: [&str; 3] = [
    "schools.titled.football",
    "schools.titled.basketball",
    "schools.titled.reading",
];

/// Reads a prize as written (一等奖, 二等奖, 三等奖, 第N名 / 第N, 团体第N名, 优秀奖, 金奖…)
/// into its display form; `None` when it reads as nothing a competition gives.
pub fn parse_prize(raw: &str) -> Option<String> {
    let t = crate::text::fold_width(raw);
    let t = t.trim();
    const NAMED: [&str; 9] = [
        "特等奖",
        "一等奖",
        "二等奖",
        "三等奖",
        "优秀奖",
        "金奖",
        "银奖",
        "铜奖",
        "优胜奖",
    ];
    if NAMED.contains(&t) {
        return Some(t.to_string());
    }
    let rank = t
        .strip_prefix("团体总分")
        .or_else(|| t.strip_prefix("团体"))
        .unwrap_or(t);
    let digits = rank.strip_prefix('第')?.trim_end_matches('名');
    let n = match digits {
        "一" => 1,
        "二" => 2,
        "三" => 3,
        "四" => 4,
        "五" => 5,
        "六" => 6,
        "七" => 7,
        "八" => 8,
        other => other
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=100).contains(n))?,
    };
    Some(format!("第{n}名"))
}

/// Competition results grouped by (event, level, prize) with their count, the way a
/// summary states them ("艺术展演 市级 一等奖 23个").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PrizeCount {
    pub event: String,
    pub level: Level,
    pub prize: String,
    pub count: u32,
}

/// One competition result as the summary reads it.
pub struct Placing<'a> {
    pub event: &'a str,
    pub level: Level,
    pub prize: &'a str,
}

/// Groups results by event (in first-seen order), level and prize (一等奖 before 二等奖,
/// 第1名 before 第2名).
pub fn summarise<'a>(results: impl IntoIterator<Item = Placing<'a>>) -> Vec<PrizeCount> {
    let mut out: Vec<PrizeCount> = Vec::new();
    for r in results {
        match out
            .iter_mut()
            .find(|c| c.event == r.event && c.level == r.level && c.prize == r.prize)
        {
            Some(c) => c.count += 1,
            None => out.push(PrizeCount {
                event: r.event.to_string(),
                level: r.level,
                prize: r.prize.to_string(),
                count: 1,
            }),
        }
    }
    let events: Vec<String> = {
        let mut seen = Vec::new();
        for c in &out {
            if !seen.contains(&c.event) {
                seen.push(c.event.clone());
            }
        }
        seen
    };
    out.sort_by_key(|c| {
        (
            events.iter().position(|e| *e == c.event),
            c.level,
            prize_order(&c.prize),
        )
    });
    out
}

/// 特等奖, 一等奖 … then 第1名, 第2名 …, then anything else.
fn prize_order(prize: &str) -> (u8, u32) {
    const NAMED: [&str; 9] = [
        "特等奖",
        "金奖",
        "一等奖",
        "银奖",
        "二等奖",
        "铜奖",
        "三等奖",
        "优秀奖",
        "优胜奖",
    ];
    if let Some(i) = NAMED.iter().position(|p| *p == prize) {
        return (0, i as u32);
    }
    match prize
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('名'))
        .and_then(|n| n.parse().ok())
    {
        Some(n) => (1, n),
        None => (2, 0),
    }
}
