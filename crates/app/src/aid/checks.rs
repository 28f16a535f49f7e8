//! 资助核查: eligibility and the gap checks over the stored rolls and payments, whom an aid
//! list shows (`AidScope`), and the gap lists as a sheet.

use super::catalog;
use crate::Result;
use emis_domain::access::Scope;
use emis_domain::aid::{
    entitlements, gaps, summarize, Entitlement, Gaps, Payment, Policy, Summary,
};
use emis_domain::registry::{School, StudentRecord};
use emis_domain::term::Term;
use emis_storage::aid as store;
use emis_storage::audit::Actor;
use emis_storage::{registry, Db};

/// Eligibility and the gap lists of some terms, with the payments' summary.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct AidCheck {
    pub entitlements: Vec<Entitlement>,
    pub gaps: Gaps,
    pub summary: Summary,
}

/// Runs eligibility and every gap check for the terms of a year, from the database.
pub async fn check(db: &Db, county: &str, terms: &[Term]) -> Result<AidCheck> {
    let schools = registry::schools(db, county).await?;
    let mut policies: Vec<Policy> = Vec::new();
    let mut years: Vec<i32> = terms.iter().map(|t| t.year).collect();
    years.dedup();
    for year in years {
        policies.extend(catalog(db, county, year).await?);
    }
    let (roll, payments) = store::check_inputs(db, county, terms).await?;
    Ok(evaluate(&policies, &roll, &schools, &payments))
}

/// Whom an aid list of some terms shows: the schools the scope admits and, for a 班主任,
/// only the students of the class (by ID number, on the roll of those terms). Every aid
/// list and export filters through it.
pub struct AidScope {
    schools: std::collections::HashSet<String>,
    class: Option<std::collections::HashSet<String>>,
}

impl AidScope {
    pub async fn of(db: &Db, scope: &Scope, terms: &[Term]) -> Result<AidScope> {
        let schools = registry::schools(db, scope.county())
            .await?
            .into_iter()
            .filter(|s| scope.admits_school(&s.code, &s.township_code))
            .map(|s| s.code)
            .collect();
        let class = if matches!(scope, Scope::Class { .. }) {
            let mut ids = std::collections::HashSet::new();
            for term in terms {
                let q = emis_storage::lists::StudentQuery {
                    term: term.code(),
                    per_page: 0,
                    ..Default::default()
                };
                ids.extend(
                    emis_storage::lists::students(db, scope, &q)
                        .await?
                        .items
                        .into_iter()
                        .map(|r| r.id_number),
                );
            }
            Some(ids)
        } else {
            None
        };
        Ok(AidScope { schools, class })
    }

    /// Whether a school lies in the scope (for counts by school).
    pub fn admits_school(&self, school: Option<&str>) -> bool {
        school.is_some_and(|c| self.schools.contains(c))
    }

    /// Whether a person paid or entitled at a school lies in the scope.
    pub fn admits(&self, school: Option<&str>, id_number: &str) -> bool {
        self.admits_school(school)
            && self
                .class
                .as_ref()
                .is_none_or(|ids| ids.contains(id_number))
    }
}

/// The pure part of [`check`].
pub fn evaluate(
    policies: &[Policy],
    roll: &[StudentRecord],
    schools: &[School],
    payments: &[Payment],
) -> AidCheck {
    let entitled = entitlements(policies, roll, schools);
    let gaps = gaps(policies, &entitled, roll, schools, payments);
    AidCheck {
        summary: summarize(payments),
        entitlements: entitled,
        gaps,
    }
}

/// The five gap lists of some terms within a scope as one xlsx sheet (ID numbers masked).
pub async fn write_gaps(
    db: &Db,
    scope: &Scope,
    terms: &[Term],
    out: &std::path::Path,
    actor: &Actor,
) -> Result<u64> {
    use emis_domain::identity::mask_id;
    let county = scope.county();
    let within = AidScope::of(db, scope, terms).await?;
    let result = check(db, county, terms).await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for e in &result.gaps.missed {
        if within.admits(Some(&e.school_code), &e.id_number) {
            rows.push(vec![
                "应助未助".into(),
                mask_id(&e.id_number),
                e.name.clone(),
                e.school_code.clone(),
                e.policy.clone(),
                e.term.code(),
                emis_domain::aid::yuan(e.fen),
            ]);
        }
    }
    let mut push = |kind: &str, p: &Payment| {
        if within.admits(p.school_code.as_deref(), &p.id_number) {
            rows.push(vec![
                kind.to_string(),
                mask_id(&p.id_number),
                String::new(),
                p.school_code.clone().unwrap_or_default(),
                p.policy.clone(),
                p.term.code(),
                emis_domain::aid::yuan(p.fen),
            ]);
        }
    };
    for p in &result.gaps.not_eligible {
        push("不符合条件", p);
    }
    for g in &result.gaps.duplicates {
        for p in g {
            push("同项目同学期重复", p);
        }
    }
    for g in &result.gaps.two_schools {
        for p in g {
            push("同学期两校发放", p);
        }
    }
    for p in &result.gaps.off_roll {
        push("不在籍发放", p);
    }
    let headers = [
        "问题类别",
        "身份证件号",
        "姓名",
        "学校标识码",
        "资助项目",
        "学期",
        "金额(元)",
    ];
    let n = emis_io::write_sheet(out, "资助问题名单", &headers, rows)?;
    let codes: Vec<String> = terms.iter().map(|t| t.code()).collect();
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county,
            kind: "aid_gaps",
            key: &codes.join(","),
            filter: serde_json::json!({"scope": crate::exports::scope_json(scope), "terms": codes}),
            rows: n,
            unmasked: false,
        },
    )
    .await?;
    Ok(n)
}
