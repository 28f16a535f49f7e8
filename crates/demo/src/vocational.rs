//! The demo county's 职业教育: 溆浦楚怡职业学校 (renamed in 2021 from 溆浦县职业中等专业学校)
//! with its programmes, the 2021 五年制大专 agreement with 湖南商贸职业技术学院 and the intake
//! of 2020 and 2021 — 38 五年制大专 students in 2021, as the work summary says.

use chrono::NaiveDate;
use emis_domain::registry::{School, SchoolType};
use emis_domain::vocational::Schooling;

/// The school's name until the renaming.
pub const FORMER_NAME: &str = "溆浦县职业中等专业学校";

/// The last day it bore that name.
pub fn renamed_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 6, 30).expect("a calendar day")
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProgramme {
    pub school_code: String,
    pub name: &'static str,
    pub code: &'static str,
    pub schooling: Schooling,
    pub partner: Option<&'static str>,
    /// (协议名称, 签订日期, 期限（年）).
    pub agreement: Option<(&'static str, NaiveDate, i64)>,
    /// (year, students).
    pub intakes: Vec<(i32, i64)>,
}

/// The vocational school of the county (by type, the first in code order).
pub fn school(schools: &[School]) -> Option<&School> {
    let mut vocational: Vec<&School> = schools
        .iter()
        .filter(|s| s.school_type == SchoolType::Vocational)
        .collect();
    vocational.sort_by(|a, b| a.code.cmp(&b.code));
    vocational
        .iter()
        .find(|s| s.name.contains("楚怡"))
        .or(vocational.first())
        .copied()
}

pub fn generate(schools: &[School]) -> Vec<DemoProgramme> {
    let Some(school) = school(schools) else {
        return Vec::new();
    };
    let code = school.code.clone();
    let three = |name, c, intakes: Vec<(i32, i64)>| DemoProgramme {
        school_code: code.clone(),
        name,
        code: c,
        schooling: Schooling::ThreeYear,
        partner: None,
        agreement: None,
        intakes,
    };
    vec![
        DemoProgramme {
            school_code: code.clone(),
            name: "电子商务",
            code: "730701",
            schooling: Schooling::FiveYear,
            partner: Some("湖南商贸职业技术学院"),
            agreement: Some((
                "五年制大专人才培养合作协议书",
                NaiveDate::from_ymd_opt(2021, 5, 28).expect("a calendar day"),
                5,
            )),
            intakes: vec![(2021, 38)],
        },
        three("计算机应用", "710201", vec![(2020, 96), (2021, 105)]),
        three("汽车运用与维修", "700206", vec![(2020, 88), (2021, 92)]),
        three("幼儿保育", "770101", vec![(2020, 120), (2021, 131)]),
        three("电子技术应用", "710103", vec![(2020, 54), (2021, 60)]),
    ]
}
