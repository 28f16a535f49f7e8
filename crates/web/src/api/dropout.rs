//! JSON API for 控辍保学 under `/api/v1/dropout`: the same services and scope as the
//! pages; ID and phone numbers masked.

use super::{ApiResult, Created};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::dropout::queries::{
    self, CaseItem, CasePerson, CaseRecord, EventItem, HomeVisitRow, LedgerList, LedgerQuery,
    Masked, PendingMatch, PlanRow,
};
use emis_app::dropout::{self as service, CaseForm, HomeVisitForm, PlanForm};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub async fn dashboard(Ctx { state, caller }: Ctx) -> ApiResult<service::Dashboard> {
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

pub async fn ledger(
    Ctx { state, caller }: Ctx,
    Query(p): Query<LedgerParams>,
) -> ApiResult<Masked<LedgerList>> {
    let a = caller.account()?;
    let query = LedgerQuery::from_params(
        p.ledger.as_deref(),
        p.snapshot.as_deref(),
        p.township.as_deref(),
        p.school.as_deref(),
        p.q.as_deref(),
    );
    Ok(Json(
        queries::ledger(
            &state.db,
            a,
            &query,
            p.limit.unwrap_or(1000).clamp(1, 10_000),
        )
        .await?,
    ))
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

#[derive(Serialize, JsonSchema)]
pub struct Cases {
    items: Vec<Masked<CaseItem>>,
}

pub async fn cases(Ctx { state, caller }: Ctx, Query(p): Query<CaseParams>) -> ApiResult<Cases> {
    let a = caller.account()?;
    let items = queries::cases(
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
        state.clock.today(),
    )
    .await?;
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

/// A case with its log, evidence files and the child.
#[derive(Serialize, JsonSchema)]
pub struct Case {
    case: CaseRecord,
    pending_match: Option<PendingMatch>,
    person: Option<CasePerson>,
    overdue: bool,
    events: Vec<EventItem>,
    attachments: Vec<Attachment>,
}

pub async fn case(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<Case> {
    let a = caller.account()?;
    let v = queries::case(&state.db, a, id, state.clock.today())
        .await?
        .into_inner();
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
    Ok(Json(Case {
        case: v.case,
        pending_match: v.pending_match,
        person: v.person,
        overdue: v.overdue,
        events: v.events,
        attachments,
    }))
}

/// One change: `{"action": "assign" | "visit" | "deadline" | "close" | "reopen" |
/// "confirm-match" | "reject-match", …}`; `confirm-match` takes an optional closing `date`.
pub async fn act(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<CaseForm>,
) -> ApiResult<Case> {
    let a = caller.account()?;
    service::act(&state.db, a, id, &form, &caller.source, state.clock.today()).await?;
    case(Ctx { state, caller }, Path(id)).await
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
    items: Vec<Masked<PlanRow>>,
}

pub async fn plans(Ctx { state, caller }: Ctx, Query(p): Query<TermParams>) -> ApiResult<Plans> {
    let a = caller.account()?;
    let term = match p.term {
        Some(t) => t,
        None => emis_domain::term::Term::containing(state.clock.today()).code(),
    };
    let items = queries::plans(&state.db, a, &term, 10_000).await?;
    Ok(Json(Plans {
        term,
        students: items.len(),
        items,
    }))
}

pub async fn save_plan(
    Ctx { state, caller }: Ctx,
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<HomeVisitForm>,
) -> ApiResult<Visits> {
    let a = caller.account()?;
    service::log_home_visit(&state.db, a, id, &form, &caller.source).await?;
    let plan = queries::plan(&state.db, a, id).await?;
    let visits = queries::plan_visits(&state.db, &plan).await?;
    Ok(Json(Visits { plan: id, visits }))
}
