//! 预填: the values a form never asks for because the system holds them, computed for each
//! respondent's own org unit from the registry (students and classes of the period's term,
//! staff who had started by the period's end). A township's value is its schools' sum.

use super::Prefilled;
use crate::Result;
use chrono::NaiveDate;
use emis_domain::forms::response::Answer;
use emis_domain::forms::{Definition, Period, RespondentKind};
use emis_domain::term::Term;
use emis_storage::{forms as store, Db};
use std::collections::HashMap;

/// The term whose roll a period reads: its own term, the term a month falls in, or for a
/// year the latest term with roll data up to that year (that year's autumn if none).
async fn term_of(db: &Db, county: &str, period: Period) -> Result<Term> {
    Ok(match period {
        Period::Term(t) => t,
        Period::Month(y, m) => {
            Term::containing(NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default())
        }
        Period::Year(y) => emis_storage::indicators::all_terms(db, county)
            .await?
            .iter()
            .filter_map(|t| Term::parse(t))
            .rfind(|t| t.year <= y)
            .unwrap_or(Term::autumn(y)),
    })
}

/// The last day of a period (staff who had started by then are counted).
fn last_day(period: Period) -> NaiveDate {
    let (y, m) = match period {
        Period::Year(y) => (y, 12),
        Period::Term(t) => match t.season {
            emis_domain::term::Season::Spring => (t.year, 7),
            emis_domain::term::Season::Autumn => (t.year, 12),
        },
        Period::Month(y, m) => (y, m),
    };
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or_default()
}

/// Every respondent's prefilled values for a form and period, by respondent code. Fields
/// without a prefill are absent; a form with none reads nothing.
pub async fn prefills(
    db: &Db,
    county: &str,
    def: &Definition,
    period: Period,
) -> Result<HashMap<String, Prefilled>> {
    let wanted: Vec<(&str, &str)> = def
        .fields
        .iter()
        .filter_map(|f| f.prefill.as_deref().map(|p| (f.code.as_str(), p)))
        .collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let term = term_of(db, county, period).await?;
    let facts =
        store::school_facts(db, county, &term.code(), &last_day(period).to_string()).await?;
    let schools = emis_storage::registry::schools(db, county).await?;
    // A respondent's facts: its own school's, or the sum of its township's schools.
    let mut of_respondent: HashMap<String, store::SchoolFacts> = HashMap::new();
    for s in &schools {
        let f = facts.get(&s.code).cloned().unwrap_or_default();
        let key = match def.respondent {
            RespondentKind::School => s.code.clone(),
            RespondentKind::Township => s.township_code.clone(),
        };
        let sum = of_respondent.entry(key).or_default();
        sum.students += f.students;
        sum.classes += f.classes;
        sum.staff += f.staff;
        sum.teachers += f.teachers;
    }
    Ok(of_respondent
        .into_iter()
        .map(|(respondent, f)| {
            let values = wanted
                .iter()
                .filter_map(|(field, indicator)| {
                    let n = match *indicator {
                        "students.enrolled" => f.students,
                        "staff.total" => f.staff,
                        "staff.teachers" => f.teachers,
                        "classes.total" => f.classes,
                        _ => return None,
                    };
                    let answer = match def.field(field).map(|f| f.kind) {
                        Some(emis_domain::forms::FieldType::Decimal) => Answer::Decimal(n * 100),
                        _ => Answer::Integer(n),
                    };
                    Some((field.to_string(), answer))
                })
                .collect();
            (respondent, values)
        })
        .collect())
}
