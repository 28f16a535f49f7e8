//! 大班额: class-size bands and standard sizes (RULES.md, 教育部 bands and 建标〔2002〕102号).
//! The thresholds are settings with these defaults, never constants in queries.

use crate::registry::{Grade, SchoolType, Stage};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Band {
    Normal,
    /// 偏大班额 46–55
    Big,
    /// 大班额 56–65
    Large,
    /// 超大班额 66+
    Oversize,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Normal => "正常",
            Band::Big => "偏大班额",
            Band::Large => "大班额",
            Band::Oversize => "超大班额",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassSizeRules {
    pub big_from: u32,
    pub large_from: u32,
    pub oversize_from: u32,
    pub standard_primary: u32,
    pub standard_secondary: u32,
    pub standard_kindergarten: [u32; 3],
    /// 混龄班 (幼儿园工作规程: 30). Settings saved before it existed read the default.
    #[serde(default = "default_mixed_age")]
    pub standard_mixed_age: u32,
}

fn default_mixed_age() -> u32 {
    30
}

impl Default for ClassSizeRules {
    fn default() -> Self {
        ClassSizeRules {
            big_from: 46,
            large_from: 56,
            oversize_from: 66,
            standard_primary: 45,
            standard_secondary: 50,
            standard_kindergarten: [25, 30, 35],
            standard_mixed_age: default_mixed_age(),
        }
    }
}

impl ClassSizeRules {
    pub fn band(&self, size: u32) -> Band {
        if size >= self.oversize_from {
            Band::Oversize
        } else if size >= self.large_from {
            Band::Large
        } else if size >= self.big_from {
            Band::Big
        } else {
            Band::Normal
        }
    }

    /// The band of a class of `grade`: kindergarten classes by their own 规程 sizes (小班 25,
    /// 中班 30, 大班 35, 混龄班 30; above it is their 大班额), every other class by the
    /// 46/56/66 bands.
    pub fn band_of(&self, grade: Grade, size: u32) -> Band {
        if grade.stage() == Stage::Preschool {
            if size > self.standard_size(grade) {
                Band::Large
            } else {
                Band::Normal
            }
        } else {
            self.band(size)
        }
    }

    /// The places of one classroom a building project adds to a school, by the stage the
    /// school starts with (a 九年一贯制 school's new rooms count as primary rooms).
    pub fn standard_for_school(&self, school_type: crate::registry::SchoolType) -> u32 {
        match school_type.grades().first() {
            Some(g) => self.standard_size(*g),
            None => self.standard_primary,
        }
    }

    /// The planning capacity of one classroom for a grade (九年一贯制 follows the grade).
    pub fn standard_size(&self, grade: Grade) -> u32 {
        match grade {
            Grade::Nursery => self.standard_kindergarten[0],
            Grade::Middle => self.standard_kindergarten[1],
            Grade::Senior => self.standard_kindergarten[2],
            Grade::Mixed => self.standard_mixed_age,
            g if g.stage() == Stage::Primary => self.standard_primary,
            _ => self.standard_secondary,
        }
    }
}

/// One class as the indicators see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassFact {
    pub school_type: SchoolType,
    pub grade: Grade,
    pub size: u32,
}

/// The counts behind `classes.large.*` and `classes.oversize.*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LargeClassCounts {
    /// 义务教育 classes of 56+ (超大 included).
    pub compulsory_large: u64,
    pub compulsory_oversize: u64,
    /// 普通高中 classes of 56+.
    pub senior_large: u64,
    pub senior_oversize: u64,
}

pub fn count_large_classes(rules: &ClassSizeRules, classes: &[ClassFact]) -> LargeClassCounts {
    let mut counts = LargeClassCounts::default();
    for class in classes {
        let band = rules.band(class.size);
        let large = matches!(band, Band::Large | Band::Oversize);
        let oversize = band == Band::Oversize;
        if class.grade.is_compulsory() {
            counts.compulsory_large += u64::from(large);
            counts.compulsory_oversize += u64::from(oversize);
        } else if class.grade.stage() == Stage::Senior
            && class.school_type.counts_as_general_senior()
        {
            counts.senior_large += u64::from(large);
            counts.senior_oversize += u64::from(oversize);
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kindergarten_classes_have_their_own_bands() {
        let rules = ClassSizeRules::default();
        // 小班 25, 中班 30, 大班 35 (幼儿园工作规程): one child over is over its band.
        assert_eq!(rules.band_of(Grade::Nursery, 25), Band::Normal);
        assert_eq!(rules.band_of(Grade::Nursery, 26), Band::Large);
        assert_eq!(rules.band_of(Grade::Middle, 31), Band::Large);
        assert_eq!(rules.band_of(Grade::Senior, 35), Band::Normal);
        // A 40-child 大班 is not judged by the 46/56 bands of schools.
        assert_eq!(rules.band(40), Band::Normal);
        assert_eq!(rules.band_of(Grade::Senior, 40), Band::Large);
        assert_eq!(rules.band_of(Grade::G1, 56), rules.band(56));
        // 混龄班 30.
        assert_eq!(rules.band_of(Grade::Mixed, 30), Band::Normal);
        assert_eq!(rules.band_of(Grade::Mixed, 31), Band::Large);
    }

    #[test]
    fn settings_saved_before_mixed_age_classes_read_the_default() {
        let mut old = serde_json::to_value(ClassSizeRules::default()).expect("json");
        old.as_object_mut()
            .expect("object")
            .remove("standard_mixed_age");
        let rules: ClassSizeRules = serde_json::from_value(old).expect("reads");
        assert_eq!(rules.standard_size(Grade::Mixed), 30);
    }

    #[test]
    fn band_edges() {
        let r = ClassSizeRules::default();
        assert_eq!(r.band(45), Band::Normal);
        assert_eq!(r.band(46), Band::Big);
        assert_eq!(r.band(55), Band::Big);
        assert_eq!(r.band(56), Band::Large);
        assert_eq!(r.band(65), Band::Large);
        assert_eq!(r.band(66), Band::Oversize);
        assert_eq!(r.standard_size(Grade::G3), 45);
        assert_eq!(r.standard_size(Grade::G8), 50);
        assert_eq!(r.standard_size(Grade::Middle), 30);
    }

    #[test]
    fn vocational_and_kindergarten_classes_are_not_counted() {
        let r = ClassSizeRules::default();
        let classes = [
            ClassFact {
                school_type: SchoolType::Primary,
                grade: Grade::G1,
                size: 70,
            },
            ClassFact {
                school_type: SchoolType::Junior,
                grade: Grade::G8,
                size: 58,
            },
            ClassFact {
                school_type: SchoolType::Senior,
                grade: Grade::S2,
                size: 66,
            },
            ClassFact {
                school_type: SchoolType::Vocational,
                grade: Grade::S1,
                size: 80,
            },
            ClassFact {
                school_type: SchoolType::Kindergarten,
                grade: Grade::Senior,
                size: 60,
            },
        ];
        let c = count_large_classes(&r, &classes);
        assert_eq!(
            c,
            LargeClassCounts {
                compulsory_large: 2,
                compulsory_oversize: 1,
                senior_large: 1,
                senior_oversize: 1
            }
        );
    }

    proptest! {
        #[test]
        fn oversize_is_a_subset_of_large(sizes in prop::collection::vec(1u32..90, 0..200)) {
            let r = ClassSizeRules::default();
            let classes: Vec<ClassFact> = sizes.iter().map(|s| ClassFact { school_type: SchoolType::NineYear, grade: Grade::G5, size: *s }).collect();
            let c = count_large_classes(&r, &classes);
            prop_assert!(c.compulsory_oversize <= c.compulsory_large);
            prop_assert_eq!(c.compulsory_large as usize, sizes.iter().filter(|s| **s >= 56).count());
        }
    }
}
