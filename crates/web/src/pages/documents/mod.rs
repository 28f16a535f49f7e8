//! 公文登记 pages: the register with its filters and the officers' form (a multipart post,
//! the file optional), one document with the records that cite its 文号, and its file.

use crate::error::{PageError, PageResult};
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use crate::upload::{read_multipart, value};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, Request};
use axum::response::IntoResponse;
use emis_app::documents::{
    self as service, DocumentDetail, DocumentFilter, DocumentForm, DocumentRegister, DocumentUpload,
};
use emis_domain::access::Permission;
use emis_domain::documents::DocCategory;

fn crumbs() -> (&'static str, &'static str) {
    ("公文登记", "/documents")
}

/// The register's filters as the page sends them (an empty year is every year).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DocumentQuery {
    year: String,
    category: String,
    office: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct RegisterPage {
    chrome: Chrome,
    r: DocumentRegister,
    year: String,
    category: String,
    office: String,
    categories: Vec<&'static str>,
    can_keep: bool,
    form: DocumentForm,
    error_field: String,
    error: String,
}

async fn register_page(
    state: &AppState,
    caller: &Caller,
    query: DocumentQuery,
    mut round: Round<DocumentForm>,
) -> PageResult {
    let account = caller.account()?;
    let filter = DocumentFilter {
        year: query.year.trim().parse().ok(),
        category: Some(query.category.clone()),
        office: Some(query.office.clone()),
    };
    let r = service::register(&state.db, account, &filter).await?;
    let chrome =
        Chrome::new(caller, "公文登记", "documents", &[crumbs()])?.with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&RegisterPage {
            chrome,
            r,
            year: query.year,
            category: query.category,
            office: query.office,
            categories: DocCategory::ALL.iter().map(|c| c.label()).collect(),
            can_keep: account.role.permits(Permission::KeepDocuments),
            form: round.form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn register(
    Ctx { state, caller }: Ctx,
    Query(query): Query<DocumentQuery>,
) -> PageResult {
    register_page(&state, &caller, query, Round::default()).await
}

/// The officers' form: its fields and an optional file, one multipart body.
pub async fn record(Ctx { state, caller }: Ctx, request: Request) -> PageResult {
    let account = caller.account()?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let form = DocumentForm {
        number: value(&fields, "number"),
        title: value(&fields, "title"),
        issued_on: value(&fields, "issued_on"),
        office: value(&fields, "office"),
        category: value(&fields, "category"),
    };
    let upload = file.as_ref().map(|(name, bytes)| DocumentUpload {
        file_name: name,
        bytes,
    });
    let outcome = service::record(
        &state.db,
        account,
        &form,
        upload,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |id| format!("/documents/{id}"),
        |e| {
            register_page(
                &state,
                &caller,
                DocumentQuery::default(),
                Round::refused(form, e),
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    d: DocumentDetail,
}

pub async fn document(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let d = service::detail(&state.db, account, id).await?;
    let title = d.document.number.clone();
    let chrome = Chrome::new(
        &caller,
        &title,
        "documents",
        &[crumbs(), (&title, &format!("/documents/{id}"))],
    )?;
    Ok(render(&DocumentPage { chrome, d })?.into_response())
}

/// The document's file as a download under its own name (the view audited).
pub async fn file(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let (document, bytes) = service::file(&state.db, account, id, &caller.source).await?;
    let name = document.file_name.unwrap_or_else(|| "附件".into());
    Ok(crate::download::file(
        bytes,
        document
            .file_mime
            .as_deref()
            .unwrap_or("application/octet-stream"),
        crate::download::Disposition::Attachment,
        &name,
        &name,
    ))
}
