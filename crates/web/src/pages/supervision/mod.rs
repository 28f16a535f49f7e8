//! 督导评估 pages: the 督导检查 desk (the campaign desk of area 督导, `pages::campaigns`) and
//! the yearly assessment: the scheme, the results by rank with the county's averages (a
//! school sees its own row and the averages, once published), and the office's forms for
//! the scheme, the inspectors' scores, computing and publishing.

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::pages::campaigns;
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use chrono::Datelike;
use emis_app::safety::campaigns::LaunchForm;
use emis_app::safety::HazardForm;
use emis_app::supervision::assessment::{
    self as service, ResultsView, SchemeForm, SchemeView, ScoreForm,
};
use emis_domain::access::Permission;
use emis_domain::safety::Area;
use emis_domain::supervision::assessment::Source;

/// 督导检查: the supervision office's campaign desk.
pub async fn visits(ctx: Ctx, q: Query<campaigns::YearQuery>) -> PageResult {
    campaigns::show(ctx, Area::Supervision, q).await
}

pub async fn launch_visit(ctx: Ctx, form: Form<LaunchForm>) -> PageResult {
    campaigns::launch(ctx, Area::Supervision, form).await
}

pub async fn record_problem(ctx: Ctx, form: Form<HazardForm>) -> PageResult {
    campaigns::record_problem(ctx, Area::Supervision, form).await
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "supervision_assessment.html")]
struct AssessmentPage {
    chrome: Chrome,
    year: i32,
    scheme: SchemeView,
    r: ResultsView,
    /// The scheme's inspector-scored items (the scores form asks these).
    inspector_items: Vec<(String, f64)>,
    schools: Vec<(String, String)>,
    can_keep: bool,
    scheme_text: String,
    /// The scheme's 文号 as the form shows it.
    scheme_document: String,
    score_school: String,
    error_field: String,
    error: String,
}

/// The forms as posted, shown again after a refusal.
#[derive(Default)]
pub struct Posted {
    /// The scheme's lines and 文号 as posted.
    scheme: Option<(String, String)>,
    school: String,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<Posted>,
) -> PageResult {
    let account = caller.account()?;
    let year = year.unwrap_or_else(|| state.clock.today().year());
    let scheme = service::scheme(&state.db, account, year).await?;
    let r = service::results(&state.db, account, year).await?;
    let can_keep = account.role.permits(Permission::KeepAssessment);
    let schools = if can_keep {
        emis_app::registry::queries::schools_in_scope(&state.db, account)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect()
    } else {
        Vec::new()
    };
    let chrome = Chrome::new(
        caller,
        "绩效目标管理评估",
        "assessment",
        &[("督导评估", "/supervision/assessment")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let (scheme_text, scheme_document) = round.form.scheme.take().unwrap_or_else(|| {
        let number = scheme.document.as_ref().map(|d| d.number.clone());
        (scheme.text.clone(), number.unwrap_or_default())
    });
    Ok((
        code,
        render(&AssessmentPage {
            chrome,
            year,
            inspector_items: scheme
                .items
                .iter()
                .filter(|i| i.source == Source::Inspector)
                .map(|i| (i.name.clone(), i.weight))
                .collect(),
            scheme_text,
            scheme_document,
            score_school: round.form.school,
            scheme,
            r,
            schools,
            can_keep,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn assessment(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    page(&state, &caller, q.year, Round::default()).await
}

fn back(year: impl std::fmt::Display) -> String {
    format!("/supervision/assessment?year={year}")
}

pub async fn save_scheme(Ctx { state, caller }: Ctx, Form(form): Form<SchemeForm>) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome = service::save_scheme(&state.db, account, &form, today, &caller.source).await;
    let year = form.year.trim().parse().ok();
    round_trip(outcome, back, |e| {
        let posted = Posted {
            scheme: Some((form.items.clone(), form.document.clone())),
            ..Posted::default()
        };
        page(&state, &caller, year, Round::refused(posted, e))
    })
    .await
}

/// The scores form: `year`, `school`, `note` and one `score:<item>` a scored item.
pub async fn record_scores(
    Ctx { state, caller }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let account = caller.account()?;
    let mut form = ScoreForm::default();
    for (key, value) in pairs {
        match key.as_str() {
            "year" => form.year = value,
            "school" => form.school = value,
            "note" => form.note = value,
            k => {
                if let Some(item) = k.strip_prefix("score:") {
                    form.scores.insert(item.to_string(), value);
                }
            }
        }
    }
    let today = state.clock.today();
    let outcome = service::record_scores(&state.db, account, &form, today, &caller.source).await;
    let year: Option<i32> = form.year.trim().parse().ok();
    round_trip(
        outcome,
        |_| back(form.year.trim()),
        |e| {
            let posted = Posted {
                school: form.school.clone(),
                ..Posted::default()
            };
            page(&state, &caller, year, Round::refused(posted, e))
        },
    )
    .await
}

#[derive(serde::Deserialize, Default)]
pub struct YearForm {
    #[serde(default)]
    year: String,
}

fn year_of(form: &YearForm, state: &AppState) -> i32 {
    form.year
        .trim()
        .parse()
        .unwrap_or_else(|_| state.clock.today().year())
}

pub async fn compute(Ctx { state, caller }: Ctx, Form(form): Form<YearForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form, &state);
    let outcome = service::compute(
        &state.db,
        account,
        year,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| back(year),
        |e| {
            page(
                &state,
                &caller,
                Some(year),
                Round::refused(Posted::default(), e),
            )
        },
    )
    .await
}

pub async fn publish(Ctx { state, caller }: Ctx, Form(form): Form<YearForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form, &state);
    let outcome = service::publish(&state.db, account, year, &caller.source).await;
    round_trip(
        outcome,
        |_| back(year),
        |e| {
            page(
                &state,
                &caller,
                Some(year),
                Round::refused(Posted::default(), e),
            )
        },
    )
    .await
}
