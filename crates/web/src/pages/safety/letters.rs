//! 致家长的一封信: letter coverage by school (the list component: township, school and
//! 签收情况 filters, sort, paging and export in SQL) and recording a signed letter.

use super::{crumbs, pct};
use crate::error::PageResult;
use crate::form::{Round, SplitRefusal};
use crate::list::{Choices, Filter, List, Paging};
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
use emis_app::AppError;
use emis_domain::access::Permission;
use emis_domain::safety::drowning;
use serde::Deserialize;

pub struct LetterLine {
    pub school: String,
    pub on_roll: i64,
    pub signed: i64,
    pub rate: String,
}

/// The columns the list sorts by.
const LETTER_SORTS: &[&str] = &["school", "on_roll", "signed", "rate"];

/// 签收情况: (value, label).
const LETTER_STATES: &[(&str, &str)] = &[("open", "未签齐"), ("done", "已全部签收")];

/// The list's request: the year, the filters and the paging (all text: a bad year falls
/// back to the current one instead of refusing the page).
#[derive(Deserialize, Default, Clone)]
pub struct LettersQuery {
    year: Option<String>,
    township: Option<String>,
    school: Option<String>,
    state: Option<String>,
    #[serde(flatten)]
    paging: Paging,
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
    list: List,
}

pub async fn letters(Ctx { state, caller }: Ctx, Query(q): Query<LettersQuery>) -> PageResult {
    letters_page(&state, &caller, q, Round::default()).await
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
    let q = LettersQuery {
        year: Some(form.year.to_string()),
        ..LettersQuery::default()
    };
    letters_page(
        &state,
        &caller,
        q,
        Round::after(outcome, form, "已登记签收。"),
    )
    .await
}

/// The storage query and the list's filters of a request.
async fn letter_query(
    state: &AppState,
    account: &emis_app::auth::Account,
    q: &LettersQuery,
) -> Result<(i32, queries::LetterQuery, Vec<Filter>), AppError> {
    let year = match q.year.as_deref().and_then(|y| y.trim().parse().ok()) {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let choices = Choices::of(state, account).await?;
    let place = choices.place(account, q.township.as_deref(), q.school.as_deref());
    let status = q
        .state
        .as_deref()
        .filter(|s| LETTER_STATES.iter().any(|(v, _)| v == s));
    let mut filters = vec![Filter::text("year", "年度", &year.to_string(), "")];
    filters.extend(place.pickers);
    filters.push(Filter::select(
        "state",
        "签收情况",
        status.unwrap_or_default(),
        "全部",
        LETTER_STATES
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect(),
    ));
    let query = queries::LetterQuery {
        term: format!("{year}-autumn"),
        township: place.township.code,
        school: place.school.code,
        state: status.map(str::to_string),
        sort: q.paging.sort(LETTER_SORTS),
        desc: q.paging.desc(),
        page: q.paging.page(),
        per_page: q.paging.size(),
    };
    Ok((year, query, filters))
}

fn line(school: String, on_roll: i64, signed: i64) -> LetterLine {
    LetterLine {
        school,
        on_roll,
        signed,
        rate: pct(drowning::rate(signed as usize, on_roll as usize)),
    }
}

async fn letters_page(
    state: &AppState,
    caller: &Caller,
    q: LettersQuery,
    mut round: Round<service::LetterForm>,
) -> PageResult {
    let account = caller.account()?;
    let (year, query, filters) = letter_query(state, account, &q).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    // Not `list::rows_of`: the page carries the filtered schools' sums as well.
    let found = if refused {
        None
    } else {
        let mut found = queries::letter_coverage_page(&state.db, account, &query).await?;
        if query.page > 1 && found.page.items.is_empty() && found.page.total > 0 {
            let last = queries::LetterQuery {
                page: found.page.pages(),
                ..query.clone()
            };
            found = queries::letter_coverage_page(&state.db, account, &last).await?;
        }
        Some(found)
    };
    let (items, total, on_roll, signed) = match found {
        Some(f) => (f.page.items, f.page.total, f.on_roll, f.signed),
        None => (Vec::new(), 0, 0, 0),
    };
    let list = List::new("/safety/letters", filters, &q.paging, LETTER_SORTS, total)
        .with_export("/safety/letters/export");
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
            rows: items
                .into_iter()
                .map(|r| line(r.school_name, r.on_roll, r.signed))
                .collect(),
            can_record: account.role.permits(Permission::RecordHazards),
            form,
            error_field,
            error,
            list,
        })?,
    )
        .into_response())
}

/// Exactly the filtered schools (every page) as a workbook, every column filled.
pub async fn letters_export(
    Ctx { state, caller }: Ctx,
    Query(q): Query<LettersQuery>,
) -> PageResult {
    let account = caller.account()?;
    let (year, mut query, filters) = letter_query(&state, account, &q).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(AppError::Refused(f.error.clone()).into());
    }
    query.per_page = 0;
    let found = queries::letter_coverage_page(&state.db, account, &query).await?;
    let county = emis_domain::divisions::county(account.county());
    let township = |code: &str| {
        county
            .and_then(|c| c.township(code))
            .map_or_else(|| code.to_string(), |t| t.name.to_string())
    };
    let term = emis_domain::term::Term::label_of(&query.term);
    let rows = found.page.items.into_iter().map(|r| {
        let l = line(r.school_name.clone(), r.on_roll, r.signed);
        vec![
            r.school_code.clone(),
            r.school_name,
            township(&r.township_code),
            term.clone(),
            r.on_roll.to_string(),
            r.signed.to_string(),
            (r.on_roll - r.signed).max(0).to_string(),
            l.rate,
        ]
    });
    crate::download::sheet(
        "致家长一封信",
        &[
            "学校标识码",
            "学校名称",
            "所属乡镇",
            "学期",
            "在籍学生",
            "已签收",
            "未签收",
            "签收率",
        ],
        rows,
        &format!("letters-{year}.xlsx"),
        &format!("致家长一封信签收-{year}.xlsx"),
    )
}
