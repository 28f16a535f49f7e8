//! The registry's vocabulary: schools, grades, students and staff, with the Chinese
//! labels that sheets and pages use.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An enum whose variants have one Chinese label each, read and written in sheets.
macro_rules! labeled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        $crate::labels_in_json!($name);

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Chinese label shown to users and stored in the database.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a label (or an accepted alias) after width folding and trimming.
            pub fn parse(raw: &str) -> Option<$name> {
                let text = crate::text::fold_width(raw);
                match text.as_str() {
                    $($label $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The accepted labels, for error messages.
            pub fn choices() -> String {
                [$($label),+].join(" / ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use labeled_enum;

labeled_enum!(
    /// 办学类型.
    SchoolType {
        Kindergarten => "幼儿园",
        Primary => "小学",
        Junior => "初级中学" | "初中",
        NineYear => "九年一贯制学校" | "九年一贯制",
        Complete => "完全中学",
        Senior => "高级中学" | "高中",
        TwelveYear => "十二年一贯制学校" | "十二年一贯制",
        Vocational => "中等职业学校" | "中职",
        Special => "特殊教育学校" | "特殊教育",
    }
);

labeled_enum!(
    /// 城乡类别.
    UrbanRural { Urban => "城区", Town => "镇区", Rural => "乡村" }
);

labeled_enum!(
    /// 办学性质. 普惠性民办 is a 民办 kindergarten the county has recognised as 普惠性 (it
    /// charges the capped fee and receives the subsidy), counted with the 公办 ones when the
    /// county states 普惠.
    Ownership { Public => "公办", Private => "民办", InclusivePrivate => "普惠性民办" | "普惠民办" | "普惠性民办园" }
);

impl Ownership {
    /// 民办, 普惠性 or not.
    pub fn is_private(self) -> bool {
        self != Ownership::Public
    }

    /// 普惠性: 公办, or 民办 recognised as 普惠性.
    pub fn is_inclusive(self) -> bool {
        self != Ownership::Private
    }
}

/// Children on the roll in kindergarten grades, by their school's 办学性质: what 普及普惠 is
/// stated from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PreschoolPlaces {
    pub public: i64,
    pub inclusive_private: i64,
    pub private: i64,
}

impl PreschoolPlaces {
    pub fn add(&mut self, ownership: Ownership, children: i64) {
        match ownership {
            Ownership::Public => self.public += children,
            Ownership::InclusivePrivate => self.inclusive_private += children,
            Ownership::Private => self.private += children,
        }
    }

    pub fn total(&self) -> i64 {
        self.public + self.inclusive_private + self.private
    }

    /// 公办园在园幼儿占比; no figure without children.
    pub fn public_share(&self) -> Option<f64> {
        share(self.public, self.total())
    }

    /// 普惠性幼儿园覆盖率: children in 公办 and 普惠性民办 kindergartens over all; no figure
    /// without children.
    pub fn inclusive_share(&self) -> Option<f64> {
        share(self.public + self.inclusive_private, self.total())
    }
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

labeled_enum!(
    /// 性别.
    Sex { Male => "男", Female => "女" }
);

labeled_enum!(
    /// 年级. 初一–初三 are read as 七–九年级. 混龄班 is a kindergarten class of children of
    /// several ages (幼儿园工作规程: at most 30), which has no age grade of its own.
    Grade {
        Nursery => "小班",
        Middle => "中班",
        Senior => "大班",
        G1 => "一年级",
        G2 => "二年级",
        G3 => "三年级",
        G4 => "四年级",
        G5 => "五年级",
        G6 => "六年级",
        G7 => "七年级" | "初一" | "初一年级",
        G8 => "八年级" | "初二" | "初二年级",
        G9 => "九年级" | "初三" | "初三年级",
        S1 => "高一" | "高一年级",
        S2 => "高二" | "高二年级",
        S3 => "高三" | "高三年级",
        // Last, so that the ordinals of the age grades (arrays by grade, 小班 0 … 高三 14)
        // stay as they are; pages list it after 大班 through `Grade::IN_SCHOOL_ORDER`.
        Mixed => "混龄班" | "混龄",
    }
);

labeled_enum!(
    /// 学籍状态.
    StudentStatus {
        Enrolled => "在读",
        Suspended => "休学",
        HomeTaught => "送教上门",
        TransferredOut => "转出",
        Graduated => "毕业",
    }
);

labeled_enum!(
    /// 家庭经济困难类型.
    Hardship {
        None => "无",
        LiftedOut => "脱贫家庭" | "建档立卡" | "建档立卡户",
        Dibao => "低保家庭" | "低保",
        Tekun => "特困供养" | "特困",
        Orphan => "孤儿",
        Disabled => "残疾学生",
        Other => "其他困难",
    }
);

labeled_enum!(
    /// 岗位类别.
    PostType {
        Teacher => "专任教师",
        Admin => "行政人员",
        Support => "教辅人员",
        Worker => "工勤人员",
    }
);

labeled_enum!(
    /// 补充渠道.
    RecruitChannel {
        Tegang => "特岗计划" | "特岗",
        Open => "公开招聘",
        FundedNormal => "公费师范生" | "公费定向师范生",
        Transfer => "调入",
        Other => "其他",
    }
);

/// 学段: the stage a grade belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Stage {
    Preschool,
    Primary,
    Junior,
    Senior,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Preschool => "学前教育",
            Stage::Primary => "小学",
            Stage::Junior => "初中",
            Stage::Senior => "高中",
        }
    }
}

impl Grade {
    pub fn stage(self) -> Stage {
        use Grade::*;
        match self {
            Nursery | Middle | Senior | Mixed => Stage::Preschool,
            G1 | G2 | G3 | G4 | G5 | G6 => Stage::Primary,
            G7 | G8 | G9 => Stage::Junior,
            S1 | S2 | S3 => Stage::Senior,
        }
    }

    /// 义务教育: grades one to nine.
    pub fn is_compulsory(self) -> bool {
        matches!(self.stage(), Stage::Primary | Stage::Junior)
    }

    /// The grades in the order a school lists them: 混龄班 beside the other kindergarten
    /// classes.
    pub const IN_SCHOOL_ORDER: &'static [Grade] = {
        use Grade::*;
        &[
            Nursery, Middle, Senior, Mixed, G1, G2, G3, G4, G5, G6, G7, G8, G9, S1, S2, S3,
        ]
    };

    /// Position from 0 (小班) to 14 (高三); 混龄班 is 15.
    pub fn ordinal(self) -> usize {
        Grade::ALL.iter().position(|g| *g == self).unwrap_or(0)
    }

    /// Position in [`Grade::IN_SCHOOL_ORDER`], for sorting rows as a school lists them.
    pub fn school_order(self) -> usize {
        Grade::IN_SCHOOL_ORDER
            .iter()
            .position(|g| *g == self)
            .unwrap_or(0)
    }

    /// The next grade up: `None` after 高三, and for a 混龄班, whose children move on by age.
    pub fn next(self) -> Option<Grade> {
        match self {
            Grade::S3 | Grade::Mixed => None,
            _ => Grade::ALL.get(self.ordinal() + 1).copied(),
        }
    }

    /// Typical full years of age on 1 September of the school year (小班 3, 一年级 6, 高三 17;
    /// 混龄班 4, the middle of its 3 to 5).
    pub fn typical_age(self) -> i32 {
        match self {
            Grade::Mixed => 4,
            _ => 3 + self.ordinal() as i32,
        }
    }
}

impl SchoolType {
    /// The grades a school of this type teaches.
    pub fn grades(self) -> &'static [Grade] {
        use Grade::*;
        const ALL: &[Grade] = &[
            Nursery, Middle, Senior, G1, G2, G3, G4, G5, G6, G7, G8, G9, S1, S2, S3,
        ];
        match self {
            SchoolType::Kindergarten => &ALL[0..3],
            SchoolType::Primary => &ALL[3..9],
            SchoolType::Junior => &ALL[9..12],
            SchoolType::NineYear => &ALL[3..12],
            SchoolType::Complete => &ALL[9..15],
            SchoolType::Senior | SchoolType::Vocational => &ALL[12..15],
            SchoolType::TwelveYear => &ALL[3..15],
            SchoolType::Special => &ALL[3..12],
        }
    }

    /// Whether a school of this type may have a class of `grade`: its own grades, and 混龄班
    /// in a kindergarten.
    pub fn teaches(self, grade: Grade) -> bool {
        self.grades().contains(&grade)
            || (grade == Grade::Mixed && self.grades().contains(&Grade::Nursery))
    }

    /// 普通高中 classes: senior grades outside vocational schools.
    pub fn counts_as_general_senior(self) -> bool {
        !matches!(self, SchoolType::Vocational)
    }
}

/// Reads a class number as written: `3`, `3班`, `(3)班`, `（3）班`, `03`.
pub fn parse_class_number(raw: &str) -> Option<u32> {
    let text = crate::text::fold_width(raw);
    let digits: String = text
        .trim_end_matches('班')
        .trim_start_matches('(')
        .trim_end_matches(')')
        .to_string();
    let n: u32 = digits.parse().ok()?;
    (1..=99).contains(&n).then_some(n)
}

/// Reads 是 / 否 (and the usual variants).
pub fn parse_yes_no(raw: &str) -> Option<bool> {
    match crate::text::fold_width(raw).as_str() {
        "是" | "Y" | "y" | "1" | "√" => Some(true),
        "否" | "N" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

/// A school as the registry keeps it (学校标识码 is the 10-digit national school code).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct School {
    pub code: String,
    pub name: String,
    pub school_type: SchoolType,
    pub township_code: String,
    pub urban_rural: UrbanRural,
    pub ownership: Ownership,
    pub boarding: bool,
}

/// One student's facts for one term: identity plus where they sit that term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudentRecord {
    pub school_code: String,
    pub name: String,
    pub sex: Sex,
    pub id_number: String,
    /// 学籍号, kept apart from the ID number (never derived from it).
    pub student_no: Option<String>,
    pub grade: Grade,
    pub class_number: u32,
    pub birth_date: NaiveDate,
    pub ethnicity: Option<String>,
    pub household_township: Option<String>,
    pub boarding: bool,
    pub hardship: Hardship,
    pub disability: Option<String>,
    pub status: StudentStatus,
    pub term: crate::term::Term,
    /// What the national 学籍 export adds (留守, 随迁, 孤儿, 学籍辅号, …).
    #[serde(default)]
    pub national: crate::national::NationalFacts,
}

impl StudentRecord {
    /// The hardship type aid reads: the recorded one, or 孤儿 when the national sheet's
    /// 孤儿 flag is set and no hardship type is recorded (a 孤儿 is a priority group of
    /// every aid policy, RULES.md, whether or not the family was certified yet).
    pub fn effective_hardship(&self) -> Hardship {
        match (self.hardship, self.national.orphan) {
            (Hardship::None, Some(true)) => Hardship::Orphan,
            (recorded, _) => recorded,
        }
    }
}

/// A member of staff (教职工).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub school_code: String,
    pub name: String,
    pub sex: Sex,
    pub id_number: String,
    pub post_type: PostType,
    pub subject: Option<String>,
    pub title: Option<String>,
    pub channel: Option<RecruitChannel>,
    pub start_date: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.label()), Some(*g));
        }
        for t in SchoolType::ALL {
            assert_eq!(SchoolType::parse(t.label()), Some(*t));
        }
        assert_eq!(Grade::parse("初二"), Some(Grade::G8));
        assert_eq!(Grade::parse("十年级"), None);
    }

    #[test]
    fn preschool_shares_count_inclusive_private_with_public() {
        assert_eq!(
            Ownership::parse("普惠民办"),
            Some(Ownership::InclusivePrivate)
        );
        assert!(
            Ownership::InclusivePrivate.is_private() && Ownership::InclusivePrivate.is_inclusive()
        );
        assert!(!Ownership::Private.is_inclusive() && !Ownership::Public.is_private());
        let mut p = PreschoolPlaces::default();
        assert_eq!(
            (p.public_share(), p.inclusive_share()),
            (None, None),
            "no children, no figure"
        );
        p.add(Ownership::Public, 600);
        p.add(Ownership::InclusivePrivate, 250);
        p.add(Ownership::Private, 150);
        assert_eq!(p.total(), 1000);
        assert_eq!(p.public_share(), Some(0.6));
        assert_eq!(p.inclusive_share(), Some(0.85));
    }

    #[test]
    fn class_numbers_in_every_spelling() {
        for text in ["3", "3班", "(3)班", "（3）班", "03", "３"] {
            assert_eq!(parse_class_number(text), Some(3), "{text}");
        }
        assert_eq!(parse_class_number("三班"), None);
        assert_eq!(parse_class_number("0"), None);
    }

    #[test]
    fn stages_and_compulsory_grades() {
        assert!(Grade::G1.is_compulsory() && Grade::G9.is_compulsory());
        assert!(!Grade::Senior.is_compulsory() && !Grade::S1.is_compulsory());
        assert_eq!(Grade::G1.typical_age(), 6);
        assert_eq!(Grade::S3.typical_age(), 17);
        assert_eq!(Grade::S3.next(), None);
        assert_eq!(Grade::Senior.next(), Some(Grade::G1));
        assert_eq!(Grade::Mixed.next(), None);
        assert_eq!(Grade::Mixed.stage(), Stage::Preschool);
        assert_eq!(Grade::parse("混龄"), Some(Grade::Mixed));
        assert!(SchoolType::Kindergarten.teaches(Grade::Mixed));
        assert!(!SchoolType::Primary.teaches(Grade::Mixed));
        assert_eq!(Grade::IN_SCHOOL_ORDER.len(), Grade::ALL.len());
        assert_eq!(SchoolType::NineYear.grades().len(), 9);
    }

    /// JSON carries the label both ways; documents written with variant names still read;
    /// anything else is refused with the choices; the schema lists the labels.
    #[test]
    fn labels_in_json() {
        assert_eq!(
            serde_json::to_string(&Grade::G1).expect("json"),
            "\"一年级\""
        );
        let read = |text: &str| serde_json::from_str::<Grade>(text);
        assert_eq!(read("\"一年级\"").expect("label"), Grade::G1);
        assert_eq!(read("\"初二\"").expect("alias"), Grade::G8);
        assert_eq!(read("\"G1\"").expect("variant"), Grade::G1);
        let refused = read("\"十三年级\"").expect_err("unknown").to_string();
        assert!(
            refused.contains("十三年级") && refused.contains("一年级"),
            "{refused}"
        );
        let schema = schemars::schema_for!(Sex);
        assert_eq!(schema.get("enum"), Some(&serde_json::json!(["男", "女"])));
        let hazard = schemars::schema_for!(crate::safety::Grade);
        assert_eq!(hazard.get("title"), Some(&serde_json::json!("HazardGrade")));
    }
}
