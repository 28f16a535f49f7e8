//! 附件 (attachments): the files users attach as evidence — photos and scanned PDFs of a
//! hazard, a 十有 item, a 控辍保学 case. One rule for all of them: what a file is comes from
//! its first bytes, never from its name or declared type; at most 10 MB; a name shown back
//! to users keeps no path, quotes or control characters.

use serde::Serialize;

/// What the magic bytes say a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FileKind {
    Jpeg,
    Png,
    Pdf,
    /// Word (.docx): a zip whose parts are under `word/`.
    Docx,
    /// Excel (.xlsx): a zip whose parts are under `xl/`.
    Xlsx,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") {
            // An Office file is a zip; its part names say which (stored uncompressed in
            // the local headers).
            let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
            if has(b"word/") {
                Some(FileKind::Docx)
            } else if has(b"xl/") {
                Some(FileKind::Xlsx)
            } else {
                None
            }
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
        }
    }
}

/// 10 MB: a phone photo or a few scanned pages.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Checks an upload: not empty, at most 10 MB, and a jpg, png or pdf by its first bytes.
pub fn check_file(bytes: &[u8]) -> Result<FileKind, String> {
    check_size(bytes)?;
    match FileKind::sniff(bytes) {
        Some(kind @ (FileKind::Jpeg | FileKind::Png | FileKind::Pdf)) => Ok(kind),
        _ => Err("只接受 JPG、PNG 图片或 PDF 文件".into()),
    }
}

fn check_size(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("文件为空，请选择文件".into());
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件大小 {:.1} MB，超过 10 MB 上限",
            bytes.len() as f64 / 1024.0 / 1024.0
        ));
    }
    Ok(())
}

/// Checks a document's file (公文附件): not empty, at most 10 MB, and a pdf, docx or xlsx by
/// its bytes.
pub fn check_document(bytes: &[u8]) -> Result<FileKind, String> {
    check_size(bytes)?;
    match FileKind::sniff(bytes) {
        Some(kind @ (FileKind::Pdf | FileKind::Docx | FileKind::Xlsx)) => Ok(kind),
        _ => Err("公文附件只接受 PDF、Word（.docx）或 Excel（.xlsx）文件".into()),
    }
}

/// The name a user gave a file, as it may be shown and offered back: the last path part,
/// no control characters or quotes, at most 100 characters; `附件` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    if cleaned.is_empty() {
        "附件".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(check_file(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(FileKind::Jpeg));
        assert_eq!(check_file(b"\x89PNG\r\n\x1a\n...."), Ok(FileKind::Png));
        assert_eq!(check_file(b"%PDF-1.7"), Ok(FileKind::Pdf));
        assert!(check_file(b"MZ\x90\x00")
            .expect_err("refused")
            .contains("只接受"));
        assert!(check_file(b"").expect_err("refused").contains("为空"));
        let too_big = vec![0xFF; MAX_FILE_BYTES + 1];
        assert!(check_file(&too_big).expect_err("refused").contains("10 MB"));
    }

    #[test]
    fn documents_are_pdf_docx_or_xlsx() {
        assert_eq!(check_document(b"%PDF-1.7"), Ok(FileKind::Pdf));
        assert_eq!(
            check_document(b"PK\x03\x04....word/document.xml"),
            Ok(FileKind::Docx)
        );
        assert_eq!(
            check_document(b"PK\x03\x04....xl/workbook.xml"),
            Ok(FileKind::Xlsx)
        );
        assert!(check_document(b"PK\x03\x04....other").is_err());
        assert!(check_document(&[0xFF, 0xD8, 0xFF, 0xE0]).is_err());
        // Evidence stays photos and PDFs.
        assert!(check_file(b"PK\x03\x04....word/document.xml").is_err());
    }

    #[test]
    fn names_keep_no_path() {
        assert_eq!(clean_file_name("C:\\照片\\食堂.jpg"), "食堂.jpg");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\u{0}.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("  /  "), "附件");
    }

    proptest! {
        #[test]
        fn a_clean_name_is_safe_to_show(name in ".{0,300}") {
            let clean = clean_file_name(&name);
            prop_assert!(!clean.is_empty());
            prop_assert!(clean.chars().count() <= 100);
            prop_assert!(!clean.contains(['/', '\\', '"']));
            prop_assert!(!clean.chars().any(char::is_control));
        }
    }
}
