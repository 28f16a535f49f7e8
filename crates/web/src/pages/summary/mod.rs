//! 年度工作总结 pages: the year's document as it reads now (every figure a link to its
//! records), its sections with each office's editor (figures are `{code}` fields the office
//! places, never types), the leader's review (send a section back, publish), the published
//! versions with what changed since, the downloads, and the leadership dashboard.

use crate::download::{file, Disposition};
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use chrono::{Datelike, NaiveDate};
use emis_app::registry::FieldError;
use emis_app::summary::{self as service, Dashboard, FigureChange, SummaryView, VersionView};
use emis_domain::access::Permission;
use emis_domain::summary as doc;

/// The year a summary is usually about: the last one in January and February (the
/// bureau writes it then), the running one after.
pub fn default_year(today: NaiveDate) -> i32 {
    if today.month() <= 2 {
        today.year() - 1
    } else {
        today.year()
    }
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    version: Option<i64>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage {
    chrome: Chrome,
    year: i32,
    v: SummaryView,
    /// The document with today's figures, as html (links to the records).
    preview: String,
    /// The indicator codes an office may place, with their names and units.
    codes: Vec<(String, String)>,
    /// Each section's figure editor (html of its lines; empty when not editable).
    editors: Vec<String>,
    offices: String,
    can_draft: bool,
    can_publish: bool,
    /// The section whose text was refused, its text as posted, and why.
    error_section: i64,
    posted: String,
    error_field: String,
    error: String,
}

/// A refused post: which section (0: the year's forms) and the text as posted.
#[derive(Default)]
pub struct Posted {
    section: i64,
    text: String,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<Posted>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let year = year.unwrap_or_else(|| default_year(today));
    let v = service::view(&state.db, account, year).await?;
    let template = service::template_text(&state.db, account.county(), year).await?;
    let figures = service::figures(&state.db, account.county(), year).await?;
    let preview =
        match service::render_with(&state.db, account.county(), &figures, &template, today).await {
            Ok(rendered) => doc::to_html_compared(&rendered),
            Err(e) => format!("<p class=\"error\">{}</p>", askama_escape(&e.to_string())),
        };
    // Each editable section's figure editor (the text refused, as posted, after a refusal).
    let editors = v
        .sections
        .iter()
        .map(|s| match (s.editable, round.form.section == s.id) {
            (false, _) => String::new(),
            (true, true) => doc::editor_html(&round.form.text.replace("\r\n", "\n"), &figures),
            (true, false) => doc::editor_html(&s.source, &figures),
        })
        .collect();
    let codes = emis_domain::indicators::CATALOG
        .iter()
        .map(|i| (i.code.to_string(), i.name.to_string()))
        .collect();
    let chrome = Chrome::new(
        caller,
        "年度工作总结",
        "summary",
        &[("年度工作总结", "/reports/summary")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&SummaryPage {
            chrome,
            year,
            v,
            preview,
            codes,
            editors,
            offices: doc::OFFICES.join("、"),
            can_draft: account.role.permits(Permission::DraftSummary),
            can_publish: account.role.permits(Permission::PublishSummary),
            error_section: round.form.section,
            posted: round.form.text,
            error_field,
            error,
        })?,
    )
        .into_response())
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub async fn summary(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    page(&state, &caller, q.year, Round::default()).await
}

fn back(year: i32) -> String {
    format!("/reports/summary?year={year}")
}

#[derive(serde::Deserialize, Default)]
pub struct YearForm {
    #[serde(default)]
    year: String,
}

fn year_of(raw: &str, state: &AppState) -> i32 {
    raw.trim()
        .parse()
        .unwrap_or_else(|_| default_year(state.clock.today()))
}

pub async fn start(Ctx { state, caller }: Ctx, Form(form): Form<YearForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form.year, &state);
    let outcome = service::start(&state.db, account, year, &caller.source).await;
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

/// A section's text as its office posts it; `submit` present: hand it in for review.
#[derive(serde::Deserialize, Default)]
pub struct SectionForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    text: String,
    submit: Option<String>,
    #[serde(default)]
    reason: String,
}

/// The section a form names; a form that names none is refused on that field.
fn section_of(form: &SectionForm) -> Result<i64, FieldError> {
    form.section.trim().parse().map_err(|_| FieldError {
        field: "section",
        reason: "未指定章节".to_string(),
    })
}

pub async fn save_section(Ctx { state, caller }: Ctx, Form(form): Form<SectionForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form.year, &state);
    let posted = |section: i64| Posted {
        section,
        text: form.text.clone(),
    };
    let section = match section_of(&form) {
        Ok(id) => id,
        Err(e) => return page(&state, &caller, Some(year), Round::refused(posted(0), e)).await,
    };
    let outcome = service::save_section(
        &state.db,
        account,
        section,
        &form.text,
        form.submit.is_some(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| format!("{}#section-{section}", back(year)),
        |e| {
            page(
                &state,
                &caller,
                Some(year),
                Round::refused(posted(section), e),
            )
        },
    )
    .await
}

pub async fn send_back(Ctx { state, caller }: Ctx, Form(form): Form<SectionForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form.year, &state);
    let section = match section_of(&form) {
        Ok(id) => id,
        Err(e) => {
            return page(
                &state,
                &caller,
                Some(year),
                Round::refused(Posted::default(), e),
            )
            .await
        }
    };
    let outcome =
        service::send_back(&state.db, account, section, &form.reason, &caller.source).await;
    round_trip(
        outcome,
        |_| back(year),
        |e| {
            let posted = Posted {
                section,
                text: String::new(),
            };
            page(&state, &caller, Some(year), Round::refused(posted, e))
        },
    )
    .await
}

pub async fn publish(Ctx { state, caller }: Ctx, Form(form): Form<YearForm>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&form.year, &state);
    let outcome = service::publish(
        &state.db,
        account,
        year,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |version| format!("/reports/summary/published?year={year}&version={version}"),
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

#[derive(Template)]
#[template(path = "summary_published.html")]
struct PublishedPage {
    chrome: Chrome,
    year: i32,
    version: VersionView,
    versions: Vec<VersionView>,
    document: String,
    changes: Vec<FigureChange>,
}

/// A published version as it was published (its frozen figures), and what the records
/// say differently today.
pub async fn published(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = q.year.unwrap_or_else(|| default_year(state.clock.today()));
    let versions = service::view(&state.db, account, year).await?.versions;
    if versions.is_empty() && q.version.is_none() {
        // Nothing published yet: the year's page says so and shows the draft.
        return Ok(axum::response::Redirect::to(&back(year)).into_response());
    }
    let p = service::published(&state.db, account, year, q.version).await?;
    let chrome = Chrome::new(
        &caller,
        "已发布的年度工作总结",
        "summary",
        &[
            ("年度工作总结", "/reports/summary"),
            ("已发布版本", "/reports/summary/published"),
        ],
    )?;
    Ok(render(&PublishedPage {
        chrome,
        year,
        document: doc::to_html_compared(&p.document),
        version: p.version,
        versions,
        changes: p.changes,
    })?
    .into_response())
}

/// The document as a file: docx (official layout), html (links kept, print-ready) or md;
/// `version` names a published version (its frozen figures, made at once), none: today's
/// figures, computed from the records as a background job with its progress page.
pub async fn download(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let year = q.year.unwrap_or_else(|| default_year(today));
    let format = q.format.clone();
    if let Some(version) = q.version {
        let published = service::published(&state.db, account, year, Some(version)).await?;
        return as_file(&published.document, year, format.as_deref());
    }
    // The live document is read with the same right as the page.
    service::view(&state.db, account, year).await?;
    let (db, county) = (state.db.clone(), account.county().to_string());
    let title = format!("由记录生成{year}年度工作总结");
    super::jobs::download_or_job(
        &state,
        account,
        super::jobs::Making::Long,
        &title,
        move || async move {
            let rendered = service::document(&db, &county, year, today).await?;
            as_file(&rendered, year, format.as_deref())
        },
    )
    .await
}

/// A rendered summary as the file of `format` (docx unless html or md).
fn as_file(rendered: &doc::Rendered, year: i32, format: Option<&str>) -> PageResult {
    let name = format!("{}{}", rendered.issuer, rendered.title);
    let (bytes, mime, ext) = match format.unwrap_or("docx") {
        "html" => (
            doc::to_html_document(rendered, true).into_bytes(),
            "text/html; charset=utf-8",
            "html",
        ),
        "md" => (
            doc::to_markdown(rendered).into_bytes(),
            "text/markdown; charset=utf-8",
            "md",
        ),
        _ => (
            emis_io::write_docx(rendered)
                .map_err(|e| emis_app::AppError::Refused(format!("无法生成 docx：{e}")))?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
    };
    Ok(file(
        bytes,
        mime,
        Disposition::Attachment,
        &format!("summary-{year}.{ext}"),
        &format!("{name}.{ext}"),
    ))
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    year: i32,
    d: Dashboard,
    /// Module names in order, each with its figures' indexes.
    groups: Vec<(String, Vec<usize>)>,
}

/// 领导驾驶舱: the year's figures so far against the year before, by module.
pub async fn dashboard(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let d = service::dashboard(&state.db, account, year).await?;
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, f) in d.figures.iter().enumerate() {
        match groups.last_mut() {
            Some((module, list)) if *module == f.module => list.push(i),
            _ => groups.push((f.module.clone(), vec![i])),
        }
    }
    let chrome = Chrome::new(
        &caller,
        "领导驾驶舱",
        "dashboard",
        &[("领导驾驶舱", "/reports/dashboard")],
    )?;
    Ok(render(&DashboardPage {
        chrome,
        year,
        d,
        groups,
    })?
    .into_response())
}
