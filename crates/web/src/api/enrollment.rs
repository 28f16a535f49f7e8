//! JSON API for 招生与班额 under `/api/v1/enrollment`: the same services and scope as the
//! pages; ID numbers masked.

use super::registry::indicator_values;
use super::{ApiResult, Created};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pages::enrollment::run_id;
use crate::session::Ctx;
use crate::AppState;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::enrollment::queries::{self, LedgerEntry, Masked, PlacementRow, RunRow};
use emis_app::enrollment::{self as service, BalancedView};
use emis_app::AppError;
use emis_domain::enrollment::{Comparison, ScenarioChange, SchoolTotal};
use emis_domain::term::Term;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
pub struct Params {
    term: Option<String>,
    org: Option<String>,
    year: Option<i32>,
    school: Option<String>,
    a: Option<String>,
    b: Option<String>,
}

async fn term_or_latest(
    state: &AppState,
    account: &emis_app::auth::Account,
    asked: Option<&str>,
) -> Result<Term, ApiError> {
    if let Some(t) = asked.and_then(Term::parse) {
        return Ok(t);
    }
    let terms = crate::list::term_codes(state, account).await?;
    Ok(terms
        .last()
        .and_then(|t| Term::parse(t))
        .unwrap_or_else(|| state.clock.current_term()))
}

pub async fn monitor(
    Ctx { state, caller }: Ctx,
    Query(p): Query<Params>,
) -> ApiResult<service::Monitor> {
    let a = caller.account()?;
    let term = term_or_latest(&state, a, p.term.as_deref()).await?;
    Ok(Json(service::monitor(&state.db, &a.scope, term).await?))
}

/// The `classes.*` indicators of an org unit for a year.
#[derive(Serialize, JsonSchema)]
pub struct Indicators {
    org: String,
    year: i32,
    indicators: BTreeMap<String, Option<serde_json::Number>>,
}

pub async fn indicators(
    Ctx { state, caller }: Ctx,
    Query(p): Query<Params>,
) -> ApiResult<Indicators> {
    let a = caller.account()?;
    let org = p.org.clone().unwrap_or_else(|| a.org_code.clone());
    let year = p.year.unwrap_or(2021);
    let set = service::class_indicators(&state.db, a, &org, year).await?;
    Ok(Json(Indicators {
        org,
        year,
        indicators: indicator_values(&set),
    }))
}

/// The large-class ledger (大班额台账).
#[derive(Serialize, JsonSchema)]
pub struct Ledger {
    items: Vec<LedgerEntry>,
}

pub async fn ledger(Ctx { state, caller }: Ctx) -> ApiResult<Ledger> {
    let a = caller.account()?;
    let items = service::ledger(&state.db, &a.scope).await?;
    Ok(Json(Ledger { items }))
}

/// A community (社区或村) of a zone.
#[derive(Serialize, JsonSchema)]
pub struct Community {
    code: String,
    name: String,
}

/// A school's zone (学区) for an entry grade.
#[derive(Serialize, JsonSchema)]
pub struct ZoneItem {
    grade: &'static str,
    school_code: String,
    communities: Vec<Community>,
}

#[derive(Serialize, JsonSchema)]
pub struct Zones {
    year: i32,
    zones: Vec<ZoneItem>,
}

pub async fn zones(Ctx { state, caller }: Ctx, Query(p): Query<Params>) -> ApiResult<Zones> {
    let a = caller.account()?;
    let year = p.year.unwrap_or(2021);
    let zones = service::zone_table(&state.db, a.county(), year)
        .await?
        .into_iter()
        .map(|(g, z, named)| ZoneItem {
            grade: g.label(),
            school_code: z.school_code,
            communities: named
                .into_iter()
                .map(|(code, name)| Community { code, name })
                .collect(),
        })
        .collect();
    Ok(Json(Zones { year, zones }))
}

/// The allocation runs (招生方案).
#[derive(Serialize, JsonSchema)]
pub struct Runs {
    items: Vec<RunRow>,
}

pub async fn runs(Ctx { state, caller }: Ctx) -> ApiResult<Runs> {
    let a = caller.account()?;
    Ok(Json(Runs {
        items: service::runs(&state.db, a).await?,
    }))
}

/// `{"name": "…", "grade": "一年级", "year": 2021, "changes": […]}`: a run of the entry
/// grade, with what-if changes to its inputs.
#[derive(Deserialize, JsonSchema)]
pub struct NewRun {
    name: String,
    grade: String,
    year: Option<i32>,
    #[serde(default)]
    changes: Vec<ScenarioChange>,
}

pub async fn create_run(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<NewRun>,
) -> ApiResult<Created> {
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
    Ok(Json(Created { id }))
}

/// An applicant left without a place (ID number masked), with the reason.
#[derive(Serialize, JsonSchema)]
pub struct UnplacedItem {
    id_number: String,
    reason: String,
}

/// A run: its changes described, each school's intake, the unplaced and the warnings.
#[derive(Serialize, JsonSchema)]
pub struct Run {
    run: RunRow,
    changes: Vec<String>,
    schools: Vec<SchoolTotal>,
    unplaced: Vec<UnplacedItem>,
    warnings: Vec<String>,
}

pub async fn run(Ctx { state, caller }: Ctx, Path(raw): Path<String>) -> ApiResult<Run> {
    let a = caller.account()?;
    let view = queries::run(&state.db, a, run_id(&raw)?)
        .await?
        .into_inner();
    Ok(Json(Run {
        run: view.run,
        changes: view.changes.iter().map(ScenarioChange::describe).collect(),
        schools: view.result.schools,
        unplaced: view
            .result
            .unplaced
            .into_iter()
            .map(|u| UnplacedItem {
                id_number: u.applicant_id,
                reason: u.message,
            })
            .collect(),
        warnings: view.result.warnings,
    }))
}

/// A run's placements (ID numbers masked).
#[derive(Serialize, JsonSchema)]
pub struct Placements {
    items: Vec<Masked<PlacementRow>>,
}

pub async fn placements(
    Ctx { state, caller }: Ctx,
    Path(raw): Path<String>,
    Query(p): Query<Params>,
) -> ApiResult<Placements> {
    let a = caller.account()?;
    let items = queries::placements(&state.db, a, run_id(&raw)?, p.school.as_deref()).await?;
    Ok(Json(Placements { items }))
}

#[derive(Serialize, JsonSchema)]
pub struct Published {
    id: i64,
    published: bool,
}

pub async fn publish(Ctx { state, caller }: Ctx, Path(raw): Path<String>) -> ApiResult<Published> {
    let a = caller.account()?;
    let id = run_id(&raw)?;
    service::publish(&state.db, a, id, &caller.source).await?;
    Ok(Json(Published {
        id,
        published: true,
    }))
}

pub async fn compare(
    Ctx { state, caller }: Ctx,
    Query(p): Query<Params>,
) -> ApiResult<Masked<Comparison>> {
    let a = caller.account()?;
    let (Some(x), Some(y)) = (p.a.as_deref(), p.b.as_deref()) else {
        return Err(AppError::Refused("请用 a 和 b 指定两个方案编号".into()).into());
    };
    Ok(Json(
        queries::compare(&state.db, a, run_id(x)?, run_id(y)?).await?,
    ))
}

/// `{"school": "…", "seed": 42}`: balanced classes of a school's intake in a run (the seed
/// recorded; a random one when absent).
#[derive(Deserialize, JsonSchema)]
pub struct ClassesBody {
    school: String,
    seed: Option<u64>,
}

pub async fn form_classes(
    Ctx { state, caller }: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ClassesBody>,
) -> ApiResult<Formed> {
    let a = caller.account()?;
    let run = run_id(&raw)?;
    let id =
        service::form_balanced(&state.db, a, run, &body.school, body.seed, &caller.source).await?;
    let all = service::balanced(&state.db, a, run).await?;
    Ok(Json(Formed {
        id,
        result: all.into_iter().find(|b| b.id == id),
    }))
}

/// The balanced classes formed.
#[derive(Serialize, JsonSchema)]
pub struct Formed {
    id: i64,
    result: Option<BalancedView>,
}
