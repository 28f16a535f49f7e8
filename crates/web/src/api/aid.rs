//! 学生资助 JSON API under `/api/v1/aid`: the catalog, eligibility and gap lists, the
//! proposal workflow and batches, over the same services and scope as the command line.

use super::ApiResult;
use crate::error::{ApiError, WebError};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::Json;
use emis_app::aid::queries::{self, Batch, BatchDetail, Check, Masked, Proposal};
use emis_app::aid::{self as service, Decision};
use emis_domain::aid::Policy;
use emis_domain::term::Term;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

pub async fn policies(Ctx { state, caller }: Ctx, Query(p): Query<Params>) -> ApiResult<Policies> {
    let a = caller.account()?;
    let year = p.year.unwrap_or(2021);
    let policies = service::catalog(&state.db, a.county(), year).await?;
    Ok(Json(Policies { year, policies }))
}

/// The policy catalog of a year.
#[derive(Serialize, JsonSchema)]
pub struct Policies {
    year: i32,
    policies: Vec<Policy>,
}

#[derive(Serialize, JsonSchema)]
pub struct PolicySaved {
    policy: Policy,
}

#[derive(Deserialize, JsonSchema)]
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
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<PolicyBody>,
) -> ApiResult<PolicySaved> {
    let a = caller.account()?;
    let policy = service::save_policy(
        &state.db,
        &a.scope,
        body.year,
        &body.form,
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(PolicySaved { policy }))
}

#[derive(Deserialize, JsonSchema)]
pub struct CopyBody {
    from: i32,
    to: i32,
}

/// Copies a year's catalog to a year without one: `{"from": 2021, "to": 2022}`.
pub async fn copy_policies(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<CopyBody>,
) -> ApiResult<Copied> {
    let a = caller.account()?;
    let copied = service::copy_catalog(
        &state.db,
        &a.scope,
        body.from,
        body.to,
        &a.actor(&caller.source),
    )
    .await?;
    Ok(Json(Copied {
        year: body.to,
        copied,
    }))
}

/// How many policies were copied into the year.
#[derive(Serialize, JsonSchema)]
pub struct Copied {
    year: i32,
    copied: usize,
}

/// Eligibility and the five gap lists of a term, limited to the caller's scope; ID numbers
/// masked.
pub async fn check(
    Ctx { state, caller }: Ctx,
    Query(p): Query<Params>,
) -> ApiResult<Masked<Check>> {
    let a = caller.account()?;
    let term = term_of(p.term.as_deref())?;
    Ok(Json(queries::check(&state.db, a, term).await?))
}

#[derive(Serialize, JsonSchema)]
pub struct Proposals {
    proposals: Vec<Proposal>,
}

pub async fn proposals(
    Ctx { state, caller }: Ctx,
    Query(p): Query<Params>,
) -> ApiResult<Proposals> {
    let a = caller.account()?;
    let term = match p.term.as_deref() {
        Some(t) => Some(term_of(Some(t))?),
        None => None,
    };
    let proposals = service::proposals(&state.db, &a.scope, term).await?;
    Ok(Json(Proposals { proposals }))
}

/// A proposal and its status after the step.
#[derive(Serialize, JsonSchema)]
pub struct ProposalStatus {
    id: i64,
    status: String,
}

#[derive(Deserialize, JsonSchema)]
pub struct ProposeBody {
    school: String,
    term: String,
    /// The eligible lines kept; every eligible student when absent.
    lines: Option<Vec<LineKey>>,
}

#[derive(Deserialize, JsonSchema)]
struct LineKey {
    id_number: String,
    policy: String,
}

/// 学校申报: `{"school": "…", "term": "2021-autumn"}`, optionally with the eligible lines
/// kept: `"lines": [{"id_number": "…", "policy": "boarding"}]`.
pub async fn propose(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<ProposeBody>,
) -> ApiResult<ProposalStatus> {
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
    Ok(Json(ProposalStatus {
        id,
        status: service::PROPOSED.into(),
    }))
}

#[derive(Deserialize, JsonSchema)]
pub struct DecisionBody {
    proposal: i64,
    pass: bool,
    reason: Option<String>,
}

/// 乡镇审核 / 县资助中心审批: `{"proposal": 1, "pass": true}` or
/// `{"proposal": 1, "pass": false, "reason": "…"}`.
pub async fn decide(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<ProposalStatus> {
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
    Ok(Json(ProposalStatus {
        id: body.proposal,
        status,
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct Batches {
    batches: Vec<Batch>,
}

pub async fn batches(Ctx { state, caller }: Ctx) -> ApiResult<Batches> {
    let a = caller.account()?;
    let batches = service::batches(&state.db, &a.scope, None).await?;
    Ok(Json(Batches { batches }))
}

/// A batch's lines (ID numbers masked) matched against the payments imported back.
pub async fn batch(
    Ctx { state, caller }: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> ApiResult<Masked<BatchDetail>> {
    let a = caller.account()?;
    Ok(Json(queries::batch(&state.db, a, id).await?))
}
