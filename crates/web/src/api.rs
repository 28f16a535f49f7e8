//! JSON API under `/api/v1`: the same services and scope as the pages; personal numbers
//! masked; errors as `{code, message}` in Chinese. Programs authenticate with a bearer
//! token (created by an administrator on the accounts page).

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::registry as service;
use emis_app::AppError;
use emis_domain::identity::mask_id;
use emis_storage::lists::{self, SchoolQuery, StudentQuery};
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

pub async fn health(State(state): State<AppState>) -> Json<Value> {
    let ok = emis_storage::registry::counties(&state.db).await.is_ok();
    Json(
        json!({"status": if ok { "ok" } else { "degraded" }, "database": if ok { "ok" } else { "unreachable" }, "county": state.county}),
    )
}

pub async fn version() -> Json<Value> {
    Json(json!({"name": "county-emis", "version": env!("CARGO_PKG_VERSION")}))
}

/// The OpenAPI document, generated from the route table so every endpoint is in it.
pub async fn openapi() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for spec in crate::route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1"))
    {
        let parameters: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut operation = json!({
            "summary": spec.summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "成功"},
                "401": {"description": "未登录或令牌无效", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "角色无权", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "不存在或不在数据范围内", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if spec.access == crate::Access::Public {
            operation["security"] = json!([]);
        }
        if spec.upload {
            operation["requestBody"] = json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}});
        } else if spec.method == "POST" {
            operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let entry = paths
            .entry(spec.path.to_string())
            .or_insert_with(|| json!({}));
        entry[spec.method.to_ascii_lowercase()] = operation;
    }
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "county-emis 县域教育管理信息系统 API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
        },
        "security": [{"bearer": []}]
    }))
}

pub async fn me(Extension(caller): Extension<Caller>) -> ApiResult {
    let a = caller.account()?;
    Ok(Json(
        json!({"username": a.username, "role": a.role.code(), "role_label": a.role.label(), "org": a.org_code, "org_name": a.org_name, "county": a.county()}),
    ))
}

async fn latest_term(state: &AppState, asked: Option<&str>) -> Result<String, ApiError> {
    let terms = emis_storage::indicators::all_terms(&state.db, &state.county).await?;
    Ok(asked
        .filter(|a| terms.iter().any(|t| t == a))
        .map(str::to_string)
        .or_else(|| terms.last().cloned())
        .unwrap_or_else(|| {
            emis_domain::term::Term::containing(chrono::Local::now().date_naive()).code()
        }))
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
        serde_json::to_value(lists::schools(&state.db, &a.scope, &q).await?).unwrap_or_default(),
    ))
}

pub async fn school(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(code): Path<String>,
) -> ApiResult {
    let a = caller.account()?;
    let term = latest_term(&state, None).await?;
    let school = lists::school(&state.db, &a.scope, &code, &term)
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
    let rows = lists::classes(&state.db, &a.scope, &term, p.school.as_deref(), None).await?;
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
    let page = lists::students(&state.db, &a.scope, &q).await?;
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
        json!({"student": id, "transfer": transfer, "to": body.school, "status": emis_storage::transfers::PENDING}),
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
        &a.scope,
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

#[derive(Deserialize, Default)]
pub struct AuditParams {
    actor: Option<String>,
    key: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

pub async fn audit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<AuditParams>,
) -> ApiResult {
    let a = caller.account()?;
    let page = lists::audit(
        &state.db,
        a.county(),
        p.actor.as_deref(),
        p.key.as_deref(),
        p.from.as_deref(),
        p.to.as_deref(),
        p.page.unwrap_or(1),
    )
    .await?;
    Ok(Json(serde_json::to_value(page).unwrap_or_default()))
}
