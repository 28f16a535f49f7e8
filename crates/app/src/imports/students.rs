//! 学生导入: one row per student per term; classes are formed from the rows.

use super::{should_write, ImportOptions, ImportReport, RowCheck, Run};
use crate::Result;
use emis_domain::dates::full_years;
use emis_domain::national::{self, LeftBehind, NationalFacts};
use emis_domain::registry::{
    parse_yes_no, Grade, Hardship, School, Sex, StudentRecord, StudentStatus,
};
use emis_domain::term::Term;
use emis_io::{Column, Table};
use emis_storage::audit::Entry;
use emis_storage::registry;
use emis_storage::roll::{self, Packed, StoredIdentity, StoredPlacement};
use emis_storage::Db;
use std::collections::HashMap;

/// Our template's columns, then the national 学籍 export's further ones; the national
/// export's own names for our columns are aliases, so its sheet imports as it comes.
pub const STUDENT_COLUMNS: &[Column] = &[
    Column::required("学校标识码"),
    Column::required("姓名"),
    Column::required("性别"),
    crate::imports::ID_NUMBER_COLUMN,
    Column::required("年级"),
    Column::required("班级").with_aliases(&["班号", "班级名称", "所在班级"]),
    Column::optional("出生日期"),
    Column::optional("民族"),
    Column::optional("户籍乡镇"),
    Column::optional("寄宿生").with_aliases(&["是否寄宿生"]),
    Column::optional("家庭经济困难类型"),
    Column::optional("残疾类型").with_aliases(&["残疾人类型"]),
    Column::optional("学籍状态"),
    Column::optional("学期"),
    Column::optional("学籍号").with_aliases(&["全国学籍号", "全国学籍号码", "学籍号码"]),
    Column::optional("身份证件类型").with_aliases(&["证件类型"]),
    Column::optional("就读方式"),
    Column::optional("留守儿童").with_aliases(&["是否留守儿童", "留守儿童类型"]),
    Column::optional("随迁子女").with_aliases(&[
        "是否随迁子女",
        "是否进城务工人员随迁子女",
        "进城务工人员随迁子女",
    ]),
    Column::optional("孤儿").with_aliases(&["是否孤儿"]),
    Column::optional("户口性质"),
    Column::optional("港澳台侨外"),
    Column::optional("国籍/地区").with_aliases(&["国籍", "国籍地区", "国籍(地区)"]),
    Column::optional("学籍辅号").with_aliases(&["辅学籍号"]),
];

/// The columns of the national layout (`emis export students --layout national`) in
/// order: the national export's names, each one our column or one of its aliases.
pub const NATIONAL_STUDENT_HEADERS: &[&str] = &[
    "学校标识码",
    "姓名",
    "性别",
    "出生日期",
    "身份证件类型",
    "身份证件号",
    "民族",
    "年级",
    "班级名称",
    "全国学籍号",
    "学籍辅号",
    "就读方式",
    "户籍乡镇",
    "户口性质",
    "港澳台侨外",
    "国籍/地区",
    "是否留守儿童",
    "是否进城务工人员随迁子女",
    "是否孤儿",
    "家庭经济困难类型",
    "残疾类型",
    "学籍状态",
    "学期",
];

/// A write this large changes the data's shape enough to refresh planner statistics.
const ANALYZE_AFTER_ROWS: usize = 5_000;

/// How far from the usual age for a grade a student may be before a warning.
const AGE_TOLERANCE_YEARS: i32 = 2;

fn optional_text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The county's township named (or coded) by a 户籍乡镇 cell, as its name; `Err` with the
/// refusal when the county's townships are known and this is none of them.
fn household_township(
    raw: &str,
    townships: &[(String, String)],
) -> std::result::Result<Option<String>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    if townships.is_empty() {
        return Ok(Some(raw.to_string()));
    }
    match townships
        .iter()
        .find(|(code, name)| name == raw || code == raw)
    {
        Some((_, name)) => Ok(Some(name.clone())),
        None => {
            let examples: Vec<&str> = townships.iter().take(3).map(|(_, n)| n.as_str()).collect();
            Err(format!(
                "户籍乡镇“{raw}”不是本县的乡镇，应为本县乡镇的名称（如 {}）；户籍不在本县的请留空",
                examples.join("、")
            ))
        }
    }
}

/// An optional yes/no flag of the national sheet (随迁子女, 孤儿): `Some(None)` when blank.
fn flag(check: &mut RowCheck<'_>, column: &str, value: &str) -> Option<Option<bool>> {
    check.optional_choice(
        column,
        value,
        None,
        |v| parse_yes_no(v).map(Some),
        || "0-否 / 1-是".to_string(),
    )
}

pub(super) fn parse_rows(
    table: &Table<'_>,
    schools: &HashMap<String, School>,
    townships: &[(String, String)],
    default_term: Term,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Vec<(u32, StudentRecord)> {
    let mut out = Vec::with_capacity(table.rows.len());
    // (student key, term) → (row, school code): one school per student per term.
    let mut seen: HashMap<(String, Term), (u32, String)> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let c = &row.cells;
        let mut check = RowCheck::new(row.number, &mut report.problems, &mut report.warnings);
        let school = check.school(&c[0], schools, options);
        let name = check.required("姓名", &c[1]).map(str::to_string);
        let sex = check.required_choice("性别", &c[2], Sex::parse, Sex::choices);
        let document = check.document_type(&c[15]);
        let aux_no = optional_text(&emis_domain::text::fold_width(&c[23]));
        let id = check.person(document, &c[3], aux_no.as_deref());
        let grade = check.required_choice("年级", &c[4], Grade::parse, || {
            "小班 中班 大班 一年级…九年级 高一 高二 高三".to_string()
        });
        let class_number = check.class_name("班级", &c[5], grade);
        let term = check.optional_choice("学期", &c[13], default_term, Term::parse, || {
            "2021-spring 或 2021年秋季学期 这样的学期".to_string()
        });
        let boarder = check.optional_choice(
            "寄宿生",
            &c[9],
            None,
            |v| parse_yes_no(v).map(Some),
            || "是 / 否".to_string(),
        );
        let attendance = check.optional_choice(
            "就读方式",
            &c[16],
            None,
            |v| national::parse_attendance(v).map(Some),
            || "1-走读 / 2-住校".to_string(),
        );
        // 就读方式 and 寄宿生 are one fact: both given, they must agree.
        let boarding = match (boarder, attendance) {
            (Some(Some(b)), Some(Some(a))) if a != b => {
                check.refuse(
                    "就读方式",
                    format!(
                        "就读方式“{}”与寄宿生“{}”不一致",
                        c[16],
                        if b { "是" } else { "否" }
                    ),
                );
                None
            }
            (Some(b), Some(a)) => Some(a.or(b).unwrap_or(false)),
            _ => None,
        };
        let hardship = check.optional_choice(
            "家庭经济困难类型",
            &c[10],
            Hardship::None,
            Hardship::parse,
            Hardship::choices,
        );
        let ethnicity = check.optional_choice(
            "民族",
            &c[7],
            None,
            |v| emis_domain::ethnicity::parse(v).map(Some),
            emis_domain::ethnicity::choices,
        );
        let household = match household_township(&c[8], townships) {
            Ok(t) => t,
            Err(reason) => {
                check.refuse("户籍乡镇", reason);
                None
            }
        };
        let status = check.optional_choice(
            "学籍状态",
            &c[12],
            StudentStatus::Enrolled,
            StudentStatus::parse,
            StudentStatus::choices,
        );
        let left_behind = check.optional_choice(
            "留守儿童",
            &c[17],
            None,
            |v| LeftBehind::parse(v).map(Some),
            LeftBehind::choices,
        );
        let migrant = flag(&mut check, "随迁子女", &c[18]);
        let orphan = flag(&mut check, "孤儿", &c[19]);

        // Sex and birth date: from a 居民身份证's number (the columns must agree with it),
        // else from their columns.
        let resident = id.as_ref().and_then(|i| i.resident.as_ref());
        check.sex_agrees(resident, sex);
        let birth_date = match (&id, resident) {
            (_, Some(number)) => {
                if !c[6].is_empty() {
                    match check.optional_date("出生日期", &c[6]) {
                        Some(Some(d)) if d != number.birth_date() => check.refuse(
                            "出生日期",
                            format!(
                                "出生日期 {d} 与身份证件号中的出生日期 {} 不一致",
                                number.birth_date()
                            ),
                        ),
                        _ => {}
                    }
                }
                Some(number.birth_date())
            }
            (Some(_), None) if c[6].is_empty() => {
                let kind = document.unwrap_or_default();
                check.refuse(
                    "出生日期",
                    format!("证件类型为“{kind}”的学生须填写出生日期（无法从证件号得出）"),
                );
                None
            }
            (Some(_), None) => check.optional_date("出生日期", &c[6]).flatten(),
            (None, None) => None,
        };
        if let (Some(school), Some(grade)) = (school, grade) {
            if !school.school_type.teaches(grade) {
                check.refuse(
                    "年级",
                    format!("{}（{}）不设{}", school.name, school.school_type, grade),
                );
            }
        }
        if let (Some(birth), Some(grade), Some(term)) = (birth_date, grade, term) {
            let age = full_years(birth, term.school_year_start());
            let usual = grade.typical_age();
            if (age - usual).abs() > AGE_TOLERANCE_YEARS {
                check.warn("年级", format!("{age}周岁就读{grade}，与通常年龄（{usual}周岁）相差超过{AGE_TOLERANCE_YEARS}岁，请核实"));
            }
        }
        if let (Some(id), Some(term), Some(school)) = (&id, term, school) {
            if let Some((first_row, first_school)) = seen.get(&(id.key.clone(), term)) {
                let at = if *first_school == school.code {
                    "同一学校".to_string()
                } else {
                    format!("学校 {first_school}")
                };
                check.refuse(
                    "身份证件号",
                    format!(
                        "该学生在{}已于第{first_row}行登记（{at}），同一学期只能在一所学校在籍",
                        term.label()
                    ),
                );
            }
        }
        if check.failed {
            continue;
        }
        let (
            Some(school),
            Some(name),
            Some(sex),
            Some(id),
            Some(birth_date),
            Some(grade),
            Some(class_number),
            Some(term),
            Some(boarding),
            Some(hardship),
            Some(status),
            Some(left_behind),
            Some(migrant),
            Some(orphan),
        ) = (
            school,
            name,
            sex,
            id,
            birth_date,
            grade,
            class_number,
            term,
            boarding,
            hardship,
            status,
            left_behind,
            migrant,
            orphan,
        )
        else {
            continue;
        };
        seen.insert((id.key.clone(), term), (row.number, school.code.clone()));
        out.push((
            row.number,
            StudentRecord {
                school_code: school.code.clone(),
                name,
                sex,
                birth_date,
                id_number: id.key,
                student_no: optional_text(&c[14]),
                grade,
                class_number,
                ethnicity: ethnicity.flatten().map(str::to_string),
                household_township: household,
                boarding,
                hardship,
                disability: optional_text(&c[11]),
                status,
                term,
                national: NationalFacts {
                    left_behind,
                    migrant,
                    orphan,
                    household_type: national::kept_as_given(&c[20]),
                    overseas: national::kept_as_given(&c[21]),
                    nationality: national::kept_as_given(&c[22]),
                    aux_no,
                },
            },
        ));
    }
    out
}

/// The first records as read, for the preview: coded values as their labels, the
/// document and its number (masked), the national flags.
fn read_as(records: &[(u32, StudentRecord)]) -> super::ReadAs {
    let flag = |f: Option<bool>| match f {
        Some(true) => "是",
        Some(false) => "否",
        None => "",
    };
    super::ReadAs {
        columns: vec![
            "姓名",
            "性别",
            "出生日期",
            "身份证件类型",
            "身份证件号",
            "年级",
            "班级",
            "民族",
            "就读方式",
            "留守儿童",
            "随迁子女",
            "孤儿",
        ],
        rows: records
            .iter()
            .take(super::READ_AS_ROWS)
            .map(|(row, r)| {
                let (document, _) = national::parse_key(&r.id_number);
                let values = vec![
                    r.name.clone(),
                    r.sex.label().to_string(),
                    r.birth_date.to_string(),
                    document.label().to_string(),
                    national::shown_number(&r.id_number, false),
                    r.grade.label().to_string(),
                    format!("{}班", r.class_number),
                    r.ethnicity.clone().unwrap_or_default(),
                    national::attendance_label(r.boarding).to_string(),
                    r.national
                        .left_behind
                        .map(|l| l.label().to_string())
                        .unwrap_or_default(),
                    flag(r.national.migrant).to_string(),
                    flag(r.national.orphan).to_string(),
                ];
                (*row, values)
            })
            .collect(),
    }
}

/// How an incoming record compares with what is stored.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    New,
    Updated,
    Same,
}

fn compare(
    record: &StudentRecord,
    student: Option<&StoredIdentity>,
    placement: Option<&StoredPlacement>,
) -> Change {
    let Some(s) = student else { return Change::New };
    let identity_same = s
        .fields
        .holds(identity_of(record, &record.birth_date.to_string()));
    let roll_same = placement.is_some_and(|p| {
        p.fields
            .holds(placement_of(record, &record.class_number.to_string()))
    });
    if identity_same && roll_same {
        Change::Same
    } else {
        Change::Updated
    }
}

/// A record's identity fields in the order `roll::identities` packs the stored ones (the
/// flags as `0`/`1`).
fn identity_of<'a>(r: &'a StudentRecord, birth_date: &'a str) -> [Option<&'a str>; 15] {
    let flag = |f: Option<bool>| f.map(|f| if f { "1" } else { "0" });
    let n = &r.national;
    [
        r.student_no.as_deref(),
        Some(r.name.as_str()),
        Some(r.sex.label()),
        Some(birth_date),
        r.ethnicity.as_deref(),
        r.household_township.as_deref(),
        Some(r.hardship.label()),
        r.disability.as_deref(),
        n.left_behind.map(LeftBehind::label),
        flag(n.migrant),
        flag(n.orphan),
        n.household_type.as_deref(),
        n.overseas.as_deref(),
        n.nationality.as_deref(),
        n.aux_no.as_deref(),
    ]
}

/// A record's roll fields in the order `roll::placements` packs the stored ones.
fn placement_of<'a>(r: &'a StudentRecord, class_number: &'a str) -> [Option<&'a str>; 5] {
    [
        Some(r.school_code.as_str()),
        Some(r.grade.label()),
        Some(class_number),
        Some(if r.boarding { "1" } else { "0" }),
        Some(r.status.label()),
    ]
}

/// What was stored, for the audit log of an update: the packed fields by column name.
fn stored_fields(columns: &[&str], fields: &Packed) -> serde_json::Value {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| (column.to_string(), fields.get(i).into()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The stored roll a students import compares its rows against: the county's students and
/// the roll entries of the terms the rows name, with the import counter they were read at.
pub(super) struct StoredRoll {
    pub read_at: i64,
    identities: HashMap<String, StoredIdentity>,
    placements: HashMap<Term, HashMap<String, StoredPlacement>>,
}

impl StoredRoll {
    /// Read before the sheet is: the term is the import's (`--term`, else the current one);
    /// `complete` adds the terms the rows name besides.
    pub(super) async fn read(db: &Db, county: &str, options: &ImportOptions) -> Result<StoredRoll> {
        let term = options.term.unwrap_or_else(|| options.clock.current_term());
        let read_at = registry::import_seq(db, county).await?;
        let code = term.code();
        let (identities, placements) = tokio::try_join!(
            roll::identities(db, county),
            roll::placements(db, county, &code)
        )?;
        Ok(StoredRoll {
            read_at,
            identities,
            placements: HashMap::from([(term, placements)]),
        })
    }

    async fn complete(&mut self, db: &Db, county: &str, terms: &[Term]) -> Result<()> {
        for term in terms {
            if !self.placements.contains_key(term) {
                let roll = roll::placements(db, county, &term.code()).await?;
                self.placements.insert(*term, roll);
            }
        }
        Ok(())
    }
}

pub(super) async fn run(
    run: &Run<'_>,
    report: &mut ImportReport,
    stored: Option<StoredRoll>,
) -> Result<()> {
    let (db, county, table, source) = (run.db, run.county, run.table, run.source);
    let (options, actor, progress) = (run.options, run.actor, run.progress);
    let default_term = match options.term {
        Some(t) => t,
        None => {
            let t = options.clock.current_term();
            report.notes.push(format!(
                "未指定学期，未填学期的行记入当前学期 {}（{}）",
                t.code(),
                t.label()
            ));
            t
        }
    };
    progress.stage("校验", table.rows.len() as u64);
    let schools = run.schools().await?;
    let phase = crate::timing::phase("students", "rows checked");
    let townships = emis_storage::lists::townships(
        db,
        &emis_domain::access::Scope::County {
            county: county.to_string(),
        },
    )
    .await?;
    let mut records = parse_rows(table, &schools, &townships, default_term, options, report);
    phase.done(records.len() as u64);
    if options.dry_run {
        report.read_as = Some(read_as(&records));
    }

    // Against the database: one school per student per term.
    let phase = crate::timing::phase("students", "compared with the database");
    let mut terms: Vec<Term> = records.iter().map(|(_, r)| r.term).collect();
    terms.sort();
    terms.dedup();
    let mut roll = match stored {
        Some(roll) => roll,
        None => StoredRoll::read(db, county, options).await?,
    };
    roll.complete(db, county, &terms).await?;
    let StoredRoll {
        identities: stored,
        placements: rolls,
        ..
    } = roll;
    super::hardship::keep_certified(db, county, table, &stored, &mut records, report).await?;
    let mut changed: Vec<registry::RollWrite> = Vec::new();
    let mut updates: Vec<(
        &StudentRecord,
        Option<&StoredIdentity>,
        Option<&StoredPlacement>,
    )> = Vec::new();
    for (row, record) in &records {
        let enrollment = rolls
            .get(&record.term)
            .and_then(|r| r.get(&record.id_number));
        if let Some(e) = enrollment {
            if e.school_code() != record.school_code {
                let school_name = schools.get(e.school_code()).map_or("", |s| s.name.as_str());
                report.problems.push(super::Problem {
                    row: *row,
                    column: "学校标识码".into(),
                    reason: format!(
                        "该学生{}已在 {}（{}）在籍，同一学期只能在一所学校在籍；如已转学，请办理转学",
                        record.term.label(),
                        school_name,
                        e.school_code()
                    ),
                });
                continue;
            }
        }
        report.valid_rows += 1;
        let student = stored.get(&record.id_number);
        match compare(record, student, enrollment) {
            Change::New => {
                report.inserted += 1;
                changed.push(registry::RollWrite {
                    record,
                    new_student: student.is_none(),
                    new_entry: enrollment.is_none(),
                });
            }
            Change::Updated => {
                report.updated += 1;
                changed.push(registry::RollWrite {
                    record,
                    new_student: student.is_none(),
                    new_entry: enrollment.is_none(),
                });
                if student.is_some() {
                    updates.push((record, student, enrollment));
                }
            }
            Change::Same => report.unchanged += 1,
        }
    }
    phase.done(records.len() as u64);
    progress.advance(table.rows.len() as u64);
    if !should_write(report, options) || changed.is_empty() {
        return Ok(());
    }
    progress.stage("写入数据库", changed.len() as u64);
    let phase = crate::timing::phase("students", "written");
    let mut tx = super::begin_write(db, county, report).await?;
    registry::write_students(&mut tx, county, &changed).await?;
    for (record, student, enrollment) in &updates {
        let before = serde_json::json!({
            "student": student.map(|s| stored_fields(&StoredIdentity::FIELDS, &s.fields)),
            "enrollment": enrollment.map(|e| stored_fields(&StoredPlacement::FIELDS, &e.fields)),
        });
        Entry::new(county, "update", "student", &record.id_number)
            .before_json(&before)
            .after_json(record)
            .record(&mut tx, actor)
            .await?;
    }
    super::commit_batch(tx, county, actor, "students", source, report).await?;
    phase.done(changed.len() as u64);
    if changed.len() >= ANALYZE_AFTER_ROWS {
        let phase = crate::timing::phase("students", "statistics refreshed");
        db.analyze().await?;
        phase.done(changed.len() as u64);
    }
    progress.advance(changed.len() as u64);
    Ok(())
}
