//! What-if runs (方案比较): change the plan or the zones, allocate again, compare.

use super::{AllocationInput, AllocationResult, PlacementKind, SchoolCapacity, SchoolTotal, Zone};
use crate::class_size::ClassSizeRules;
use crate::registry::Grade;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One change to an allocation input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ScenarioChange {
    /// Add `n` classes to a school's plan for a grade (negative removes, down to zero). A
    /// school without a plan for the grade gets one with the standard class size.
    AddClasses {
        school_code: String,
        grade: Grade,
        n: i32,
    },
    /// Move a community into the zone of `to_school` for the input's grade (out of every
    /// other zone of that grade).
    MoveCommunity {
        community: String,
        to_school: String,
    },
    /// Set the class size of a school's plan for a grade (no effect without a plan).
    SetClassSize {
        school_code: String,
        grade: Grade,
        class_size: u32,
    },
}

impl ScenarioChange {
    /// The change in words, e.g. "学校X一年级增加2个班".
    pub fn describe(&self) -> String {
        match self {
            ScenarioChange::AddClasses {
                school_code,
                grade,
                n,
            } if *n >= 0 => format!("学校{school_code}{}增加{n}个班", grade.label()),
            ScenarioChange::AddClasses {
                school_code,
                grade,
                n,
            } => format!(
                "学校{school_code}{}减少{}个班",
                grade.label(),
                n.unsigned_abs()
            ),
            ScenarioChange::MoveCommunity {
                community,
                to_school,
            } => format!("社区{community}调整至学校{to_school}学区"),
            ScenarioChange::SetClassSize {
                school_code,
                grade,
                class_size,
            } => format!("学校{school_code}{}班额设为{class_size}人", grade.label()),
        }
    }
}

/// A named what-if: a list of changes applied in order to a base input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub changes: Vec<ScenarioChange>,
}

/// The input with the scenario's changes applied, in order. The base is not modified.
pub fn apply(base: &AllocationInput, scenario: &Scenario) -> AllocationInput {
    let mut input = base.clone();
    let rules = ClassSizeRules::default();
    for change in &scenario.changes {
        match change {
            ScenarioChange::AddClasses {
                school_code,
                grade,
                n,
            } => {
                let found = input
                    .capacities
                    .iter_mut()
                    .find(|c| c.school_code == *school_code && c.grade == *grade);
                match found {
                    Some(cap) => cap.classes = cap.classes.saturating_add_signed(*n),
                    None if *n > 0 => input.capacities.push(SchoolCapacity {
                        school_code: school_code.clone(),
                        grade: *grade,
                        classes: n.unsigned_abs(),
                        class_size: rules.standard_size(*grade),
                    }),
                    None => {}
                }
            }
            ScenarioChange::MoveCommunity {
                community,
                to_school,
            } => {
                let grade = input.grade;
                for zone in input.zones.iter_mut().filter(|z| z.grade == grade) {
                    zone.communities.retain(|c| c != community);
                }
                match input
                    .zones
                    .iter_mut()
                    .find(|z| z.grade == grade && z.school_code == *to_school)
                {
                    Some(zone) => zone.communities.push(community.clone()),
                    None => input.zones.push(Zone {
                        school_code: to_school.clone(),
                        grade,
                        communities: vec![community.clone()],
                    }),
                }
            }
            ScenarioChange::SetClassSize {
                school_code,
                grade,
                class_size,
            } => {
                if let Some(cap) = input
                    .capacities
                    .iter_mut()
                    .find(|c| c.school_code == *school_code && c.grade == *grade)
                {
                    cap.class_size = *class_size;
                }
            }
        }
    }
    input
}

/// A school whose totals differ between two runs (`None`: absent from that run).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchoolDiff {
    pub school_code: String,
    pub before: Option<SchoolTotal>,
    pub after: Option<SchoolTotal>,
    /// after.placed − before.placed.
    pub placed_delta: i64,
    /// after.capacity − before.capacity.
    pub capacity_delta: i64,
    /// after.classes_needed − before.classes_needed.
    pub classes_delta: i64,
}

/// An applicant placed differently (another school, or placed ↔ unplaced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlacementChange {
    pub applicant_id: String,
    pub before_school: Option<String>,
    pub after_school: Option<String>,
    pub before_reason: String,
    pub after_reason: String,
}

/// Two runs side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comparison {
    pub placed_before: usize,
    pub placed_after: usize,
    pub unplaced_before: usize,
    pub unplaced_after: usize,
    pub zone_placed_before: usize,
    pub zone_placed_after: usize,
    /// Schools whose totals differ, by school code.
    pub schools: Vec<SchoolDiff>,
    /// Applicants whose school changed, by ID number.
    pub changed: Vec<PlacementChange>,
}

fn delta(
    before: Option<&SchoolTotal>,
    after: Option<&SchoolTotal>,
    f: fn(&SchoolTotal) -> u32,
) -> i64 {
    i64::from(after.map_or(0, f)) - i64::from(before.map_or(0, f))
}

/// Compares run `a` (before) with run `b` (after).
pub fn compare(a: &AllocationResult, b: &AllocationResult) -> Comparison {
    let mut schools: BTreeMap<&str, (Option<&SchoolTotal>, Option<&SchoolTotal>)> = BTreeMap::new();
    for s in &a.schools {
        schools.entry(&s.school_code).or_default().0 = Some(s);
    }
    for s in &b.schools {
        schools.entry(&s.school_code).or_default().1 = Some(s);
    }
    let school_diffs = schools
        .into_iter()
        .filter(|(_, (x, y))| x != y)
        .map(|(code, (x, y))| SchoolDiff {
            school_code: code.to_string(),
            before: x.cloned(),
            after: y.cloned(),
            placed_delta: delta(x, y, |s| s.placed),
            capacity_delta: delta(x, y, |s| s.capacity),
            classes_delta: delta(x, y, |s| s.classes_needed),
        })
        .collect();

    let mut before: HashMap<&str, (Option<&str>, &str)> = HashMap::new();
    for p in &a.placements {
        before
            .entry(&p.applicant_id)
            .or_insert((p.school_code.as_deref(), &p.reason));
    }
    let mut after: BTreeMap<&str, (Option<&str>, &str)> = BTreeMap::new();
    for p in &b.placements {
        after
            .entry(&p.applicant_id)
            .or_insert((p.school_code.as_deref(), &p.reason));
    }
    let mut changed: Vec<PlacementChange> = Vec::new();
    const ABSENT: &str = "（本方案无此申请）";
    for (id, (school, reason)) in &after {
        let (old_school, old_reason) = match before.get(id) {
            Some((old_school, _)) if old_school == school => continue,
            Some(&(old_school, old_reason)) => (old_school, old_reason),
            None => (None, ABSENT),
        };
        changed.push(PlacementChange {
            applicant_id: id.to_string(),
            before_school: old_school.map(str::to_string),
            after_school: school.map(str::to_string),
            before_reason: old_reason.to_string(),
            after_reason: reason.to_string(),
        });
    }
    for (id, (school, reason)) in &before {
        if !after.contains_key(id) {
            changed.push(PlacementChange {
                applicant_id: id.to_string(),
                before_school: school.map(str::to_string),
                after_school: None,
                before_reason: reason.to_string(),
                after_reason: ABSENT.to_string(),
            });
        }
    }
    changed.sort_by(|x, y| x.applicant_id.cmp(&y.applicant_id));

    let zone = |r: &AllocationResult| {
        r.placements
            .iter()
            .filter(|p| p.kind == PlacementKind::Zone)
            .count()
    };
    Comparison {
        placed_before: a.placed_count(),
        placed_after: b.placed_count(),
        unplaced_before: a.unplaced.len(),
        unplaced_after: b.unplaced.len(),
        zone_placed_before: zone(a),
        zone_placed_after: zone(b),
        schools: school_diffs,
        changed,
    }
}
