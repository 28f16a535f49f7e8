//! 接口 API: JSON under `/api/v1`: the same services and scope as the pages; personal
//! numbers masked; errors as `{code, message}` in Chinese. Programs authenticate with a
//! bearer token (created by an administrator on the accounts page). One file per module;
//! this one holds the system endpoints (health, version, OpenAPI, the caller, audit).

pub mod aid;
pub mod dropout;
pub mod enrollment;
pub mod registry;
pub mod safety;

use crate::error::ApiError;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

pub async fn health(State(state): State<AppState>) -> Json<Value> {
    let ok = emis_app::registry::queries::database_ok(&state.db).await;
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
    let filter = emis_app::accounts::AuditFilter {
        actor: p.actor.as_deref(),
        key: p.key.as_deref(),
        from: p.from.as_deref(),
        to: p.to.as_deref(),
    };
    let page = emis_app::accounts::audit_log(&state.db, a, &filter, p.page.unwrap_or(1)).await?;
    Ok(Json(serde_json::to_value(page).unwrap_or_default()))
}
