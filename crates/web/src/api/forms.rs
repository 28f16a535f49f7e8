//! 数据采集 JSON API under `/api/v1/forms`: forms and their definitions, assignments with
//! completeness, and a respondent's tasks with saving and submitting.

use super::{ApiResult, Created, Done};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::Path;
use axum::Json;
use emis_app::forms::assignments::{self, SendForm, StatusPicture};
use emis_app::forms::definitions::{self, Defined, FormLine};
use emis_app::forms::tasks::{self, TaskLine, TaskView};
use emis_app::forms::{AssignmentRow, Completeness, Definition, TaskStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub async fn forms(Ctx { state, caller }: Ctx) -> ApiResult<Vec<FormLine>> {
    let a = caller.account()?;
    Ok(Json(definitions::list(&state.db, a).await?))
}

/// Saves a definition (the body, as in CONTRACTS.md "Forms"): a new form, or its next
/// version when it differs from the latest.
pub async fn define(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<Definition>,
) -> ApiResult<Defined> {
    let a = caller.account()?;
    let json = serde_json::to_string(&body).unwrap_or_default();
    Ok(Json(
        definitions::define(&state.db, a, &json, &caller.source).await?,
    ))
}

/// An assignment with its completeness.
#[derive(Serialize, JsonSchema)]
pub struct AssignmentLine {
    assignment: AssignmentRow,
    completeness: Completeness,
}

pub async fn assignments(Ctx { state, caller }: Ctx) -> ApiResult<Vec<AssignmentLine>> {
    let a = caller.account()?;
    let lines = assignments::list(&state.db, a, state.clock.today())
        .await?
        .into_iter()
        .map(|(assignment, completeness)| AssignmentLine {
            assignment,
            completeness,
        })
        .collect();
    Ok(Json(lines))
}

/// Sends a form: `{"code": "covid_vaccination", "period": "2021", "due_on": "2021-10-15"}`.
pub async fn assign(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<SendForm>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = assignments::assign(&state.db, a, &body, &caller.source).await?;
    Ok(Json(Created { id }))
}

pub async fn assignment(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<StatusPicture> {
    let a = caller.account()?;
    Ok(Json(
        assignments::status(&state.db, a, id, state.clock.today()).await?,
    ))
}

pub async fn my_tasks(Ctx { state, caller }: Ctx) -> ApiResult<Vec<TaskLine>> {
    let a = caller.account()?;
    Ok(Json(
        tasks::my_tasks(&state.db, a, state.clock.today()).await?,
    ))
}

pub async fn task(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<TaskView> {
    let a = caller.account()?;
    Ok(Json(
        tasks::open(&state.db, a, id, state.clock.today()).await?,
    ))
}

/// The answers by field code, and whether to submit (else a draft is saved).
#[derive(Deserialize, JsonSchema, Default)]
#[serde(default)]
pub struct SaveBody {
    answers: BTreeMap<String, String>,
    submit: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct Saved {
    status: TaskStatus,
}

/// Saves or submits: `{"answers": {"vaccinated": "1200"}, "submit": true}`; refused values
/// answer 422 naming each field.
pub async fn save_task(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SaveBody>,
) -> ApiResult<Saved> {
    let a = caller.account()?;
    let status = tasks::save(
        &state.db,
        a,
        id,
        &body.answers,
        body.submit,
        &caller.source,
        state.clock.today(),
    )
    .await?;
    Ok(Json(Saved { status }))
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(default)]
pub struct SendBackBody {
    comment: String,
}

pub async fn send_back(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SendBackBody>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    tasks::send_back(&state.db, a, id, &body.comment, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}
