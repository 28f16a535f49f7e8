//! 控辍保学 pages: the dashboard by township, the three ledgers with export, the population
//! roll upload, cases (一人一案) with their log and forms, and 送教上门 plans and visits.

use super::{nonempty, pick_term, terms};
use crate::error::{PageError, WebError};
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use emis_app::dropout::queries::{self, Ledger, LedgerQuery};
use emis_app::dropout::{self as service, CaseForm, HomeVisitForm, PlanForm};
use emis_app::registry::FieldError;
use emis_domain::dropout::cases::Outcome;
use emis_domain::identity::{mask_id, mask_phone};
use serde::Deserialize;

fn bad(message: impl Into<String>) -> PageError {
    PageError(WebError::Message(
        StatusCode::UNPROCESSABLE_ENTITY,
        message.into(),
    ))
}

fn township_name(code: &str) -> String {
    emis_domain::divisions::XUPU
        .township(code)
        .map(|t| t.name.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn townships() -> Vec<(String, String)> {
    emis_domain::divisions::XUPU
        .townships
        .iter()
        .map(|t| (t.code.to_string(), t.name.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Dashboard

#[derive(Template)]
#[template(path = "dropout.html")]
struct DashboardPage {
    chrome: Chrome,
    d: service::Dashboard,
    can_import: bool,
    today: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let d = service::dashboard(&state.db, &account.scope, state.clock.today()).await?;
    let chrome = Chrome::new(&caller, "控辍保学", "dropout", &[("控辍保学", "/dropout")])?
        .with_flash(q.done.map(|d| d.to_string()).filter(|d| !d.is_empty()));
    Ok(render(&DashboardPage {
        chrome,
        d,
        can_import: account
            .role
            .permits(emis_domain::access::Permission::ImportPopulationRoll),
        today: state.clock.today().to_string(),
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Population roll upload

#[derive(Template)]
#[template(path = "dropout_import.html")]
struct ImportResultPage {
    chrome: Chrome,
    lines: Vec<String>,
    problems: Vec<String>,
    warnings: Vec<String>,
    committed: bool,
}

pub async fn import(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let mut as_of = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        match field.name() {
            Some("as_of") => {
                as_of = emis_domain::dates::parse_date(&field.text().await.unwrap_or_default())
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| crate::error::upload_refusal(e.status()))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let as_of = as_of.ok_or_else(|| bad("请填写名册日期，如 2021-09-15"))?;
    let (name, bytes) = file
        .filter(|(n, b)| !n.is_empty() && !b.is_empty())
        .ok_or_else(|| bad("请选择要上传的文件"))?;
    let ext = name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let looks_right = match ext.as_str() {
        "xlsx" => bytes.starts_with(b"PK"),
        "csv" => !bytes.contains(&0),
        _ => false,
    };
    if !looks_right {
        return Err(bad("只支持 .xlsx 或 .csv 文件"));
    }
    let dir = tempfile::tempdir().map_err(|e| bad(e.to_string()))?;
    let path = dir.path().join(format!("population.{ext}"));
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(|e| bad(e.to_string()))?;
    let table = emis_io::read_table(&path, service::POPULATION_COLUMNS)
        .map_err(emis_app::AppError::from)?;
    let report = service::import_population(
        &state.db,
        account.county(),
        table,
        &name,
        as_of,
        None,
        false,
        Some(&account.scope),
        &account.actor(&caller.source),
    )
    .await?;
    let mut lines = report.import.notes.clone();
    if report.import.problems.is_empty() {
        lines.push(format!(
            "名册日期{}，比对{}学籍，共{}行",
            report.snapshot_date, report.term, report.import.rows
        ));
        lines.extend(report.ledger_lines());
        lines.push(format!("新建一人一案：{}件", report.cases_created));
    } else {
        lines.push(format!(
            "导入被拒绝：共{}处问题，数据库未作任何改动。",
            report.import.problems.len()
        ));
    }
    let chrome = Chrome::new(
        &caller,
        "户籍适龄人口导入结果",
        "dropout",
        &[("控辍保学", "/dropout")],
    )?;
    Ok(render(&ImportResultPage {
        chrome,
        lines,
        problems: report
            .import
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect(),
        warnings: report
            .import
            .warnings
            .iter()
            .map(|p| p.to_string())
            .collect(),
        committed: report.import.committed,
    })?
    .into_response())
}

// ---------------------------------------------------------------------------------------
// Ledgers

#[derive(Deserialize, Default)]
pub struct LedgerParams {
    ledger: Option<String>,
    township: Option<String>,
    snapshot: Option<String>,
    school: Option<String>,
    q: Option<String>,
}

impl LedgerParams {
    /// The one reading of the page's filters, for the page and its export alike.
    fn query(&self) -> LedgerQuery {
        LedgerQuery::from_params(
            self.ledger.as_deref(),
            self.snapshot.as_deref(),
            self.township.as_deref(),
            self.school.as_deref(),
            self.q.as_deref(),
        )
    }
}

pub struct LedgerLine {
    pub township: String,
    pub village: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub id_masked: String,
    pub guardian: String,
    pub phone: String,
    pub finding: String,
    pub school_code: String,
    pub candidate: String,
    pub poverty: bool,
    /// The child's 一人一案, linked from the row.
    pub case_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "dropout_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    ledger: String,
    ledgers: Vec<(String, String)>,
    township: String,
    townships: Vec<(String, String)>,
    school: String,
    q: String,
    snapshot: String,
    snapshots: Vec<String>,
    rows: Vec<LedgerLine>,
    export_href: String,
    /// Whether the role may export full ID and phone numbers (`&unmasked=1`).
    unmasked_export: bool,
    limit: i64,
}

const LEDGER_LIMIT: i64 = 2000;

pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<LedgerParams>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let query = params.query();
    let (snapshot, rows) = service::ledger(&state.db, &account.scope, &query, LEDGER_LIMIT).await?;
    let snapshots = queries::snapshots(&state.db, account)
        .await?
        .into_iter()
        .map(|s| s.snapshot_date)
        .collect();
    let which = query.ledger;
    let chrome = Chrome::new(
        &caller,
        &format!("{}台账", which.label()),
        "dropout-ledger",
        &[("控辍保学", "/dropout"), ("台账", "/dropout/ledger")],
    )?;
    let snapshot_date = snapshot.map(|s| s.snapshot_date).unwrap_or_default();
    let ids: Vec<String> = rows.iter().map(|p| p.id_number.clone()).collect();
    let case_ids =
        queries::case_ids_up_to_snapshot(&state.db, account, &snapshot_date, &ids).await?;
    let given = |v: &Option<String>| v.clone().unwrap_or_default();
    let encoded = |v: &Option<String>| crate::session::urlencode(&given(v));
    Ok(render(&LedgerPage {
        chrome,
        ledger: which.code().to_string(),
        ledgers: [Ledger::SchoolAge, Ledger::Suspected, Ledger::NotInSchool]
            .iter()
            .map(|l| (l.code().to_string(), l.label().to_string()))
            .collect(),
        export_href: format!(
            "/dropout/ledger/export?ledger={}&snapshot={}&township={}&school={}&q={}",
            which.code(),
            crate::session::urlencode(&snapshot_date),
            encoded(&query.township),
            encoded(&query.school),
            encoded(&query.q),
        ),
        unmasked_export: account
            .role
            .permits(emis_domain::access::Permission::SeePersonalData),
        township: given(&query.township),
        townships: townships(),
        school: given(&query.school),
        q: given(&query.q),
        snapshot: snapshot_date,
        snapshots,
        rows: rows
            .into_iter()
            .map(|p| LedgerLine {
                case_id: case_ids.get(&p.id_number).copied(),
                township: township_name(&p.township_code),
                village: p.village.unwrap_or_default(),
                id_masked: mask_id(&p.id_number),
                name: p.name,
                sex: p.sex,
                birth_date: p.birth_date,
                guardian: p.guardian.unwrap_or_default(),
                phone: p.phone.as_deref().map(mask_phone).unwrap_or_default(),
                finding: p.finding.unwrap_or_default(),
                school_code: p.school_code.unwrap_or_default(),
                candidate: p.candidate_reason.unwrap_or_default(),
                poverty: p.poverty,
            })
            .collect(),
        limit: LEDGER_LIMIT,
    })?
    .into_response())
}

/// The ledger as xlsx in the county layout, ID and phone masked; `&unmasked=1` gives full
/// ones to the roles that may see them. Every export is audited.
pub async fn ledger_export(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<LedgerParams>,
    Query(mask): Query<super::ExportMask>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let unmasked = mask.unmasked(account)?;
    let query = params.query();
    let which = query.ledger;
    let dir = tempfile::tempdir().map_err(|e| bad(e.to_string()))?;
    let path = dir.path().join("ledger.xlsx");
    service::export_ledger(
        &state.db,
        &account.scope,
        &query,
        &path,
        unmasked,
        &account.actor(&caller.source),
    )
    .await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| bad(e.to_string()))?;
    Ok(crate::download::xlsx(
        bytes,
        &format!("dropout-{}.xlsx", which.code()),
        &format!("{}台账.xlsx", which.label()),
    ))
}

// ---------------------------------------------------------------------------------------
// Cases

#[derive(Deserialize, Default)]
pub struct CaseListQuery {
    township: Option<String>,
    status: Option<String>,
    q: Option<String>,
    /// Any value: only the overdue cases.
    overdue: Option<String>,
}

pub struct CaseLine {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub township: String,
    pub status: String,
    pub deadline: String,
    pub overdue: bool,
    pub outcome: String,
    pub school_code: String,
}

#[derive(Template)]
#[template(path = "dropout_cases.html")]
struct CasesPage {
    chrome: Chrome,
    rows: Vec<CaseLine>,
    township: String,
    townships: Vec<(String, String)>,
    status: String,
    statuses: Vec<&'static str>,
    q: String,
    overdue: bool,
}

fn line(c: queries::CaseRow, today: chrono::NaiveDate) -> CaseLine {
    let overdue = emis_domain::dropout::cases::is_overdue(&service::to_domain(&c, &[]), today);
    CaseLine {
        id: c.id,
        id_masked: mask_id(&c.person_id_number),
        township: township_name(&c.township_code),
        name: c.name,
        status: c.status,
        deadline: c.deadline.unwrap_or_default(),
        overdue,
        outcome: c.outcome.unwrap_or_default(),
        school_code: c.school_code.unwrap_or_default(),
    }
}

pub async fn cases(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<CaseListQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let rows = queries::cases(
        &state.db,
        account,
        &queries::CaseQuery {
            township: nonempty(&q.township),
            status: nonempty(&q.status),
            q: nonempty(&q.q),
            overdue_on: nonempty(&q.overdue).map(|_| state.clock.today().to_string()),
            limit: 1000,
        },
    )
    .await?;
    let chrome = Chrome::new(
        &caller,
        "一人一案",
        "dropout-cases",
        &[("控辍保学", "/dropout"), ("一人一案", "/dropout/cases")],
    )?;
    let today = state.clock.today();
    Ok(render(&CasesPage {
        chrome,
        rows: rows.into_iter().map(|c| line(c, today)).collect(),
        township: q.township.unwrap_or_default(),
        townships: townships(),
        status: q.status.unwrap_or_default(),
        statuses: emis_domain::dropout::cases::CaseStatus::ALL
            .iter()
            .map(|s| s.label())
            .collect(),
        q: q.q.unwrap_or_default(),
        overdue: nonempty(&q.overdue).is_some(),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "dropout_case.html")]
struct CasePage {
    chrome: Chrome,
    v: service::CaseView,
    id_masked: String,
    phone_masked: String,
    township: String,
    can_work: bool,
    outcomes: Vec<String>,
    error_form: String,
    error_field: String,
    error: String,
    form: CaseForm,
    today: String,
    /// The child's row in the 适龄儿童 ledger of the case's snapshot.
    ledger_href: String,
}

async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    error: Option<FieldError>,
    form: CaseForm,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let v = service::case(&state.db, &account.scope, id, state.clock.today()).await?;
    let title = format!("{}（一人一案）", v.row.name);
    let href = format!("/dropout/cases/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "dropout-cases",
        &[("一人一案", "/dropout/cases"), (&title, &href)],
    )?
    .with_flash(flash);
    let (error_field, error) = match error {
        Some(e) => (e.field.to_string(), e.reason),
        None => Default::default(),
    };
    let person = v.person.as_ref();
    Ok(render(&CasePage {
        chrome,
        phone_masked: person
            .and_then(|p| p.phone.as_deref())
            .map(mask_phone)
            .unwrap_or_default(),
        id_masked: mask_id(&v.row.person_id_number),
        township: township_name(&v.row.township_code),
        // A case opens on its snapshot's date; the search is by name (no ID number in a URL).
        ledger_href: format!(
            "/dropout/ledger?ledger=school-age&snapshot={}&township={}&q={}",
            crate::session::urlencode(&v.row.opened_on),
            crate::session::urlencode(&v.row.township_code),
            crate::session::urlencode(&v.row.name),
        ),
        v,
        can_work: account
            .role
            .permits(emis_domain::access::Permission::WorkDropoutCases),
        outcomes: Outcome::ALL.iter().map(|o| o.label()).collect(),
        error_form: if error_field.is_empty() {
            String::new()
        } else {
            form.action.clone()
        },
        error_field,
        error,
        form,
        today: state.clock.today().to_string(),
    })?
    .into_response())
}

pub async fn case(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("assign") => Some("包保责任人已保存，已记入审计日志。"),
        Some("visit") => Some("走访记录已登记。"),
        Some("deadline") => Some("办结期限已调整。"),
        Some("close") => Some("案件已销号（动态销号），已记入审计日志。"),
        Some("reopen") => Some("案件已重新打开。"),
        Some("attach") => Some("佐证材料已上传。"),
        Some("confirm-match") => Some("已确认是同一人：按“已在籍”销号，已记入审计日志。"),
        Some("reject-match") => Some("已确认不是同一人：继续作为疑似辍学劝返，已记入审计日志。"),
        _ => None,
    };
    case_page(
        &state,
        &caller,
        id,
        None,
        CaseForm::default(),
        flash.map(str::to_string),
    )
    .await
}

pub async fn case_action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<CaseForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::act(
        &state.db,
        account,
        id,
        &form,
        &caller.source,
        state.clock.today(),
    )
    .await;
    let done = format!(
        "/dropout/cases/{id}?done={}",
        crate::session::urlencode(&form.action)
    );
    round_trip(
        outcome,
        |_| done,
        |e| case_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}

pub async fn attach(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    // The case must be in scope before anything about the upload is answered.
    service::case(&state.db, &account.scope, id, state.clock.today()).await?;
    let mut multipart = multipart.map_err(|e| crate::error::upload_refusal(e.status()))?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| crate::error::upload_refusal(e.status()))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let form = CaseForm {
        action: "attach".into(),
        ..CaseForm::default()
    };
    round_trip(
        service::attach(&state.db, account, id, &name, &bytes, &caller.source).await,
        |()| format!("/dropout/cases/{id}?done=attach"),
        |e| case_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}

/// An evidence file of a case in the scope, as a download under its own name; never
/// sniffed by the browser as something else.
pub async fn attachment(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((case_id, attachment_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (file, bytes) =
        service::attachment(&state.db, account, case_id, attachment_id, &caller.source).await?;
    Ok(crate::download::file(
        bytes,
        &file.mime,
        crate::download::Disposition::Attachment,
        &file.file_name,
        &file.file_name,
    ))
}

// ---------------------------------------------------------------------------------------
// 送教上门

#[derive(Deserialize, Default)]
pub struct TermQuery {
    term: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "home_teaching.html")]
struct PlansPage {
    chrome: Chrome,
    term: String,
    terms: Vec<(String, String)>,
    rows: Vec<queries::PlanRow>,
    students: usize,
    hours: String,
    /// (term label, children with a plan) for every term with roll data.
    per_term: Vec<(String, usize)>,
    can_work: bool,
    error_field: String,
    error: String,
    form: PlanForm,
}

async fn plans_page(
    state: &AppState,
    caller: &Caller,
    term: Option<&str>,
    error: Option<FieldError>,
    form: PlanForm,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let terms = terms(state).await?;
    let (term, _) = pick_term(&terms, term);
    let rows = queries::plans(&state.db, account, &term, 5000).await?;
    let minutes: i64 = rows.iter().map(|r| r.minutes).sum();
    let mut per_term = Vec::new();
    for (code, label) in &terms {
        let plans = queries::plans(&state.db, account, code, i64::MAX / 2).await?;
        per_term.push((label.clone(), plans.len()));
    }
    let chrome = Chrome::new(
        caller,
        "送教上门",
        "home-teaching",
        &[
            ("控辍保学", "/dropout"),
            ("送教上门", "/dropout/home-teaching"),
        ],
    )?
    .with_flash(flash);
    let (error_field, error) = match error {
        Some(e) => (e.field.to_string(), e.reason),
        None => Default::default(),
    };
    Ok(render(&PlansPage {
        chrome,
        students: rows.len(),
        hours: format!("{:.1}", minutes as f64 / 60.0),
        per_term,
        term,
        terms,
        rows,
        can_work: account
            .role
            .permits(emis_domain::access::Permission::WorkDropoutCases),
        error_field,
        error,
        form,
    })?
    .into_response())
}

pub async fn plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<TermQuery>,
) -> Result<Response, PageError> {
    let flash = (q.done.as_deref() == Some("plan")).then(|| "送教上门方案已保存。".to_string());
    plans_page(
        &state,
        &caller,
        q.term.as_deref(),
        None,
        PlanForm::default(),
        flash,
    )
    .await
}

pub async fn save_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::save_plan(&state.db, account, &form, &caller.source).await;
    let term = form.term.clone();
    round_trip(
        outcome,
        |id| format!("/dropout/home-teaching/{id}?done=plan"),
        |e| plans_page(&state, &caller, Some(&term), Some(e), form, None),
    )
    .await
}

#[derive(Template)]
#[template(path = "home_teaching_plan.html")]
struct PlanPage {
    chrome: Chrome,
    p: queries::PlanRow,
    id_masked: String,
    visits: Vec<queries::HomeVisitRow>,
    hours: String,
    can_work: bool,
    error_field: String,
    error: String,
    form: HomeVisitForm,
}

async fn plan_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    error: Option<FieldError>,
    form: HomeVisitForm,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let p = queries::plan(&state.db, account, id).await?;
    let visits = queries::plan_visits(&state.db, &p).await?;
    let minutes: i64 = visits.iter().map(|v| v.minutes).sum();
    let title = format!("{}（送教上门）", p.name);
    let href = format!("/dropout/home-teaching/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "home-teaching",
        &[("送教上门", "/dropout/home-teaching"), (&title, &href)],
    )?
    .with_flash(flash);
    let (error_field, error) = match error {
        Some(e) => (e.field.to_string(), e.reason),
        None => Default::default(),
    };
    Ok(render(&PlanPage {
        chrome,
        id_masked: mask_id(&p.student_id_number),
        p,
        hours: format!("{:.1}", minutes as f64 / 60.0),
        visits,
        can_work: account
            .role
            .permits(emis_domain::access::Permission::WorkDropoutCases),
        error_field,
        error,
        form,
    })?
    .into_response())
}

pub async fn plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<TermQuery>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("plan") => Some("送教上门方案已保存。".to_string()),
        Some("visit") => Some("送教记录已登记。".to_string()),
        _ => None,
    };
    plan_page(&state, &caller, id, None, HomeVisitForm::default(), flash).await
}

pub async fn log_visit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<HomeVisitForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let outcome = service::log_home_visit(&state.db, account, id, &form, &caller.source).await;
    round_trip(
        outcome,
        |()| format!("/dropout/home-teaching/{id}?done=visit"),
        |e| plan_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}
