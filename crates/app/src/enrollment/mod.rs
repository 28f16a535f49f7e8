//! 招生与班额: the class-size monitor, the large-class ledger, zones, applicants, allocation
//! runs (with what-ifs, comparison and publication) and balanced classes. Every change is
//! checked against the account's role and scope and audited in its own transaction.

use crate::auth::Account;
use crate::imports::{Problem, RowCheck};
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::class_size::{count_large_classes, Band, ClassFact, ClassSizeRules};
use emis_domain::enrollment::{
    allocate, apply, compare, form_classes, AllocationInput, AllocationResult, Applicant,
    BalanceStudent, Community, Comparison, DistanceEntry, PriorityCategory, Scenario,
    ScenarioChange, SchoolCapacity, Zone,
};
use emis_domain::identity::IdNumber;
use emis_domain::indicators::{IndicatorSet, Value};
use emis_domain::registry::{parse_yes_no, Grade, SchoolType, Sex};
use emis_domain::term::{Season, Term};
use emis_io::{Column, Table};
use emis_storage::audit::{self, Entry};
use emis_storage::enrollment as store;
use emis_storage::lists::{self, ClassRow};
use emis_storage::{registry, Db};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub mod queries;

/// The entry grades allocation runs for.
pub const ENTRY_GRADES: [Grade; 2] = [Grade::G1, Grade::G7];

pub fn parse_entry_grade(raw: &str) -> Option<Grade> {
    Grade::parse(raw).filter(|g| ENTRY_GRADES.contains(g))
}

/// County officers (and the administrator) draw zones and run allocations.
fn require_plan(account: &Account) -> Result<()> {
    crate::require(account.role, Permission::PlanEnrollment)
}

/// The term before `term`.
pub fn previous_term(term: Term) -> Term {
    match term.season {
        Season::Autumn => Term::spring(term.year),
        Season::Spring => Term::autumn(term.year - 1),
    }
}

// ---------------------------------------------------------------- monitor

/// Classes by band, with the students in them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BandCounts {
    pub classes: u32,
    pub students: u32,
    /// 46–55 (偏大班额).
    pub big: u32,
    /// 56+ (大班额, 超大 included).
    pub large: u32,
    /// 66+ (超大班额).
    pub oversize: u32,
}

impl BandCounts {
    fn add(&mut self, rules: &ClassSizeRules, size: u32) {
        self.classes += 1;
        self.students += size;
        match rules.band(size) {
            Band::Big => self.big += 1,
            Band::Large => self.large += 1,
            Band::Oversize => {
                self.large += 1;
                self.oversize += 1
            }
            Band::Normal => {}
        }
    }

    pub fn average(&self) -> String {
        if self.classes == 0 {
            "—".into()
        } else {
            format!("{:.1}", f64::from(self.students) / f64::from(self.classes))
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    pub code: String,
    pub label: String,
    pub now: BandCounts,
    pub prev: BandCounts,
    /// Capacity (classrooms × standard size) and free places, for schools.
    pub capacity: Option<u32>,
    pub free: Option<i64>,
    /// Whether classrooms were counted from the term's classes (none recorded).
    pub estimated: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct LargeClass {
    pub class: ClassRow,
    pub band: &'static str,
    pub standard: u32,
    pub over_standard: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Monitor {
    pub term: String,
    pub term_label: String,
    pub prev_term: String,
    pub prev_label: String,
    pub rules: ClassSizeRules,
    pub total: BandCounts,
    pub prev_total: BandCounts,
    pub by_stage: Vec<GroupRow>,
    pub by_township: Vec<GroupRow>,
    pub by_school: Vec<GroupRow>,
    /// Classes of 56+ in the term, largest first.
    pub large_classes: Vec<LargeClass>,
}

/// The class-size monitor for a term, within the account's scope.
pub async fn monitor(db: &Db, scope: &Scope, term: Term) -> Result<Monitor> {
    let county = scope.county();
    let rules = store::settings(db, county).await?;
    let prev = previous_term(term);
    let (term_code, prev_code) = (term.code(), prev.code());
    // The two terms' classes are counted at the same time (one connection each).
    let (now_classes, prev_classes, schools, township_names, classrooms) = tokio::join!(
        store::class_sizes(db, scope, &term_code),
        store::class_sizes(db, scope, &prev_code),
        registry::schools(db, county),
        lists::townships(db, scope),
        store::classrooms(db, county),
    );
    let (now_classes, prev_classes) = (now_classes?, prev_classes?);
    let schools: HashMap<String, emis_domain::registry::School> =
        schools?.into_iter().map(|s| (s.code.clone(), s)).collect();
    let township_names: HashMap<String, String> = township_names?.into_iter().collect();
    let classrooms = classrooms?;

    let mut total = BandCounts::default();
    let mut prev_total = BandCounts::default();
    let mut stage: BTreeMap<usize, GroupRow> = BTreeMap::new();
    let mut township: BTreeMap<String, GroupRow> = BTreeMap::new();
    let mut school: BTreeMap<String, GroupRow> = BTreeMap::new();
    let group = |code: &str, label: &str| GroupRow {
        code: code.to_string(),
        label: label.to_string(),
        now: BandCounts::default(),
        prev: BandCounts::default(),
        capacity: None,
        free: None,
        estimated: false,
    };
    for (list, is_now) in [(&now_classes, true), (&prev_classes, false)] {
        for c in list.iter() {
            let size = u32::try_from(c.size).unwrap_or(0);
            let Some(grade) = Grade::parse(&c.grade) else {
                continue;
            };
            let st = grade.stage();
            let t_code = schools
                .get(&c.school_code)
                .map(|s| s.township_code.clone())
                .unwrap_or_default();
            let t_name = township_names.get(&t_code).cloned().unwrap_or_default();
            let rows = [
                stage
                    .entry(st as usize)
                    .or_insert_with(|| group(st.label(), st.label())),
                township
                    .entry(t_code.clone())
                    .or_insert_with(|| group(&t_code, &t_name)),
                school
                    .entry(c.school_code.clone())
                    .or_insert_with(|| group(&c.school_code, &c.school_name)),
            ];
            for row in rows {
                if is_now {
                    row.now.add(&rules, size);
                } else {
                    row.prev.add(&rules, size);
                }
            }
            if is_now {
                total.add(&rules, size);
            } else {
                prev_total.add(&rules, size);
            }
        }
    }
    // Capacity: classrooms × standard size per grade (the term's classes when no
    // classrooms are recorded), against the students in class.
    let mut per_grade: HashMap<(String, String), (u32, u32)> = HashMap::new();
    for c in &now_classes {
        let e = per_grade
            .entry((c.school_code.clone(), c.grade.clone()))
            .or_default();
        e.0 += 1;
        e.1 += u32::try_from(c.size).unwrap_or(0);
    }
    for ((code, grade), (classes, _)) in &per_grade {
        let Some(row) = school.get_mut(code) else {
            continue;
        };
        let Some(g) = Grade::parse(grade) else {
            continue;
        };
        let rooms = match classrooms.get(&(code.clone(), grade.clone())) {
            Some(n) => u32::try_from(*n).unwrap_or(0),
            None => {
                row.estimated = true;
                *classes
            }
        };
        *row.capacity.get_or_insert(0) += rooms * rules.standard_size(g);
    }
    for row in school.values_mut() {
        if let Some(cap) = row.capacity {
            row.free = Some(i64::from(cap) - i64::from(row.now.students));
        }
    }
    let mut large_classes: Vec<LargeClass> = now_classes
        .into_iter()
        .filter_map(|c| {
            let size = u32::try_from(c.size).unwrap_or(0);
            let band = match rules.band(size) {
                Band::Oversize => "超大班额",
                Band::Large => "大班额",
                _ => return None,
            };
            let standard = Grade::parse(&c.grade)
                .map(|g| rules.standard_size(g))
                .unwrap_or(45);
            Some(LargeClass {
                over_standard: c.size - i64::from(standard),
                band,
                standard,
                class: c,
            })
        })
        .collect();
    large_classes.sort_by(|a, b| {
        b.class
            .size
            .cmp(&a.class.size)
            .then(a.class.school_code.cmp(&b.class.school_code))
            .then(a.class.grade.cmp(&b.class.grade))
            .then(a.class.number.cmp(&b.class.number))
    });
    let mut by_school: Vec<GroupRow> = school.into_values().collect();
    by_school
        .sort_by(|a, b| (b.now.large, b.now.big, &a.code).cmp(&(a.now.large, a.now.big, &b.code)));
    Ok(Monitor {
        term: term.code(),
        term_label: term.label(),
        prev_term: prev.code(),
        prev_label: prev.label(),
        rules,
        total,
        prev_total,
        by_stage: stage.into_values().collect(),
        by_township: township.into_values().collect(),
        by_school,
        large_classes,
    })
}

/// The scope of an org unit (county, township or school) of the county.
pub async fn org_scope(db: &Db, county: &str, org: &str) -> Result<Scope> {
    let unit = registry::org_unit(db, org)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(match unit.kind.as_str() {
        "county" => Scope::County {
            county: county.into(),
        },
        "township" => Scope::Township {
            county: county.into(),
            township: unit.code,
        },
        _ => Scope::School {
            county: county.into(),
            school: unit.code,
        },
    })
}

/// Whether `inner` lies within `outer` (for an account asking about an org unit).
fn scope_within(outer: &Scope, inner: &Scope, inner_township: Option<&str>) -> bool {
    match (outer, inner) {
        (Scope::County { .. }, _) => true,
        (Scope::Township { township, .. }, Scope::Township { township: t, .. }) => township == t,
        (Scope::Township { township, .. }, Scope::School { .. }) => {
            inner_township == Some(township.as_str())
        }
        (
            Scope::School { school, .. } | Scope::Class { school, .. },
            Scope::School { school: s, .. },
        ) => school == s,
        _ => false,
    }
}

/// `classes.*` indicators of a year for any org unit (county, township or school) within
/// the account's scope, with the county's class-size settings.
pub async fn class_indicators(
    db: &Db,
    account: &Account,
    org: &str,
    year: i32,
) -> Result<IndicatorSet> {
    let county = account.county();
    let scope = org_scope(db, county, org).await?;
    let township = match &scope {
        Scope::School { school, .. } => registry::schools(db, county)
            .await?
            .into_iter()
            .find(|s| &s.code == school)
            .map(|s| s.township_code),
        _ => None,
    };
    if !scope_within(&account.scope, &scope, township.as_deref()) {
        return Err(AppError::NotFound);
    }
    let rules = store::settings(db, county).await?;
    let mut set = IndicatorSet::default();
    for term in Term::of_year(year) {
        let season = match term.season {
            Season::Spring => "spring",
            Season::Autumn => "autumn",
        };
        let facts: Vec<ClassFact> = lists::classes(db, &scope, &term.code(), None, None)
            .await?
            .iter()
            .filter_map(|c| {
                Some(ClassFact {
                    school_type: SchoolType::parse(&c.school_type)?,
                    grade: Grade::parse(&c.grade)?,
                    size: u32::try_from(c.size).unwrap_or(0),
                })
            })
            .collect();
        let counts = count_large_classes(&rules, &facts);
        for (family, value) in [
            ("large.compulsory", counts.compulsory_large),
            ("oversize.compulsory", counts.compulsory_oversize),
            ("large.senior", counts.senior_large),
            ("oversize.senior", counts.senior_oversize),
        ] {
            if let Some(i) = emis_domain::indicators::find(&format!("classes.{family}.{season}")) {
                set.push(i.code, Value::Count(value as i64));
            }
        }
    }
    Ok(set)
}

/// Saves the county's class-size settings.
pub async fn save_settings(
    db: &Db,
    account: &Account,
    rules: &ClassSizeRules,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    if !(rules.big_from < rules.large_from && rules.large_from < rules.oversize_from)
        || rules.standard_primary == 0
        || rules.standard_secondary == 0
    {
        return Err(AppError::Refused(
            "班额分档应满足 偏大 < 大班额 < 超大班额，标准班额应大于0".into(),
        ));
    }
    let before = store::settings(db, account.county()).await?;
    let mut tx = db.begin().await?;
    store::save_settings(&mut tx, account.county(), rules, &account.username).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "update",
            entity: "class_size_settings",
            entity_key: account.county(),
            before: serde_json::to_string(&before).ok(),
            after: serde_json::to_string(rules).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- ledger

/// The ledger entries within the account's scope.
pub async fn ledger(db: &Db, scope: &Scope) -> Result<Vec<store::LedgerEntry>> {
    let mut rows = store::ledger(db, scope.county()).await?;
    rows.retain(|e| scope.admits_school(&e.school_code, &e.township_code));
    Ok(rows)
}

/// Enters every 56+ class of a term not yet in the ledger; returns how many were added.
pub async fn ledger_sync(db: &Db, account: &Account, term: Term, source: &str) -> Result<usize> {
    require_plan(account)?;
    let county = account.county();
    let rules = store::settings(db, county).await?;
    let classes = lists::classes(
        db,
        &account.scope,
        &term.code(),
        None,
        Some(i64::from(rules.large_from)),
    )
    .await?;
    let entries: Vec<store::NewLedgerEntry> = classes
        .iter()
        .map(|c| store::NewLedgerEntry {
            class_id: c.id,
            term: term.code(),
            school_code: c.school_code.clone(),
            grade: c.grade.clone(),
            class_number: c.number,
            size: c.size,
            plan: "待制定化解方案".into(),
            owner: format!("{}校长", c.school_name),
            target_date: None,
        })
        .collect();
    let mut tx = db.begin().await?;
    let added = store::add_ledger_entries(&mut tx, county, &entries).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "ledger_sync",
            entity: "large_class_ledger",
            entity_key: &term.code(),
            before: None,
            after: Some(serde_json::json!({"added": added}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(added)
}

fn check_date(raw: &str, what: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    emis_domain::dates::parse_date(raw)
        .map(|d| Some(d.to_string()))
        .ok_or_else(|| AppError::Refused(format!("{what}“{raw}”无法识别，应如 2021-09-01")))
}

/// Updates an entry's plan, owner, target date and 销号 date.
#[allow(clippy::too_many_arguments)]
pub async fn ledger_update(
    db: &Db,
    account: &Account,
    id: i64,
    plan: &str,
    owner: &str,
    target_date: &str,
    closed_on: &str,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let target = check_date(target_date, "整改时限")?;
    let closed = check_date(closed_on, "销号日期")?;
    if plan.trim().is_empty() || owner.trim().is_empty() {
        return Err(AppError::Refused("请填写化解措施和责任人".into()));
    }
    let mut tx = db.begin().await?;
    if !store::update_ledger_entry(
        &mut tx,
        account.county(),
        id,
        plan.trim(),
        owner.trim(),
        target.as_deref(),
        closed.as_deref(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "update",
            entity: "large_class_ledger",
            entity_key: &id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"plan": plan, "owner": owner, "target_date": target, "closed_on": closed}).to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- zones

pub const ZONE_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("年级"),
    Column::required("社区编码").with_aliases(&["社区(村)编码", "村(社区)编码"]),
    Column::optional("社区名称").with_aliases(&["社区(村)名称", "村(社区)名称", "社区或村"]),
    Column::optional("所属乡镇"),
];

pub const DISTANCE_COLUMNS: &[Column] = &[
    Column::required("社区编码").with_aliases(&["社区(村)编码"]),
    Column::required("学校标识码"),
    Column::required("距离(米)").with_aliases(&["距离", "距离（米）", "米"]),
];

/// The result of a zone, distance or applicant import.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SheetReport {
    pub rows: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub written: usize,
    pub committed: bool,
}

impl SheetReport {
    fn from_table(table: &Table, spec: &[Column]) -> SheetReport {
        let mut report = SheetReport {
            rows: table.rows.len(),
            problems: table
                .cell_issues
                .iter()
                .map(|(r, c, reason)| Problem {
                    row: *r,
                    column: c.to_string(),
                    reason: reason.clone(),
                })
                .collect(),
            ..SheetReport::default()
        };
        crate::imports::check_lengths(table, spec, &mut report.problems);
        report
    }
}

/// Zones of a year for both entry grades, with community names.
pub async fn zone_table(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(Grade, Zone, Vec<(String, String)>)>> {
    let names: HashMap<String, String> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let mut out = Vec::new();
    for grade in ENTRY_GRADES {
        for z in store::zones(db, county, year, grade).await? {
            let named = z
                .communities
                .iter()
                .map(|c| (c.clone(), names.get(c).cloned().unwrap_or_default()))
                .collect();
            out.push((grade, z, named));
        }
    }
    Ok(out)
}

/// Imports zones: for every (grade) in the file, the file's zones replace that grade's
/// zones of the year. All-or-nothing; every bad row is named.
pub async fn import_zones(
    db: &Db,
    account: &Account,
    year: i32,
    table: &Table,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, ZONE_COLUMNS);
    let schools: HashMap<String, emis_domain::registry::School> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let known: HashMap<String, Community> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();
    let xupu = emis_domain::divisions::county(county);
    let mut zones: BTreeMap<(Grade, String), Vec<String>> = BTreeMap::new();
    let mut seen: HashMap<(Grade, String), u32> = HashMap::new();
    let mut new_communities: Vec<Community> = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let school = check.required("学校标识码", &c[0]).and_then(|code| {
            let s = schools.get(code);
            if s.is_none() {
                check.refuse(
                    "学校标识码",
                    format!("学校标识码 {code} 不在本县学校名单中"),
                );
            }
            s
        });
        let grade = check.required("年级", &c[1]).and_then(|g| {
            let parsed = parse_entry_grade(g);
            if parsed.is_none() {
                check.refuse("年级", format!("年级“{g}”应为 一年级 或 七年级"));
            }
            parsed
        });
        if let (Some(s), Some(g)) = (school, grade) {
            if !s.school_type.grades().contains(&g) {
                check.refuse(
                    "年级",
                    format!("{}（{}）不招收{}", s.name, s.school_type.label(), g.label()),
                );
            }
        }
        let community = check.required("社区编码", &c[2]).map(str::to_string);
        if let Some(code) = &community {
            if !known.contains_key(code) && !new_communities.iter().any(|n| &n.code == code) {
                if c[3].is_empty() {
                    check.refuse(
                        "社区名称",
                        format!("社区编码 {code} 是新社区，请填写社区名称"),
                    );
                } else {
                    let township = if c[4].is_empty() {
                        school.map(|s| s.township_code.clone())
                    } else {
                        xupu.and_then(|x| x.township(&c[4]))
                            .map(|t| t.code.to_string())
                    };
                    match township {
                        Some(t) => new_communities.push(Community {
                            code: code.clone(),
                            name: c[3].clone(),
                            township_code: t,
                        }),
                        // Without a known school the row is refused for that already.
                        None if c[4].is_empty() => {}
                        None => check.refuse("所属乡镇", format!("乡镇“{}”不在本县", c[4])),
                    }
                }
            }
            if let Some(g) = grade {
                if let Some(first) = seen.get(&(g, code.clone())) {
                    check.refuse(
                        "社区编码",
                        format!(
                            "社区 {code} 在第{first}行已划入{}学区，一个社区只能属于一个学区",
                            g.label()
                        ),
                    );
                } else {
                    seen.insert((g, code.clone()), row.number);
                }
            }
        }
        if check.failed {
            continue;
        }
        if let (Some(s), Some(g), Some(code)) = (school, grade, community) {
            zones.entry((g, s.code.clone())).or_default().push(code);
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    store::upsert_communities(&mut tx, county, &new_communities).await?;
    for grade in ENTRY_GRADES {
        let list: Vec<Zone> = zones
            .iter()
            .filter(|((g, _), _)| *g == grade)
            .map(|((g, s), cs)| Zone {
                school_code: s.clone(),
                grade: *g,
                communities: cs.clone(),
            })
            .collect();
        if list.is_empty() {
            continue;
        }
        store::replace_zones(&mut tx, county, year, grade, &list).await?;
    }
    report.written = table.rows.len();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "import",
            entity: "zones",
            entity_key: &year.to_string(),
            before: None,
            after: Some(serde_json::json!({"rows": report.written, "new_communities": new_communities.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report)
}

/// The zones of a year as rows of the zone template.
pub async fn zone_rows(db: &Db, county: &str, year: i32) -> Result<Vec<Vec<String>>> {
    let communities: HashMap<String, Community> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();
    let xupu = emis_domain::divisions::county(county);
    let mut rows = Vec::new();
    for (grade, zone, _) in zone_table(db, county, year).await? {
        for code in &zone.communities {
            let c = communities.get(code);
            rows.push(vec![
                zone.school_code.clone(),
                grade.label().to_string(),
                code.clone(),
                c.map(|c| c.name.clone()).unwrap_or_default(),
                c.and_then(|c| xupu.and_then(|x| x.township(&c.township_code)))
                    .map(|t| t.name.to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    Ok(rows)
}

/// Moves one community into a school's zone for a grade (the zone editor).
pub async fn set_zone(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    community: &str,
    school: &str,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    if !store::communities(db, county)
        .await?
        .iter()
        .any(|c| c.code == community)
    {
        return Err(AppError::Refused(format!("社区编码 {community} 不存在")));
    }
    let Some(s) = registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == school)
    else {
        return Err(AppError::Refused(format!(
            "学校标识码 {school} 不在本县学校名单中"
        )));
    };
    if !s.school_type.grades().contains(&grade) {
        return Err(AppError::Refused(format!(
            "{}不招收{}",
            s.name,
            grade.label()
        )));
    }
    let mut zones = store::zones(db, county, year, grade).await?;
    for z in &mut zones {
        z.communities.retain(|c| c != community);
    }
    match zones.iter_mut().find(|z| z.school_code == school) {
        Some(z) => z.communities.push(community.to_string()),
        None => zones.push(Zone {
            school_code: school.to_string(),
            grade,
            communities: vec![community.to_string()],
        }),
    }
    let mut tx = db.begin().await?;
    store::replace_zones(&mut tx, county, year, grade, &zones).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "update",
            entity: "zone",
            entity_key: community,
            before: None,
            after: Some(
                serde_json::json!({"year": year, "grade": grade.label(), "school": school})
                    .to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Imports the distance table (rows replace the same pairs). All-or-nothing.
pub async fn import_distances(
    db: &Db,
    account: &Account,
    table: &Table,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, DISTANCE_COLUMNS);
    let schools: HashSet<String> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let communities: HashSet<String> = store::communities(db, county)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut rows = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let community = check.required("社区编码", &c[0]).map(str::to_string);
        if let Some(code) = &community {
            if !communities.contains(code) {
                check.refuse(
                    "社区编码",
                    format!("社区编码 {code} 不存在（请先导入学区）"),
                );
            }
        }
        let school = check.required("学校标识码", &c[1]).map(str::to_string);
        if let Some(code) = &school {
            if !schools.contains(code) {
                check.refuse(
                    "学校标识码",
                    format!("学校标识码 {code} 不在本县学校名单中"),
                );
            }
        }
        let metres = check.required("距离(米)", &c[2]).and_then(|m| {
            let parsed = emis_domain::text::fold_width(m)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1.0e7);
            if parsed.is_none() {
                check.refuse("距离(米)", format!("距离“{m}”应为米数，如 850"));
            }
            parsed
        });
        if check.failed {
            continue;
        }
        if let (Some(community), Some(school_code), Some(m)) = (community, school, metres) {
            rows.push(DistanceEntry {
                community,
                school_code,
                metres: m.round() as u32,
            });
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    store::upsert_distances(&mut tx, county, &rows).await?;
    report.written = rows.len();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "import",
            entity: "distances",
            entity_key: county,
            before: None,
            after: Some(serde_json::json!({"rows": rows.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report)
}

/// Sets a school's intake plan (classes of the standard size) for a year and grade.
pub async fn set_plan(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    school: &str,
    classes: u32,
    source: &str,
) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    let rules = store::settings(db, county).await?;
    let Some(s) = registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == school)
    else {
        return Err(AppError::Refused(format!(
            "学校标识码 {school} 不在本县学校名单中"
        )));
    };
    if !s.school_type.grades().contains(&grade) {
        return Err(AppError::Refused(format!(
            "{}不招收{}",
            s.name,
            grade.label()
        )));
    }
    let plan = SchoolCapacity {
        school_code: school.to_string(),
        grade,
        classes,
        class_size: rules.standard_size(grade),
    };
    let mut tx = db.begin().await?;
    store::set_plans(&mut tx, county, year, std::slice::from_ref(&plan)).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "update",
            entity: "intake_plan",
            entity_key: school,
            before: None,
            after: serde_json::to_string(&plan).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- applicants

pub const APPLICANT_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    Column::required("身份证件号").with_aliases(&["身份证号", "身份证号码", "证件号码"]),
    Column::required("社区或村").with_aliases(&["社区(村)", "村(社区)", "社区编码", "居住社区"]),
    Column::optional("性别"),
    Column::optional("户籍在片区").with_aliases(&["户籍"]),
    Column::optional("房产在片区").with_aliases(&["房产"]),
    Column::optional("兄姐在读学校").with_aliases(&["兄姐在校"]),
    Column::optional("优先类别").with_aliases(&["政策性照顾"]),
    Column::optional("随迁子女"),
    Column::optional("成绩"),
];

/// Imports applicants for a year and entry grade, validated like the student import:
/// every bad row named, nothing written unless every row is good.
pub async fn import_applicants(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    table: &Table,
    source: &str,
) -> Result<SheetReport> {
    require_plan(account)?;
    let county = account.county();
    let mut report = SheetReport::from_table(table, APPLICANT_COLUMNS);
    let communities = store::communities(db, county).await?;
    let by_code: HashMap<&str, &Community> =
        communities.iter().map(|c| (c.code.as_str(), c)).collect();
    let by_name: HashMap<&str, &Community> =
        communities.iter().map(|c| (c.name.as_str(), c)).collect();
    let schools: HashSet<String> = registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut list = Vec::new();
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("姓名", &c[0]).map(str::to_string);
        let id = check
            .required("身份证件号", &c[1])
            .and_then(|raw| match IdNumber::parse(raw) {
                Ok(id) => Some(id),
                Err(e) => {
                    check.refuse("身份证件号", e.to_string());
                    None
                }
            });
        if let Some(id) = &id {
            if let Some(first) = seen.get(id.as_str()) {
                check.refuse("身份证件号", format!("身份证件号与第{first}行重复"));
            } else {
                seen.insert(id.as_str().to_string(), row.number);
            }
        }
        let community = check.required("社区或村", &c[2]).and_then(|v| {
            let found = by_code
                .get(v)
                .or_else(|| by_name.get(v))
                .map(|c| c.code.clone());
            if found.is_none() {
                check.refuse(
                    "社区或村",
                    format!("社区或村“{v}”不在社区名单中（请先导入学区）"),
                );
            }
            found
        });
        let sex = if c[3].is_empty() {
            id.as_ref().map(|i| i.sex())
        } else {
            let parsed = Sex::parse(&c[3]);
            match (parsed, &id) {
                (None, _) => {
                    check.refuse("性别", format!("性别应为“男”或“女”，实为“{}”", c[3]));
                    None
                }
                (Some(s), Some(i)) if s != i.sex() => {
                    check.warn("性别", "性别与身份证件号不一致，以填写的性别为准");
                    Some(s)
                }
                (s, _) => s,
            }
        };
        let mut flag = |column: &str, value: &str| -> bool {
            match parse_yes_no(value) {
                Some(b) => b,
                None => {
                    check.refuse(column, format!("{column}应为“是”或“否”，实为“{value}”"));
                    false
                }
            }
        };
        let hukou = flag("户籍在片区", &c[4]);
        let property = flag("房产在片区", &c[5]);
        let migrant = flag("随迁子女", &c[8]);
        let sibling = (!c[6].is_empty()).then(|| c[6].clone());
        if let Some(s) = &sibling {
            if !schools.contains(s) {
                check.refuse("兄姐在读学校", format!("学校标识码 {s} 不在本县学校名单中"));
            }
        }
        let mut priority: Vec<PriorityCategory> = Vec::new();
        for part in c[7]
            .split(['、', ',', '，', ';', '；', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match PriorityCategory::parse(part) {
                Some(p) if !priority.contains(&p) => priority.push(p),
                Some(_) => {}
                None => check.refuse(
                    "优先类别",
                    format!(
                        "优先类别“{part}”应为 军人子女、乡村教师子女、随迁子女 或 其他政策性照顾"
                    ),
                ),
            }
        }
        if migrant && !priority.contains(&PriorityCategory::MigrantWorkerChild) {
            priority.push(PriorityCategory::MigrantWorkerChild);
        }
        let score = if c[9].is_empty() {
            None
        } else {
            let parsed = emis_domain::text::fold_width(&c[9])
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0);
            if parsed.is_none() {
                check.refuse("成绩", format!("成绩“{}”应为数字", c[9]));
            }
            parsed
        };
        if check.failed {
            continue;
        }
        if let (Some(name), Some(id), Some(community), Some(sex)) = (name, id, community, sex) {
            list.push(Applicant {
                id: id.as_str().to_string(),
                name,
                sex,
                community,
                hukou_in_zone: hukou,
                owns_property: property,
                sibling_at_school: sibling,
                priority,
                score,
            });
        }
    }
    if !report.problems.is_empty() {
        report.problems.sort_by_key(|p| p.row);
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    store::upsert_applicants(&mut tx, county, year, grade, &list).await?;
    report.written = list.len();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "import",
            entity: "applicants",
            entity_key: &format!("{year}-{}", grade.label()),
            before: None,
            after: Some(serde_json::json!({"rows": list.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(report)
}

// ---------------------------------------------------------------- allocation runs

/// The stored allocation input of a year and grade.
pub async fn load_input(db: &Db, county: &str, year: i32, grade: Grade) -> Result<AllocationInput> {
    Ok(AllocationInput {
        grade,
        communities: store::communities(db, county).await?,
        zones: store::zones(db, county, year, grade).await?,
        capacities: store::plans(db, county, year, grade).await?,
        distances: store::distances(db, county).await?,
        applicants: store::applicants(db, county, year, grade).await?,
    })
}

/// Runs the allocation on the stored input with the what-if changes (none for the base
/// run) and keeps the run; returns its id.
pub async fn run_allocation(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    name: &str,
    changes: Vec<ScenarioChange>,
    source: &str,
) -> Result<i64> {
    require_plan(account)?;
    let county = account.county();
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Refused("请填写方案名称".into()));
    }
    let base = load_input(db, county, year, grade).await?;
    if base.applicants.is_empty() {
        return Err(AppError::Refused(format!(
            "{year}年{}尚无报名学生，请先导入报名名单",
            grade.label()
        )));
    }
    let scenario = Scenario {
        name: name.to_string(),
        changes,
    };
    let input = apply(&base, &scenario);
    let result = allocate(&input);
    store_run(db, account, year, grade, &scenario, &result, false, source).await
}

#[allow(clippy::too_many_arguments)]
async fn store_run(
    db: &Db,
    account: &Account,
    year: i32,
    grade: Grade,
    scenario: &Scenario,
    result: &AllocationResult,
    published: bool,
    source: &str,
) -> Result<i64> {
    let county = account.county();
    let mut tx = db.begin().await?;
    let id = store::insert_run(
        &mut tx,
        county,
        store::NewRun {
            year,
            grade,
            name: &scenario.name,
            changes_json: serde_json::to_string(&scenario.changes).unwrap_or_default(),
            result_json: serde_json::to_string(result).unwrap_or_default(),
            applicants: result.placements.len() as i64,
            placed: result.placed_count() as i64,
            unplaced: result.unplaced.len() as i64,
            created_by: &account.username,
            published,
        },
        &result.placements,
    )
    .await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "allocate",
            entity: "allocation_run",
            entity_key: &id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"name": scenario.name, "year": year, "grade": grade.label(), "changes": scenario.changes.iter().map(ScenarioChange::describe).collect::<Vec<_>>(), "placed": result.placed_count(), "unplaced": result.unplaced.len()}).to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A stored run with its result; school-level accounts see only their schools' rows.
pub struct RunView {
    pub run: store::RunRow,
    pub result: AllocationResult,
    pub changes: Vec<ScenarioChange>,
}

fn visible_school(scope: &Scope, schools: &HashMap<String, String>, code: &str) -> bool {
    scope.admits_school(code, schools.get(code).map(String::as_str).unwrap_or(""))
}

pub async fn run_view(db: &Db, account: &Account, id: i64) -> Result<RunView> {
    let county = account.county();
    let (run, json) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut result: AllocationResult = serde_json::from_str(&json)
        .map_err(|e| AppError::Refused(format!("方案结果无法读取：{e}")))?;
    if !account.scope.is_county() {
        let townships: HashMap<String, String> = registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.township_code))
            .collect();
        result
            .schools
            .retain(|s| visible_school(&account.scope, &townships, &s.school_code));
        result.placements.retain(|p| {
            p.school_code
                .as_deref()
                .is_some_and(|c| visible_school(&account.scope, &townships, c))
        });
        result.unplaced.clear();
    }
    let changes = serde_json::from_str(&run.changes_json).unwrap_or_default();
    Ok(RunView {
        run,
        result,
        changes,
    })
}

pub async fn runs(db: &Db, account: &Account) -> Result<Vec<store::RunRow>> {
    let _ = account;
    Ok(store::runs(db, account.county()).await?)
}

/// Placements of a run within the account's scope (a school sees its own intake).
pub async fn placements(
    db: &Db,
    account: &Account,
    id: i64,
    school: Option<&str>,
) -> Result<Vec<store::PlacementRow>> {
    let county = account.county();
    let (run, _) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let school = match &account.scope {
        Scope::County { .. } => school.map(str::to_string),
        Scope::School { school: own, .. } | Scope::Class { school: own, .. } => Some(own.clone()),
        Scope::Township { .. } => school.map(str::to_string),
    };
    let mut rows = store::placements(
        db,
        county,
        id,
        run.year,
        &run.grade,
        school.as_deref(),
        if school.is_some() { 5_000 } else { 1_000 },
    )
    .await?;
    if let Scope::Township { .. } = &account.scope {
        let townships: HashMap<String, String> = registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.township_code))
            .collect();
        rows.retain(|p| {
            p.school_code
                .as_deref()
                .is_some_and(|c| visible_school(&account.scope, &townships, c))
        });
    }
    Ok(rows)
}

/// Compares two runs of the same year and grade.
pub async fn compare_runs(db: &Db, account: &Account, a: i64, b: i64) -> Result<Comparison> {
    require_plan(account)?;
    let before = run_view(db, account, a).await?;
    let after = run_view(db, account, b).await?;
    if before.run.grade != after.run.grade || before.run.year != after.run.year {
        return Err(AppError::Refused("只能比较同一年度、同一年级的方案".into()));
    }
    Ok(compare(&before.result, &after.result))
}

/// Publishes a run (the only published one of its year and grade).
pub async fn publish(db: &Db, account: &Account, id: i64, source: &str) -> Result<()> {
    require_plan(account)?;
    let county = account.county();
    let (run, _) = store::run(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    store::publish_run(&mut tx, county, id, run.year, &run.grade).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "publish",
            entity: "allocation_run",
            entity_key: &id.to_string(),
            before: None,
            after: Some(serde_json::json!({"name": run.name}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Forms balanced classes for a school's placed intake of a run, with the given seed (or
/// a fresh random one), and records them with the seed.
pub async fn form_balanced(
    db: &Db,
    account: &Account,
    run_id: i64,
    school: &str,
    seed: Option<u64>,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::FormClasses)?;
    // A school forms its own intake only; planners any school's.
    let own_school = matches!(&account.scope, Scope::School { school: own, .. } if own == school);
    if !(account.role.permits(Permission::PlanEnrollment) || own_school) {
        return Err(AppError::Forbidden);
    }
    let county = account.county();
    let view = run_view(db, account, run_id).await?;
    let grade = view.result.grade;
    let applicants = store::applicants(db, county, view.run.year as i32, grade).await?;
    let by_id: HashMap<&str, &Applicant> = applicants.iter().map(|a| (a.id.as_str(), a)).collect();
    let students: Vec<BalanceStudent> = view
        .result
        .placements
        .iter()
        .filter(|p| p.school_code.as_deref() == Some(school))
        .filter_map(|p| by_id.get(p.applicant_id.as_str()))
        .map(|a| BalanceStudent {
            id: a.id.clone(),
            sex: a.sex,
            score: a.score,
        })
        .collect();
    if students.is_empty() {
        return Err(AppError::Refused("该校在本方案中没有录取学生".into()));
    }
    let size = view
        .result
        .school(school)
        .map(|s| s.class_size)
        .filter(|s| *s > 0)
        .unwrap_or_else(|| ClassSizeRules::default().standard_size(grade));
    let seed = seed.unwrap_or_else(rand::random::<u64>);
    let classes = form_classes(&students, size, seed);
    let mut tx = db.begin().await?;
    let id = store::insert_balanced(
        &mut tx,
        county,
        run_id,
        school,
        grade,
        size,
        seed,
        &classes,
        &account.username,
    )
    .await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "balanced_classes",
            entity: "school",
            entity_key: school,
            before: None,
            after: Some(serde_json::json!({"run": run_id, "seed": seed.to_string(), "classes": classes.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// One balanced class summarised for display.
#[derive(Clone, Debug, Serialize)]
pub struct BalancedView {
    pub id: i64,
    pub school_code: String,
    pub grade: String,
    pub seed: String,
    pub class_size: i64,
    pub created_by: String,
    pub created_at: String,
    /// (class number, size, boys, girls, mean score)
    pub classes: Vec<(usize, u32, u32, u32, String)>,
}

pub async fn balanced(db: &Db, account: &Account, run_id: i64) -> Result<Vec<BalancedView>> {
    let county = account.county();
    let view = run_view(db, account, run_id).await?;
    let applicants = store::applicants(db, county, view.run.year as i32, view.result.grade).await?;
    let by_id: HashMap<&str, &Applicant> = applicants.iter().map(|a| (a.id.as_str(), a)).collect();
    let visible: HashSet<&str> = view
        .result
        .schools
        .iter()
        .map(|s| s.school_code.as_str())
        .collect();
    let mut out = Vec::new();
    for row in store::balanced(db, county, run_id, None).await? {
        if !visible.contains(row.school_code.as_str()) {
            continue;
        }
        let groups: Vec<Vec<String>> = serde_json::from_str(&row.classes_json).unwrap_or_default();
        let classes = groups
            .iter()
            .enumerate()
            .map(|(i, ids)| {
                let mut boys = 0;
                let mut scores = Vec::new();
                for id in ids {
                    if let Some(a) = by_id.get(id.as_str()) {
                        boys += u32::from(a.sex == Sex::Male);
                        if let Some(s) = a.score {
                            scores.push(s);
                        }
                    }
                }
                let mean = if scores.is_empty() {
                    "—".to_string()
                } else {
                    format!("{:.1}", scores.iter().sum::<f64>() / scores.len() as f64)
                };
                (i + 1, ids.len() as u32, boys, ids.len() as u32 - boys, mean)
            })
            .collect();
        out.push(BalancedView {
            id: row.id,
            school_code: row.school_code,
            grade: row.grade,
            seed: row.seed,
            class_size: row.class_size,
            created_by: row.created_by,
            created_at: row.created_at,
            classes,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- demo

/// Stores the demo county's seat intake: communities, zones, distances, plans, applicants,
/// the published base run and the balanced classes with their seeds; classrooms from the
/// autumn classes; and the spring 大班额 ledger, closed where the records show it closed.
pub async fn load_demo_intake(
    db: &Db,
    county: &str,
    demo: &emis_demo::DemoCounty,
    actor: &emis_storage::audit::Actor,
) -> Result<()> {
    if !store::runs(db, county).await?.is_empty() {
        return Ok(());
    }
    let year = 2021;
    let mut tx = db.begin().await?;
    let mut communities: Vec<Community> = Vec::new();
    let mut distances: Vec<DistanceEntry> = Vec::new();
    for intake in &demo.intake {
        for c in &intake.input.communities {
            if !communities.iter().any(|x| x.code == c.code) {
                communities.push(c.clone());
            }
        }
        distances.extend(intake.input.distances.entries());
    }
    distances.sort_by(|a, b| (&a.community, &a.school_code).cmp(&(&b.community, &b.school_code)));
    distances.dedup_by(|a, b| a.community == b.community && a.school_code == b.school_code);
    store::upsert_communities(&mut tx, county, &communities).await?;
    store::upsert_distances(&mut tx, county, &distances).await?;
    let mut runs = Vec::new();
    for intake in &demo.intake {
        let grade = intake.input.grade;
        store::replace_zones(&mut tx, county, year, grade, &intake.input.zones).await?;
        store::set_plans(&mut tx, county, year, &intake.input.capacities).await?;
        store::upsert_applicants(&mut tx, county, year, grade, &intake.input.applicants).await?;
        let id = store::insert_run(
            &mut tx,
            county,
            store::NewRun {
                year,
                grade,
                name: &format!("2021年秋季城区{}招生方案（正式）", grade.label()),
                changes_json: "[]".into(),
                result_json: serde_json::to_string(&intake.result).unwrap_or_default(),
                applicants: intake.result.placements.len() as i64,
                placed: intake.result.placed_count() as i64,
                unplaced: intake.result.unplaced.len() as i64,
                created_by: &actor.name,
                published: true,
            },
            &intake.result.placements,
        )
        .await?;
        for formed in &intake.classes {
            store::insert_balanced(
                &mut tx,
                county,
                id,
                &formed.school_code,
                formed.grade,
                formed.class_size,
                formed.seed,
                &formed.classes,
                &actor.name,
            )
            .await?;
        }
        runs.push(id);
    }
    // Classrooms: the autumn classes of every school and grade.
    let autumn = Term::autumn(year);
    let mut rooms: BTreeMap<(String, Grade), HashSet<u32>> = BTreeMap::new();
    for s in demo.students.iter().filter(|s| s.term == autumn) {
        rooms
            .entry((s.school_code.clone(), s.grade))
            .or_default()
            .insert(s.class_number);
    }
    let rows: Vec<(String, Grade, u32)> = rooms
        .into_iter()
        .map(|((s, g), set)| (s, g, set.len() as u32))
        .collect();
    store::set_classrooms(&mut tx, county, &rows).await?;
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "demo",
            entity: "enrollment",
            entity_key: county,
            before: None,
            after: Some(serde_json::json!({"runs": runs}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;

    // The spring ledger: every 56+ class, closed on the first day of autumn when the
    // school's autumn classes of the grade above hold no large class.
    let scope = Scope::County {
        county: county.into(),
    };
    let rules = store::settings(db, county).await?;
    let spring = lists::classes(db, &scope, &Term::spring(year).code(), None, Some(56)).await?;
    let autumn_large: HashSet<(String, String)> = lists::classes(
        db,
        &scope,
        &autumn.code(),
        None,
        Some(i64::from(rules.large_from)),
    )
    .await?
    .into_iter()
    .map(|c| (c.school_code, c.grade))
    .collect();
    let entries: Vec<store::NewLedgerEntry> = spring
        .iter()
        .map(|c| store::NewLedgerEntry {
            class_id: c.id,
            term: Term::spring(year).code(),
            school_code: c.school_code.clone(),
            grade: c.grade.clone(),
            class_number: c.number,
            size: c.size,
            plan: "秋季按学区招生、增设班级分流".into(),
            owner: format!("{}校长", c.school_name),
            target_date: Some("2021-09-30".into()),
        })
        .collect();
    let mut tx = db.begin().await?;
    store::add_ledger_entries(&mut tx, county, &entries).await?;
    emis_storage::commit(tx).await?;
    let mut tx = db.begin().await?;
    for e in store::ledger(db, county).await? {
        let next = Grade::parse(&e.grade).and_then(Grade::next);
        let still = next.is_some_and(|g| {
            autumn_large.contains(&(e.school_code.clone(), g.label().to_string()))
        });
        if !still {
            store::update_ledger_entry(
                &mut tx,
                county,
                e.id,
                &e.plan,
                &e.owner,
                e.target_date.as_deref(),
                Some("2021-09-01"),
            )
            .await?;
        }
    }
    emis_storage::commit(tx).await?;
    Ok(())
}
