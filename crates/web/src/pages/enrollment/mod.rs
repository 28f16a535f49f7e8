//! 招生与班额 pages: the class-size monitor with SVG charts, the large-class ledger, zones
//! and intake plans, applicant import, allocation runs (what-ifs, comparison,
//! publication) and balanced classes.

use super::{nonempty, pick_term, terms};
use crate::error::{PageError, WebError};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::enrollment::queries;
use emis_app::enrollment::{self as service, BandCounts, GroupRow, Monitor, SheetReport};
use emis_app::AppError;
use emis_domain::enrollment::{Comparison, ScenarioChange};
use emis_domain::identity::mask_id;
use emis_domain::registry::Grade;
use emis_domain::term::Term;
use serde::Deserialize;

pub(crate) fn bad(message: impl Into<String>) -> PageError {
    PageError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        message.into(),
    ))
}

/// A run id from the path (`{run}`), refused when not a number.
pub(crate) fn run_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .map_err(|_| AppError::Refused(format!("方案编号“{raw}”无效")))
}

const YEAR: i32 = 2021;

fn year_of(raw: &Option<String>) -> i32 {
    raw.as_deref()
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..2100).contains(y))
        .unwrap_or(YEAR)
}

// ---------------------------------------------------------------- SVG charts

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A grouped bar chart (two series), drawn on the server as an SVG string.
pub fn bar_chart(title: &str, series: [&str; 2], bars: &[(String, u32, u32)]) -> String {
    let width = 760.0_f64;
    let height = 260.0_f64;
    let (left, right, top, bottom) = (44.0, 12.0, 34.0, 64.0);
    let max = bars
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(1)
        .div_ceil(4)
        * 4;
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.38).min(26.0);
    let colors = ["#c0c4cc", "#f56c6c"];
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}"><text x="{left}" y="18" font-size="14" font-weight="bold">{t}</text>"#,
        t = esc(title)
    );
    for (i, name) in series.iter().enumerate() {
        let x = width - 220.0 + i as f64 * 110.0;
        svg.push_str(&format!(
            r#"<rect x="{x}" y="8" width="12" height="12" fill="{}"/><text x="{}" y="18" font-size="12">{}</text>"#,
            colors[i],
            x + 16.0,
            esc(name)
        ));
    }
    for k in 0..=4 {
        let v = f64::from(max) * f64::from(k) / 4.0;
        let y = top + plot_h - plot_h * f64::from(k) / 4.0;
        svg.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ebeef5"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#909399">{:.0}</text>"##,
            width - right,
            left - 4.0,
            y + 4.0,
            v
        ));
    }
    for (i, (label, a, b)) in bars.iter().enumerate() {
        let x0 = left + slot * i as f64 + slot / 2.0 - bar_w;
        for (j, v) in [a, b].iter().enumerate() {
            let h = plot_h * f64::from(**v) / f64::from(max);
            svg.push_str(&format!(
                r#"<rect x="{:.1}" y="{:.1}" width="{bar_w:.1}" height="{h:.1}" fill="{}"><title>{}：{}</title></rect>"#,
                x0 + j as f64 * bar_w,
                top + plot_h - h,
                colors[j],
                esc(label),
                v
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" transform="rotate(-40 {:.1} {:.1})">{}</text>"#,
            x0 + bar_w,
            top + plot_h + 14.0,
            x0 + bar_w,
            top + plot_h + 14.0,
            esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal stacked bar per group: classes by band (≤45, 46–55, 56–65, 66+).
pub fn band_chart(title: &str, rows: &[(String, BandCounts)]) -> String {
    let width = 760.0_f64;
    let row_h = 26.0;
    let left = 90.0;
    let height = 44.0 + row_h * rows.len() as f64 + 10.0;
    let colors = ["#95d475", "#eebe77", "#f89898", "#c45656"];
    let names = ["45人及以下", "46–55人", "56–65人", "66人及以上"];
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}"><text x="0" y="18" font-size="14" font-weight="bold">{t}</text>"#,
        t = esc(title)
    );
    for (i, name) in names.iter().enumerate() {
        let x = 300.0 + i as f64 * 112.0;
        svg.push_str(&format!(
            r#"<rect x="{x}" y="8" width="12" height="12" fill="{}"/><text x="{}" y="18" font-size="12">{name}</text>"#,
            colors[i],
            x + 16.0
        ));
    }
    for (i, (label, c)) in rows.iter().enumerate() {
        let y = 34.0 + row_h * i as f64;
        let total = f64::from(c.classes.max(1));
        let parts = [
            c.classes - c.big - c.large,
            c.big,
            c.large - c.oversize,
            c.oversize,
        ];
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 15.0,
            esc(label)
        ));
        let mut x = left;
        for (j, n) in parts.iter().enumerate() {
            let w = (width - left - 60.0) * f64::from(*n) / total;
            if w > 0.0 {
                svg.push_str(&format!(
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="18" fill="{}"><title>{}：{}个班</title></rect>"#,
                    colors[j], names[j], n
                ));
            }
            x += w;
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#606266">{}班</text>"##,
            x + 4.0,
            y + 14.0,
            c.classes
        ));
    }
    svg.push_str("</svg>");
    svg
}

// ---------------------------------------------------------------- monitor

#[derive(Deserialize, Default)]
pub struct TermQuery {
    term: Option<String>,
}

#[derive(Template)]
#[template(path = "enrollment_monitor.html")]
struct MonitorPage {
    chrome: Chrome,
    terms: Vec<(String, String)>,
    m: Monitor,
    township_chart: String,
    stage_chart: String,
    schools: Vec<GroupRow>,
    can_plan: bool,
}

async fn term_of(
    state: &AppState,
    asked: Option<&str>,
) -> Result<(Vec<(String, String)>, Term), PageError> {
    let terms = terms(state).await?;
    let (code, _) = pick_term(&terms, asked);
    let term = Term::parse(&code).ok_or_else(|| bad("学期无效"))?;
    Ok((terms, term))
}

pub async fn monitor(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<TermQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (terms, term) = term_of(&state, nonempty(&q.term).as_deref()).await?;
    let m = service::monitor(&state.db, &account.scope, term).await?;
    let township_chart = bar_chart(
        "各乡镇大班额（56人及以上）班级数",
        [&m.prev_label, &m.term_label],
        &m.by_township
            .iter()
            .map(|t| (t.label.clone(), t.prev.large, t.now.large))
            .collect::<Vec<_>>(),
    );
    let stage_chart = band_chart(
        &format!("{} 各学段班额分布", m.term_label),
        &m.by_stage
            .iter()
            .map(|s| (s.label.clone(), s.now))
            .collect::<Vec<_>>(),
    );
    let schools: Vec<GroupRow> = m.by_school.iter().take(60).cloned().collect();
    let chrome = Chrome::new(
        &caller,
        "班额监测",
        "enrollment",
        &[("招生与班额", "/enrollment"), ("班额监测", "/enrollment")],
    )?;
    Ok(render(&MonitorPage {
        chrome,
        terms,
        township_chart,
        stage_chart,
        schools,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        m,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct SettingsForm {
    big_from: u32,
    large_from: u32,
    oversize_from: u32,
    standard_primary: u32,
    standard_secondary: u32,
}

pub async fn save_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let mut rules = queries::settings(&state.db, account).await?;
    rules.big_from = f.big_from;
    rules.large_from = f.large_from;
    rules.oversize_from = f.oversize_from;
    rules.standard_primary = f.standard_primary;
    rules.standard_secondary = f.standard_secondary;
    service::save_settings(&state.db, account, &rules, &caller.source).await?;
    Ok(Redirect::to("/enrollment").into_response())
}

// ---------------------------------------------------------------- ledger

#[derive(Template)]
#[template(path = "enrollment_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    rows: Vec<queries::LedgerEntry>,
    open: usize,
    terms: Vec<(String, String)>,
    can_plan: bool,
}

pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let rows = service::ledger(&state.db, &account.scope).await?;
    let open = rows.iter().filter(|r| r.closed_on.is_none()).count();
    let chrome = Chrome::new(
        &caller,
        "大班额台账",
        "ledger",
        &[
            ("招生与班额", "/enrollment"),
            ("大班额台账", "/enrollment/ledger"),
        ],
    )?;
    Ok(render(&LedgerPage {
        chrome,
        rows,
        open,
        terms: terms(&state).await?,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct SyncForm {
    term: String,
}

pub async fn ledger_sync(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<SyncForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = Term::parse(&f.term).ok_or_else(|| bad("学期无效"))?;
    service::ledger_sync(&state.db, account, term, &caller.source).await?;
    Ok(Redirect::to("/enrollment/ledger").into_response())
}

#[derive(Deserialize)]
pub struct LedgerForm {
    plan: String,
    owner: String,
    target_date: Option<String>,
    closed_on: Option<String>,
}

pub async fn ledger_update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(entry): Path<String>,
    Form(f): Form<LedgerForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let id = run_id(&entry)?;
    service::ledger_update(
        &state.db,
        account,
        id,
        &f.plan,
        &f.owner,
        f.target_date.as_deref().unwrap_or(""),
        f.closed_on.as_deref().unwrap_or(""),
        &caller.source,
    )
    .await?;
    Ok(Redirect::to("/enrollment/ledger").into_response())
}

// ---------------------------------------------------------------- zones and plans

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

struct ZoneView {
    grade: String,
    school_code: String,
    school_name: String,
    communities: String,
    classes: u32,
    class_size: u32,
}

#[derive(Template)]
#[template(path = "enrollment_zones.html")]
struct ZonesPage {
    chrome: Chrome,
    year: i32,
    zones: Vec<ZoneView>,
    communities: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    distances: usize,
    report: Option<SheetReport>,
}

async fn zones_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    report: Option<SheetReport>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let county = account.county();
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let mut zones = Vec::new();
    for (grade, zone, named) in service::zone_table(&state.db, county, year).await? {
        let plan = queries::plans(&state.db, account, year, grade)
            .await?
            .into_iter()
            .find(|p| p.school_code == zone.school_code);
        zones.push(ZoneView {
            grade: grade.label().to_string(),
            school_name: names.get(&zone.school_code).cloned().unwrap_or_default(),
            school_code: zone.school_code,
            communities: named
                .iter()
                .map(|(c, n)| format!("{n}（{c}）"))
                .collect::<Vec<_>>()
                .join("、"),
            classes: plan.as_ref().map(|p| p.classes).unwrap_or(0),
            class_size: plan.as_ref().map(|p| p.class_size).unwrap_or(0),
        });
    }
    let communities = queries::communities(&state.db, account)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let schools = queries::entry_schools(&state.db, account).await?;
    let distances = queries::distance_count(&state.db, account).await?;
    let chrome = Chrome::new(
        caller,
        "学区与招生计划",
        "zones",
        &[
            ("招生与班额", "/enrollment"),
            ("学区与招生计划", "/enrollment/zones"),
        ],
    )?;
    Ok(render(&ZonesPage {
        chrome,
        year,
        zones,
        communities,
        schools,
        distances,
        report,
    })?
    .into_response())
}

pub async fn zones(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    zones_page(&state, &caller, year_of(&q.year), None).await
}

#[derive(Deserialize)]
pub struct ZoneForm {
    year: Option<String>,
    grade: String,
    community: String,
    school: String,
}

pub async fn set_zone(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<ZoneForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let year = year_of(&f.year);
    service::set_zone(
        &state.db,
        account,
        year,
        grade,
        f.community.trim(),
        f.school.trim(),
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/zones?year={year}")).into_response())
}

#[derive(Deserialize)]
pub struct PlanForm {
    year: Option<String>,
    grade: String,
    school: String,
    classes: u32,
}

pub async fn set_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<PlanForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let year = year_of(&f.year);
    service::set_plan(
        &state.db,
        account,
        year,
        grade,
        f.school.trim(),
        f.classes,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/zones?year={year}")).into_response())
}

/// A multipart upload: its text fields and the file saved to a temporary path.
struct Upload {
    fields: std::collections::HashMap<String, String>,
    file: tempfile::NamedTempFile,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, PageError> {
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or("").to_ascii_lowercase();
            let ext = if fname.ends_with(".csv") {
                ".csv"
            } else {
                ".xlsx"
            };
            let bytes = field
                .bytes()
                .await
                .map_err(|e| crate::error::upload_refusal(e.status()))?;
            if bytes.is_empty() {
                return Err(bad("请选择要上传的文件"));
            }
            let tmp = tempfile::Builder::new()
                .suffix(ext)
                .tempfile()
                .map_err(|e| bad(e.to_string()))?;
            std::fs::write(tmp.path(), &bytes).map_err(|e| bad(e.to_string()))?;
            file = Some(tmp);
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    let file = file.ok_or_else(|| bad("请选择要上传的文件"))?;
    Ok(Upload { fields, file })
}

pub async fn import_zones(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let table =
        emis_io::read_table(upload.file.path(), service::ZONE_COLUMNS).map_err(AppError::from)?;
    let report = service::import_zones(&state.db, account, year, &table, &caller.source).await?;
    zones_page(&state, &caller, year, Some(report)).await
}

pub async fn import_distances(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let table = emis_io::read_table(upload.file.path(), service::DISTANCE_COLUMNS)
        .map_err(AppError::from)?;
    let report = service::import_distances(&state.db, account, &table, &caller.source).await?;
    zones_page(&state, &caller, year, Some(report)).await
}

pub async fn export_zones(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = year_of(&q.year);
    let rows = service::zone_rows(&state.db, account.county(), year).await?;
    let tmp = tempfile::Builder::new()
        .suffix(".xlsx")
        .tempfile()
        .map_err(|e| bad(e.to_string()))?;
    let headers: Vec<&str> = service::ZONE_COLUMNS.iter().map(|c| c.name).collect();
    emis_io::write_sheet(tmp.path(), "学区", &headers, rows).map_err(AppError::from)?;
    let bytes = std::fs::read(tmp.path()).map_err(|e| bad(e.to_string()))?;
    Ok(crate::download::xlsx(
        bytes,
        &format!("zones-{year}.xlsx"),
        &format!("{year}年招生学区.xlsx"),
    ))
}

// ---------------------------------------------------------------- applicants

#[derive(Template)]
#[template(path = "enrollment_applicants.html")]
struct ApplicantsPage {
    chrome: Chrome,
    year: i32,
    counts: Vec<(String, usize)>,
    report: Option<SheetReport>,
}

async fn applicants_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    report: Option<SheetReport>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let mut counts = Vec::new();
    for grade in service::ENTRY_GRADES {
        let n = queries::applicant_count(&state.db, account, year, grade).await?;
        counts.push((grade.label().to_string(), n));
    }
    let chrome = Chrome::new(
        caller,
        "报名导入",
        "applicants",
        &[
            ("招生与班额", "/enrollment"),
            ("报名导入", "/enrollment/applicants"),
        ],
    )?;
    Ok(render(&ApplicantsPage {
        chrome,
        year,
        counts,
        report,
    })?
    .into_response())
}

pub async fn applicants(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    applicants_page(&state, &caller, year_of(&q.year), None).await
}

pub async fn import_applicants(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let upload = read_upload(multipart).await?;
    let year = year_of(&upload.fields.get("year").cloned());
    let grade = upload
        .fields
        .get("grade")
        .and_then(|g| service::parse_entry_grade(g))
        .ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let table = emis_io::read_table(upload.file.path(), service::APPLICANT_COLUMNS)
        .map_err(AppError::from)?;
    let report =
        service::import_applicants(&state.db, account, year, grade, &table, &caller.source).await?;
    applicants_page(&state, &caller, year, Some(report)).await
}

// ---------------------------------------------------------------- runs

#[derive(Template)]
#[template(path = "enrollment_runs.html")]
struct RunsPage {
    chrome: Chrome,
    runs: Vec<queries::RunRow>,
    can_plan: bool,
    schools: Vec<(String, String)>,
    communities: Vec<(String, String)>,
}

pub async fn runs(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let runs = service::runs(&state.db, account).await?;
    let schools = queries::entry_schools(&state.db, account).await?;
    let communities = queries::communities(&state.db, account)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let chrome = Chrome::new(
        &caller,
        "派位方案",
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    Ok(render(&RunsPage {
        chrome,
        runs,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        schools,
        communities,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct RunForm {
    name: String,
    grade: String,
    year: Option<String>,
    add_school: Option<String>,
    add_classes: Option<String>,
    move_community: Option<String>,
    move_to: Option<String>,
}

/// The what-if changes of the run form.
fn changes_of(f: &RunForm, grade: Grade) -> Result<Vec<ScenarioChange>, PageError> {
    let mut changes = Vec::new();
    if let (Some(school), Some(n)) = (nonempty(&f.add_school), nonempty(&f.add_classes)) {
        let n: i32 = n.parse().map_err(|_| bad("增加班数应为整数"))?;
        if n != 0 {
            changes.push(ScenarioChange::AddClasses {
                school_code: school,
                grade,
                n,
            });
        }
    }
    if let (Some(community), Some(to)) = (nonempty(&f.move_community), nonempty(&f.move_to)) {
        changes.push(ScenarioChange::MoveCommunity {
            community,
            to_school: to,
        });
    }
    Ok(changes)
}

pub async fn create_run(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<RunForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let changes = changes_of(&f, grade)?;
    let id = service::run_allocation(
        &state.db,
        account,
        year_of(&f.year),
        grade,
        &f.name,
        changes,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}")).into_response())
}

struct SchoolLine {
    code: String,
    name: String,
    classes_planned: u32,
    capacity: u32,
    zone_applicants: u32,
    placed_zone: u32,
    placed_overflow: u32,
    placed: u32,
    free_places: u32,
    classes_needed: u32,
    largest_class: u32,
}

struct PlacementLine {
    id: String,
    name: String,
    community: String,
    school: String,
    kind: String,
    rank: i64,
    reason: String,
}

#[derive(Template)]
#[template(path = "enrollment_run.html")]
struct RunPage {
    chrome: Chrome,
    run: queries::RunRow,
    changes: Vec<String>,
    schools: Vec<SchoolLine>,
    placements: Vec<PlacementLine>,
    unplaced: Vec<(String, String)>,
    school: String,
    balanced: Vec<service::BalancedView>,
    can_plan: bool,
    can_form: bool,
    warnings: Vec<String>,
    chart: String,
}

#[derive(Deserialize, Default)]
pub struct RunQuery {
    school: Option<String>,
}

pub async fn run(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    Query(q): Query<RunQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    let view = service::run_view(&state.db, account, id).await?;
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, account.county())
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let name_of = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
    let school = nonempty(&q.school);
    let placements = service::placements(&state.db, account, id, school.as_deref())
        .await?
        .into_iter()
        .take(500)
        .map(|p| PlacementLine {
            id: mask_id(&p.id_number),
            name: p.name,
            community: p.community,
            school: p
                .school_code
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "未安排".into()),
            kind: p.kind,
            rank: p.rank,
            reason: p.reason,
        })
        .collect();
    let schools: Vec<SchoolLine> = view
        .result
        .schools
        .iter()
        .map(|s| SchoolLine {
            name: name_of(&s.school_code),
            code: s.school_code.clone(),
            classes_planned: s.classes_planned,
            capacity: s.capacity,
            zone_applicants: s.zone_applicants,
            placed_zone: s.placed_zone,
            placed_overflow: s.placed_overflow,
            placed: s.placed,
            free_places: s.free_places,
            classes_needed: s.classes_needed,
            largest_class: s.largest_class,
        })
        .collect();
    let chart = bar_chart(
        "各校学位与录取人数",
        ["计划学位", "录取"],
        &schools
            .iter()
            .map(|s: &SchoolLine| (s.name.clone(), s.capacity, s.placed))
            .collect::<Vec<_>>(),
    );
    let unplaced = view
        .result
        .unplaced
        .iter()
        .take(200)
        .map(|u| (mask_id(&u.applicant_id), u.message.clone()))
        .collect();
    let balanced = service::balanced(&state.db, account, id).await?;
    let chrome = Chrome::new(
        &caller,
        &format!("派位方案：{}", view.run.name),
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    let can_form = account
        .role
        .permits(emis_domain::access::Permission::FormClasses);
    Ok(render(&RunPage {
        chrome,
        changes: view.changes.iter().map(ScenarioChange::describe).collect(),
        warnings: view.result.warnings.clone(),
        run: view.run,
        schools,
        placements,
        unplaced,
        school: school.unwrap_or_default(),
        chart,
        balanced,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        can_form,
    })?
    .into_response())
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    service::publish(&state.db, account, id, &caller.source).await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ClassesForm {
    school: String,
    seed: Option<String>,
}

pub async fn form_classes(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
    Form(f): Form<ClassesForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    let seed = match nonempty(&f.seed) {
        Some(s) => Some(s.parse::<u64>().map_err(|_| bad("随机种子应为非负整数"))?),
        None => None,
    };
    service::form_balanced(
        &state.db,
        account,
        id,
        f.school.trim(),
        seed,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}#classes")).into_response())
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

#[derive(Template)]
#[template(path = "enrollment_compare.html")]
struct ComparePage {
    chrome: Chrome,
    runs: Vec<queries::RunRow>,
    a: i64,
    b: i64,
    cmp: Option<Comparison>,
    /// (school, classes delta, capacity delta, placed delta)
    schools: Vec<(String, i64, i64, i64)>,
    /// (masked id, school in A, school in B, reason in B), the first 300
    changed: Vec<(String, String, String, String)>,
}

pub async fn compare(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let runs = service::runs(&state.db, account).await?;
    let (a, b) = (nonempty(&q.a), nonempty(&q.b));
    let cmp = match (&a, &b) {
        (Some(a), Some(b)) => {
            Some(service::compare_runs(&state.db, account, run_id(a)?, run_id(b)?).await?)
        }
        _ => None,
    };
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, account.county())
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let name = |c: &Option<String>| match c {
        Some(c) => names.get(c).cloned().unwrap_or_else(|| c.clone()),
        None => "未安排".to_string(),
    };
    let (schools, changed) = match &cmp {
        Some(c) => (
            c.schools
                .iter()
                .map(|s| {
                    (
                        name(&Some(s.school_code.clone())),
                        s.classes_delta,
                        s.capacity_delta,
                        s.placed_delta,
                    )
                })
                .collect(),
            c.changed
                .iter()
                .take(300)
                .map(|p| {
                    (
                        mask_id(&p.applicant_id),
                        name(&p.before_school),
                        name(&p.after_school),
                        p.after_reason.clone(),
                    )
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let chrome = Chrome::new(
        &caller,
        "方案比较",
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    Ok(render(&ComparePage {
        chrome,
        runs,
        a: a.as_deref().and_then(|x| x.parse().ok()).unwrap_or(0),
        b: b.as_deref().and_then(|x| x.parse().ok()).unwrap_or(0),
        cmp,
        schools,
        changed,
    })?
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_labels_escaped() {
        let svg = bar_chart(
            "各乡镇<大班额>",
            ["春季", "秋季"],
            &[("卢峰镇".into(), 496, 0), ("A&B".into(), 3, 1)],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("各乡镇&lt;大班额&gt;") && svg.contains("A&amp;B"));
        assert_eq!(svg.matches("<rect").count(), 2 + 4);
        let counts = BandCounts {
            classes: 10,
            students: 500,
            big: 3,
            large: 2,
            oversize: 1,
        };
        let svg = band_chart("分布", &[("小学".into(), counts)]);
        assert_eq!(svg.matches("<title>").count(), 4);
    }
}
