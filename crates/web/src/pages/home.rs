//! 首页: the account's scope in figures; county accounts also see the year's indicators.

use super::{pick_term, terms};
use crate::error::PageError;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use emis_domain::class_size::ClassSizeRules;
use emis_storage::lists::{self, SchoolQuery, StudentQuery};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    term_label: String,
    schools: i64,
    students: i64,
    classes: usize,
    large: usize,
    year: i32,
    indicators: Vec<(String, String, String)>,
    safety: super::safety::HomeCard,
}

pub async fn home(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let terms = terms(&state).await?;
    let (term, term_label) = pick_term(&terms, None);
    let scope = &account.scope;
    let schools = lists::schools(
        &state.db,
        scope,
        &SchoolQuery {
            term: term.clone(),
            page: 1,
            per_page: 1,
            ..Default::default()
        },
    )
    .await?
    .total;
    let students = lists::students(
        &state.db,
        scope,
        &StudentQuery {
            term: term.clone(),
            page: 1,
            per_page: 1,
            ..Default::default()
        },
    )
    .await?
    .total;
    let classes = lists::classes(&state.db, scope, &term, None, None).await?;
    let rules = ClassSizeRules::default();
    let large = classes
        .iter()
        .filter(|c| c.size >= i64::from(rules.large_from))
        .count();
    let year = emis_domain::term::Term::parse(&term)
        .map(|t| t.year)
        .unwrap_or(2021);
    let indicators = if scope.is_county() {
        let set = emis_app::report::annual_indicators(&state.db, scope.county(), year).await?;
        set.values
            .iter()
            .filter_map(|(code, value)| {
                emis_domain::indicators::find(code)
                    .map(|i| (i.name.to_string(), code.to_string(), value.display()))
            })
            .collect()
    } else {
        Vec::new()
    };
    let safety = super::safety::home_card(&state, account).await?;
    let chrome = Chrome::new(&caller, "首页", "home", &[])?;
    Ok(render(&HomePage {
        chrome,
        term_label,
        schools,
        students,
        classes: classes.len(),
        large,
        year,
        indicators,
        safety,
    })?
    .into_response())
}
