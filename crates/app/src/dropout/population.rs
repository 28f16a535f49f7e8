//! 人口比对 population comparison (三比对): reading the public-security roll of
//! school-age children, comparing it with the student roll, and storing the snapshot, its
//! findings and the new cases in one transaction.

use crate::imports::{ImportReport, Problem};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Scope;
use emis_domain::dates::parse_date;
use emis_domain::dropout::cases::CaseStatus;
use emis_domain::dropout::{
    apply_decisions, compare_poverty, match_roll, pack_id, Finding, MatchCounts, MatchResult,
    MatchSettings, PopulationPerson, RollStudent,
};
use emis_domain::identity::{IdError, IdNumber};
use emis_domain::registry::{Sex, StudentStatus};
use emis_domain::term::Term;
use emis_io::{Column, Table};
use emis_storage::audit::{Actor, Entry};
use emis_storage::dropout::{self as store, CaseRow, PersonRow};
use emis_storage::Db;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// The template's columns; the public-security household roll's own names are aliases
/// (公民身份号码, 户籍地址: the township is read out of the address).
pub const POPULATION_COLUMNS: &[Column] = &[
    Column::required("姓名"),
    Column::required("性别"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("户籍乡镇").with_aliases(&["户籍地址", "户籍所在乡镇", "户籍地"]),
    Column::optional("户籍村(社区)").with_aliases(&["户籍村（社区）", "户籍村", "村(社区)"]),
    Column::optional("监护人").with_aliases(&["监护人姓名"]),
    Column::optional("联系电话").with_aliases(&[
        "监护人电话",
        "电话",
        "监护人联系电话",
        "联系方式",
    ]),
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
    table: &Table<'_>,
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
        let sex = check.required_choice("性别", &c[1], Sex::parse, Sex::choices);
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
            match divisions.and_then(|d| d.township_named_or_in(t)) {
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

/// The county's roll of a term in the form matching reads (read in place from its packed
/// text, as the region's comparison reads every county's).
pub async fn roll_students(db: &Db, county: &str, term: &str) -> Result<Vec<RollStudent>> {
    let roll = store::packed_roll(db, county, term).await?;
    Ok(roll
        .rows()
        .map(|[id_number, name, sex, birth_date, school_code, status]| {
            let (sex, birth_date, status) = read_roll_row(sex, birth_date, status);
            RollStudent {
                id_number: id_number.to_string(),
                name: name.to_string(),
                sex,
                birth_date,
                school_code: school_code.to_string(),
                status,
            }
        })
        .collect())
}

/// A stored roll row's sex, birth date and status as matching reads them; a value that
/// does not read (none is written so) as the commonest.
pub(crate) fn read_roll_row(
    sex: &str,
    birth_date: &str,
    status: &str,
) -> (Sex, NaiveDate, StudentStatus) {
    (
        Sex::parse(sex).unwrap_or(Sex::Male),
        emis_domain::dates::parse_stored(birth_date).unwrap_or_default(),
        StudentStatus::parse(status).unwrap_or(StudentStatus::Enrolled),
    )
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
    table: Table<'_>,
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
    let phase = crate::timing::phase("population", "matching");
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
    let people = phase.done(persons.len() as u64);
    let phase = crate::timing::phase("population", "written");

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
                .copied()
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
            status: CaseStatus::Open,
            school_code: row.school_code.clone(),
            deadline: deadline.clone(),
            ..CaseRow::default()
        })
        .collect();
    store::insert_cases(&mut tx, county, &new_cases).await?;
    report.cases_created = new_cases.len();
    Entry::new(county, "import", "population", &report.snapshot_date)
        .after_json(&serde_json::json!({
            "file": source,
            "rows": report.import.rows,
            "school_age": result.counts.school_age,
            "suspected": result.counts.suspected,
            "probable": result.counts.probable,
            "not_in_school": result.counts.not_in_school,
            "cases_created": report.cases_created,
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    report.import.committed = true;
    phase.done(people);
    Ok(report)
}
