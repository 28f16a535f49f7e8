//! Pure domain rules of county-emis: no I/O, no database, no clock unless passed in.
//!
//! Glossary (code name → 中文):
//! county → 县, township → 乡镇, school → 学校, term → 学期, grade → 年级,
//! class → 班级, student roll → 学籍, id number → 身份证件号, student number → 学籍号,
//! large class → 大班额 (56–65), oversize class → 超大班额 (66+), staff → 教职工,
//! hardship → 家庭经济困难, boarding → 寄宿, recruitment channel → 补充渠道; the teacher
//! workforce's terms are in [`teachers`]; the national systems' (代码值, 身份证件类型,
//! 学籍辅号, 留守儿童, 随迁子女) in [`national`].
#![forbid(unsafe_code)]

/// JSON for enums with Chinese labels (`ALL`, `label`, `parse`): written as the label, as
/// the database, sheets and pages carry it; read from the label or, for documents written
/// before, the variant name; documented as a string enum of the labels.
#[macro_export]
macro_rules! labels_in_json {
    ($($name:ident),+ $(,)?) => {$($crate::labels_in_json!($name as stringify!($name));)+};
    ($name:ident as $schema:expr) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.label())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text)
                    .or_else(|| $name::ALL.iter().copied().find(|v| format!("{v:?}") == text))
                    .ok_or_else(|| {
                        let labels: Vec<&str> = $name::ALL.iter().map(|v| v.label()).collect();
                        serde::de::Error::custom(format!("“{text}”不是可选值（{}）", labels.join(" / ")))
                    })
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $schema.into()
            }
            fn schema_id() -> std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let labels: Vec<&str> = $name::ALL.iter().map(|v| v.label()).collect();
                schemars::json_schema!({ "type": "string", "enum": labels })
            }
        }
    };
}

pub mod access;
pub mod aid;
pub mod audit;
pub mod class_size;
pub mod dates;
pub mod divisions;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
pub mod enrollment;
pub mod ethnicity;
pub mod files;
pub mod forms;
pub mod honours;
pub mod identity;
pub mod incidents;
pub mod indicators;
pub mod limits;
pub mod login;
pub mod national;
pub mod party;
pub mod projects;
pub mod region;
pub mod registry;
pub mod safety;
pub mod summary;
pub mod supervision;
pub mod teachers;
pub mod term;
pub mod text;
pub mod vocational;
