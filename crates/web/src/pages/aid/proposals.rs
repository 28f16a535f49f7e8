//! 学校申报 pages: the proposals in the scope, a school's proposal, a proposal's list with
//! its history, and proposing again with fewer lines.

use super::{aid_filters, crumbs, policy_names, school_names, term_of, AidListQuery};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::aid as service;
use emis_domain::aid::yuan;
use emis_domain::aid::ProposalStatus;
use emis_domain::term::Term;
use serde::Deserialize;
use std::collections::BTreeMap;

pub struct ProposalLine {
    pub id: i64,
    pub school: String,
    pub term: String,
    pub status: String,
    pub reason: String,
    pub lines: i64,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "aid_proposals.html")]
struct ProposalsPage {
    chrome: Chrome,
    list: crate::list::List,
    term: String,
    rows: Vec<ProposalLine>,
    batches: usize,
    batch_amount: String,
    can_propose: bool,
    /// Schools the account may propose for: (code, name).
    schools: Vec<(String, String)>,
    /// Schools whose proposal of the term is checked or approved (no new proposal), with
    /// the status: "龙潭镇中学（已审批）".
    locked: Vec<String>,
    /// Why the last proposal was refused (beside the form).
    error: String,
}

fn proposes(account: &emis_app::auth::Account) -> bool {
    account
        .role
        .permits(emis_domain::access::Permission::ProposeAid)
}

fn reviews(account: &emis_app::auth::Account) -> bool {
    account
        .role
        .permits(emis_domain::access::Permission::ReviewAid)
}

/// `/aid/proposals`: proposals in the scope with their status, the batches made, and the
/// form a school (or its township, or the county) proposes with.
pub async fn proposals(Ctx { state, caller }: Ctx, Query(q): Query<AidListQuery>) -> PageResult {
    proposals_page(&state, &caller, &q, None).await
}

async fn proposals_page(
    state: &crate::AppState,
    caller: &crate::session::Caller,
    q: &AidListQuery,
    error: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let statuses: Vec<&str> = ProposalStatus::ALL.iter().map(|s| s.label()).collect();
    let (term, township, school, status, filters) =
        aid_filters(state, account, q, &statuses).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let query = service::queries::ProposalQuery {
        term: Some(term.code()),
        township,
        school,
        status,
        sort: q.paging.sort(service::queries::PROPOSAL_SORTS),
        desc: q.paging.desc(),
        page: q.paging.page(),
        per_page: q.paging.size(),
    };
    let db = &state.db;
    let shown = crate::list::rows_of(refused, query.page, query.per_page, |page| {
        let query = service::queries::ProposalQuery {
            page,
            ..query.clone()
        };
        async move { service::queries::proposals_page(db, account, &query).await }
    })
    .await?;
    let table = crate::list::List::new(
        "/aid/proposals",
        filters,
        &q.paging,
        service::queries::PROPOSAL_SORTS,
        shown.total,
    );
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    // The whole term in the scope: which schools may still propose, and the batches made.
    let list = service::proposals(&state.db, &account.scope, Some(term)).await?;
    let batches = service::queries::batches_of(&state.db, account, &list).await?;
    let chrome = Chrome::new(
        caller,
        "资助申报与审批",
        "aid_proposals",
        &[crumbs(), ("申报与审批", "/aid/proposals")],
    )?;
    let name = school_names(&schools);
    // A school whose proposal is checked or approved cannot propose again this term: it is
    // not offered, and the page says why.
    let settled: std::collections::HashMap<&str, String> = list
        .iter()
        .filter(|p| !p.status.allows_new_proposal())
        .map(|p| (p.school_code.as_str(), p.status.to_string()))
        .collect();
    let mine: Vec<_> = schools
        .iter()
        .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
        .collect();
    let locked = mine
        .iter()
        .filter_map(|s| {
            let status = settled.get(s.code.as_str())?;
            Some(format!("{}（{status}）", s.name))
        })
        .collect();
    let open_schools = mine
        .iter()
        .filter(|s| !settled.contains_key(s.code.as_str()))
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = render(&ProposalsPage {
        chrome,
        list: table,
        term: term.code(),
        batches: batches.len(),
        batch_amount: yuan(batches.iter().map(|b| b.fen).sum()),
        can_propose: proposes(account),
        schools: open_schools,
        locked,
        error: error.unwrap_or_default(),
        rows: shown
            .items
            .into_iter()
            .map(|p| ProposalLine {
                id: p.id,
                school: name(&p.school_code),
                term: p.term,
                status: p.status.to_string(),
                reason: p.sent_back_reason.unwrap_or_default(),
                lines: p.lines,
                amount: yuan(p.fen),
            })
            .collect(),
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct ProposeForm {
    school: String,
    term: String,
}

/// `POST /aid/proposals`: a school's list for a term, from its eligible students.
pub async fn propose(Ctx { state, caller }: Ctx, Form(form): Form<ProposeForm>) -> PageResult {
    let account = caller.account()?;
    let term = term_of(Some(&form.term))?;
    // The school is typed or picked by name from the searchable list (a code works too),
    // resolved among the schools of the account's scope.
    let choices = crate::list::Choices::of(&state, account).await?;
    let school = crate::list::resolve(Some(&form.school), &choices.schools, "学校");
    let proposed = match school.code {
        Some(code) => {
            service::propose(
                &state.db,
                &account.scope,
                &code,
                term,
                &account.actor(&caller.source),
            )
            .await
        }
        None if school.error.is_empty() => Err(emis_app::AppError::Refused(
            "请选择申报的学校（输入名称搜索）".into(),
        )),
        None => Err(emis_app::AppError::Refused(school.error)),
    };
    match proposed {
        Ok(id) => Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response()),
        // Refused (e.g. already approved): the list again, the reason beside the form.
        Err(emis_app::AppError::Refused(reason)) => {
            let q = AidListQuery {
                term: Some(term.code()),
                ..AidListQuery::default()
            };
            proposals_page(&state, &caller, &q, Some(reason)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ProposalItem {
    pub key: String,
    pub id_number: String,
    pub name: String,
    pub policy: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "aid_proposal.html")]
struct ProposalPage {
    chrome: Chrome,
    p: ProposalLine,
    lines: Vec<ProposalItem>,
    totals: Vec<(String, usize, String)>,
    steps: Vec<service::Step>,
    can_adjust: bool,
    can_decide: bool,
    stage: &'static str,
}

/// `/aid/proposals/{id}`: a proposal's list, totals by policy, status history, and the
/// forms of the step the account may take.
pub async fn proposal(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let p = service::queries::proposal(&state.db, account, id).await?;
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let year = Term::parse(&p.term).map(|t| t.year).unwrap_or(2021);
    let names = policy_names(&state, account.county(), year).await?;
    let name_of = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
    let lines = service::queries::proposal_lines(&state.db, &p).await?;
    let mut totals: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
    for l in &lines {
        let t = totals.entry(l.policy.as_str()).or_default();
        t.0 += 1;
        t.1 += l.fen;
    }
    let totals = totals
        .into_iter()
        .map(|(code, (n, fen))| (name_of(code), n, yuan(fen)))
        .collect();
    let steps = service::proposal_history(&state.db, &account.scope, id).await?;
    let school = school_names(&schools)(&p.school_code);
    let open = matches!(
        p.status,
        ProposalStatus::Proposed | ProposalStatus::SentBack
    );
    let (can_decide, stage) = match p.status {
        ProposalStatus::Proposed => (reviews(account), "乡镇审核"),
        ProposalStatus::Checked => (
            reviews(account) && account.scope.is_county(),
            "县资助中心审批",
        ),
        _ => (false, ""),
    };
    let title = format!("资助申报 {id}");
    let href = format!("/aid/proposals/{id}");
    let chrome = Chrome::new(
        &caller,
        &title,
        "aid_proposals",
        &[crumbs(), ("申报与审批", "/aid/proposals"), (&title, &href)],
    )?;
    Ok(render(&ProposalPage {
        chrome,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, l)| ProposalItem {
                key: i.to_string(),
                id_number: l.id_number.clone(),
                name: l.name.clone(),
                policy: name_of(&l.policy),
                amount: yuan(l.fen),
            })
            .collect(),
        totals,
        steps,
        can_adjust: open && proposes(account),
        can_decide,
        stage,
        p: ProposalLine {
            id: p.id,
            school,
            term: Term::parse(&p.term).map(|t| t.label()).unwrap_or(p.term),
            status: p.status.to_string(),
            reason: p.sent_back_reason.unwrap_or_default(),
            lines: p.lines,
            amount: yuan(p.fen),
        },
    })?
    .into_response())
}

/// `POST /aid/proposals/{id}/lines`: the school proposes again, keeping only the ticked
/// lines (`keep` = the line's position in the proposal, repeated; no ID number in the page).
pub async fn adjust(Ctx { state, caller }: Ctx, Path(id): Path<i64>, body: String) -> PageResult {
    let account = caller.account()?;
    let keep: Vec<usize> = crate::session::form_pairs(&body)
        .into_iter()
        .filter(|(k, _)| k == "keep")
        .filter_map(|(_, v)| v.parse::<usize>().ok())
        .collect();
    let id = service::propose_kept(
        &state.db,
        &account.scope,
        id,
        &keep,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response())
}
