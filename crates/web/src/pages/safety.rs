//! 安全管理 pages: the dashboard, the hazard ledger with filters and export, a hazard's
//! workflow forms and evidence, inspections and campaigns, water bodies with measures and
//! the 九长 chain, patrol logs with missing patrols, 十有 and parent-letter coverage.

use super::nonempty;
use crate::error::{PageError, WebError};
use crate::form::{round_trip, SplitRefusal};
use crate::page::{render, Chrome, Pager};
use crate::session::{urlencode, Caller};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::registry::FieldError;
use emis_app::safety::{self as service, TownshipCoverage};
use emis_domain::access::Permission;
use emis_domain::identity::mask_phone;
use emis_domain::safety::drowning;
use emis_domain::safety::{self as rules, yuan, Grade, Status};
use emis_storage::safety::{self as store, HazardQuery, HazardRow};
use serde::Deserialize;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn pct(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn crumbs() -> (&'static str, &'static str) {
    ("安全管理", "/safety")
}

// ---------------------------------------------------------------- dashboard

pub struct CoverageLine {
    pub township: String,
    pub waters: String,
    pub patrols: String,
    pub letters: String,
    pub missing: u32,
}

impl From<&TownshipCoverage> for CoverageLine {
    fn from(c: &TownshipCoverage) -> Self {
        CoverageLine {
            township: c.township_name.clone(),
            waters: format!(
                "{}/{}（{}）",
                c.equipped_waters,
                c.dangerous_waters,
                pct(c.equipped_rate())
            ),
            patrols: pct(c.patrol_rate()),
            letters: format!("{}/{}（{}）", c.signed, c.on_roll, pct(c.letter_rate())),
            missing: c.patrol_required - c.patrol_compliant,
        }
    }
}

#[derive(Template)]
#[template(path = "safety_dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    year: i32,
    counts: store::HazardCounts,
    major: Vec<HazardLine>,
    overdue: Vec<HazardLine>,
    coverage: Vec<CoverageLine>,
    schools: Vec<SchoolLine>,
    missing_patrols: usize,
    escalated_township: usize,
    escalated_county: usize,
}

/// A school's row of the coverage table.
pub struct SchoolLine {
    pub school: String,
    pub letters: String,
    pub ten_haves: String,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match q.year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let d = service::dashboard_of_year(&state.db, account, today(), year).await?;
    let schools = d
        .schools
        .iter()
        .map(|s| SchoolLine {
            letters: format!("{}/{}（{}）", s.signed, s.on_roll, pct(s.letter_rate())),
            ten_haves: format!("{}/{}", s.ten_haves_done, drowning::TEN_HAVES.len()),
            school: s.school_name.clone(),
        })
        .collect();
    let chrome = Chrome::new(&caller, "安全管理", "safety", &[crumbs()])?;
    Ok(render(&DashboardPage {
        chrome,
        year,
        counts: d.counts,
        major: d.major.into_iter().map(HazardLine::from).collect(),
        overdue: d.overdue.into_iter().map(HazardLine::from).collect(),
        coverage: d.coverage.iter().map(CoverageLine::from).collect(),
        schools,
        missing_patrols: d.missing_patrols,
        escalated_township: d.escalated_township,
        escalated_county: d.escalated_county,
    })?
    .into_response())
}

/// The safety card of the home page, as shown.
pub struct HomeCard {
    pub year: i32,
    pub counts: store::HazardCounts,
    pub major: Vec<HazardLine>,
    pub equipped: String,
    pub patrols: String,
    pub letters: String,
}

/// Hazards open, overdue and 重大 as of today and the year's drowning-prevention coverage,
/// within the account's scope; 重大 hazards are listed on the card itself.
pub async fn home_card(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<HomeCard, PageError> {
    let c = service::home_card(&state.db, account, today()).await?;
    Ok(HomeCard {
        year: c.year,
        counts: c.counts,
        major: c.major.into_iter().map(HazardLine::from).collect(),
        equipped: pct(c.equipped_rate),
        patrols: pct(c.patrol_rate),
        letters: pct(c.letter_rate),
    })
}

// ---------------------------------------------------------------- hazard list

pub struct HazardLine {
    pub id: i64,
    pub school_name: String,
    pub found_on: String,
    pub place: String,
    pub category: String,
    pub grade: String,
    pub description: String,
    pub responsible: String,
    pub deadline: String,
    pub status: String,
    pub overdue: bool,
    /// Where an overdue hazard has escalated to (乡镇中心校 / 县教育局).
    pub escalated_to: &'static str,
}

impl From<HazardRow> for HazardLine {
    fn from(h: HazardRow) -> Self {
        let overdue = service::overdue(&h, today());
        let escalated_to = match service::escalation(&h, today()) {
            rules::Escalation::None => "",
            rules::Escalation::Township => "乡镇中心校",
            rules::Escalation::County => "县教育局",
        };
        HazardLine {
            escalated_to,
            id: h.id,
            school_name: h.school_name,
            found_on: h.found_on,
            place: h.place,
            category: h.category,
            grade: h.grade,
            description: h.description,
            responsible: h.responsible.unwrap_or_default(),
            deadline: h.deadline.unwrap_or_default(),
            status: h.status,
            overdue,
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct HazardFilters {
    status: Option<String>,
    grade: Option<String>,
    category: Option<String>,
    school: Option<String>,
    township: Option<String>,
    overdue: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

impl HazardFilters {
    fn query(&self) -> HazardQuery {
        HazardQuery {
            status: nonempty(&self.status),
            grade: nonempty(&self.grade),
            category: nonempty(&self.category),
            school: nonempty(&self.school),
            township: nonempty(&self.township),
            overdue_on: (self.overdue.as_deref() == Some("1")).then(|| today().to_string()),
            from: nonempty(&self.from),
            to: nonempty(&self.to),
            q: nonempty(&self.q),
            page: self.page.unwrap_or(1),
            per_page: 50,
            ..HazardQuery::default()
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("status", self.status.clone().unwrap_or_default()),
            ("grade", self.grade.clone().unwrap_or_default()),
            ("category", self.category.clone().unwrap_or_default()),
            ("school", self.school.clone().unwrap_or_default()),
            ("township", self.township.clone().unwrap_or_default()),
            ("overdue", self.overdue.clone().unwrap_or_default()),
            ("from", self.from.clone().unwrap_or_default()),
            ("to", self.to.clone().unwrap_or_default()),
            ("q", self.q.clone().unwrap_or_default()),
        ]
    }
}

#[derive(Template)]
#[template(path = "safety_hazards.html")]
struct HazardsPage {
    chrome: Chrome,
    rows: Vec<HazardLine>,
    pager: Pager,
    f: HazardFilters,
    statuses: Vec<&'static str>,
    grades: Vec<&'static str>,
    categories: Vec<&'static str>,
    export_href: String,
    print_href: String,
    can_record: bool,
    school_fixed: bool,
    schools: Vec<(String, String)>,
    townships: Vec<(&'static str, &'static str)>,
    inspections: Vec<(String, String)>,
    form: service::HazardForm,
    error_field: String,
    error: String,
}

async fn hazards_page(
    state: &AppState,
    caller: &Caller,
    f: HazardFilters,
    form: service::HazardForm,
    error: Option<FieldError>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let page = store::hazards(&state.db, &account.scope, &f.query()).await?;
    let params = f.params();
    let pager = Pager::new(
        "/safety/hazards",
        &params,
        page.page,
        page.pages(),
        page.total,
    );
    let export: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    let chrome = Chrome::new(
        caller,
        "隐患台账",
        "hazards",
        &[crumbs(), ("隐患台账", "/safety/hazards")],
    )?;
    let (error_field, error) = error
        .map(|e| (e.field.to_string(), e.reason))
        .unwrap_or_default();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut form = form;
    if form.found_on.is_empty() {
        form.found_on = today().to_string();
    }
    let year = service::default_year(&state.db, account.county()).await?;
    let inspections = store::inspections(&state.db, &account.scope, year, None, 200)
        .await?
        .into_iter()
        .map(|i| {
            (
                i.id.to_string(),
                format!(
                    "{} {}{}",
                    i.planned_on,
                    i.title,
                    i.school_name
                        .map(|n| format!("（{n}）"))
                        .unwrap_or_default()
                ),
            )
        })
        .collect();
    let schools = emis_storage::registry::schools(&state.db, account.county())
        .await?
        .into_iter()
        .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
        .map(|s| (s.code, s.name))
        .collect();
    Ok((
        status,
        render(&HazardsPage {
            inspections,
            schools,
            townships: if account.scope.is_county() {
                emis_domain::divisions::county(account.county())
                    .map(|c| c.townships.iter().map(|t| (t.code, t.name)).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            },
            chrome,
            rows: page.items.into_iter().map(HazardLine::from).collect(),
            pager,
            f,
            statuses: Status::ALL.iter().map(|s| s.label()).collect(),
            grades: Grade::ALL.iter().map(|g| g.label()).collect(),
            categories: rules::CATEGORIES.to_vec(),
            export_href: format!("/safety/hazards/export?{}", export.join("&")),
            print_href: format!("/safety/hazards/print?{}", export.join("&")),
            can_record: account.role.permits(Permission::RecordHazards),
            school_fixed: matches!(
                account.scope,
                emis_domain::access::Scope::School { .. }
                    | emis_domain::access::Scope::Class { .. }
            ),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn hazards(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(f): Query<HazardFilters>,
) -> Result<Response, PageError> {
    hazards_page(&state, &caller, f, service::HazardForm::default(), None).await
}

/// Records a hazard from the page's form: multipart with an optional photo (the page), or
/// a plain form.
pub async fn record(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    request: Request,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let (form, file) = if multipart {
        let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
        let form = service::HazardForm {
            school: value(&fields, "school"),
            place: value(&fields, "place"),
            category: value(&fields, "category"),
            grade: value(&fields, "grade"),
            description: value(&fields, "description"),
            found_on: value(&fields, "found_on"),
            inspection: value(&fields, "inspection"),
        };
        (form, file)
    } else {
        let Form(form) = Form::<service::HazardForm>::from_request(request, &state)
            .await
            .map_err(|e| {
                PageError(WebError::Message(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    e.to_string(),
                ))
            })?;
        (form, None)
    };
    let photo = file.as_ref().map(|(name, bytes)| service::Upload {
        file_name: name,
        bytes,
    });
    let outcome = service::record_hazard_with_photo(
        &state.db,
        account,
        &form,
        photo.as_ref(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |id| format!("/safety/hazards/{id}?done=record"),
        |e| hazards_page(&state, &caller, HazardFilters::default(), form, Some(e)),
    )
    .await
}

fn xlsx_response(bytes: Vec<u8>, ascii: &str, chinese: &str) -> Response {
    crate::download::xlsx(bytes, ascii, chinese)
}

fn internal(e: impl std::fmt::Display) -> PageError {
    PageError(WebError::Message(
        StatusCode::INTERNAL_SERVER_ERROR,
        e.to_string(),
    ))
}

/// The filtered ledger as xlsx in the 整改销号登记表 layout.
pub async fn export(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(f): Query<HazardFilters>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("ledger.xlsx");
    service::write_ledger(&state.db, account, &f.query(), &path).await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        "hazard-ledger.xlsx",
        "隐患整改销号登记表.xlsx",
    ))
}

#[derive(Template)]
#[template(path = "safety_ledger_print.html")]
struct LedgerPrintPage {
    chrome: Chrome,
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
    back_href: String,
}

/// The filtered ledger in the 整改销号登记表 layout, for printing (every matching hazard).
pub async fn ledger_print(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(f): Query<HazardFilters>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let rows = service::ledger_rows(&state.db, account, &f.query()).await?;
    let back: Vec<String> = f
        .params()
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    let chrome = Chrome::new(
        &caller,
        "安全隐患排查整改销号登记表",
        "hazards",
        &[
            crumbs(),
            ("隐患台账", "/safety/hazards"),
            ("打印", "/safety/hazards/print"),
        ],
    )?;
    Ok(render(&LedgerPrintPage {
        chrome,
        columns: service::LEDGER_COLUMNS,
        rows,
        back_href: format!("/safety/hazards?{}", back.join("&")),
    })?
    .into_response())
}

/// Drowning-prevention coverage by township and school as xlsx.
pub async fn coverage_export(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match q.year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("coverage.xlsx");
    service::write_coverage(
        &state.db,
        &account.scope,
        year,
        service::until_of(year),
        &path,
    )
    .await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        "drowning-coverage.xlsx",
        &format!("{year}年防溺水工作覆盖情况.xlsx"),
    ))
}

// ---------------------------------------------------------------- hazard detail

#[derive(Template)]
#[template(path = "safety_hazard.html")]
struct HazardPage {
    chrome: Chrome,
    h: HazardRow,
    budget: String,
    overdue: bool,
    evidence: Vec<store::EvidenceRow>,
    can_record: bool,
    can_review: bool,
    can_assign: bool,
    can_rectify: bool,
    can_close: bool,
    error_form: String,
    error_field: String,
    error: String,
    assign: service::AssignForm,
    rectify: service::RectifyForm,
    review: String,
}

#[derive(Default)]
struct Shown {
    flash: Option<String>,
    error: Option<(&'static str, FieldError)>,
    assign: Option<service::AssignForm>,
    rectify: Option<service::RectifyForm>,
    review: String,
}

async fn hazard_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    shown: Shown,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let h = service::visible_hazard(&state.db, account, id).await?;
    let evidence = store::evidence_of(&state.db, id).await?;
    let title = format!("隐患 #{id}");
    let href = format!("/safety/hazards/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "hazards",
        &[crumbs(), ("隐患台账", "/safety/hazards"), (&title, &href)],
    )?
    .with_flash(shown.flash);
    let status = Status::parse(&h.status).unwrap_or(Status::Open);
    let (error_form, error_field, error) = match shown.error {
        Some((form, e)) => (form.to_string(), e.field.to_string(), e.reason),
        None => Default::default(),
    };
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let assign = shown.assign.unwrap_or_else(|| service::AssignForm {
        responsible: h.responsible.clone().unwrap_or_default(),
        measures: h.measures.clone().unwrap_or_default(),
        deadline: h.deadline.clone().unwrap_or_default(),
        budget: if h.budget_fen > 0 {
            yuan(h.budget_fen)
        } else {
            String::new()
        },
    });
    let rectify = shown.rectify.unwrap_or_else(|| service::RectifyForm {
        result: h.result.clone().unwrap_or_default(),
        rectified_on: today().to_string(),
    });
    Ok((
        code,
        render(&HazardPage {
            chrome,
            budget: yuan(h.budget_fen),
            overdue: service::overdue(&h, today()),
            evidence,
            can_record: account.role.permits(Permission::RecordHazards) && status != Status::Closed,
            can_review: account.role.permits(Permission::ReviewHazards),
            can_assign: matches!(status, Status::Open | Status::Rectifying | Status::SentBack),
            can_rectify: matches!(status, Status::Rectifying | Status::SentBack),
            can_close: status == Status::AwaitingReview,
            h,
            error_form,
            error_field,
            error,
            assign,
            rectify,
            review: shown.review,
        })?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn hazard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let flash = q.done.as_deref().map(|d| {
        match d {
            "record" => "隐患已登记，请落实整改责任人、措施、时限和资金。",
            "assign" => "整改责任已落实，已记入审计日志。",
            "rectify" => "整改结果已报告，等待教育局复查。",
            "evidence" => "材料已上传。",
            "close" => "已复查销号。",
            "send-back" => "已退回学校重新整改。",
            _ => "已保存。",
        }
        .to_string()
    });
    hazard_page(
        &state,
        &caller,
        id,
        Shown {
            flash,
            ..Shown::default()
        },
    )
    .await
}

pub async fn assign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::AssignForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::assign(&state.db, account, id, &form, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/safety/hazards/{id}?done=assign"),
        |e| {
            let shown = Shown {
                error: Some(("assign", e)),
                assign: Some(form),
                ..Shown::default()
            };
            hazard_page(&state, &caller, id, shown)
        },
    )
    .await
}

/// A multipart body: its text fields and at most one file (name, bytes).
pub(crate) type MultipartBody = (Vec<(String, String)>, Option<(String, Vec<u8>)>);

/// Reads a multipart body: text fields and at most one file (`file` or `photo`). The
/// pages and the API both read uploads through it.
pub(crate) async fn read_multipart(
    state: &AppState,
    request: Request,
) -> Result<MultipartBody, WebError> {
    let refused =
        |e: axum::extract::multipart::MultipartError| crate::error::upload_refusal(e.status());
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?;
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(refused)?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.push((name, field.text().await.unwrap_or_default()));
        }
    }
    Ok((fields, file))
}

pub(crate) fn value(fields: &[(String, String)], key: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn rectify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    service::visible_hazard(&state.db, account, id).await?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let form = service::RectifyForm {
        result: value(&fields, "result"),
        rectified_on: value(&fields, "rectified_on"),
    };
    let upload = file.as_ref().map(|(name, bytes)| service::Upload {
        file_name: name,
        bytes,
    });
    let outcome = service::rectify(
        &state.db,
        account,
        id,
        &form,
        upload.as_ref(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |()| format!("/safety/hazards/{id}?done=rectify"),
        |e| {
            let shown = Shown {
                error: Some(("rectify", e)),
                rectify: Some(form),
                ..Shown::default()
            };
            hazard_page(&state, &caller, id, shown)
        },
    )
    .await
}

pub async fn evidence_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    service::visible_hazard(&state.db, account, id).await?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let Some((name, bytes)) = file else {
        return hazard_page(
            &state,
            &caller,
            id,
            Shown {
                error: Some((
                    "evidence",
                    FieldError {
                        field: "file",
                        reason: "请选择要上传的照片或 PDF".into(),
                    },
                )),
                ..Shown::default()
            },
        )
        .await;
    };
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let stage = value(&fields, "stage");
    let outcome =
        service::add_evidence(&state.db, account, id, &stage, &upload, &caller.source).await;
    round_trip(
        outcome,
        |_| format!("/safety/hazards/{id}?done=evidence"),
        |e| {
            hazard_page(
                &state,
                &caller,
                id,
                Shown {
                    error: Some(("evidence", e)),
                    ..Shown::default()
                },
            )
        },
    )
    .await
}

pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::ReviewForm>,
) -> Result<Response, PageError> {
    review_step(state, caller, id, form, true).await
}

pub async fn send_back(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::ReviewForm>,
) -> Result<Response, PageError> {
    review_step(state, caller, id, form, false).await
}

async fn review_step(
    state: AppState,
    caller: Caller,
    id: i64,
    form: service::ReviewForm,
    closing: bool,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = if closing {
        service::close(&state.db, account, id, &form, &caller.source).await
    } else {
        service::send_back(&state.db, account, id, &form, &caller.source).await
    };
    let done = if closing { "close" } else { "send-back" };
    round_trip(
        outcome,
        |()| format!("/safety/hazards/{id}?done={done}"),
        |e| {
            let shown = Shown {
                error: Some(("review", e)),
                review: form.review,
                ..Shown::default()
            };
            hazard_page(&state, &caller, id, shown)
        },
    )
    .await
}

/// An evidence file, if its hazard is in the scope (sent as an attachment; never run inline).
pub async fn evidence_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (meta, bytes) = service::evidence_file(&state.db, account, id).await?;
    Ok(file_response(
        &meta.mime,
        &meta.file_name,
        &format!("evidence-{id}"),
        bytes,
    ))
}

/// A stored photo or PDF as a response: images inline, PDF as an attachment, never sniffed.
pub(crate) fn file_response(
    mime: &str,
    file_name: &str,
    ascii_name: &str,
    bytes: Vec<u8>,
) -> Response {
    crate::download::attachment(bytes, mime, ascii_name, file_name)
}

// ---------------------------------------------------------------- inspections

#[derive(Template)]
#[template(path = "safety_inspections.html")]
struct InspectionsPage {
    chrome: Chrome,
    year: i32,
    campaigns: Vec<store::InspectionRow>,
    monthly: Vec<store::InspectionRow>,
    can_schedule: bool,
    error_form: String,
    error_field: String,
    error: String,
    checklist: String,
}

async fn inspections_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    error: Option<(&'static str, FieldError)>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let campaigns =
        store::inspections(&state.db, &account.scope, year, Some("专项行动"), 100).await?;
    let monthly =
        store::inspections(&state.db, &account.scope, year, Some("月度排查"), 200).await?;
    let chrome = Chrome::new(
        caller,
        "排查与专项行动",
        "inspections",
        &[crumbs(), ("排查与专项行动", "/safety/inspections")],
    )?
    .with_flash(flash);
    let (error_form, error_field, error) = match error {
        Some((form, e)) => (form.to_string(), e.field.to_string(), e.reason),
        None => Default::default(),
    };
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        code,
        render(&InspectionsPage {
            chrome,
            year,
            campaigns,
            monthly,
            can_schedule: account.role.permits(Permission::ReviewHazards),
            error_form,
            error_field,
            error,
            checklist: rules::CAMPAIGN_CHECKLIST.join("、"),
        })?,
    )
        .into_response())
}

pub async fn inspections(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    inspections_page(&state, &caller, q.year, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MonthlyForm {
    month: String,
}

pub async fn schedule_monthly(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<MonthlyForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    // month as 2021-07
    let parsed = form
        .month
        .split_once('-')
        .and_then(|(y, m)| Some((y.trim().parse::<i32>().ok()?, m.trim().parse::<u32>().ok()?)));
    let outcome = match parsed {
        Some((y, m)) => service::schedule_monthly(&state.db, account, y, m, &caller.source)
            .await
            .split_refusal()?,
        None => Err(FieldError {
            field: "month",
            reason: "请选择月份，如 2021-07".into(),
        }),
    };
    match outcome {
        Ok(n) => {
            inspections_page(
                &state,
                &caller,
                parsed.map(|p| p.0),
                None,
                Some(format!("已为 {n} 所学校安排月度排查。")),
            )
            .await
        }
        Err(e) => inspections_page(&state, &caller, None, Some(("monthly", e)), None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CampaignForm {
    title: String,
    planned_on: String,
    checklist: String,
}

pub async fn schedule_campaign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CampaignForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::schedule_campaign(
        &state.db,
        account,
        &form.title,
        &form.planned_on,
        &form.checklist,
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| "/safety/inspections".into(),
        |e| inspections_page(&state, &caller, None, Some(("campaign", e)), None),
    )
    .await
}

pub struct ProgressLine {
    pub school: String,
    pub checked: usize,
    pub missing: String,
    pub last_checked_on: String,
    pub hazards: i64,
}

#[derive(Template)]
#[template(path = "safety_inspection.html")]
struct InspectionPage {
    chrome: Chrome,
    i: store::InspectionRow,
    total: usize,
    rows: Vec<ProgressLine>,
    complete: usize,
    can_check: bool,
    school_fixed: bool,
    schools: Vec<(String, String)>,
    form: service::checklist::ChecksForm,
    error: String,
}

async fn inspection_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: Option<service::checklist::ChecksForm>,
    error: Option<FieldError>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let i = service::checklist::visible_inspection(&state.db, account, id).await?;
    let progress = service::checklist::progress(&state.db, account, &i).await?;
    let total = i.checklist.len();
    let rows: Vec<ProgressLine> = progress
        .iter()
        .map(|p| ProgressLine {
            school: p.school_name.clone(),
            checked: p.checked.len(),
            missing: i
                .checklist
                .iter()
                .filter(|c| !p.checked.contains(c))
                .cloned()
                .collect::<Vec<_>>()
                .join("、"),
            last_checked_on: p.last_checked_on.clone().unwrap_or_default(),
            hazards: p.hazards,
        })
        .collect();
    let complete = rows.iter().filter(|r| r.checked >= total).count();
    let title = i.title.clone();
    let href = format!("/safety/inspections/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "inspections",
        &[
            crumbs(),
            ("排查与专项行动", "/safety/inspections"),
            (&title, &href),
        ],
    )?
    .with_flash(flash);
    let (code, _, error) = form_error(error);
    let mut form = form.unwrap_or_default();
    if form.checked_on.is_empty() {
        form.checked_on = today().to_string();
    }
    Ok((
        code,
        render(&InspectionPage {
            chrome,
            total,
            complete,
            can_check: account.role.permits(Permission::RecordHazards),
            school_fixed: matches!(
                account.scope,
                emis_domain::access::Scope::School { .. }
                    | emis_domain::access::Scope::Class { .. }
            ),
            schools: progress
                .into_iter()
                .map(|p| (p.school_code, p.school_name))
                .collect(),
            rows,
            i,
            form,
            error,
        })?,
    )
        .into_response())
}

pub async fn inspection(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    inspection_page(&state, &caller, id, None, None, None).await
}

/// Ticks checklist items for a school (checkboxes named `items`, repeated).
pub async fn record_checks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let form = service::checklist::ChecksForm {
        school: value(&pairs, "school"),
        items: pairs
            .iter()
            .filter(|(k, _)| k == "items")
            .map(|(_, v)| v.clone())
            .collect(),
        checked_on: value(&pairs, "checked_on"),
        note: value(&pairs, "note"),
    };
    match service::checklist::record_checks(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(n) => {
            let flash = format!("已登记排查项目，该校已完成 {n} 项。");
            inspection_page(&state, &caller, id, None, None, Some(flash)).await
        }
        Err(e) => inspection_page(&state, &caller, id, Some(form), Some(e), None).await,
    }
}

// ---------------------------------------------------------------- waters

pub struct WaterLine {
    pub id: i64,
    pub township: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub risk: String,
    pub dangerous: bool,
    pub measures: Vec<(&'static str, bool)>,
    pub complete: bool,
    pub missing: String,
    pub coordinates: String,
}

impl From<store::WaterRow> for WaterLine {
    fn from(w: store::WaterRow) -> Self {
        WaterLine {
            id: w.id,
            township: w.township_name,
            village: w.village,
            name: w.name,
            kind: w.kind,
            dangerous: drowning::is_dangerous(&w.risk),
            risk: w.risk,
            measures: drowning::MEASURES
                .iter()
                .map(|(k, label)| (*label, w.measures.flag(k)))
                .collect(),
            complete: w.measures.complete(),
            missing: w.measures.missing().join("、"),
            coordinates: match (w.longitude, w.latitude) {
                (Some(lon), Some(lat)) => format!("{lon}, {lat}"),
                _ => String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "safety_waters.html")]
struct WatersPage {
    chrome: Chrome,
    measure_names: Vec<&'static str>,
    rows: Vec<WaterLine>,
    dangerous: usize,
    equipped: usize,
    can_keep: bool,
    township_fixed: bool,
    townships: Vec<(&'static str, &'static str)>,
    kinds: Vec<&'static str>,
    risks: Vec<&'static str>,
    form: service::WaterForm,
    error_field: String,
    error: String,
}

async fn waters_page(
    state: &AppState,
    caller: &Caller,
    form: service::WaterForm,
    error: Option<FieldError>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let rows: Vec<WaterLine> = store::waters(&state.db, &account.scope, None)
        .await?
        .into_iter()
        .map(WaterLine::from)
        .collect();
    let dangerous = rows.iter().filter(|w| w.dangerous).count();
    let equipped = rows.iter().filter(|w| w.dangerous && w.complete).count();
    let chrome = Chrome::new(
        caller,
        "水域与防护设施",
        "waters",
        &[crumbs(), ("水域", "/safety/waters")],
    )?;
    let (code, error_field, error) = form_error(error);
    Ok((
        code,
        render(&WatersPage {
            chrome,
            measure_names: drowning::MEASURES.iter().map(|m| m.1).collect(),
            rows,
            dangerous,
            equipped,
            can_keep: account.role.permits(Permission::KeepWaters),
            township_fixed: matches!(account.scope, emis_domain::access::Scope::Township { .. }),
            townships: emis_domain::divisions::county(account.county())
                .map(|c| c.townships.iter().map(|t| (t.code, t.name)).collect())
                .unwrap_or_default(),
            kinds: drowning::WATER_KINDS.to_vec(),
            risks: drowning::RISK_LEVELS.to_vec(),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn waters(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    waters_page(&state, &caller, service::WaterForm::default(), None).await
}

pub async fn add_water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<service::WaterForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::add_water(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |id| format!("/safety/waters/{id}"),
        |e| waters_page(&state, &caller, form, Some(e)),
    )
    .await
}

pub async fn add_chain_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::ChainForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let shown = match service::add_chain_link(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => WaterShown::flash("已加入九长责任链。"),
        Err(e) => WaterShown::error("chain", e),
    };
    water_page(&state, &caller, id, shown).await
}

pub struct ChainLine {
    pub id: i64,
    pub level: String,
    pub target: String,
    pub role: String,
    pub person: String,
    pub phone: String,
    /// The account keeps this link: edit, remove, see the phone.
    pub keeps: bool,
}

#[derive(Template)]
#[template(path = "safety_water.html")]
struct WaterPage {
    chrome: Chrome,
    w: WaterLine,
    risks: Vec<&'static str>,
    chain: Vec<ChainLine>,
    roster: Vec<store::RosterRow>,
    patrols: Vec<store::PatrolRow>,
    can_keep: bool,
    heads: Vec<&'static str>,
    slots: Vec<&'static str>,
    roster_form: service::roster::RosterForm,
    /// The shift being edited (0: the form adds one).
    editing: i64,
    roster_gaps: Vec<NaiveDateRange>,
    error_form: String,
    error_field: String,
    error: String,
}

/// Summer days a roster leaves short of two slots, shown as runs of days.
pub struct NaiveDateRange {
    pub from: String,
    pub to: String,
    pub days: usize,
}

/// What a water page shows besides the records: a message, a refused form, a shift in edit.
#[derive(Default)]
pub struct WaterShown {
    flash: Option<String>,
    error: Option<(&'static str, FieldError)>,
    roster_form: Option<service::roster::RosterForm>,
    editing: i64,
}

impl WaterShown {
    fn flash(message: &str) -> Self {
        WaterShown {
            flash: Some(message.to_string()),
            ..WaterShown::default()
        }
    }
    fn error(form: &'static str, e: FieldError) -> Self {
        WaterShown {
            error: Some((form, e)),
            ..WaterShown::default()
        }
    }
}

/// Runs of consecutive days.
fn runs(days: &[chrono::NaiveDate]) -> Vec<NaiveDateRange> {
    let mut out: Vec<(chrono::NaiveDate, chrono::NaiveDate, usize)> = Vec::new();
    for d in days {
        match out.last_mut() {
            Some((_, to, n)) if to.succ_opt() == Some(*d) => {
                *to = *d;
                *n += 1;
            }
            _ => out.push((*d, *d, 1)),
        }
    }
    out.into_iter()
        .map(|(from, to, days)| NaiveDateRange {
            from: from.to_string(),
            to: to.to_string(),
            days,
        })
        .collect()
}

async fn water_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    shown: WaterShown,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let w = service::visible_water(&state.db, account, id).await?;
    let chain = store::chain(&state.db, &account.scope, Some(id), None)
        .await?
        .into_iter()
        .map(|c| ChainLine {
            id: c.id,
            keeps: service::chain::keeps(account, &c),
            level: c.level,
            target: c.village.unwrap_or_default(),
            role: c.role,
            person: c.person,
            phone: mask_phone(&c.phone),
        })
        .collect();
    let patrols = store::patrols(&state.db, &account.scope, "0000", "9999", Some(id), 60).await?;
    let entries = store::roster(&state.db, account.county(), id).await?;
    let year = service::default_year(&state.db, account.county()).await?;
    let shifts: Vec<drowning::Shift> = entries
        .iter()
        .filter_map(|r| {
            Some(drowning::Shift {
                water: id,
                slot: r.slot.clone(),
                from: emis_domain::dates::parse_date(&r.from_day)?,
                to: emis_domain::dates::parse_date(&r.to_day)?,
                patroller: r.patroller.clone(),
            })
        })
        .collect();
    let roster_gaps = if drowning::is_dangerous(&w.risk) && !w.measures.backfilled {
        runs(&drowning::roster_gaps(
            &shifts,
            id,
            year,
            chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_else(today),
        ))
    } else {
        Vec::new()
    };
    let roster_form = shown.roster_form.unwrap_or_else(|| {
        entries
            .iter()
            .find(|r| r.id == shown.editing)
            .map(|r| service::roster::RosterForm {
                patroller: r.patroller.clone(),
                phone: String::new(),
                slot: r.slot.clone(),
                from_day: r.from_day.clone(),
                to_day: r.to_day.clone(),
            })
            .unwrap_or_else(|| service::roster::RosterForm {
                from_day: format!("{year}-07-01"),
                to_day: format!("{year}-08-31"),
                ..Default::default()
            })
    });
    let roster = entries
        .into_iter()
        .map(|r| store::RosterRow {
            phone: mask_phone(&r.phone),
            ..r
        })
        .collect();
    let title = w.name.clone();
    let href = format!("/safety/waters/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "waters",
        &[crumbs(), ("水域", "/safety/waters"), (&title, &href)],
    )?
    .with_flash(shown.flash);
    let (error_form, error) = match shown.error {
        Some((form, e)) => (form.to_string(), Some(e)),
        None => (String::new(), None),
    };
    let (code, error_field, error) = form_error(error);
    Ok((
        code,
        render(&WaterPage {
            chrome,
            w: WaterLine::from(w),
            risks: drowning::RISK_LEVELS.to_vec(),
            chain,
            roster,
            patrols,
            can_keep: account.role.permits(Permission::KeepWaters),
            heads: drowning::NINE_HEADS.to_vec(),
            slots: drowning::PATROL_SLOTS.to_vec(),
            roster_form,
            editing: shown.editing,
            roster_gaps,
            error_form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    edit: Option<i64>,
    done: Option<String>,
}

pub async fn water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, PageError> {
    let shown = WaterShown {
        editing: q.edit.unwrap_or(0),
        flash: (q.done.as_deref() == Some("roster"))
            .then(|| "巡查排班已保存，已记入审计日志。".to_string()),
        ..WaterShown::default()
    };
    water_page(&state, &caller, id, shown).await
}

pub async fn save_measures(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::MeasuresForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let shown = match service::save_measures(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => WaterShown::flash("防护措施已保存。"),
        Err(e) => WaterShown::error("measures", e),
    };
    water_page(&state, &caller, id, shown).await
}

/// Back to the water's roster after a saved shift, or the page with the refused form.
async fn shift_saved(
    state: &AppState,
    caller: &Caller,
    water: i64,
    editing: i64,
    outcome: Result<i64, FieldError>,
    form: service::roster::RosterForm,
) -> Result<Response, PageError> {
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/safety/waters/{water}?done=roster#roster")).into_response())
        }
        Err(e) => {
            let shown = WaterShown {
                roster_form: Some(form),
                editing,
                ..WaterShown::error("roster", e)
            };
            water_page(state, caller, water, shown).await
        }
    }
}

/// Adds a shift to the water's patrol roster.
pub async fn add_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::roster::RosterForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::roster::add_shift(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?;
    shift_saved(&state, &caller, id, 0, outcome, form).await
}

/// Changes a shift of a roster.
pub async fn edit_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(shift): Path<i64>,
    Form(form): Form<service::roster::RosterForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let water = service::roster::visible_entry(&state.db, account, shift)
        .await?
        .water_id;
    let outcome = service::roster::edit_shift(&state.db, account, shift, &form, &caller.source)
        .await
        .split_refusal()?;
    shift_saved(&state, &caller, water, shift, outcome, form).await
}

pub async fn remove_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(shift): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let water = service::roster::remove_shift(&state.db, account, shift, &caller.source).await?;
    Ok(Redirect::to(&format!("/safety/waters/{water}?done=roster#roster")).into_response())
}

// ---------------------------------------------------------------- patrols

pub struct MissingLine {
    pub water_id: i64,
    pub water: String,
    pub day: String,
    pub done: u32,
    /// Who the roster had due that day and did not patrol, or 未排班.
    pub due: String,
}

#[derive(Template)]
#[template(path = "safety_patrols.html")]
struct PatrolsPage {
    chrome: Chrome,
    year: i32,
    rate: String,
    missing: Vec<MissingLine>,
    roster_gaps: Vec<service::roster::RosterGap>,
    logs: Vec<store::PatrolRow>,
    waters: Vec<(i64, String)>,
    slots: Vec<&'static str>,
    can_record: bool,
    form: service::PatrolForm,
    error_field: String,
    error: String,
}

async fn patrols_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    form: service::PatrolForm,
    error: Option<FieldError>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let report =
        service::roster::patrol_report(&state.db, &account.scope, year, service::until_of(year))
            .await?;
    let waters = store::waters(&state.db, &account.scope, None).await?;
    let missing = report
        .missing
        .iter()
        .take(200)
        .map(|m| MissingLine {
            water_id: m.water_id,
            water: format!("{} {}", m.township, m.water),
            day: m.day.to_string(),
            done: m.done,
            due: if m.unrostered {
                "未排班".into()
            } else {
                m.due.join("、")
            },
        })
        .collect();
    let logs = store::patrols(
        &state.db,
        &account.scope,
        &format!("{year}-01-01"),
        &format!("{year}-12-31"),
        None,
        100,
    )
    .await?;
    let chrome = Chrome::new(
        caller,
        "暑期巡查",
        "patrols",
        &[crumbs(), ("巡查", "/safety/patrols")],
    )?
    .with_flash(flash);
    let (code, error_field, error) = form_error(error);
    let mut form = form;
    if form.day.is_empty() {
        form.day = today().to_string();
    }
    Ok((
        code,
        render(&PatrolsPage {
            chrome,
            year,
            rate: pct(report.compliance.rate()),
            missing,
            roster_gaps: report.roster_gaps,
            logs,
            waters: waters
                .iter()
                .filter(|w| drowning::is_dangerous(&w.risk))
                .map(|w| (w.id, format!("{} {}", w.township_name, w.name)))
                .collect(),
            slots: drowning::PATROL_SLOTS.to_vec(),
            can_record: account.role.permits(Permission::RecordHazards),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn patrols(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    patrols_page(
        &state,
        &caller,
        q.year,
        service::PatrolForm::default(),
        None,
        None,
    )
    .await
}

pub async fn record_patrol(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<service::PatrolForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    match service::record_patrol(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(_) => {
            patrols_page(
                &state,
                &caller,
                None,
                service::PatrolForm::default(),
                None,
                Some("巡查记录已保存。".into()),
            )
            .await
        }
        Err(e) => patrols_page(&state, &caller, None, form, Some(e), None).await,
    }
}

// ---------------------------------------------------------------- 十有

pub struct TenHaveOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub items: Vec<(String, bool, String)>,
    pub done: usize,
}

#[derive(Template)]
#[template(path = "safety_ten_haves.html")]
struct TenHavesPage {
    chrome: Chrome,
    year: i32,
    orgs: Vec<TenHaveOrg>,
    items: Vec<&'static str>,
    /// The org units the account keeps 十有 for: its township(s), then their schools.
    choices: Vec<(String, String)>,
    /// Uploaded evidence files: (file id, org name, item, file name).
    files: Vec<(i64, String, String, String)>,
    can_record: bool,
    error_field: String,
    error: String,
}

async fn ten_haves_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    error: Option<FieldError>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let rows = store::ten_haves(&state.db, &account.scope, year).await?;
    let mut orgs: Vec<TenHaveOrg> = Vec::new();
    for r in rows {
        if orgs.last().map(|o| o.code != r.org_code).unwrap_or(true) {
            orgs.push(TenHaveOrg {
                code: r.org_code.clone(),
                name: r.org_name.clone(),
                kind: if r.org_kind == "township" {
                    "乡镇".into()
                } else {
                    "学校".into()
                },
                items: Vec::new(),
                done: 0,
            });
        }
        if let Some(o) = orgs.last_mut() {
            if r.done {
                o.done += 1;
            }
            o.items.push((r.item, r.done, r.evidence));
        }
    }
    let choices = ten_have_choices(state, account).await?;
    // The choices are every org unit of the scope, so they name each file's org.
    let org_name = |code: &str| {
        choices
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let files = store::ten_have_files(&state.db, &account.scope, year)
        .await?
        .into_iter()
        .map(|f| (f.id, org_name(&f.org_code), f.item, f.file_name))
        .collect();
    let chrome = Chrome::new(
        caller,
        "防溺水“十有”",
        "ten_haves",
        &[crumbs(), ("十有", "/safety/ten-haves")],
    )?
    .with_flash(flash);
    let (code, error_field, error) = form_error(error);
    Ok((
        code,
        render(&TenHavesPage {
            chrome,
            year,
            orgs: orgs.into_iter().take(400).collect(),
            items: drowning::TEN_HAVES.to_vec(),
            choices,
            files,
            can_record: account.role.permits(Permission::RecordHazards),
            error_field,
            error,
        })?,
    )
        .into_response())
}

/// The townships and schools the account may keep 十有 for (a school: itself).
async fn ten_have_choices(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<Vec<(String, String)>, PageError> {
    let county = emis_domain::divisions::county(account.county());
    let mut out: Vec<(String, String)> = county
        .map(|c| {
            c.townships
                .iter()
                .filter(|t| match &account.scope {
                    emis_domain::access::Scope::County { .. } => true,
                    emis_domain::access::Scope::Township { township, .. } => township == t.code,
                    _ => false,
                })
                .map(|t| (t.code.to_string(), t.name.to_string()))
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        emis_storage::registry::schools(&state.db, account.county())
            .await?
            .into_iter()
            .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
            .map(|s| (s.code, s.name)),
    );
    Ok(out)
}

pub async fn ten_haves(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    ten_haves_page(&state, &caller, q.year, None, None).await
}

pub async fn set_ten_have(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(mut form): Form<service::TenHaveForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, account.county()).await?;
    }
    match service::set_ten_have(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => {
            ten_haves_page(
                &state,
                &caller,
                Some(form.year),
                None,
                Some("已保存。".into()),
            )
            .await
        }
        Err(e) => ten_haves_page(&state, &caller, Some(form.year), Some(e), None).await,
    }
}

/// Uploads a 十有 evidence file (multipart: year, org, item, file).
pub async fn ten_have_file_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    request: Request,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let year = match value(&fields, "year").trim().parse() {
        Ok(y) => y,
        Err(_) => service::default_year(&state.db, account.county()).await?,
    };
    let Some((name, bytes)) = file else {
        let missing = FieldError {
            field: "file",
            reason: "请选择要上传的照片或 PDF".into(),
        };
        return ten_haves_page(&state, &caller, Some(year), Some(missing), None).await;
    };
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let (org, item) = (value(&fields, "org"), value(&fields, "item"));
    match service::add_ten_have_file(
        &state.db,
        account,
        year,
        &org,
        &item,
        &upload,
        &caller.source,
    )
    .await
    .split_refusal()?
    {
        Ok(_) => {
            let done = Some("佐证材料已上传。".to_string());
            ten_haves_page(&state, &caller, Some(year), None, done).await
        }
        Err(e) => ten_haves_page(&state, &caller, Some(year), Some(e), None).await,
    }
}

/// A 十有 evidence file, if its township or school is in the scope (audited).
pub async fn ten_have_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, account, id, &caller.source).await?;
    Ok(file_response(
        &meta.mime,
        &meta.file_name,
        &format!("ten-have-{id}"),
        bytes,
    ))
}

// ---------------------------------------------------------------- letters

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

pub async fn letters(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    letters_page(
        &state,
        &caller,
        q.year,
        service::LetterForm::default(),
        None,
        None,
    )
    .await
}

pub async fn sign_letter(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(mut form): Form<service::LetterForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, account.county()).await?;
    }
    match service::sign_letter(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => {
            letters_page(
                &state,
                &caller,
                Some(form.year),
                service::LetterForm::default(),
                None,
                Some("已登记签收。".into()),
            )
            .await
        }
        Err(e) => letters_page(&state, &caller, Some(form.year), form, Some(e), None).await,
    }
}

async fn letters_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    form: service::LetterForm,
    error: Option<FieldError>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county()).await?,
    };
    let rows = store::letter_coverage(&state.db, &account.scope, &format!("{year}-autumn")).await?;
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
    .with_flash(flash);
    let (code, error_field, error) = form_error(error);
    let mut form = form;
    if form.signed_on.is_empty() {
        form.signed_on = today().to_string();
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

// ---------------------------------------------------------------- 九长 chain

#[derive(Deserialize, Default)]
pub struct ChainQuery {
    level: Option<String>,
    edit: Option<i64>,
    done: Option<String>,
}

/// The add form of the chain page: the target and the person, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LinkForm {
    level: String,
    water: String,
    township: String,
    village: String,
    school: String,
    grade: String,
    class_number: String,
    role: String,
    person: String,
    phone: String,
}

impl LinkForm {
    fn target(&self) -> service::chain::TargetForm {
        service::chain::TargetForm {
            level: self.level.clone(),
            water: self.water.trim().parse().ok(),
            township: self.township.clone(),
            village: self.village.clone(),
            school: self.school.clone(),
            grade: self.grade.clone(),
            class_number: self.class_number.clone(),
        }
    }
    fn person(&self) -> service::ChainForm {
        service::ChainForm {
            role: self.role.clone(),
            person: self.person.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "safety_chain.html")]
struct ChainPage {
    chrome: Chrome,
    level: String,
    levels: Vec<&'static str>,
    rows: Vec<ChainLine>,
    heads: Vec<&'static str>,
    can_add: bool,
    /// The levels this account may add links to.
    add_levels: Vec<&'static str>,
    /// Water and village links may be added (the water, township and village fields).
    keeps_villages: bool,
    waters: Vec<(i64, String)>,
    /// Known villages (village, township name) offered for the village field.
    villages: Vec<(String, String)>,
    townships: Vec<(&'static str, &'static str)>,
    schools: Vec<(String, String)>,
    school_fixed: bool,
    grades: Vec<&'static str>,
    form: LinkForm,
    editing: Option<ChainLine>,
    error_form: String,
    error: String,
}

#[derive(Default)]
struct ChainShown {
    level: Option<String>,
    editing: i64,
    form: LinkForm,
    revealed: Option<(i64, String)>,
    error: Option<(&'static str, FieldError)>,
    flash: Option<String>,
}

/// The 九长 chain the account sees (phones masked), by level, with the forms to keep it.
async fn chain_page(
    state: &AppState,
    caller: &Caller,
    shown: ChainShown,
) -> Result<Response, PageError> {
    use emis_domain::access::Scope;
    let account = caller.account()?;
    let level = shown
        .level
        .filter(|l| drowning::CHAIN_LEVELS.contains(&l.as_str()))
        .unwrap_or_else(|| "学校".to_string());
    let all_schools = emis_storage::registry::schools(&state.db, account.county()).await?;
    let school_names: std::collections::HashMap<&str, &str> = all_schools
        .iter()
        .map(|s| (s.code.as_str(), s.name.as_str()))
        .collect();
    let county = emis_domain::divisions::county(account.county());
    let line = |c: store::ChainRow| {
        let target = match (&c.school_code, &c.class_label, &c.village) {
            (Some(code), Some(class), _) => {
                format!(
                    "{} {class}",
                    school_names.get(code.as_str()).copied().unwrap_or_default()
                )
            }
            (Some(code), None, _) => school_names
                .get(code.as_str())
                .copied()
                .unwrap_or_default()
                .to_string(),
            (None, _, Some(village)) => village.clone(),
            _ => county
                .and_then(|k| k.township(&c.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_default(),
        };
        ChainLine {
            id: c.id,
            keeps: service::chain::keeps(account, &c),
            level: c.level,
            target,
            role: c.role,
            person: c.person,
            phone: mask_phone(&c.phone),
        }
    };
    let links = service::chain::links(&state.db, account, None).await?;
    let editing = links
        .iter()
        .find(|c| c.id == shown.editing && service::chain::keeps(account, c))
        .cloned()
        .map(&line);
    let rows: Vec<ChainLine> = links
        .into_iter()
        .filter(|c| c.level == level)
        .map(&line)
        .map(|mut l| {
            if let Some((id, phone)) = &shown.revealed {
                if *id == l.id {
                    l.phone = phone.clone();
                }
            }
            l
        })
        .collect();
    let add_levels: Vec<&'static str> = match account.scope {
        Scope::School { .. } | Scope::Class { .. } => vec!["学校", "班级"],
        _ if account.role.permits(Permission::KeepWaters) => vec!["水域", "村", "学校", "班级"],
        _ => Vec::new(),
    };
    let waters = if add_levels.contains(&"水域") {
        store::waters(&state.db, &account.scope, None)
            .await?
            .into_iter()
            .map(|w| {
                (
                    w.id,
                    format!("{} {} {}", w.township_name, w.village, w.name),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // The villages offered for a village link: those known in the account's township(s).
    let villages = if add_levels.contains(&"村") {
        let township = match &account.scope {
            Scope::Township { township, .. } => Some(township.as_str()),
            _ => None,
        };
        let names = |code: &str| {
            county
                .and_then(|c| c.township(code))
                .map_or(code.to_string(), |t| t.name.to_string())
        };
        store::known_villages(&state.db, account.county(), township)
            .await?
            .into_iter()
            .map(|(t, v)| (v, names(&t)))
            .collect()
    } else {
        Vec::new()
    };
    let chrome = Chrome::new(
        caller,
        "防溺水“九长”责任链",
        "chain",
        &[crumbs(), ("九长", "/safety/chain")],
    )?
    .with_flash(shown.flash);
    let (error_form, error) = match shown.error {
        Some((form, e)) => (form.to_string(), Some(e)),
        None => (String::new(), None),
    };
    let (code, _, error) = form_error(error);
    let mut form = shown.form;
    if form.level.is_empty() {
        form.level = level.clone();
    }
    Ok((
        code,
        render(&ChainPage {
            chrome,
            level,
            levels: drowning::CHAIN_LEVELS.to_vec(),
            rows,
            heads: drowning::NINE_HEADS.to_vec(),
            can_add: account.role.permits(Permission::KeepChain) && !add_levels.is_empty(),
            keeps_villages: add_levels.contains(&"村"),
            add_levels,
            waters,
            villages,
            townships: if account.scope.is_county() {
                county
                    .map(|c| c.townships.iter().map(|t| (t.code, t.name)).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            },
            schools: all_schools
                .iter()
                .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect(),
            school_fixed: matches!(account.scope, Scope::School { .. } | Scope::Class { .. }),
            grades: emis_domain::registry::Grade::ALL
                .iter()
                .map(|g| g.label())
                .collect(),
            form,
            editing,
            error_form,
            error,
        })?,
    )
        .into_response())
}

pub async fn chain(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ChainQuery>,
) -> Result<Response, PageError> {
    let flash = q.done.as_deref().map(|d| {
        match d {
            "add" => "责任人已加入，已记入审计日志。",
            "edit" => "责任人已修改，已记入审计日志。",
            "remove" => "责任人已移除，已记入审计日志。",
            _ => "已保存。",
        }
        .to_string()
    });
    let shown = ChainShown {
        level: nonempty(&q.level),
        editing: q.edit.unwrap_or(0),
        flash,
        ..ChainShown::default()
    };
    chain_page(&state, &caller, shown).await
}

fn chain_href(level: &str, done: &str) -> String {
    format!("/safety/chain?level={}&done={done}", urlencode(level))
}

pub async fn add_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::chain::add_link(
        &state.db,
        account,
        &form.target(),
        &form.person(),
        &caller.source,
    )
    .await;
    let done = chain_href(form.level.trim(), "add");
    round_trip(
        outcome,
        |_| done,
        |e| {
            let shown = ChainShown {
                level: Some(form.level.clone()),
                form,
                error: Some(("add", e)),
                ..ChainShown::default()
            };
            chain_page(&state, &caller, shown)
        },
    )
    .await
}

pub async fn edit_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<service::ChainForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::chain::edit_link(&state.db, account, id, &form, &caller.source).await;
    round_trip(
        outcome,
        |link| chain_href(&link.level, "edit"),
        |e| {
            let (state, caller) = (&state, &caller);
            async move {
                let level = service::chain::visible_link(&state.db, account, id)
                    .await?
                    .level;
                let shown = ChainShown {
                    level: Some(level),
                    editing: id,
                    error: Some(("edit", e)),
                    ..ChainShown::default()
                };
                chain_page(state, caller, shown).await
            }
        },
    )
    .await
}

pub async fn remove_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let link = service::chain::remove_link(&state.db, account, id, &caller.source).await?;
    Ok(Redirect::to(&chain_href(&link.level, "remove")).into_response())
}

/// Shows one link's phone in full (audited) for those who keep the link.
pub async fn reveal_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let link = service::chain::reveal_phone(&state.db, account, id, &caller.source).await?;
    let shown = ChainShown {
        level: Some(link.level.clone()),
        revealed: Some((id, link.phone)),
        flash: Some("已显示完整号码，本次查看已记入审计日志。".into()),
        ..ChainShown::default()
    };
    chain_page(&state, &caller, shown).await
}

/// A form's field error as the page shows it: the status, the field and the reason.
fn form_error(error: Option<FieldError>) -> (StatusCode, String, String) {
    match error {
        Some(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            e.field.to_string(),
            e.reason,
        ),
        None => (StatusCode::OK, String::new(), String::new()),
    }
}
