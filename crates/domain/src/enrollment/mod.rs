//! 招生入学: enrollment zones, the allocation engine and balanced classes (issue #4).
//!
//! Everything here is pure and deterministic: the same input always gives the same output,
//! no clock, no I/O, no global random state (balanced classes take an explicit seed).
//!
//! * [`allocate`] places the applicants for one entry grade (一年级 or 七年级) at schools,
//!   zone applicants first in the published priority order of [`PriorityRank`], overflow
//!   at the nearest school with room; every placement carries its reason in Chinese.
//! * [`apply`] and [`compare`] support what-if runs ([`Scenario`]).
//! * [`form_classes`] forms balanced classes (均衡编班) from a school's intake with a
//!   recorded seed.
//! * [`synthetic_input`] builds a deterministic large input for benchmarks and tests.

mod allocation;
mod balance;
mod rng;
mod scenario;
mod synthetic;
#[cfg(test)]
mod tests;

pub use allocation::{
    allocate, AllocationResult, Placement, PlacementKind, PriorityRank, SchoolTotal, Unplaced,
    UnplacedReason,
};
pub use balance::{form_classes, summarize_classes, BalanceStudent, ClassSummary};
pub use scenario::{
    apply, compare, Comparison, PlacementChange, Scenario, ScenarioChange, SchoolDiff,
};
pub use synthetic::synthetic_input;

use crate::registry::{Grade, Sex};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A residential community or village (社区/村), the unit zones are drawn with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub code: String,
    pub name: String,
    pub township_code: String,
}

/// 学区: the communities a school serves for an entry grade (一年级 or 七年级).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub school_code: String,
    pub grade: Grade,
    pub communities: Vec<String>,
}

/// A school's intake plan for a grade: `classes` classes of the standard size
/// (RULES.md: 小学 45, 初中 50; see [`crate::class_size::ClassSizeRules::standard_size`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCapacity {
    pub school_code: String,
    pub grade: Grade,
    pub classes: u32,
    pub class_size: u32,
}

impl SchoolCapacity {
    /// Places offered: classes × class size.
    pub fn capacity(&self) -> u32 {
        self.classes.saturating_mul(self.class_size)
    }
}

/// 政策性照顾类别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PriorityCategory {
    /// 军人子女
    ServicemanChild,
    /// 乡村教师子女
    RuralTeacherChild,
    /// 随迁子女 (children of migrant workers)
    MigrantWorkerChild,
    /// 其他政策性照顾
    Other,
}

impl PriorityCategory {
    pub const ALL: &'static [PriorityCategory] = &[
        PriorityCategory::ServicemanChild,
        PriorityCategory::RuralTeacherChild,
        PriorityCategory::MigrantWorkerChild,
        PriorityCategory::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PriorityCategory::ServicemanChild => "军人子女",
            PriorityCategory::RuralTeacherChild => "乡村教师子女",
            PriorityCategory::MigrantWorkerChild => "随迁子女",
            PriorityCategory::Other => "其他政策性照顾",
        }
    }

    /// Reads a label or a common longer spelling, after width folding and trimming.
    pub fn parse(raw: &str) -> Option<PriorityCategory> {
        let text = crate::text::fold_width(raw);
        match text.as_str() {
            "军人子女" | "现役军人子女" | "军人" => {
                Some(PriorityCategory::ServicemanChild)
            }
            "乡村教师子女" | "农村教师子女" => {
                Some(PriorityCategory::RuralTeacherChild)
            }
            "随迁子女" | "进城务工人员随迁子女" => {
                Some(PriorityCategory::MigrantWorkerChild)
            }
            "其他政策性照顾" | "其他" => Some(PriorityCategory::Other),
            _ => None,
        }
    }

    /// The categories of priority rank 4 (政策优先); 随迁子女 has its own rank 5.
    pub fn is_policy(self) -> bool {
        !matches!(self, PriorityCategory::MigrantWorkerChild)
    }
}

impl std::fmt::Display for PriorityCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One applicant for an entry grade.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    /// 身份证件号 (the applicant's key; a repeated number is refused as a duplicate).
    pub id: String,
    pub name: String,
    pub sex: Sex,
    /// Code of the community or village where the family lives.
    pub community: String,
    /// 户籍 in the zone.
    pub hukou_in_zone: bool,
    /// 房产 in the zone.
    pub owns_property: bool,
    /// School code where an older sibling studies (兄姐在校).
    pub sibling_at_school: Option<String>,
    pub priority: Vec<PriorityCategory>,
    /// A score (七年级 intake), used only by balanced classes.
    pub score: Option<f64>,
}

/// One row of the distance table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistanceEntry {
    pub community: String,
    pub school_code: String,
    pub metres: u32,
}

/// Distances in metres between communities and schools (coordinate-free; road or
/// straight-line distances as the bureau measured them). Serialized as a sorted list of
/// [`DistanceEntry`] rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<DistanceEntry>", into = "Vec<DistanceEntry>")]
pub struct Distances {
    by_community: HashMap<String, HashMap<String, u32>>,
}

impl Distances {
    pub fn new() -> Distances {
        Distances::default()
    }

    /// Sets the distance between a community and a school (a later value replaces).
    pub fn insert(&mut self, community: &str, school_code: &str, metres: u32) {
        self.by_community
            .entry(community.to_string())
            .or_default()
            .insert(school_code.to_string(), metres);
    }

    pub fn get(&self, community: &str, school_code: &str) -> Option<u32> {
        self.by_community.get(community)?.get(school_code).copied()
    }

    /// The schools with a known distance from a community (in no particular order).
    pub fn from_community<'a>(
        &'a self,
        community: &str,
    ) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.by_community
            .get(community)
            .into_iter()
            .flat_map(|m| m.iter().map(|(s, d)| (s.as_str(), *d)))
    }

    pub fn len(&self) -> usize {
        self.by_community.values().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All rows, sorted by community then school.
    pub fn entries(&self) -> Vec<DistanceEntry> {
        let mut rows: Vec<DistanceEntry> = self
            .by_community
            .iter()
            .flat_map(|(c, m)| {
                m.iter().map(move |(s, d)| DistanceEntry {
                    community: c.clone(),
                    school_code: s.clone(),
                    metres: *d,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.community.as_str(), a.school_code.as_str())
                .cmp(&(b.community.as_str(), b.school_code.as_str()))
        });
        rows
    }
}

impl From<Vec<DistanceEntry>> for Distances {
    fn from(rows: Vec<DistanceEntry>) -> Distances {
        let mut d = Distances::new();
        for row in rows {
            d.insert(&row.community, &row.school_code, row.metres);
        }
        d
    }
}

impl From<Distances> for Vec<DistanceEntry> {
    fn from(d: Distances) -> Vec<DistanceEntry> {
        d.entries()
    }
}

impl FromIterator<((String, String), u32)> for Distances {
    fn from_iter<I: IntoIterator<Item = ((String, String), u32)>>(iter: I) -> Distances {
        let mut d = Distances::new();
        for ((community, school), metres) in iter {
            d.insert(&community, &school, metres);
        }
        d
    }
}

/// Everything one allocation run reads. Only the zones and capacities of `grade` are used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationInput {
    pub grade: Grade,
    pub communities: Vec<Community>,
    pub zones: Vec<Zone>,
    pub capacities: Vec<SchoolCapacity>,
    pub distances: Distances,
    pub applicants: Vec<Applicant>,
}

/// "1.2公里" from 1 km on, "800米" below.
pub fn format_distance(metres: u32) -> String {
    if metres >= 1000 {
        format!("{:.1}公里", f64::from(metres) / 1000.0)
    } else {
        format!("{metres}米")
    }
}
