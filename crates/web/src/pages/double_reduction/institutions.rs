//! 校外培训机构台账: every institution by township with its status, one institution's
//! history, and the 双减 office's status form.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::double_reduction::institutions::{self as service, ChangeForm, InstitutionDetail};
use emis_app::double_reduction::InstitutionRow;
use emis_domain::access::Permission;
use emis_domain::double_reduction::InstitutionStatus;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    township: Option<String>,
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "double_reduction_institutions.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<InstitutionRow>,
    townships: Vec<(String, String)>,
    statuses: Vec<&'static str>,
    township: String,
    status: String,
    /// (status, count) over the rows shown.
    counts: Vec<(&'static str, usize)>,
}

pub async fn institutions(
    Ctx { state, caller }: Ctx,
    Query(q): Query<RegisterQuery>,
) -> PageResult {
    let account = caller.account()?;
    let township = q.township.clone().filter(|t| !t.is_empty());
    let status = q.status.as_deref().and_then(InstitutionStatus::parse);
    let rows = service::register(&state.db, account, township.as_deref(), status).await?;
    let counts = InstitutionStatus::ALL
        .iter()
        .map(|s| (s.label(), rows.iter().filter(|r| r.status == *s).count()))
        .collect();
    let chrome = Chrome::new(
        &caller,
        "校外培训机构",
        "institutions",
        &[crumbs(), ("校外培训机构", "/double-reduction/institutions")],
    )?;
    Ok(render(&RegisterPage {
        chrome,
        townships: emis_app::registry::queries::townships(&state.db, account).await?,
        statuses: InstitutionStatus::ALL.iter().map(|s| s.label()).collect(),
        township: township.unwrap_or_default(),
        status: status.map(|s| s.label().to_string()).unwrap_or_default(),
        counts,
        rows,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "double_reduction_institution.html")]
struct InstitutionPage {
    chrome: Chrome,
    d: InstitutionDetail,
    can_keep: bool,
    statuses: Vec<&'static str>,
    form: ChangeForm,
    case: service::CaseForm,
    close: service::CloseForm,
    sources: Vec<&'static str>,
    open_cases: usize,
    error_field: String,
    error: String,
}

/// The institution page's forms: the status change, a new case, closing a case.
#[derive(Default)]
pub struct InstitutionForms {
    change: ChangeForm,
    case: service::CaseForm,
    close: service::CloseForm,
}

async fn institution_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    mut round: Round<InstitutionForms>,
) -> PageResult {
    let account = caller.account()?;
    let d = service::detail(&state.db, account, id).await?;
    let open_cases = d.cases.iter().filter(|c| c.closed_on.is_none()).count();
    let chrome = Chrome::new(
        caller,
        &d.institution.name,
        "institutions",
        &[
            crumbs(),
            ("校外培训机构", "/double-reduction/institutions"),
            (
                &d.institution.name,
                &format!("/double-reduction/institutions/{id}"),
            ),
        ],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&InstitutionPage {
            chrome,
            d,
            can_keep: account.role.permits(Permission::KeepInstitutions),
            statuses: InstitutionStatus::ALL.iter().map(|s| s.label()).collect(),
            sources: emis_domain::double_reduction::CaseSource::ALL
                .iter()
                .map(|s| s.label())
                .collect(),
            open_cases,
            form: round.form.change,
            case: round.form.case,
            close: round.form.close,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn institution(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    institution_page(&state, &caller, id, Round::default()).await
}

/// After a post on the institution's page: back to it, or the page again with the refused
/// field in the form that was posted.
async fn after_post<T>(
    state: &AppState,
    caller: &Caller,
    id: i64,
    outcome: emis_app::Result<T>,
    posted: InstitutionForms,
) -> PageResult {
    round_trip(
        outcome,
        |_| format!("/double-reduction/institutions/{id}"),
        |e| institution_page(state, caller, id, Round::refused(posted, e)),
    )
    .await
}

pub async fn record_change(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome =
        service::record_change(&state.db, account, id, &form, today, &caller.source).await;
    let posted = InstitutionForms {
        change: form,
        ..InstitutionForms::default()
    };
    after_post(&state, &caller, id, outcome, posted).await
}

pub async fn open_institution_case(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::CaseForm>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome = service::open_case(&state.db, account, id, &form, today, &caller.source).await;
    let posted = InstitutionForms {
        case: form,
        ..InstitutionForms::default()
    };
    after_post(&state, &caller, id, outcome, posted).await
}

pub async fn close_institution_case(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::CloseForm>,
) -> PageResult {
    let account = caller.account()?;
    let today = state.clock.today();
    let outcome = service::close_case(&state.db, account, id, &form, today, &caller.source).await;
    let posted = InstitutionForms {
        close: form,
        ..InstitutionForms::default()
    };
    after_post(&state, &caller, id, outcome, posted).await
}
