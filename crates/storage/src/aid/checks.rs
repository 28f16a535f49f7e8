//! What the aid check reads, packed by school: the roll facts and the payments of the terms.

use crate::sql::{packed, unpack};
use crate::{Db, Result};
use emis_domain::aid::Payment;
use emis_domain::term::Term;
use sqlx::AssertSqlSafe;

/// One school's packed rows (`packed` of [`packed`]); `school_code` is NULL for payments
/// that name no school.
#[derive(sqlx::FromRow)]
struct Packed {
    school_code: Option<String>,
    packed: String,
}

/// The facts eligibility reads from the roll of some terms (school, name, ID number, grade,
/// boarding, hardship, disability, status, the 孤儿 flag), without the class join and the ordering of
/// `registry::roll`; the other fields of the records are left at defaults.
pub async fn roll_facts(
    db: &Db,
    county: &str,
    terms: &[Term],
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    read_roll_facts(db, county, terms, None, "").await
}

/// [`roll_facts`] of one school in one term (what a school's proposal is made from).
pub async fn school_roll_facts(
    db: &Db,
    county: &str,
    term: Term,
    school_code: &str,
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    read_roll_facts(db, county, &[term], Some(school_code), "").await
}

/// [`roll_facts`] of a term narrowed to some grades (every grade when none): the students a
/// policy with a 名额 may cover, ranked one by one (`aid::missed_ranked`). A grade the
/// domain reads from another spelling (初一, a full-width label) is kept too, so the roll
/// narrows only by grades that cannot be covered.
pub async fn roll_facts_in_grades(
    db: &Db,
    county: &str,
    term: Term,
    grades: &[emis_domain::registry::Grade],
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    use emis_domain::registry::Grade;
    if grades.is_empty() {
        return roll_facts(db, county, &[term]).await;
    }
    // Labels are the domain's own constants, never user text.
    let quoted = |list: &mut dyn Iterator<Item = &Grade>| -> String {
        list.map(|g| format!("'{}'", g.label()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let filter = format!(
        " AND (e.grade IN ({}) OR e.grade NOT IN ({}))",
        quoted(&mut grades.iter()),
        quoted(&mut Grade::ALL.iter())
    );
    read_roll_facts(db, county, &[term], None, &filter).await
}

/// The ID numbers paid under a policy in a term.
pub async fn paid_ids(db: &Db, county: &str, term: Term, policy: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT id_number FROM aid_payments WHERE county = $1 AND term = $2 AND policy_code = $3",
    )
    .bind(county)
    .bind(term.code())
    .bind(policy)
    .fetch_all(db.pool())
    .await?)
}

async fn read_roll_facts(
    db: &Db,
    county: &str,
    terms: &[Term],
    school: Option<&str>,
    filter: &str,
) -> Result<Vec<emis_domain::registry::StudentRecord>> {
    let sql = format!(
        "SELECT e.school_code, {} FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         WHERE e.county = $1 AND e.term = $2 AND ($3 IS NULL OR e.school_code = $3){filter} GROUP BY e.school_code",
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
            for f in unpack::<8>(&row.packed) {
                let facts = Facts {
                    grade: f[2],
                    boarding: f[3] != "0",
                    hardship: f[4],
                    disability: (!f[5].is_empty()).then(|| f[5].to_string()),
                    status: f[6],
                    orphan: f[7] == "1",
                };
                out.push(facts.record(&school, f[0], f[1], *term));
            }
        }
    }
    Ok(out)
}

/// What eligibility reads of a student-term, as the roll stores it; read into a record
/// alike whether the roll comes student by student or counted by these facts.
struct Facts<'a> {
    grade: &'a str,
    boarding: bool,
    hardship: &'a str,
    disability: Option<String>,
    status: &'a str,
    orphan: bool,
}

impl Facts<'_> {
    fn record(
        self,
        school: &str,
        name: &str,
        id_number: &str,
        term: Term,
    ) -> emis_domain::registry::StudentRecord {
        use emis_domain::registry::{Grade, Hardship, Sex, StudentRecord, StudentStatus};
        StudentRecord {
            school_code: school.to_string(),
            name: name.to_string(),
            sex: Sex::Male,
            id_number: id_number.to_string(),
            student_no: None,
            grade: Grade::parse(self.grade).unwrap_or(Grade::G1),
            class_number: 0,
            birth_date: chrono::NaiveDate::default(),
            ethnicity: None,
            household_township: None,
            boarding: self.boarding,
            hardship: Hardship::parse(self.hardship).unwrap_or(Hardship::None),
            disability: self.disability,
            status: StudentStatus::parse(self.status).unwrap_or(StudentStatus::Enrolled),
            term,
            // 孤儿 from the national sheet: read by eligibility (`effective_hardship`).
            national: emis_domain::national::NationalFacts {
                orphan: self.orphan.then_some(true),
                ..Default::default()
            },
        }
    }
}

/// The columns of [`Facts`] over `enrollments e JOIN students s`, the same expressions as
/// [`roll_facts`] reads (a disability is any text; 孤儿 is the flag 1), for a GROUP BY.
const FACT_COLUMNS: &str = "e.school_code, e.grade, e.boarding, s.hardship, \
     CAST(CASE WHEN COALESCE(s.disability, '') = '' THEN 0 ELSE 1 END AS BIGINT) AS disabled, \
     CAST(CASE WHEN COALESCE(s.orphan, 0) = 1 THEN 1 ELSE 0 END AS BIGINT) AS orphan, e.status";

/// One row of [`FACT_COLUMNS`] with what is counted.
#[derive(sqlx::FromRow)]
struct FactRow {
    school_code: String,
    grade: String,
    boarding: i64,
    hardship: String,
    disabled: i64,
    orphan: i64,
    status: String,
    #[sqlx(default)]
    policy_code: String,
    counted: i64,
}

impl FactRow {
    fn record(&self, term: Term) -> emis_domain::registry::StudentRecord {
        let facts = Facts {
            grade: &self.grade,
            boarding: self.boarding != 0,
            hardship: &self.hardship,
            // Only whether one is recorded is read.
            disability: (self.disabled != 0).then(String::new),
            status: &self.status,
            orphan: self.orphan != 0,
        };
        facts.record(&self.school_code, "", "", term)
    }
}

/// The roll of a term counted by the facts eligibility reads: a few thousand groups where
/// [`roll_facts`] reads every student, for `aid.missed` (domain `aid::missed_count`).
pub async fn roll_groups(
    db: &Db,
    county: &str,
    term: Term,
) -> Result<Vec<emis_domain::aid::RollGroup>> {
    let rows: Vec<FactRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {FACT_COLUMNS}, CAST(COUNT(*) AS BIGINT) AS counted \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         WHERE e.county = $1 AND e.term = $2 GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )))
    .bind(county)
    .bind(term.code())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| emis_domain::aid::RollGroup {
            record: r.record(term),
            students: u64::try_from(r.counted).unwrap_or(0),
        })
        .collect())
}

/// The distinct paid (student, policy) keys of a term whose payee is on the roll of the
/// term (any status), counted by the policy and the payee's facts.
pub async fn paid_groups(
    db: &Db,
    county: &str,
    term: Term,
) -> Result<Vec<emis_domain::aid::PaidGroup>> {
    let rows: Vec<FactRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {FACT_COLUMNS}, p.policy_code, CAST(COUNT(DISTINCT p.id_number) AS BIGINT) AS counted \
         FROM aid_payments p JOIN students s ON s.county = p.county AND s.id_number = p.id_number \
         JOIN enrollments e ON e.county = s.county AND e.student_id = s.id AND e.term = p.term AND e.county = p.county \
         WHERE p.county = $1 AND p.term = $2 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    )))
    .bind(county)
    .bind(term.code())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| emis_domain::aid::PaidGroup {
            record: r.record(term),
            policy: r.policy_code.clone(),
            keys: u64::try_from(r.counted).unwrap_or(0),
        })
        .collect())
}

/// 资助人次 and fen of a term's payments, counted by the database: distinct (student,
/// policy) of the term, and every payment's amount (as `aid::summarize` counts them).
pub async fn payment_totals(db: &Db, county: &str, term: Term) -> Result<(u64, i64)> {
    #[derive(sqlx::FromRow)]
    struct Totals {
        person_times: i64,
        fen: i64,
    }
    let t: Totals = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) AS person_times, CAST(COALESCE(SUM(k.fen), 0) AS BIGINT) AS fen \
         FROM (SELECT SUM(fen) AS fen FROM aid_payments WHERE county = $1 AND term = $2 \
         GROUP BY id_number, policy_code) k",
    )
    .bind(county)
    .bind(term.code())
    .fetch_one(db.pool())
    .await?;
    Ok((u64::try_from(t.person_times).unwrap_or(0), t.fen))
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
        for f in unpack::<3>(&row.packed) {
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
