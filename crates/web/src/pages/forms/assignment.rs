//! 完成情况: an assignment's completeness overall and by township (with a chart), and every
//! respondent of the account's scope, late and missing first.

use super::{crumbs, shown};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Path;
use axum::response::IntoResponse;
use emis_app::forms::assignments::{self as service, StatusPicture};

#[derive(Template)]
#[template(path = "forms_assignment.html")]
struct AssignmentPage {
    chrome: Chrome,
    s: StatusPicture,
    overall: String,
    townships: Vec<(String, String, usize)>,
    chart: String,
    results: service::Results,
    can_fill: bool,
    can_remind: bool,
    /// The report of a sheet just uploaded (problems by row, column and reason).
    import: Option<emis_app::imports::ImportReport>,
}

#[derive(serde::Deserialize, Default)]
pub struct RemindedQuery {
    reminded: Option<u64>,
}

pub async fn assignment(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<RemindedQuery>,
) -> PageResult {
    let flash = q.reminded.map(|n| format!("已向{n}个未提交的单位催报。"));
    assignment_page(&state, &caller, id, None, flash).await
}

/// 催报: reminds every respondent that has not submitted.
pub async fn remind(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let n = service::remind(&state.db, account, id, state.clock.today(), &caller.source).await?;
    Ok(
        axum::response::Redirect::to(&format!("/forms/assignments/{id}?reminded={n}"))
            .into_response(),
    )
}

async fn assignment_page(
    state: &crate::AppState,
    caller: &crate::session::Caller,
    id: i64,
    import: Option<emis_app::imports::ImportReport>,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let s = service::status(&state.db, account, id, state.clock.today()).await?;
    let title = format!("{}（{}）", s.assignment.title, s.assignment.period);
    let href = format!("/forms/assignments/{id}");
    let flash = import
        .as_ref()
        .filter(|r| r.committed)
        .map(|r| format!("已导入：提交{}个，未变{}个。", r.updated, r.unchanged))
        .or(flash);
    let chrome =
        Chrome::new(caller, &title, "forms", &[crumbs(), (&title, &href)])?.with_flash(flash);
    let bars: Vec<(String, u32, u32)> = s
        .by_township
        .iter()
        .map(|(name, c)| (name.clone(), c.assigned as u32, c.submitted as u32))
        .collect();
    let chart = crate::pages::charts::bar_chart(
        &format!("{}填报情况", crate::page::scope_title(account)),
        ["应填", "已提交"],
        &bars,
    );
    let results = service::results(&state.db, account, id, state.clock.today()).await?;
    let code = if import.as_ref().is_some_and(|r| r.refused()) {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let can_fill = account
        .role
        .permits(emis_domain::access::Permission::FillForms);
    let can_remind = account
        .role
        .permits(emis_domain::access::Permission::KeepForms)
        && s.overall.submitted < s.overall.assigned;
    Ok((
        code,
        render(&AssignmentPage {
            chrome,
            can_fill,
            can_remind,
            import,
            overall: shown(&s.overall),
            townships: s
                .by_township
                .iter()
                .map(|(name, c)| (name.clone(), shown(c), c.overdue))
                .collect(),
            chart,
            results,
            s,
        })?,
    )
        .into_response())
}

/// The results as xlsx: one row per respondent of the account's scope, every field.
pub async fn export_results(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let dir = tempfile::tempdir().map_err(crate::pages::internal)?;
    let path = dir.path().join("results.xlsx");
    let today = state.clock.today();
    service::write_results(&state.db, account, id, today, &path, &caller.source).await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(crate::pages::internal)?;
    Ok(crate::download::xlsx(
        bytes,
        "form-results.xlsx",
        "填报结果.xlsx",
    ))
}

/// The sheet to fill offline: one row per respondent of the account's scope, what is known
/// already set.
pub async fn template(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let a = service::visible_assignment(&state.db, account, id).await?;
    let dir = tempfile::tempdir().map_err(crate::pages::internal)?;
    let path = dir.path().join("form.xlsx");
    emis_app::forms::sheets::write_template(&state.db, account, &a.code, &a.period, None, &path)
        .await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(crate::pages::internal)?;
    Ok(crate::download::xlsx(
        bytes,
        "form.xlsx",
        &format!("{}（待填）.xlsx", a.title),
    ))
}

/// A filled sheet uploaded: every bad cell listed by row, column and reason on the page;
/// nothing written unless all rows pass or 跳过有问题的行 is ticked.
pub async fn import_sheet(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> PageResult {
    let account = caller.account()?;
    let a = service::visible_assignment(&state.db, account, id).await?;
    let (fields, file) = crate::upload::read_multipart(&state, request)
        .await
        .map_err(crate::error::PageError)?;
    let Some((name, bytes)) = file else {
        return Err(
            emis_app::AppError::Refused("请选择填好的表格文件（.xlsx 或 .csv）".into()).into(),
        );
    };
    let ext = std::path::Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("xlsx")
        .to_ascii_lowercase();
    emis_io::SheetKind::from_extension(&ext).map_err(emis_app::AppError::from)?;
    let dir = tempfile::tempdir().map_err(crate::pages::internal)?;
    let path = dir.path().join(format!("filled.{ext}"));
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(crate::pages::internal)?;
    let skip = crate::upload::value(&fields, "skip_invalid") == "on";
    let report = emis_app::forms::sheets::import(
        &state.db,
        account,
        &a.code,
        &a.period,
        &path,
        skip,
        &caller.source,
        state.clock.today(),
    )
    .await?;
    assignment_page(&state, &caller, id, Some(report), None).await
}
