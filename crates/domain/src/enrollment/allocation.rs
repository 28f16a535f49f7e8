//! The allocation engine (招生划片派位): who goes to which school, and why.

use super::{format_distance, AllocationInput, Applicant, PriorityCategory};
use crate::class_size::ClassSizeRules;
use crate::registry::Grade;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The published priority order (入学顺位) for applicants living in a school's zone.
///
/// An applicant's zone school is the school whose zone (for the grade) contains the
/// community the family lives in. Zone applicants of a school are admitted to it in this
/// order, best first; each applicant has the best rank whose condition holds:
///
/// 1. 户籍与房产均在片区 — household registration AND property in the zone;
/// 2. 兄姐在本校就读 — an older sibling already at the zone school;
/// 3. 户籍或房产其一在片区 — household registration only, or property only;
/// 4. 政策优先 — policy priority categories (军人子女, 乡村教师子女, 其他政策性照顾);
/// 5. 随迁子女 — children of migrant workers living in the zone;
/// 6. 片区内居住 — everyone else living in the zone (e.g. renters);
/// 7. 片区外 — the community is in no zone for the grade: placed only as overflow.
///
/// Ties within a rank are broken by the distance from the community to the zone school
/// (nearer first; an unknown distance counts as farthest), then by ID number (ascending
/// text order). For applicants out of zone the distance is to the nearest school offering
/// the grade. The order is total, so the result never depends on the input order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PriorityRank {
    HukouAndProperty,
    Sibling,
    HukouOrProperty,
    PolicyPriority,
    MigrantChild,
    ResidentInZone,
    OutOfZone,
}

impl PriorityRank {
    pub const ALL: &'static [PriorityRank] = &[
        PriorityRank::HukouAndProperty,
        PriorityRank::Sibling,
        PriorityRank::HukouOrProperty,
        PriorityRank::PolicyPriority,
        PriorityRank::MigrantChild,
        PriorityRank::ResidentInZone,
        PriorityRank::OutOfZone,
    ];

    /// 1 (first) to 7.
    pub fn ordinal(self) -> u8 {
        match self {
            PriorityRank::HukouAndProperty => 1,
            PriorityRank::Sibling => 2,
            PriorityRank::HukouOrProperty => 3,
            PriorityRank::PolicyPriority => 4,
            PriorityRank::MigrantChild => 5,
            PriorityRank::ResidentInZone => 6,
            PriorityRank::OutOfZone => 7,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PriorityRank::HukouAndProperty => "户籍与房产均在片区",
            PriorityRank::Sibling => "兄姐在本校就读",
            PriorityRank::HukouOrProperty => "户籍或房产其一在片区",
            PriorityRank::PolicyPriority => "政策优先",
            PriorityRank::MigrantChild => "随迁子女",
            PriorityRank::ResidentInZone => "片区内居住",
            PriorityRank::OutOfZone => "片区外",
        }
    }

    /// The rank of an applicant whose zone school is `zone_school` (`None`: out of zone).
    pub fn of(applicant: &Applicant, zone_school: Option<&str>) -> PriorityRank {
        let Some(school) = zone_school else {
            return PriorityRank::OutOfZone;
        };
        if applicant.hukou_in_zone && applicant.owns_property {
            PriorityRank::HukouAndProperty
        } else if applicant.sibling_at_school.as_deref() == Some(school) {
            PriorityRank::Sibling
        } else if applicant.hukou_in_zone || applicant.owns_property {
            PriorityRank::HukouOrProperty
        } else if applicant.priority.iter().any(|p| p.is_policy()) {
            PriorityRank::PolicyPriority
        } else if applicant
            .priority
            .contains(&PriorityCategory::MigrantWorkerChild)
        {
            PriorityRank::MigrantChild
        } else {
            PriorityRank::ResidentInZone
        }
    }
}

impl std::fmt::Display for PriorityRank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}顺位（{}）", self.ordinal(), self.label())
    }
}

/// How a placement was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlacementKind {
    /// At the zone school (划片入学).
    Zone,
    /// At the nearest school with room (统筹安排).
    Overflow,
    /// Not placed; see [`AllocationResult::unplaced`].
    Unplaced,
}

impl PlacementKind {
    pub fn label(self) -> &'static str {
        match self {
            PlacementKind::Zone => "划片入学",
            PlacementKind::Overflow => "统筹安排",
            PlacementKind::Unplaced => "未安排",
        }
    }
}

/// One applicant's outcome. `school_code` is `None` when the applicant was not placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub applicant_id: String,
    pub school_code: Option<String>,
    pub kind: PlacementKind,
    pub rank: PriorityRank,
    /// The applicant's zone school, if the community is in a zone.
    pub zone_school: Option<String>,
    /// Distance from the community to the school placed at, when known.
    pub distance_m: Option<u32>,
    /// Why, in Chinese: "划片内：户籍与房产均在片区（第1顺位）",
    /// "划片学校X已满（第3顺位），就近安排至Y（距离1.2公里）", …
    pub reason: String,
}

/// Why an applicant could not be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnplacedReason {
    /// Zone school full and every school with a known distance full too.
    ZoneFullNoRoomNearby,
    /// Zone school full and no distance data to any other school offering the grade.
    ZoneFullNoDistances,
    /// Community in no zone; every school with a known distance full.
    NotZonedNoRoomNearby,
    /// Community in no zone and no distance data to any school offering the grade.
    NotZonedNoDistances,
    /// The same ID number applied more than once; the first application is the one used.
    DuplicateApplication,
}

impl UnplacedReason {
    pub fn label(self) -> &'static str {
        match self {
            UnplacedReason::ZoneFullNoRoomNearby => "划片学校已满，有距离数据的学校均无空余学位",
            UnplacedReason::ZoneFullNoDistances => "划片学校已满，缺少到其他学校的距离数据",
            UnplacedReason::NotZonedNoRoomNearby => {
                "所在社区不在本年级任何学区，有距离数据的学校均无空余学位"
            }
            UnplacedReason::NotZonedNoDistances => "所在社区不在本年级任何学区，且无距离数据",
            UnplacedReason::DuplicateApplication => "身份证件号重复，以首次出现的申请为准",
        }
    }
}

/// An applicant left without a place, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    pub applicant_id: String,
    pub rank: PriorityRank,
    pub zone_school: Option<String>,
    pub reason: UnplacedReason,
    /// The reason in full, in Chinese.
    pub message: String,
}

/// A school's intake after allocation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchoolTotal {
    pub school_code: String,
    pub grade: Grade,
    /// Planned classes (招生计划班数).
    pub classes_planned: u32,
    pub class_size: u32,
    /// classes_planned × class_size.
    pub capacity: u32,
    /// Applicants whose zone school this is (demand in the zone).
    pub zone_applicants: u32,
    pub placed_zone: u32,
    pub placed_overflow: u32,
    pub placed: u32,
    pub free_places: u32,
    /// ceil(placed / class_size).
    pub classes_needed: u32,
    /// placed / classes_needed (0 when nobody was placed).
    pub average_class_size: f64,
    /// The largest class when the intake is split evenly: ceil(placed / classes_needed).
    pub largest_class: u32,
}

/// The outcome of [`allocate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationResult {
    pub grade: Grade,
    /// One per applicant, in input order (unplaced ones with `school_code: None`).
    pub placements: Vec<Placement>,
    /// The applicants not placed, in input order, with the reason.
    pub unplaced: Vec<Unplaced>,
    /// Per school offering the grade or named by a zone, by school code.
    pub schools: Vec<SchoolTotal>,
    /// Problems in the input that the run worked around (duplicate plans, a community in
    /// two zones, a zone school without a plan), in Chinese.
    pub warnings: Vec<String>,
}

impl AllocationResult {
    /// The first placement of an applicant.
    pub fn placement(&self, applicant_id: &str) -> Option<&Placement> {
        self.placements
            .iter()
            .find(|p| p.applicant_id == applicant_id)
    }

    pub fn school(&self, school_code: &str) -> Option<&SchoolTotal> {
        self.schools.iter().find(|s| s.school_code == school_code)
    }

    pub fn placed_count(&self) -> usize {
        self.placements
            .iter()
            .filter(|p| p.school_code.is_some())
            .count()
    }
}

struct Slot<'a> {
    code: &'a str,
    classes: u32,
    class_size: u32,
    capacity: u32,
    zone_applicants: u32,
    placed_zone: u32,
    placed_overflow: u32,
}

impl Slot<'_> {
    fn placed(&self) -> u32 {
        self.placed_zone + self.placed_overflow
    }

    fn has_room(&self) -> bool {
        self.placed() < self.capacity
    }
}

/// Schools with a known distance from one community, nearest first; `cursor` skips the
/// ones already full (a school never frees a place during a run, so it only advances).
struct NearList {
    schools: Vec<(u32, usize)>,
    cursor: usize,
}

struct Candidate<'a> {
    index: usize,
    id: &'a str,
    rank: PriorityRank,
    distance: u32,
    zone: Option<usize>,
    near: usize,
}

fn candidate_order(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    (a.rank, a.distance, a.id, a.index).cmp(&(b.rank, b.distance, b.id, b.index))
}

fn zone_reason(applicant: &Applicant, rank: PriorityRank) -> String {
    let n = rank.ordinal();
    match rank {
        PriorityRank::HukouOrProperty if applicant.hukou_in_zone => {
            format!("划片内：户籍在片区、无房产（第{n}顺位）")
        }
        PriorityRank::HukouOrProperty => format!("划片内：房产在片区、无户籍（第{n}顺位）"),
        PriorityRank::PolicyPriority => {
            let mut labels: Vec<&str> = Vec::new();
            for p in PriorityCategory::ALL {
                if p.is_policy() && applicant.priority.contains(p) {
                    labels.push(p.label());
                }
            }
            format!("划片内：政策优先（{}）（第{n}顺位）", labels.join("、"))
        }
        _ => format!("划片内：{}（第{n}顺位）", rank.label()),
    }
}

/// Allocates the applicants of `input.grade` to schools.
///
/// The rule, in order:
///
/// 1. Schools offering the grade are those with a [`super::SchoolCapacity`] for it (the
///    first entry per school counts); a school named by a zone without one offers no
///    places. The capacity is classes × class size, and a school never takes more.
/// 2. Each applicant's zone school comes from the zones of the grade. A community listed
///    in several zones belongs to the nearest of those schools (then lowest school code),
///    with a warning. A repeated ID number is refused as a duplicate.
/// 3. Zone phase: all zone applicants, sorted by the published order of [`PriorityRank`]
///    (rank, then distance to the zone school, then ID number), are admitted to their zone
///    school while it has room. So no applicant is displaced by a lower-ranked one.
/// 4. Overflow phase: the zone applicants who did not fit, in the same order, then the
///    applicants out of zone (by distance to the nearest school offering the grade, then ID
///    number), each go to the nearest school with room at that moment (by distance from
///    their community, then school code). Zone applicants of a school are always admitted
///    before any overflow reaches it.
/// 5. Whoever has no school with room and a known distance is listed unplaced, with why.
pub fn allocate(input: &AllocationInput) -> AllocationResult {
    let grade = input.grade;
    let rules = ClassSizeRules::default();
    let mut warnings: Vec<String> = Vec::new();

    // Schools: the first plan per school counts.
    let mut slots: Vec<Slot<'_>> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for cap in input.capacities.iter().filter(|c| c.grade == grade) {
        if !seen.insert(cap.school_code.as_str()) {
            warnings.push(format!(
                "学校{}的{}招生计划重复，以第一条为准",
                cap.school_code,
                grade.label()
            ));
            continue;
        }
        slots.push(Slot {
            code: &cap.school_code,
            classes: cap.classes,
            class_size: cap.class_size,
            capacity: cap.capacity(),
            zone_applicants: 0,
            placed_zone: 0,
            placed_overflow: 0,
        });
    }
    let zones: Vec<&super::Zone> = input.zones.iter().filter(|z| z.grade == grade).collect();
    let mut unplanned: BTreeSet<&str> = BTreeSet::new();
    for zone in &zones {
        if seen.insert(zone.school_code.as_str()) {
            unplanned.insert(zone.school_code.as_str());
            slots.push(Slot {
                code: &zone.school_code,
                classes: 0,
                class_size: rules.standard_size(grade),
                capacity: 0,
                zone_applicants: 0,
                placed_zone: 0,
                placed_overflow: 0,
            });
        }
    }
    for code in &unplanned {
        warnings.push(format!(
            "学校{code}划有{}学区但无招生计划，片区内申请人将就近统筹安排",
            grade.label()
        ));
    }
    slots.sort_by(|a, b| a.code.cmp(b.code));
    let school_index: HashMap<&str, usize> =
        slots.iter().enumerate().map(|(i, s)| (s.code, i)).collect();

    // Zone school per community; a community claimed by several zones goes to the nearest.
    let mut claims: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for zone in &zones {
        if let Some(&s) = school_index.get(zone.school_code.as_str()) {
            for community in &zone.communities {
                claims.entry(community.as_str()).or_default().insert(s);
            }
        }
    }
    let mut zone_of: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    for (community, schools) in &claims {
        let key = |s: usize| {
            (
                input
                    .distances
                    .get(community, slots[s].code)
                    .unwrap_or(u32::MAX),
                s,
            )
        };
        let Some(&chosen) = schools.iter().min_by_key(|s| key(**s)) else {
            continue;
        };
        if schools.len() > 1 {
            let names: Vec<&str> = schools.iter().map(|s| slots[*s].code).collect();
            warnings.push(format!(
                "社区{community}同时划入{}的{}学区，按距离归入{}",
                names.join("、"),
                grade.label(),
                slots[chosen].code
            ));
        }
        zone_of.insert(community, chosen);
    }

    // Nearest-school lists for the applicants' communities.
    let mut near_index: HashMap<&str, usize> = HashMap::new();
    let mut near_lists: Vec<NearList> = Vec::new();
    let mut outcomes: Vec<Option<Placement>> = vec![None; input.applicants.len()];
    let mut unplaced_at: Vec<Option<Unplaced>> = vec![None; input.applicants.len()];
    let mut zone_candidates: Vec<Candidate<'_>> = Vec::new();
    let mut out_candidates: Vec<Candidate<'_>> = Vec::new();
    let mut seen_ids: HashSet<&str> = HashSet::with_capacity(input.applicants.len());
    for (index, applicant) in input.applicants.iter().enumerate() {
        let zone = zone_of.get(applicant.community.as_str()).copied();
        let zone_code = zone.map(|s| slots[s].code);
        let rank = PriorityRank::of(applicant, zone_code);
        if !seen_ids.insert(applicant.id.as_str()) {
            let reason = UnplacedReason::DuplicateApplication;
            let zone_note = zone_code.map(|z| (z, unplanned.contains(z)));
            outcomes[index] = Some(unplaced_placement(applicant, rank, zone_note, reason));
            unplaced_at[index] = Some(unplaced_entry(applicant, rank, zone_note, reason));
            continue;
        }
        let near = *near_index
            .entry(applicant.community.as_str())
            .or_insert_with(|| {
                let mut schools: Vec<(u32, usize)> = input
                    .distances
                    .from_community(&applicant.community)
                    .filter_map(|(school, d)| {
                        let s = *school_index.get(school)?;
                        (slots[s].capacity > 0).then_some((d, s))
                    })
                    .collect();
                schools.sort_unstable();
                near_lists.push(NearList { schools, cursor: 0 });
                near_lists.len() - 1
            });
        match zone {
            Some(s) => {
                slots[s].zone_applicants += 1;
                zone_candidates.push(Candidate {
                    index,
                    id: &applicant.id,
                    rank,
                    distance: input
                        .distances
                        .get(&applicant.community, slots[s].code)
                        .unwrap_or(u32::MAX),
                    zone,
                    near,
                });
            }
            None => out_candidates.push(Candidate {
                index,
                id: &applicant.id,
                rank,
                distance: near_lists[near]
                    .schools
                    .first()
                    .map_or(u32::MAX, |(d, _)| *d),
                zone,
                near,
            }),
        }
    }

    // Zone phase.
    zone_candidates.sort_unstable_by(candidate_order);
    let mut overflow: Vec<Candidate<'_>> = Vec::new();
    for candidate in zone_candidates {
        let Some(s) = candidate.zone else {
            continue;
        };
        if slots[s].has_room() {
            slots[s].placed_zone += 1;
            let applicant = &input.applicants[candidate.index];
            outcomes[candidate.index] = Some(Placement {
                applicant_id: applicant.id.clone(),
                school_code: Some(slots[s].code.to_string()),
                kind: PlacementKind::Zone,
                rank: candidate.rank,
                zone_school: Some(slots[s].code.to_string()),
                distance_m: input.distances.get(&applicant.community, slots[s].code),
                reason: zone_reason(applicant, candidate.rank),
            });
        } else {
            overflow.push(candidate);
        }
    }

    // Overflow phase.
    out_candidates.sort_unstable_by(candidate_order);
    overflow.extend(out_candidates);
    for candidate in overflow {
        let applicant = &input.applicants[candidate.index];
        let zone_code = candidate.zone.map(|s| slots[s].code);
        let list = &mut near_lists[candidate.near];
        while list
            .schools
            .get(list.cursor)
            .is_some_and(|(_, s)| !slots[*s].has_room())
        {
            list.cursor += 1;
        }
        match list.schools.get(list.cursor) {
            Some(&(distance, s)) => {
                slots[s].placed_overflow += 1;
                let target = slots[s].code;
                let before = match zone_code {
                    Some(z) if unplanned.contains(z) => {
                        format!(
                            "划片学校{z}无{}招生计划（第{}顺位）",
                            grade.label(),
                            candidate.rank.ordinal()
                        )
                    }
                    Some(z) => format!("划片学校{z}已满（第{}顺位）", candidate.rank.ordinal()),
                    None => format!("所在社区{}不在本年级任何学区", applicant.community),
                };
                outcomes[candidate.index] = Some(Placement {
                    applicant_id: applicant.id.clone(),
                    school_code: Some(target.to_string()),
                    kind: PlacementKind::Overflow,
                    rank: candidate.rank,
                    zone_school: zone_code.map(str::to_string),
                    distance_m: Some(distance),
                    reason: format!(
                        "{before}，就近安排至{target}（距离{}）",
                        format_distance(distance)
                    ),
                });
            }
            None => {
                let reason = match (zone_code.is_some(), list.schools.is_empty()) {
                    (true, false) => UnplacedReason::ZoneFullNoRoomNearby,
                    (true, true) => UnplacedReason::ZoneFullNoDistances,
                    (false, false) => UnplacedReason::NotZonedNoRoomNearby,
                    (false, true) => UnplacedReason::NotZonedNoDistances,
                };
                let zone_note = zone_code.map(|z| (z, unplanned.contains(z)));
                outcomes[candidate.index] = Some(unplaced_placement(
                    applicant,
                    candidate.rank,
                    zone_note,
                    reason,
                ));
                unplaced_at[candidate.index] =
                    Some(unplaced_entry(applicant, candidate.rank, zone_note, reason));
            }
        }
    }

    let placements: Vec<Placement> = outcomes.into_iter().flatten().collect();
    let unplaced: Vec<Unplaced> = unplaced_at.into_iter().flatten().collect();
    let schools = slots
        .iter()
        .map(|slot| {
            let placed = slot.placed();
            let classes_needed = if slot.class_size == 0 {
                0
            } else {
                placed.div_ceil(slot.class_size)
            };
            let (average_class_size, largest_class) = if classes_needed == 0 {
                (0.0, 0)
            } else {
                (
                    f64::from(placed) / f64::from(classes_needed),
                    placed.div_ceil(classes_needed),
                )
            };
            SchoolTotal {
                school_code: slot.code.to_string(),
                grade,
                classes_planned: slot.classes,
                class_size: slot.class_size,
                capacity: slot.capacity,
                zone_applicants: slot.zone_applicants,
                placed_zone: slot.placed_zone,
                placed_overflow: slot.placed_overflow,
                placed,
                free_places: slot.capacity.saturating_sub(placed),
                classes_needed,
                average_class_size,
                largest_class,
            }
        })
        .collect();
    AllocationResult {
        grade,
        placements,
        unplaced,
        schools,
        warnings,
    }
}

/// The reason in full: names the zone school, and says "无招生计划" instead of "已满" when
/// the zone school has no plan for the grade.
fn unplaced_message(zone_school: Option<(&str, bool)>, reason: UnplacedReason) -> String {
    match (reason, zone_school) {
        (
            UnplacedReason::ZoneFullNoRoomNearby | UnplacedReason::ZoneFullNoDistances,
            Some((z, unplanned)),
        ) => {
            let head = if unplanned {
                format!("划片学校{z}无招生计划")
            } else {
                format!("划片学校{z}已满")
            };
            reason.label().replacen("划片学校已满", &head, 1)
        }
        _ => reason.label().to_string(),
    }
}

fn unplaced_placement(
    applicant: &Applicant,
    rank: PriorityRank,
    zone_school: Option<(&str, bool)>,
    reason: UnplacedReason,
) -> Placement {
    Placement {
        applicant_id: applicant.id.clone(),
        school_code: None,
        kind: PlacementKind::Unplaced,
        rank,
        zone_school: zone_school.map(|(z, _)| z.to_string()),
        distance_m: None,
        reason: format!("未安排：{}", unplaced_message(zone_school, reason)),
    }
}

fn unplaced_entry(
    applicant: &Applicant,
    rank: PriorityRank,
    zone_school: Option<(&str, bool)>,
    reason: UnplacedReason,
) -> Unplaced {
    Unplaced {
        applicant_id: applicant.id.clone(),
        rank,
        zone_school: zone_school.map(|(z, _)| z.to_string()),
        reason,
        message: unplaced_message(zone_school, reason),
    }
}
