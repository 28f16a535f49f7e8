//! 大班额台账 page: the ledger, its sync from a term and an entry's update.

use super::{bad, run_id};
use crate::error::PageResult;
use crate::list::{no_rows, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::pages::{nonempty, terms};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::enrollment as service;
use emis_app::enrollment::queries;
use emis_domain::term::Term;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LedgerParams {
    term: Option<String>,
    township: Option<String>,
    school: Option<String>,
    state: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "enrollment_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    rows: Vec<queries::LedgerEntry>,
    open: i64,
    terms: Vec<(String, String)>,
    can_plan: bool,
    list: List,
    /// This page's address, where a saved entry comes back to.
    back: String,
}

async fn ledger_query(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
    p: &LedgerParams,
) -> Result<(queries::LedgerQuery, Vec<Filter>), crate::error::PageError> {
    let terms = terms(state, account).await?;
    let choices = Choices::of(state, account).await?;
    let crate::list::Place {
        township,
        school,
        pickers,
    } = choices.place(account, p.township.as_deref(), p.school.as_deref());
    let term = nonempty(&p.term).filter(|t| terms.iter().any(|(code, _)| code == t));
    let open = match p.state.as_deref() {
        Some("open") => Some(true),
        Some("closed") => Some(false),
        _ => None,
    };
    let mut filters = vec![Filter::select(
        "term",
        "学期",
        term.as_deref().unwrap_or_default(),
        "全部学期",
        terms,
    )];
    filters.extend(pickers);
    filters.push(Filter::select(
        "state",
        "销号",
        match open {
            Some(true) => "open",
            Some(false) => "closed",
            None => "",
        },
        "全部",
        vec![
            ("open".into(), "未销号".into()),
            ("closed".into(), "已销号".into()),
        ],
    ));
    let query = queries::LedgerQuery {
        term,
        township: township.code,
        school: school.code,
        open,
        sort: p.paging.sort(queries::LEDGER_SORTS),
        desc: p.paging.desc(),
        page: p.paging.page(),
        per_page: p.paging.size(),
    };
    Ok((query, filters))
}

pub async fn ledger(
    Ctx { state, caller }: Ctx,
    Query(p): Query<LedgerParams>,
    uri: axum::http::Uri,
) -> PageResult {
    let account = caller.account()?;
    let (query, filters) = ledger_query(&state, account, &p).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let (page, open) = if refused {
        (no_rows(query.per_page), 0)
    } else {
        let (page, open) = service::ledger_page(&state.db, &account.scope, &query).await?;
        if query.page > 1 && page.items.is_empty() && page.total > 0 {
            let last = queries::LedgerQuery {
                page: page.pages(),
                ..query.clone()
            };
            service::ledger_page(&state.db, &account.scope, &last).await?
        } else {
            (page, open)
        }
    };
    let list = List::new(
        "/enrollment/ledger",
        filters,
        &p.paging,
        queries::LEDGER_SORTS,
        page.total,
    )
    .with_export("/enrollment/ledger/export");
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
        rows: page.items,
        open,
        terms: terms(&state, account).await?,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        list,
        back: uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/enrollment/ledger".into()),
    })?
    .into_response())
}

/// Exactly the filtered ledger (every page) as a workbook.
pub async fn ledger_export(
    Ctx { state, caller }: Ctx,
    Query(p): Query<LedgerParams>,
) -> PageResult {
    let account = caller.account()?;
    let (mut query, filters) = ledger_query(&state, account, &p).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(emis_app::AppError::Refused(f.error.clone()).into());
    }
    query.per_page = 0;
    let (page, _) = service::ledger_page(&state.db, &account.scope, &query).await?;
    let rows = page.items.into_iter().map(|r| {
        vec![
            Term::label_of(&r.term),
            r.school_code,
            r.school_name,
            r.grade.to_string(),
            format!("{}班", r.class_number),
            r.size_at_entry.to_string(),
            r.plan,
            r.owner,
            r.target_date.unwrap_or_default(),
            r.closed_on.unwrap_or_else(|| "未销号".into()),
        ]
    });
    crate::download::sheet(
        "大班额台账",
        &[
            "学期",
            "学校标识码",
            "学校名称",
            "年级",
            "班级",
            "登记时人数",
            "化解措施",
            "责任人",
            "整改时限",
            "销号日期",
        ],
        rows,
        "large-class-ledger.xlsx",
        "大班额台账.xlsx",
    )
}

#[derive(Deserialize)]
pub struct SyncForm {
    term: String,
}

pub async fn ledger_sync(Ctx { state, caller }: Ctx, Form(f): Form<SyncForm>) -> PageResult {
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
    /// The filtered list the entry was saved from.
    back: Option<String>,
}

pub async fn ledger_update(
    Ctx { state, caller }: Ctx,
    Path(entry): Path<String>,
    Form(f): Form<LedgerForm>,
) -> PageResult {
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
    // Back to the same filtered page; only an address of the ledger itself.
    let back = f
        .back
        .filter(|b| b == "/enrollment/ledger" || b.starts_with("/enrollment/ledger?"))
        .unwrap_or_else(|| "/enrollment/ledger".into());
    Ok(Redirect::to(&back).into_response())
}
