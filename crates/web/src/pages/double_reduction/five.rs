//! 五项管理: the term's self-checks with the findings by item, and the school's form.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::pages::{pick_term, terms};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::double_reduction::five::{self as service, FiveForm, FivePicture};
use emis_domain::access::Permission;

#[derive(Template)]
#[template(path = "double_reduction_five.html")]
struct FivePage {
    chrome: Chrome,
    p: FivePicture,
    term_label: String,
    terms: Vec<(String, String)>,
    can_record: bool,
    schools: Vec<(String, String)>,
    form: FiveForm,
    error_field: String,
    error: String,
}

async fn five_page(
    state: &AppState,
    caller: &Caller,
    term: Option<&str>,
    mut round: Round<FiveForm>,
) -> PageResult {
    let account = caller.account()?;
    let terms = terms(state, account).await?;
    let asked = term
        .or(Some(round.form.term.as_str()))
        .filter(|t| !t.is_empty());
    let (term, term_label) = pick_term(&terms, asked);
    let p = service::picture(&state.db, account, &term).await?;
    let schools = p
        .schools
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let chrome = Chrome::new(
        caller,
        "五项管理",
        "five",
        &[crumbs(), ("五项管理", "/double-reduction/five")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let mut form = round.form;
    if form.term.is_empty() {
        form.term = term.clone();
    }
    Ok((
        code,
        render(&FivePage {
            chrome,
            term_label,
            terms,
            can_record: account.role.permits(Permission::RecordAfterSchool),
            schools,
            form,
            error_field,
            error,
            p,
        })?,
    )
        .into_response())
}

pub async fn five(
    Ctx { state, caller }: Ctx,
    Query(q): Query<super::after_school::TermQuery>,
) -> PageResult {
    five_page(&state, &caller, q.term.as_deref(), Round::default()).await
}

pub async fn save_five(Ctx { state, caller }: Ctx, Form(form): Form<FiveForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::save(&state.db, account, &form, &caller.source).await;
    let term = form.term.clone();
    round_trip(
        outcome,
        |_| format!("/double-reduction/five?term={term}"),
        |e| five_page(&state, &caller, None, Round::refused(form, e)),
    )
    .await
}
