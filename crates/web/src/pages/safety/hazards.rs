//! 隐患台账: the hazard list with filters, recording, the ledger export and print, and a
//! hazard's page with its workflow forms (落实整改, 整改, 销号, 退回).

use super::{area_trail, crumbs, internal, read_multipart, value, xlsx_response};
use crate::error::PageResult;
use crate::error::{PageError, WebError};
use crate::form::round_trip;
use crate::list::{rows_of, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::pages::nonempty;
use crate::session::Ctx;
use crate::session::{urlencode, Caller};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequest, Path, Query, Request};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Form;
use chrono::NaiveDate;
use emis_app::registry::FieldError;
use emis_app::safety::queries::{self, HazardQuery, HazardRow};
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::{self as rules, yuan, Grade, Status};
use serde::Deserialize;

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

impl HazardLine {
    /// A ledger line as of `today` (overdue and escalation depend on the date).
    pub(super) fn of(h: HazardRow, today: NaiveDate) -> Self {
        let overdue = service::overdue(&h, today);
        let escalated_to = match service::escalation(&h, today) {
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
            grade: h.grade.to_string(),
            description: h.description,
            responsible: h.responsible.unwrap_or_default(),
            deadline: h.deadline.unwrap_or_default(),
            status: h.status.to_string(),
            overdue,
        }
    }
}

/// The columns the list sorts by.
const HAZARD_SORTS: &[&str] = &["found_on", "school", "deadline", "status"];

/// The list's request (all text: links from the home, `?overdue=1` and `?grade=重大`, keep
/// working; a school or township may be a code from a link or a name picked).
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
    #[serde(flatten)]
    paging: Paging,
}

impl HazardFilters {
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

/// A drop-down's value if it is one of `labels` (else all).
fn one_of(value: &Option<String>, labels: &[&str]) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| labels.contains(v))
        .map(str::to_string)
}

/// The storage query and the list's filters of a request (the list, its export and print).
async fn hazard_query(
    state: &AppState,
    account: &emis_app::auth::Account,
    f: &HazardFilters,
) -> Result<(HazardQuery, Vec<Filter>), emis_app::AppError> {
    let today = state.clock.today();
    let choices = Choices::of(state, account).await?;
    let place = choices.place(account, f.township.as_deref(), f.school.as_deref());
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let grades: Vec<&str> = Grade::ALL.iter().map(|g| g.label()).collect();
    let status = one_of(&f.status, &statuses);
    let grade = one_of(&f.grade, &grades);
    let category = one_of(&f.category, rules::CATEGORIES);
    let overdue = f.overdue.as_deref() == Some("1");
    let mut filters = vec![Filter::text(
        "q",
        "关键词",
        f.q.as_deref().unwrap_or_default(),
        "学校、部位或描述",
    )];
    filters.extend(place.pickers);
    filters.extend([
        Filter::labels(
            "status",
            "状态",
            status.as_deref().unwrap_or_default(),
            "全部状态",
            &statuses,
        ),
        Filter::labels(
            "grade",
            "等级",
            grade.as_deref().unwrap_or_default(),
            "全部等级",
            &grades,
        ),
        Filter::labels(
            "category",
            "类别",
            category.as_deref().unwrap_or_default(),
            "全部类别",
            rules::CATEGORIES,
        ),
        Filter::date("from", "排查时间自", f.from.as_deref().unwrap_or_default()),
        Filter::date("to", "至", f.to.as_deref().unwrap_or_default()),
        Filter::check("overdue", "仅逾期", overdue),
    ]);
    let query = HazardQuery {
        status,
        grade,
        category,
        school: place.school.code,
        township: place.township.code,
        overdue_on: overdue.then(|| today.to_string()),
        from: nonempty(&f.from),
        to: nonempty(&f.to),
        q: nonempty(&f.q),
        sort: f.paging.sort(HAZARD_SORTS),
        desc: f.paging.desc(),
        page: f.paging.page(),
        per_page: f.paging.size(),
        ..HazardQuery::default()
    };
    Ok((query, filters))
}

/// The query of an export or print: refused when a filter was.
async fn ledger_query(
    state: &AppState,
    account: &emis_app::auth::Account,
    f: &HazardFilters,
) -> Result<HazardQuery, PageError> {
    let (query, filters) = hazard_query(state, account, f).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(emis_app::AppError::Refused(f.error.clone()).into());
    }
    Ok(query)
}

#[derive(Template)]
#[template(path = "safety_hazards.html")]
struct HazardsPage {
    chrome: Chrome,
    rows: Vec<HazardLine>,
    list: List,
    grades: Vec<&'static str>,
    categories: Vec<&'static str>,
    print_href: String,
    can_record: bool,
    school_fixed: bool,
    schools: Vec<(String, String)>,
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
) -> PageResult {
    let account = caller.account()?;
    let (query, filters) = hazard_query(state, account, &f).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let db = &state.db;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = HazardQuery {
            page,
            ..query.clone()
        };
        async move { queries::hazards(db, account, &query).await }
    })
    .await?;
    let list = List::new(
        "/safety/hazards",
        filters,
        &f.paging,
        HAZARD_SORTS,
        page.total,
    )
    .with_export("/safety/hazards/export");
    // 打印 is the same filtered ledger as the export, laid out for paper.
    let print_href = list
        .export
        .as_deref()
        .unwrap_or("/safety/hazards/export")
        .replacen("/safety/hazards/export", "/safety/hazards/print", 1);
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
        form.found_on = state.clock.today().to_string();
    }
    let year = service::default_year(&state.db, account.county(), state.clock.today()).await?;
    let inspections =
        queries::inspections(&state.db, account, queries::Area::Safety, year, None, 200)
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
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    Ok((
        status,
        render(&HazardsPage {
            inspections,
            schools,
            chrome,
            rows: page
                .items
                .into_iter()
                .map(|h| HazardLine::of(h, state.clock.today()))
                .collect(),
            list,
            grades: Grade::ALL.iter().map(|g| g.label()).collect(),
            categories: rules::CATEGORIES.to_vec(),
            print_href,
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

pub async fn hazards(Ctx { state, caller }: Ctx, Query(f): Query<HazardFilters>) -> PageResult {
    hazards_page(&state, &caller, f, service::HazardForm::default(), None).await
}

/// Records a hazard from the page's form: multipart with an optional photo (the page), or
/// a plain form.
pub async fn record(Ctx { state, caller }: Ctx, request: Request) -> PageResult {
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
        state.clock.today(),
    )
    .await;
    round_trip(
        outcome,
        |id| format!("/safety/hazards/{id}?done=record"),
        |e| hazards_page(&state, &caller, HazardFilters::default(), form, Some(e)),
    )
    .await
}

/// The filtered ledger as xlsx in the 整改销号登记表 layout.
pub async fn export(Ctx { state, caller }: Ctx, Query(f): Query<HazardFilters>) -> PageResult {
    let account = caller.account()?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("ledger.xlsx");
    let query = ledger_query(&state, account, &f).await?;
    service::write_ledger(&state.db, account, &query, &path).await?;
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
    Ctx { state, caller }: Ctx,
    Query(f): Query<HazardFilters>,
) -> PageResult {
    let account = caller.account()?;
    let query = ledger_query(&state, account, &f).await?;
    let rows = service::ledger_rows(&state.db, account, &query).await?;
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

#[derive(Template)]
#[template(path = "safety_hazard.html")]
struct HazardPage {
    chrome: Chrome,
    noun: &'static str,
    h: HazardRow,
    budget: String,
    overdue: bool,
    evidence: Vec<queries::EvidenceRow>,
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
pub(super) struct Shown {
    pub(super) flash: Option<String>,
    pub(super) error: Option<(&'static str, FieldError)>,
    pub(super) assign: Option<service::AssignForm>,
    pub(super) rectify: Option<service::RectifyForm>,
    pub(super) review: String,
}

pub(super) async fn hazard_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    shown: Shown,
) -> PageResult {
    let account = caller.account()?;
    let h = service::visible_hazard(&state.db, account, id).await?;
    let evidence = queries::hazard_evidence(&state.db, &h).await?;
    let title = format!("{} #{id}", h.area.noun());
    let href = format!("/safety/hazards/{id}");
    let (key, [home, list]) = area_trail(h.area, "hazards", ("隐患台账", "/safety/hazards"));
    let chrome =
        Chrome::new(caller, &title, key, &[home, list, (&title, &href)])?.with_flash(shown.flash);
    let status = h.status;
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
        rectified_on: state.clock.today().to_string(),
    });
    Ok((
        code,
        render(&HazardPage {
            chrome,
            noun: h.area.noun(),
            budget: yuan(h.budget_fen),
            overdue: service::overdue(&h, state.clock.today()),
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let flash = q.done.as_deref().map(|d| {
        match d {
            "record" => "已登记，请落实整改责任人、措施、时限（和资金）。",
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::AssignForm>,
) -> PageResult {
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

pub async fn rectify(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    request: Request,
) -> PageResult {
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

pub async fn close(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::ReviewForm>,
) -> PageResult {
    review_step(state, caller, id, form, true).await
}

pub async fn send_back(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::ReviewForm>,
) -> PageResult {
    review_step(state, caller, id, form, false).await
}

async fn review_step(
    state: AppState,
    caller: Caller,
    id: i64,
    form: service::ReviewForm,
    closing: bool,
) -> PageResult {
    let account = caller.account()?;
    let outcome = if closing {
        service::close(
            &state.db,
            account,
            id,
            &form,
            &caller.source,
            state.clock.today(),
        )
        .await
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
