//! 一人一案 pages: the case list, a case with its log, and the case workflow form.

use super::{township_name, townships, DoneQuery};
use crate::error::PageResult;
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::pages::nonempty;
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::dropout::queries;
use emis_app::dropout::{self as service, CaseForm};
use emis_app::registry::FieldError;
use emis_domain::dropout::cases::Outcome;
use serde::Deserialize;

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

fn line(item: queries::Masked<queries::CaseItem>) -> CaseLine {
    let item = item.into_inner();
    let c = item.case;
    CaseLine {
        id: c.id,
        id_masked: c.person_id_number,
        township: township_name(&c.township_code),
        name: c.name,
        status: c.status.to_string(),
        deadline: c.deadline.unwrap_or_default(),
        overdue: item.overdue,
        outcome: c.outcome.unwrap_or_default(),
        school_code: c.school_code.unwrap_or_default(),
    }
}

pub async fn cases(Ctx { state, caller }: Ctx, Query(q): Query<CaseListQuery>) -> PageResult {
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
        state.clock.today(),
    )
    .await?;
    let chrome = Chrome::new(
        &caller,
        "一人一案",
        "dropout-cases",
        &[("控辍保学", "/dropout"), ("一人一案", "/dropout/cases")],
    )?;
    Ok(render(&CasesPage {
        chrome,
        rows: rows.into_iter().map(line).collect(),
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
    v: queries::Masked<queries::CaseDetail>,
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
    /// The 包保学校 picker: (name, code and township) of the county's schools, and the
    /// name of the case's school.
    schools: Vec<(String, String)>,
    school_shown: String,
}

pub(super) async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    error: Option<FieldError>,
    form: CaseForm,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let v = queries::case(&state.db, account, id, state.clock.today()).await?;
    let title = format!("{}（一人一案）", v.case.name);
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
    let county_schools =
        emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let school_shown = match (&form.school_code, &v.case.school_code) {
        (Some(typed), _) if form.action == "assign" => typed.clone(),
        (_, Some(code)) => county_schools
            .iter()
            .find(|s| s.code == *code)
            .map_or_else(|| code.clone(), |s| s.name.clone()),
        _ => String::new(),
    };
    let schools = county_schools
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                format!("{} {}", s.code, township_name(&s.township_code)),
            )
        })
        .collect();
    Ok(render(&CasePage {
        chrome,
        schools,
        school_shown,
        township: township_name(&v.case.township_code),
        // A case opens on its snapshot's date; the search is by name (no ID number in a URL).
        ledger_href: format!(
            "/dropout/ledger?ledger=school-age&snapshot={}&township={}&q={}",
            crate::session::urlencode(&v.case.opened_on),
            crate::session::urlencode(&v.case.township_code),
            crate::session::urlencode(&v.case.name),
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(mut form): Form<CaseForm>,
) -> PageResult {
    let account = caller.account()?;
    // 包保学校 is picked by name: the name stands for its code (a code typed is kept, and
    // anything else is refused by the service beside the field).
    let typed = form.school_code.clone();
    if form.action == "assign" {
        if let Some(name) = form.school_code.as_deref().map(str::trim) {
            let schools =
                emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
            if let Some(s) = schools.iter().find(|s| s.name == name) {
                form.school_code = Some(s.code.clone());
            }
        }
    }
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
    form.school_code = typed;
    round_trip(
        outcome,
        |_| done,
        |e| case_page(&state, &caller, id, Some(e), form, None),
    )
    .await
}
