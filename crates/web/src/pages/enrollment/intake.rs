//! 招生计划 form and 报名导入 page: a school's intake plan and the applicant import.

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

#[derive(Deserialize)]
pub struct PlanForm {
    year: Option<String>,
    grade: String,
    school: String,
    classes: u32,
}

pub async fn set_plan(Ctx { state, caller }: Ctx, Form(f): Form<PlanForm>) -> PageResult {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let year = year_of(&f.year);
    service::set_plan(
        &state.db,
        account,
        year,
        grade,
        f.school.trim(),
        f.classes,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/zones?year={year}")).into_response())
}

// ---------------------------------------------------------------- applicants

#[derive(Template)]
#[template(path = "enrollment_applicants.html")]
struct ApplicantsPage {
    chrome: Chrome,
    year: i32,
    counts: Vec<(String, usize)>,
    report: Option<SheetReport>,
}

async fn applicants_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    report: Option<SheetReport>,
) -> PageResult {
    let account = caller.account()?;
    let mut counts = Vec::new();
    for grade in service::ENTRY_GRADES {
        let n = queries::applicant_count(&state.db, account, year, grade).await?;
        counts.push((grade.label().to_string(), n));
    }
    let chrome = Chrome::new(
        caller,
        "报名导入",
        "applicants",
        &[
            ("招生与班额", "/enrollment"),
            ("报名导入", "/enrollment/applicants"),
        ],
    )?;
    Ok(render(&ApplicantsPage {
        chrome,
        year,
        counts,
        report,
    })?
    .into_response())
}

pub async fn applicants(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    applicants_page(&state, &caller, year_of(&q.year), None).await
}

pub async fn import_applicants(Ctx { state, caller }: Ctx, multipart: Multipart) -> PageResult {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let grade = upload
        .fields
        .get("grade")
        .and_then(|g| service::parse_entry_grade(g))
        .ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let table = emis_io::read_table(upload.file.path(), service::APPLICANT_COLUMNS)
        .map_err(AppError::from)?;
    let report =
        service::import_applicants(&state.db, account, year, grade, &table, &caller.source).await?;
    applicants_page(&state, &caller, year, Some(report)).await
}
