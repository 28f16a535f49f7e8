//! 学籍 registry API: schools, classes, students (status changes, transfers), staff and
//! the annual indicators.

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::registry as service;
use emis_app::registry::queries::{self as lists, SchoolQuery, StudentQuery};
use emis_app::AppError;
use emis_domain::identity::mask_id;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

async fn latest_term(state: &AppState, asked: Option<&str>) -> Result<String, ApiError> {
    let terms = lists::all_terms(&state.db, &state.county).await?;
    Ok(asked
        .filter(|a| terms.iter().any(|t| t == a))
        .map(str::to_string)
        .or_else(|| terms.last().cloned())
        .unwrap_or_else(|| state.clock.current_term().code()))
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    term: Option<String>,
    school: Option<String>,
    township: Option<String>,
    grade: Option<String>,
    class: Option<i64>,
    status: Option<String>,
    sort: Option<String>,
    desc: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn schools(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let a = caller.account()?;
    let term = latest_term(&state, p.term.as_deref()).await?;
    let q = SchoolQuery {
        q: p.q,
        township: p.township,
        school_type: None,
        sort: p.sort,
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50),
        term,
    };
    Ok(Json(
        serde_json::to_value(lists::schools(&state.db, a, &q).await?).unwrap_or_default(),
    ))
}

pub async fn school(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(code): Path<String>,
) -> ApiResult {
    let a = caller.account()?;
    let term = latest_term(&state, None).await?;
    let school = lists::school(&state.db, a, &code, &term)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(serde_json::to_value(school).unwrap_or_default()))
}

pub async fn classes(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let a = caller.account()?;
    let term = latest_term(&state, p.term.as_deref()).await?;
    let rows = lists::classes(&state.db, a, &term, p.school.as_deref(), None).await?;
    Ok(Json(json!({"term": term, "items": rows})))
}

fn mask_student(mut v: Value) -> Value {
    if let Some(id) = v.get("id_number").and_then(Value::as_str).map(mask_id) {
        v["id_number"] = Value::String(id);
    }
    if let Some(no) = v.get("student_no").and_then(Value::as_str).map(mask_id) {
        v["student_no"] = Value::String(no);
    }
    v
}

pub async fn students(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let a = caller.account()?;
    let term = latest_term(&state, p.term.as_deref()).await?;
    let q = StudentQuery {
        term,
        q: p.q,
        school: p.school,
        grade: p.grade,
        class_number: p.class,
        status: p.status,
        sort: p.sort,
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
    };
    let page = lists::students(&state.db, a, &q).await?;
    let items: Vec<Value> = page
        .items
        .into_iter()
        .map(|s| mask_student(serde_json::to_value(s).unwrap_or_default()))
        .collect();
    Ok(Json(
        json!({"items": items, "total": page.total, "page": page.page, "per_page": page.per_page}),
    ))
}

pub async fn student(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let s = service::visible_student(&state.db, a, id).await?;
    Ok(Json(mask_student(
        serde_json::to_value(s).unwrap_or_default(),
    )))
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
    reason: String,
}

pub async fn change_status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult {
    let a = caller.account()?;
    service::change_status(&state.db, a, id, &body.status, &body.reason, &caller.source).await?;
    student(State(state), Extension(caller), Path(id)).await
}

#[derive(Deserialize)]
pub struct TransferBody {
    school: String,
    class: String,
    reason: String,
}

pub async fn transfer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransferBody>,
) -> ApiResult {
    let a = caller.account()?;
    let transfer = service::transfer(
        &state.db,
        a,
        id,
        &body.school,
        &body.class,
        &body.reason,
        &caller.source,
    )
    .await?;
    Ok(Json(
        json!({"student": id, "transfer": transfer, "to": body.school, "status": lists::PENDING}),
    ))
}

pub async fn staff(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let a = caller.account()?;
    let page = lists::staff(
        &state.db,
        a,
        p.q.as_deref(),
        p.school.as_deref(),
        p.page.unwrap_or(1),
        p.per_page.unwrap_or(50),
    )
    .await?;
    let items: Vec<Value> = page
        .items
        .into_iter()
        .map(|s| mask_student(serde_json::to_value(s).unwrap_or_default()))
        .collect();
    Ok(Json(
        json!({"items": items, "total": page.total, "page": page.page, "per_page": page.per_page}),
    ))
}

#[derive(Deserialize)]
pub struct YearParam {
    year: Option<i32>,
}

/// The county's annual indicators: county-level accounts only (they are county totals).
pub async fn annual(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParam>,
) -> ApiResult {
    let a = caller.account()?;
    if !a.scope.is_county() {
        return Err(AppError::Forbidden.into());
    }
    let year = p.year.unwrap_or(2021);
    let text = emis_app::report::annual_report(
        &state.db,
        a.county(),
        year,
        emis_app::report::ReportFormat::Json,
    )
    .await?;
    Ok(Json(serde_json::from_str(&text).unwrap_or_default()))
}
