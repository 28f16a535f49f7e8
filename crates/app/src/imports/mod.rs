//! 导入: every row is validated first and every problem reported with its row, column and
//! reason; by default all-or-nothing, and importing the same file twice changes nothing.

mod after_school;
mod aid;
mod awards;
mod funded_normal;
mod hardship;
mod honours;
mod institutions;
mod kind;
mod party;
mod poverty;
mod projects;
mod report;
mod rows;
mod schools;
mod staff;
mod students;
mod studios;
mod trainings;
mod write;

use crate::{AppError, Progress, Result};
use emis_io::{Column, Table};
use emis_storage::audit::Actor;
use emis_storage::Db;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use after_school::AFTER_SCHOOL_COLUMNS;

/// The account's own imports of the last `days` days as of `today`, newest first (at most
/// 50): the import page's 最近导入 and the home's 待办 read them.
pub async fn recent(
    db: &Db,
    account: &crate::auth::Account,
    today: chrono::NaiveDate,
    days: i64,
) -> Result<Vec<emis_storage::audit::ImportRecord>> {
    let since = (today - chrono::Duration::days(days)).to_string();
    Ok(
        emis_storage::audit::imports_by(db, account.county(), &account.username, &since, 50)
            .await?,
    )
}

/// 身份证件号 as every sheet of people names it: our template's name, and the names the
/// national systems and the police's household roll use.
pub const ID_NUMBER_COLUMN: emis_io::Column<'static> = emis_io::Column::required("身份证件号")
    .with_aliases(&[
        "身份证号",
        "身份证号码",
        "证件号码",
        "证件号",
        "身份证件号码",
        "公民身份号码",
    ]);
pub use aid::AID_COLUMNS;
pub use awards::AWARD_COLUMNS;
pub use funded_normal::FUNDED_NORMAL_COLUMNS;
pub use hardship::HARDSHIP_COLUMNS;
pub use honours::HONOUR_COLUMNS;
pub use institutions::INSTITUTION_COLUMNS;
pub use party::PARTY_COLUMNS;
pub use poverty::POVERTY_COLUMNS;
pub use projects::PROJECT_COLUMNS;
pub use schools::SCHOOL_COLUMNS;
pub use staff::STAFF_COLUMNS;
pub use students::{NATIONAL_STUDENT_HEADERS, STUDENT_COLUMNS};
pub use studios::STUDIO_COLUMNS;
pub use trainings::TRAINING_COLUMNS;

pub use kind::ImportKind;
pub(crate) use report::cap_listed;
pub use report::{omitted_note, ImportReport, Problem, ReadAs, READ_AS_ROWS};
pub(crate) use rows::{check_lengths, RowCheck};
use write::write_error_rows;
pub(crate) use write::{begin_write, commit_batch, should_write, Changes};

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The term for rows without a 学期 column value.
    pub term: Option<emis_domain::term::Term>,
    pub skip_invalid: bool,
    pub errors_out: Option<PathBuf>,
    pub dry_run: bool,
    /// The importing account's scope: rows for schools outside it are refused.
    /// `None` for the command line, which acts for the whole county.
    pub scope: Option<emis_domain::access::Scope>,
    /// What today is: rows without a 学期 go to the term it falls in.
    pub clock: crate::Clock,
}

/// Imports a file of the given kind into the county. On refusal nothing is written.
pub async fn import_file(
    db: &Db,
    county: &str,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let source = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_string();
    import_file_as(db, county, kind, path, &source, options, actor, progress).await
}

/// The same, recording the file in the audit log under `source` (an upload's name on the
/// user's computer rather than its staged name).
#[allow(clippy::too_many_arguments)]
pub async fn import_file_as(
    db: &Db,
    county: &str,
    kind: ImportKind,
    path: &Path,
    source: &str,
    options: &ImportOptions,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    progress.stage("读取文件", 0);
    let phase = crate::timing::phase(kind.code(), "sheet read");
    let read = tokio::task::spawn_blocking({
        let path = path.to_path_buf();
        move || emis_io::read_table(&path, kind.columns())
    });
    // A students import compares every row with the stored roll: read it on the other core
    // while the sheet is read (the two take about as long).
    let (table, stored) = if kind == ImportKind::Students {
        let (table, stored) = tokio::join!(read, students::StoredRoll::read(db, county, options));
        (table, Some(stored))
    } else {
        (read.await, None)
    };
    let table = table.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
    let stored = stored.transpose()?;
    phase.done(table.rows.len() as u64);
    import_read(
        db, county, kind, table, source, options, actor, progress, stored,
    )
    .await
}

/// The same, for a table already read (the web upload uses it).
#[allow(clippy::too_many_arguments)]
pub async fn import_table(
    db: &Db,
    county: &str,
    kind: ImportKind,
    table: Table<'_>,
    source: &str,
    options: &ImportOptions,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    import_read(
        db, county, kind, table, source, options, actor, progress, None,
    )
    .await
}

/// `import_table` with, for students, the stored roll read beforehand (`import_file`).
#[allow(clippy::too_many_arguments)]
async fn import_read(
    db: &Db,
    county: &str,
    kind: ImportKind,
    mut table: Table<'_>,
    source: &str,
    options: &ImportOptions,
    actor: &Actor,
    progress: &dyn Progress,
    mut stored: Option<students::StoredRoll>,
) -> Result<ImportReport> {
    // Rows with an over-long cell are refused before anything else reads them.
    let rows = table.rows.len();
    let mut length_problems = Vec::new();
    let too_long = check_lengths(&table, kind.columns(), &mut length_problems);
    let mut long_rows = Vec::new();
    if !too_long.is_empty() {
        let (keep, refused) = std::mem::take(&mut table.rows)
            .into_iter()
            .partition(|r| !too_long.contains(&r.number));
        table.rows = keep;
        long_rows = refused;
    }
    // A lost race with another import of the county is checked again from fresh reads;
    // the second attempt sees the other import's rows (and refuses what now conflicts).
    let mut attempt = 1;
    let mut report = loop {
        let seen = emis_storage::registry::import_seq(db, county).await?;
        // What was read before another import wrote is read again.
        let prefetched = stored.take().filter(|s| s.read_at == seen);
        let report = ImportReport {
            rows,
            read_at: seen,
            problems: length_problems.clone(),
            ..ImportReport::default()
        };
        match import_attempt(
            db, county, kind, &table, source, options, actor, progress, report, prefetched,
        )
        .await
        {
            Err(AppError::Conflict(_)) if attempt < IMPORT_ATTEMPTS => attempt += 1,
            outcome => break outcome?,
        }
    };
    if options.skip_invalid && !report.problems.is_empty() {
        if let Some(out) = &options.errors_out {
            table.rows.extend(long_rows);
            table.rows.sort_by_key(|r| r.number);
            write_error_rows(out, kind, &table, &report.problems)?;
        }
    }
    report.cap_problems(emis_io::Limits::default().problems);
    Ok(report)
}

/// One import's inputs, as each kind's `run` takes them.
#[derive(Clone, Copy)]
pub(crate) struct Run<'a> {
    pub db: &'a Db,
    pub county: &'a str,
    pub table: &'a Table<'a>,
    pub source: &'a str,
    pub options: &'a ImportOptions,
    pub actor: &'a Actor,
    pub progress: &'a dyn Progress,
}

impl Run<'_> {
    /// The county's schools by code (rows name their school by 学校标识码).
    pub(crate) async fn schools(&self) -> Result<HashMap<String, emis_domain::registry::School>> {
        Ok(emis_storage::registry::schools(self.db, self.county)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect())
    }
}

/// How often an import that lost a race with another import of the county is re-checked.
const IMPORT_ATTEMPTS: u32 = 3;

#[allow(clippy::too_many_arguments)]
async fn import_attempt(
    db: &Db,
    county: &str,
    kind: ImportKind,
    table: &Table<'_>,
    source: &str,
    options: &ImportOptions,
    actor: &Actor,
    progress: &dyn Progress,
    mut report: ImportReport,
    stored: Option<students::StoredRoll>,
) -> Result<ImportReport> {
    for (row, column, reason) in &table.cell_issues {
        report.problems.push(Problem {
            row: *row,
            column: column.to_string(),
            reason: reason.clone(),
        });
    }
    let run = Run {
        db,
        county,
        table,
        source,
        options,
        actor,
        progress,
    };
    if kind.county_only() && options.scope.as_ref().is_some_and(|s| !s.is_county()) {
        return Err(AppError::Forbidden);
    }
    let outcome = match kind {
        ImportKind::Schools => schools::run(&run, &mut report).await,
        ImportKind::Students => students::run(&run, &mut report, stored).await,
        ImportKind::Staff => staff::run(&run, &mut report).await,
        ImportKind::Aid => aid::run(&run, &mut report).await,
        ImportKind::Poverty => poverty::run(&run, &mut report).await,
        ImportKind::Hardship => hardship::run(&run, &mut report).await,
        ImportKind::Trainings => trainings::run(&run, &mut report).await,
        ImportKind::Awards => awards::run(&run, &mut report).await,
        ImportKind::FundedNormal => funded_normal::run(&run, &mut report).await,
        ImportKind::Studios => studios::run(&run, &mut report).await,
        ImportKind::Institutions => institutions::run(&run, &mut report).await,
        ImportKind::AfterSchool => after_school::run(&run, &mut report).await,
        ImportKind::Projects => projects::run(&run, &mut report).await,
        ImportKind::Honours => honours::run(&run, &mut report).await,
        ImportKind::Party => party::run(&run, &mut report).await,
    };
    outcome?;
    report.problems.sort_by_key(|p| p.row);
    report.warnings.sort_by_key(|p| p.row);
    Ok(report)
}
