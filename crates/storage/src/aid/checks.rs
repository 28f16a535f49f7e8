//! What the aid check reads, packed by school: the roll facts and the payments of the terms.

use crate::{Db, Result};
use emis_domain::aid::Payment;
use emis_domain::term::Term;
use sqlx::AssertSqlSafe;

/// Separators inside a packed column (ASCII unit and record separators): never part of a
/// name, an ID number or a code.
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// SQL that packs the rows of a group into one text, fields joined by [`FIELD`] and rows
/// by [`RECORD`]: one row per school comes back instead of one per student, which is what
/// the aid check's time went to (each row crossing the driver's channel and allocated as
/// an `AnyRow`).
fn packed(db: &Db, fields: &[&str]) -> String {
    let (agg, chr) = match db.backend() {
        crate::Backend::Sqlite => ("group_concat", "char"),
        crate::Backend::Postgres => ("string_agg", "chr"),
    };
    let joined = fields.join(&format!(" || {chr}(31) || "));
    format!("{agg}({joined}, {chr}(30)) AS packed")
}

/// One school's packed rows (`packed` of [`packed`]); `school_code` is NULL for payments
/// that name no school.
#[derive(sqlx::FromRow)]
struct Packed {
    school_code: Option<String>,
    packed: String,
}

fn unpack(packed: &str) -> impl Iterator<Item = Vec<&str>> {
    packed
        .split(RECORD)
        .filter(|r| !r.is_empty())
        .map(|r| r.split(FIELD).collect())
}

/// The facts eligibility reads from the roll of some terms (school, name, ID number, grade,
/// boarding, hardship, disability, status, the 孤儿 flag), without the class join and the ordering of
/// `registry::roll`; the other fields of the records are left at defaults.
pub async fn roll_facts(
    db: &Db,
    county: &str,
    terms: &[Term],
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    read_roll_facts(db, county, terms, None).await
}

/// [`roll_facts`] of one school in one term (what a school's proposal is made from).
pub async fn school_roll_facts(
    db: &Db,
    county: &str,
    term: Term,
    school_code: &str,
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    read_roll_facts(db, county, &[term], Some(school_code)).await
}

async fn read_roll_facts(
    db: &Db,
    county: &str,
    terms: &[Term],
    school: Option<&str>,
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    use emis_domain::registry::{Grade, Hardship, Sex, StudentRecord, StudentStatus};
    let sql = format!(
        "SELECT e.school_code, {} FROM enrollments e JOIN students s ON s.id = e.student_id \
         WHERE e.county = $1 AND e.term = $2 AND ($3 IS NULL OR e.school_code = $3) GROUP BY e.school_code",
        packed(
            db,
            &[
                "s.name",
                "s.id_number",
                "e.grade",
                "CAST(e.boarding AS TEXT)",
                "s.hardship",
                "COALESCE(s.disability, '')",
                "e.status",
                "CAST(COALESCE(s.orphan, 0) AS TEXT)",
            ]
        )
    );
    let mut out = Vec::new();
    for term in terms {
        let rows: Vec<Packed> = sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(county)
            .bind(term.code())
            .bind(school)
            .fetch_all(db.pool())
            .await?;
        for row in &rows {
            let school = row.school_code.clone().unwrap_or_default();
            for f in unpack(&row.packed).filter(|f| f.len() == 8) {
                out.push(StudentRecord {
                    school_code: school.clone(),
                    name: f[0].to_string(),
                    sex: Sex::Male,
                    id_number: f[1].to_string(),
                    student_no: None,
                    grade: Grade::parse(f[2]).unwrap_or(Grade::G1),
                    class_number: 0,
                    birth_date: chrono::NaiveDate::default(),
                    ethnicity: None,
                    household_township: None,
                    boarding: f[3] != "0",
                    hardship: Hardship::parse(f[4]).unwrap_or(Hardship::None),
                    disability: (!f[5].is_empty()).then(|| f[5].to_string()),
                    status: StudentStatus::parse(f[6]).unwrap_or(StudentStatus::Enrolled),
                    term: *term,
                    // 孤儿 from the national sheet: read by eligibility (`effective_hardship`).
                    national: emis_domain::national::NationalFacts {
                        orphan: (f[7] == "1").then_some(true),
                        ..Default::default()
                    },
                });
            }
        }
    }
    Ok(out)
}

/// What the aid check reads, each term's roll and payments fetched concurrently (each
/// query on its own pooled connection): the roll facts and the payments of the terms.
pub async fn check_inputs(
    db: &Db,
    county: &str,
    terms: &[Term],
) -> Result<(Vec<emis_domain::registry::StudentRecord>, Vec<Payment>)> {
    let rolls = futures_util::future::try_join_all(
        terms
            .iter()
            .map(|t| roll_facts(db, county, std::slice::from_ref(t))),
    );
    let payments =
        futures_util::future::try_join_all(terms.iter().map(|t| lean_payments(db, county, *t)));
    let (rolls, payments) = futures_util::future::try_join(rolls, payments).await?;
    Ok((
        rolls.into_iter().flatten().collect(),
        payments.into_iter().flatten().collect(),
    ))
}

/// A term's payments as the check compares them, packed by school like the roll.
pub(super) async fn lean_payments(db: &Db, county: &str, term: Term) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT school_code, {} FROM aid_payments WHERE county = $1 AND term = $2 GROUP BY school_code",
        packed(db, &["id_number", "policy_code", "CAST(fen AS TEXT)"])
    );
    let rows: Vec<Packed> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(county)
        .bind(term.code())
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        for f in unpack(&row.packed).filter(|f| f.len() == 3) {
            out.push(Payment {
                id_number: f[0].to_string(),
                policy: f[1].to_string(),
                term,
                fen: f[2].parse().unwrap_or(0),
                school_code: row.school_code.clone(),
            });
        }
    }
    Ok(out)
}
