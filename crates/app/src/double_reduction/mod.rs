//! 双减: the training-institution register with its status changes (`institutions`),
//! after-school service with its 5+2 rates (`after_school`), the 五项管理 self-checks
//! (`five`) and the `double_reduction.*` and `after_school.*` indicators of a county, a township or a school.

pub mod after_school;
pub mod five;
pub mod institutions;

pub use emis_storage::double_reduction::{AfterSchoolRow, InstitutionEventRow, InstitutionRow};

use crate::imports::ImportKind;
use crate::Result;
use emis_domain::access::Scope;
use emis_domain::double_reduction::counted_as;
use emis_domain::indicators::Value;
use emis_storage::{double_reduction as store, Db};
use std::collections::{BTreeSet, HashMap};

/// The year's indicators for the org unit a scope names (CONTRACTS.md): institution changes
/// counted once per institution from the year's events; the after-school rates of the
/// latest term of the year that has records.
pub async fn indicators_of(
    db: &Db,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let county = scope.county();
    let institutions: HashMap<i64, String> = store::institutions(db, county)
        .await?
        .into_iter()
        .map(|i| (i.id, i.township_code))
        .collect();
    let township_admits = |id: i64| match scope {
        Scope::County { .. } => true,
        Scope::Township { township, .. } => institutions.get(&id) == Some(township),
        // Institutions are not a school's: a school's figures count none.
        Scope::School { .. } | Scope::Class { .. } => false,
        Scope::Region { .. } => false,
    };
    let mut counted: HashMap<&'static str, BTreeSet<i64>> = HashMap::new();
    for e in store::events_of_year(db, county, year).await? {
        if let Some(code) = counted_as(e.status, e.category, e.licence.is_some()) {
            if township_admits(e.institution_id) {
                counted.entry(code).or_default().insert(e.institution_id);
            }
        }
    }
    let mut out: Vec<(&'static str, Value)> = [
        "double_reduction.institutions.closed",
        "double_reduction.institutions.deregistered",
        "double_reduction.institutions.transformed",
    ]
    .into_iter()
    .map(|code| {
        (
            code,
            Value::Count(counted.get(code).map_or(0, |s| s.len() as i64)),
        )
    })
    .collect();
    let rates = match store::after_school_terms(db, county, year).await?.last() {
        Some(term) => after_school::rates_of(db, scope, term).await?.total,
        None => Default::default(),
    };
    out.push(("after_school.coverage", Value::Rate(rates.coverage())));
    out.push((
        "after_school.time_compliance",
        Value::Rate(rates.time_compliance()),
    ));
    out.push((
        "after_school.participation",
        Value::Rate(rates.participation()),
    ));
    Ok(out)
}

/// The county's indicators (the annual report).
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let scope = Scope::County {
        county: county.to_string(),
    };
    indicators_of(db, &scope, year).await
}

/// The 双减 kinds exported in their import template (`None` for other kinds).
pub(crate) async fn export_rows(
    db: &Db,
    county: &str,
    kind: ImportKind,
    in_scope: &dyn Fn(&str) -> bool,
) -> Result<Option<Vec<Vec<String>>>> {
    let rows = match kind {
        ImportKind::Institutions => {
            let mut out = Vec::new();
            for i in store::institutions(db, county).await? {
                let document = store::events_of(db, county, i.id)
                    .await?
                    .into_iter()
                    .last()
                    .and_then(|e| e.document);
                out.push(vec![
                    i.name,
                    i.credit_code,
                    i.category.label().to_string(),
                    i.township.unwrap_or(i.township_code),
                    i.licence.unwrap_or_default(),
                    i.status.label().to_string(),
                    i.status_on.unwrap_or_default(),
                    i.owner.unwrap_or_default(),
                    i.address.unwrap_or_default(),
                    document.unwrap_or_default(),
                ]);
            }
            out
        }
        ImportKind::AfterSchool => {
            let mut out = Vec::new();
            for term in store::all_after_school_terms(db, county).await? {
                for r in store::after_school(db, county, &term).await? {
                    if in_scope(&r.school_code) {
                        out.push(vec![
                            r.school_code,
                            r.term,
                            (if r.offered { "是" } else { "否" }).to_string(),
                            r.days_a_week.to_string(),
                            r.minutes_a_day.to_string(),
                            r.students.to_string(),
                            r.teachers.map(|t| t.to_string()).unwrap_or_default(),
                        ]);
                    }
                }
            }
            out
        }
        _ => return Ok(None),
    };
    Ok(Some(rows))
}

/// The year's indicators of the account's own org unit (the 双减 overview page).
pub async fn indicators_for(
    db: &Db,
    account: &crate::auth::Account,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    crate::require(
        account.role,
        emis_domain::access::Permission::WholeSchoolReads,
    )?;
    indicators_of(db, &account.scope, year).await
}
