//! 班额监测: the class-size monitor of a term (by stage, township and school, against the
//! term before), org-unit scopes and the `classes.*` indicators.

use super::previous_term;
use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::class_size::{count_large_classes, Band, ClassFact, ClassSizeRules};
use emis_domain::indicators::{IndicatorSet, Value};
use emis_domain::registry::{Grade, Stage};
use emis_domain::term::{Season, Term};
use emis_storage::enrollment as store;
use emis_storage::lists::{self, ClassRow};
use emis_storage::{registry, Db};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Classes by band, with the students in them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
    fn add(&mut self, rules: &ClassSizeRules, grade: Grade, size: u32) {
        self.classes += 1;
        self.students += size;
        match rules.band_of(grade, size) {
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    /// Classrooms that completed building projects added by the term's first day
    /// (included in `capacity`).
    pub added_classrooms: u32,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LargeClass {
    pub class: ClassRow,
    pub band: &'static str,
    pub standard: u32,
    pub over_standard: i64,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    let (now_classes, prev_classes, schools, township_names, classrooms, built) = tokio::join!(
        store::class_sizes(db, scope, &term_code),
        store::class_sizes(db, scope, &prev_code),
        registry::schools(db, county),
        lists::townships(db, scope),
        store::classrooms(db, county),
        crate::projects::classrooms_added(db, county, term.first_day()),
    );
    let built = built?;
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
        added_classrooms: 0,
    };
    for (list, is_now) in [(&now_classes, true), (&prev_classes, false)] {
        for c in list.iter() {
            let size = u32::try_from(c.size).unwrap_or(0);
            let grade = c.grade;
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
                    row.now.add(&rules, grade, size);
                } else {
                    row.prev.add(&rules, grade, size);
                }
            }
            if is_now {
                total.add(&rules, grade, size);
            } else {
                prev_total.add(&rules, grade, size);
            }
        }
    }
    // Capacity: classrooms × standard size per grade (the term's classes when no
    // classrooms are recorded), against the students in class.
    let mut per_grade: HashMap<(String, Grade), (u32, u32)> = HashMap::new();
    for c in &now_classes {
        let e = per_grade
            .entry((c.school_code.clone(), c.grade))
            .or_default();
        e.0 += 1;
        e.1 += u32::try_from(c.size).unwrap_or(0);
    }
    for ((code, grade), (classes, _)) in &per_grade {
        let Some(row) = school.get_mut(code) else {
            continue;
        };
        let g = *grade;
        let rooms = match classrooms.get(&(code.clone(), grade.label().to_string())) {
            Some(n) => u32::try_from(*n).unwrap_or(0),
            None => {
                row.estimated = true;
                *classes
            }
        };
        *row.capacity.get_or_insert(0) += rooms * rules.standard_size(g);
    }
    // Completed building projects add their classrooms from the term they are in use.
    for (code, row) in school.iter_mut() {
        let added = built.get(code).copied().unwrap_or(0);
        if let (Some(s), Ok(added @ 1..)) = (schools.get(code), u32::try_from(added)) {
            row.added_classrooms = added;
            *row.capacity.get_or_insert(0) += added * rules.standard_for_school(s.school_type);
        }
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
            let band = match rules.band_of(c.grade, size) {
                Band::Oversize => "超大班额",
                Band::Large if c.grade.stage() == Stage::Preschool => "超过规程班额",
                Band::Large => "大班额",
                _ => return None,
            };
            let standard = rules.standard_size(c.grade);
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
    // Another county's unit is not found, as a record outside the scope is not.
    let unit = registry::org_unit(db, org)
        .await?
        .filter(|u| u.county == county)
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
            .map(|c| ClassFact {
                school_type: c.school_type,
                grade: c.grade,
                size: u32::try_from(c.size).unwrap_or(0),
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
