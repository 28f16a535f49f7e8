//! 招生与班额: the class-size monitor, the large-class ledger, zones, applicants, allocation
//! runs (with what-ifs, comparison and publication) and balanced classes. Every change is
//! checked against the account's role and scope and audited in its own transaction.
//!
//! Parts: `monitor` (班额监测, indicators), `settings` (班额设置), `ledger` (大班额台账),
//! `zones` (学区, communities and distances), `intake` (招生计划, applicants),
//! `allocation` (分配方案: runs, what-ifs, comparison, publication), `balanced` (均衡分班)
//! and `queries` (the reads the pages and the API show).

use crate::auth::Account;
use crate::imports::Problem;
use crate::{AppError, Db, Result};
use emis_domain::access::Permission;
use emis_domain::registry::Grade;
use emis_domain::term::{Season, Term};
use emis_io::{Column, Table};
use serde::Serialize;

mod allocation;
mod balanced;
mod intake;
mod ledger;
mod monitor;
pub mod queries;
mod settings;
mod zones;

pub use self::{
    allocation::*, balanced::*, intake::*, ledger::*, monitor::*, settings::*, zones::*,
};

/// The entry grades allocation runs for.
pub const ENTRY_GRADES: [Grade; 2] = [Grade::G1, Grade::G7];

pub fn parse_entry_grade(raw: &str) -> Option<Grade> {
    Grade::parse(raw).filter(|g| ENTRY_GRADES.contains(g))
}

/// County officers (and the administrator) draw zones and run allocations.
fn require_plan(account: &Account) -> Result<()> {
    crate::require(account.role, Permission::PlanEnrollment)
}

/// Refuses a school code that is not the county's, or a school that does not take pupils
/// into `grade`.
async fn school_taking(db: &Db, county: &str, school: &str, grade: Grade) -> Result<()> {
    let schools = emis_storage::registry::schools(db, county).await?;
    let Some(s) = schools.into_iter().find(|s| s.code == school) else {
        return Err(AppError::Refused(format!(
            "学校标识码 {school} 不在本县学校名单中"
        )));
    };
    if !s.school_type.teaches(grade) {
        return Err(AppError::Refused(format!(
            "{}不招收{}",
            s.name,
            grade.label()
        )));
    }
    Ok(())
}

/// The term before `term`.
pub fn previous_term(term: Term) -> Term {
    match term.season {
        Season::Autumn => Term::spring(term.year),
        Season::Spring => Term::autumn(term.year - 1),
    }
}

/// The result of a zone, distance or applicant import.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SheetReport {
    pub rows: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub written: usize,
    pub committed: bool,
    /// Problems and warnings beyond the listing cap, counted only.
    pub omitted_problems: usize,
}

impl SheetReport {
    fn from_table(table: &Table<'_>, spec: &[Column]) -> SheetReport {
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

    /// Lists at most `emis_io::Limits::problems` problems and warnings (as the other
    /// imports do) and counts the rest.
    fn capped(mut self) -> SheetReport {
        let limit = emis_io::Limits::default().problems;
        self.omitted_problems = crate::imports::cap_listed(&mut self.problems, limit)
            + crate::imports::cap_listed(&mut self.warnings, limit);
        self
    }

    /// The note for the problems not listed, if any.
    pub fn omitted_note(&self) -> Option<String> {
        (self.omitted_problems > 0).then(|| {
            crate::imports::omitted_note(self.omitted_problems, emis_io::Limits::default().problems)
        })
    }
}

// ---------------------------------------------------------------- demo
