//! 排查计划与专项行动: the inspections and campaigns with their checklists.

use crate::lists::scope_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::safety::Area;

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct InspectionRow {
    pub id: i64,
    #[sqlx(try_from = "crate::sql::Label")]
    pub area: Area,
    pub kind: String,
    pub title: String,
    pub school_code: Option<String>,
    pub school_name: Option<String>,
    pub planned_on: String,
    pub done_on: Option<String>,
    // Stored one item a line (`Lines`).
    #[sqlx(try_from = "Lines")]
    pub checklist: Vec<String>,
    pub hazards: i64,
    /// The 文号 a campaign is issued under.
    pub document: Option<String>,
}

/// A text column of one item a line, read as its non-empty lines.
struct Lines(Vec<String>);

impl sqlx::Type<sqlx::Any> for Lines {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Lines {
    fn decode(
        value: sqlx::any::AnyValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
        Ok(Lines(
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        ))
    }
}

impl From<Lines> for Vec<String> {
    fn from(lines: Lines) -> Vec<String> {
        lines.0
    }
}

#[derive(Clone, Debug)]
pub struct NewInspection {
    pub area: Area,
    pub kind: String,
    pub title: String,
    /// None for a county-wide campaign.
    pub school_code: Option<String>,
    pub planned_on: String,
    pub done_on: Option<String>,
    pub checklist: Vec<String>,
    /// The 文号 a campaign is issued under.
    pub document: Option<String>,
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
            "area",
            "kind",
            "title",
            "school_code",
            "planned_on",
            "done_on",
            "checklist",
            "document",
            "created_by",
            "created_at",
        ],
        "",
        items,
        |q, i| {
            q.bind(county)
                .bind(i.area.label())
                .bind(&i.kind)
                .bind(&i.title)
                .bind(i.school_code.clone())
                .bind(&i.planned_on)
                .bind(i.done_on.clone())
                .bind(i.checklist.join("\n"))
                .bind(i.document.clone())
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
        "INSERT INTO safety_inspections (county, area, kind, title, school_code, planned_on, done_on, checklist, document, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(county)
    .bind(i.area.label())
    .bind(&i.kind)
    .bind(&i.title)
    .bind(i.school_code.clone())
    .bind(&i.planned_on)
    .bind(i.done_on.clone())
    .bind(i.checklist.join("\n"))
    .bind(i.document.clone())
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// The inspections the scope sees: its schools' monthly ones and every county-wide campaign.
fn inspection_select(scope: &Scope) -> Sql {
    let mut sql = Sql::new(
        "SELECT i.id, i.area, i.kind, i.title, i.school_code, s.name AS school_name, i.planned_on, i.done_on, i.checklist, i.document, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM safety_hazards h WHERE h.inspection_id = i.id) AS hazards \
         FROM safety_inspections i LEFT JOIN schools s ON s.county = i.county AND s.code = i.school_code WHERE i.county = ",
    );
    sql.bind_text(scope.county());
    if !scope.is_county() {
        sql.push(" AND (i.school_code IS NULL OR 1 = 1");
        scope_filter(&mut sql, scope, "i.school_code");
        sql.push(")");
    }
    sql
}

/// Inspections of an area and year visible to the scope. `kind` filters (月度排查 / 专项行动).
pub async fn inspections(
    db: &Db,
    scope: &Scope,
    area: Area,
    year: i32,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<InspectionRow>> {
    let mut sql = inspection_select(scope);
    sql.push(" AND i.area = ").bind_text(area.label());
    sql.push(" AND i.planned_on LIKE ")
        .bind_text(format!("{year}-%"));
    if let Some(kind) = kind {
        sql.push(" AND i.kind = ").bind_text(kind);
    }
    sql.push(" ORDER BY i.planned_on DESC, i.id DESC LIMIT ")
        .bind_int(limit);
    rows_as(&sql.fetch_all(db).await?)
}

/// One inspection if the scope sees it.
pub async fn inspection(db: &Db, scope: &Scope, id: i64) -> Result<Option<InspectionRow>> {
    let mut sql = inspection_select(scope);
    sql.push(" AND i.id = ").bind_int(id);
    Ok(rows_as(&sql.fetch_all(db).await?)?.into_iter().next())
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

/// Ids of the county's safety inspections in insertion order (to link bulk-loaded hazards).
pub async fn inspection_ids(tx: &mut Tx, county: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM safety_inspections WHERE county = $1 AND area = '安全' ORDER BY id",
    )
    .bind(county)
    .fetch_all(&mut **tx)
    .await?)
}

/// The area of an inspection that exists and covers a school (its own monthly one, or a
/// campaign); None if there is no such inspection.
pub async fn inspection_covers(
    db: &Db,
    county: &str,
    id: i64,
    school: &str,
) -> Result<Option<Area>> {
    let area: Option<String> = sqlx::query_scalar(
        "SELECT area FROM safety_inspections WHERE county = $1 AND id = $2 \
         AND (school_code IS NULL OR school_code = $3)",
    )
    .bind(county)
    .bind(id)
    .bind(school)
    .fetch_optional(db.pool())
    .await?;
    Ok(area.as_deref().and_then(Area::parse))
}

/// The latest year with an inspection of the area (pages default to it).
pub async fn latest_inspection_year(db: &Db, county: &str, area: Area) -> Result<Option<i32>> {
    let day: Option<String> = sqlx::query_scalar(
        "SELECT MAX(planned_on) FROM safety_inspections WHERE county = $1 AND area = $2",
    )
    .bind(county)
    .bind(area.label())
    .fetch_one(db.pool())
    .await?;
    Ok(day.and_then(|d| d.get(..4).and_then(|y| y.parse().ok())))
}

/// Campaigns that carry a 文号: (id, area, title, planned_on, document).
pub async fn campaign_citations(db: &Db, county: &str) -> Result<Vec<CampaignCitation>> {
    crate::sql::county_rows(
        db,
        "SELECT id, area, title, planned_on, document FROM safety_inspections \
         WHERE county = $1 AND document IS NOT NULL AND document <> '' ORDER BY planned_on, id",
        county,
    )
    .await
}

/// A campaign that names the document it is issued under.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CampaignCitation {
    pub id: i64,
    #[sqlx(try_from = "crate::sql::Label")]
    pub area: Area,
    pub title: String,
    pub planned_on: String,
    pub document: String,
}
