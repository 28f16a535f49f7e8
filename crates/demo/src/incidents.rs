//! The demo county's 安全事故登记 of 2021, in the work summary's tone: no incident in school
//! time, no drowning; a few minor out-of-school incidents (traffic, a fall), each handled,
//! reported and closed. Placed at schools chosen by type in code order.

use chrono::NaiveDate;
use emis_domain::incidents::{IncidentCategory, StepKind};
use emis_domain::registry::{School, SchoolType, UrbanRural};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoIncident {
    pub school_code: String,
    pub happened_on: NaiveDate,
    pub category: IncidentCategory,
    pub in_school: bool,
    pub deaths: i64,
    pub injuries: i64,
    pub account: &'static str,
    pub steps: Vec<(StepKind, NaiveDate, &'static str)>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day")
}

pub fn generate(schools: &[School]) -> Vec<DemoIncident> {
    let mut sorted: Vec<&School> = schools.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let pick = |t: SchoolType, place: UrbanRural, nth: usize| {
        sorted
            .iter()
            .filter(|s| s.school_type == t && s.urban_rural == place)
            .nth(nth)
            .or_else(|| sorted.first())
            .map(|s| s.code.clone())
            .unwrap_or_default()
    };
    use StepKind::*;
    vec![
        DemoIncident {
            school_code: pick(SchoolType::Junior, UrbanRural::Town, 0),
            happened_on: day(2021, 3, 20),
            category: IncidentCategory::Traffic,
            in_school: false,
            deaths: 0,
            injuries: 2,
            account: "周六两名学生搭乘无牌摩托车回家途中与农用车剐蹭，二人擦伤、一人左臂骨裂，送县人民医院治疗后痊愈。",
            steps: vec![
                (Handling, day(2021, 3, 20), "班主任、校长赶赴医院，联系家长，协助交警调查。"),
                (Report, day(2021, 3, 21), "书面报告乡镇中心校和县教育局安全股。"),
                (Rectify, day(2021, 3, 26), "开展交通安全专题班会，告家长书重申不乘坐无牌、超载车辆。"),
                (Close, day(2021, 4, 12), "学生康复返校，教育局安全股核查后结案。"),
            ],
        },
        DemoIncident {
            school_code: pick(SchoolType::Primary, UrbanRural::Rural, 3),
            happened_on: day(2021, 8, 7),
            category: IncidentCategory::Accident,
            in_school: false,
            deaths: 0,
            injuries: 1,
            account: "暑假期间一名学生在自家屋后爬树摔伤右腿，家长送医，无生命危险。",
            steps: vec![
                (Handling, day(2021, 8, 8), "班主任家访慰问，了解治疗情况。"),
                (Report, day(2021, 8, 9), "报告乡镇中心校。"),
                (Close, day(2021, 9, 6), "学生开学正常返校，结案。"),
            ],
        },
        DemoIncident {
            school_code: pick(SchoolType::Senior, UrbanRural::Urban, 0),
            happened_on: day(2021, 10, 16),
            category: IncidentCategory::Traffic,
            in_school: false,
            deaths: 0,
            injuries: 1,
            account: "周末一名学生骑电动自行车在县城街道与行人相撞，学生手部擦伤，行人无碍。",
            steps: vec![
                (Handling, day(2021, 10, 16), "家长处理，学校知情后约谈家长。"),
                (Report, day(2021, 10, 18), "报告县教育局安全股。"),
                (Rectify, day(2021, 10, 22), "全校开展未成年人不得驾驶电动自行车的专题教育。"),
                (Close, day(2021, 11, 5), "结案。"),
            ],
        },
    ]
}
