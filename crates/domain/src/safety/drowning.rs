//! 防溺水: water bodies and their measures (一牌一杆一圈一绳), the 九长 chain, the 十有
//! checklist, summer patrols (at least twice a day at dangerous waters in 7–8月) and
//! coverage figures.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// 水域类型.
pub const WATER_KINDS: &[&str] = &["河段", "山塘", "水库", "野泳点"];

/// 风险等级; 高 and 较高 are the dangerous waters (重点水域) that must be equipped and patrolled.
pub const RISK_LEVELS: &[&str] = &["高", "较高", "一般"];

pub fn is_dangerous(risk: &str) -> bool {
    matches!(risk.trim(), "高" | "较高")
}

/// 防护措施 at a water body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Measures {
    /// 警示牌
    pub sign: bool,
    /// 救生杆
    pub pole: bool,
    /// 救生圈
    pub ring: bool,
    /// 救生绳
    pub rope: bool,
    /// 护栏
    pub rail: bool,
    /// 回填
    pub backfilled: bool,
    /// 封闭
    pub closed: bool,
}

/// The measure flags with their Chinese names and column names, in display order.
pub const MEASURES: &[(&str, &str)] = &[
    ("sign", "警示牌"),
    ("pole", "救生杆"),
    ("ring", "救生圈"),
    ("rope", "救生绳"),
    ("rail", "护栏"),
    ("backfilled", "回填"),
    ("closed", "封闭"),
];

impl Measures {
    /// 一牌一杆一圈一绳 all in place, or the water filled in or fenced off.
    pub fn complete(&self) -> bool {
        (self.sign && self.pole && self.ring && self.rope) || self.backfilled || self.closed
    }

    /// What is missing of 一牌一杆一圈一绳 (empty when complete).
    pub fn missing(&self) -> Vec<&'static str> {
        if self.complete() {
            return Vec::new();
        }
        [
            (self.sign, "警示牌"),
            (self.pole, "救生杆"),
            (self.ring, "救生圈"),
            (self.rope, "救生绳"),
        ]
        .iter()
        .filter(|(have, _)| !have)
        .map(|(_, name)| *name)
        .collect()
    }

    pub fn flag(&self, key: &str) -> bool {
        match key {
            "sign" => self.sign,
            "pole" => self.pole,
            "ring" => self.ring,
            "rope" => self.rope,
            "rail" => self.rail,
            "backfilled" => self.backfilled,
            "closed" => self.closed,
            _ => false,
        }
    }
}

/// 九长 (the seed's list): who answers for whom.
pub const NINE_HEADS: &[&str] = &[
    "县长",
    "局长",
    "乡(镇)长",
    "校长",
    "班长",
    "村长",
    "河(库)长",
    "组长",
    "家长",
];

/// What a 九长 link is attached to.
pub const CHAIN_LEVELS: &[&str] = &["县", "乡镇", "水域", "村", "学校", "班级"];

pub fn is_head(raw: &str) -> bool {
    NINE_HEADS.contains(&raw.trim())
}

/// 十有 (each township and school keeps them).
pub const TEN_HAVES: &[&str] = &[
    "工作班子",
    "工作方案",
    "宣传机制",
    "值班值守",
    "责任落实",
    "工作台账",
    "经费保障",
    "巡查机制",
    "警示标牌",
    "奖惩机制",
];

/// Patrol time slots: noon and after school (the two required ones), and evening.
pub const PATROL_SLOTS: &[&str] = &["中午", "放学后", "傍晚"];

/// Patrols required per day at a dangerous water in summer.
pub const SUMMER_PATROLS_PER_DAY: u32 = 2;

/// Summer for patrols: July and August.
pub fn is_summer(day: NaiveDate) -> bool {
    matches!(day.month(), 7 | 8)
}

/// Every summer day of a year (7月1日–8月31日).
pub fn summer_days(year: i32) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let Some(mut d) = NaiveDate::from_ymd_opt(year, 7, 1) else {
        return days;
    };
    while d.month() <= 8 && d.year() == year {
        days.push(d);
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    days
}

/// A flagged day: a dangerous water with fewer than two patrols.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MissingPatrol {
    pub water: i64,
    pub day: NaiveDate,
    pub done: u32,
}

/// Patrol compliance over a set of (water, day) obligations: the days with at least two
/// patrols, the required days, and the flagged ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PatrolCompliance {
    pub required_days: u32,
    pub compliant_days: u32,
    pub missing: Vec<MissingPatrol>,
}

impl PatrolCompliance {
    /// `None` when no patrol was due (no dangerous water, or before July): no figure.
    pub fn rate(&self) -> Option<f64> {
        rate(self.compliant_days as usize, self.required_days as usize)
    }
}

/// Checks summer patrols of `year` at the dangerous waters, up to `until` (inclusive).
/// `patrols` are (water id, day) pairs, one per patrol log.
pub fn patrol_compliance(
    dangerous_waters: &[i64],
    patrols: &[(i64, NaiveDate)],
    year: i32,
    until: NaiveDate,
) -> PatrolCompliance {
    let mut counts: BTreeMap<(i64, NaiveDate), u32> = BTreeMap::new();
    for (water, day) in patrols {
        *counts.entry((*water, *day)).or_default() += 1;
    }
    let mut out = PatrolCompliance::default();
    for day in summer_days(year).into_iter().filter(|d| *d <= until) {
        for water in dangerous_waters {
            let done = counts.get(&(*water, day)).copied().unwrap_or(0);
            out.required_days += 1;
            if done >= SUMMER_PATROLS_PER_DAY {
                out.compliant_days += 1;
            } else {
                out.missing.push(MissingPatrol {
                    water: *water,
                    day,
                    done,
                });
            }
        }
    }
    out
}

/// A rostered shift (巡查排班): who patrols a water in a slot over a period of days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub water: i64,
    pub slot: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub patroller: String,
}

impl Shift {
    pub fn covers(&self, water: i64, day: NaiveDate) -> bool {
        self.water == water && self.from <= day && day <= self.to
    }
}

/// Checks a shift as typed: a known slot and a period that does not end before it starts.
pub fn check_shift(
    slot: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), (&'static str, String)> {
    if !PATROL_SLOTS.contains(&slot.trim()) {
        return Err(("slot", format!("时段应为：{}", PATROL_SLOTS.join("、"))));
    }
    if to < from {
        return Err(("to_day", "结束日期不能早于开始日期".into()));
    }
    Ok(())
}

/// For a flagged day, the rostered shifts of that water whose slot has no patrol logged
/// (who was due and did not patrol). Empty when nobody was rostered that day.
pub fn unpatrolled_shifts<'a>(
    shifts: &'a [Shift],
    water: i64,
    day: NaiveDate,
    logged_slots: &[&str],
) -> Vec<&'a Shift> {
    shifts
        .iter()
        .filter(|s| s.covers(water, day) && !logged_slots.contains(&s.slot.as_str()))
        .collect()
}

/// Summer days of `year` up to `until` on which the roster of a water covers fewer than
/// the two required slots (排班不足): the roster itself cannot meet the rule.
pub fn roster_gaps(shifts: &[Shift], water: i64, year: i32, until: NaiveDate) -> Vec<NaiveDate> {
    summer_days(year)
        .into_iter()
        .filter(|d| *d <= until)
        .filter(|d| {
            let mut slots: Vec<&str> = shifts
                .iter()
                .filter(|s| s.covers(water, *d))
                .map(|s| s.slot.as_str())
                .collect();
            slots.sort_unstable();
            slots.dedup();
            (slots.len() as u32) < SUMMER_PATROLS_PER_DAY
        })
        .collect()
}

/// A share 0–1; `None` over an empty base: a rate over nothing is no figure (无数据),
/// not 100%.
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Share of dangerous waters whose measures are complete (`None` without any).
pub fn equipped_rate(waters: &[(String, Measures)]) -> Option<f64> {
    let dangerous: Vec<_> = waters.iter().filter(|(r, _)| is_dangerous(r)).collect();
    rate(
        dangerous.iter().filter(|(_, m)| m.complete()).count(),
        dangerous.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, d).expect("date")
    }

    #[test]
    fn one_sign_one_pole_one_ring_one_rope() {
        let mut m = Measures {
            sign: true,
            pole: true,
            ring: true,
            ..Measures::default()
        };
        assert!(!m.complete());
        assert_eq!(m.missing(), vec!["救生绳"]);
        m.rope = true;
        assert!(m.complete());
        let closed = Measures {
            closed: true,
            ..Measures::default()
        };
        assert!(closed.complete());
        assert!(closed.missing().is_empty());
    }

    #[test]
    fn summer_is_july_and_august() {
        let days = summer_days(2021);
        assert_eq!(days.len(), 62);
        assert_eq!(days[0], day(7, 1));
        assert_eq!(days[61], day(8, 31));
        assert!(is_summer(day(7, 15)));
        assert!(!is_summer(day(9, 1)));
    }

    #[test]
    fn fewer_than_two_patrols_a_day_are_flagged() {
        let mut patrols = Vec::new();
        for d in summer_days(2021) {
            patrols.push((1, d));
            if d != day(7, 10) {
                patrols.push((1, d));
            }
        }
        let c = patrol_compliance(&[1, 2], &patrols, 2021, day(12, 31));
        assert_eq!(c.required_days, 124);
        assert_eq!(c.compliant_days, 61);
        assert_eq!(c.missing.len(), 63);
        assert!(c.missing.contains(&MissingPatrol {
            water: 1,
            day: day(7, 10),
            done: 1
        }));
        let until_july = patrol_compliance(&[1], &patrols, 2021, day(7, 5));
        assert_eq!(until_july.required_days, 5);
        assert_eq!(until_july.rate(), Some(1.0));
        assert_eq!(
            patrol_compliance(&[], &patrols, 2021, day(12, 31)).rate(),
            None
        );
    }

    #[test]
    fn equipped_share_counts_only_dangerous_waters() {
        let full = Measures {
            sign: true,
            pole: true,
            ring: true,
            rope: true,
            ..Measures::default()
        };
        let waters = vec![
            ("高".to_string(), full),
            ("较高".to_string(), Measures::default()),
            ("一般".to_string(), Measures::default()),
        ];
        assert_eq!(equipped_rate(&waters), Some(0.5));
        assert_eq!(
            equipped_rate(&[]),
            None,
            "no dangerous water: no figure, not 100%"
        );
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 4), Some(0.75));
    }

    proptest::proptest! {
        /// Every (water, summer day) is either compliant or flagged, and the rate is a share.
        #[test]
        fn compliance_accounts_for_every_day(
            waters in proptest::collection::vec(1i64..6, 0..4),
            logs in proptest::collection::vec((1i64..6, 0usize..62), 0..300),
        ) {
            let days = summer_days(2021);
            let patrols: Vec<(i64, NaiveDate)> = logs.iter().map(|(w, d)| (*w, days[*d])).collect();
            let mut unique = waters.clone();
            unique.sort();
            unique.dedup();
            let c = patrol_compliance(&unique, &patrols, 2021, day(12, 31));
            proptest::prop_assert_eq!(c.required_days as usize, unique.len() * 62);
            proptest::prop_assert_eq!(c.compliant_days as usize + c.missing.len(), c.required_days as usize);
            proptest::prop_assert!(c.rate().is_none_or(|r| (0.0..=1.0).contains(&r)));
            proptest::prop_assert_eq!(c.rate().is_none(), c.required_days == 0);
            proptest::prop_assert!(c.missing.iter().all(|m| m.done < SUMMER_PATROLS_PER_DAY));
        }
    }

    fn shift(slot: &str, from: NaiveDate, to: NaiveDate, who: &str) -> Shift {
        Shift {
            water: 1,
            slot: slot.into(),
            from,
            to,
            patroller: who.into(),
        }
    }

    #[test]
    fn the_roster_names_who_missed_a_patrol() {
        let roster = vec![
            shift("中午", day(7, 1), day(8, 31), "向老师"),
            shift("放学后", day(7, 1), day(7, 31), "舒老师"),
            shift("放学后", day(8, 1), day(8, 31), "米老师"),
        ];
        let missed = unpatrolled_shifts(&roster, 1, day(7, 10), &["中午"]);
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].patroller, "舒老师");
        let august = unpatrolled_shifts(&roster, 1, day(8, 10), &[]);
        let who: Vec<&str> = august.iter().map(|s| s.patroller.as_str()).collect();
        assert_eq!(who, vec!["向老师", "米老师"]);
        assert!(unpatrolled_shifts(&roster, 2, day(8, 10), &[]).is_empty());
    }

    #[test]
    fn a_roster_with_one_slot_a_day_has_gaps() {
        let roster = vec![
            shift("中午", day(7, 1), day(8, 31), "向老师"),
            shift("放学后", day(7, 1), day(8, 20), "舒老师"),
        ];
        let gaps = roster_gaps(&roster, 1, 2021, day(12, 31));
        assert_eq!(gaps.len(), 11);
        assert_eq!(gaps[0], day(8, 21));
        assert!(roster_gaps(&roster, 1, 2021, day(8, 20)).is_empty());
        assert_eq!(roster_gaps(&[], 1, 2021, day(7, 2)).len(), 2);
        assert!(check_shift("中午", day(7, 2), day(7, 1)).is_err());
        assert!(check_shift("半夜", day(7, 1), day(7, 2)).is_err());
        assert!(check_shift("傍晚", day(7, 1), day(7, 1)).is_ok());
    }

    #[test]
    fn lists_are_the_seeds() {
        assert_eq!(NINE_HEADS.len(), 9);
        assert_eq!(TEN_HAVES.len(), 10);
        assert!(is_head("河(库)长"));
    }
}
