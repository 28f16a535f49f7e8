//! Proposals (申报) of a school for a term and their lines.

use crate::sql::{insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::aid::ProposalStatus;
use sqlx::AssertSqlSafe;

/// A proposal (申报) of one school for one term, its status by label in JSON.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub school_code: String,
    pub township_code: String,
    pub term: String,
    #[sqlx(try_from = "Label")]
    pub status: ProposalStatus,
    pub sent_back_reason: Option<String>,
    pub proposed_by: String,
    pub checked_by: Option<String>,
    pub approved_by: Option<String>,
    pub lines: i64,
    pub fen: i64,
}

/// One line of a proposal.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LineRow {
    pub id_number: String,
    pub name: String,
    pub policy: String,
    pub fen: i64,
}

const PROPOSAL_COLUMNS: &str = "p.id, p.school_code, p.township_code, p.term, p.status, p.sent_back_reason, p.proposed_by, p.checked_by, p.approved_by, \
     (SELECT COUNT(*) FROM aid_proposal_lines l WHERE l.proposal_id = p.id) AS lines, \
     (SELECT CAST(COALESCE(SUM(l.fen), 0) AS BIGINT) FROM aid_proposal_lines l WHERE l.proposal_id = p.id) AS fen";

/// Creates or replaces a school's proposal for a term (its lines are replaced) and
/// returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn write_proposal(
    tx: &mut Tx,
    county: &str,
    school_code: &str,
    township_code: &str,
    term: &str,
    status: ProposalStatus,
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
            .bind(status.label())
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
            .bind(status.label())
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
    status: ProposalStatus,
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
    .bind(status.label())
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
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM aid_proposals p WHERE p.county = $1 AND ($2 IS NULL OR p.term = $2) \
         ORDER BY p.term, p.school_code"
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?)
}

/// The filters, order and page of the proposals' list (`proposals_page`); `status` is a
/// proposal status label, `sort` one of [`PROPOSAL_SORTS`] (default: term, school).
pub type ProposalQuery = super::AidListQuery;

/// The sortable columns of the proposals' list.
pub const PROPOSAL_SORTS: &[&str] = &["school", "status", "lines", "fen"];

/// A page of the proposals in the scope, filtered, counted and sorted in the database.
pub async fn proposals_page(
    db: &Db,
    scope: &emis_domain::access::Scope,
    q: &ProposalQuery,
) -> Result<crate::lists::Page<ProposalRow>> {
    use crate::sql::{rows_as, Sql};
    let (page, per_page) = crate::lists::bounded(q.page, q.per_page);
    let filter = |sql: &mut Sql| {
        sql.push(" WHERE p.county = ").bind_text(scope.county());
        crate::lists::scope_filter(sql, scope, "p.school_code");
        if let Some(t) = &q.term {
            sql.push(" AND p.term = ").bind_text(t.clone());
        }
        if let Some(t) = &q.township {
            sql.push(" AND p.township_code = ").bind_text(t.clone());
        }
        if let Some(s) = &q.school {
            sql.push(" AND p.school_code = ").bind_text(s.clone());
        }
        if let Some(s) = &q.status {
            sql.push(" AND p.status = ").bind_text(s.clone());
        }
    };
    let mut count = Sql::count("FROM aid_proposals p");
    filter(&mut count);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(&format!("SELECT {PROPOSAL_COLUMNS} FROM aid_proposals p"));
    filter(&mut sql);
    let direction = if q.desc { "DESC" } else { "ASC" };
    let order = match q.sort.as_deref() {
        Some("school") => format!("p.school_code {direction}, p.term"),
        Some("status") => format!("p.status {direction}, p.school_code"),
        Some("lines") => format!("lines {direction}, p.school_code"),
        Some("fen") => format!("fen {direction}, p.school_code"),
        _ => format!("p.term {direction}, p.school_code"),
    };
    sql.push(&format!(" ORDER BY {order}")).page(page, per_page);
    Ok(crate::lists::Page {
        items: rows_as(&sql.fetch_all(db).await?)?,
        total,
        page,
        per_page,
    })
}

pub async fn proposal(db: &Db, county: &str, id: i64) -> Result<Option<ProposalRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM aid_proposals p WHERE p.county = $1 AND p.id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn proposal_lines(db: &Db, id: i64) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(
        "SELECT id_number, name, policy_code AS policy, fen FROM aid_proposal_lines WHERE proposal_id = $1 \
         ORDER BY policy_code, id_number",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?)
}
