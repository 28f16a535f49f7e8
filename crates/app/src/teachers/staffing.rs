//! 编制: per school the 专任教师 required by the standard for the students on the roll, the
//! teachers it has, the gap, and the required subjects no teacher teaches; township and
//! county sums. The standard is the county's setting (the 2014 ratios by default).

use super::admits;
use crate::auth::Account;
use crate::Result;
use emis_domain::access::Permission;
use emis_domain::registry::School;
use emis_domain::teachers::staffing::{SchoolStaffing, Staffing, StaffingStandard};
use emis_storage::teachers as store;
use emis_storage::{registry, Db};
use std::collections::{BTreeMap, HashMap};

/// One school's line.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SchoolStaffingLine {
    pub code: String,
    pub name: String,
    pub school_type: String,
    pub township_code: String,
    pub township: String,
    pub staffing: Staffing,
}

/// One township's sum.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TownshipStaffingLine {
    pub code: String,
    pub name: String,
    pub schools: usize,
    /// Schools missing at least one required subject.
    pub schools_missing_subjects: usize,
    pub staffing: Staffing,
}

/// The staffing picture of the account's scope for the students of a term.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StaffingPicture {
    pub standard: StaffingStandard,
    /// The term whose roll gives the students (the latest with data); `None` when none.
    pub term: Option<String>,
    pub total: Staffing,
    pub townships: Vec<TownshipStaffingLine>,
    pub schools: Vec<SchoolStaffingLine>,
}

/// The picture for the account's scope; `term` defaults to the latest term with data.
pub async fn picture(db: &Db, account: &Account, term: Option<&str>) -> Result<StaffingPicture> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let (standard, _) = store::teacher_settings(db, county).await?;
    let term = match term {
        Some(t) => Some(t.to_string()),
        None => registry::latest_term(db, county).await?,
    };
    let students = match &term {
        Some(t) => store::students_by_school_grade(db, county, t).await?,
        None => Vec::new(),
    };
    let teachers = store::teachers_by_school_subject(db, county).await?;
    let townships: HashMap<String, String> = emis_storage::lists::townships(db, &account.scope)
        .await?
        .into_iter()
        .collect();
    let schools: Vec<School> = registry::schools(db, county)
        .await?
        .into_iter()
        .filter(|s| admits(account, &s.code, &s.township_code))
        .collect();
    let mut facts: HashMap<&str, SchoolStaffing> = schools
        .iter()
        .map(|s| {
            (
                s.code.as_str(),
                SchoolStaffing {
                    school_type: Some(s.school_type),
                    ..SchoolStaffing::default()
                },
            )
        })
        .collect();
    for c in &students {
        if let Some(f) = facts.get_mut(c.school_code.as_str()) {
            let stage = c.grade.stage();
            let n = u32::try_from(c.students).unwrap_or(0);
            match f.students.iter_mut().find(|(s, _)| *s == stage) {
                Some((_, total)) => *total += n,
                None => f.students.push((stage, n)),
            }
        }
    }
    for (school, subject, n) in &teachers {
        if let Some(f) = facts.get_mut(school.as_str()) {
            f.teachers += u32::try_from(*n).unwrap_or(0);
            if !subject.is_empty() {
                f.subjects.insert(subject.clone());
            }
        }
    }
    let mut lines: Vec<SchoolStaffingLine> = schools
        .iter()
        .map(|s| SchoolStaffingLine {
            code: s.code.clone(),
            name: s.name.clone(),
            school_type: s.school_type.label().to_string(),
            township_code: s.township_code.clone(),
            township: townships
                .get(&s.township_code)
                .cloned()
                .unwrap_or_else(|| s.township_code.clone()),
            staffing: Staffing::of(&standard, &facts[s.code.as_str()]),
        })
        .collect();
    // The largest shortage first: that is where the personnel office looks.
    lines.sort_by(|a, b| {
        b.staffing
            .shortage
            .cmp(&a.staffing.shortage)
            .then(a.code.cmp(&b.code))
    });
    let mut by_township: BTreeMap<String, Vec<&SchoolStaffingLine>> = BTreeMap::new();
    for l in &lines {
        by_township
            .entry(l.township_code.clone())
            .or_default()
            .push(l);
    }
    let townships = by_township
        .into_iter()
        .map(|(code, ls)| TownshipStaffingLine {
            name: ls[0].township.clone(),
            schools: ls.len(),
            schools_missing_subjects: ls
                .iter()
                .filter(|l| !l.staffing.missing_subjects.is_empty())
                .count(),
            staffing: Staffing::sum(ls.iter().map(|l| &l.staffing)),
            code,
        })
        .collect();
    Ok(StaffingPicture {
        standard,
        term,
        total: Staffing::sum(lines.iter().map(|l| &l.staffing)),
        townships,
        schools: lines,
    })
}

/// The county's staffing standard and continuing-education requirement.
pub async fn settings(
    db: &Db,
    account: &Account,
) -> Result<(
    StaffingStandard,
    emis_domain::teachers::hours::HoursRequirement,
)> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    Ok(store::teacher_settings(db, account.county()).await?)
}

/// Sets the county's staffing standard (the ratios in tenths), audited.
pub async fn set_standard(
    db: &Db,
    account: &Account,
    standard: StaffingStandard,
    requirement: emis_domain::teachers::hours::HoursRequirement,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepTeachers)?;
    let county = account.county();
    let before = store::teacher_settings(db, county).await?;
    let mut tx = db.begin().await?;
    store::save_teacher_settings(&mut tx, county, &standard, &requirement, &account.username)
        .await?;
    emis_storage::audit::Entry::new(county, "update", "teacher_settings", county)
        .before_json(&serde_json::json!({"staffing": before.0, "hours": before.1}))
        .after_json(&serde_json::json!({"staffing": standard, "hours": requirement}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
