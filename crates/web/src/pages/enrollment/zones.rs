//! 学区与招生计划 page: zones with their plans, the zone editor, and the zone and
//! distance imports and export.

use super::{bad, read_upload, year_of, YearQuery};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Query};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::enrollment::queries;
use emis_app::enrollment::{self as service, SheetReport};
use emis_app::AppError;
use serde::Deserialize;

struct ZoneView {
    grade: String,
    school_code: String,
    school_name: String,
    communities: String,
    classes: u32,
    class_size: u32,
}

#[derive(Template)]
#[template(path = "enrollment_zones.html")]
struct ZonesPage {
    chrome: Chrome,
    year: i32,
    zones: Vec<ZoneView>,
    communities: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    distances: usize,
    report: Option<SheetReport>,
}

async fn zones_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    report: Option<SheetReport>,
) -> PageResult {
    let account = caller.account()?;
    let county = account.county();
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let mut zones = Vec::new();
    for (grade, zone, named) in service::zone_table(&state.db, county, year).await? {
        let plan = queries::plans(&state.db, account, year, grade)
            .await?
            .into_iter()
            .find(|p| p.school_code == zone.school_code);
        zones.push(ZoneView {
            grade: grade.label().to_string(),
            school_name: names.get(&zone.school_code).cloned().unwrap_or_default(),
            school_code: zone.school_code,
            communities: named
                .iter()
                .map(|(c, n)| format!("{n}（{c}）"))
                .collect::<Vec<_>>()
                .join("、"),
            classes: plan.as_ref().map(|p| p.classes).unwrap_or(0),
            class_size: plan.as_ref().map(|p| p.class_size).unwrap_or(0),
        });
    }
    let communities = queries::communities(&state.db, account)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let schools = queries::entry_schools(&state.db, account).await?;
    let distances = queries::distance_count(&state.db, account).await?;
    let chrome = Chrome::new(
        caller,
        "学区与招生计划",
        "zones",
        &[
            ("招生与班额", "/enrollment"),
            ("学区与招生计划", "/enrollment/zones"),
        ],
    )?;
    Ok(render(&ZonesPage {
        chrome,
        year,
        zones,
        communities,
        schools,
        distances,
        report,
    })?
    .into_response())
}

pub async fn zones(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    zones_page(&state, &caller, year_of(&q.year), None).await
}

#[derive(Deserialize)]
pub struct ZoneForm {
    year: Option<String>,
    grade: String,
    community: String,
    school: String,
}

pub async fn set_zone(Ctx { state, caller }: Ctx, Form(f): Form<ZoneForm>) -> PageResult {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let year = year_of(&f.year);
    service::set_zone(
        &state.db,
        account,
        year,
        grade,
        f.community.trim(),
        f.school.trim(),
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/zones?year={year}")).into_response())
}

pub async fn import_zones(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let table =
        emis_io::read_table(upload.file.path(), service::ZONE_COLUMNS).map_err(AppError::from)?;
    let report = service::import_zones(&state.db, account, year, &table, &caller.source).await?;
    zones_page(&state, &caller, year, Some(report)).await
}

pub async fn import_distances(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let table = emis_io::read_table(upload.file.path(), service::DISTANCE_COLUMNS)
        .map_err(AppError::from)?;
    let report = service::import_distances(&state.db, account, &table, &caller.source).await?;
    zones_page(&state, &caller, year, Some(report)).await
}

pub async fn export_zones(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&q.year);
    let rows = service::zone_rows(&state.db, account.county(), year).await?;
    let tmp = tempfile::Builder::new()
        .suffix(".xlsx")
        .tempfile()
        .map_err(|e| bad(e.to_string()))?;
    let headers: Vec<&str> = service::ZONE_COLUMNS.iter().map(|c| c.name).collect();
    emis_io::write_sheet(tmp.path(), "学区", &headers, rows).map_err(AppError::from)?;
    let bytes = std::fs::read(tmp.path()).map_err(|e| bad(e.to_string()))?;
    Ok(crate::download::xlsx(
        bytes,
        &format!("zones-{year}.xlsx"),
        &format!("{year}年招生学区.xlsx"),
    ))
}
