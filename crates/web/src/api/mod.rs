//! 接口 API: JSON under `/api/v1`: the same services and scope as the pages; personal
//! numbers masked; errors as `{code, message}` in Chinese. Programs authenticate with a
//! bearer token (created by an administrator on the accounts page). One file per module;
//! this one holds the system endpoints (health, version, OpenAPI, the caller, audit).

pub mod aid;
mod campaigns;
pub mod documents;
pub mod double_reduction;
pub mod dropout;
pub mod enrollment;
pub mod forms;
pub mod honours;
pub mod incidents;
pub mod party;
pub mod projects;
pub mod region;
pub mod registry;
pub mod safety;
pub mod schema;
pub mod summary;
pub mod supervision;
pub mod teachers;
pub mod vocational;

use crate::error::{ApiError, ErrorBody};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use emis_app::registry::queries::Page;
use schema::Reply;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// A write that has no record to show back.
#[derive(Serialize, JsonSchema)]
pub struct Done {
    /// Always true.
    ok: bool,
}

/// A record created: its id.
#[derive(Serialize, JsonSchema)]
pub struct Created {
    id: i64,
}

/// `GET /health`: whether the server and its database answer.
#[derive(Serialize, JsonSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    status: &'static str,
    /// `ok` or `unreachable`.
    database: &'static str,
    county: String,
}

pub async fn health(State(state): State<AppState>) -> ApiResult<Health> {
    let ok = emis_app::registry::queries::database_ok(&state.db).await;
    Ok(Json(Health {
        status: if ok { "ok" } else { "degraded" },
        database: if ok { "ok" } else { "unreachable" },
        county: state.county.clone(),
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct Version {
    name: &'static str,
    version: &'static str,
}

pub async fn version() -> ApiResult<Version> {
    Ok(Json(Version {
        name: "county-emis",
        version: env!("CARGO_PKG_VERSION"),
    }))
}

/// The OpenAPI document, generated from the route table so every endpoint is in it.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

/// Where the schemas of the document are: `$ref`s point into `components/schemas`.
fn generator(settings: SchemaSettings) -> SchemaGenerator {
    settings
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

/// OpenAPI 3.1: each API route with its path parameters, its request body (JSON of the
/// handler's body type, or a multipart upload), its 200 reply's schema and the error
/// replies; the schemas (JSON Schema 2020-12) under `components/schemas`. Replies are
/// described as they are serialized, request bodies as they are read.
fn document() -> Value {
    let mut replies = generator(SchemaSettings::draft2020_12().for_serialize());
    let mut bodies = generator(SchemaSettings::draft2020_12().for_deserialize());
    let error = replies.subschema_for::<ErrorBody>().to_value();
    let refusal = |description: &str| json!({"description": description, "content": {"application/json": {"schema": error}}});
    let mut paths = serde_json::Map::new();
    // Request bodies are set in once their schemas' names are settled (below).
    let mut requests = Vec::new();
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
        let ok = match spec.reply {
            Some(Reply::Json(schema)) => json!({"description": "成功",
                "content": {"application/json": {"schema": schema(&mut replies).to_value()}}}),
            Some(Reply::File) => json!({"description": "文件内容（照片或 PDF）",
                "content": {"application/octet-stream": {}}}),
            None => json!({"description": "成功"}),
        };
        let mut operation = json!({
            "summary": spec.summary,
            "parameters": parameters,
            "responses": {
                "200": ok,
                "401": refusal("未登录或令牌无效"),
                "403": refusal("角色无权"),
                "404": refusal("不存在或不在数据范围内")
            }
        });
        if spec.access == crate::Access::Public {
            operation["security"] = json!([]);
        }
        let method = spec.method.to_ascii_lowercase();
        if spec.upload {
            operation["requestBody"] = json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}});
        } else if let Some(body) = spec.body {
            requests.push((spec.path, method.clone(), body(&mut bodies).to_value()));
        }
        let entry = paths
            .entry(spec.path.to_string())
            .or_insert_with(|| json!({}));
        entry[method] = operation;
    }
    // A type both read in requests and written in replies whose two schemas differ (a
    // field with a default is optional only when read) has its request schema apart.
    let mut schemas = replies.take_definitions(true);
    let mut read = bodies.take_definitions(true);
    let apart: Vec<String> = read
        .iter()
        .filter(|(name, schema)| schemas.get(*name).is_some_and(|s| s != *schema))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &apart {
        let to = format!("{name}Input");
        for schema in read.values_mut() {
            rename_ref(schema, name, &to);
        }
        for (_, _, schema) in &mut requests {
            rename_ref(schema, name, &to);
        }
        if let Some(schema) = read.remove(name) {
            read.insert(to, schema);
        }
    }
    schemas.extend(read);
    for (path, method, schema) in requests {
        paths[path][method]["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": schema}}});
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "county-emis 县域教育管理信息系统 API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas
        },
        "security": [{"bearer": []}]
    })
}

/// Points the `$ref`s to `name` at `apart` (see `document`).
fn rename_ref(value: &mut Value, name: &str, apart: &str) {
    let from = format!("#/components/schemas/{name}");
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(target) if key == "$ref" && *target == from => {
                        *target = format!("#/components/schemas/{apart}");
                    }
                    _ => rename_ref(v, name, apart),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_ref(v, name, apart)),
        _ => {}
    }
}

/// `GET /api/v1/me`: the caller's account and the scope of its data.
#[derive(Serialize, JsonSchema)]
pub struct Me {
    username: String,
    /// The role's code (`admin`, `officer`, `township`, …).
    role: &'static str,
    role_label: &'static str,
    /// The account's organisation (region, county, township or school code).
    org: String,
    org_name: String,
    /// The county whose records the account reads; for a region account (`region`), the
    /// region's own code: it reads the roll-up of its counties, no county's records.
    county: String,
}

pub async fn me(Extension(caller): Extension<Caller>) -> ApiResult<Me> {
    let a = caller.account()?;
    Ok(Json(Me {
        username: a.username.clone(),
        role: a.role.code(),
        role_label: a.role.label(),
        org: a.org_code.clone(),
        org_name: a.org_name.clone(),
        county: a.county().to_string(),
    }))
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
    Ctx { state, caller }: Ctx,
    Query(p): Query<AuditParams>,
) -> ApiResult<Page<emis_app::accounts::AuditRow>> {
    let a = caller.account()?;
    let filter = emis_app::accounts::AuditFilter {
        actor: p.actor.as_deref(),
        key: p.key.as_deref(),
        from: p.from.as_deref(),
        to: p.to.as_deref(),
    };
    let page =
        emis_app::accounts::audit_log(&state.db, a, &filter, p.page.unwrap_or(1), 50).await?;
    Ok(Json(page))
}
