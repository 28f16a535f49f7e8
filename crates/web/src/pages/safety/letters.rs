//! 致家长的一封信: letter coverage and recording a signed letter.

use super::{crumbs, pct, YearQuery};
use crate::error::PageResult;
use crate::form::{Round, SplitRefusal};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::drowning;

pub struct LetterLine {
    pub school: String,
    pub on_roll: i64,
    pub signed: i64,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "safety_letters.html")]
struct LettersPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<LetterLine>,
    total: LetterLine,
    can_record: bool,
    form: service::LetterForm,
    error_field: String,
    error: String,
}

pub async fn letters(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    letters_page(&state, &caller, q.year, Round::default()).await
}

pub async fn sign_letter(
    Ctx { state, caller }: Ctx,
    Form(mut form): Form<service::LetterForm>,
) -> PageResult {
    let account = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, account.county(), state.clock.today()).await?;
    }
    let outcome = service::sign_letter(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?;
    let year = Some(form.year);
    letters_page(
        &state,
        &caller,
        year,
        Round::after(outcome, form, "已登记签收。"),
    )
    .await
}

async fn letters_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<service::LetterForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let rows = queries::letter_coverage(&state.db, account, &format!("{year}-autumn")).await?;
    let on_roll: i64 = rows.iter().map(|r| r.on_roll).sum();
    let signed: i64 = rows.iter().map(|r| r.signed).sum();
    let line = |school: String, on_roll: i64, signed: i64| LetterLine {
        school,
        on_roll,
        signed,
        rate: pct(drowning::rate(signed as usize, on_roll as usize)),
    };
    let chrome = Chrome::new(
        caller,
        "致家长一封信签收",
        "letters",
        &[crumbs(), ("致家长一封信", "/safety/letters")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let mut form = round.form;
    if form.signed_on.is_empty() {
        form.signed_on = state.clock.today().to_string();
    }
    Ok((
        code,
        render(&LettersPage {
            chrome,
            year,
            total: line("合计".into(), on_roll, signed),
            rows: rows
                .into_iter()
                .map(|r| line(r.school_name, r.on_roll, r.signed))
                .collect(),
            can_record: account.role.permits(Permission::RecordHazards),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}
