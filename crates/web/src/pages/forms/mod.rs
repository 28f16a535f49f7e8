//! 数据采集 pages: the office's forms with their definition editor and the send form
//! (`mod`), an assignment's completeness by township and respondent (`assignment`), and a
//! respondent's tasks with the fill page (`tasks`): the same parts as in app and storage.

pub mod assignment;
pub mod design;
pub mod tasks;

pub use self::{assignment::*, design::*, tasks::*};

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::forms::{assignments, definitions, AssignmentRow, Completeness};

fn crumbs() -> (&'static str, &'static str) {
    ("数据采集", "/forms")
}

/// A completeness as the pages show it: 12/304（3.9%）.
pub(crate) fn shown(c: &Completeness) -> String {
    match c.rate {
        Some(r) => format!("{}/{}（{:.1}%）", c.submitted, c.assigned, r * 100.0),
        None => "—".into(),
    }
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DefineForm {
    pub definition: String,
}

/// Which of the page's two forms was posted.
enum Posted {
    Define(Round<DefineForm>),
    Assign(Round<assignments::SendForm>),
}

#[derive(Template)]
#[template(path = "forms.html")]
struct FormsPage {
    chrome: Chrome,
    forms: Vec<definitions::FormLine>,
    assignments: Vec<(AssignmentRow, String, usize)>,
    define: DefineForm,
    define_error: String,
    assign: assignments::SendForm,
    assign_field: String,
    assign_error: String,
}

async fn forms_page(state: &AppState, caller: &Caller, posted: Posted) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let forms = definitions::list(&state.db, account).await?;
    let assignments = assignments::list(&state.db, account, today)
        .await?
        .into_iter()
        .map(|(a, c)| (a, shown(&c), c.overdue))
        .collect();
    let (mut define, mut assign) = (Round::default(), Round::default());
    match posted {
        Posted::Define(r) => define = r,
        Posted::Assign(r) => assign = r,
    }
    let chrome = Chrome::new(caller, "报表管理", "forms", &[crumbs()])?
        .with_flash(define.flash.take().or(assign.flash.take()));
    let (code_d, _, define_error) = define.error_parts();
    let (code_a, assign_field, assign_error) = assign.error_parts();
    let code = if define_error.is_empty() {
        code_a
    } else {
        code_d
    };
    let mut define_form = define.form;
    if define_form.definition.is_empty() {
        define_form.definition = definitions::STARTERS[0].trim().to_string();
    }
    Ok((
        code,
        render(&FormsPage {
            chrome,
            forms,
            assignments,
            define: define_form,
            define_error,
            assign: assign.form,
            assign_field,
            assign_error,
        })?,
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct EditQuery {
    edit: Option<String>,
}

/// The forms page; `?edit=CODE` opens that form's latest definition in the editor, to save
/// as its next version.
pub async fn forms(
    Ctx { state, caller }: Ctx,
    axum::extract::Query(q): axum::extract::Query<EditQuery>,
) -> PageResult {
    let account = caller.account()?;
    let mut round: Round<DefineForm> = Round::default();
    if let Some(code) = q.edit.as_deref() {
        if let Some((_, def)) = definitions::latest(&state.db, account.county(), code).await? {
            round.form.definition = serde_json::to_string_pretty(&def).unwrap_or_default();
        }
    }
    forms_page(&state, &caller, Posted::Define(round)).await
}

/// Saves a definition from the editor; a refusal stays on the page with the text as typed.
pub async fn define(Ctx { state, caller }: Ctx, Form(form): Form<DefineForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = definitions::define(&state.db, account, &form.definition, &caller.source).await;
    let posted = match outcome {
        Ok(d) => {
            let flash = if d.changed {
                format!("已保存报表 {} 第{}版。", d.code, d.version)
            } else {
                format!("报表 {} 第{}版未改变。", d.code, d.version)
            };
            Posted::Define(Round::done(flash))
        }
        Err(emis_app::AppError::Refused(reason)) => Posted::Define(Round::refused(
            form,
            emis_app::registry::FieldError {
                field: "definition",
                reason,
            },
        )),
        Err(e) => return Err(e.into()),
    };
    forms_page(&state, &caller, posted).await
}

/// Sends a form for a period and opens its completeness page.
pub async fn assign(
    Ctx { state, caller }: Ctx,
    Form(form): Form<assignments::SendForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = assignments::assign(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |id| format!("/forms/assignments/{id}"),
        |e| forms_page(&state, &caller, Posted::Assign(Round::refused(form, e))),
    )
    .await
}
