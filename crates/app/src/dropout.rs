//! 控辍保学: the population roll import with the comparison (三比对), cases (一人一案) and
//! their workflow, 送教上门 plans and visits, the dashboard and the ledger export.
//! Every change is scoped to the account and audited in the same transaction.

use crate::auth::Account;
use crate::imports::{ImportReport, Problem};
use crate::registry::FieldError;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::dates::parse_date;
use emis_domain::dropout::cases::{
    self, Case, CaseError, CaseEvent, CaseStatus, Closure, Outcome, Reopening, Responsible,
    ResponsibleRole, Visit, VisitKind,
};
use emis_domain::dropout::{
    apply_decisions, compare_poverty, match_roll, pack_id, Finding, MatchCounts, MatchDecision,
    MatchResult, MatchSettings, PopulationPerson, RollStudent,
};
use emis_domain::identity::{mask_id, mask_phone, IdError, IdNumber};
use emis_domain::registry::{Sex, StudentStatus};
use emis_domain::term::Term;
use emis_io::{Column, Table};
use emis_storage::audit::{self, Actor, Entry};
use emis_storage::dropout::{self as store, CaseRow, EventRow, LedgerQuery, PersonRow};
use emis_storage::Db;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

pub const POPULATION_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    Column::required("性别"),
    Column::required("身份证件号").with_aliases(&["身份证号", "身份证号码", "证件号码"]),
    Column::required("户籍乡镇"),
    Column::optional("户籍村(社区)").with_aliases(&["户籍村（社区）", "户籍村", "村(社区)"]),
    Column::optional("监护人"),
    Column::optional("联系电话").with_aliases(&["监护人电话", "电话"]),
];

/// Days a new case has before it is overdue (办结期限), unless the county setting
/// `dropout.case_days` says otherwise.
pub const DEFAULT_CASE_DAYS: u64 = 30;

/// What a population import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PopulationReport {
    pub import: ImportReport,
    pub snapshot_date: String,
    pub term: String,
    pub counts: MatchCounts,
    pub cases_created: usize,
}

impl PopulationReport {
    /// The three ledger counts.
    pub fn ledger_lines(&self) -> Vec<String> {
        vec![
            format!("适龄儿童：{}人", self.counts.school_age),
            format!(
                "疑似辍学：{}人（其中疑似匹配待确认{}人）",
                self.counts.suspected, self.counts.probable
            ),
            format!("辍学（在籍不在校）：{}人", self.counts.not_in_school),
        ]
    }
}

/// The comparison settings: the cut-off date is the county setting `dropout.cutoff`
/// (`MM-DD`, default 08-31).
pub async fn match_settings(db: &Db, county: &str) -> Result<MatchSettings> {
    let value = store::setting(db, county, "dropout.cutoff").await?;
    let mut settings = MatchSettings::default();
    if let Some((m, d)) = value.as_deref().and_then(|v| v.split_once('-')) {
        if let (Ok(m), Ok(d)) = (m.trim().parse(), d.trim().parse()) {
            settings.cutoff_month = m;
            settings.cutoff_day = d;
        }
    }
    Ok(settings)
}

fn optional_text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// Reads an ID number from the public-security roll: a wrong check character is kept (the
/// comparison looks for the child under the corrected number) with a warning.
fn read_id(raw: &str) -> std::result::Result<(String, Option<String>), IdError> {
    match IdNumber::parse(raw) {
        Ok(id) => Ok((id.as_str().to_string(), None)),
        Err(e @ IdError::CheckCharacter { .. }) => {
            let text: String = emis_domain::text::fold_width(raw)
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            Ok((text, Some(e.to_string())))
        }
        Err(e) => Err(e),
    }
}

fn sex_digit(id: &str) -> Option<Sex> {
    let d = id.as_bytes().get(16)?;
    Some(if (d - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    })
}

fn parse_population(
    table: &Table,
    county: &str,
    scope: Option<&Scope>,
    report: &mut ImportReport,
) -> Vec<(PopulationPerson, String, u32)> {
    let divisions = emis_domain::divisions::county(county);
    // Keyed by the packed number (no copy of the text; every accepted number packs).
    let mut seen: std::collections::HashMap<u64, u32> =
        std::collections::HashMap::with_capacity(table.rows.len());
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let c = &row.cells;
        let mut check =
            crate::imports::RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let name = check.required("姓名", &c[0]).map(str::to_string);
        let sex = check.required("性别", &c[1]).and_then(|s| {
            let parsed = Sex::parse(s);
            if parsed.is_none() {
                check.refuse("性别", format!("性别应为“男”或“女”，实为“{s}”"));
            }
            parsed
        });
        let id = check
            .required("身份证件号", &c[2])
            .and_then(|raw| match read_id(raw) {
                Ok((id, warning)) => {
                    if let Some(w) = warning {
                        check.warn("身份证件号", format!("{w}（比对时按可能的正确号码查找）"));
                    }
                    Some(id)
                }
                Err(e) => {
                    check.refuse("身份证件号", e.to_string());
                    None
                }
            });
        let birth = id.as_deref().and_then(|id| parse_date(&id[6..14]));
        if let (Some(id), Some(sex)) = (&id, sex) {
            if sex_digit(id) != Some(sex) {
                check.refuse("性别", format!("性别“{}”与身份证件号不一致", sex.label()));
            }
            if let Some(first) = pack_id(id).and_then(|key| seen.get(&key)) {
                check.refuse("身份证件号", format!("与第{first}行重复"));
            }
        }
        let township = check.required("户籍乡镇", &c[3]).and_then(|t| {
            match divisions.and_then(|d| d.township(t)) {
                Some(found) => Some(found.code.to_string()),
                None => {
                    check.refuse("户籍乡镇", format!("“{t}”不是本县的乡镇"));
                    None
                }
            }
        });
        if let (Some(code), Some(Scope::Township { township, .. })) = (&township, scope) {
            if township != code {
                check.refuse("户籍乡镇", "该乡镇不在您的管理范围内");
            }
        }
        let phone = optional_text(&c[6]);
        if let Some(p) = &phone {
            if !p
                .chars()
                .all(|ch| ch.is_ascii_digit() || ch == '-' || ch == ' ')
            {
                check.refuse("联系电话", format!("联系电话“{p}”只能由数字和“-”组成"));
            }
        }
        if check.failed {
            continue;
        }
        let (Some(name), Some(sex), Some(id), Some(birth), Some(township)) =
            (name, sex, id, birth, township)
        else {
            continue;
        };
        if let Some(key) = pack_id(&id) {
            seen.insert(key, row.number);
        }
        out.push((
            PopulationPerson {
                id_number: id,
                name,
                sex,
                birth_date: birth,
                township: township.clone(),
                village: optional_text(&c[4]),
                guardian: optional_text(&c[5]),
                phone,
            },
            township,
            row.number,
        ));
    }
    out
}

/// Writes the comparison's findings onto the person rows (every compulsory-age row is
/// rewritten, so this can run again after decisions changed the result).
fn fill_findings(rows: &mut [PersonRow], result: &MatchResult, roll: &[RollStudent]) {
    for entry in &result.school_age {
        let row = &mut rows[entry.person as usize];
        row.finding = Some(entry.finding.label().to_string());
        row.school_code = None;
        row.candidate_id = None;
        row.candidate_reason = None;
        row.poverty = false;
        if let Finding::Enrolled { student, .. } = entry.finding {
            row.school_code = roll.get(student as usize).map(|s| s.school_code.clone());
        }
    }
    for child in &result.suspected {
        let row = &mut rows[child.person as usize];
        row.poverty = child.poverty_household;
        if let Some(c) = child.candidates.first() {
            if let Some(s) = roll.get(c.student as usize) {
                row.candidate_id = Some(s.id_number.clone());
                row.school_code = Some(s.school_code.clone());
            }
            row.candidate_reason = Some(
                child
                    .candidates
                    .iter()
                    .map(|c| c.reason())
                    .collect::<Vec<_>>()
                    .join(" / "),
            );
        }
    }
    for child in &result.not_in_school {
        rows[child.person as usize].poverty = child.poverty_household;
    }
}

/// SHA-256 over every stored field of the persons and their findings, in order.
fn digest_of(rows: &[PersonRow]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let none = "\u{1}";
    for r in rows {
        for field in [
            r.source_row.to_string().as_str(),
            &r.id_number,
            &r.name,
            &r.sex,
            &r.birth_date,
            &r.township_code,
            r.village.as_deref().unwrap_or(none),
            r.guardian.as_deref().unwrap_or(none),
            r.phone.as_deref().unwrap_or(none),
            r.finding.as_deref().unwrap_or(none),
            r.school_code.as_deref().unwrap_or(none),
            r.candidate_id.as_deref().unwrap_or(none),
            r.candidate_reason.as_deref().unwrap_or(none),
            if r.poverty { "1" } else { "0" },
        ] {
            hasher.update(field.as_bytes());
            hasher.update([0u8]);
        }
    }
    hex::encode(hasher.finalize())
}

/// The county's roll of a term in the form matching reads.
pub async fn roll_students(db: &Db, county: &str, term: &str) -> Result<Vec<RollStudent>> {
    let rows = store::roll_for_matching(db, county, term).await?;
    Ok(rows
        .into_iter()
        .map(|r| RollStudent {
            sex: Sex::parse(&r.sex).unwrap_or(Sex::Male),
            birth_date: r.birth_date.parse().unwrap_or_default(),
            status: StudentStatus::parse(&r.status).unwrap_or(StudentStatus::Enrolled),
            id_number: r.id_number,
            name: r.name,
            school_code: r.school_code,
        })
        .collect())
}

/// Imports a population roll file (template `population`) as the snapshot of `as_of`.
pub async fn import_population_file(
    db: &Db,
    county: &str,
    path: &Path,
    as_of: NaiveDate,
    roll_term: Option<Term>,
    dry_run: bool,
    actor: &Actor,
) -> Result<PopulationReport> {
    let table = emis_io::read_table(path, POPULATION_COLUMNS)?;
    let source = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_string();
    import_population(
        db, county, table, &source, as_of, roll_term, dry_run, None, actor,
    )
    .await
}

/// The same for a table already read (the web upload). All-or-nothing: any refused row
/// refuses the file. Re-importing the same snapshot changes nothing.
#[allow(clippy::too_many_arguments)]
pub async fn import_population(
    db: &Db,
    county: &str,
    table: Table,
    source: &str,
    as_of: NaiveDate,
    roll_term: Option<Term>,
    dry_run: bool,
    scope: Option<&Scope>,
    actor: &Actor,
) -> Result<PopulationReport> {
    let mut report = PopulationReport {
        import: ImportReport {
            rows: table.rows.len(),
            ..ImportReport::default()
        },
        snapshot_date: as_of.to_string(),
        term: Term::containing(as_of).code(),
        ..PopulationReport::default()
    };
    for (row, column, reason) in &table.cell_issues {
        report.import.problems.push(Problem {
            row: *row,
            column: column.to_string(),
            reason: reason.clone(),
        });
    }
    let too_long =
        crate::imports::check_lengths(&table, POPULATION_COLUMNS, &mut report.import.problems);
    let mut table = table;
    table.rows.retain(|r| !too_long.contains(&r.number));
    let parsed = parse_population(&table, county, scope, &mut report.import);
    drop(table);
    report.import.valid_rows = parsed.len();
    report.import.problems.sort_by_key(|p| p.row);
    if !report.import.problems.is_empty() {
        report
            .import
            .cap_problems(emis_io::Limits::default().problems);
        return Ok(report);
    }
    compare_and_store(
        db, county, parsed, report, source, as_of, roll_term, dry_run, actor,
    )
    .await
}

/// Compares checked population rows `(person, township code, file row)` with the roll of
/// `roll_term` (default: the snapshot's term) and stores the snapshot, its findings and the new cases in one
/// transaction (unless nothing changed or `dry_run`).
#[allow(clippy::too_many_arguments)]
pub async fn compare_and_store(
    db: &Db,
    county: &str,
    parsed: Vec<(PopulationPerson, String, u32)>,
    mut report: PopulationReport,
    source: &str,
    as_of: NaiveDate,
    roll_term: Option<Term>,
    dry_run: bool,
    actor: &Actor,
) -> Result<PopulationReport> {
    let started = std::time::Instant::now();
    let roll_term = roll_term.unwrap_or_else(|| Term::containing(as_of));
    report.snapshot_date = as_of.to_string();
    report.term = roll_term.code();
    let (persons, places): (Vec<PopulationPerson>, Vec<(String, u32)>) = parsed
        .into_iter()
        .map(|(person, township, number)| (person, (township, number)))
        .unzip();
    let roll = roll_students(db, county, &report.term).await?;
    if roll.is_empty() {
        // An empty roll would make every child of the snapshot look like a dropout.
        return Err(AppError::Refused(format!(
            "{}没有学籍数据，未比对，也未开立个案：请先导入该学期的学生名册，或指定要比对的学期（命令行 --term）",
            roll_term.label()
        )));
    }
    let settings = match_settings(db, county).await?;
    let mut result = match_roll(&persons, &roll, as_of, &settings)
        .map_err(|e| AppError::Refused(e.to_string()))?;
    let poverty = store::poverty_ids(db, county).await?;
    if !poverty.is_empty() {
        compare_poverty(&mut result, &persons, &poverty);
    }
    report.counts = result.counts;
    tracing::info!(
        persons = persons.len(),
        roll = roll.len(),
        ms = started.elapsed().as_millis() as u64,
        "population compared"
    );

    // Decisions on probable matches taken since earlier snapshots, applied to a copy: the
    // digest is over what the file and the roll say, so that a re-import of the same file
    // after a decision still changes nothing.
    let decisions = store::match_decisions(db, county).await?;
    let decided = if decisions.is_empty() {
        None
    } else {
        let mut decided = result.clone();
        let changed = apply_decisions(&mut decided, &persons, &roll, |child, student| {
            decisions
                .get(&(child.to_string(), student.to_string()))
                .and_then(|d| MatchDecision::parse(d))
        });
        if changed > 0 && !poverty.is_empty() {
            compare_poverty(&mut decided, &persons, &poverty);
        }
        (changed > 0).then_some(decided)
    };

    // One row per person with its finding; the persons' strings move into the rows.
    let mut rows: Vec<PersonRow> = persons
        .into_iter()
        .zip(places)
        .map(|(p, (township, number))| PersonRow {
            source_row: i64::from(number),
            sex: p.sex.label().to_string(),
            birth_date: p.birth_date.to_string(),
            id_number: p.id_number,
            name: p.name,
            township_code: township,
            village: p.village,
            guardian: p.guardian,
            phone: p.phone,
            ..PersonRow::default()
        })
        .collect();
    fill_findings(&mut rows, &result, &roll);
    let digest = digest_of(&rows);
    if let Some(decided) = decided {
        fill_findings(&mut rows, &decided, &roll);
        result = decided;
        report.counts = result.counts;
    }
    let existing = store::snapshot_by_date(db, county, &report.snapshot_date).await?;
    if let Some(snapshot) = &existing {
        if snapshot.digest == digest {
            report.import.unchanged = rows.len();
            report.import.notes.push(format!(
                "{}的户籍名册已导入过，内容相同，未作改动",
                report.snapshot_date
            ));
            return Ok(report);
        }
        report.import.updated = rows.len();
    } else {
        report.import.inserted = rows.len();
    }
    if dry_run {
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    let counts = store::SnapshotCounts {
        school_age: result.counts.school_age as i64,
        suspected: result.counts.suspected as i64,
        probable: result.counts.probable as i64,
        not_in_school: result.counts.not_in_school as i64,
    };
    let snapshot_id = store::write_snapshot(
        &mut tx,
        county,
        &report.snapshot_date,
        &report.term,
        source,
        counts,
        &digest,
        &rows,
    )
    .await?;
    // 一人一案: a case for each suspected child without an open case, and none twice
    // for the same snapshot.
    let open = store::open_case_ids(&mut tx, county).await?;
    let on_snapshot: HashSet<String> =
        store::case_ids_on_snapshot(&mut tx, county, snapshot_id).await?;
    let days = store::setting(db, county, "dropout.case_days")
        .await?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_CASE_DAYS);
    let deadline = as_of
        .checked_add_days(chrono::Days::new(days))
        .map(|d| d.to_string());
    let new_cases: Vec<CaseRow> = result
        .suspected
        .iter()
        .map(|child| &rows[child.person as usize])
        .filter(|row| !open.contains(&row.id_number) && !on_snapshot.contains(&row.id_number))
        .map(|row| CaseRow {
            person_id_number: row.id_number.clone(),
            name: row.name.clone(),
            snapshot_id,
            township_code: row.township_code.clone(),
            opened_on: report.snapshot_date.clone(),
            status: CaseStatus::Open.label().to_string(),
            school_code: row.school_code.clone(),
            deadline: deadline.clone(),
            ..CaseRow::default()
        })
        .collect();
    store::insert_cases(&mut tx, county, &new_cases).await?;
    report.cases_created = new_cases.len();
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "import",
            entity: "population",
            entity_key: &report.snapshot_date,
            before: None,
            after: Some(
                serde_json::json!({
                    "file": source,
                    "rows": report.import.rows,
                    "school_age": result.counts.school_age,
                    "suspected": result.counts.suspected,
                    "probable": result.counts.probable,
                    "not_in_school": result.counts.not_in_school,
                    "cases_created": report.cases_created,
                })
                .to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    report.import.committed = true;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "population import done"
    );
    Ok(report)
}

// ---------------------------------------------------------------------------------------
// Cases

/// A case as the workflow sees it: the stored row, its log, and the domain case.
#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub row: CaseRow,
    pub events: Vec<EventRow>,
    pub attachments: Vec<store::AttachmentRow>,
    pub overdue: bool,
    /// The child's row of the snapshot the case was opened on: guardian, phone, finding
    /// and the probable match's reason for the officer to confirm or reject.
    pub person: Option<PersonRow>,
    /// The probable match awaiting 确认是同一人 / 不是同一人, ID number masked.
    pub pending_match: Option<PendingMatch>,
}

/// A probable match as the officer sees it before deciding: the roll student, ID number
/// masked, and why the two look alike.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PendingMatch {
    pub student: store::RollPlace,
    pub reason: String,
}

/// Builds the domain case from its stored row and log.
pub fn to_domain(row: &CaseRow, events: &[EventRow]) -> Case {
    let date = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
    let mut case = Case::open(
        &row.person_id_number,
        &row.township_code,
        date(&row.opened_on),
    );
    case.status = CaseStatus::ALL
        .into_iter()
        .find(|s| s.label() == row.status)
        .unwrap_or(CaseStatus::Open);
    let mut responsible = Vec::new();
    for (role, name) in [
        (ResponsibleRole::TownshipCadre, &row.township_cadre),
        (ResponsibleRole::VillageCadre, &row.village_cadre),
        (ResponsibleRole::School, &row.school_contact),
        (ResponsibleRole::Teacher, &row.teacher),
    ] {
        if let Some(name) = name.as_ref().filter(|n| !n.is_empty()) {
            responsible.push(Responsible {
                role,
                name: name.clone(),
            });
        }
    }
    case.responsible = responsible;
    case.deadline = row.deadline.as_deref().map(date);
    for e in events {
        match e.kind.as_str() {
            "走访" | "电话" => case.visits.push(Visit {
                date: date(&e.event_date),
                kind: if e.kind == "走访" {
                    VisitKind::Visit
                } else {
                    VisitKind::Phone
                },
                note: e.note.clone(),
            }),
            "重新打开" => {
                if let Some(previous) = e
                    .detail
                    .as_deref()
                    .and_then(|d| serde_json::from_str::<Closure>(d).ok())
                {
                    case.reopenings.push(Reopening {
                        date: date(&e.event_date),
                        reason: e.note.clone(),
                        previous,
                    });
                }
            }
            _ => {}
        }
    }
    if case.status == CaseStatus::Closed {
        case.closure = row
            .outcome
            .as_deref()
            .and_then(Outcome::parse)
            .map(|o| Closure {
                outcome: o,
                date: row.closed_on.as_deref().map(date).unwrap_or(case.opened_on),
                evidence: row.evidence.clone().unwrap_or_default(),
            });
    }
    case
}

fn responsible_named(case: &Case, role: ResponsibleRole) -> Option<String> {
    case.responsible
        .iter()
        .find(|r| r.role == role)
        .map(|r| r.name.clone())
}

/// Writes a domain case's state back onto its row.
fn apply_to_row(row: &CaseRow, case: &Case) -> CaseRow {
    let mut next = row.clone();
    next.status = case.status.label().to_string();
    next.township_cadre = responsible_named(case, ResponsibleRole::TownshipCadre);
    next.village_cadre = responsible_named(case, ResponsibleRole::VillageCadre);
    next.school_contact = responsible_named(case, ResponsibleRole::School);
    next.teacher = responsible_named(case, ResponsibleRole::Teacher);
    next.deadline = case.deadline.map(|d| d.to_string());
    next.outcome = case.closure.as_ref().map(|c| c.outcome.label());
    next.closed_on = case.closure.as_ref().map(|c| c.date.to_string());
    next.evidence = case.closure.as_ref().map(|c| c.evidence.clone());
    next
}

pub async fn case(db: &Db, scope: &Scope, id: i64, today: NaiveDate) -> Result<CaseView> {
    let row = store::case_in_scope(db, scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = store::events(db, id).await?;
    let domain = to_domain(&row, &events);
    let pending_match = if domain.status == CaseStatus::Closed {
        None
    } else {
        pending_match(db, scope.county(), &row)
            .await?
            .map(|(place, reason)| PendingMatch {
                student: store::RollPlace {
                    id_number: mask_id(&place.id_number),
                    ..place
                },
                reason,
            })
    };
    Ok(CaseView {
        pending_match,
        person: store::person(db, row.snapshot_id, &row.person_id_number).await?,
        overdue: cases::is_overdue(&domain, today),
        attachments: store::attachments(db, id).await?,
        row,
        events,
    })
}

/// One change to a case, as a form or the API sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct CaseForm {
    /// assign, visit, deadline, close, reopen
    pub action: String,
    pub township_cadre: Option<String>,
    pub village_cadre: Option<String>,
    pub school_code: Option<String>,
    pub school_contact: Option<String>,
    pub teacher: Option<String>,
    pub date: Option<String>,
    pub kind: Option<String>,
    pub note: Option<String>,
    pub outcome: Option<String>,
    pub evidence: Option<String>,
    pub reason: Option<String>,
}

fn field_err(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

fn case_field(e: &CaseError) -> &'static str {
    match e {
        CaseError::NoOutcome => "outcome",
        CaseError::NoEvidence => "evidence",
        CaseError::EmptyNote => "note",
        CaseError::NoResponsible | CaseError::UnnamedResponsible => "township_cadre",
        CaseError::NoReason => "reason",
        CaseError::Closed { .. } | CaseError::NotClosed | CaseError::AlreadyClosed { .. } => {
            "action"
        }
        _ => "date",
    }
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

/// Applies a change to a case in the account's scope; audited with before and after.
pub async fn act(
    db: &Db,
    account: &Account,
    id: i64,
    form: &CaseForm,
    source: &str,
) -> Result<CaseRow> {
    let row = store::case_in_scope(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    crate::registry::check_lengths(&[
        (
            "township_cadre",
            "乡镇干部",
            form.township_cadre.as_deref().unwrap_or_default(),
            emis_domain::limits::NAME,
        ),
        (
            "village_cadre",
            "村干部",
            form.village_cadre.as_deref().unwrap_or_default(),
            emis_domain::limits::NAME,
        ),
        (
            "school_contact",
            "学校联系人",
            form.school_contact.as_deref().unwrap_or_default(),
            emis_domain::limits::NAME,
        ),
        (
            "teacher",
            "教师",
            form.teacher.as_deref().unwrap_or_default(),
            emis_domain::limits::NAME,
        ),
        (
            "kind",
            "类型",
            form.kind.as_deref().unwrap_or_default(),
            emis_domain::limits::SHORT_TEXT,
        ),
        (
            "note",
            "情况说明",
            form.note.as_deref().unwrap_or_default(),
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let events = store::events(db, id).await?;
    if let Some(decision) = form
        .action
        .strip_suffix("-match")
        .and_then(MatchDecision::parse)
    {
        let closing = form.date.as_deref();
        return decide_match(db, account, row, &events, decision, closing, source).await;
    }
    let before = to_domain(&row, &events);
    let date = match form
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(raw) => match parse_date(raw) {
            Some(d) => Some(d),
            None => {
                return Err(
                    field_err("date", format!("日期“{raw}”无法识别，应如 2021-10-08")).into(),
                )
            }
        },
        None => None,
    };
    let need_date = || field_err("date", "请填写日期");
    let mut new_school = row.school_code.clone();
    let event = match form.action.as_str() {
        "assign" => {
            let mut responsible = Vec::new();
            for (role, value) in [
                (ResponsibleRole::TownshipCadre, &form.township_cadre),
                (ResponsibleRole::VillageCadre, &form.village_cadre),
                (ResponsibleRole::School, &form.school_contact),
                (ResponsibleRole::Teacher, &form.teacher),
            ] {
                let name = text(value);
                if !name.is_empty() {
                    responsible.push(Responsible { role, name });
                }
            }
            if let Some(code) = form.school_code.as_deref().map(str::trim) {
                if code.is_empty() {
                    new_school = None;
                } else {
                    let school = emis_storage::registry::schools(db, account.county())
                        .await?
                        .into_iter()
                        .find(|s| s.code == code);
                    match school {
                        None => {
                            return Err(field_err(
                                "school_code",
                                format!("学校标识码 {code} 不在本县学校名单中"),
                            )
                            .into())
                        }
                        Some(s) => {
                            if !account.scope.is_county()
                                && !matches!(&account.scope, Scope::Township { township, .. } if *township == s.township_code)
                                && Some(code) != row.school_code.as_deref()
                            {
                                return Err(
                                    field_err("school_code", "该学校不在您的管理范围内").into()
                                );
                            }
                            new_school = Some(s.code);
                        }
                    }
                }
            }
            CaseEvent::Assign { responsible }
        }
        "visit" => {
            let kind = match text(&form.kind).as_str() {
                "走访" | "visit" => VisitKind::Visit,
                "电话" | "phone" => VisitKind::Phone,
                _ => return Err(field_err("kind", "请选择方式：走访或电话").into()),
            };
            CaseEvent::LogVisit {
                date: match date {
                    Some(d) => d,
                    None => return Err(need_date().into()),
                },
                kind,
                note: text(&form.note),
            }
        }
        "deadline" => CaseEvent::SetDeadline {
            date: match date {
                Some(d) => d,
                None => return Err(need_date().into()),
            },
        },
        "close" => {
            let raw = text(&form.outcome);
            let outcome = if raw.is_empty() {
                None
            } else {
                match Outcome::parse(&raw) {
                    Some(o) => Some(o),
                    None => {
                        return Err(field_err("outcome", format!("处理结果“{raw}”无法识别")).into())
                    }
                }
            };
            CaseEvent::Close {
                outcome,
                date: match date {
                    Some(d) => d,
                    None => return Err(need_date().into()),
                },
                evidence: text(&form.evidence),
            }
        }
        "reopen" => CaseEvent::Reopen {
            date: match date {
                Some(d) => d,
                None => return Err(need_date().into()),
            },
            reason: text(&form.reason),
        },
        other => return Err(field_err("action", format!("未知操作“{other}”")).into()),
    };
    let after = match cases::apply(&before, event.clone()) {
        Ok(c) => c,
        Err(e) => return Err(field_err(case_field(&e), e.to_string()).into()),
    };
    let mut next = apply_to_row(&row, &after);
    next.school_code = new_school;
    let mut tx = db.begin().await?;
    store::update_case(&mut tx, &next).await?;
    match &event {
        CaseEvent::LogVisit { date, kind, note } => {
            store::insert_event(
                &mut tx,
                account.county(),
                &EventRow {
                    case_id: id,
                    event_date: date.to_string(),
                    kind: kind.label().to_string(),
                    note: note.clone(),
                    actor: account.username.clone(),
                    ..EventRow::default()
                },
            )
            .await?;
        }
        CaseEvent::Reopen { date, reason } => {
            store::insert_event(
                &mut tx,
                account.county(),
                &EventRow {
                    case_id: id,
                    event_date: date.to_string(),
                    kind: "重新打开".into(),
                    note: reason.clone(),
                    detail: before
                        .closure
                        .as_ref()
                        .and_then(|c| serde_json::to_string(c).ok()),
                    actor: account.username.clone(),
                    ..EventRow::default()
                },
            )
            .await?;
        }
        _ => {}
    }
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: match form.action.as_str() {
                "assign" => "case.assign",
                "visit" => "case.visit",
                "deadline" => "case.deadline",
                "close" => "case.close",
                _ => "case.reopen",
            },
            entity: "dropout_case",
            entity_key: &key,
            before: serde_json::to_string(&row).ok(),
            after: serde_json::to_string(&next).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(next)
}

/// The probable match a case's child awaits a decision on: the roll student (in the term
/// of the case's snapshot) and why they look alike. `None` once decided or when there is none.
pub async fn pending_match(
    db: &Db,
    county: &str,
    row: &CaseRow,
) -> Result<Option<(store::RollPlace, String)>> {
    let Some(person) = store::person(db, row.snapshot_id, &row.person_id_number).await? else {
        return Ok(None);
    };
    let (Some(candidate), Some(store::FINDING_PROBABLE)) =
        (person.candidate_id.as_deref(), person.finding.as_deref())
    else {
        return Ok(None);
    };
    let term = match store::snapshots(db, county)
        .await?
        .into_iter()
        .find(|s| s.id == row.snapshot_id)
    {
        Some(s) => s.term,
        None => return Ok(None),
    };
    let place = store::roll_place(db, county, candidate, &term)
        .await?
        .unwrap_or_else(|| store::RollPlace {
            id_number: candidate.to_string(),
            school_code: person.school_code.clone().unwrap_or_default(),
            ..store::RollPlace::default()
        });
    Ok(Some((place, person.candidate_reason.unwrap_or_default())))
}

/// 确认是同一人 / 不是同一人 on the case's pending probable match. Confirmed: the child is
/// on the roll after all; the snapshot rows and counts say so and the case is closed as
/// 已在籍 (found enrolled). Rejected: the child stays 疑似辍学 and the case stays open with
/// the check logged. Either way the decision is kept for later comparisons, and audited.
/// A confirmation closes the case on `closing` (default today): not after today, not before
/// the snapshot that found the match.
async fn decide_match(
    db: &Db,
    account: &Account,
    row: CaseRow,
    events: &[EventRow],
    decision: MatchDecision,
    closing: Option<&str>,
    source: &str,
) -> Result<CaseRow> {
    let county = account.county();
    let Some((place, reason)) = pending_match(db, county, &row).await? else {
        return Err(field_err("action", "该儿童没有待确认的疑似匹配").into());
    };
    let today = chrono::Local::now().date_naive();
    let closing = match closing.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(raw) => match parse_date(raw) {
            None => {
                return Err(
                    field_err("date", format!("销号日期“{raw}”无法识别，应如 2021-10-08")).into(),
                )
            }
            Some(date) if date > today => {
                return Err(
                    field_err("date", format!("销号日期{date}晚于今天，不能预先销号")).into(),
                )
            }
            Some(date) => {
                let snapshot = store::snapshots(db, county)
                    .await?
                    .into_iter()
                    .find(|s| s.id == row.snapshot_id)
                    .and_then(|s| s.snapshot_date.parse::<NaiveDate>().ok());
                if let Some(snapshot) = snapshot.filter(|&s| date < s) {
                    return Err(field_err(
                        "date",
                        format!("销号日期{date}早于发现该疑似匹配的比对日期{snapshot}"),
                    )
                    .into());
                }
                Some(date)
            }
        },
    };
    let masked = mask_id(&place.id_number);
    let place_text = if place.school_name.is_empty() {
        format!("学籍 {masked}")
    } else {
        format!(
            "学籍 {masked}（{} {}{}班）",
            place.school_name, place.grade, place.class_number
        )
    };
    let before = to_domain(&row, events);
    let mut next = row.clone();
    let decided = match decision {
        MatchDecision::Confirmed => {
            let closed = cases::apply(
                &before,
                CaseEvent::Close {
                    outcome: Some(Outcome::FoundEnrolled),
                    date: closing.unwrap_or(today.max(before.opened_on)),
                    evidence: format!("疑似匹配核实为同一人：{place_text}；{reason}"),
                },
            );
            let closed = match closed {
                Ok(c) => c,
                Err(e) => return Err(field_err("action", e.to_string()).into()),
            };
            next = apply_to_row(&row, &closed);
            let status = StudentStatus::parse(&place.status).unwrap_or(StudentStatus::Enrolled);
            let finding = Finding::Enrolled { student: 0, status };
            store::DecidedFinding {
                finding: finding.label().to_string(),
                school_code: Some(place.school_code.clone()).filter(|c| !c.is_empty()),
                leaves_suspected: true,
                joins_not_in_school: emis_domain::dropout::Placement::of(status)
                    == emis_domain::dropout::Placement::NotInSchool,
            }
        }
        MatchDecision::Rejected => store::DecidedFinding {
            finding: store::FINDING_SUSPECTED.to_string(),
            school_code: None,
            leaves_suspected: false,
            joins_not_in_school: false,
        },
    };
    let mut tx = db.begin().await?;
    store::record_match_decision(
        &mut tx,
        county,
        &store::MatchDecisionRow {
            person_id_number: row.person_id_number.clone(),
            candidate_id: place.id_number.clone(),
            decision: decision.code().to_string(),
            case_id: Some(row.id),
            decided_by: account.username.clone(),
            ..store::MatchDecisionRow::default()
        },
    )
    .await?;
    store::decide_pending_rows(
        &mut tx,
        county,
        &row.person_id_number,
        &place.id_number,
        &decided,
    )
    .await?;
    if next != row {
        store::update_case(&mut tx, &next).await?;
    }
    store::insert_event(
        &mut tx,
        county,
        &EventRow {
            case_id: row.id,
            event_date: match decision {
                MatchDecision::Confirmed => closing.unwrap_or(today).to_string(),
                MatchDecision::Rejected => today.to_string(),
            },
            kind: "匹配核实".into(),
            note: format!("{}：{place_text}", decision.label()),
            actor: account.username.clone(),
            ..EventRow::default()
        },
    )
    .await?;
    let key = row.id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: match decision {
                MatchDecision::Confirmed => "case.match_confirm",
                MatchDecision::Rejected => "case.match_reject",
            },
            entity: "dropout_case",
            entity_key: &key,
            before: serde_json::to_string(&row).ok(),
            after: serde_json::to_string(&serde_json::json!({
                "case": next,
                "candidate": masked,
                "decision": decision.code(),
            }))
            .ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(next)
}

/// Largest evidence file accepted.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

/// The file type from the bytes (jpg, png, pdf), whatever the name says.
pub fn sniff_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The folder evidence files go to: `emis-files` next to a SQLite database, or in the
/// working directory for PostgreSQL (or `EMIS_DATA_DIR`).
pub fn data_dir(db: &Db) -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("EMIS_DATA_DIR") {
        return dir.into();
    }
    let url = db.url();
    let path = url.strip_prefix("sqlite://").unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    match Path::new(path).parent() {
        Some(parent) if !path.is_empty() && !path.contains(":memory:") => parent.join("emis-files"),
        _ => std::path::PathBuf::from("emis-files"),
    }
}

/// Stores an evidence file for a case in the scope (≤ 10 MB; jpg, png or pdf by content).
pub async fn attach(
    db: &Db,
    account: &Account,
    id: i64,
    file_name: &str,
    bytes: &[u8],
    source: &str,
) -> Result<()> {
    let row = store::case_in_scope(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    if bytes.is_empty() {
        return Err(field_err("file", "请选择文件").into());
    }
    if bytes.len() > MAX_ATTACHMENT {
        return Err(field_err("file", "文件不能超过10MB").into());
    }
    let Some(mime) = sniff_mime(bytes) else {
        return Err(field_err("file", "只接受 jpg、png 或 pdf 文件").into());
    };
    let ext = match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    let dir = data_dir(db)
        .join(account.county())
        .join("cases")
        .join(id.to_string());
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Refused(format!("无法保存文件：{e}")))?;
    let stored = dir.join(format!(
        "{}-{}.{ext}",
        chrono::Utc::now().format("%Y%m%d%H%M%S%f"),
        bytes.len()
    ));
    std::fs::write(&stored, bytes).map_err(|e| AppError::Refused(format!("无法保存文件：{e}")))?;
    let clean_name: String = file_name
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '\0'))
        .take(200)
        .collect();
    let attachment = store::AttachmentRow {
        case_id: row.id,
        file_name: clean_name,
        size_bytes: bytes.len() as i64,
        mime: mime.to_string(),
        stored_path: stored.to_string_lossy().to_string(),
        uploaded_by: account.username.clone(),
        ..store::AttachmentRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_attachment(&mut tx, account.county(), &attachment).await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "case.attach",
            entity: "dropout_case",
            entity_key: &key,
            before: None,
            after: serde_json::to_string(&attachment).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// An evidence file of a case in the scope, with its bytes; the view of personal data is
/// audited. Out of scope, or not this case's file: not found.
pub async fn attachment(
    db: &Db,
    account: &Account,
    case_id: i64,
    attachment_id: i64,
    source: &str,
) -> Result<(store::AttachmentRow, Vec<u8>)> {
    let case = store::case_in_scope(db, &account.scope, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = store::attachments(db, case.id)
        .await?
        .into_iter()
        .find(|a| a.id == attachment_id)
        .ok_or(AppError::NotFound)?;
    if !(account.role.permits(Permission::WorkDropoutCases)
        || account.role.permits(Permission::SeePersonalData))
    {
        return Err(AppError::Forbidden);
    }
    let bytes = tokio::fs::read(&file.stored_path)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut tx = db.begin().await?;
    let key = case.id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "case.attachment_view",
            entity: "dropout_case",
            entity_key: &key,
            before: None,
            after: Some(
                serde_json::json!({"attachment": file.id, "file": file.file_name}).to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok((file, bytes))
}

// ---------------------------------------------------------------------------------------
// Dashboard

#[derive(Clone, Debug, Default, Serialize)]
pub struct TownshipLine {
    pub township_code: String,
    pub township: String,
    pub suspected: i64,
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
    /// (outcome category, count)
    pub by_outcome: Vec<(String, i64)>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Dashboard {
    pub snapshot: Option<store::SnapshotRow>,
    pub lines: Vec<TownshipLine>,
    pub total: TownshipLine,
    pub outcome_categories: Vec<String>,
    /// The latest snapshot against the one before it, in the scope.
    pub changes: Option<SnapshotChanges>,
    /// 送教上门 children of the year of the latest snapshot: (term label, count) for spring
    /// and autumn, in the scope.
    pub home_teaching: Vec<(String, i64)>,
}

/// What changed in the 疑似辍学 ledger from one snapshot to the next.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SnapshotChanges {
    pub previous: String,
    pub current: String,
    /// Suspected now, not on the previous snapshot's 疑似辍学 ledger.
    pub newly_suspected: Vec<ChangedChild>,
    /// On the previous 疑似辍学 ledger, not any more: with what the comparison says now.
    pub no_longer_suspected: Vec<ChangedChild>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ChangedChild {
    pub name: String,
    pub id_masked: String,
    /// 户籍乡镇 (name)
    pub township: String,
    /// The finding on the previous snapshot (newly suspected) or now (no longer suspected);
    /// 不在名册中 when the person is not on that snapshot.
    pub other_finding: String,
}

/// Compares the 疑似辍学 ledgers of two snapshots in the scope.
pub async fn snapshot_changes(
    db: &Db,
    scope: &Scope,
    previous: &store::SnapshotRow,
    current: &store::SnapshotRow,
) -> Result<SnapshotChanges> {
    let suspected = LedgerQuery::of(store::Ledger::Suspected);
    let before = store::ledger(db, scope, previous.id, &suspected, i64::MAX / 2).await?;
    let now = store::ledger(db, scope, current.id, &suspected, i64::MAX / 2).await?;
    let ids = |rows: &[PersonRow]| -> HashSet<String> {
        rows.iter().map(|r| r.id_number.clone()).collect()
    };
    let (before_ids, now_ids) = (ids(&before), ids(&now));
    let newly: Vec<&PersonRow> = now
        .iter()
        .filter(|r| !before_ids.contains(&r.id_number))
        .collect();
    let gone: Vec<&PersonRow> = before
        .iter()
        .filter(|r| !now_ids.contains(&r.id_number))
        .collect();
    Ok(SnapshotChanges {
        previous: previous.snapshot_date.clone(),
        current: current.snapshot_date.clone(),
        newly_suspected: changed_children(db, scope.county(), previous.id, &newly).await?,
        no_longer_suspected: changed_children(db, scope.county(), current.id, &gone).await?,
    })
}

/// The children with what another snapshot says of them, in one pass over it.
async fn changed_children(
    db: &Db,
    county: &str,
    other_snapshot: i64,
    rows: &[&PersonRow],
) -> Result<Vec<ChangedChild>> {
    let wanted: Vec<String> = rows.iter().map(|r| r.id_number.clone()).collect();
    let found: std::collections::HashMap<String, String> =
        store::persons_by_ids(db, other_snapshot, &wanted)
            .await?
            .into_iter()
            .map(|p| (p.id_number, p.finding.unwrap_or_else(|| "非适龄".into())))
            .collect();
    Ok(rows
        .iter()
        .map(|r| ChangedChild {
            name: r.name.clone(),
            id_masked: mask_id(&r.id_number),
            township: emis_domain::divisions::county(county)
                .and_then(|d| d.township(&r.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| r.township_code.clone()),
            other_finding: found
                .get(&r.id_number)
                .cloned()
                .unwrap_or_else(|| "不在名册中".into()),
        })
        .collect())
}

fn outcome_categories() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in Outcome::ALL {
        if !out.iter().any(|c| c == o.category()) {
            out.push(o.category().to_string());
        }
    }
    out
}

fn category_of(label: &str) -> String {
    Outcome::parse(label)
        .map(|o| o.category().to_string())
        .unwrap_or_else(|| label.to_string())
}

/// The dashboard by township over the cases in the scope.
pub async fn dashboard(db: &Db, scope: &Scope, today: NaiveDate) -> Result<Dashboard> {
    let county = scope.county();
    let snapshots = store::snapshots(db, county).await?;
    let snapshot = snapshots.first().cloned();
    let changes = match (snapshots.first(), snapshots.get(1)) {
        (Some(current), Some(previous)) => {
            Some(snapshot_changes(db, scope, previous, current).await?)
        }
        _ => None,
    };
    let year = snapshot
        .as_ref()
        .and_then(|s| s.snapshot_date.parse::<NaiveDate>().ok())
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    let mut home_teaching = Vec::new();
    for term in [Term::spring(year), Term::autumn(year)] {
        let plans = store::plans(db, scope, &term.code(), i64::MAX / 2).await?;
        home_teaching.push((term.label(), plans.len() as i64));
    }
    let all = store::cases(
        db,
        scope,
        &store::CaseQuery {
            limit: 1_000_000,
            ..Default::default()
        },
    )
    .await?;
    let categories = outcome_categories();
    let divisions = emis_domain::divisions::county(county);
    let mut lines: Vec<TownshipLine> = Vec::new();
    let mut total = TownshipLine {
        township: "合计".into(),
        by_outcome: categories.iter().map(|c| (c.clone(), 0)).collect(),
        ..TownshipLine::default()
    };
    for c in &all {
        let at = match lines
            .iter()
            .position(|l| l.township_code == c.township_code)
        {
            Some(i) => i,
            None => {
                lines.push(TownshipLine {
                    township_code: c.township_code.clone(),
                    township: divisions
                        .and_then(|d| d.township(&c.township_code))
                        .map(|t| t.name.to_string())
                        .unwrap_or_else(|| c.township_code.clone()),
                    by_outcome: categories.iter().map(|c| (c.clone(), 0)).collect(),
                    ..TownshipLine::default()
                });
                lines.len() - 1
            }
        };
        let domain = to_domain(c, &[]);
        let overdue = cases::is_overdue(&domain, today);
        for line in [&mut lines[at], &mut total] {
            line.suspected += 1;
            if c.status == CaseStatus::Closed.label() {
                line.closed += 1;
                let cat = category_of(c.outcome.as_deref().unwrap_or(""));
                if let Some(slot) = line.by_outcome.iter_mut().find(|(k, _)| *k == cat) {
                    slot.1 += 1;
                }
            } else {
                line.open += 1;
            }
            if overdue {
                line.overdue += 1;
            }
        }
    }
    lines.sort_by(|a, b| a.township_code.cmp(&b.township_code));
    Ok(Dashboard {
        snapshot,
        lines,
        total,
        outcome_categories: categories,
        changes,
        home_teaching,
    })
}

// ---------------------------------------------------------------------------------------
// Ledgers

/// A ledger of the query's snapshot (the latest when none) in the scope, filtered.
pub async fn ledger(
    db: &Db,
    scope: &Scope,
    query: &LedgerQuery,
    limit: i64,
) -> Result<(Option<store::SnapshotRow>, Vec<PersonRow>)> {
    let county = scope.county();
    let snapshot = match &query.snapshot {
        Some(date) => store::snapshot_by_date(db, county, date).await?,
        None => store::snapshots(db, county).await?.into_iter().next(),
    };
    let Some(snapshot) = snapshot else {
        return Ok((None, Vec::new()));
    };
    let rows = store::ledger(db, scope, snapshot.id, query, limit).await?;
    Ok((Some(snapshot), rows))
}

pub const LEDGER_HEADERS: &[&str] = &[
    "序号",
    "户籍乡镇",
    "户籍村(社区)",
    "姓名",
    "性别",
    "出生日期",
    "身份证件号",
    "监护人",
    "联系电话",
    "比对结果",
    "学校标识码",
    "疑似匹配",
    "脱贫户",
    "案件状态",
    "处理结果",
];

/// Writes a ledger to .xlsx (or .csv) in the county layout; ID and phone masked unless
/// `unmasked`, which is audited. Returns the number of rows.
pub async fn export_ledger(
    db: &Db,
    scope: &Scope,
    query: &LedgerQuery,
    out: &Path,
    unmasked: bool,
    actor: &Actor,
) -> Result<usize> {
    let which = query.ledger;
    let (snapshot, rows) = ledger(db, scope, query, i64::MAX / 2).await?;
    let Some(snapshot) = snapshot else {
        return Err(AppError::Refused("尚未导入户籍适龄人口名册".into()));
    };
    let county = scope.county();
    let divisions = emis_domain::divisions::county(county);
    let cases = store::all_cases(db, county).await?;
    let mut case_by_id: std::collections::HashMap<&str, &CaseRow> =
        std::collections::HashMap::new();
    for c in &cases {
        case_by_id.insert(c.person_id_number.as_str(), c);
    }
    let lines = rows.iter().enumerate().map(|(i, p)| {
        let case = case_by_id.get(p.id_number.as_str());
        vec![
            (i + 1).to_string(),
            divisions
                .and_then(|d| d.township(&p.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| p.township_code.clone()),
            p.village.clone().unwrap_or_default(),
            p.name.clone(),
            p.sex.clone(),
            p.birth_date.clone(),
            if unmasked {
                p.id_number.clone()
            } else {
                mask_id(&p.id_number)
            },
            p.guardian.clone().unwrap_or_default(),
            match &p.phone {
                Some(ph) if unmasked => ph.clone(),
                Some(ph) => mask_phone(ph),
                None => String::new(),
            },
            p.finding.clone().unwrap_or_default(),
            p.school_code.clone().unwrap_or_default(),
            p.candidate_reason.clone().unwrap_or_default(),
            if p.poverty { "是" } else { "" }.to_string(),
            case.map(|c| c.status.clone()).unwrap_or_default(),
            case.and_then(|c| c.outcome.clone()).unwrap_or_default(),
        ]
    });
    let title = format!("{}台账（{}）", which.label(), snapshot.snapshot_date);
    emis_io::write_sheet(out, &title, LEDGER_HEADERS, lines)?;
    crate::exports::record_export(
        db,
        actor,
        crate::exports::ExportAudit {
            county,
            kind: "population_ledger",
            key: which.code(),
            filter: serde_json::json!({
                "scope": crate::exports::scope_json(scope),
                "ledger": which.code(),
                "snapshot": snapshot.snapshot_date,
                "township": query.township,
                "school": query.school,
                // A search may be a full ID number: only whether one was given is kept.
                "searched": query.q.as_deref().is_some_and(|q| !q.trim().is_empty()),
            }),
            rows: rows.len() as u64,
            unmasked,
        },
    )
    .await?;
    Ok(rows.len())
}

// ---------------------------------------------------------------------------------------
// 送教上门

#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct PlanForm {
    pub id_number: String,
    pub term: String,
    pub teachers: String,
    pub plan: String,
}

/// Creates or updates a home-teaching plan for a student on the term's roll in the scope.
pub async fn save_plan(db: &Db, account: &Account, form: &PlanForm, source: &str) -> Result<i64> {
    crate::require(account.role, Permission::WorkDropoutCases)?;
    crate::registry::check_lengths(&[
        (
            "teachers",
            "帮扶教师",
            &form.teachers,
            emis_domain::limits::SHORT_TEXT,
        ),
        (
            "plan",
            "帮扶计划",
            &form.plan,
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let county = account.county();
    let Some(term) = Term::parse(form.term.trim()) else {
        return Err(field_err("term", "学期应如 2021-autumn").into());
    };
    let id_number = match IdNumber::parse(&form.id_number) {
        Ok(id) => id.as_str().to_string(),
        Err(e) => return Err(field_err("id_number", e.to_string()).into()),
    };
    let Some((school_code, name, _status)) =
        store::student_in_term(db, county, &id_number, &term.code()).await?
    else {
        return Err(field_err("id_number", "该学生不在本学期学籍中").into());
    };
    let schools = emis_storage::registry::schools(db, county).await?;
    let township = schools
        .iter()
        .find(|s| s.code == school_code)
        .map(|s| s.township_code.clone())
        .unwrap_or_default();
    if !account.scope.admits_school(&school_code, &township) {
        return Err(field_err("id_number", "该学生不在您的管理范围内").into());
    }
    if form.teachers.trim().is_empty() {
        return Err(field_err("teachers", "请填写送教教师").into());
    }
    let plan = store::PlanRow {
        student_id_number: id_number.clone(),
        name,
        school_code,
        term: term.code(),
        teachers: form.teachers.trim().to_string(),
        plan: form.plan.trim().to_string(),
        ..store::PlanRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_plans(&mut tx, county, std::slice::from_ref(&plan)).await?;
    let id = store::plan_ids(&mut tx, county)
        .await?
        .get(&(id_number.clone(), term.code()))
        .copied()
        .unwrap_or_default();
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county,
            action: "home_teaching.plan",
            entity: "home_teaching_plan",
            entity_key: &key,
            before: None,
            after: serde_json::to_string(&plan).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct HomeVisitForm {
    pub date: String,
    pub hours: String,
    pub teacher: String,
    pub content: String,
}

/// Logs a home-teaching visit on a plan in the scope.
pub async fn log_home_visit(
    db: &Db,
    account: &Account,
    plan_id: i64,
    form: &HomeVisitForm,
    source: &str,
) -> Result<()> {
    let plan = store::plan_in_scope(db, &account.scope, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    crate::registry::check_lengths(&[
        (
            "teacher",
            "家访教师",
            &form.teacher,
            emis_domain::limits::NAME,
        ),
        (
            "content",
            "家访内容",
            &form.content,
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let Some(date) = parse_date(form.date.trim()) else {
        return Err(field_err("date", "日期无法识别，应如 2021-10-08").into());
    };
    if let Some(term) = Term::parse(&plan.term) {
        if Term::containing(date) != term {
            return Err(field_err("date", format!("日期不在{}内", term.label())).into());
        }
    }
    let hours: f64 = match form.hours.trim().parse() {
        Ok(h) if h > 0.0 && h <= 12.0 => h,
        _ => return Err(field_err("hours", "课时应为0到12之间的小时数").into()),
    };
    if form.teacher.trim().is_empty() {
        return Err(field_err("teacher", "请填写送教教师").into());
    }
    if form.content.trim().is_empty() {
        return Err(field_err("content", "请填写送教内容").into());
    }
    let visit = store::HomeVisitRow {
        plan_id,
        visit_date: date.to_string(),
        minutes: (hours * 60.0).round() as i64,
        teacher: form.teacher.trim().to_string(),
        content: form.content.trim().to_string(),
        ..store::HomeVisitRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_home_visits(&mut tx, account.county(), std::slice::from_ref(&visit)).await?;
    let key = plan_id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "home_teaching.visit",
            entity: "home_teaching_plan",
            entity_key: &key,
            before: None,
            after: serde_json::to_string(&visit).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The demo county

/// Loads the demo's population roll (running the comparison), works every case through
/// the case workflow to its outcome, and stores the home-teaching plans with their visits.
pub async fn load_demo(
    db: &Db,
    county: &str,
    demo: &emis_demo::dropout::DemoDropout,
    actor: &Actor,
) -> Result<PopulationReport> {
    let divisions = emis_domain::divisions::county(county);
    let parsed: Vec<(PopulationPerson, String, u32)> = demo
        .population
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let code = divisions
                .and_then(|d| d.township(&p.township))
                .map(|t| t.code.to_string())
                .unwrap_or_else(|| p.township.clone());
            (p.clone(), code, i as u32 + 2)
        })
        .collect();
    let report = PopulationReport {
        import: ImportReport {
            rows: parsed.len(),
            valid_rows: parsed.len(),
            ..ImportReport::default()
        },
        ..PopulationReport::default()
    };
    let report = compare_and_store(
        db,
        county,
        parsed,
        report,
        "演示县户籍适龄人口名册",
        demo.as_of,
        None,
        false,
        actor,
    )
    .await?;
    if !report.import.committed {
        // Loaded before: the cases and plans are there already.
        return Ok(report);
    }

    let rows = store::all_cases(db, county).await?;
    let by_person: std::collections::HashMap<&str, &CaseRow> = rows
        .iter()
        .map(|r| (r.person_id_number.as_str(), r))
        .collect();
    let mut tx = db.begin().await?;
    let mut events = Vec::new();
    for plan in &demo.cases {
        let Some(row) = by_person.get(plan.person_id.as_str()) else {
            continue;
        };
        let mut case = to_domain(row, &[]);
        let mut steps = vec![
            CaseEvent::Assign {
                responsible: vec![
                    Responsible {
                        role: ResponsibleRole::TownshipCadre,
                        name: plan.township_cadre.clone(),
                    },
                    Responsible {
                        role: ResponsibleRole::VillageCadre,
                        name: plan.village_cadre.clone(),
                    },
                    Responsible {
                        role: ResponsibleRole::School,
                        name: plan.school_contact.clone(),
                    },
                    Responsible {
                        role: ResponsibleRole::Teacher,
                        name: plan.teacher.clone(),
                    },
                ],
            },
            CaseEvent::SetDeadline {
                date: plan.deadline,
            },
        ];
        for v in &plan.visits {
            steps.push(CaseEvent::LogVisit {
                date: v.date,
                kind: v.kind,
                note: v.note.clone(),
            });
            events.push(EventRow {
                case_id: row.id,
                event_date: v.date.to_string(),
                kind: v.kind.label().to_string(),
                note: v.note.clone(),
                actor: plan.teacher.clone(),
                ..EventRow::default()
            });
        }
        steps.push(CaseEvent::Close {
            outcome: Some(plan.outcome),
            date: plan.closed_on,
            evidence: plan.evidence.clone(),
        });
        for step in steps {
            case = cases::apply(&case, step)
                .map_err(|e| AppError::Refused(format!("演示案件 {} 无法处理：{e}", row.id)))?;
        }
        let mut next = apply_to_row(row, &case);
        if !plan.school_code.is_empty() {
            next.school_code = Some(plan.school_code.clone());
        }
        store::update_case(&mut tx, &next).await?;
    }
    store::insert_events(&mut tx, county, &events).await?;

    let plans: Vec<store::PlanRow> = demo
        .plans
        .iter()
        .map(|p| store::PlanRow {
            student_id_number: p.student_id.clone(),
            name: p.name.clone(),
            school_code: p.school_code.clone(),
            term: p.term.code(),
            teachers: p.teachers.join("、"),
            plan: p.plan.clone(),
            ..store::PlanRow::default()
        })
        .collect();
    store::insert_plans(&mut tx, county, &plans).await?;
    let ids = store::plan_ids(&mut tx, county).await?;
    let visits: Vec<store::HomeVisitRow> = demo
        .plans
        .iter()
        .flat_map(|p| {
            let plan_id = ids
                .get(&(p.student_id.clone(), p.term.code()))
                .copied()
                .unwrap_or_default();
            p.visits.iter().map(move |v| store::HomeVisitRow {
                plan_id,
                visit_date: v.date.to_string(),
                minutes: v.minutes,
                teacher: v.teacher.clone(),
                content: v.content.clone(),
                ..store::HomeVisitRow::default()
            })
        })
        .collect();
    store::insert_home_visits(&mut tx, county, &visits).await?;
    audit::record(
        &mut tx,
        actor,
        Entry {
            county,
            action: "demo",
            entity: "dropout",
            entity_key: county,
            before: None,
            after: Some(
                serde_json::json!({"cases": demo.cases.len(), "plans": plans.len(), "home_visits": visits.len()})
                    .to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(report)
}

// ---------------------------------------------------------------------------------------
// The 脱贫户 list

/// Imports the 脱贫户 list (persons of poverty-alleviated households) through the common
/// import (`ImportKind::Poverty`, the same as the web's upload and preview); the next
/// population comparison marks the suspected and not-in-school children on it.
/// All-or-nothing; importing the same file again changes nothing.
pub async fn import_poverty_file(
    db: &Db,
    county: &str,
    path: &Path,
    actor: &Actor,
) -> Result<ImportReport> {
    crate::imports::import_file(
        db,
        county,
        crate::imports::ImportKind::Poverty,
        path,
        &crate::imports::ImportOptions::default(),
        actor,
        &crate::NoProgress,
    )
    .await
}
