//! Uploads: a multipart body read once into its text fields and its one file, for the
//! pages and the API alike; and the check that an uploaded sheet is what its name says.

use crate::error::WebError;
use crate::AppState;
use axum::extract::{FromRequest, Multipart, Request};

/// A multipart body: its text fields and at most one file (name, bytes).
pub(crate) type MultipartBody = (Vec<(String, String)>, Option<(String, Vec<u8>)>);

/// Reads a multipart request (see [`read_fields`]).
pub(crate) async fn read_multipart(
    state: &AppState,
    request: Request,
) -> Result<MultipartBody, WebError> {
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| crate::error::upload_refusal(e.status()))?;
    read_fields(multipart).await
}

/// Reads text fields and at most one non-empty file; a body past the upload limit is the
/// upload refusal (413), not an error page.
pub(crate) async fn read_fields(mut multipart: Multipart) -> Result<MultipartBody, WebError> {
    let refused =
        |e: axum::extract::multipart::MultipartError| crate::error::upload_refusal(e.status());
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(refused)?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.push((name, field.text().await.unwrap_or_default()));
        }
    }
    Ok((fields, file))
}

/// A text field's value, empty when absent.
pub(crate) fn value(fields: &[(String, String)], key: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// An uploaded sheet: its file name, extension (`xlsx` or `csv`) and bytes.
pub(crate) struct SheetUpload {
    pub name: String,
    pub ext: String,
    pub bytes: Vec<u8>,
}

/// The uploaded sheet when its bytes agree with its name: an xlsx is a zip, a csv has no
/// NUL byte. Anything else is refused with the reason shown.
pub(crate) fn sheet_upload(file: Option<(String, Vec<u8>)>) -> Result<SheetUpload, &'static str> {
    let (name, bytes) = file
        .filter(|(n, b)| !n.is_empty() && !b.is_empty())
        .ok_or("请选择要上传的文件")?;
    let ext = name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let looks_right = match ext.as_str() {
        "xlsx" => bytes.starts_with(b"PK"),
        "csv" => !bytes.contains(&0),
        _ => false,
    };
    if looks_right {
        Ok(SheetUpload { name, ext, bytes })
    } else {
        Err("只支持 .xlsx 或 .csv 文件")
    }
}

/// Keeps an uploaded sheet for its confirmation, under a token
/// `<kind>.<detail>.<random hex>.<ext>` that names what it is (e.g. `students.2021-autumn`,
/// `population.2021-09-15`) and nothing of the user's file name; the refusal is said in
/// Chinese.
pub(crate) async fn stage(
    db: &emis_app::Db,
    kind: &str,
    detail: &str,
    ext: &str,
    bytes: Vec<u8>,
) -> Result<String, &'static str> {
    let token = format!(
        "{kind}.{detail}.{}.{ext}",
        &emis_app::auth::random_token()[..24],
    );
    emis_app::uploads::Staging::of(db)
        .store(&token, bytes)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "upload not stored");
            "上传的文件无法保存，请稍后重试或联系管理员"
        })?;
    Ok(token)
}

/// The kind and detail of a token [`stage`] made, and the staged file's path; `None` for
/// any other text (a token is never trusted as a path).
pub(crate) fn staged<'t>(
    db: &emis_app::Db,
    token: &'t str,
) -> Option<(&'t str, &'t str, std::path::PathBuf)> {
    let mut parts = token.split('.');
    let kind = parts.next()?;
    let detail = parts.next()?;
    let id = parts.next()?;
    let ext = parts.next()?;
    let shaped = id.chars().all(|c| c.is_ascii_hexdigit())
        && matches!(ext, "xlsx" | "csv")
        && parts.next().is_none();
    shaped.then(|| (kind, detail, emis_app::uploads::Staging::of(db).path(token)))
}
