//! 疑似匹配 the roll as matching reads it, and the decisions on probable matches.

use crate::sql::{county_rows, packed, without_separators, Label, Packed};
use crate::{Db, Result, Tx};
use emis_domain::dropout::MatchDecision;
use emis_domain::registry::{Grade, StudentStatus};
use sqlx::AssertSqlSafe;

/// One roll row for matching: ID number, name, sex, birth date, school, status labels.
#[derive(Clone, Debug)]
pub struct RollRow {
    pub id_number: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub school_code: String,
    pub status: String,
}

/// The county's roll of a term. The database hands the rows over as one packed text
/// (`sql::packed`): through the `Any` driver each row and value costs allocations and a
/// hand-off between threads, which for a county's 150,000 students took longer than the
/// matching itself.
pub async fn roll_for_matching(db: &Db, county: &str, term: &str) -> Result<Vec<RollRow>> {
    Ok(packed_roll(db, county, term)
        .await?
        .rows()
        .map(
            |[id_number, name, sex, birth_date, school_code, status]| RollRow {
                id_number: id_number.to_string(),
                name: name.to_string(),
                sex: sex.to_string(),
                birth_date: birth_date.to_string(),
                school_code: school_code.to_string(),
                status: status.to_string(),
            },
        )
        .collect())
}

/// The same roll left packed, its rows read in place: ID number, name, sex, birth date,
/// school, status (a region's comparison reads a hundred counties' rolls so).
pub async fn packed_roll(db: &Db, county: &str, term: &str) -> Result<Packed<6>> {
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT {} FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         WHERE e.county = $1 AND e.term = $2",
        packed(
            db,
            &[
                "s.id_number",
                &without_separators(db, "s.name"),
                "s.sex",
                "s.birth_date",
                "e.school_code",
                "e.status"
            ]
        )
    )))
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?;
    Ok(Packed(text.unwrap_or_default()))
}

/// The children of a population roll (snapshot) in file order, packed and read in place:
/// ID number, name, sex, birth date.
pub async fn packed_persons(db: &Db, snapshot_id: i64) -> Result<Packed<4>> {
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT {} FROM (SELECT id_number, name, sex, birth_date FROM population_persons \
         WHERE snapshot_id = $1 ORDER BY source_row) p",
        packed(
            db,
            &[
                "p.id_number",
                &without_separators(db, "p.name"),
                "p.sex",
                "p.birth_date"
            ]
        )
    )))
    .bind(snapshot_id)
    .fetch_one(db.pool())
    .await?;
    Ok(Packed(text.unwrap_or_default()))
}

/// An officer's decision on a probable match: the child `person_id_number` is (or is not)
/// the roll student `candidate_id`.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MatchDecisionRow {
    pub person_id_number: String,
    pub candidate_id: String,
    /// Stored as its code, `confirmed` or `rejected`.
    #[sqlx(try_from = "Label")]
    pub decision: MatchDecision,
    pub case_id: Option<i64>,
    pub decided_by: String,
    pub decided_at: String,
}

/// Every decision of the county by (child ID number, student ID number): what the next
/// comparison applies.
pub async fn match_decisions(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashMap<(String, String), MatchDecision>> {
    /// A decision as the comparison looks it up.
    #[derive(sqlx::FromRow)]
    struct Pair {
        person_id_number: String,
        candidate_id: String,
        #[sqlx(try_from = "Label")]
        decision: MatchDecision,
    }
    let rows: Vec<Pair> = county_rows(db, "SELECT person_id_number, candidate_id, decision FROM dropout_match_decisions WHERE county = $1", county).await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.person_id_number, r.candidate_id), r.decision))
        .collect())
}

/// The decisions taken about one child, oldest first.
pub async fn match_decisions_of(
    db: &Db,
    county: &str,
    person_id_number: &str,
) -> Result<Vec<MatchDecisionRow>> {
    Ok(sqlx::query_as(
        "SELECT person_id_number, candidate_id, decision, case_id, decided_by, decided_at \
         FROM dropout_match_decisions WHERE county = $1 AND person_id_number = $2 ORDER BY decided_at",
    )
    .bind(county)
    .bind(person_id_number)
    .fetch_all(db.pool())
    .await?)
}

/// Records (or replaces) a decision.
pub async fn record_match_decision(tx: &mut Tx, county: &str, d: &MatchDecisionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO dropout_match_decisions (county, person_id_number, candidate_id, decision, case_id, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (county, person_id_number, candidate_id) DO UPDATE SET \
         decision = excluded.decision, case_id = excluded.case_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(county)
    .bind(&d.person_id_number)
    .bind(&d.candidate_id)
    .bind(d.decision.code())
    .bind(d.case_id)
    .bind(&d.decided_by)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a decision makes of the child's pending probable-match rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidedFinding {
    /// The new finding: the student's placement when confirmed, 疑似辍学 when rejected.
    pub finding: String,
    /// The student's school when confirmed; none when rejected.
    pub school_code: Option<String>,
    /// Whether the child leaves the 疑似辍学 count (confirmed).
    pub leaves_suspected: bool,
    /// Whether the child joins the 在籍不在校 count (confirmed on a 转出/毕业 student).
    pub joins_not_in_school: bool,
}

/// Writes a decision onto every snapshot row where the child still awaits it (finding
/// 疑似匹配待确认 with this candidate), with the snapshots' counts; returns the rows changed.
pub async fn decide_pending_rows(
    tx: &mut Tx,
    county: &str,
    person_id_number: &str,
    candidate_id: &str,
    decided: &DecidedFinding,
) -> Result<u64> {
    let pending =
        "SELECT snapshot_id FROM population_persons WHERE county = $1 AND id_number = $2 \
                   AND candidate_id = $3 AND finding = '疑似匹配待确认'";
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE population_snapshots SET probable = probable - 1, suspected = suspected - $4, \
         not_in_school = not_in_school + $5 WHERE id IN ({pending})"
    )))
    .bind(county)
    .bind(person_id_number)
    .bind(candidate_id)
    .bind(i64::from(decided.leaves_suspected))
    .bind(i64::from(decided.joins_not_in_school))
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE population_persons SET finding = $4, school_code = $5, \
         candidate_id = NULL, candidate_reason = NULL WHERE county = $1 AND id_number = $2 \
         AND candidate_id = $3 AND finding = '疑似匹配待确认'",
    )
    .bind(county)
    .bind(person_id_number)
    .bind(candidate_id)
    .bind(&decided.finding)
    .bind(decided.school_code.clone())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// A student's place on the roll of a term: school, class and status.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RollPlace {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub class_number: i64,
    #[sqlx(try_from = "Label")]
    pub status: StudentStatus,
}

/// Where a student stands on the roll of a term, or `None` when not on it.
pub async fn roll_place(
    db: &Db,
    county: &str,
    id_number: &str,
    term: &str,
) -> Result<Option<RollPlace>> {
    Ok(sqlx::query_as(
        "SELECT s.id_number, s.name, e.school_code, sc.name AS school_name, e.grade, c.number AS class_number, e.status \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id \
         JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code JOIN classes c ON c.county = e.county AND c.id = e.class_id \
         WHERE s.county = $1 AND s.id_number = $2 AND e.term = $3",
    )
    .bind(county)
    .bind(id_number)
    .bind(term)
    .fetch_optional(db.pool())
    .await?)
}
