//! 区域: the org units above the county, a city (市州, 怀化市 431200) or a province (省,
//! 湖南省 430000), that read the figures of the counties they contain, and the roll-up of
//! those figures (各县主要指标).
//!
//! A region contains counties by its division code (GB/T 2260): a city `4312xx` holds the
//! counties `4312xx`, a province `43xxxx` every county `43xxxx`. Nothing is stored about
//! which counties belong where: the code says it, as it does for the statistics bureau.

use crate::indicators::{self, Value};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegionLevel {
    /// 市州: a prefecture-level city or autonomous prefecture.
    City,
    /// 省: a province.
    Province,
}

impl RegionLevel {
    pub const ALL: &'static [RegionLevel] = &[RegionLevel::City, RegionLevel::Province];

    /// The code kept in the database (`counties.level`).
    pub fn code(self) -> &'static str {
        match self {
            RegionLevel::City => "city",
            RegionLevel::Province => "province",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::City => "市州",
            RegionLevel::Province => "省",
        }
    }

    pub fn parse(raw: &str) -> Option<RegionLevel> {
        RegionLevel::ALL
            .iter()
            .copied()
            .find(|l| l.code() == raw || l.label() == raw)
    }

    /// The level a division code names: `430000` a province, `431200` a city; a county's
    /// code (`431224`) or anything not six digits names none.
    pub fn of_code(code: &str) -> Option<RegionLevel> {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match (&code[2..4], &code[4..]) {
            ("00", "00") => Some(RegionLevel::Province),
            (_, "00") => Some(RegionLevel::City),
            _ => None,
        }
    }
}

crate::labels_in_json!(RegionLevel);

/// A region: its code, name and level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
}

impl Region {
    /// A region of a known code (see [`KNOWN`]).
    pub fn known(code: &str) -> Option<Region> {
        let level = RegionLevel::of_code(code)?;
        KNOWN
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(code, name)| Region {
                code: code.to_string(),
                name: name.to_string(),
                level,
            })
    }

    /// The leading digits every county of the region shares: `4312` for a city, `43` for a
    /// province.
    pub fn prefix(&self) -> &str {
        match self.level {
            RegionLevel::City => &self.code[..4],
            RegionLevel::Province => &self.code[..2],
        }
    }

    /// Whether a county (its six-digit code) lies in the region. Another region's code is
    /// not a county, so a province does not "contain" its cities as counties.
    pub fn contains(&self, county: &str) -> bool {
        RegionLevel::of_code(county).is_none()
            && county.len() == 6
            && county.bytes().all(|b| b.is_ascii_digit())
            && county.starts_with(self.prefix())
    }
}

/// 湖南省 and its 14 市州 (统计用区划代码 2021): the regions an account can be bound to
/// without naming them first.
pub const KNOWN: &[(&str, &str)] = &[
    ("430000", "湖南省"),
    ("430100", "长沙市"),
    ("430200", "株洲市"),
    ("430300", "湘潭市"),
    ("430400", "衡阳市"),
    ("430500", "邵阳市"),
    ("430600", "岳阳市"),
    ("430700", "常德市"),
    ("430800", "张家界市"),
    ("430900", "益阳市"),
    ("431000", "郴州市"),
    ("431100", "永州市"),
    ("431200", "怀化市"),
    ("431300", "娄底市"),
    ("433100", "湘西土家族苗族自治州"),
];

/// The indicators of the roll-up (各县主要指标), in column order: codes of the catalog,
/// computed per county by the same code as the annual report.
pub const ROLLUP_INDICATORS: &[&str] = &[
    "students.enrolled",
    "classes.large.compulsory.spring",
    "classes.large.compulsory.autumn",
    "classes.large.senior.spring",
    "classes.large.senior.autumn",
    "dropout.suspected",
    "dropout.unresolved",
    "dropout.home_teaching.autumn",
    "aid.person_times",
    "aid.amount",
    "safety.hazards.found",
    "safety.hazards.rectified",
    "safety.hazards.overdue",
];

/// One county's figures in the roll-up: its schools, and the values of
/// [`ROLLUP_INDICATORS`] in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct CountyFigures {
    pub schools: i64,
    pub values: Vec<Value>,
}

impl CountyFigures {
    /// The hazards found in the year and not closed by its end: found less rectified, both
    /// counting the year's hazards.
    pub fn hazards_open(&self) -> i64 {
        let count = |code: &str| match self.value(code) {
            Some(Value::Count(n)) => n,
            _ => 0,
        };
        count("safety.hazards.found") - count("safety.hazards.rectified")
    }

    pub fn value(&self, code: &str) -> Option<Value> {
        ROLLUP_INDICATORS
            .iter()
            .position(|c| *c == code)
            .and_then(|i| self.values.get(i).copied())
    }
}

/// The region's row: every county's exact values added (counts and fen, never the rounded
/// text people read). Each county keeps its own students (a student is one per county's
/// roll), so the counts add up. A rate has no sum: it would need its counts, and the
/// roll-up shows none.
pub fn total(counties: &[CountyFigures]) -> CountyFigures {
    let values = ROLLUP_INDICATORS
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let unit = indicators::find(code).map(|ind| ind.unit);
            let column = counties.iter().filter_map(|c| c.values.get(i).copied());
            match unit {
                Some(indicators::Unit::Yuan) => Value::Fen(
                    column
                        .map(|v| match v {
                            Value::Fen(f) => f,
                            _ => 0,
                        })
                        .sum(),
                ),
                Some(indicators::Unit::Rate) => Value::Rate(f64::NAN),
                _ => Value::Count(
                    column
                        .map(|v| match v {
                            Value::Count(n) => n,
                            _ => 0,
                        })
                        .sum(),
                ),
            }
        })
        .collect();
    CountyFigures {
        schools: counties.iter().map(|c| c.schools).sum(),
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_name_their_level() {
        assert_eq!(RegionLevel::of_code("430000"), Some(RegionLevel::Province));
        assert_eq!(RegionLevel::of_code("431200"), Some(RegionLevel::City));
        assert_eq!(RegionLevel::of_code("431224"), None);
        assert_eq!(RegionLevel::of_code("4312"), None);
        assert_eq!(RegionLevel::of_code("43120x"), None);
    }

    #[test]
    fn a_region_contains_the_counties_of_its_code() {
        let huaihua = Region::known("431200").expect("怀化市");
        assert_eq!(huaihua.name, "怀化市");
        assert!(huaihua.contains("431224"));
        assert!(huaihua.contains("431202"));
        assert!(!huaihua.contains("431321"), "娄底市's");
        assert!(!huaihua.contains("431200"), "the city itself is no county");
        let hunan = Region::known("430000").expect("湖南省");
        assert!(hunan.contains("431224") && hunan.contains("433130"));
        assert!(!hunan.contains("431200"), "a city is not a county");
        assert!(!hunan.contains("520102"), "贵州's");
        assert_eq!(Region::known("431224"), None);
        for (code, _) in KNOWN {
            assert!(Region::known(code).is_some(), "{code}");
        }
    }

    #[test]
    fn the_total_adds_exact_values() {
        let n = ROLLUP_INDICATORS.len();
        let figures = |students: i64, fen: i64, found: i64, rectified: i64| {
            let mut values = vec![Value::Count(0); n];
            let at = |code: &str| {
                ROLLUP_INDICATORS
                    .iter()
                    .position(|c| *c == code)
                    .expect("a roll-up column")
            };
            values[at("students.enrolled")] = Value::Count(students);
            values[at("aid.amount")] = Value::Fen(fen);
            values[at("safety.hazards.found")] = Value::Count(found);
            values[at("safety.hazards.rectified")] = Value::Count(rectified);
            CountyFigures { schools: 3, values }
        };
        // Two amounts that each read 0.01 元 more when rounded to jiao add to the exact fen.
        let a = figures(100, 1_005, 10, 7);
        let b = figures(50, 2_006, 4, 4);
        let sum = total(&[a.clone(), b]);
        assert_eq!(sum.schools, 6);
        assert_eq!(sum.value("students.enrolled"), Some(Value::Count(150)));
        assert_eq!(sum.value("aid.amount"), Some(Value::Fen(3_011)));
        assert_eq!(sum.hazards_open(), 3);
        assert_eq!(a.hazards_open(), 3);
        assert_eq!(total(&[]).value("aid.amount"), Some(Value::Fen(0)));
        for code in ROLLUP_INDICATORS {
            assert!(indicators::find(code).is_some(), "{code} is in the catalog");
        }
    }
}
