//! 首页: the account's scope in figures; 年度指标: the year's indicators for county accounts.

use super::{pick_term, terms};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::registry::queries::{self as lists, SchoolQuery, StudentQuery};
use emis_app::AppError;
use emis_domain::class_size::ClassSizeRules;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    term_label: String,
    schools: i64,
    students: i64,
    classes: i64,
    large: i64,
    year: i32,
    /// County accounts get a link to the year's indicators: computing them all takes about a
    /// second on a county, too slow for the page every account lands on.
    county_wide: bool,
    safety: super::safety::HomeCard,
    /// Forms the account's own school or township office has still to submit (and of
    /// them, overdue).
    forms_todo: (usize, usize),
    /// 党建: the branches whose secretary the account is.
    party_branches: Vec<emis_app::party::BranchRow>,
}

#[derive(Template)]
#[template(path = "annual.html")]
struct AnnualPage {
    chrome: Chrome,
    year: i32,
    indicators: Vec<(String, String, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// 年度指标: every indicator of the catalog for a year, computed from the records on request.
pub async fn annual(Ctx { state, caller }: Ctx, Query(query): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    if !account.scope.is_county() {
        return Err(AppError::Forbidden.into());
    }
    let year = query.year.unwrap_or(2021);
    let set = emis_app::report::annual_indicators(&state.db, account.county(), year).await?;
    let indicators = set
        .values
        .iter()
        .filter_map(|(code, value)| {
            emis_domain::indicators::find(code)
                .map(|i| (i.name.to_string(), code.to_string(), value.display()))
        })
        .chain(
            set.forms
                .iter()
                .map(|(code, value)| ("报表填报".to_string(), code.clone(), value.display())),
        )
        .collect();
    let chrome = Chrome::new(
        &caller,
        "年度指标",
        "annual",
        &[("年度指标", "/reports/annual")],
    )?;
    Ok(render(&AnnualPage {
        chrome,
        year,
        indicators,
    })?
    .into_response())
}

pub async fn home(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let terms = terms(&state).await?;
    let (term, term_label) = pick_term(&terms, None);
    let scope = &account.scope;
    let schools = lists::schools(
        &state.db,
        account,
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
        account,
        &StudentQuery {
            term: term.clone(),
            page: 1,
            per_page: 1,
            ..Default::default()
        },
    )
    .await?
    .total;
    let rules = ClassSizeRules::default();
    let (classes, large) =
        lists::class_counts(&state.db, account, &term, i64::from(rules.large_from)).await?;
    let year = emis_domain::term::Term::parse(&term)
        .map(|t| t.year)
        .unwrap_or(2021);
    let safety = super::safety::home_card(&state, account).await?;
    let forms_todo = emis_app::forms::tasks::todo(&state.db, account, state.clock.today()).await?;
    let party_branches = emis_app::party::branches::as_secretary(&state.db, account).await?;
    let chrome = Chrome::new(&caller, "首页", "home", &[])?;
    Ok(render(&HomePage {
        chrome,
        term_label,
        schools,
        students,
        classes,
        large,
        year,
        county_wide: scope.is_county(),
        safety,
        forms_todo,
        party_branches,
    })?
    .into_response())
}
