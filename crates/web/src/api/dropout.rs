//! JSON API for 控辍保学 under `/api/v1/dropout`: the same services and scope as the
//! pages; ID and phone numbers masked.

use super::{ApiResult, Created};
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::dropout::queries::{self, CaseRow, HomeVisitRow, LedgerQuery, PlanRow, SnapshotRow};
use emis_app::dropout::{self as service, CaseForm, HomeVisitForm, PlanForm};
use emis_domain::identity::{mask_id, mask_phone};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn masked_case(mut c: CaseRow) -> CaseRow {
    c.person_id_number = mask_id(&c.person_id_number);
    c
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<service::Dashboard> {
    let a = caller.account()?;
    Ok(Json(
        service::dashboard(&state.db, &a.scope, state.clock.today()).await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct LedgerParams {
    ledger: Option<String>,
    township: Option<String>,
    snapshot: Option<String>,
    school: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
}

/// A ledger of a population snapshot (the latest unless asked): ID numbers and phones
/// masked.
#[derive(Serialize, JsonSchema)]
pub struct LedgerReply {
    /// `school-age`, `suspected` or `dropout`.
    ledger: &'static str,
    snapshot: Option<SnapshotRow>,
    items: Vec<queries::PersonRow>,
}

pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<LedgerParams>,
) -> ApiResult<LedgerReply> {
    let a = caller.account()?;
    let query = LedgerQuery::from_params(
        p.ledger.as_deref(),
        p.snapshot.as_deref(),
        p.township.as_deref(),
        p.school.as_deref(),
        p.q.as_deref(),
    );
    let which = query.ledger;
    let (snapshot, rows) = service::ledger(
        &state.db,
        &a.scope,
        &query,
        p.limit.unwrap_or(1000).clamp(1, 10_000),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|mut r| {
            r.id_number = mask_id(&r.id_number);
            r.phone = r.phone.as_deref().map(mask_phone);
            r.candidate_id = r.candidate_id.as_deref().map(mask_id);
            r
        })
        .collect();
    Ok(Json(LedgerReply {
        ledger: which.code(),
        snapshot,
        items,
    }))
}

#[derive(Deserialize, Default)]
pub struct CaseParams {
    township: Option<String>,
    status: Option<String>,
    q: Option<String>,
    /// Any value: only the overdue cases.
    overdue: Option<String>,
    limit: Option<i64>,
}

/// A case (ID number masked) and whether it is past its deadline.
#[derive(Serialize, JsonSchema)]
pub struct CaseItem {
    #[serde(flatten)]
    case: CaseRow,
    overdue: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct Cases {
    items: Vec<CaseItem>,
}

pub async fn cases(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<CaseParams>,
) -> ApiResult<Cases> {
    let a = caller.account()?;
    let rows = queries::cases(
        &state.db,
        a,
        &queries::CaseQuery {
            township: p.township,
            status: p.status,
            q: p.q,
            overdue_on: p
                .overdue
                .filter(|v| !v.is_empty())
                .map(|_| state.clock.today().to_string()),
            limit: p.limit.unwrap_or(500).clamp(1, 10_000),
        },
    )
    .await?;
    let today = state.clock.today();
    let items = rows
        .into_iter()
        .map(|c| CaseItem {
            overdue: emis_domain::dropout::cases::is_overdue(&service::to_domain(&c, &[]), today),
            case: masked_case(c),
        })
        .collect();
    Ok(Json(Cases { items }))
}

/// An evidence file of a case; `href` downloads it.
#[derive(Serialize, JsonSchema)]
pub struct Attachment {
    id: i64,
    href: String,
    file_name: String,
    size_bytes: i64,
    mime: String,
    uploaded_by: String,
    uploaded_at: String,
}

/// The child of a case as the population snapshot has it (phone and the probable
/// match's ID number masked).
#[derive(Serialize, JsonSchema)]
pub struct CasePerson {
    name: String,
    sex: String,
    birth_date: String,
    township_code: String,
    village: Option<String>,
    guardian: Option<String>,
    phone: Option<String>,
    finding: Option<String>,
    candidate_id: Option<String>,
    candidate_reason: Option<String>,
    poverty: bool,
}

/// A case with its log, evidence files and the child.
#[derive(Serialize, JsonSchema)]
pub struct Case {
    case: CaseRow,
    pending_match: Option<service::PendingMatch>,
    person: Option<CasePerson>,
    overdue: bool,
    events: Vec<queries::EventRow>,
    attachments: Vec<Attachment>,
}

pub async fn case(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<Case> {
    let a = caller.account()?;
    let v = service::case(&state.db, &a.scope, id, state.clock.today()).await?;
    let attachments = v
        .attachments
        .into_iter()
        .map(|x| Attachment {
            href: format!("/dropout/cases/{id}/attachments/{}", x.id),
            id: x.id,
            file_name: x.file_name,
            size_bytes: x.size_bytes,
            mime: x.mime,
            uploaded_by: x.uploaded_by,
            uploaded_at: x.uploaded_at,
        })
        .collect();
    let person = v.person.map(|p| CasePerson {
        phone: p.phone.as_deref().map(mask_phone),
        candidate_id: p.candidate_id.as_deref().map(mask_id),
        name: p.name,
        sex: p.sex,
        birth_date: p.birth_date,
        township_code: p.township_code,
        village: p.village,
        guardian: p.guardian,
        finding: p.finding,
        candidate_reason: p.candidate_reason,
        poverty: p.poverty,
    });
    Ok(Json(Case {
        case: masked_case(v.row),
        pending_match: v.pending_match,
        person,
        overdue: v.overdue,
        events: v.events,
        attachments,
    }))
}

/// One change: `{"action": "assign" | "visit" | "deadline" | "close" | "reopen" |
/// "confirm-match" | "reject-match", …}`; `confirm-match` takes an optional closing `date`.
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<CaseForm>,
) -> ApiResult<Case> {
    let a = caller.account()?;
    service::act(&state.db, a, id, &form, &caller.source, state.clock.today()).await?;
    case(State(state), Extension(caller), Path(id)).await
}

#[derive(Deserialize, Default)]
pub struct TermParams {
    term: Option<String>,
}

/// The 送教上门 plans of a term (ID numbers masked).
#[derive(Serialize, JsonSchema)]
pub struct Plans {
    term: String,
    students: usize,
    items: Vec<PlanRow>,
}

pub async fn plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<TermParams>,
) -> ApiResult<Plans> {
    let a = caller.account()?;
    let term = match p.term {
        Some(t) => t,
        None => emis_domain::term::Term::containing(state.clock.today()).code(),
    };
    let mut items = queries::plans(&state.db, a, &term, 10_000).await?;
    for r in &mut items {
        r.student_id_number = mask_id(&r.student_id_number);
    }
    Ok(Json(Plans {
        term,
        students: items.len(),
        items,
    }))
}

pub async fn save_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<PlanForm>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = service::save_plan(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Created { id }))
}

/// A plan's home visits after one was logged.
#[derive(Serialize, JsonSchema)]
pub struct Visits {
    plan: i64,
    visits: Vec<HomeVisitRow>,
}

pub async fn log_visit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<HomeVisitForm>,
) -> ApiResult<Visits> {
    let a = caller.account()?;
    service::log_home_visit(&state.db, a, id, &form, &caller.source).await?;
    let plan = queries::plan(&state.db, a, id).await?;
    let visits = queries::plan_visits(&state.db, &plan).await?;
    Ok(Json(Visits { plan: id, visits }))
}
