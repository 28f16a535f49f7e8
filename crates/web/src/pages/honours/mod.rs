//! 荣誉与竞赛 page: the year's register with the titled schools and the competition results
//! by event, level and prize, and the offices' form (refused on its field).

use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use chrono::Datelike;
use emis_app::honours::{self as service, HonourFilter, HonourForm, HonourRegister};
use emis_domain::access::Permission;
use emis_domain::honours::{HonourKind, Level, SubjectKind};

#[derive(Template)]
#[template(path = "honours.html")]
struct HonoursPage {
    chrome: Chrome,
    r: HonourRegister,
    /// (name, count) of the titled schools.
    titled: Vec<(&'static str, i64)>,
    year: i32,
    kind: String,
    level: String,
    subject_kind: String,
    kinds: Vec<&'static str>,
    levels: Vec<&'static str>,
    subject_kinds: Vec<&'static str>,
    can_keep: bool,
    form: HonourForm,
    error_field: String,
    error: String,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    mut filter: HonourFilter,
    mut round: Round<HonourForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = *filter.year.get_or_insert(state.clock.today().year());
    let r = service::register(&state.db, account, &filter).await?;
    let titled = r
        .titled
        .iter()
        .filter_map(|(code, n)| Some((emis_domain::indicators::find(code)?.name, *n)))
        .collect();
    let chrome = Chrome::new(
        caller,
        "荣誉与竞赛",
        "honours",
        &[("荣誉与竞赛", "/honours")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&HonoursPage {
            chrome,
            r,
            titled,
            year,
            kind: filter.kind.unwrap_or_default(),
            level: filter.level.unwrap_or_default(),
            subject_kind: filter.subject_kind.unwrap_or_default(),
            kinds: HonourKind::ALL.iter().map(|k| k.label()).collect(),
            levels: Level::ALL.iter().map(|l| l.label()).collect(),
            subject_kinds: SubjectKind::ALL.iter().map(|s| s.label()).collect(),
            can_keep: account.role.permits(Permission::KeepHonours),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(filter): Query<HonourFilter>,
) -> PageResult {
    page(&state, &caller, filter, Round::default()).await
}

pub async fn record(Ctx { state, caller }: Ctx, Form(form): Form<HonourForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::record(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    let year = emis_domain::dates::parse_date(&form.granted_on).map(|d| d.year());
    round_trip(
        outcome,
        |_| match year {
            Some(y) => format!("/honours?year={y}"),
            None => "/honours".into(),
        },
        |e| {
            page(
                &state,
                &caller,
                HonourFilter::default(),
                Round::refused(form, e),
            )
        },
    )
    .await
}
