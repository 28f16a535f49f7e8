//! 发放批次 pages: the batches in the scope, a batch matched against the payments, and its
//! export.

use super::{
    aid_filters, crumbs, internal, policy_names, school_names, xlsx_response, AidListQuery,
};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use emis_app::aid as service;
use emis_domain::aid::yuan;
use emis_domain::term::Term;

pub struct BatchLine {
    pub id: i64,
    pub school: String,
    pub term: String,
    pub lines: i64,
    pub amount: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "aid_batches.html")]
struct BatchesPage {
    chrome: Chrome,
    term: String,
    rows: Vec<BatchLine>,
    total: String,
    list: crate::list::List,
}

/// `/aid/batches?term=`: the disbursement batches in the scope, filtered and paged.
pub async fn batches(Ctx { state, caller }: Ctx, Query(q): Query<AidListQuery>) -> PageResult {
    let account = caller.account()?;
    let statuses: Vec<&str> = emis_domain::aid::BatchStatus::ALL
        .iter()
        .map(|s| s.label())
        .collect();
    let (term, township, school, status, filters) =
        aid_filters(&state, account, &q, &statuses).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let query = service::queries::BatchQuery {
        term: Some(term.code()),
        township,
        school,
        status,
        sort: q.paging.sort(service::queries::BATCH_SORTS),
        desc: q.paging.desc(),
        page: q.paging.page(),
        per_page: q.paging.size(),
    };
    let (mut page, mut fen) = if refused {
        (crate::list::no_rows(query.per_page), 0)
    } else {
        service::queries::batches_page(&state.db, account, &query).await?
    };
    if query.page > 1 && page.items.is_empty() && page.total > 0 {
        let last = service::queries::BatchQuery {
            page: page.pages(),
            ..query.clone()
        };
        (page, fen) = service::queries::batches_page(&state.db, account, &last).await?;
    }
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let name = school_names(&schools);
    let list = crate::list::List::new(
        "/aid/batches",
        filters,
        &q.paging,
        service::queries::BATCH_SORTS,
        page.total,
    );
    let chrome = Chrome::new(
        &caller,
        "资助发放批次",
        "aid_batches",
        &[crumbs(), ("发放批次", "/aid/batches")],
    )?;
    Ok(render(&BatchesPage {
        chrome,
        term: term.code(),
        total: yuan(fen),
        list,
        rows: page
            .items
            .into_iter()
            .map(|b| BatchLine {
                id: b.id,
                school: name(&b.school_code),
                term: Term::parse(&b.term).map(|t| t.label()).unwrap_or(b.term),
                lines: b.lines,
                amount: yuan(b.fen),
                status: b.status.to_string(),
            })
            .collect(),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "aid_batch.html")]
struct BatchPage {
    chrome: Chrome,
    b: BatchLine,
    proposal_id: i64,
    totals: Vec<(String, u64, String, u64, String)>,
    paid: usize,
    wrong: usize,
    unpaid: usize,
    lines: Vec<service::queries::BatchLineItem>,
    extra: Vec<service::queries::BatchLineItem>,
    unmasked_export: bool,
}

/// `/aid/batches/{id}`: a batch's students and amounts, totals by policy, and each line
/// matched against the payments imported back (paid / unpaid / extra).
pub async fn batch(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let m = service::queries::batch(&state.db, account, id).await?;
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let year = Term::parse(&m.batch.term).map(|t| t.year).unwrap_or(2021);
    let names = policy_names(&state, account.county(), year).await?;
    let name_of = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
    let totals = m
        .totals
        .iter()
        .map(|t| {
            (
                name_of(&t.policy),
                t.person_times,
                t.amount.clone(),
                t.paid_person_times,
                t.paid_amount.clone(),
            )
        })
        .collect();
    let title = format!("发放批次 {id}");
    let href = format!("/aid/batches/{id}");
    let chrome = Chrome::new(
        &caller,
        &title,
        "aid_batches",
        &[crumbs(), ("发放批次", "/aid/batches"), (&title, &href)],
    )?;
    let b = &m.batch;
    let school = school_names(&schools)(&b.school_code);
    let unpaid = service::LineState::Unpaid;
    Ok(render(&BatchPage {
        chrome,
        proposal_id: b.proposal_id,
        totals,
        paid: m.count(service::LineState::Paid),
        wrong: m.count(service::LineState::WrongAmount),
        unpaid: m.count(unpaid),
        lines: m
            .lines
            .iter()
            .map(|l| service::queries::BatchLineItem {
                id_number: l.id_number.clone(),
                name: l.name.clone(),
                policy: name_of(&l.policy),
                amount: l.amount.clone(),
                paid: if l.state == unpaid.label() {
                    String::new()
                } else {
                    l.paid.clone()
                },
                state: l.state,
            })
            .collect(),
        extra: m
            .extra
            .iter()
            .map(|p| service::queries::BatchLineItem {
                id_number: p.id_number.clone(),
                name: String::new(),
                policy: name_of(&p.policy),
                amount: String::new(),
                paid: p.paid.clone(),
                state: "名单外发放",
            })
            .collect(),
        unmasked_export: account
            .role
            .permits(emis_domain::access::Permission::SeePersonalData),
        b: BatchLine {
            id: b.id,
            school,
            term: Term::parse(&b.term)
                .map(|t| t.label())
                .unwrap_or(b.term.clone()),
            lines: b.lines,
            amount: yuan(b.fen),
            status: b.status.to_string(),
        },
    })?
    .into_response())
}

/// `/aid/batches/{id}/export`: the batch in the `aid` template's columns, ID numbers
/// masked; `?unmasked=1` gives full ones to the roles that pay (audited as a full view).
/// Every export is audited.
pub async fn export_batch(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(mask): Query<crate::pages::ExportMask>,
) -> PageResult {
    let account = caller.account()?;
    let unmasked = mask.unmasked(account)?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("batch.xlsx");
    service::write_batch(
        &state.db,
        &account.scope,
        id,
        unmasked,
        &account.actor(&caller.source),
        &path,
    )
    .await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        &format!("aid-batch-{id}.xlsx"),
        &format!("资助发放批次{id}.xlsx"),
    ))
}
