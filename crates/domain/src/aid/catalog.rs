//! The 2021 policies of RULES.md ("Student aid, as in force in 2021"), as data.
//!
//! Amounts marked *to confirm* in RULES.md (the fees, the local 学前教育资助 amount) are
//! defaults here; the catalog is kept per year in the database and edited there.

use super::{Amount, Policy, Rule, Tier};
use crate::registry::{Grade, Hardship, SchoolType, Stage, UrbanRural};

const COMPULSORY: &[Grade] = &[
    Grade::G1,
    Grade::G2,
    Grade::G3,
    Grade::G4,
    Grade::G5,
    Grade::G6,
    Grade::G7,
    Grade::G8,
    Grade::G9,
];
const SENIOR: &[Grade] = &[Grade::S1, Grade::S2, Grade::S3];
const PRESCHOOL: &[Grade] = &[Grade::Nursery, Grade::Middle, Grade::Senior, Grade::Mixed];
const GENERAL_SENIOR_SCHOOLS: &[SchoolType] = &[
    SchoolType::Senior,
    SchoolType::Complete,
    SchoolType::TwelveYear,
];

/// 建档立卡/脱贫, 残疾, 低保, 特困供养: the groups of the 非寄宿生 and 免学杂费 rows.
fn listed_groups() -> Rule {
    Rule::AnyOf(vec![
        Rule::Hardship(vec![Hardship::LiftedOut, Hardship::Dibao, Hardship::Tekun]),
        Rule::Disabled,
    ])
}

/// 档次 of the 国家助学金 (per term, half the yearly 3000 / 2000 / 1000): 特困 and 孤儿
/// first tier, 脱贫, 低保 and 残疾 second, other hardship third.
fn grant_tiers() -> Amount {
    Amount::Tiers {
        tiers: vec![
            Tier {
                fen: 150_000,
                when: Rule::Hardship(vec![Hardship::Tekun, Hardship::Orphan]),
            },
            Tier {
                fen: 100_000,
                when: Rule::AnyOf(vec![
                    Rule::Hardship(vec![Hardship::LiftedOut, Hardship::Dibao]),
                    Rule::Disabled,
                ]),
            },
            Tier {
                fen: 50_000,
                when: Rule::Everyone,
            },
        ],
    }
}

fn policy(
    code: &str,
    name: &str,
    grades: &[Grade],
    types: &[SchoolType],
    who: Rule,
    amount: Amount,
) -> Policy {
    Policy {
        code: code.to_string(),
        name: name.to_string(),
        year: 2021,
        grades: grades.to_vec(),
        school_types: types.to_vec(),
        who,
        amount,
        quota: None,
        document: None,
    }
}

/// The national and Hunan student-aid policies in force in 2021.
pub fn catalog_2021() -> Vec<Policy> {
    vec![
        policy(
            "nutrition",
            "农村义务教育学生营养改善计划",
            COMPULSORY,
            &[],
            Rule::SchoolSetting(vec![UrbanRural::Rural]),
            Amount::PerDay {
                spring_fen: 400,
                autumn_fen: 500,
                days: 100,
            },
        ),
        policy(
            "boarding",
            "家庭经济困难寄宿生生活费补助",
            COMPULSORY,
            &[],
            Rule::AllOf(vec![Rule::Boarding, Rule::AnyHardship]),
            Amount::ByStage {
                amounts: vec![(Stage::Primary, 50_000), (Stage::Junior, 62_500)],
            },
        ),
        policy(
            "non_boarding",
            "非寄宿生生活费补助",
            COMPULSORY,
            &[],
            Rule::AllOf(vec![Rule::Not(Box::new(Rule::Boarding)), listed_groups()]),
            Amount::ByStage {
                amounts: vec![(Stage::Primary, 25_000), (Stage::Junior, 31_250)],
            },
        ),
        policy(
            "senior_grant",
            "普通高中国家助学金",
            SENIOR,
            GENERAL_SENIOR_SCHOOLS,
            Rule::AnyHardship,
            grant_tiers(),
        ),
        policy(
            "senior_fee",
            "普通高中免学杂费",
            SENIOR,
            GENERAL_SENIOR_SCHOOLS,
            listed_groups(),
            Amount::PerTerm { fen: 80_000 },
        ),
        policy(
            "vocational_fee",
            "中职免学费",
            SENIOR,
            &[SchoolType::Vocational],
            Rule::VocationalYear(vec![1, 2, 3]),
            // The school's fee (*to confirm*): 中职 tuition of 3000 yuan a year.
            Amount::PerTerm { fen: 150_000 },
        ),
        policy(
            "vocational_grant",
            "中职国家助学金",
            SENIOR,
            &[SchoolType::Vocational],
            Rule::AllOf(vec![Rule::VocationalYear(vec![1, 2]), Rule::AnyHardship]),
            grant_tiers(),
        ),
        policy(
            "preschool",
            "学前教育资助",
            PRESCHOOL,
            &[],
            Rule::AnyOf(vec![Rule::AnyHardship, Rule::Disabled]),
            Amount::PerTerm { fen: 50_000 },
        ),
        policy(
            "yulu",
            "雨露计划",
            SENIOR,
            &[SchoolType::Vocational],
            Rule::Hardship(vec![Hardship::LiftedOut]),
            Amount::PerTerm { fen: 150_000 },
        ),
    ]
}
