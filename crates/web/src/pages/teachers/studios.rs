//! 工作室: the studios and one studio with members, activities and the activity form.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::masked::Masked;
use emis_app::teachers::studios::{self as service, NewActivity, StudioDetail};
use emis_app::teachers::StudioRow;
use emis_domain::access::Permission;

#[derive(Template)]
#[template(path = "teachers_studios.html")]
struct StudiosPage {
    chrome: Chrome,
    studios: Vec<Masked<StudioRow>>,
}

pub async fn studios(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let studios = service::list(&state.db, account).await?;
    let chrome = Chrome::new(
        &caller,
        "工作室",
        "studios",
        &[crumbs(), ("工作室", "/teachers/studios")],
    )?;
    Ok(render(&StudiosPage { chrome, studios })?.into_response())
}

#[derive(Template)]
#[template(path = "teachers_studio.html")]
struct StudioPage {
    chrome: Chrome,
    s: StudioDetail,
    can_keep: bool,
    form: NewActivity,
    error_field: String,
    error: String,
}

async fn studio_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<NewActivity>,
) -> PageResult {
    let account = caller.account()?;
    let s = service::detail(&state.db, account, id).await?;
    let chrome = Chrome::new(
        caller,
        &s.studio.name,
        "studios",
        &[
            crumbs(),
            ("工作室", "/teachers/studios"),
            (&s.studio.name, &format!("/teachers/studios/{id}")),
        ],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&StudioPage {
            chrome,
            s,
            can_keep: account.role.permits(Permission::KeepTeachers),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn studio(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    studio_page(&state, &caller, id, Round::default()).await
}

pub async fn add_activity(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<NewActivity>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::add_activity(
        &state.db,
        account,
        id,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |()| format!("/teachers/studios/{id}"),
        |e| studio_page(&state, &caller, id, Round::refused(form, e)),
    )
    .await
}
