//! 导出: the import template's columns, ID and phone numbers masked unless asked for in
//! full; every export of personal data is written to the audit log ([`record_export`]).

use crate::imports::ImportKind;
use crate::{AppError, Result};
use emis_domain::identity::mask_id;
use emis_domain::registry::School;
use emis_storage::audit::{Actor, Entry};
use emis_storage::{registry, Db};
use std::collections::HashMap;
use std::path::Path;

#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    pub term: Option<emis_domain::term::Term>,
    pub unmasked: bool,
    /// Only this school (学校标识码), when given.
    pub school: Option<String>,
    /// Students in the national 学籍 template's columns and codes (`--layout national`).
    pub national: bool,
}

/// One export of personal data as the audit log records it. Every such export, masked or
/// not, from a page or the command line, writes one entry through [`record_export`]:
/// action `export` (masked) or `export_unmasked` (full ID numbers: a view of personal data),
/// entity the kind of list, key which one, and `{rows, masked, filter}` after.
pub struct ExportAudit<'a> {
    pub county: &'a str,
    /// What was exported: `students`, `aid_batch`, `aid_gaps`, `population_ledger`, …
    pub kind: &'a str,
    /// Which one: a term, a batch, a ledger, a file name.
    pub key: &'a str,
    /// The scope and filter that chose the rows.
    pub filter: serde_json::Value,
    pub rows: u64,
    pub unmasked: bool,
}

pub async fn record_export(db: &Db, actor: &Actor, e: ExportAudit<'_>) -> Result<()> {
    let mut tx = db.begin().await?;
    Entry::new(
        e.county,
        if e.unmasked {
            "export_unmasked"
        } else {
            "export"
        },
        e.kind,
        e.key,
    )
    .after_json(&serde_json::json!({"rows": e.rows, "masked": !e.unmasked, "filter": e.filter}))
    .record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The data scope of an export, for its audit entry.
pub fn scope_json(scope: &emis_domain::access::Scope) -> serde_json::Value {
    use emis_domain::access::Scope;
    match scope {
        Scope::County { county } => serde_json::json!({"county": county}),
        Scope::Township { township, .. } => serde_json::json!({"township": township}),
        Scope::School { school, .. } => serde_json::json!({"school": school}),
        Scope::Class {
            school,
            grade,
            number,
            ..
        } => serde_json::json!({"school": school, "class": format!("{}{number}班", grade.label())}),
        Scope::Region { code } => serde_json::json!({"region": code}),
    }
}

fn yes_no(b: bool) -> String {
    (if b { "是" } else { "否" }).to_string()
}

/// One student in the national 学籍 template's columns ([`NATIONAL_STUDENT_HEADERS`]):
/// choice columns as `code-label`, dates as 8 digits, the class as its national name.
fn national_student_row(
    s: emis_domain::registry::StudentRecord,
    id: &dyn Fn(&str) -> String,
    unmasked: bool,
) -> Vec<String> {
    use emis_domain::national::{attendance_label, coded, parse_key};
    let n = &s.national;
    let flag = |column: &str, f: Option<bool>| {
        f.map(|f| coded(column, if f { "是" } else { "否" }))
            .unwrap_or_default()
    };
    let (document, _) = parse_key(&s.id_number);
    vec![
        s.school_code.clone(),
        s.name.clone(),
        coded("性别", s.sex.label()),
        s.birth_date.format("%Y%m%d").to_string(),
        coded("身份证件类型", document.label()),
        emis_domain::national::shown_number(&s.id_number, unmasked),
        s.ethnicity
            .as_deref()
            .map(|e| coded("民族", e))
            .unwrap_or_default(),
        s.grade.label().to_string(),
        format!("{}({})班", s.grade.label(), s.class_number),
        s.student_no.as_deref().map(id).unwrap_or_default(),
        n.aux_no.clone().unwrap_or_default(),
        coded("就读方式", attendance_label(s.boarding)),
        s.household_township.clone().unwrap_or_default(),
        n.household_type.clone().unwrap_or_default(),
        n.overseas.clone().unwrap_or_default(),
        n.nationality.clone().unwrap_or_default(),
        n.left_behind
            .map(|l| coded("留守儿童", l.label()))
            .unwrap_or_default(),
        flag("随迁子女", n.migrant),
        flag("孤儿", n.orphan),
        s.hardship.label().to_string(),
        s.disability.clone().unwrap_or_default(),
        s.status.label().to_string(),
        s.term.code(),
    ]
}

/// One student in the import template's columns (`STUDENT_COLUMNS`), every column the
/// record holds filled: the command line's export and the pages' 导出 both write this.
pub fn template_student_row(
    s: emis_domain::registry::StudentRecord,
    unmasked: bool,
) -> Vec<String> {
    let id = |raw: &str| {
        if unmasked {
            raw.to_string()
        } else {
            mask_id(raw)
        }
    };
    let n = &s.national;
    let flag = |f: Option<bool>| f.map(yes_no).unwrap_or_default();
    // 身份证件类型 and 就读方式 are stated for everyone (居民身份证, 走读/住校), so that no
    // column the roll can answer is left empty; the import reads both back.
    let (document, _) = emis_domain::national::parse_key(&s.id_number);
    let document = document.label().to_string();
    let attendance = emis_domain::national::attendance_label(s.boarding).to_string();
    let aux_no = n.aux_no.clone().unwrap_or_default();
    vec![
        s.school_code,
        s.name,
        s.sex.label().to_string(),
        emis_domain::national::shown_number(&s.id_number, unmasked),
        s.grade.label().to_string(),
        s.class_number.to_string(),
        s.birth_date.to_string(),
        s.ethnicity.unwrap_or_default(),
        s.household_township.unwrap_or_default(),
        yes_no(s.boarding),
        s.hardship.label().to_string(),
        s.disability.unwrap_or_default(),
        s.status.label().to_string(),
        s.term.code(),
        s.student_no.map(|n| id(&n)).unwrap_or_default(),
        document,
        attendance,
        n.left_behind
            .map(|l| l.label().to_string())
            .unwrap_or_default(),
        flag(n.migrant),
        flag(n.orphan),
        n.household_type.clone().unwrap_or_default(),
        n.overseas.clone().unwrap_or_default(),
        n.nationality.clone().unwrap_or_default(),
        aux_no,
    ]
}

/// A page's 导出 of the student list: exactly the rows its filters choose (every page, not
/// the one shown), in the account's scope, in the import template's columns with ID numbers
/// masked; audited like every export. Returns the number of rows.
pub async fn student_list(
    db: &Db,
    account: &crate::auth::Account,
    q: &emis_storage::lists::StudentQuery,
    out: &Path,
    source: &str,
) -> Result<u64> {
    let roll = registry::roll_of(db, &account.scope, q).await?;
    let headers: Vec<&str> = ImportKind::Students
        .columns()
        .iter()
        .map(|c| c.name)
        .collect();
    let rows = roll.into_iter().map(|s| template_student_row(s, false));
    let written = emis_io::write_sheet(out, "学生", &headers, rows)?;
    record_export(
        db,
        &account.actor(source),
        ExportAudit {
            county: account.county(),
            kind: "students",
            key: &q.term,
            filter: serde_json::json!({
                "scope": scope_json(&account.scope),
                "term": q.term,
                "township": q.township,
                "school": q.school,
                "grade": q.grade,
                "class": q.class_number,
                "status": q.status,
                // A search may be a full ID number: only whether one was given is kept.
                "searched": q.q.as_deref().is_some_and(|t| !t.trim().is_empty()),
            }),
            rows: written,
            unmasked: false,
        },
    )
    .await?;
    Ok(written)
}

/// Writes the export and returns the number of rows.
pub async fn export(
    db: &Db,
    county: &str,
    kind: ImportKind,
    out: &Path,
    options: &ExportOptions,
    actor: &Actor,
) -> Result<u64> {
    let headers: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
    let id = |raw: &str| {
        if options.unmasked {
            raw.to_string()
        } else {
            mask_id(raw)
        }
    };
    let in_scope = |school: &str| options.school.as_deref().is_none_or(|s| s == school);
    let phase = crate::timing::phase("export", kind.code());
    let written = match kind {
        ImportKind::Schools => {
            let schools = registry::schools(db, county).await?;
            let names: HashMap<String, String> = emis_domain::divisions::county(county)
                .map(|c| {
                    c.townships
                        .iter()
                        .map(|t| (t.code.to_string(), t.name.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let rows = schools
                .into_iter()
                .filter(|s| in_scope(&s.code))
                .map(|s: School| {
                    vec![
                        s.code.clone(),
                        s.name,
                        s.school_type.label().to_string(),
                        names
                            .get(&s.township_code)
                            .cloned()
                            .unwrap_or(s.township_code),
                        s.urban_rural.label().to_string(),
                        s.ownership.label().to_string(),
                        yes_no(s.boarding),
                    ]
                });
            emis_io::write_sheet(out, "学校", &headers, rows)?
        }
        ImportKind::Students => {
            let term = match options.term {
                Some(t) => t.code(),
                None => registry::latest_term(db, county)
                    .await?
                    .ok_or_else(|| AppError::Refused("数据库中还没有学生学籍数据".into()))?,
            };
            let roll = registry::roll(db, county, &term).await?;
            let roll = roll.into_iter().filter(|s| in_scope(&s.school_code));
            if options.national {
                let rows = roll.map(|s| national_student_row(s, &id, options.unmasked));
                let headers = crate::imports::NATIONAL_STUDENT_HEADERS;
                emis_io::write_sheet(out, "学生", headers, rows)?
            } else {
                let rows = roll.map(|s| template_student_row(s, options.unmasked));
                emis_io::write_sheet(out, "学生", &headers, rows)?
            }
        }
        ImportKind::Staff => {
            let mut staff: Vec<_> = registry::load_staff(db, county)
                .await?
                .into_values()
                .collect();
            staff.sort_by(|a, b| {
                (&a.school_code, &a.id_number).cmp(&(&b.school_code, &b.id_number))
            });
            let rows = staff
                .into_iter()
                .filter(|s| in_scope(&s.school_code))
                .map(|s| {
                    vec![
                        s.school_code,
                        s.name,
                        s.sex.label().to_string(),
                        id(&s.id_number),
                        s.post_type.label().to_string(),
                        s.subject.unwrap_or_default(),
                        s.title.unwrap_or_default(),
                        s.channel.map(|c| c.label().to_string()).unwrap_or_default(),
                        s.start_date.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                });
            emis_io::write_sheet(out, "教职工", &headers, rows)?
        }
        ImportKind::Aid => {
            let term = options.term.map(|t| t.code());
            let payments = emis_storage::aid::payment_rows(db, county, term.as_deref()).await?;
            let names: HashMap<(i32, String), String> = {
                let mut m = HashMap::new();
                for year in payments
                    .iter()
                    .filter_map(|p| emis_domain::term::Term::parse(&p.term).map(|t| t.year))
                    .collect::<std::collections::BTreeSet<_>>()
                {
                    for p in crate::aid::catalog(db, county, year).await? {
                        m.insert((year, p.code.clone()), p.name.clone());
                    }
                }
                m
            };
            let rows = payments
                .into_iter()
                .filter(|p| p.school_code.as_deref().is_none_or(in_scope))
                .map(|p| {
                    let year = emis_domain::term::Term::parse(&p.term)
                        .map(|t| t.year)
                        .unwrap_or(0);
                    let person =
                        emis_domain::national::document_cells(&p.id_number, options.unmasked);
                    vec![
                        person.number,
                        names
                            .get(&(year, p.policy.clone()))
                            .cloned()
                            .unwrap_or(p.policy),
                        p.term,
                        emis_domain::aid::yuan(p.fen),
                        p.paid_on.unwrap_or_default(),
                        p.school_code.unwrap_or_default(),
                        person.kind,
                    ]
                });
            emis_io::write_sheet(out, "资助发放", &headers, rows)?
        }
        ImportKind::Poverty => {
            // A county list: an export limited to one school holds none of it.
            let mut list: Vec<(String, (String, Option<String>))> = if options.school.is_some() {
                Vec::new()
            } else {
                emis_storage::dropout::poverty_rows(db, county)
                    .await?
                    .into_iter()
                    .collect()
            };
            list.sort();
            let rows = list
                .into_iter()
                .map(|(number, (name, head))| vec![id(&number), name, head.unwrap_or_default()]);
            emis_io::write_sheet(out, "脱贫户名单", &headers, rows)?
        }
        ImportKind::Hardship => {
            let evidence = emis_storage::aid::all_evidence(db, county).await?;
            let school_of: HashMap<String, String> = match registry::latest_term(db, county).await?
            {
                Some(term) => registry::load_enrollments(db, county, &term)
                    .await?
                    .into_iter()
                    .map(|(id, e)| (id, e.school_code))
                    .collect(),
                None => HashMap::new(),
            };
            let mut students: Vec<_> = registry::load_students(db, county)
                .await?
                .into_values()
                .filter(|s| s.hardship != emis_domain::registry::Hardship::None.label())
                .filter(|s| {
                    options.school.is_none()
                        || school_of.get(&s.id_number).is_some_and(|c| in_scope(c))
                })
                .collect();
            students.sort_by(|a, b| a.id_number.cmp(&b.id_number));
            let rows = students.into_iter().map(|s| {
                let certificate = evidence
                    .get(&(s.id_number.clone(), s.hardship.clone()))
                    .map(|no| {
                        if options.unmasked {
                            no.clone()
                        } else {
                            emis_storage::aid::mask_certificate(no)
                        }
                    })
                    .unwrap_or_default();
                let person = emis_domain::national::document_cells(&s.id_number, options.unmasked);
                vec![
                    person.number,
                    s.hardship,
                    certificate,
                    s.name,
                    person.kind,
                    person.aux_no,
                ]
            });
            emis_io::write_sheet(out, "家庭经济困难认定", &headers, rows)?
        }
        ImportKind::Trainings
        | ImportKind::Awards
        | ImportKind::FundedNormal
        | ImportKind::Studios => {
            let rows = crate::teachers::exports::rows(db, county, kind, &id, &in_scope)
                .await?
                .unwrap_or_default();
            emis_io::write_sheet(out, kind.label(), &headers, rows)?
        }
        ImportKind::Party => {
            let rows = crate::party::export_rows(db, county, kind, &id)
                .await?
                .unwrap_or_default();
            emis_io::write_sheet(out, kind.label(), &headers, rows)?
        }
        ImportKind::Institutions | ImportKind::AfterSchool => {
            let rows = crate::double_reduction::export_rows(db, county, kind, &in_scope)
                .await?
                .unwrap_or_default();
            emis_io::write_sheet(out, kind.label(), &headers, rows)?
        }
        ImportKind::Honours => {
            let rows = crate::honours::export_rows(db, county, &id, &in_scope).await?;
            emis_io::write_sheet(out, kind.label(), &headers, rows)?
        }
        ImportKind::Projects => {
            let rows = crate::projects::export_rows(db, county, &in_scope).await?;
            emis_io::write_sheet(out, kind.label(), &headers, rows)?
        }
    };
    let key = out.file_name().and_then(|n| n.to_str()).unwrap_or("export");
    record_export(
        db,
        actor,
        ExportAudit {
            county,
            kind: kind.code(),
            key,
            filter: serde_json::json!({
                "county": county,
                "term": options.term.map(|t| t.code()),
                "school": options.school,
            }),
            rows: written,
            unmasked: options.unmasked,
        },
    )
    .await?;
    Ok(phase.done(written))
}
