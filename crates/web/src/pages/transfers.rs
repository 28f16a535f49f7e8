//! 转学待接收: the receiving school (its township, or the county) sees the transfers into
//! its scope and accepts each into the class named or declines it with a reason; the
//! sending school sees its transfers out. (The JSON API is in `api::registry`.)

use crate::error::PageResult;
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry::queries::{self, Masked, TransferRow, PENDING};
use emis_app::registry::{self as service, FieldError};
use serde::Deserialize;

pub struct ShownTransfer {
    pub id: i64,
    pub student: String,
    pub masked: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub status: String,
    pub requested: String,
    pub decided: String,
    /// Pending and this account receives it: the accept and decline forms are shown.
    pub actionable: bool,
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    chrome: Chrome,
    rows: Vec<ShownTransfer>,
    all: bool,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct TransfersQuery {
    done: Option<String>,
    all: Option<String>,
}

fn shown(account: &emis_app::auth::Account, t: Masked<TransferRow>) -> ShownTransfer {
    let actionable = t.status == PENDING && service::receives(account, &t);
    let t = t.into_inner();
    ShownTransfer {
        id: t.id,
        actionable,
        student: t.student_name,
        masked: t.id_number,
        from: format!("{}{}{}班", t.from_school_name, t.grade, t.from_class),
        to: format!("{}{}{}班", t.to_school_name, t.grade, t.class_number),
        reason: t.reason,
        status: match t.status.as_str() {
            PENDING => "转出待接收".into(),
            _ => t.status,
        },
        requested: format!("{} {}", t.requested_by, t.requested_at),
        decided: match (t.decided_by, t.decided_at) {
            (Some(by), Some(at)) => format!(
                "{by} {at}{}",
                t.decline_reason
                    .map(|r| format!("（退回原因：{r}）"))
                    .unwrap_or_default()
            ),
            _ => String::new(),
        },
    }
}

async fn page(
    state: &AppState,
    caller: &Caller,
    all: bool,
    flash: Option<String>,
    error: Option<FieldError>,
) -> PageResult {
    let account = caller.account()?;
    let rows = queries::transfers(&state.db, account, all)
        .await?
        .into_iter()
        .map(|t| shown(account, t))
        .collect();
    let chrome = Chrome::new(
        caller,
        "转学待接收",
        "students",
        &[
            ("学籍管理", "/schools"),
            ("转学待接收", "/students/transfers"),
        ],
    )?
    .with_flash(flash);
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((
        status,
        render(&TransfersPage {
            chrome,
            rows,
            all,
            error: error.map(|e| e.reason).unwrap_or_default(),
        })?,
    )
        .into_response())
}

/// `/students/transfers`: pending transfers into and out of the scope (`?all=1`: every one).
pub async fn list(Ctx { state, caller }: Ctx, Query(q): Query<TransfersQuery>) -> PageResult {
    let flash = match q.done.as_deref() {
        Some("accept") => Some("已接收转学，学生已转入本校班级；已记入审计日志。".to_string()),
        Some("decline") => Some("已退回转学，学生仍在原学校；已记入审计日志。".to_string()),
        _ => None,
    };
    page(&state, &caller, q.all.is_some(), flash, None).await
}

pub async fn accept(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    round_trip(
        service::accept_transfer(&state.db, account, id, &caller.source).await,
        |()| "/students/transfers?done=accept".into(),
        |e| page(&state, &caller, false, None, Some(e)),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclineForm {
    reason: String,
}

pub async fn decline(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DeclineForm>,
) -> PageResult {
    let account = caller.account()?;
    round_trip(
        service::decline_transfer(&state.db, account, id, &form.reason, &caller.source).await,
        |()| "/students/transfers?done=decline".into(),
        |e| page(&state, &caller, false, None, Some(e)),
    )
    .await
}
