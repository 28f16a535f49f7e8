//! 学生资助 storage: the policy catalog per year, proposals and their lines, batches,
//! payments and hardship evidence.

use crate::sql::insert_many;
use crate::{Db, Result, StorageError, Tx};
use emis_domain::aid::{Payment, Policy};
use emis_domain::term::Term;
use sqlx::{AssertSqlSafe, Row};

/// Writes (or replaces) a year's policies.
pub async fn write_policies(
    tx: &mut Tx,
    county: &str,
    policies: &[Policy],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    for p in policies {
        let json = serde_json::to_string(p).map_err(|e| StorageError::Document {
            what: "aid policy",
            detail: e.to_string(),
        })?;
        sqlx::query(
            "INSERT INTO aid_policies (county, year, code, name, policy_json, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (county, year, code) DO UPDATE SET \
             name = excluded.name, policy_json = excluded.policy_json, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(county)
        .bind(i64::from(p.year))
        .bind(&p.code)
        .bind(&p.name)
        .bind(json)
        .bind(by)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The stored policies of a year, in the order they were first written.
pub async fn policies(db: &Db, county: &str, year: i32) -> Result<Vec<Policy>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT policy_json FROM aid_policies WHERE county = $1 AND year = $2 ORDER BY id",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|j| {
            serde_json::from_str(j).map_err(|e| StorageError::Document {
                what: "aid policy",
                detail: e.to_string(),
            })
        })
        .collect()
}

/// A stored payment with its row key (for idempotent re-import).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaymentRow {
    pub row_key: String,
    pub id_number: String,
    pub policy: String,
    pub term: String,
    pub fen: i64,
    pub paid_on: Option<String>,
    pub school_code: Option<String>,
    pub batch_id: Option<i64>,
}

/// The row keys already stored.
pub async fn payment_keys(db: &Db, county: &str) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT row_key FROM aid_payments WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

/// Inserts payments; rows whose key is already stored are left as they are.
pub async fn insert_payments(
    tx: &mut Tx,
    county: &str,
    rows: &[PaymentRow],
    source: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "aid_payments",
        &[
            "county",
            "row_key",
            "id_number",
            "policy_code",
            "term",
            "fen",
            "paid_on",
            "school_code",
            "batch_id",
            "source",
            "imported_at",
        ],
        "ON CONFLICT (county, row_key) DO NOTHING",
        rows,
        |q, r| {
            q.bind(county)
                .bind(&r.row_key)
                .bind(&r.id_number)
                .bind(&r.policy)
                .bind(&r.term)
                .bind(r.fen)
                .bind(r.paid_on.clone())
                .bind(r.school_code.clone())
                .bind(r.batch_id)
                .bind(source)
                .bind(&now)
        },
    )
    .await?;
    Ok(())
}

fn payment_row(r: &sqlx::any::AnyRow) -> PaymentRow {
    PaymentRow {
        row_key: r.get(0),
        id_number: r.get(1),
        policy: r.get(2),
        term: r.get(3),
        fen: r.get(4),
        paid_on: r.get(5),
        school_code: r.get(6),
        batch_id: r.get(7),
    }
}

const PAYMENT_COLUMNS: &str =
    "row_key, id_number, policy_code, term, fen, paid_on, school_code, batch_id";

/// The payments of some terms, as the domain compares them.
pub async fn payments(db: &Db, county: &str, terms: &[Term]) -> Result<Vec<Payment>> {
    let mut out = Vec::new();
    for term in terms {
        out.extend(lean_payments(db, county, *term).await?);
    }
    Ok(out)
}

/// One student's payments, latest term first.
pub async fn student_payments(db: &Db, county: &str, id_number: &str) -> Result<Vec<PaymentRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND id_number = $2 ORDER BY term DESC, policy_code"
    )))
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(payment_row).collect())
}

/// A proposal (申报) of one school for one term.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, schemars::JsonSchema)]
pub struct ProposalRow {
    pub id: i64,
    pub school_code: String,
    pub township_code: String,
    pub term: String,
    pub status: String,
    pub sent_back_reason: Option<String>,
    pub proposed_by: String,
    pub checked_by: Option<String>,
    pub approved_by: Option<String>,
    pub lines: i64,
    pub fen: i64,
}

/// One line of a proposal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineRow {
    pub id_number: String,
    pub name: String,
    pub policy: String,
    pub fen: i64,
}

const PROPOSAL_COLUMNS: &str = "p.id, p.school_code, p.township_code, p.term, p.status, p.sent_back_reason, p.proposed_by, p.checked_by, p.approved_by, \
     (SELECT COUNT(*) FROM aid_proposal_lines l WHERE l.proposal_id = p.id), \
     (SELECT CAST(COALESCE(SUM(l.fen), 0) AS BIGINT) FROM aid_proposal_lines l WHERE l.proposal_id = p.id)";

fn proposal_row(r: &sqlx::any::AnyRow) -> ProposalRow {
    ProposalRow {
        id: r.get(0),
        school_code: r.get(1),
        township_code: r.get(2),
        term: r.get(3),
        status: r.get(4),
        sent_back_reason: r.get(5),
        proposed_by: r.get(6),
        checked_by: r.get(7),
        approved_by: r.get(8),
        lines: r.get(9),
        fen: r.get(10),
    }
}

/// Creates or replaces a school's proposal for a term (its lines are replaced) and
/// returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn write_proposal(
    tx: &mut Tx,
    county: &str,
    school_code: &str,
    township_code: &str,
    term: &str,
    status: &str,
    by: &str,
    lines: &[LineRow],
) -> Result<i64> {
    let now = crate::now_text();
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM aid_proposals WHERE county = $1 AND school_code = $2 AND term = $3",
    )
    .bind(county)
    .bind(school_code)
    .bind(term)
    .fetch_optional(&mut **tx)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE aid_proposals SET status = $1, sent_back_reason = NULL, proposed_by = $2, proposed_at = $3, \
                 checked_by = NULL, checked_at = NULL, approved_by = NULL, approved_at = NULL WHERE id = $4",
            )
            .bind(status)
            .bind(by)
            .bind(&now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM aid_proposal_lines WHERE proposal_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO aid_proposals (county, school_code, township_code, term, status, proposed_by, proposed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(county)
            .bind(school_code)
            .bind(township_code)
            .bind(term)
            .bind(status)
            .bind(by)
            .bind(&now)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    insert_many(
        tx,
        "aid_proposal_lines",
        &[
            "county",
            "proposal_id",
            "id_number",
            "name",
            "policy_code",
            "fen",
        ],
        "",
        lines,
        |q, l| {
            q.bind(county)
                .bind(id)
                .bind(&l.id_number)
                .bind(&l.name)
                .bind(&l.policy)
                .bind(l.fen)
        },
    )
    .await?;
    Ok(id)
}

/// Moves a proposal to a status; `reason` is set when it is sent back.
pub async fn set_proposal_status(
    tx: &mut Tx,
    id: i64,
    status: &str,
    reason: Option<&str>,
    checked_by: Option<&str>,
    approved_by: Option<&str>,
) -> Result<()> {
    let now = crate::now_text();
    sqlx::query(
        "UPDATE aid_proposals SET status = $1, sent_back_reason = $2, \
         checked_by = COALESCE($3, checked_by), checked_at = CASE WHEN $3 IS NULL THEN checked_at ELSE $5 END, \
         approved_by = COALESCE($4, approved_by), approved_at = CASE WHEN $4 IS NULL THEN approved_at ELSE $5 END \
         WHERE id = $6",
    )
    .bind(status)
    .bind(reason)
    .bind(checked_by)
    .bind(approved_by)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Proposals of a county (optionally one term), in school order.
pub async fn proposals(db: &Db, county: &str, term: Option<&str>) -> Result<Vec<ProposalRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM aid_proposals p WHERE p.county = $1 AND ($2 IS NULL OR p.term = $2) \
         ORDER BY p.term, p.school_code"
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(proposal_row).collect())
}

pub async fn proposal(db: &Db, county: &str, id: i64) -> Result<Option<ProposalRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM aid_proposals p WHERE p.county = $1 AND p.id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(proposal_row))
}

pub async fn proposal_lines(db: &Db, id: i64) -> Result<Vec<LineRow>> {
    let rows = sqlx::query(
        "SELECT id_number, name, policy_code, fen FROM aid_proposal_lines WHERE proposal_id = $1 ORDER BY policy_code, id_number",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| LineRow {
            id_number: r.get(0),
            name: r.get(1),
            policy: r.get(2),
            fen: r.get(3),
        })
        .collect())
}

/// A disbursement batch (发放批次) made from an approved proposal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct BatchRow {
    pub id: i64,
    pub proposal_id: i64,
    pub term: String,
    pub school_code: String,
    pub lines: i64,
    pub fen: i64,
    pub status: String,
    pub created_by: String,
}

pub async fn insert_batch(tx: &mut Tx, county: &str, b: &BatchRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO aid_batches (county, proposal_id, term, school_code, lines, fen, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(county)
    .bind(b.proposal_id)
    .bind(&b.term)
    .bind(&b.school_code)
    .bind(b.lines)
    .bind(b.fen)
    .bind(&b.status)
    .bind(&b.created_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn batches(db: &Db, county: &str) -> Result<Vec<BatchRow>> {
    let rows = sqlx::query(
        "SELECT id, proposal_id, term, school_code, lines, fen, status, created_by FROM aid_batches WHERE county = $1 ORDER BY id",
    )
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| BatchRow {
            id: r.get(0),
            proposal_id: r.get(1),
            term: r.get(2),
            school_code: r.get(3),
            lines: r.get(4),
            fen: r.get(5),
            status: r.get(6),
            created_by: r.get(7),
        })
        .collect())
}

/// A batch's status (待发放 / 部分发放 / 已发放), set from the payments imported back.
pub async fn set_batch_status(tx: &mut Tx, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE aid_batches SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One batch of a county, or `None`.
pub async fn batch(db: &Db, county: &str, id: i64) -> Result<Option<BatchRow>> {
    Ok(batches(db, county).await?.into_iter().find(|b| b.id == id))
}

/// Hardship evidence: `(id_number, kind, certificate_no)`.
pub async fn write_evidence(
    tx: &mut Tx,
    county: &str,
    rows: &[(String, String, String)],
) -> Result<()> {
    insert_many(
        tx,
        "aid_evidence",
        &["county", "id_number", "kind", "certificate_no"],
        "ON CONFLICT (county, id_number, kind) DO UPDATE SET certificate_no = excluded.certificate_no",
        rows,
        |q, (id, kind, no)| {
        q.bind(county).bind(id).bind(kind).bind(no)
        },
    )
    .await?;
    Ok(())
}

/// Every stored certificate: `(id_number, kind)` → certificate number.
pub async fn all_evidence(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), String>> {
    let rows =
        sqlx::query("SELECT id_number, kind, certificate_no FROM aid_evidence WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect())
}

/// Sets students' hardship type (`(id_number, label)`), which eligibility reads.
pub async fn set_hardship(tx: &mut Tx, county: &str, rows: &[(String, String)]) -> Result<()> {
    for (id_number, hardship) in rows {
        sqlx::query("UPDATE students SET hardship = $1 WHERE county = $2 AND id_number = $3")
            .bind(hardship)
            .bind(county)
            .bind(id_number)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A student's hardship evidence: `(kind, certificate_no)`.
pub async fn evidence(db: &Db, county: &str, id_number: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT kind, certificate_no FROM aid_evidence WHERE county = $1 AND id_number = $2 ORDER BY kind",
    )
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Masks a certificate number like an ID number: first 3 and last 2 characters kept.
pub fn mask_certificate(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 5));
    out.extend(&chars[chars.len() - 2..]);
    out
}

/// Every stored payment (optionally of one term), ordered by term, student and policy.
pub async fn payment_rows(db: &Db, county: &str, term: Option<&str>) -> Result<Vec<PaymentRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND ($2 IS NULL OR term = $2) \
         ORDER BY term, id_number, policy_code"
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(payment_row).collect())
}

/// The payments of a term that can count against a school's batch: those naming the
/// school, and those naming none.
pub async fn batch_payments(
    db: &Db,
    county: &str,
    term: &str,
    school_code: &str,
) -> Result<Vec<PaymentRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM aid_payments WHERE county = $1 AND term = $2 \
         AND (school_code = $3 OR school_code IS NULL) ORDER BY id_number, policy_code"
    )))
    .bind(county)
    .bind(term)
    .bind(school_code)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(payment_row).collect())
}

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
    format!("{agg}({joined}, {chr}(30))")
}

fn unpack(packed: &str) -> impl Iterator<Item = Vec<&str>> {
    packed
        .split(RECORD)
        .filter(|r| !r.is_empty())
        .map(|r| r.split(FIELD).collect())
}

/// The facts eligibility reads from the roll of some terms (school, name, ID number, grade,
/// boarding, hardship, disability, status), without the class join and the ordering of
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
            ]
        )
    );
    let mut out = Vec::new();
    for term in terms {
        let rows = sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(county)
            .bind(term.code())
            .bind(school)
            .fetch_all(db.pool())
            .await?;
        for row in &rows {
            let school: String = row.get(0);
            let students: String = row.get(1);
            for f in unpack(&students).filter(|f| f.len() == 7) {
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
async fn lean_payments(db: &Db, county: &str, term: Term) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT school_code, {} FROM aid_payments WHERE county = $1 AND term = $2 GROUP BY school_code",
        packed(db, &["id_number", "policy_code", "CAST(fen AS TEXT)"])
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(county)
        .bind(term.code())
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        let school: Option<String> = row.get(0);
        let payments: String = row.get(1);
        for f in unpack(&payments).filter(|f| f.len() == 3) {
            out.push(Payment {
                id_number: f[0].to_string(),
                policy: f[1].to_string(),
                term,
                fen: f[2].parse().unwrap_or(0),
                school_code: school.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn certificates_are_masked_like_id_numbers() {
        assert_eq!(
            super::mask_certificate("DB43122412345678"),
            "DB4***********78"
        );
        assert_eq!(super::mask_certificate("12345"), "*****");
    }
}
