//! JSON API for 招生与班额 under `/api/v1/enrollment`: the same services and scope as the
//! pages; ID numbers masked.

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pages::enrollment::run_id;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::enrollment as service;
use emis_app::AppError;
use emis_domain::enrollment::ScenarioChange;
use emis_domain::identity::mask_id;
use emis_domain::term::Term;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

#[derive(Deserialize, Default)]
pub struct Params {
    term: Option<String>,
    org: Option<String>,
    year: Option<i32>,
    school: Option<String>,
    a: Option<String>,
    b: Option<String>,
}

async fn term_or_latest(state: &AppState, asked: Option<&str>) -> Result<Term, ApiError> {
    if let Some(t) = asked.and_then(Term::parse) {
        return Ok(t);
    }
    let terms = emis_app::registry::queries::all_terms(&state.db, &state.county).await?;
    Ok(terms
        .last()
        .and_then(|t| Term::parse(t))
        .unwrap_or_else(|| state.clock.current_term()))
}

pub async fn monitor(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let term = term_or_latest(&state, p.term.as_deref()).await?;
    let m = service::monitor(&state.db, &a.scope, term).await?;
    Ok(Json(serde_json::to_value(m).unwrap_or_default()))
}

pub async fn indicators(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let org = p.org.clone().unwrap_or_else(|| a.org_code.clone());
    let year = p.year.unwrap_or(2021);
    let set = service::class_indicators(&state.db, a, &org, year).await?;
    let values: serde_json::Map<String, Value> = set
        .values
        .iter()
        .map(|(code, v)| {
            (
                code.to_string(),
                serde_json::from_str(&v.to_json()).unwrap_or(Value::Null),
            )
        })
        .collect();
    Ok(Json(
        json!({"org": org, "year": year, "indicators": values}),
    ))
}

pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    let rows = service::ledger(&state.db, &a.scope).await?;
    Ok(Json(json!({"items": rows})))
}

pub async fn zones(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let year = p.year.unwrap_or(2021);
    let zones: Vec<Value> = service::zone_table(&state.db, a.county(), year)
        .await?
        .into_iter()
        .map(|(g, z, named)| json!({"grade": g.label(), "school_code": z.school_code, "communities": named.into_iter().map(|(c, n)| json!({"code": c, "name": n})).collect::<Vec<_>>()}))
        .collect();
    Ok(Json(json!({"year": year, "zones": zones})))
}

pub async fn runs(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    Ok(Json(json!({"items": service::runs(&state.db, a).await?})))
}

#[derive(Deserialize)]
pub struct NewRun {
    name: String,
    grade: String,
    year: Option<i32>,
    #[serde(default)]
    changes: Vec<ScenarioChange>,
}

pub async fn create_run(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<NewRun>,
) -> ApiResult {
    let a = caller.account()?;
    let grade = service::parse_entry_grade(&body.grade)
        .ok_or_else(|| AppError::Refused("年级应为一年级或七年级".into()))?;
    let id = service::run_allocation(
        &state.db,
        a,
        body.year.unwrap_or(2021),
        grade,
        &body.name,
        body.changes,
        &caller.source,
    )
    .await?;
    Ok(Json(json!({"id": id})))
}

pub async fn run(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> ApiResult {
    let a = caller.account()?;
    let view = service::run_view(&state.db, a, run_id(&raw)?).await?;
    Ok(Json(json!({
        "run": view.run,
        "changes": view.changes.iter().map(ScenarioChange::describe).collect::<Vec<_>>(),
        "schools": view.result.schools,
        "unplaced": view.result.unplaced.iter().map(|u| json!({"id_number": mask_id(&u.applicant_id), "reason": u.message})).collect::<Vec<_>>(),
        "warnings": view.result.warnings,
    })))
}

pub async fn placements(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let rows = service::placements(&state.db, a, run_id(&raw)?, p.school.as_deref()).await?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|mut r| {
            r.id_number = mask_id(&r.id_number);
            serde_json::to_value(r).unwrap_or_default()
        })
        .collect();
    Ok(Json(json!({"items": items})))
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> ApiResult {
    let a = caller.account()?;
    let id = run_id(&raw)?;
    service::publish(&state.db, a, id, &caller.source).await?;
    Ok(Json(json!({"id": id, "published": true})))
}

pub async fn compare(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let (Some(x), Some(y)) = (p.a.as_deref(), p.b.as_deref()) else {
        return Err(AppError::Refused("请用 a 和 b 指定两个方案编号".into()).into());
    };
    let mut c = service::compare_runs(&state.db, a, run_id(x)?, run_id(y)?).await?;
    for ch in &mut c.changed {
        ch.applicant_id = mask_id(&ch.applicant_id);
    }
    Ok(Json(serde_json::to_value(c).unwrap_or_default()))
}

#[derive(Deserialize)]
pub struct ClassesBody {
    school: String,
    seed: Option<u64>,
}

pub async fn form_classes(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ClassesBody>,
) -> ApiResult {
    let a = caller.account()?;
    let run = run_id(&raw)?;
    let id =
        service::form_balanced(&state.db, a, run, &body.school, body.seed, &caller.source).await?;
    let all = service::balanced(&state.db, a, run).await?;
    Ok(Json(
        json!({"id": id, "result": all.into_iter().find(|b| b.id == id)}),
    ))
}
