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
struct HomePage<'a> {
    chrome: Chrome,
    term_label: &'a str,
    schools: i64,
    students: i64,
    classes: i64,
    large: i64,
    year: i32,
    /// County accounts get a link to the year's indicators: computing them all takes about a
    /// second on a county, too slow for the page every account lands on.
    county_wide: bool,
    safety: &'a super::safety::HomeCard,
    /// 党建: the branches whose secretary the account is.
    party_branches: Vec<emis_app::party::BranchRow>,
    /// 待办, urgent first.
    todos: Vec<emis_app::home::Todo>,
    /// Small charts of the account's areas (server-drawn SVG), each with its page.
    charts: &'a [(&'static str, String)],
}

/// What a home shows of its scope, the same for every account of one role and scope on
/// one day: computed once and shared for a short while ([`crate::fresh`]).
pub struct Figures {
    term_label: String,
    schools: i64,
    students: i64,
    classes: i64,
    large: i64,
    year: i32,
    safety: super::safety::HomeCard,
    todos: Vec<emis_app::home::Todo>,
    charts: Vec<(&'static str, String)>,
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
    // A region's work is its counties' roll-up; it has no county of its own to show.
    if !account.role.works_in_a_county() {
        return Ok(axum::response::Redirect::to("/region").into_response());
    }
    let today = state.clock.today();
    // 待办 and figures depend on the role and the scope only (a 班主任's scope names the
    // class), and on the day.
    let key = format!("{:?}|{:?}|{today}", account.role, account.scope);
    let figures = state
        .homes
        .get_or(key, || figures(&state, account, today))
        .await?;
    let party_branches = emis_app::party::branches::as_secretary(&state.db, account).await?;
    // The account's own 待办 first (urgent), then its scope's, urgent first.
    let mut todos = emis_app::home::own_todos(&state.db, account, today).await?;
    todos.extend(figures.todos.iter().cloned());
    todos.sort_by_key(|t| !t.urgent);
    let chrome = Chrome::new(&caller, "首页", "home", &[])?;
    Ok(render(&HomePage {
        chrome,
        term_label: &figures.term_label,
        schools: figures.schools,
        students: figures.students,
        classes: figures.classes,
        large: figures.large,
        year: figures.year,
        county_wide: account.scope.is_county(),
        safety: &figures.safety,
        party_branches,
        todos,
        charts: &figures.charts,
    })?
    .into_response())
}

async fn figures(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
    today: chrono::NaiveDate,
) -> Result<Figures, crate::error::PageError> {
    let terms = terms(state, account).await?;
    let (term, term_label) = pick_term(&terms, None);
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
    let safety = super::safety::home_card(state, account).await?;
    let work = emis_app::home::work(&state.db, account, today, &safety.counts).await?;
    let charts = home_charts(account, &work, &safety);
    Ok(Figures {
        term_label,
        schools,
        students,
        classes,
        large,
        year,
        safety,
        todos: work.todos,
        charts,
    })
}

/// The home's small charts, for the areas the account works in: cases by township
/// (控辍保学), proposals by status (资助), hazards by state (安全).
fn home_charts(
    account: &emis_app::auth::Account,
    work: &emis_app::home::Work,
    safety: &super::safety::HomeCard,
) -> Vec<(&'static str, String)> {
    let scope = crate::page::scope_title(account);
    let mut charts = Vec::new();
    if !work.cases.is_empty() {
        charts.push(("/dropout", super::dropout::cases_chart(&scope, &work.cases)));
    }
    if work.proposals.iter().any(|(_, n)| *n > 0) {
        let rows: Vec<(String, u64)> = work
            .proposals
            .iter()
            .map(|(label, n)| (label.clone(), *n as u64))
            .collect();
        charts.push((
            "/aid/proposals",
            super::charts::count_chart(&format!("{scope}资助申报（按状态，份）"), &rows),
        ));
    }
    if safety.counts.total > 0 {
        charts.push((
            "/safety",
            super::safety::hazards_chart(&scope, &safety.counts),
        ));
    }
    charts
}
