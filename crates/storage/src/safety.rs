//! Safety storage: inspections, the hazard ledger with evidence metadata, water bodies,
//! the 九长 chain, patrols, 十有 and parent letters. Lists take a `Scope`; rules (the state
//! machine, overdue, coverage) stay in the domain.

use crate::lists::{scope_filter, Page};
use crate::sql::insert_many;
use crate::sql::Sql;
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use sqlx::{AssertSqlSafe, Row};

// ---------------------------------------------------------------- inspections

#[derive(Clone, Debug, serde::Serialize)]
pub struct InspectionRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub school_code: Option<String>,
    pub school_name: Option<String>,
    pub planned_on: String,
    pub done_on: Option<String>,
    pub checklist: Vec<String>,
    pub hazards: i64,
}

#[derive(Clone, Debug)]
pub struct NewInspection {
    pub kind: String,
    pub title: String,
    /// None for a county-wide campaign.
    pub school_code: Option<String>,
    pub planned_on: String,
    pub done_on: Option<String>,
    pub checklist: Vec<String>,
}

pub async fn insert_inspections(
    tx: &mut Tx,
    county: &str,
    by: &str,
    items: &[NewInspection],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "safety_inspections",
        &[
            "county",
            "kind",
            "title",
            "school_code",
            "planned_on",
            "done_on",
            "checklist",
            "created_by",
            "created_at",
        ],
        "",
        items,
        |q, i| {
            q.bind(county)
                .bind(&i.kind)
                .bind(&i.title)
                .bind(i.school_code.clone())
                .bind(&i.planned_on)
                .bind(i.done_on.clone())
                .bind(i.checklist.join("\n"))
                .bind(by)
                .bind(now.clone())
        },
    )
    .await?;
    Ok(())
}

pub async fn insert_inspection(
    tx: &mut Tx,
    county: &str,
    by: &str,
    i: &NewInspection,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO safety_inspections (county, kind, title, school_code, planned_on, done_on, checklist, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(county)
    .bind(&i.kind)
    .bind(&i.title)
    .bind(i.school_code.clone())
    .bind(&i.planned_on)
    .bind(i.done_on.clone())
    .bind(i.checklist.join("\n"))
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// The inspections the scope sees: its schools' monthly ones and every county-wide campaign.
fn inspection_select(scope: &Scope) -> Sql {
    let mut sql = Sql::new(
        "SELECT i.id, i.kind, i.title, i.school_code, s.name, i.planned_on, i.done_on, i.checklist, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM safety_hazards h WHERE h.inspection_id = i.id) \
         FROM safety_inspections i LEFT JOIN schools s ON s.code = i.school_code WHERE i.county = ",
    );
    sql.bind_text(scope.county());
    if !scope.is_county() {
        sql.push(" AND (i.school_code IS NULL OR 1 = 1");
        scope_filter(&mut sql, scope, "i.school_code");
        sql.push(")");
    }
    sql
}

fn inspection_from(r: &sqlx::any::AnyRow) -> InspectionRow {
    InspectionRow {
        id: r.get(0),
        kind: r.get(1),
        title: r.get(2),
        school_code: r.get(3),
        school_name: r.get(4),
        planned_on: r.get(5),
        done_on: r.get(6),
        checklist: r
            .get::<String, _>(7)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
        hazards: r.get(8),
    }
}

/// Inspections of a year visible to the scope. `kind` filters (月度排查 / 专项行动).
pub async fn inspections(
    db: &Db,
    scope: &Scope,
    year: i32,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<InspectionRow>> {
    let mut sql = inspection_select(scope);
    sql.push(" AND i.planned_on LIKE ")
        .bind_text(format!("{year}-%"));
    if let Some(kind) = kind {
        sql.push(" AND i.kind = ").bind_text(kind);
    }
    sql.push(" ORDER BY i.planned_on DESC, i.id DESC LIMIT ")
        .bind_int(limit);
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(inspection_from)
        .collect())
}

/// One inspection if the scope sees it.
pub async fn inspection(db: &Db, scope: &Scope, id: i64) -> Result<Option<InspectionRow>> {
    let mut sql = inspection_select(scope);
    sql.push(" AND i.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(inspection_from))
}

/// Marks a monthly inspection done on a day.
pub async fn inspection_done(tx: &mut Tx, id: i64, day: &str) -> Result<()> {
    sqlx::query("UPDATE safety_inspections SET done_on = $1 WHERE id = $2")
        .bind(day)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct CheckRow {
    pub school_code: String,
    pub item: String,
    pub checked_on: String,
    pub checked_by: String,
    pub note: String,
}

/// Ticks checklist items of an inspection for a school (again: the latest day and note win).
pub async fn write_checks(
    tx: &mut Tx,
    county: &str,
    inspection_id: i64,
    school: &str,
    by: &str,
    day: &str,
    items: &[(String, String)],
) -> Result<()> {
    let rows: Vec<CheckTick> = items
        .iter()
        .map(|(item, note)| CheckTick {
            inspection_id,
            school_code: school.to_string(),
            item: item.clone(),
            checked_on: day.to_string(),
            note: note.clone(),
        })
        .collect();
    write_check_ticks(tx, county, by, &rows).await
}

/// One ticked checklist item.
pub struct CheckTick {
    pub inspection_id: i64,
    pub school_code: String,
    pub item: String,
    pub checked_on: String,
    pub note: String,
}

/// Ticks checklist items of any inspections and schools in batches (the demo's tens of
/// thousands at once); a tick again keeps the latest day and note.
pub async fn write_check_ticks(
    tx: &mut Tx,
    county: &str,
    by: &str,
    rows: &[CheckTick],
) -> Result<()> {
    insert_many(
        tx,
        "safety_checks",
        &["county", "inspection_id", "school_code", "item", "checked_on", "checked_by", "note"],
        "ON CONFLICT (inspection_id, school_code, item) DO UPDATE SET checked_on = excluded.checked_on,  checked_by = excluded.checked_by, note = excluded.note",
        rows,
        |q, t| {
        q
            .bind(county)
            .bind(t.inspection_id)
            .bind(t.school_code.clone())
            .bind(t.item.clone())
            .bind(t.checked_on.clone())
            .bind(by)
            .bind(t.note.clone())
        },
    )
    .await?;
    Ok(())
}

/// The ticked items of an inspection, for the schools the scope sees.
pub async fn checks(db: &Db, scope: &Scope, inspection_id: i64) -> Result<Vec<CheckRow>> {
    let mut sql = Sql::new(
        "SELECT c.school_code, c.item, c.checked_on, c.checked_by, c.note FROM safety_checks c WHERE c.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND c.inspection_id = ")
        .bind_int(inspection_id);
    scope_filter(&mut sql, scope, "c.school_code");
    sql.push(" ORDER BY c.school_code, c.id");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| CheckRow {
            school_code: r.get(0),
            item: r.get(1),
            checked_on: r.get(2),
            checked_by: r.get(3),
            note: r.get(4),
        })
        .collect())
}

/// Hazards found per school under an inspection (school code, count), within the scope.
pub async fn hazards_per_school(
    db: &Db,
    scope: &Scope,
    inspection_id: i64,
) -> Result<Vec<(String, i64)>> {
    let mut sql = Sql::new(
        "SELECT h.school_code, CAST(COUNT(*) AS BIGINT) FROM safety_hazards h WHERE h.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND h.inspection_id = ")
        .bind_int(inspection_id);
    scope_filter(&mut sql, scope, "h.school_code");
    sql.push(" GROUP BY h.school_code");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

// ---------------------------------------------------------------- hazards

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HazardRow {
    pub id: i64,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub inspection_id: Option<i64>,
    pub place: String,
    pub category: String,
    pub grade: String,
    pub description: String,
    pub found_on: String,
    pub found_by: String,
    pub responsible: Option<String>,
    pub measures: Option<String>,
    pub deadline: Option<String>,
    pub budget_fen: i64,
    pub status: String,
    pub result: Option<String>,
    pub rectified_on: Option<String>,
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    pub closed_on: Option<String>,
    pub sent_back_reason: Option<String>,
}

const HAZARD_COLUMNS: &str = "h.id, h.school_code, s.name, s.township_code, h.inspection_id, h.place, h.category, h.grade, \
    h.description, h.found_on, h.found_by, h.responsible, h.measures, h.deadline, h.budget_fen, h.status, h.result, \
    h.rectified_on, h.review, h.reviewed_by, h.closed_on, h.sent_back_reason";

fn hazard_from(r: &sqlx::any::AnyRow) -> HazardRow {
    HazardRow {
        id: r.get(0),
        school_code: r.get(1),
        school_name: r.get(2),
        township_code: r.get(3),
        inspection_id: r.get(4),
        place: r.get(5),
        category: r.get(6),
        grade: r.get(7),
        description: r.get(8),
        found_on: r.get(9),
        found_by: r.get(10),
        responsible: r.get(11),
        measures: r.get(12),
        deadline: r.get(13),
        budget_fen: r.get(14),
        status: r.get(15),
        result: r.get(16),
        rectified_on: r.get(17),
        review: r.get(18),
        reviewed_by: r.get(19),
        closed_on: r.get(20),
        sent_back_reason: r.get(21),
    }
}

#[derive(Clone, Debug, Default)]
pub struct HazardQuery {
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
    pub page: i64,
    /// 0 lists every match (the ledger export).
    pub per_page: i64,
}

fn hazard_where(sql: &mut Sql, scope: &Scope, q: &HazardQuery) {
    sql.push(" WHERE h.county = ").bind_text(scope.county());
    scope_filter(sql, scope, "h.school_code");
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
    let all = q.per_page == 0;
    let per_page = if all { 0 } else { q.per_page.clamp(1, 500) };
    let page = q.page.max(1);
    let mut count = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_hazards h JOIN schools s ON s.code = h.school_code",
    );
    hazard_where(&mut count, scope, q);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(&format!(
        "SELECT {HAZARD_COLUMNS} FROM safety_hazards h JOIN schools s ON s.code = h.school_code"
    ));
    hazard_where(&mut sql, scope, q);
    sql.push(" ORDER BY h.found_on DESC, h.id DESC");
    if !all {
        sql.page(page, per_page);
    }
    let items = sql.fetch_all(db).await?.iter().map(hazard_from).collect();
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
        "SELECT {HAZARD_COLUMNS} FROM safety_hazards h JOIN schools s ON s.code = h.school_code"
    ));
    hazard_where(&mut sql, scope, &HazardQuery::default());
    sql.push(" AND h.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(hazard_from))
}

pub async fn insert_hazard(tx: &mut Tx, county: &str, h: &HazardRow) -> Result<i64> {
    let now = crate::now_text();
    Ok(sqlx::query_scalar(
        "INSERT INTO safety_hazards (county, school_code, inspection_id, place, category, grade, description, found_on, found_by, \
         responsible, measures, deadline, budget_fen, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(county)
    .bind(&h.school_code)
    .bind(h.inspection_id)
    .bind(&h.place)
    .bind(&h.category)
    .bind(&h.grade)
    .bind(&h.description)
    .bind(&h.found_on)
    .bind(&h.found_by)
    .bind(h.responsible.clone())
    .bind(h.measures.clone())
    .bind(h.deadline.clone())
    .bind(h.budget_fen)
    .bind(&h.status)
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
    .bind(&h.status)
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
                .bind(h.inspection_id)
                .bind(&h.place)
                .bind(&h.category)
                .bind(&h.grade)
                .bind(&h.description)
                .bind(&h.found_on)
                .bind(&h.found_by)
                .bind(h.responsible.clone())
                .bind(h.measures.clone())
                .bind(h.deadline.clone())
                .bind(h.budget_fen)
                .bind(&h.status)
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

/// (status, deadline, closed_on, grade) of the hazards found in a period, for indicators.
pub async fn hazard_facts(
    db: &Db,
    county: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, Option<String>, Option<String>, String)>> {
    let rows = sqlx::query(
        "SELECT status, deadline, closed_on, grade FROM safety_hazards WHERE county = $1 AND found_on >= $2 AND found_on <= $3",
    )
    .bind(county)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}

// ---------------------------------------------------------------- evidence

#[derive(Clone, Debug, serde::Serialize)]
pub struct EvidenceRow {
    pub id: i64,
    pub hazard_id: i64,
    pub stage: String,
    pub file_name: String,
    #[serde(skip)]
    pub stored_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

pub struct NewEvidence<'a> {
    pub hazard_id: i64,
    pub stage: &'a str,
    pub file_name: &'a str,
    pub stored_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
}

pub async fn insert_evidence(tx: &mut Tx, county: &str, e: &NewEvidence<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO safety_evidence (county, hazard_id, stage, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(e.hazard_id)
    .bind(e.stage)
    .bind(e.file_name)
    .bind(e.stored_name)
    .bind(e.mime)
    .bind(e.size_bytes)
    .bind(e.sha256)
    .bind(e.uploaded_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

const EVIDENCE_COLUMNS: &str =
    "id, hazard_id, stage, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at";

fn evidence_from(r: &sqlx::any::AnyRow) -> EvidenceRow {
    EvidenceRow {
        id: r.get(0),
        hazard_id: r.get(1),
        stage: r.get(2),
        file_name: r.get(3),
        stored_name: r.get(4),
        mime: r.get(5),
        size_bytes: r.get(6),
        sha256: r.get(7),
        uploaded_by: r.get(8),
        uploaded_at: r.get(9),
    }
}

pub async fn evidence_of(db: &Db, hazard_id: i64) -> Result<Vec<EvidenceRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM safety_evidence WHERE hazard_id = $1 ORDER BY id"
    )))
    .bind(hazard_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(evidence_from).collect())
}

pub async fn evidence(db: &Db, county: &str, id: i64) -> Result<Option<EvidenceRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM safety_evidence WHERE county = $1 AND id = $2"
    )))
    .bind(county)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(evidence_from))
}

// ---------------------------------------------------------------- dashboard

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HazardCounts {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major_open: i64,
    pub closed: i64,
}

/// Counts of the scope's hazards as of `today` (ISO): open, overdue, 重大 not closed, closed.
pub async fn hazard_counts(db: &Db, scope: &Scope, today: &str) -> Result<HazardCounts> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' AND h.deadline IS NOT NULL AND h.deadline < ",
    );
    sql.bind_text(today).push(
        " THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN h.status <> '已销号' AND h.grade = '重大' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN h.status = '已销号' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM safety_hazards h JOIN schools s ON s.code = h.school_code",
    );
    hazard_where(&mut sql, scope, &HazardQuery::default());
    let rows = sql.fetch_all(db).await?;
    Ok(rows
        .first()
        .map(|r| HazardCounts {
            total: r.get(0),
            open: r.get(1),
            overdue: r.get(2),
            major_open: r.get(3),
            closed: r.get(4),
        })
        .unwrap_or_default())
}

// ---------------------------------------------------------------- waters

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct WaterRow {
    pub id: i64,
    pub township_code: String,
    pub township_name: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub longitude: Option<String>,
    pub latitude: Option<String>,
    pub risk: String,
    pub measures: emis_domain::safety::drowning::Measures,
}

fn township_filter(sql: &mut Sql, scope: &Scope, column: &str) {
    match scope {
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(&format!(" AND {column} = "))
                .bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(&format!(
                " AND {column} IN (SELECT township_code FROM schools WHERE code = "
            ))
            .bind_text(school.clone())
            .push(")");
        }
    }
}

fn flag(r: &sqlx::any::AnyRow, i: usize) -> bool {
    r.get::<i64, _>(i) != 0
}

const WATER_COLUMNS: &str =
    "w.id, w.township_code, o.name, w.village, w.name, w.kind, w.longitude, w.latitude, w.risk, \
    w.has_sign, w.has_pole, w.has_ring, w.has_rope, w.has_rail, w.backfilled, w.closed";

fn water_from(r: &sqlx::any::AnyRow) -> WaterRow {
    WaterRow {
        id: r.get(0),
        township_code: r.get(1),
        township_name: r.get(2),
        village: r.get(3),
        name: r.get(4),
        kind: r.get(5),
        longitude: r.get(6),
        latitude: r.get(7),
        risk: r.get(8),
        measures: emis_domain::safety::drowning::Measures {
            sign: flag(r, 9),
            pole: flag(r, 10),
            ring: flag(r, 11),
            rope: flag(r, 12),
            rail: flag(r, 13),
            backfilled: flag(r, 14),
            closed: flag(r, 15),
        },
    }
}

/// Water bodies the scope sees (a school sees its township's waters).
pub async fn waters(db: &Db, scope: &Scope, township: Option<&str>) -> Result<Vec<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    if let Some(t) = township {
        sql.push(" AND w.township_code = ").bind_text(t);
    }
    sql.push(" ORDER BY w.township_code, w.id");
    Ok(sql.fetch_all(db).await?.iter().map(water_from).collect())
}

pub async fn water(db: &Db, scope: &Scope, id: i64) -> Result<Option<WaterRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {WATER_COLUMNS} FROM water_bodies w JOIN org_units o ON o.code = w.township_code WHERE w.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND w.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(water_from))
}

pub async fn insert_water(tx: &mut Tx, county: &str, w: &WaterRow) -> Result<i64> {
    let m = &w.measures;
    Ok(sqlx::query_scalar(
        "INSERT INTO water_bodies (county, township_code, village, name, kind, longitude, latitude, risk, has_sign, has_pole, has_ring, has_rope, has_rail, backfilled, closed, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(county)
    .bind(&w.township_code)
    .bind(&w.village)
    .bind(&w.name)
    .bind(&w.kind)
    .bind(w.longitude.clone())
    .bind(w.latitude.clone())
    .bind(&w.risk)
    .bind(i64::from(m.sign))
    .bind(i64::from(m.pole))
    .bind(i64::from(m.ring))
    .bind(i64::from(m.rope))
    .bind(i64::from(m.rail))
    .bind(i64::from(m.backfilled))
    .bind(i64::from(m.closed))
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn save_measures(tx: &mut Tx, w: &WaterRow) -> Result<()> {
    let m = &w.measures;
    sqlx::query(
        "UPDATE water_bodies SET risk = $1, has_sign = $2, has_pole = $3, has_ring = $4, has_rope = $5, has_rail = $6, \
         backfilled = $7, closed = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&w.risk)
    .bind(i64::from(m.sign))
    .bind(i64::from(m.pole))
    .bind(i64::from(m.ring))
    .bind(i64::from(m.rope))
    .bind(i64::from(m.rail))
    .bind(i64::from(m.backfilled))
    .bind(i64::from(m.closed))
    .bind(crate::now_text())
    .bind(w.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- 九长 chain

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ChainRow {
    pub id: i64,
    pub level: String,
    pub township_code: String,
    pub water_id: Option<i64>,
    pub village: Option<String>,
    pub school_code: Option<String>,
    pub class_label: Option<String>,
    pub role: String,
    pub person: String,
    pub phone: String,
}

pub async fn write_chain(tx: &mut Tx, county: &str, rows: &[ChainRow]) -> Result<()> {
    insert_many(
        tx,
        "drowning_chain",
        &[
            "county",
            "level",
            "township_code",
            "water_id",
            "village",
            "school_code",
            "class_label",
            "role",
            "person",
            "phone",
        ],
        "",
        rows,
        |q, c| {
            q.bind(county)
                .bind(&c.level)
                .bind(&c.township_code)
                .bind(c.water_id)
                .bind(c.village.clone())
                .bind(c.school_code.clone())
                .bind(c.class_label.clone())
                .bind(&c.role)
                .bind(&c.person)
                .bind(&c.phone)
        },
    )
    .await?;
    Ok(())
}

/// The chain the scope sees, optionally of one water body or school.
pub async fn chain(
    db: &Db,
    scope: &Scope,
    water_id: Option<i64>,
    school: Option<&str>,
) -> Result<Vec<ChainRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CHAIN_COLUMNS} FROM drowning_chain c WHERE c.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "c.township_code");
    if let Some(w) = water_id {
        sql.push(" AND c.water_id = ").bind_int(w);
    }
    if let Some(s) = school {
        sql.push(" AND c.school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY c.township_code, c.id LIMIT 5000");
    Ok(sql.fetch_all(db).await?.iter().map(chain_from).collect())
}

const CHAIN_COLUMNS: &str = "c.id, c.level, c.township_code, c.water_id, c.village, c.school_code, c.class_label, c.role, c.person, c.phone";

fn chain_from(r: &sqlx::any::AnyRow) -> ChainRow {
    ChainRow {
        id: r.get(0),
        level: r.get(1),
        township_code: r.get(2),
        water_id: r.get(3),
        village: r.get(4),
        school_code: r.get(5),
        class_label: r.get(6),
        role: r.get(7),
        person: r.get(8),
        phone: r.get(9),
    }
}

/// One 九长 link if its township lies in the scope (the service narrows further).
pub async fn chain_link(db: &Db, scope: &Scope, id: i64) -> Result<Option<ChainRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CHAIN_COLUMNS} FROM drowning_chain c WHERE c.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "c.township_code");
    sql.push(" AND c.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(chain_from))
}

pub async fn insert_chain(tx: &mut Tx, county: &str, c: &ChainRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO drowning_chain (county, level, township_code, water_id, village, school_code, class_label, role, person, phone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(&c.level)
    .bind(&c.township_code)
    .bind(c.water_id)
    .bind(c.village.clone())
    .bind(c.school_code.clone())
    .bind(c.class_label.clone())
    .bind(&c.role)
    .bind(&c.person)
    .bind(&c.phone)
    .fetch_one(&mut **tx)
    .await?)
}

/// Changes who holds a link (the target stays).
pub async fn update_chain(tx: &mut Tx, c: &ChainRow) -> Result<()> {
    sqlx::query("UPDATE drowning_chain SET role = $1, person = $2, phone = $3 WHERE id = $4")
        .bind(&c.role)
        .bind(&c.person)
        .bind(&c.phone)
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_chain(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM drowning_chain WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- patrols

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct PatrolRow {
    pub id: i64,
    pub water_id: i64,
    pub water_name: String,
    pub township_code: String,
    pub day: String,
    pub slot: String,
    pub patroller: String,
    pub note: String,
}

pub async fn write_patrols(tx: &mut Tx, county: &str, rows: &[PatrolRow]) -> Result<()> {
    insert_many(
        tx,
        "patrol_logs",
        &["county", "water_id", "day", "slot", "patroller", "note"],
        "",
        rows,
        |q, p| {
            q.bind(county)
                .bind(p.water_id)
                .bind(&p.day)
                .bind(&p.slot)
                .bind(&p.patroller)
                .bind(&p.note)
        },
    )
    .await?;
    Ok(())
}

pub async fn write_roster(
    tx: &mut Tx,
    county: &str,
    rows: &[(i64, String, String, String, String, String)],
) -> Result<()> {
    insert_many(
        tx,
        "patrol_roster",
        &[
            "county",
            "water_id",
            "patroller",
            "phone",
            "slot",
            "from_day",
            "to_day",
        ],
        "",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.0)
                .bind(r.1.clone())
                .bind(r.2.clone())
                .bind(r.3.clone())
                .bind(r.4.clone())
                .bind(r.5.clone())
        },
    )
    .await?;
    Ok(())
}

/// Patrol logs the scope sees between two days (ISO, inclusive).
pub async fn patrols(
    db: &Db,
    scope: &Scope,
    from: &str,
    to: &str,
    water_id: Option<i64>,
    limit: i64,
) -> Result<Vec<PatrolRow>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.water_id, w.name, w.township_code, p.day, p.slot, p.patroller, p.note \
         FROM patrol_logs p JOIN water_bodies w ON w.id = p.water_id WHERE p.county = ",
    );
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to);
    if let Some(w) = water_id {
        sql.push(" AND p.water_id = ").bind_int(w);
    }
    sql.push(" ORDER BY p.day DESC, p.id DESC LIMIT ")
        .bind_int(limit);
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| PatrolRow {
            id: r.get(0),
            water_id: r.get(1),
            water_name: r.get(2),
            township_code: r.get(3),
            day: r.get(4),
            slot: r.get(5),
            patroller: r.get(6),
            note: r.get(7),
        })
        .collect())
}

/// (water id, day, slot) of every patrol of the scope in a period: the input of compliance
/// and of the roster check.
pub async fn patrol_days(
    db: &Db,
    scope: &Scope,
    from: &str,
    to: &str,
) -> Result<Vec<(i64, String, String)>> {
    let mut sql = Sql::new(
        "SELECT p.water_id, p.day, p.slot FROM patrol_logs p JOIN water_bodies w ON w.id = p.water_id WHERE p.county = ",
    );
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql.push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to);
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

// ---------------------------------------------------------------- 十有

#[derive(Clone, Debug, serde::Serialize)]
pub struct TenHaveRow {
    pub org_code: String,
    pub org_name: String,
    pub org_kind: String,
    pub item: String,
    pub done: bool,
    pub evidence: String,
}

pub async fn write_ten_haves(
    tx: &mut Tx,
    county: &str,
    year: i32,
    rows: &[(String, String, bool, String)],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "ten_haves",
        &["county", "year", "org_code", "item", "done", "evidence", "updated_at"],
        "ON CONFLICT (county, year, org_code, item) DO UPDATE SET done = excluded.done, evidence = excluded.evidence, updated_at = excluded.updated_at",
        rows,
        |q, r| {
        q
            .bind(county)
            .bind(i64::from(year))
            .bind(r.0.clone())
            .bind(r.1.clone())
            .bind(i64::from(r.2))
            .bind(r.3.clone())
            .bind(now.clone())
        },
    )
    .await?;
    Ok(())
}

/// The 十有 entries of a year for the org units the scope sees (townships and schools).
pub async fn ten_haves(db: &Db, scope: &Scope, year: i32) -> Result<Vec<TenHaveRow>> {
    let mut sql = Sql::new(
        "SELECT t.org_code, o.name, o.kind, t.item, t.done, t.evidence FROM ten_haves t \
         JOIN org_units o ON o.code = t.org_code LEFT JOIN schools s ON s.code = t.org_code WHERE t.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND t.year = ")
        .bind_int(i64::from(year));
    ten_have_scope(&mut sql, scope);
    sql.push(" ORDER BY o.kind DESC, t.org_code, t.id");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| TenHaveRow {
            org_code: r.get(0),
            org_name: r.get(1),
            org_kind: r.get(2),
            item: r.get(3),
            done: flag(r, 4),
            evidence: r.get(5),
        })
        .collect())
}

/// `AND …` limiting 十有 rows (alias `t`, schools joined as `s`) to the org units the scope
/// sees: a township itself and its schools, a school itself.
fn ten_have_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND (t.org_code = ")
                .bind_text(township.clone())
                .push(" OR s.township_code = ")
                .bind_text(township.clone())
                .push(")");
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND t.org_code = ").bind_text(school.clone());
        }
    }
}

/// A 十有 evidence file's metadata.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TenHaveFile {
    pub id: i64,
    pub year: i32,
    pub org_code: String,
    pub item: String,
    pub file_name: String,
    #[serde(skip)]
    pub stored_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

/// A checked file already in the data folder, to record against a 十有 item.
pub struct NewTenHaveFile<'a> {
    pub year: i32,
    pub org_code: &'a str,
    pub item: &'a str,
    pub file_name: &'a str,
    pub stored_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
}

pub async fn insert_ten_have_file(
    tx: &mut Tx,
    county: &str,
    f: &NewTenHaveFile<'_>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO ten_have_files (county, year, org_code, item, file_name, stored_name, mime, size_bytes, sha256, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(county)
    .bind(i64::from(f.year))
    .bind(f.org_code)
    .bind(f.item)
    .bind(f.file_name)
    .bind(f.stored_name)
    .bind(f.mime)
    .bind(f.size_bytes)
    .bind(f.sha256)
    .bind(f.uploaded_by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

const TEN_HAVE_FILE_COLUMNS: &str =
    "t.id, t.year, t.org_code, t.item, t.file_name, t.stored_name, \
    t.mime, t.size_bytes, t.sha256, t.uploaded_by, t.uploaded_at";

fn ten_have_file_from(r: &sqlx::any::AnyRow) -> TenHaveFile {
    TenHaveFile {
        id: r.get(0),
        year: r.get::<i64, _>(1) as i32,
        org_code: r.get(2),
        item: r.get(3),
        file_name: r.get(4),
        stored_name: r.get(5),
        mime: r.get(6),
        size_bytes: r.get(7),
        sha256: r.get(8),
        uploaded_by: r.get(9),
        uploaded_at: r.get(10),
    }
}

/// The 十有 evidence files of a year that the scope sees.
pub async fn ten_have_files(db: &Db, scope: &Scope, year: i32) -> Result<Vec<TenHaveFile>> {
    select_ten_have_files(db, scope, " AND t.year = ", i64::from(year)).await
}

/// One 十有 evidence file if the scope sees its township or school.
pub async fn ten_have_file(db: &Db, scope: &Scope, id: i64) -> Result<Option<TenHaveFile>> {
    Ok(select_ten_have_files(db, scope, " AND t.id = ", id)
        .await?
        .into_iter()
        .next())
}

async fn select_ten_have_files(
    db: &Db,
    scope: &Scope,
    condition: &str,
    value: i64,
) -> Result<Vec<TenHaveFile>> {
    let mut sql = Sql::new(&format!(
        "SELECT {TEN_HAVE_FILE_COLUMNS} FROM ten_have_files t \
         LEFT JOIN schools s ON s.code = t.org_code WHERE t.county = "
    ));
    sql.bind_text(scope.county())
        .push(condition)
        .bind_int(value);
    ten_have_scope(&mut sql, scope);
    sql.push(" ORDER BY t.org_code, t.item, t.id");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(ten_have_file_from)
        .collect())
}

// ---------------------------------------------------------------- parent letters

/// Marks the letters of a term signed for students on the roll, except those `skip`
/// says are unsigned (by student id), in one statement per batch.
pub async fn sign_letters(
    tx: &mut Tx,
    county: &str,
    term: &str,
    signed_on: &str,
    student_ids: &[(i64, String)],
) -> Result<()> {
    insert_many(
        tx,
        "parent_letters",
        &["county", "student_id", "term", "school_code", "signed_on"],
        "ON CONFLICT (county, student_id, term) DO NOTHING",
        student_ids,
        |q, (id, school)| {
            q.bind(county)
                .bind(*id)
                .bind(term)
                .bind(school.clone())
                .bind(signed_on)
        },
    )
    .await?;
    Ok(())
}

/// Marks the letters of a term signed for every student on the roll except those whose
/// record id leaves `unsigned_remainder` modulo `modulus` (the demo's rule), in one statement.
pub async fn sign_letters_by_rule(
    tx: &mut Tx,
    county: &str,
    term: &str,
    signed_on: &str,
    modulus: i64,
    unsigned_remainder: i64,
) -> Result<u64> {
    let done = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO parent_letters (county, student_id, term, school_code, signed_on) \
         SELECT county, student_id, term, school_code, $1 FROM enrollments \
         WHERE county = $2 AND term = $3 AND status IN {} AND student_id % $4 <> $5 \
         ON CONFLICT (county, student_id, term) DO NOTHING",
        crate::indicators::ON_ROLL
    )))
    .bind(signed_on)
    .bind(county)
    .bind(term)
    .bind(modulus)
    .bind(unsigned_remainder)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Students on the roll of a term with their school (for the letters).
pub async fn roll_students(tx: &mut Tx, county: &str, term: &str) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT student_id, school_code FROM enrollments WHERE county = $1 AND term = $2 AND status IN {} ORDER BY student_id",
        crate::indicators::ON_ROLL
    )))
    .bind(county)
    .bind(term)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct LetterCoverage {
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub on_roll: i64,
    pub signed: i64,
}

/// Per school of the scope: students on the roll of the term and those whose parents signed.
pub async fn letter_coverage(db: &Db, scope: &Scope, term: &str) -> Result<Vec<LetterCoverage>> {
    let mut sql = Sql::new(&format!(
        "SELECT s.code, s.name, s.township_code, CAST(COUNT(e.student_id) AS BIGINT), CAST(COUNT(l.id) AS BIGINT) \
         FROM enrollments e JOIN schools s ON s.code = e.school_code \
         LEFT JOIN parent_letters l ON l.student_id = e.student_id AND l.term = e.term \
         WHERE e.status IN {} AND e.county = ",
        crate::indicators::ON_ROLL
    ));
    sql.bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term);
    scope_filter(&mut sql, scope, "e.school_code");
    sql.push(" GROUP BY s.code, s.name, s.township_code ORDER BY s.township_code, s.code");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| LetterCoverage {
            school_code: r.get(0),
            school_name: r.get(1),
            township_code: r.get(2),
            on_roll: r.get(3),
            signed: r.get(4),
        })
        .collect())
}

pub async fn sign_letter(
    tx: &mut Tx,
    county: &str,
    student_id: i64,
    term: &str,
    school: &str,
    signed_on: &str,
) -> Result<()> {
    sign_letters(
        tx,
        county,
        term,
        signed_on,
        &[(student_id, school.to_string())],
    )
    .await
}

/// Whether the county has any safety records (the demo loads them once).
pub async fn has_records(db: &Db, county: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_inspections WHERE county = $1",
    )
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Ids of the county's inspections in insertion order (to link bulk-loaded hazards).
pub async fn inspection_ids(tx: &mut Tx, county: &str) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM safety_inspections WHERE county = $1 ORDER BY id")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?,
    )
}

/// The latest year with hazards or patrols recorded (pages default to it).
pub async fn latest_year(db: &Db, county: &str) -> Result<Option<i32>> {
    let day: Option<String> = sqlx::query_scalar(
        "SELECT MAX(d) FROM (SELECT MAX(found_on) AS d FROM safety_hazards WHERE county = $1 \
         UNION ALL SELECT MAX(day) AS d FROM patrol_logs WHERE county = $2) x",
    )
    .bind(county)
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    Ok(day.and_then(|d| d.get(..4).and_then(|y| y.parse().ok())))
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RosterRow {
    pub id: i64,
    pub water_id: i64,
    pub patroller: String,
    pub phone: String,
    pub slot: String,
    pub from_day: String,
    pub to_day: String,
}

const ROSTER_COLUMNS: &str = "r.id, r.water_id, r.patroller, r.phone, r.slot, r.from_day, r.to_day";

fn roster_from(r: &sqlx::any::AnyRow) -> RosterRow {
    RosterRow {
        id: r.get(0),
        water_id: r.get(1),
        patroller: r.get(2),
        phone: r.get(3),
        slot: r.get(4),
        from_day: r.get(5),
        to_day: r.get(6),
    }
}

/// The patrol roster of a water body.
pub async fn roster(db: &Db, county: &str, water_id: i64) -> Result<Vec<RosterRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ROSTER_COLUMNS} FROM patrol_roster r WHERE r.county = $1 AND r.water_id = $2 ORDER BY r.from_day, r.id"
    )))
    .bind(county)
    .bind(water_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(roster_from).collect())
}

/// Roster entries of the waters the scope sees.
fn roster_select(scope: &Scope) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {ROSTER_COLUMNS} FROM patrol_roster r JOIN water_bodies w ON w.id = r.water_id WHERE r.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "w.township_code");
    sql
}

/// Every roster entry of the waters the scope sees (the patrol check reads them).
pub async fn rosters(db: &Db, scope: &Scope) -> Result<Vec<RosterRow>> {
    let mut sql = roster_select(scope);
    sql.push(" ORDER BY r.water_id, r.from_day, r.id");
    Ok(sql.fetch_all(db).await?.iter().map(roster_from).collect())
}

/// One roster entry if its water lies in the scope.
pub async fn roster_entry(db: &Db, scope: &Scope, id: i64) -> Result<Option<RosterRow>> {
    let mut sql = roster_select(scope);
    sql.push(" AND r.id = ").bind_int(id);
    Ok(sql.fetch_all(db).await?.first().map(roster_from))
}

pub async fn insert_roster(tx: &mut Tx, county: &str, r: &RosterRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO patrol_roster (county, water_id, patroller, phone, slot, from_day, to_day) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(county)
    .bind(r.water_id)
    .bind(&r.patroller)
    .bind(&r.phone)
    .bind(&r.slot)
    .bind(&r.from_day)
    .bind(&r.to_day)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn update_roster(tx: &mut Tx, r: &RosterRow) -> Result<()> {
    sqlx::query(
        "UPDATE patrol_roster SET patroller = $1, phone = $2, slot = $3, from_day = $4, to_day = $5 WHERE id = $6",
    )
    .bind(&r.patroller)
    .bind(&r.phone)
    .bind(&r.slot)
    .bind(&r.from_day)
    .bind(&r.to_day)
    .bind(r.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_roster(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM patrol_roster WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether an inspection exists and covers a school (its own monthly one, or a campaign).
pub async fn inspection_covers(db: &Db, county: &str, id: i64, school: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_inspections WHERE county = $1 AND id = $2 \
         AND (school_code IS NULL OR school_code = $3)",
    )
    .bind(county)
    .bind(id)
    .bind(school)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

// ---------------------------------------------------------------- home card

/// The 学籍状态 that are off the roll: every `StudentStatus` not in `indicators::ON_ROLL`.
const OFF_ROLL: &str = "('转出', '毕业')";

/// The home card's drowning-prevention figures of a scope, counted in the database: the card
/// shows only these totals, so it needs no per-water or per-school rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CoverageTotals {
    pub dangerous_waters: i64,
    pub equipped_waters: i64,
    /// Dangerous waters still to patrol (not backfilled).
    pub patrolled_waters: i64,
    /// (water, summer day) pairs with at least `min_patrols` patrols.
    pub compliant_days: i64,
    pub on_roll: i64,
    pub signed: i64,
}

/// Totals of the scope's waters (dangerous = 高 / 较高; equipped = 一牌一杆一圈一绳, or
/// backfilled or closed, as `Measures::complete`), the compliant patrol days from `from` to
/// `to`, and the students on the roll of `term` with those whose parents signed.
pub async fn coverage_totals(
    db: &Db,
    scope: &Scope,
    term: &str,
    (from, to): (&str, &str),
    min_patrols: i64,
) -> Result<CoverageTotals> {
    const DANGEROUS: &str = "w.risk IN ('高', '较高')";
    let mut waters = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN (w.has_sign <> 0 AND w.has_pole <> 0 AND w.has_ring <> 0 AND w.has_rope <> 0) \
              OR w.backfilled <> 0 OR w.closed <> 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN w.backfilled = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM water_bodies w WHERE {DANGEROUS} AND w.county = "
    ));
    waters.bind_text(scope.county());
    township_filter(&mut waters, scope, "w.township_code");
    let water_row = waters.fetch_all(db).await?;
    let water_count = |i: usize| water_row.first().map_or(0, |r| r.get::<i64, _>(i));

    let mut patrols = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT p.water_id, p.day FROM patrol_logs p \
         JOIN water_bodies w ON w.id = p.water_id \
         WHERE {DANGEROUS} AND w.backfilled = 0 AND p.county = "
    ));
    patrols.bind_text(scope.county());
    township_filter(&mut patrols, scope, "w.township_code");
    patrols
        .push(" AND p.day >= ")
        .bind_text(from)
        .push(" AND p.day <= ")
        .bind_text(to)
        .push(" GROUP BY p.water_id, p.day HAVING COUNT(*) >= ")
        .bind_int(min_patrols)
        .push(") compliant");
    let compliant_days = patrols.fetch_count(db).await?;

    // Joining the roll to the letters reads every student (0.15 s for a county); instead
    // count the roll from an index, the letters by their school, and take off the letters
    // of the few students who have left the roll since they signed.
    let mut on_roll = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM enrollments e WHERE e.status IN {} AND e.county = ",
        crate::indicators::ON_ROLL
    ));
    on_roll
        .bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term);
    scope_filter(&mut on_roll, scope, "e.school_code");
    let mut letters =
        Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM parent_letters l WHERE l.county = ");
    letters
        .bind_text(scope.county())
        .push(" AND l.term = ")
        .bind_text(term);
    scope_filter(&mut letters, scope, "l.school_code");
    // From the few off-roll students to their letters (EXISTS): a join lets the planner
    // start from the letters once the tables are analysed, reading them all.
    let mut left = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM enrollments e \
         WHERE e.status IN {OFF_ROLL} AND e.county = "
    ));
    left.bind_text(scope.county())
        .push(" AND e.term = ")
        .bind_text(term)
        .push(
            " AND EXISTS (SELECT 1 FROM parent_letters l WHERE l.county = e.county \
             AND l.student_id = e.student_id AND l.term = e.term",
        );
    scope_filter(&mut left, scope, "l.school_code");
    left.push(")");
    let on_roll = on_roll.fetch_count(db).await?;
    let signed = letters.fetch_count(db).await? - left.fetch_count(db).await?;

    Ok(CoverageTotals {
        dangerous_waters: water_count(0),
        equipped_waters: water_count(1),
        patrolled_waters: water_count(2),
        compliant_days,
        on_roll,
        signed,
    })
}

// ---------------------------------------------------------------- villages and classes

/// The villages known for townships of the county, (township code, village), sorted: those of
/// the registered waters and of the latest 户籍 roll (population snapshot). Empty where
/// neither names a village.
pub async fn known_villages(
    db: &Db,
    county: &str,
    township: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let mut sql = Sql::new(
        "SELECT DISTINCT township_code, village FROM (\
         SELECT township_code, village FROM water_bodies WHERE county = ",
    );
    sql.bind_text(county)
        .push(
            " UNION SELECT township_code, village FROM population_persons \
             WHERE village IS NOT NULL AND village <> '' AND snapshot_id = \
             (SELECT MAX(id) FROM population_snapshots WHERE county = ",
        )
        .bind_text(county)
        .push(")) v WHERE 1 = 1");
    if let Some(t) = township {
        sql.push(" AND township_code = ").bind_text(t);
    }
    sql.push(" ORDER BY township_code, village");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Whether a school has the class (grade label, number) in a term's roll.
pub async fn class_exists(
    db: &Db,
    school: &str,
    term: &str,
    grade: &str,
    number: i64,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM classes \
         WHERE school_code = $1 AND term = $2 AND grade = $3 AND number = $4",
    )
    .bind(school)
    .bind(term)
    .bind(grade)
    .bind(number)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::OFF_ROLL;
    use crate::indicators::ON_ROLL;
    use emis_domain::registry::StudentStatus;

    #[test]
    fn every_status_is_either_on_or_off_the_roll() {
        for status in StudentStatus::ALL {
            let quoted = format!("'{}'", status.label());
            assert!(
                ON_ROLL.contains(&quoted) != OFF_ROLL.contains(&quoted),
                "{quoted}"
            );
        }
    }
}
