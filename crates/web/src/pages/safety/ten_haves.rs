//! 十有: the measures of townships and schools, and their evidence files.

use super::{crumbs, file_response, read_multipart, value, YearQuery};
use crate::error::PageError;
use crate::error::PageResult;
use crate::form::{Round, SplitRefusal};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, Request};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::drowning;

pub struct TenHaveOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub items: Vec<(String, bool, String)>,
    pub done: usize,
}

#[derive(Template)]
#[template(path = "safety_ten_haves.html")]
struct TenHavesPage {
    chrome: Chrome,
    year: i32,
    orgs: Vec<TenHaveOrg>,
    items: Vec<&'static str>,
    /// The org units the account keeps 十有 for: its township(s), then their schools.
    choices: Vec<(String, String)>,
    /// Uploaded evidence files: (file id, org name, item, file name).
    files: Vec<(i64, String, String, String)>,
    can_record: bool,
    error_field: String,
    error: String,
}

async fn ten_haves_page(
    state: &AppState,
    caller: &Caller,
    year: Option<i32>,
    mut round: Round<()>,
) -> PageResult {
    let account = caller.account()?;
    let year = match year {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let rows = queries::ten_haves(&state.db, account, year).await?;
    let mut orgs: Vec<TenHaveOrg> = Vec::new();
    for r in rows {
        if orgs.last().map(|o| o.code != r.org_code).unwrap_or(true) {
            orgs.push(TenHaveOrg {
                code: r.org_code.clone(),
                name: r.org_name.clone(),
                kind: if r.org_kind == "township" {
                    "乡镇".into()
                } else {
                    "学校".into()
                },
                items: Vec::new(),
                done: 0,
            });
        }
        if let Some(o) = orgs.last_mut() {
            if r.done {
                o.done += 1;
            }
            o.items.push((r.item, r.done, r.evidence));
        }
    }
    let choices = ten_have_choices(state, account).await?;
    // The choices are every org unit of the scope, so they name each file's org.
    let org_name = |code: &str| {
        choices
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let files = queries::ten_have_files(&state.db, account, year)
        .await?
        .into_iter()
        .map(|f| (f.id, org_name(&f.org_code), f.item, f.file_name))
        .collect();
    let chrome = Chrome::new(
        caller,
        "防溺水“十有”",
        "ten_haves",
        &[crumbs(), ("十有", "/safety/ten-haves")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&TenHavesPage {
            chrome,
            year,
            orgs: orgs.into_iter().take(400).collect(),
            items: drowning::TEN_HAVES.to_vec(),
            choices,
            files,
            can_record: account.role.permits(Permission::RecordHazards),
            error_field,
            error,
        })?,
    )
        .into_response())
}

/// The townships and schools the account may keep 十有 for (a school: itself).
async fn ten_have_choices(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<Vec<(String, String)>, PageError> {
    let county = emis_domain::divisions::county(account.county());
    let mut out: Vec<(String, String)> = county
        .map(|c| {
            c.townships
                .iter()
                .filter(|t| match &account.scope {
                    emis_domain::access::Scope::County { .. } => true,
                    emis_domain::access::Scope::Township { township, .. } => township == t.code,
                    _ => false,
                })
                .map(|t| (t.code.to_string(), t.name.to_string()))
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        emis_app::registry::queries::schools_in_scope(&state.db, account)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name)),
    );
    Ok(out)
}

pub async fn ten_haves(Ctx { state, caller }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    ten_haves_page(&state, &caller, q.year, Round::default()).await
}

pub async fn set_ten_have(
    Ctx { state, caller }: Ctx,
    Form(mut form): Form<service::TenHaveForm>,
) -> PageResult {
    let account = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, account.county(), state.clock.today()).await?;
    }
    let outcome = service::set_ten_have(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?;
    let round = Round::after(outcome, (), "已保存。");
    ten_haves_page(&state, &caller, Some(form.year), round).await
}

/// Uploads a 十有 evidence file (multipart: year, org, item, file).
pub async fn ten_have_file_upload(Ctx { state, caller }: Ctx, request: Request) -> PageResult {
    let account = caller.account()?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let year = match value(&fields, "year").trim().parse() {
        Ok(y) => y,
        Err(_) => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let Some((name, bytes)) = file else {
        let missing = FieldError {
            field: "file",
            reason: "请选择要上传的照片或 PDF".into(),
        };
        return ten_haves_page(&state, &caller, Some(year), Round::refused((), missing)).await;
    };
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let (org, item) = (value(&fields, "org"), value(&fields, "item"));
    let outcome = service::add_ten_have_file(
        &state.db,
        account,
        year,
        &org,
        &item,
        &upload,
        &caller.source,
    )
    .await
    .split_refusal()?;
    let round = Round::after(outcome, (), "佐证材料已上传。");
    ten_haves_page(&state, &caller, Some(year), round).await
}

/// A 十有 evidence file, if its township or school is in the scope (audited).
pub async fn ten_have_file(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, account, id, &caller.source).await?;
    Ok(file_response(
        &meta.mime,
        &meta.file_name,
        &format!("ten-have-{id}"),
        bytes,
    ))
}
