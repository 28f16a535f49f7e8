//! 安全管理 JSON API under `/api/v1/safety`: the same services and scope as the pages.
//! Bodies are JSON; a refused step answers 422 with the field and the reason in Chinese.

use crate::error::{ApiError, WebError};
use crate::session::Caller;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use emis_app::registry::FieldError;
use emis_app::safety as service;
use emis_domain::safety::drowning::mask_phone;
use emis_storage::safety::{self as store, HazardQuery};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

fn refused(e: FieldError) -> ApiError {
    ApiError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("{}：{}", e.field, e.reason),
    ))
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError(WebError::Message(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("请求体应为 JSON：{e}"),
        ))
    })
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

async fn year_of(state: &AppState, county: &str, year: Option<i32>) -> Result<i32, ApiError> {
    Ok(match year {
        Some(y) => y,
        None => service::default_year(&state.db, county).await?,
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let d = service::dashboard_of_year(&state.db, a, today(), year).await?;
    Ok(Json(json!({"year": year, "dashboard": d})))
}

pub async fn coverage(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let c = service::coverage(&state.db, &a.scope, year, service::until_of(year)).await?;
    let rows: Vec<Value> = c
        .iter()
        .map(|t| {
            json!({"township": t.township_code, "township_name": t.township_name,
                "dangerous_waters": t.dangerous_waters, "equipped_waters": t.equipped_waters, "equipped_rate": t.equipped_rate(),
                "patrol_required": t.patrol_required, "patrol_compliant": t.patrol_compliant, "patrol_rate": t.patrol_rate(),
                "on_roll": t.on_roll, "letters_signed": t.signed, "letter_rate": t.letter_rate()})
        })
        .collect();
    Ok(Json(json!({"year": year, "townships": rows})))
}

#[derive(Deserialize, Default)]
pub struct HazardParams {
    status: Option<String>,
    grade: Option<String>,
    category: Option<String>,
    school: Option<String>,
    overdue: Option<bool>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn hazards(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<HazardParams>,
) -> ApiResult {
    let a = caller.account()?;
    let q = HazardQuery {
        status: p.status,
        grade: p.grade,
        category: p.category,
        school: p.school,
        overdue_on: p.overdue.unwrap_or(false).then(|| today().to_string()),
        from: p.from,
        to: p.to,
        q: p.q,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
        ..HazardQuery::default()
    };
    let page = store::hazards(&state.db, &a.scope, &q).await?;
    Ok(Json(json!(page)))
}

pub async fn hazard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let h = service::visible_hazard(&state.db, a, id).await?;
    let evidence = store::evidence_of(&state.db, id).await?;
    let overdue = service::overdue(&h, today());
    Ok(Json(
        json!({"hazard": h, "overdue": overdue, "evidence": evidence}),
    ))
}

pub async fn record(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    let form: service::HazardForm = body(&bytes)?;
    let id = service::record_hazard(&state.db, a, &form, &caller.source)
        .await?
        .map_err(refused)?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn assign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::AssignForm = body(&bytes)?;
    service::assign(&state.db, a, id, &form, &caller.source)
        .await?
        .map_err(refused)?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn rectify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::RectifyForm = body(&bytes)?;
    service::rectify(&state.db, a, id, &form, None, &caller.source)
        .await?
        .map_err(refused)?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::ReviewForm = body(&bytes)?;
    service::close(&state.db, a, id, &form, &caller.source)
        .await?
        .map_err(refused)?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn send_back(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::ReviewForm = body(&bytes)?;
    service::send_back(&state.db, a, id, &form, &caller.source)
        .await?
        .map_err(refused)?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn waters(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    let waters = store::waters(&state.db, &a.scope, None).await?;
    let rows: Vec<Value> = waters
        .iter()
        .map(|w| {
            json!({"water": w, "dangerous": emis_domain::safety::drowning::is_dangerous(&w.risk),
                "complete": w.measures.complete(), "missing": w.measures.missing()})
        })
        .collect();
    Ok(Json(json!({"items": rows, "total": rows.len()})))
}

pub async fn water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let w = service::visible_water(&state.db, a, id).await?;
    let chain: Vec<Value> = store::chain(&state.db, &a.scope, Some(id), None)
        .await?
        .into_iter()
        .map(|c| json!({"level": c.level, "village": c.village, "role": c.role, "person": c.person, "phone": mask_phone(&c.phone)}))
        .collect();
    Ok(Json(
        json!({"water": w, "complete": w.measures.complete(), "chain": chain}),
    ))
}

pub async fn patrols(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (_, check) =
        service::patrol_check(&state.db, &a.scope, year, service::until_of(year)).await?;
    Ok(Json(
        json!({"year": year, "required": check.required_days, "compliant": check.compliant_days,
        "rate": check.rate(), "missing": check.missing}),
    ))
}

pub async fn record_patrol(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    let form: service::PatrolForm = body(&bytes)?;
    service::record_patrol(&state.db, a, &form, &caller.source)
        .await?
        .map_err(refused)?;
    Ok(Json(json!({"ok": true})))
}

pub async fn sign_letter(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    let mut form: service::LetterForm = body(&bytes)?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, a.county()).await?;
    }
    service::sign_letter(&state.db, a, &form, &caller.source)
        .await?
        .map_err(refused)?;
    Ok(Json(json!({"ok": true})))
}
