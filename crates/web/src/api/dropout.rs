//! JSON API for 控辍保学 under `/api/v1/dropout`: the same services and scope as the
//! pages; ID and phone numbers masked.

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::dropout::queries::{self, LedgerQuery};
use emis_app::dropout::{self as service, CaseForm, HomeVisitForm, PlanForm};
use emis_domain::identity::{mask_id, mask_phone};
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

fn masked_case(c: &queries::CaseRow) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    v["person_id_number"] = json!(mask_id(&c.person_id_number));
    v
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    let d = service::dashboard(&state.db, &a.scope, state.clock.today()).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

#[derive(Deserialize, Default)]
pub struct LedgerParams {
    ledger: Option<String>,
    township: Option<String>,
    snapshot: Option<String>,
    school: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
}

pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<LedgerParams>,
) -> ApiResult {
    let a = caller.account()?;
    let query = LedgerQuery::from_params(
        p.ledger.as_deref(),
        p.snapshot.as_deref(),
        p.township.as_deref(),
        p.school.as_deref(),
        p.q.as_deref(),
    );
    let which = query.ledger;
    let (snapshot, rows) = service::ledger(
        &state.db,
        &a.scope,
        &query,
        p.limit.unwrap_or(1000).clamp(1, 10_000),
    )
    .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["id_number"] = json!(mask_id(&r.id_number));
            v["phone"] = json!(r.phone.as_deref().map(mask_phone));
            v["candidate_id"] = json!(r.candidate_id.as_deref().map(mask_id));
            v
        })
        .collect();
    Ok(Json(json!({
        "ledger": which.code(),
        "snapshot": snapshot,
        "items": items,
    })))
}

#[derive(Deserialize, Default)]
pub struct CaseParams {
    township: Option<String>,
    status: Option<String>,
    q: Option<String>,
    /// Any value: only the overdue cases.
    overdue: Option<String>,
    limit: Option<i64>,
}

pub async fn cases(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<CaseParams>,
) -> ApiResult {
    let a = caller.account()?;
    let rows = queries::cases(
        &state.db,
        a,
        &queries::CaseQuery {
            township: p.township,
            status: p.status,
            q: p.q,
            overdue_on: p
                .overdue
                .filter(|v| !v.is_empty())
                .map(|_| state.clock.today().to_string()),
            limit: p.limit.unwrap_or(500).clamp(1, 10_000),
        },
    )
    .await?;
    let today = state.clock.today();
    let items: Vec<Value> = rows
        .iter()
        .map(|c| {
            let mut v = masked_case(c);
            v["overdue"] = json!(emis_domain::dropout::cases::is_overdue(
                &service::to_domain(c, &[]),
                today
            ));
            v
        })
        .collect();
    Ok(Json(json!({"items": items})))
}

pub async fn case(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let v = service::case(&state.db, &a.scope, id, state.clock.today()).await?;
    let attachments: Vec<Value> = v
        .attachments
        .iter()
        .map(|x| json!({"id": x.id, "href": format!("/dropout/cases/{id}/attachments/{}", x.id), "file_name": x.file_name, "size_bytes": x.size_bytes, "mime": x.mime, "uploaded_by": x.uploaded_by, "uploaded_at": x.uploaded_at}))
        .collect();
    let person = v.person.as_ref().map(|p| {
        json!({
            "name": p.name, "sex": p.sex, "birth_date": p.birth_date, "township_code": p.township_code,
            "village": p.village, "guardian": p.guardian, "phone": p.phone.as_deref().map(mask_phone),
            "finding": p.finding, "candidate_id": p.candidate_id.as_deref().map(mask_id),
            "candidate_reason": p.candidate_reason, "poverty": p.poverty,
        })
    });
    Ok(Json(json!({
        "case": masked_case(&v.row),
        "pending_match": v.pending_match,
        "person": person,
        "overdue": v.overdue,
        "events": v.events,
        "attachments": attachments,
    })))
}

/// One change: `{"action": "assign" | "visit" | "deadline" | "close" | "reopen" |
/// "confirm-match" | "reject-match", …}`; `confirm-match` takes an optional closing `date`.
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<CaseForm>,
) -> ApiResult {
    let a = caller.account()?;
    service::act(&state.db, a, id, &form, &caller.source, state.clock.today()).await?;
    case(State(state), Extension(caller), Path(id)).await
}

#[derive(Deserialize, Default)]
pub struct TermParams {
    term: Option<String>,
}

pub async fn plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<TermParams>,
) -> ApiResult {
    let a = caller.account()?;
    let term = match p.term {
        Some(t) => t,
        None => emis_domain::term::Term::containing(state.clock.today()).code(),
    };
    let rows = queries::plans(&state.db, a, &term, 10_000).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["student_id_number"] = json!(mask_id(&r.student_id_number));
            v
        })
        .collect();
    Ok(Json(
        json!({"term": term, "students": items.len(), "items": items}),
    ))
}

pub async fn save_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<PlanForm>,
) -> ApiResult {
    let a = caller.account()?;
    let id = service::save_plan(&state.db, a, &form, &caller.source).await?;
    Ok(Json(json!({"id": id})))
}

pub async fn log_visit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<HomeVisitForm>,
) -> ApiResult {
    let a = caller.account()?;
    service::log_home_visit(&state.db, a, id, &form, &caller.source).await?;
    let plan = queries::plan(&state.db, a, id).await?;
    let visits = queries::plan_visits(&state.db, &plan).await?;
    Ok(Json(json!({"plan": id, "visits": visits})))
}
