//! The one way a file goes back to the browser: its type, a Content-Disposition with an
//! ASCII fallback name and the real (Chinese) name per RFC 5987, and no sniffing.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Opened in place (photos) or saved (sheets, PDFs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// RFC 5987 `attr-char`: everything else in `filename*` is percent-encoded.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The header value: `ascii` for old clients, `name` for the rest.
pub fn content_disposition(disposition: Disposition, ascii: &str, name: &str) -> String {
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    let ascii: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(name, ATTR_CHAR)
    )
}

/// A file as a response.
pub fn file(
    bytes: Vec<u8>,
    mime: &str,
    disposition: Disposition,
    ascii: &str,
    name: &str,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(disposition, ascii, name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A workbook to save.
pub fn xlsx(bytes: Vec<u8>, ascii: &str, name: &str) -> Response {
    file(bytes, XLSX, Disposition::Attachment, ascii, name)
}

/// A list's 导出: `rows` under `headers` as one sheet of a workbook to save.
pub fn sheet<I>(
    sheet: &str,
    headers: &[&str],
    rows: I,
    ascii: &str,
    name: &str,
) -> Result<Response, crate::error::PageError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let dir = tempfile::tempdir().map_err(crate::pages::internal)?;
    let path = dir.path().join("list.xlsx");
    emis_io::write_sheet(&path, sheet, headers, rows).map_err(emis_app::AppError::from)?;
    let bytes = std::fs::read(&path).map_err(crate::pages::internal)?;
    Ok(xlsx(bytes, ascii, name))
}

/// An attached photo or PDF: images open in place, PDFs are saved (a PDF viewer in the
/// page could run its scripts).
pub fn attachment(bytes: Vec<u8>, mime: &str, ascii: &str, name: &str) -> Response {
    let disposition = if mime.starts_with("image/") {
        Disposition::Inline
    } else {
        Disposition::Attachment
    };
    file(bytes, mime, disposition, ascii, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_per_rfc_5987() {
        assert_eq!(
            content_disposition(Disposition::Attachment, "students-2021.xlsx", "学生名册 2021.xlsx"),
            "attachment; filename=\"students-2021.xlsx\"; filename*=UTF-8''%E5%AD%A6%E7%94%9F%E5%90%8D%E5%86%8C%202021.xlsx"
        );
        assert_eq!(
            content_disposition(Disposition::Inline, "a\"b;c.jpg", "x"),
            "inline; filename=\"a_b_c.jpg\"; filename*=UTF-8''x"
        );
    }
}
