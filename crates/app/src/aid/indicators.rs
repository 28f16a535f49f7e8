//! 资助统计: the `aid.*` indicators and person-times and amounts by policy, stage,
//! township and school (and as a sheet).

use super::{catalog, AidScope};
use crate::{AppError, Result};
use emis_domain::access::Scope;
use emis_domain::aid::{missed_count, missed_ranked, summarize, Payment, Policy};
use emis_domain::indicators::Value;
use emis_domain::registry::School;
use emis_domain::term::Term;
use emis_storage::aid as store;
use emis_storage::{registry, Db};
use std::collections::BTreeMap;

/// `aid.person_times`, `aid.amount` and `aid.missed` for a year: the figures of the check
/// ([`super::check`]) over the year's two terms, counted by the database (the payments summed, the
/// roll and the paid keys grouped by the facts eligibility reads) rather than read student
/// by student, which was most of the annual summary's time and memory.
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(&'static str, Value)>> {
    let terms = Term::of_year(year);
    let (mut paid, missed) = tokio::try_join!(
        payment_indicators(db, county, year),
        missed(db, county, year, &terms),
    )?;
    paid.push(("aid.missed", Value::Count(missed as i64)));
    Ok(paid)
}

/// `aid.person_times` and `aid.amount` alone: the payments of the year's two terms summed,
/// without the roll (a region's roll-up shows these two, not 应助未助).
pub async fn payment_indicators(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(&'static str, Value)>> {
    let terms = Term::of_year(year);
    let (spring, autumn) = tokio::try_join!(
        store::payment_totals(db, county, terms[0]),
        store::payment_totals(db, county, terms[1]),
    )?;
    Ok(vec![
        (
            "aid.person_times",
            Value::Count((spring.0 + autumn.0) as i64),
        ),
        ("aid.amount", Value::Fen(spring.1 + autumn.1)),
    ])
}

/// The length of the check's missed list (应助未助) over `terms` of `year`: the policies
/// without a 名额 from the roll counted by facts; each policy with one student by student
/// over the students of its grades, since a quota ranks them by ID number.
async fn missed(db: &Db, county: &str, year: i32, terms: &[Term; 2]) -> Result<u64> {
    let policies = catalog(db, county, year).await?;
    // No policy, nobody entitled: the roll need not be read (a year before the catalog).
    if policies.is_empty() {
        return Ok(0);
    }
    let ranked: Vec<&Policy> = policies.iter().filter(|p| p.quota.is_some()).collect();
    let counted = async {
        if ranked.len() == policies.len() {
            return Ok::<_, AppError>((Vec::new(), Vec::new()));
        }
        let (spring, autumn, paid_spring, paid_autumn) = tokio::try_join!(
            store::roll_groups(db, county, terms[0]),
            store::roll_groups(db, county, terms[1]),
            store::paid_groups(db, county, terms[0]),
            store::paid_groups(db, county, terms[1]),
        )?;
        Ok((
            [spring, autumn].concat(),
            [paid_spring, paid_autumn].concat(),
        ))
    };
    let one_term = |p: &Policy, term: Term| {
        let (grades, code) = (p.grades.clone(), p.code.clone());
        async move {
            let (candidates, paid) = tokio::try_join!(
                store::roll_facts_in_grades(db, county, term, &grades),
                store::paid_ids(db, county, term, &code),
            )?;
            let paid: Vec<(String, Term)> = paid.into_iter().map(|id| (id, term)).collect();
            Ok::<_, AppError>((candidates, paid))
        }
    };
    let one_by_one = async {
        let mut out = Vec::new();
        for &p in &ranked {
            let (spring, autumn) = tokio::try_join!(one_term(p, terms[0]), one_term(p, terms[1]))?;
            out.push((p, spring));
            out.push((p, autumn));
        }
        Ok::<_, AppError>(out)
    };
    let (schools, (roll, paid), ranked) =
        tokio::try_join!(registry_schools(db, county), counted, one_by_one)?;
    let mut missed = missed_count(&policies, &schools, &roll, &paid);
    for (policy, (candidates, paid)) in &ranked {
        missed += missed_ranked(policy, &schools, candidates, paid);
    }
    Ok(missed)
}

async fn registry_schools(db: &Db, county: &str) -> Result<Vec<School>> {
    Ok(registry::schools(db, county).await?)
}

/// Person-times and fen by a key (policy, stage, township or school).
pub fn breakdown(
    payments: &[Payment],
    key: impl Fn(&Payment) -> String,
) -> BTreeMap<String, (u64, i64)> {
    let mut groups: BTreeMap<String, Vec<Payment>> = BTreeMap::new();
    for p in payments {
        groups.entry(key(p)).or_default().push(p.clone());
    }
    groups
        .into_iter()
        .map(|(k, list)| {
            let s = summarize(&list);
            (k, (s.person_times, s.fen))
        })
        .collect()
}

/// Person-times and amounts by policy, stage, township and school as one xlsx sheet.
pub async fn write_breakdown(
    db: &Db,
    scope: &Scope,
    terms: &[Term],
    out: &std::path::Path,
) -> Result<u64> {
    let county = scope.county();
    let schools = registry::schools(db, county).await?;
    let by_code: std::collections::HashMap<&str, &School> =
        schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut grade_of = std::collections::HashMap::new();
    for r in store::roll_facts(db, county, terms).await? {
        grade_of.insert((r.id_number.clone(), r.term), r.grade);
    }
    let within = AidScope::of(db, scope, terms).await?;
    let payments: Vec<Payment> = store::payments(db, county, terms)
        .await?
        .into_iter()
        .filter(|p| within.admits(p.school_code.as_deref(), &p.id_number))
        .collect();
    let school = |p: &Payment| p.school_code.clone().unwrap_or_default();
    // Names for people, codes kept in brackets so the sheet can be joined back.
    let years: std::collections::BTreeSet<i32> = terms.iter().map(|t| t.year).collect();
    let mut policy_names: std::collections::HashMap<String, String> = Default::default();
    for year in years {
        for p in catalog(db, county, year).await? {
            policy_names.entry(p.code).or_insert(p.name);
        }
    }
    let division = emis_domain::divisions::county(county);
    let township_name = |code: &str| {
        division
            .and_then(|c| c.township(code))
            .map(|t| format!("{}（{code}）", t.name))
            .unwrap_or_else(|| code.to_string())
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut add = |dimension: &str, groups: BTreeMap<String, (u64, i64)>| {
        for (k, (pt, fen)) in groups {
            rows.push(vec![
                dimension.to_string(),
                k,
                pt.to_string(),
                emis_domain::aid::yuan(fen),
            ]);
        }
    };
    add(
        "资助项目",
        breakdown(&payments, |p| {
            policy_names
                .get(&p.policy)
                .cloned()
                .unwrap_or_else(|| p.policy.clone())
        }),
    );
    add(
        "学段",
        breakdown(&payments, |p| {
            grade_of
                .get(&(p.id_number.clone(), p.term))
                .map(|g| g.stage().label().to_string())
                .unwrap_or_else(|| "不在籍".into())
        }),
    );
    add(
        "乡镇",
        breakdown(&payments, |p| {
            by_code
                .get(school(p).as_str())
                .map(|s| township_name(&s.township_code))
                .unwrap_or_default()
        }),
    );
    add(
        "学校",
        breakdown(&payments, |p| {
            by_code
                .get(school(p).as_str())
                .map(|s| format!("{}（{}）", s.name, s.code))
                .unwrap_or_else(|| school(p))
        }),
    );
    let headers = ["维度", "名称", "人次", "金额(元)"];
    Ok(emis_io::write_sheet(out, "资助分类汇总", &headers, rows)?)
}
