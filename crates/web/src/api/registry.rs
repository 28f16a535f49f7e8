//! 学籍 registry API: schools, classes, students (status changes, transfers and the
//! transfers waiting to be received), staff and the annual indicators.

use super::ApiResult;
use crate::extract::{ApiJson, JsonBody};
use crate::session::Ctx;
use crate::AppState;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::registry as service;
use emis_app::registry::queries::{
    self as lists, ClassRow, Masked, Page, SchoolQuery, SchoolRow, StaffRow, StudentDetail,
    StudentQuery, StudentRow, TransferRow, ACCEPTED, DECLINED,
};
use emis_app::AppError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

async fn latest_term(
    state: &AppState,
    account: &emis_app::auth::Account,
    asked: Option<&str>,
) -> Result<String, crate::error::ApiError> {
    let terms = crate::list::term_codes(state, account).await?;
    Ok(asked
        .filter(|a| terms.iter().any(|t| t == a))
        .map(str::to_string)
        .or_else(|| terms.last().cloned())
        .unwrap_or_else(|| state.clock.current_term().code()))
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    term: Option<String>,
    school: Option<String>,
    township: Option<String>,
    grade: Option<String>,
    class: Option<i64>,
    status: Option<String>,
    sort: Option<String>,
    desc: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn schools(
    Ctx { state, caller }: Ctx,
    Query(p): Query<ListParams>,
) -> ApiResult<Page<SchoolRow>> {
    let a = caller.account()?;
    let term = latest_term(&state, a, p.term.as_deref()).await?;
    let q = SchoolQuery {
        q: p.q,
        township: p.township,
        school_type: None,
        sort: p.sort,
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50),
        term,
    };
    Ok(Json(lists::schools(&state.db, a, &q).await?))
}

pub async fn school(Ctx { state, caller }: Ctx, Path(code): Path<String>) -> ApiResult<SchoolRow> {
    let a = caller.account()?;
    let term = latest_term(&state, a, None).await?;
    let school = lists::school(&state.db, a, &code, &term)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(school))
}

/// The classes of a term, with their sizes.
#[derive(Serialize, JsonSchema)]
pub struct Classes {
    term: String,
    items: Vec<ClassRow>,
}

pub async fn classes(
    Ctx { state, caller }: Ctx,
    Query(p): Query<ListParams>,
) -> ApiResult<Classes> {
    let a = caller.account()?;
    let term = latest_term(&state, a, p.term.as_deref()).await?;
    let items = lists::classes(&state.db, a, &term, p.school.as_deref(), None).await?;
    Ok(Json(Classes { term, items }))
}

pub async fn students(
    Ctx { state, caller }: Ctx,
    Query(p): Query<ListParams>,
) -> ApiResult<Page<Masked<StudentRow>>> {
    let a = caller.account()?;
    let term = latest_term(&state, a, p.term.as_deref()).await?;
    let q = StudentQuery {
        term,
        q: p.q,
        township: None,
        school: p.school,
        grade: p.grade,
        class_number: p.class,
        status: p.status,
        sort: p.sort,
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
    };
    Ok(Json(
        crate::pages::students::students_page(&state, a, &q).await?,
    ))
}

pub async fn student(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<Masked<StudentDetail>> {
    let a = caller.account()?;
    Ok(Json(lists::student(&state.db, a, id).await?))
}

/// `{"status": "休学", "reason": "…"}`.
#[derive(Deserialize, JsonSchema)]
pub struct StatusBody {
    status: String,
    reason: String,
}

pub async fn change_status(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<Masked<StudentDetail>> {
    let a = caller.account()?;
    service::change_status(&state.db, a, id, &body.status, &body.reason, &caller.source).await?;
    student(Ctx { state, caller }, Path(id)).await
}

/// `{"school": "…", "class": "3", "reason": "…"}`: to a class of another school.
#[derive(Deserialize, JsonSchema)]
pub struct TransferBody {
    school: String,
    class: String,
    reason: String,
}

pub async fn transfer(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransferBody>,
) -> ApiResult<TransferStarted> {
    let a = caller.account()?;
    let transfer = service::transfer(
        &state.db,
        a,
        id,
        &body.school,
        &body.class,
        &body.reason,
        &caller.source,
    )
    .await?;
    Ok(Json(TransferStarted {
        student: id,
        transfer,
        to: body.school,
        status: lists::PENDING,
    }))
}

/// A transfer requested: it waits (待接收) for the receiving school.
#[derive(Serialize, JsonSchema)]
pub struct TransferStarted {
    student: i64,
    transfer: i64,
    to: String,
    status: &'static str,
}

pub async fn staff(
    Ctx { state, caller }: Ctx,
    Query(p): Query<ListParams>,
) -> ApiResult<Page<Masked<StaffRow>>> {
    let a = caller.account()?;
    let page = lists::staff(
        &state.db,
        a,
        p.q.as_deref(),
        None,
        p.school.as_deref(),
        p.page.unwrap_or(1),
        p.per_page.unwrap_or(50),
    )
    .await?;
    Ok(Json(page))
}

#[derive(Deserialize)]
pub struct YearParam {
    year: Option<i32>,
}

/// The annual indicators of a county: each indicator's code and its value (a count, yuan
/// or a rate 0–1; null where a rate has no base).
#[derive(Serialize, JsonSchema)]
pub struct Annual {
    year: i32,
    county: String,
    indicators: BTreeMap<String, Option<serde_json::Number>>,
}

/// Indicator values as their JSON spelling (CONTRACTS.md) reads as numbers.
pub fn indicator_values(
    set: &emis_domain::indicators::IndicatorSet,
) -> BTreeMap<String, Option<serde_json::Number>> {
    set.values
        .iter()
        .map(|(code, v)| (code.to_string(), serde_json::from_str(&v.to_json()).ok()))
        .collect()
}

/// The county's annual indicators: county-level accounts only (they are county totals).
pub async fn annual(Ctx { state, caller }: Ctx, Query(p): Query<YearParam>) -> ApiResult<Annual> {
    let a = caller.account()?;
    if !a.scope.is_county() {
        return Err(AppError::Forbidden.into());
    }
    let year = p.year.unwrap_or(2021);
    let set = emis_app::report::annual_indicators(&state.db, a.county(), year).await?;
    Ok(Json(Annual {
        year,
        county: a.county().to_string(),
        indicators: indicator_values(&set),
    }))
}

// ---------------------------------------------------------------- transfers to receive

#[derive(Deserialize, Default)]
pub struct TransfersParams {
    /// Any value: the decided transfers too.
    all: Option<String>,
}

/// A transfer into or out of the scope (ID number masked).
#[derive(Serialize, JsonSchema)]
pub struct TransferItem {
    id: i64,
    student: i64,
    name: String,
    id_number: String,
    term: String,
    from_school: String,
    from_class: i64,
    to_school: String,
    grade: String,
    class: i64,
    reason: String,
    status: String,
    requested_by: String,
    requested_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decline_reason: Option<String>,
    /// Pending, and this account may receive it.
    can_receive: bool,
}

impl TransferItem {
    fn of(account: &emis_app::auth::Account, t: Masked<TransferRow>) -> TransferItem {
        let can_receive = t.status == lists::PENDING && service::receives(account, &t);
        let t = t.into_inner();
        TransferItem {
            can_receive,
            id: t.id,
            student: t.student_id,
            name: t.student_name,
            id_number: t.id_number,
            term: t.term,
            from_school: t.from_school,
            from_class: t.from_class,
            to_school: t.to_school,
            grade: t.grade,
            class: t.class_number,
            reason: t.reason,
            status: t.status,
            requested_by: t.requested_by,
            requested_at: t.requested_at,
            decided_by: t.decided_by,
            decided_at: t.decided_at,
            decline_reason: t.decline_reason,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Transfers {
    total: usize,
    items: Vec<TransferItem>,
}

/// `GET /api/v1/students/transfers`: pending transfers into and out of the scope.
pub async fn transfers(
    Ctx { state, caller }: Ctx,
    Query(q): Query<TransfersParams>,
) -> ApiResult<Transfers> {
    let a = caller.account()?;
    let rows = lists::transfers(&state.db, a, q.all.is_some()).await?;
    let items: Vec<TransferItem> = rows.into_iter().map(|t| TransferItem::of(a, t)).collect();
    Ok(Json(Transfers {
        total: items.len(),
        items,
    }))
}

/// A transfer accepted (已接收) or declined (已退回).
#[derive(Serialize, JsonSchema)]
pub struct TransferDecided {
    transfer: i64,
    status: &'static str,
}

pub async fn accept_transfer(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<TransferDecided> {
    let a = caller.account()?;
    service::accept_transfer(&state.db, a, id, &caller.source).await?;
    Ok(Json(TransferDecided {
        transfer: id,
        status: ACCEPTED,
    }))
}

/// `{"reason": "…"}`; the reason may be left out (the service then asks for it).
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct DeclineBody {
    reason: String,
}

pub async fn decline_transfer(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    body: JsonBody<DeclineBody>,
) -> ApiResult<TransferDecided> {
    let a = caller.account()?;
    let body = body.parse_or_default()?;
    service::decline_transfer(&state.db, a, id, &body.reason, &caller.source).await?;
    Ok(Json(TransferDecided {
        transfer: id,
        status: DECLINED,
    }))
}
