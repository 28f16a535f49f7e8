//! What an import reports: every problem by row, column and reason, the counts, and the
//! cap on how many problems are listed.

use super::*;

/// One problem with one cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub row: u32,
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.reason
        )
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub valid_rows: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Whether anything was written (false when refused or a dry run).
    pub committed: bool,
    pub notes: Vec<String>,
    /// Problems beyond the listing cap (`emis_io::Limits::problems`), counted only.
    pub omitted_problems: usize,
    /// The county's import counter when the rows were checked against the database.
    #[serde(skip)]
    pub(crate) read_at: i64,
    /// How the first rows were read (a students preview): coded values as their labels,
    /// each student's document, so the user sees the sheet understood before confirming.
    pub read_as: Option<ReadAs>,
}

/// The first rows of a sheet as the import read them, column by column.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReadAs {
    pub columns: Vec<&'static str>,
    /// (row number, the values in `columns`' order).
    pub rows: Vec<(u32, Vec<String>)>,
}

/// How many rows a preview shows as read.
pub const READ_AS_ROWS: usize = 20;

impl ImportReport {
    pub fn refused(&self) -> bool {
        !self.committed && !self.problems.is_empty()
    }

    /// Keeps the first `limit` problems and warnings (the preview page and the command's
    /// output stay small), counts the rest and says so in a note.
    pub fn cap_problems(&mut self, limit: usize) {
        let omitted = cap_listed(&mut self.problems, limit) + cap_listed(&mut self.warnings, limit);
        if omitted == 0 {
            return;
        }
        self.omitted_problems += omitted;
        self.notes.push(omitted_note(omitted, limit));
    }

    pub fn summary(&self, kind: ImportKind) -> String {
        format!(
            "{}：共{}行，有效{}行，新增{}，更新{}，未变{}，拒绝{}行，警告{}条",
            kind.label(),
            self.rows,
            self.valid_rows,
            self.inserted,
            self.updated,
            self.unchanged,
            self.rows - self.valid_rows,
            self.warnings.len()
        )
    }
}

/// The note for problems beyond the listing cap.
/// Keeps the first `limit` problems of a list; returns how many were dropped.
pub(crate) fn cap_listed(problems: &mut Vec<Problem>, limit: usize) -> usize {
    let omitted = problems.len().saturating_sub(limit);
    problems.truncate(limit);
    omitted
}

pub fn omitted_note(omitted: usize, limit: usize) -> String {
    format!("还有{omitted}个问题未列出（只列出前{limit}个）")
}
