//! 学生资助 JSON API under `/api/v1/aid`: the catalog, eligibility and gap lists, the
//! proposal workflow and batches, over the same services and scope as the command line.

use crate::error::{ApiError, WebError};
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use emis_app::aid::{self as service, Decision};
use emis_domain::aid::yuan;
use emis_domain::identity::mask_id;
use emis_domain::term::Term;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

fn refused(message: String) -> ApiError {
    ApiError(WebError::Message(StatusCode::UNPROCESSABLE_ENTITY, message))
}

fn term_of(raw: Option<&str>) -> Result<Term, ApiError> {
    match raw {
        None => Ok(Term::autumn(2021)),
        Some(t) => Term::parse(t).ok_or_else(|| refused(format!("学期“{t}”无法识别"))),
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    year: Option<i32>,
    term: Option<String>,
}

pub async fn policies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let year = p.year.unwrap_or(2021);
    let list = service::catalog(&state.db, a.county(), year).await?;
    Ok(Json(json!({"year": year, "policies": list})))
}

#[derive(Deserialize)]
pub struct PolicyBody {
    year: i32,
    #[serde(flatten)]
    form: emis_domain::aid::PolicyForm,
}

/// Adds or replaces a policy of a year: `{"year": 2022, "code": "…", "name": "…",
/// "boarding": "非寄宿生", "hardship": "脱贫家庭、低保家庭", "disabled": "on", "settings": "乡村",
/// "amount_kind": "per_term", "per_term": "500", …}` (the edit form's fields; with
/// `"rule_mode": "json"`, or only `who` given, the rule data in `who` instead).
pub async fn save_policy(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<PolicyBody>,
) -> ApiResult {
    let a = caller.account()?;
    let policy = service::save_policy(
        &state.db,
        &a.scope,
        body.year,
        &body.form,
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(json!({"policy": policy})))
}

#[derive(Deserialize)]
pub struct CopyBody {
    from: i32,
    to: i32,
}

/// Copies a year's catalog to a year without one: `{"from": 2021, "to": 2022}`.
pub async fn copy_policies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<CopyBody>,
) -> ApiResult {
    let a = caller.account()?;
    let copied = service::copy_catalog(
        &state.db,
        &a.scope,
        body.from,
        body.to,
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(json!({"year": body.to, "copied": copied})))
}

/// Eligibility and the five gap lists of a term, limited to the caller's scope; ID numbers
/// masked.
pub async fn check(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let term = term_of(p.term.as_deref())?;
    let within = service::AidScope::of(&state.db, &a.scope, &[term]).await?;
    let result = service::check(&state.db, a.county(), &[term]).await?;
    let payment = |p: &emis_domain::aid::Payment| {
        json!({"id_number": mask_id(&p.id_number), "policy": p.policy, "term": p.term.code(),
            "amount": yuan(p.fen), "school": p.school_code})
    };
    let missed: Vec<Value> = result
        .gaps
        .missed
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .map(|e| {
            json!({"id_number": mask_id(&e.id_number), "name": e.name, "school": e.school_code,
                "grade": e.grade.label(), "policy": e.policy, "amount": yuan(e.fen)})
        })
        .collect();
    let list = |v: &[emis_domain::aid::Payment]| -> Vec<Value> {
        v.iter()
            .filter(|p| within.admits(p.school_code.as_deref(), &p.id_number))
            .map(payment)
            .collect()
    };
    let groups = |v: &[Vec<emis_domain::aid::Payment>]| -> Vec<Value> {
        v.iter()
            .filter(|g| {
                g.iter()
                    .any(|p| within.admits(p.school_code.as_deref(), &p.id_number))
            })
            .map(|g| Value::Array(g.iter().map(payment).collect()))
            .collect()
    };
    let eligible = result
        .entitlements
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .count();
    Ok(Json(json!({
        "term": term.code(),
        "eligible": eligible,
        "missed": missed,
        "not_eligible": list(&result.gaps.not_eligible),
        "duplicates": groups(&result.gaps.duplicates),
        "two_schools": groups(&result.gaps.two_schools),
        "off_roll": list(&result.gaps.off_roll),
    })))
}

pub async fn proposals(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Params>,
) -> ApiResult {
    let a = caller.account()?;
    let term = match p.term.as_deref() {
        Some(t) => Some(term_of(Some(t))?),
        None => None,
    };
    let list = service::proposals(&state.db, &a.scope, term).await?;
    Ok(Json(json!({"proposals": list})))
}

#[derive(Deserialize)]
pub struct ProposeBody {
    school: String,
    term: String,
    /// The eligible lines kept; every eligible student when absent.
    lines: Option<Vec<LineKey>>,
}

#[derive(Deserialize)]
struct LineKey {
    id_number: String,
    policy: String,
}

/// 学校申报: `{"school": "…", "term": "2021-autumn"}`, optionally with the eligible lines
/// kept: `"lines": [{"id_number": "…", "policy": "boarding"}]`.
pub async fn propose(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<ProposeBody>,
) -> ApiResult {
    let a = caller.account()?;
    let term = term_of(Some(&body.term))?;
    let keep: Option<std::collections::HashSet<String>> = body.lines.map(|lines| {
        lines
            .iter()
            .map(|l| service::line_key(&l.id_number, &l.policy))
            .collect()
    });
    let id = service::propose_selected(
        &state.db,
        &a.scope,
        &body.school,
        term,
        keep.as_ref(),
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(json!({"id": id, "status": service::PROPOSED})))
}

#[derive(Deserialize)]
pub struct DecisionBody {
    proposal: i64,
    pass: bool,
    reason: Option<String>,
}

/// 乡镇审核 / 县资助中心审批: `{"proposal": 1, "pass": true}` or
/// `{"proposal": 1, "pass": false, "reason": "…"}`.
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult {
    let a = caller.account()?;
    let decision = if body.pass {
        Decision::Pass
    } else {
        Decision::SendBack(body.reason.unwrap_or_default())
    };
    let status = service::decide(
        &state.db,
        &a.scope,
        body.proposal,
        decision,
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(json!({"id": body.proposal, "status": status})))
}

pub async fn batches(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    let list = service::batches(&state.db, &a.scope, None).await?;
    Ok(Json(json!({"batches": list})))
}

/// A batch's lines (ID numbers masked) matched against the payments imported back.
pub async fn batch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let m = service::batch_match(&state.db, &a.scope, id).await?;
    let lines: Vec<Value> = m
        .lines
        .iter()
        .map(|l| {
            json!({"id_number": mask_id(&l.line.id_number), "name": l.line.name,
                "policy": l.line.policy, "amount": yuan(l.line.fen),
                "paid": yuan(l.paid_fen), "state": l.state.label()})
        })
        .collect();
    let extra: Vec<Value> = m
        .extra
        .iter()
        .map(|p| json!({"id_number": mask_id(&p.id_number), "policy": p.policy, "paid": yuan(p.fen)}))
        .collect();
    let totals: Vec<Value> = m
        .totals()
        .into_iter()
        .map(|(policy, (n, fen, paid_n, paid_fen))| {
            json!({"policy": policy, "person_times": n, "amount": yuan(fen),
                "paid_person_times": paid_n, "paid_amount": yuan(paid_fen)})
        })
        .collect();
    Ok(Json(
        json!({"batch": m.batch, "totals": totals, "lines": lines, "extra": extra}),
    ))
}
