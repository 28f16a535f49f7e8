//! 隐患台账: hazards, their lists by scope and filter, and the facts for indicators.

use crate::lists::{scope_filter, Page};
use crate::sql::{insert_many, rows_as, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::safety::{Area, Grade, Status};

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct HazardRow {
    pub id: i64,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    /// 安全 (the hazard ledger) or 双减 (a 专项督查's problems).
    #[sqlx(try_from = "Label")]
    pub area: Area,
    pub inspection_id: Option<i64>,
    pub place: String,
    pub category: String,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
    pub description: String,
    pub found_on: String,
    pub found_by: String,
    pub responsible: Option<String>,
    pub measures: Option<String>,
    pub deadline: Option<String>,
    pub budget_fen: i64,
    #[sqlx(try_from = "Label")]
    pub status: Status,
    pub result: Option<String>,
    pub rectified_on: Option<String>,
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    pub closed_on: Option<String>,
    pub sent_back_reason: Option<String>,
}

const HAZARD_COLUMNS: &str = "h.id, h.school_code, s.name AS school_name, s.township_code, h.area, h.inspection_id, h.place, h.category, h.grade, \
    h.description, h.found_on, h.found_by, h.responsible, h.measures, h.deadline, h.budget_fen, h.status, h.result, \
    h.rectified_on, h.review, h.reviewed_by, h.closed_on, h.sent_back_reason";

#[derive(Clone, Debug, Default)]
pub struct HazardQuery {
    /// The area listed (the safety ledger unless asked).
    pub area: Area,
    pub status: Option<String>,
    pub grade: Option<String>,
    pub category: Option<String>,
    pub school: Option<String>,
    pub township: Option<String>,
    /// Only hazards not closed whose deadline is before this day (ISO).
    pub overdue_on: Option<String>,
    /// Only hazards not closed.
    pub open_only: bool,
    /// 排查时间 from / to (ISO, inclusive).
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    /// `found_on` (default: newest first), `school`, `deadline`, `status`.
    pub sort: Option<String>,
    pub desc: bool,
    pub page: i64,
    /// 0 lists every match (the ledger export).
    pub per_page: i64,
}

/// The scope's problems of every area (one problem is found by id whatever its area).
fn scope_where(sql: &mut Sql, scope: &Scope) {
    sql.push(" WHERE h.county = ").bind_text(scope.county());
    scope_filter(sql, scope, "h.school_code");
}

pub(super) fn hazard_where(sql: &mut Sql, scope: &Scope, q: &HazardQuery) {
    scope_where(sql, scope);
    sql.push(" AND h.area = ").bind_text(q.area.label());
    if let Some(v) = &q.status {
        sql.push(" AND h.status = ").bind_text(v.clone());
    }
    if let Some(v) = &q.grade {
        sql.push(" AND h.grade = ").bind_text(v.clone());
    }
    if let Some(v) = &q.category {
        sql.push(" AND h.category = ").bind_text(v.clone());
    }
    if let Some(v) = &q.school {
        sql.push(" AND h.school_code = ").bind_text(v.clone());
    }
    if let Some(v) = &q.township {
        sql.push(" AND s.township_code = ").bind_text(v.clone());
    }
    if q.open_only || q.overdue_on.is_some() {
        sql.push(" AND h.status <> '已销号'");
    }
    if let Some(v) = &q.overdue_on {
        sql.push(" AND h.deadline IS NOT NULL AND h.deadline < ")
            .bind_text(v.clone());
    }
    if let Some(v) = &q.from {
        sql.push(" AND h.found_on >= ").bind_text(v.clone());
    }
    if let Some(v) = &q.to {
        sql.push(" AND h.found_on <= ").bind_text(v.clone());
    }
    if let Some(v) = q.q.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        let like = format!("%{v}%");
        sql.push(" AND (h.description LIKE ")
            .bind_text(like.clone())
            .push(" OR h.place LIKE ")
            .bind_text(like.clone())
            .push(" OR s.name LIKE ")
            .bind_text(like)
            .push(")");
    }
}

pub async fn hazards(db: &Db, scope: &Scope, q: &HazardQuery) -> Result<Page<HazardRow>> {
    let window = crate::lists::bounded_or_all(q.page, q.per_page);
    let all = window.is_none();
    let (page, per_page) = window.unwrap_or((q.page.max(1), 0));
    let mut count = Sql::count(
        "FROM safety_hazards h JOIN schools s ON s.county = h.county AND s.code = h.school_code",
    );
    hazard_where(&mut count, scope, q);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(&format!(
        "SELECT {HAZARD_COLUMNS} FROM safety_hazards h JOIN schools s ON s.county = h.county AND s.code = h.school_code"
    ));
    hazard_where(&mut sql, scope, q);
    let dir = if q.desc { "DESC" } else { "ASC" };
    let order = match q.sort.as_deref() {
        Some("found_on") => format!("h.found_on {dir}, h.id {dir}"),
        Some("school") => format!("s.name {dir}, h.found_on DESC, h.id DESC"),
        Some("deadline") => format!("h.deadline {dir}, h.id DESC"),
        Some("status") => format!("h.status {dir}, h.found_on DESC, h.id DESC"),
        _ => "h.found_on DESC, h.id DESC".to_string(),
    };
    sql.push(&format!(" ORDER BY {order}"));
    if !all {
        sql.page(page, per_page);
    }
    let items = rows_as::<HazardRow>(&sql.fetch_all(db).await?)?;
    Ok(Page {
        items,
        total,
        page,
        per_page: if all { total.max(1) } else { per_page },
    })
}

/// One hazard if the scope sees it.
pub async fn hazard(db: &Db, scope: &Scope, id: i64) -> Result<Option<HazardRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {HAZARD_COLUMNS} FROM safety_hazards h JOIN schools s ON s.county = h.county AND s.code = h.school_code"
    ));
    scope_where(&mut sql, scope);
    sql.push(" AND h.id = ").bind_int(id);
    Ok(rows_as::<HazardRow>(&sql.fetch_all(db).await?)?
        .into_iter()
        .next())
}

pub async fn insert_hazard(tx: &mut Tx, county: &str, h: &HazardRow) -> Result<i64> {
    let now = crate::now_text();
    Ok(sqlx::query_scalar(
        "INSERT INTO safety_hazards (county, school_code, area, inspection_id, place, category, grade, description, found_on, found_by, \
         responsible, measures, deadline, budget_fen, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(county)
    .bind(&h.school_code)
    .bind(h.area.label())
    .bind(h.inspection_id)
    .bind(&h.place)
    .bind(&h.category)
    .bind(h.grade.label())
    .bind(&h.description)
    .bind(&h.found_on)
    .bind(&h.found_by)
    .bind(h.responsible.clone())
    .bind(h.measures.clone())
    .bind(h.deadline.clone())
    .bind(h.budget_fen)
    .bind(h.status.label())
    .bind(now.clone())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Writes the workflow columns of a hazard (everything a step may change).
pub async fn save_hazard(tx: &mut Tx, h: &HazardRow) -> Result<()> {
    sqlx::query(
        "UPDATE safety_hazards SET responsible = $1, measures = $2, deadline = $3, budget_fen = $4, status = $5, \
         result = $6, rectified_on = $7, review = $8, reviewed_by = $9, closed_on = $10, sent_back_reason = $11, \
         updated_at = $12 WHERE id = $13",
    )
    .bind(h.responsible.clone())
    .bind(h.measures.clone())
    .bind(h.deadline.clone())
    .bind(h.budget_fen)
    .bind(h.status.label())
    .bind(h.result.clone())
    .bind(h.rectified_on.clone())
    .bind(h.review.clone())
    .bind(h.reviewed_by.clone())
    .bind(h.closed_on.clone())
    .bind(h.sent_back_reason.clone())
    .bind(crate::now_text())
    .bind(h.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Bulk load of finished hazards (the demo), every column at once.
pub async fn write_hazards(tx: &mut Tx, county: &str, rows: &[HazardRow]) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "safety_hazards",
        &[
            "county",
            "school_code",
            "area",
            "inspection_id",
            "place",
            "category",
            "grade",
            "description",
            "found_on",
            "found_by",
            "responsible",
            "measures",
            "deadline",
            "budget_fen",
            "status",
            "result",
            "rectified_on",
            "review",
            "reviewed_by",
            "closed_on",
            "created_at",
            "updated_at",
        ],
        "",
        rows,
        |q, h| {
            q.bind(county)
                .bind(&h.school_code)
                .bind(h.area.label())
                .bind(h.inspection_id)
                .bind(&h.place)
                .bind(&h.category)
                .bind(h.grade.label())
                .bind(&h.description)
                .bind(&h.found_on)
                .bind(&h.found_by)
                .bind(h.responsible.clone())
                .bind(h.measures.clone())
                .bind(h.deadline.clone())
                .bind(h.budget_fen)
                .bind(h.status.label())
                .bind(h.result.clone())
                .bind(h.rectified_on.clone())
                .bind(h.review.clone())
                .bind(h.reviewed_by.clone())
                .bind(h.closed_on.clone())
                .bind(now.clone())
                .bind(now.clone())
        },
    )
    .await?;
    Ok(())
}

/// What indicators count of a hazard: its status, deadline, closing day and grade.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HazardFact {
    #[sqlx(try_from = "Label")]
    pub status: Status,
    pub deadline: Option<String>,
    pub closed_on: Option<String>,
    #[sqlx(try_from = "Label")]
    pub grade: Grade,
}

/// The facts of the problems of an area found in a period, for indicators.
pub async fn hazard_facts(
    db: &Db,
    county: &str,
    area: Area,
    from: &str,
    to: &str,
) -> Result<Vec<HazardFact>> {
    Ok(sqlx::query_as(
        "SELECT status, deadline, closed_on, grade FROM safety_hazards WHERE county = $1 AND area = $2 AND found_on >= $3 AND found_on <= $4",
    )
    .bind(county)
    .bind(area.label())
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?)
}
