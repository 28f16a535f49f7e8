//! 导入: every row is validated first and every problem reported with its row, column and
//! reason; by default all-or-nothing, and importing the same file twice changes nothing.

mod after_school;
mod aid;
mod awards;
mod funded_normal;
mod hardship;
mod institutions;
mod poverty;
mod schools;
mod staff;
mod students;
mod studios;
mod trainings;

use crate::{AppError, Progress, Result};
use emis_io::{Column, Table};
use emis_storage::audit::Actor;
use emis_storage::Db;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use after_school::AFTER_SCHOOL_COLUMNS;
pub use aid::AID_COLUMNS;
pub use awards::AWARD_COLUMNS;
pub use funded_normal::FUNDED_NORMAL_COLUMNS;
pub use hardship::HARDSHIP_COLUMNS;
pub use institutions::INSTITUTION_COLUMNS;
pub use poverty::POVERTY_COLUMNS;
pub use schools::SCHOOL_COLUMNS;
pub use staff::STAFF_COLUMNS;
pub use students::STUDENT_COLUMNS;
pub use studios::STUDIO_COLUMNS;
pub use trainings::TRAINING_COLUMNS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ImportKind {
    Schools,
    Students,
    Staff,
    /// 资助发放.
    Aid,
    /// 脱贫户名单 (控辍保学).
    Poverty,
    /// 家庭经济困难认定 with certificate numbers.
    Hardship,
    /// 教师培训 participants.
    Trainings,
    /// 表彰奖励 already granted.
    Awards,
    /// 公费定向师范生.
    FundedNormal,
    /// 名师名校长工作室 and 学科工作室.
    Studios,
    /// 校外培训机构 and their status changes.
    Institutions,
    /// 课后服务, one row per school per term.
    AfterSchool,
}

impl ImportKind {
    pub fn parse(raw: &str) -> Option<ImportKind> {
        match raw {
            "schools" | "学校" => Some(ImportKind::Schools),
            "students" | "学生" => Some(ImportKind::Students),
            "staff" | "教职工" => Some(ImportKind::Staff),
            "aid" | "资助" | "资助发放" => Some(ImportKind::Aid),
            "poverty" | "脱贫户" => Some(ImportKind::Poverty),
            "hardship" | "困难认定" | "家庭经济困难" => Some(ImportKind::Hardship),
            "trainings" | "培训" | "教师培训" => Some(ImportKind::Trainings),
            "awards" | "表彰" | "表彰奖励" => Some(ImportKind::Awards),
            "funded-normal" | "公费定向师范生" | "公费师范生" => {
                Some(ImportKind::FundedNormal)
            }
            "studios" | "工作室" => Some(ImportKind::Studios),
            "institutions" | "校外培训机构" | "培训机构" => {
                Some(ImportKind::Institutions)
            }
            "after-school" | "课后服务" => Some(ImportKind::AfterSchool),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Schools => "schools",
            ImportKind::Students => "students",
            ImportKind::Staff => "staff",
            ImportKind::Aid => "aid",
            ImportKind::Poverty => "poverty",
            ImportKind::Hardship => "hardship",
            ImportKind::Trainings => "trainings",
            ImportKind::Awards => "awards",
            ImportKind::FundedNormal => "funded-normal",
            ImportKind::Studios => "studios",
            ImportKind::Institutions => "institutions",
            ImportKind::AfterSchool => "after-school",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Schools => "学校",
            ImportKind::Students => "学生",
            ImportKind::Staff => "教职工",
            ImportKind::Aid => "资助发放",
            ImportKind::Poverty => "脱贫户名单",
            ImportKind::Hardship => "家庭经济困难认定",
            ImportKind::Trainings => "教师培训",
            ImportKind::Awards => "表彰奖励",
            ImportKind::FundedNormal => "公费定向师范生",
            ImportKind::Studios => "工作室",
            ImportKind::Institutions => "校外培训机构",
            ImportKind::AfterSchool => "课后服务",
        }
    }

    /// The template's columns, in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Schools => SCHOOL_COLUMNS,
            ImportKind::Students => STUDENT_COLUMNS,
            ImportKind::Staff => STAFF_COLUMNS,
            ImportKind::Aid => AID_COLUMNS,
            ImportKind::Poverty => POVERTY_COLUMNS,
            ImportKind::Hardship => HARDSHIP_COLUMNS,
            ImportKind::Trainings => TRAINING_COLUMNS,
            ImportKind::Awards => AWARD_COLUMNS,
            ImportKind::FundedNormal => FUNDED_NORMAL_COLUMNS,
            ImportKind::Studios => STUDIO_COLUMNS,
            ImportKind::Institutions => INSTITUTION_COLUMNS,
            ImportKind::AfterSchool => AFTER_SCHOOL_COLUMNS,
        }
    }

    /// Kinds only the county office imports (a township or school account is refused).
    pub fn county_only(self) -> bool {
        matches!(
            self,
            ImportKind::Schools
                | ImportKind::Poverty
                | ImportKind::Awards
                | ImportKind::FundedNormal
                | ImportKind::Studios
                | ImportKind::Institutions
        )
    }
}

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

/// The refusal for a row whose school lies outside the importing account's scope.
pub(crate) fn outside_scope(
    options: &ImportOptions,
    school: &emis_domain::registry::School,
) -> Option<String> {
    match &options.scope {
        Some(scope) if !scope.admits_school(&school.code, &school.township_code) => Some(format!(
            "学校 {}（{}）不在您的管理范围内",
            school.name, school.code
        )),
        _ => None,
    }
}

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
}

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

/// Refuses every cell longer than its column allows ([`emis_domain::limits`]), before the
/// kind's own checks: returns the rows refused so that they go no further.
pub(crate) fn check_lengths(
    table: &Table,
    spec: &[Column],
    problems: &mut Vec<Problem>,
) -> std::collections::HashSet<u32> {
    let max: Vec<usize> = spec
        .iter()
        .map(|c| emis_domain::limits::column_max_chars(c.name))
        .collect();
    let mut refused = std::collections::HashSet::new();
    for row in &table.rows {
        for ((col, max), value) in spec.iter().zip(&max).zip(&row.cells) {
            if let Err(reason) = emis_domain::limits::check_len(col.name, value, *max) {
                problems.push(Problem {
                    row: row.number,
                    column: col.name.to_string(),
                    reason,
                });
                refused.insert(row.number);
            }
        }
    }
    refused
}

/// Collects problems for one row; a row with any problem is refused whole.
pub(crate) struct RowCheck<'a> {
    pub row: u32,
    pub problems: &'a mut Vec<Problem>,
    pub warnings: &'a mut Vec<Problem>,
    pub failed: bool,
}

impl<'a> RowCheck<'a> {
    /// The check of one row, writing into the report's problems and warnings.
    pub fn new(
        row: u32,
        problems: &'a mut Vec<Problem>,
        warnings: &'a mut Vec<Problem>,
    ) -> RowCheck<'a> {
        RowCheck {
            row,
            problems,
            warnings,
            failed: false,
        }
    }

    pub fn refuse(&mut self, column: &str, reason: impl Into<String>) {
        self.failed = true;
        self.problems.push(Problem {
            row: self.row,
            column: column.to_string(),
            reason: reason.into(),
        });
    }

    pub fn warn(&mut self, column: &str, reason: impl Into<String>) {
        self.warnings.push(Problem {
            row: self.row,
            column: column.to_string(),
            reason: reason.into(),
        });
    }

    /// A required cell's text, refused when blank.
    pub fn required<'c>(&mut self, column: &str, value: &'c str) -> Option<&'c str> {
        if value.is_empty() {
            self.refuse(column, format!("{column}不能为空"));
            None
        } else {
            Some(value)
        }
    }

    /// A required cell read by `parse`; refused with the accepted spellings.
    pub fn required_choice<T>(
        &mut self,
        column: &str,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: impl FnOnce() -> String,
    ) -> Option<T> {
        let text = self.required(column, value)?;
        let parsed = parse(text);
        if parsed.is_none() {
            self.refuse(
                column,
                format!("{column}“{text}”无法识别，应为 {}", choices()),
            );
        }
        parsed
    }

    /// An optional cell read by `parse`, `default` when blank.
    pub fn optional_choice<T>(
        &mut self,
        column: &str,
        value: &str,
        default: T,
        parse: impl Fn(&str) -> Option<T>,
        choices: impl FnOnce() -> String,
    ) -> Option<T> {
        if value.is_empty() {
            return Some(default);
        }
        let parsed = parse(value);
        if parsed.is_none() {
            self.refuse(
                column,
                format!("{column}“{value}”无法识别，应为 {}", choices()),
            );
        }
        parsed
    }

    /// A required ID number (GB 11643), with its reason when refused.
    pub fn id_number(
        &mut self,
        column: &str,
        value: &str,
    ) -> Option<emis_domain::identity::IdNumber> {
        match emis_domain::identity::IdNumber::parse(self.required(column, value)?) {
            Ok(id) => Some(id),
            Err(e) => {
                self.refuse(column, e.to_string());
                None
            }
        }
    }

    /// The 性别 column must agree with the ID number's sequence digit.
    pub fn sex_agrees(
        &mut self,
        id: Option<&emis_domain::identity::IdNumber>,
        sex: Option<emis_domain::registry::Sex>,
    ) {
        if let (Some(id), Some(sex)) = (id, sex) {
            if id.sex() != sex {
                self.refuse(
                    "性别",
                    format!("性别“{sex}”与身份证件号（{}）不一致", id.sex()),
                );
            }
        }
    }

    /// A required date (2021-09-01, 2021/9/1, 20210901, 2021年9月1日).
    pub fn required_date(&mut self, column: &str, value: &str) -> Option<chrono::NaiveDate> {
        let text = self.required(column, value)?;
        self.date(column, text)
    }

    /// An optional date: `Some(None)` when blank, `None` when refused.
    pub fn optional_date(
        &mut self,
        column: &str,
        value: &str,
    ) -> Option<Option<chrono::NaiveDate>> {
        if value.is_empty() {
            return Some(None);
        }
        self.date(column, value).map(Some)
    }

    fn date(&mut self, column: &str, text: &str) -> Option<chrono::NaiveDate> {
        let parsed = emis_domain::dates::parse_date(text);
        if parsed.is_none() {
            self.refuse(column, format!("{column}“{text}”无法识别，应如 2021-09-01"));
        }
        parsed
    }

    /// A township of the county by name or code (`townships`: code, name), as its code.
    pub fn township(
        &mut self,
        column: &str,
        value: &str,
        townships: &[(String, String)],
    ) -> Option<String> {
        let found = townships
            .iter()
            .find(|(code, name)| name == value || code == value);
        if found.is_none() {
            self.refuse(column, format!("{column}“{value}”不是本县的乡镇"));
        }
        found.map(|(code, _)| code.clone())
    }

    /// A member of staff named by ID number: on the county's staff roll, at a school of the
    /// importing account's scope.
    pub fn staff_member<'s>(
        &mut self,
        column: &str,
        value: &str,
        roll: &'s StaffRoll,
        options: &ImportOptions,
    ) -> Option<&'s emis_domain::registry::StaffRecord> {
        let id = self.id_number(column, value)?;
        let Some(member) = roll.staff.get(id.as_str()) else {
            self.refuse(
                column,
                format!(
                    "身份证件号 {} 不在教职工名册中（请先导入教职工）",
                    emis_domain::identity::mask_id(id.as_str())
                ),
            );
            return None;
        };
        if let Some(school) = roll.schools.get(&member.school_code) {
            if let Some(reason) = outside_scope(options, school) {
                self.refuse(column, reason);
                return None;
            }
        }
        Some(member)
    }

    /// A school of the county, inside the importing account's scope.
    pub fn school<'s>(
        &mut self,
        value: &str,
        schools: &'s std::collections::HashMap<String, emis_domain::registry::School>,
        options: &ImportOptions,
    ) -> Option<&'s emis_domain::registry::School> {
        let code = self.required("学校标识码", value)?;
        let Some(school) = schools.get(code) else {
            self.refuse(
                "学校标识码",
                format!("学校标识码 {code} 不在本县学校名单中（请先导入学校）"),
            );
            return None;
        };
        if let Some(reason) = outside_scope(options, school) {
            self.refuse("学校标识码", reason);
        }
        Some(school)
    }
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
    let source = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_string();
    import_read(
        db, county, kind, table, &source, options, actor, progress, stored,
    )
    .await
}

/// The same, for a table already read (the web upload uses it).
#[allow(clippy::too_many_arguments)]
pub async fn import_table(
    db: &Db,
    county: &str,
    kind: ImportKind,
    table: Table,
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
    mut table: Table,
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
    pub table: &'a Table,
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

/// The staff roll and the schools, for imports that name teachers by ID number.
pub(crate) struct StaffRoll {
    pub staff: HashMap<String, emis_domain::registry::StaffRecord>,
    pub schools: HashMap<String, emis_domain::registry::School>,
}

impl Run<'_> {
    pub(crate) async fn staff_roll(&self) -> Result<StaffRoll> {
        Ok(StaffRoll {
            staff: emis_storage::registry::load_staff(self.db, self.county).await?,
            schools: self.schools().await?,
        })
    }
}

/// How often an import that lost a race with another import of the county is re-checked.
const IMPORT_ATTEMPTS: u32 = 3;

#[allow(clippy::too_many_arguments)]
async fn import_attempt(
    db: &Db,
    county: &str,
    kind: ImportKind,
    table: &Table,
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
    };
    outcome?;
    report.problems.sort_by_key(|p| p.row);
    report.warnings.sort_by_key(|p| p.row);
    Ok(report)
}

/// Rows refused by a `--skip-invalid` import, with the template columns and a reason column.
fn write_error_rows(
    out: &Path,
    kind: ImportKind,
    table: &Table,
    problems: &[Problem],
) -> Result<()> {
    let columns = kind.columns();
    let mut headers: Vec<&str> = vec!["原行号"];
    headers.extend(columns.iter().map(|c| c.name));
    headers.push("错误原因");
    let rows = table.rows.iter().filter_map(|row| {
        let reasons: Vec<String> = problems
            .iter()
            .filter(|p| p.row == row.number)
            .map(|p| format!("{}：{}", p.column, p.reason))
            .collect();
        if reasons.is_empty() {
            return None;
        }
        let mut cells = vec![row.number.to_string()];
        cells.extend(row.cells.iter().cloned());
        cells.push(reasons.join("；"));
        Some(cells)
    });
    emis_io::write_sheet(out, "错误行", &headers, rows)?;
    Ok(())
}

/// Opens an import's write transaction, refusing it with `Conflict` when another import of
/// the county committed after this one read the database.
pub(crate) async fn begin_write(
    db: &Db,
    county: &str,
    report: &ImportReport,
) -> Result<emis_storage::Tx> {
    let mut tx = db.begin().await?;
    if !emis_storage::registry::claim_import(&mut tx, county, report.read_at).await? {
        return Err(AppError::Conflict(
            "导入期间另一个导入修改了本县的数据，请重新导入".into(),
        ));
    }
    Ok(tx)
}

/// Refuses the whole import unless `--skip-invalid`; returns whether to go on writing.
pub(crate) fn should_write(report: &ImportReport, options: &ImportOptions) -> bool {
    if options.dry_run {
        return false;
    }
    report.problems.is_empty() || options.skip_invalid
}

/// A keyed import's rows sorted against what is stored (counted in the report as
/// inserted, updated or unchanged): the rows to write, and each update with what it replaces.
pub(crate) struct Changes<'a, T> {
    pub write: Vec<&'a T>,
    pub updates: Vec<(&'a T, &'a T)>,
}

impl<'a, T: PartialEq> Changes<'a, T> {
    pub(crate) fn sort(
        rows: impl IntoIterator<Item = &'a T>,
        stored: impl Fn(&T) -> Option<&'a T>,
        report: &mut ImportReport,
    ) -> Changes<'a, T> {
        let mut changes = Changes {
            write: Vec::new(),
            updates: Vec::new(),
        };
        for row in rows {
            match stored(row) {
                None => report.inserted += 1,
                Some(old) if old == row => {
                    report.unchanged += 1;
                    continue;
                }
                Some(old) => {
                    report.updated += 1;
                    changes.updates.push((old, row));
                }
            }
            changes.write.push(row);
        }
        changes
    }
}

impl Run<'_> {
    /// Ends a keyed import's write: each update audited with its before and after, the
    /// batch audited, the transaction committed and the report marked committed.
    pub(crate) async fn finish<T: Serialize>(
        &self,
        mut tx: emis_storage::Tx,
        entity: &str,
        batch: &str,
        updates: &[(&T, &T)],
        key: impl Fn(&T) -> &str,
        report: &mut ImportReport,
    ) -> Result<()> {
        for (old, new) in updates {
            emis_storage::audit::Entry::new(self.county, "update", entity, key(new))
                .before_json(old)
                .after_json(new)
                .record(&mut tx, self.actor)
                .await?;
        }
        commit_batch(tx, self.county, self.actor, batch, self.source, report).await
    }
}

/// Ends an import: the audit entry for the whole file (what file, how many rows went in),
/// then the commit; only then is the report marked committed.
pub(crate) async fn commit_batch(
    mut tx: emis_storage::Tx,
    county: &str,
    actor: &emis_storage::audit::Actor,
    entity: &str,
    source: &str,
    report: &mut ImportReport,
) -> Result<()> {
    emis_storage::audit::Entry::new(county, "import", entity, source)
        .after_json(&serde_json::json!({
            "file": source,
            "rows": report.rows,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "refused_rows": report.rows - report.valid_rows,
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(())
}
