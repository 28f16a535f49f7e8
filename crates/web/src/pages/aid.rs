//! 学生资助 pages: the term's eligibility and gap lists (scoped, ID numbers masked), the
//! policy catalog of a year, and proposals with their batches.

use crate::error::{PageError, WebError};
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use emis_app::aid::{self as service};
use emis_app::registry::FieldError;
use emis_domain::aid::{yuan, Amount, Conditions, Policy, PolicyForm};
use emis_domain::identity::mask_id;
use emis_domain::registry::{Grade, Hardship, SchoolType, UrbanRural};
use emis_domain::term::Term;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

fn crumbs() -> (&'static str, &'static str) {
    ("学生资助", "/aid")
}

#[derive(Deserialize, Default)]
pub struct AidQuery {
    term: Option<String>,
}

fn term_of(raw: Option<&str>) -> Result<Term, PageError> {
    match raw.filter(|t| !t.is_empty()) {
        None => Ok(Term::autumn(2021)),
        Some(t) => Term::parse(t).ok_or_else(|| {
            PageError(WebError::Message(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("学期“{t}”无法识别"),
            ))
        }),
    }
}

pub struct PolicyLine {
    pub code: String,
    pub name: String,
    pub eligible: usize,
    pub person_times: u64,
    pub amount: String,
    pub missed: usize,
}

pub struct MissedLine {
    pub id_number: String,
    pub name: String,
    pub school: String,
    pub grade: String,
    pub policy: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "aid_overview.html")]
struct OverviewPage {
    chrome: Chrome,
    term: String,
    term_label: String,
    eligible: usize,
    person_times: u64,
    amount: String,
    policies: Vec<PolicyLine>,
    missed_total: usize,
    missed: Vec<MissedLine>,
    not_eligible: usize,
    duplicates: usize,
    two_schools: usize,
    off_roll: usize,
}

/// `/aid`: a term's eligibility, payments and the five gap lists within the scope.
pub async fn overview(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let county = account.county();
    let schools = emis_app::registry::queries::county_schools(&state.db, county).await?;
    let within = service::AidScope::of(&state.db, &account.scope, &[term]).await?;
    let result = service::check(&state.db, county, &[term]).await?;
    let catalog = service::catalog(&state.db, county, term.year).await?;
    let ours =
        |p: &emis_domain::aid::Payment| within.admits(p.school_code.as_deref(), &p.id_number);
    let payments = service::queries::payments(&state.db, account, &within, term).await?;
    let summary = emis_domain::aid::summarize(&payments);
    let entitled: Vec<_> = result
        .entitlements
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .collect();
    let missed: Vec<_> = result
        .gaps
        .missed
        .iter()
        .filter(|e| within.admits(Some(&e.school_code), &e.id_number))
        .collect();
    let mut eligible_by: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entitled {
        *eligible_by.entry(e.policy.as_str()).or_default() += 1;
    }
    let mut missed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &missed {
        *missed_by.entry(e.policy.as_str()).or_default() += 1;
    }
    let name_of = |code: &str| {
        catalog
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let school_name = |code: &str| {
        schools
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let policies = catalog
        .iter()
        .map(|p| {
            let (pt, fen) = summary.by_policy.get(&p.code).copied().unwrap_or((0, 0));
            PolicyLine {
                code: p.code.clone(),
                name: p.name.clone(),
                eligible: eligible_by.get(p.code.as_str()).copied().unwrap_or(0),
                person_times: pt,
                amount: yuan(fen),
                missed: missed_by.get(p.code.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let count = |groups: &[Vec<emis_domain::aid::Payment>]| {
        groups.iter().filter(|g| g.iter().any(ours)).count()
    };
    let chrome = Chrome::new(&caller, "学生资助", "aid", &[crumbs()])?;
    Ok(render(&OverviewPage {
        chrome,
        term: term.code(),
        term_label: term.label(),
        eligible: entitled.len(),
        person_times: summary.person_times,
        amount: yuan(summary.fen),
        policies,
        missed_total: missed.len(),
        missed: missed
            .iter()
            .take(200)
            .map(|e| MissedLine {
                id_number: mask_id(&e.id_number),
                name: e.name.clone(),
                school: school_name(&e.school_code),
                grade: e.grade.label().to_string(),
                policy: name_of(&e.policy),
                amount: yuan(e.fen),
            })
            .collect(),
        not_eligible: result.gaps.not_eligible.iter().filter(|p| ours(p)).count(),
        duplicates: count(&result.gaps.duplicates),
        two_schools: count(&result.gaps.two_schools),
        off_roll: result.gaps.off_roll.iter().filter(|p| ours(p)).count(),
    })?
    .into_response())
}

pub struct CatalogLine {
    pub code: String,
    pub name: String,
    pub grades: String,
    pub who: String,
    pub amount: String,
    pub quota: String,
}

#[derive(Template)]
#[template(path = "aid_policies.html")]
struct PoliciesPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<CatalogLine>,
    can_edit: bool,
    /// The code of the policy being edited, empty for a new one.
    editing: String,
    form: PolicyForm,
    /// The condition fields as checkboxes, ticked from the form.
    grade_groups: Vec<(&'static str, Vec<Choice>)>,
    school_types: Vec<Choice>,
    hardships: Vec<Choice>,
    settings: Vec<Choice>,
    vocational_years: Vec<Choice>,
    error_field: String,
    error: String,
}

/// One checkbox of the policy form: its label (the value sent) and whether it is ticked.
pub struct Choice {
    pub label: &'static str,
    pub checked: bool,
}

fn choices(labels: impl IntoIterator<Item = &'static str>, ticked: &str) -> Vec<Choice> {
    let ticked: Vec<&str> = ticked
        .split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；') || c.is_whitespace())
        .collect();
    labels
        .into_iter()
        .map(|label| Choice {
            label,
            checked: ticked.contains(&label),
        })
        .collect()
}

fn amount_text(a: &Amount) -> String {
    match a {
        Amount::PerTerm { fen } => format!("每学期 {} 元", yuan(*fen)),
        Amount::PerDay {
            spring_fen,
            autumn_fen,
            days,
        } => format!(
            "春季每天 {} 元、秋季每天 {} 元 × {days} 天",
            yuan(*spring_fen),
            yuan(*autumn_fen)
        ),
        Amount::ByStage { amounts } => amounts
            .iter()
            .map(|(s, f)| format!("{} 每学期 {} 元", s.label(), yuan(*f)))
            .collect::<Vec<_>>()
            .join("；"),
        Amount::Tiers { tiers } => format!(
            "分档 {} 元/学期",
            tiers
                .iter()
                .map(|t| yuan(t.fen))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
    }
}

fn catalog_line(p: &Policy) -> CatalogLine {
    CatalogLine {
        code: p.code.clone(),
        name: p.name.clone(),
        grades: if p.grades.is_empty() {
            "全部".into()
        } else {
            p.grades
                .iter()
                .map(|g| g.label())
                .collect::<Vec<_>>()
                .join("、")
        },
        // In words when the condition fields express the rule, as rule data otherwise.
        who: Conditions::of(&p.who)
            .map(|c| c.describe())
            .unwrap_or_else(|| serde_json::to_string(&p.who).unwrap_or_default()),
        amount: amount_text(&p.amount),
        quota: p
            .quota
            .map(|q| format!("春季 {} / 秋季 {}", q.spring, q.autumn))
            .unwrap_or_else(|| "不限".into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PoliciesQuery {
    year: Option<i32>,
    edit: Option<String>,
    done: Option<String>,
}

/// County officers and administrators keep the catalog (the route table gates the forms).
fn keeps_catalog(account: &emis_app::auth::Account) -> bool {
    account
        .role
        .permits(emis_domain::access::Permission::KeepAidPolicies)
}

#[allow(clippy::too_many_arguments)]
async fn policies_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    editing: String,
    form: Option<PolicyForm>,
    error: Option<FieldError>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let list = service::catalog(&state.db, account.county(), year).await?;
    let form = form.unwrap_or_else(|| {
        list.iter()
            .find(|p| p.code == editing)
            .map(PolicyForm::of)
            .unwrap_or_else(|| PolicyForm {
                amount_kind: "per_term".into(),
                ..PolicyForm::default()
            })
    });
    let chrome = Chrome::new(
        caller,
        "资助政策目录",
        "aid_policies",
        &[crumbs(), ("政策目录", "/aid/policies")],
    )?
    .with_flash(flash);
    let (error_field, error) = error
        .map(|e| (e.field.to_string(), e.reason))
        .unwrap_or_default();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut grade_groups: Vec<(&'static str, Vec<Choice>)> = Vec::new();
    for g in Grade::ALL {
        let choice = choices([g.label()], &form.grades).remove(0);
        match grade_groups.last_mut() {
            Some((stage, list)) if *stage == g.stage().label() => list.push(choice),
            _ => grade_groups.push((g.stage().label(), vec![choice])),
        }
    }
    Ok((
        status,
        render(&PoliciesPage {
            chrome,
            year,
            rows: list.iter().map(catalog_line).collect(),
            can_edit: keeps_catalog(account),
            editing,
            grade_groups,
            school_types: choices(
                SchoolType::ALL.iter().map(|t| t.label()),
                &form.school_types,
            ),
            hardships: choices(
                Hardship::ALL
                    .iter()
                    .filter(|h| **h != Hardship::None)
                    .map(|h| h.label()),
                &form.hardship,
            ),
            settings: choices(UrbanRural::ALL.iter().map(|u| u.label()), &form.settings),
            vocational_years: choices(["1", "2", "3"], &form.vocational_years),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

/// `/aid/policies?year=&edit=code`: the year's catalog, with the edit form for officers.
pub async fn policies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<PoliciesQuery>,
) -> Result<Response, PageError> {
    let flash = q.done.map(|d| format!("已保存：{d}"));
    policies_page(
        &state,
        &caller,
        q.year.unwrap_or(2021),
        q.edit.unwrap_or_default(),
        None,
        None,
        flash,
    )
    .await
}

#[derive(Deserialize)]
struct PolicySubmit {
    year: String,
    #[serde(default)]
    editing: String,
    #[serde(flatten)]
    form: PolicyForm,
}

fn year_of(raw: &str) -> Result<i32, PageError> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| bad(format!("年度“{raw}”应为四位年份，如 2022")))
}

fn bad(message: String) -> PageError {
    PageError(WebError::Message(StatusCode::UNPROCESSABLE_ENTITY, message))
}

/// The submitted form, with the values of a field's ticked checkboxes (repeated keys)
/// joined by 、 the way the text fields list them.
fn policy_submit(body: &str) -> Result<PolicySubmit, PageError> {
    let mut fields = serde_json::Map::new();
    for (key, value) in crate::session::form_pairs(body) {
        match fields.get_mut(&key) {
            Some(serde_json::Value::String(seen)) => {
                seen.push('、');
                seen.push_str(&value);
            }
            _ => {
                fields.insert(key, serde_json::Value::String(value));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| bad(format!("表单无法读取：{e}")))
}

/// `POST /aid/policies`: add or edit one policy of a year.
pub async fn save_policy(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: String,
) -> Result<Response, PageError> {
    let submit = policy_submit(&body)?;
    let account = caller.account()?;
    let year = year_of(&submit.year)?;
    let outcome = service::save_policy(
        &state.db,
        &account.scope,
        year,
        &submit.form,
        &account.actor(&caller.source),
    )
    .await;
    round_trip(
        outcome,
        |p| {
            let name = crate::session::urlencode(&p.name);
            format!("/aid/policies?year={year}&done={name}")
        },
        |e| {
            policies_page(
                &state,
                &caller,
                year,
                submit.editing,
                Some(submit.form),
                Some(e),
                None,
            )
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct CopySubmit {
    from: String,
    to: String,
}

/// `POST /aid/policies/copy`: a year's catalog copied to another year.
pub async fn copy_policies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(submit): Form<CopySubmit>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let (from, to) = (year_of(&submit.from)?, year_of(&submit.to)?);
    service::copy_catalog(
        &state.db,
        &account.scope,
        from,
        to,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/aid/policies?year={to}&done={}",
        crate::session::urlencode(&format!("{from}年目录已复制到{to}年"))
    ))
    .into_response())
}

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
    term: String,
    rows: Vec<ProposalLine>,
    batches: usize,
    batch_amount: String,
    can_propose: bool,
    /// Schools the account may propose for: (code, name).
    schools: Vec<(String, String)>,
}

fn school_names(schools: &[emis_domain::registry::School]) -> impl Fn(&str) -> String + '_ {
    move |code: &str| {
        schools
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.to_string())
    }
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
pub async fn proposals(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let list = service::proposals(&state.db, &account.scope, Some(term)).await?;
    let batches = service::queries::batches_of(&state.db, account, &list).await?;
    let chrome = Chrome::new(
        &caller,
        "资助申报与审批",
        "aid_proposals",
        &[crumbs(), ("申报与审批", "/aid/proposals")],
    )?;
    let name = school_names(&schools);
    Ok(render(&ProposalsPage {
        chrome,
        term: term.code(),
        batches: batches.len(),
        batch_amount: yuan(batches.iter().map(|b| b.fen).sum()),
        can_propose: proposes(account),
        schools: schools
            .iter()
            .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
            .map(|s| (s.code.clone(), s.name.clone()))
            .collect(),
        rows: list
            .into_iter()
            .map(|p| ProposalLine {
                id: p.id,
                school: name(&p.school_code),
                term: p.term,
                status: p.status,
                reason: p.sent_back_reason.unwrap_or_default(),
                lines: p.lines,
                amount: yuan(p.fen),
            })
            .collect(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct ProposeForm {
    school: String,
    term: String,
}

/// `POST /aid/proposals`: a school's list for a term, from its eligible students.
pub async fn propose(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<ProposeForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(Some(&form.term))?;
    let id = service::propose(
        &state.db,
        &account.scope,
        &form.school,
        term,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response())
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

/// The catalog names of a year's policies, by code.
async fn policy_names(
    state: &AppState,
    county: &str,
    year: i32,
) -> Result<std::collections::HashMap<String, String>, PageError> {
    Ok(service::catalog(&state.db, county, year)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect())
}

/// `/aid/proposals/{id}`: a proposal's list, totals by policy, status history, and the
/// forms of the step the account may take.
pub async fn proposal(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let p = service::proposal_in_scope(&state.db, &account.scope, id).await?;
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
    let open = p.status == service::PROPOSED || p.status == service::SENT_BACK;
    let (can_decide, stage) = match p.status.as_str() {
        service::PROPOSED => (reviews(account), "乡镇审核"),
        service::CHECKED => (
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
                id_number: mask_id(&l.id_number),
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
            status: p.status,
            reason: p.sent_back_reason.unwrap_or_default(),
            lines: p.lines,
            amount: yuan(p.fen),
        },
    })?
    .into_response())
}

/// `POST /aid/proposals/{id}/lines`: the school proposes again, keeping only the ticked
/// lines (`keep` = the line's position in the proposal, repeated; no ID number in the page).
pub async fn adjust(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let p = service::proposal_in_scope(&state.db, &account.scope, id).await?;
    let term = term_of(Some(&p.term))?;
    let lines = service::queries::proposal_lines(&state.db, &p).await?;
    let keep: HashSet<String> = crate::session::form_pairs(&body)
        .into_iter()
        .filter(|(k, _)| k == "keep")
        .filter_map(|(_, v)| v.parse::<usize>().ok())
        .filter_map(|i| lines.get(i))
        .map(|l| service::line_key(&l.id_number, &l.policy))
        .collect();
    let id = service::propose_selected(
        &state.db,
        &account.scope,
        &p.school_code,
        term,
        Some(&keep),
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    /// `pass` or `send_back`.
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /aid/proposals/{id}/decide`: 乡镇审核 or 县资助中心审批, passed or sent back with
/// a reason.
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let decision = match form.decision.as_str() {
        "pass" => service::Decision::Pass,
        _ => service::Decision::SendBack(form.reason),
    };
    service::decide(
        &state.db,
        &account.scope,
        id,
        decision,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!("/aid/proposals/{id}")).into_response())
}

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
}

/// `/aid/batches?term=`: the disbursement batches in the scope.
pub async fn batches(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let name = school_names(&schools);
    let list = service::batches(&state.db, &account.scope, Some(term)).await?;
    let chrome = Chrome::new(
        &caller,
        "资助发放批次",
        "aid_batches",
        &[crumbs(), ("发放批次", "/aid/batches")],
    )?;
    Ok(render(&BatchesPage {
        chrome,
        term: term.code(),
        total: yuan(list.iter().map(|b| b.fen).sum()),
        rows: list
            .into_iter()
            .map(|b| BatchLine {
                id: b.id,
                school: name(&b.school_code),
                term: Term::parse(&b.term).map(|t| t.label()).unwrap_or(b.term),
                lines: b.lines,
                amount: yuan(b.fen),
                status: b.status,
            })
            .collect(),
    })?
    .into_response())
}

pub struct BatchItem {
    pub id_number: String,
    pub name: String,
    pub policy: String,
    pub amount: String,
    pub paid: String,
    pub state: &'static str,
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
    lines: Vec<BatchItem>,
    extra: Vec<BatchItem>,
    unmasked_export: bool,
}

/// `/aid/batches/{id}`: a batch's students and amounts, totals by policy, and each line
/// matched against the payments imported back (paid / unpaid / extra).
pub async fn batch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let m = service::batch_match(&state.db, &account.scope, id).await?;
    let schools = emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let year = Term::parse(&m.batch.term).map(|t| t.year).unwrap_or(2021);
    let names = policy_names(&state, account.county(), year).await?;
    let name_of = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
    let totals = m
        .totals()
        .into_iter()
        .map(|(code, (n, fen, paid_n, paid_fen))| {
            (name_of(&code), n, yuan(fen), paid_n, yuan(paid_fen))
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
    Ok(render(&BatchPage {
        chrome,
        proposal_id: b.proposal_id,
        totals,
        paid: m.count(service::LineState::Paid),
        wrong: m.count(service::LineState::WrongAmount),
        unpaid: m.count(service::LineState::Unpaid),
        lines: m
            .lines
            .iter()
            .map(|l| BatchItem {
                id_number: mask_id(&l.line.id_number),
                name: l.line.name.clone(),
                policy: name_of(&l.line.policy),
                amount: yuan(l.line.fen),
                paid: if l.state == service::LineState::Unpaid {
                    String::new()
                } else {
                    yuan(l.paid_fen)
                },
                state: l.state.label(),
            })
            .collect(),
        extra: m
            .extra
            .iter()
            .map(|p| BatchItem {
                id_number: mask_id(&p.id_number),
                name: String::new(),
                policy: name_of(&p.policy),
                amount: String::new(),
                paid: yuan(p.fen),
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
            status: b.status.clone(),
        },
    })?
    .into_response())
}

/// `/aid/batches/{id}/export`: the batch in the `aid` template's columns, ID numbers
/// masked; `?unmasked=1` gives full ones to the roles that pay (audited as a full view).
/// Every export is audited.
pub async fn export_batch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(mask): Query<super::ExportMask>,
) -> Result<Response, PageError> {
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

fn xlsx_response(bytes: Vec<u8>, ascii: &str, chinese: &str) -> Response {
    crate::download::xlsx(bytes, ascii, chinese)
}

fn internal(e: impl std::fmt::Display) -> PageError {
    PageError(WebError::Message(
        StatusCode::INTERNAL_SERVER_ERROR,
        e.to_string(),
    ))
}

/// `/aid/gaps.xlsx?term=`: the five gap lists within the scope.
pub async fn export_gaps(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("gaps.xlsx");
    service::write_gaps(
        &state.db,
        &account.scope,
        &[term],
        &path,
        &account.actor(&caller.source),
    )
    .await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(bytes, "aid-gaps.xlsx", "资助问题名单.xlsx"))
}

/// `/aid/breakdown.xlsx?term=`: person-times and amounts by policy, stage, township, school.
pub async fn export_breakdown(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AidQuery>,
) -> Result<Response, PageError> {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("breakdown.xlsx");
    service::write_breakdown(&state.db, &account.scope, &[term], &path).await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        "aid-breakdown.xlsx",
        "资助分类汇总.xlsx",
    ))
}
