//! 填报任务: a respondent's list, and the fill page: each field by its type with the
//! prefilled values (locked ones read-only), a refusal beside its field, 保存草稿 / 提交, and
//! for the office the send-back form.

use super::crumbs;
use crate::error::PageResult;
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::forms::tasks::{self as service, TaskLine, TaskView};
use emis_app::forms::TaskStatus;
use emis_app::AppError;
use emis_domain::access::Permission;
use emis_domain::forms::FieldType;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "forms_tasks.html")]
struct TasksPage {
    chrome: Chrome,
    tasks: Vec<TaskLine>,
}

pub async fn my_tasks(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let tasks = service::my_tasks(&state.db, account, state.clock.today()).await?;
    let chrome = Chrome::new(
        &caller,
        "填报任务",
        "form_tasks",
        &[crumbs(), ("填报任务", "/forms/tasks")],
    )?;
    Ok(render(&TasksPage { chrome, tasks })?.into_response())
}

/// One field of the fill page.
pub struct FieldLine {
    pub code: String,
    pub label: String,
    /// `number`, `text`, `date` or `select`.
    pub input: &'static str,
    pub options: Vec<String>,
    pub value: String,
    pub unit: String,
    pub required: bool,
    pub locked: bool,
    /// The prefilled value (empty when none).
    pub prefilled: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "forms_task.html")]
struct TaskPage {
    chrome: Chrome,
    v: TaskView,
    fields: Vec<FieldLine>,
    /// Refusals not tied to a shown field (the status).
    general: String,
    can_fill: bool,
    can_send_back: bool,
    comment: String,
    send_back_error: String,
}

/// The key of the send-back form's refusal (no field code starts with `_`).
const SEND_BACK: &str = "_send_back";

/// What the page shows again after a refused post: the values as typed and the reasons
/// by field code.
#[derive(Default)]
struct Shown {
    flash: Option<String>,
    raw: Option<BTreeMap<String, String>>,
    errors: BTreeMap<String, String>,
    comment: String,
}

async fn task_page(state: &AppState, caller: &Caller, id: i64, shown: Shown) -> PageResult {
    let account = caller.account()?;
    let v = service::open(&state.db, account, id, state.clock.today()).await?;
    let title = format!("{}（{}）", v.task.title, v.period_label);
    let href = format!("/forms/tasks/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "form_tasks",
        &[crumbs(), ("填报任务", "/forms/tasks"), (&title, &href)],
    )?
    .with_flash(shown.flash);
    let fields = v
        .definition
        .fields
        .iter()
        .map(|f| {
            let prefilled = v.prefilled.get(&f.code).cloned().unwrap_or_default();
            let value = match &shown.raw {
                Some(raw) => raw.get(&f.code).cloned().unwrap_or_default(),
                None => v
                    .answers
                    .get(&f.code)
                    .cloned()
                    .unwrap_or_else(|| prefilled.clone()),
            };
            let (input, options) = match f.kind {
                FieldType::Integer | FieldType::Decimal => ("number", Vec::new()),
                FieldType::Text => ("text", Vec::new()),
                FieldType::Date => ("date", Vec::new()),
                FieldType::Choice => ("select", f.choices.clone()),
                FieldType::Bool => ("select", vec!["是".to_string(), "否".to_string()]),
            };
            FieldLine {
                code: f.code.clone(),
                label: f.label.clone(),
                input,
                options,
                value,
                unit: f.unit.clone().unwrap_or_default(),
                required: f.required,
                locked: f.locked && !prefilled.is_empty(),
                prefilled,
                error: shown.errors.get(&f.code).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let general = shown.errors.get("status").cloned().unwrap_or_default();
    let send_back_error = shown.errors.get(SEND_BACK).cloned().unwrap_or_default();
    let code = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let status = v.task.status;
    Ok((
        code,
        render(&TaskPage {
            chrome,
            fields,
            general,
            can_fill: account.role.permits(Permission::FillForms)
                && status != TaskStatus::Submitted,
            can_send_back: account.role.permits(Permission::KeepForms)
                && status == TaskStatus::Submitted,
            comment: shown.comment,
            send_back_error,
            v,
        })?,
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn task(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let flash = q.done.as_deref().map(|d| {
        match d {
            "submit" => "已提交。",
            "draft" => "草稿已保存，尚未提交。",
            "send-back" => "已退回填报单位修改。",
            _ => "已保存。",
        }
        .to_string()
    });
    let shown = Shown {
        flash,
        ..Shown::default()
    };
    task_page(&state, &caller, id, shown).await
}

/// Saves the posted answers as a draft (`action=draft`) or submits them.
pub async fn save_task(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let account = caller.account()?;
    let submit = !pairs.iter().any(|(k, v)| k == "action" && v == "draft");
    let raw: BTreeMap<String, String> = pairs
        .into_iter()
        .filter(|(k, _)| k != "_csrf" && k != "action")
        .collect();
    let outcome = service::save(
        &state.db,
        account,
        id,
        &raw,
        submit,
        &caller.source,
        state.clock.today(),
    )
    .await;
    let errors: BTreeMap<String, String> = match outcome {
        Ok(_) => {
            let done = if submit { "submit" } else { "draft" };
            return Ok(
                axum::response::Redirect::to(&format!("/forms/tasks/{id}?done={done}"))
                    .into_response(),
            );
        }
        Err(AppError::Answers(refused)) => {
            refused.into_iter().map(|r| (r.field, r.reason)).collect()
        }
        Err(AppError::Invalid { field, message }) => BTreeMap::from([(field.to_string(), message)]),
        Err(e) => return Err(e.into()),
    };
    let shown = Shown {
        raw: Some(raw),
        errors,
        ..Shown::default()
    };
    task_page(&state, &caller, id, shown).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SendBackForm {
    pub comment: String,
}

pub async fn send_back(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SendBackForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::send_back(&state.db, account, id, &form.comment, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/forms/tasks/{id}?done=send-back"),
        |e| {
            let shown = Shown {
                errors: BTreeMap::from([(SEND_BACK.to_string(), e.reason)]),
                comment: form.comment,
                ..Shown::default()
            };
            task_page(&state, &caller, id, shown)
        },
    )
    .await
}
