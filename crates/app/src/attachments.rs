//! 附件存储: one content-addressed store for every attached file (hazard evidence, 十有
//! files, 控辍保学 case evidence). A file is kept once under the hash of its bytes, written
//! to a temporary name in the same folder, synced, then renamed, so a crash leaves either
//! no file or the whole file. The database keeps the key: a path relative to the data
//! directory, so moving the data directory moves the files with it.

use crate::{AppError, Db, Result};
use emis_domain::files::{check_document, check_file, clean_file_name, FileKind};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The data directory: `EMIS_DATA_DIR` when set, else `emis-files` next to a SQLite
/// database file, else `./emis-files`. The one place this setting is read.
pub fn data_dir(db: &Db) -> PathBuf {
    if let Ok(dir) = std::env::var("EMIS_DATA_DIR") {
        if !dir.trim().is_empty() {
            return PathBuf::from(dir);
        }
    }
    let url = db.url();
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or(rest);
        if !path.is_empty() && !path.contains(":memory:") {
            if let Some(parent) = Path::new(path).parent() {
                return parent.join("emis-files");
            }
        }
    }
    PathBuf::from("emis-files")
}

/// A checked file now on disk, waiting for the row that names it.
#[derive(Clone, Debug)]
pub struct StoredFile {
    /// Relative to the data directory, e.g. `files/3f/3fa2….pdf`.
    pub key: String,
    pub kind: FileKind,
    pub sha256: String,
    pub size: usize,
    /// The user's name for it, cleaned for showing back.
    pub file_name: String,
}

impl StoredFile {
    pub fn mime(&self) -> &'static str {
        self.kind.mime()
    }
}

/// Why a file was not kept: refused (the reason is for the user's form) or not writable.
#[derive(Debug)]
pub enum PutError {
    Refused(String),
    Io(std::io::Error),
}

pub struct Attachments {
    root: PathBuf,
}

impl Attachments {
    pub fn of(db: &Db) -> Attachments {
        Attachments::at(data_dir(db))
    }

    pub fn at(root: impl Into<PathBuf>) -> Attachments {
        Attachments { root: root.into() }
    }

    /// Checks a file (jpg, png or pdf by its bytes, at most 10 MB) and keeps it. Nothing
    /// is written when it is refused; the same bytes twice are kept once.
    pub fn put(&self, file_name: &str, bytes: &[u8]) -> std::result::Result<StoredFile, PutError> {
        self.put_checked(file_name, bytes, check_file)
    }

    /// Checks a document's file (pdf, docx or xlsx by its bytes, at most 10 MB) and keeps
    /// it, as `put` does.
    pub fn put_document(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> std::result::Result<StoredFile, PutError> {
        self.put_checked(file_name, bytes, check_document)
    }

    fn put_checked(
        &self,
        file_name: &str,
        bytes: &[u8],
        check: fn(&[u8]) -> std::result::Result<FileKind, String>,
    ) -> std::result::Result<StoredFile, PutError> {
        let kind = check(bytes).map_err(PutError::Refused)?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        let key = format!("files/{}/{sha256}.{}", &sha256[..2], kind.extension());
        let path = self.root.join(&key);
        if !path.exists() {
            write_atomically(&path, bytes).map_err(PutError::Io)?;
        }
        Ok(StoredFile {
            key,
            kind,
            sha256,
            size: bytes.len(),
            file_name: clean_file_name(file_name),
        })
    }

    /// Where a key's file is. Keys are relative and stay inside the data directory; an
    /// absolute path written by an older version is taken as it is.
    pub fn path(&self, key: &str) -> Option<PathBuf> {
        let key_path = Path::new(key);
        if key_path.is_absolute() {
            return Some(key_path.to_path_buf());
        }
        if key_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            Some(self.root.join(key_path))
        } else {
            None
        }
    }

    /// The bytes of a kept file; a missing file or a bad key is not found.
    pub async fn read(&self, key: &str) -> Result<Vec<u8>> {
        let path = self.path(key).ok_or(AppError::NotFound)?;
        tokio::fs::read(path).await.map_err(|_| AppError::NotFound)
    }
}

/// Which attached file is opened, for the audit log.
pub struct FileView<'a> {
    /// The audit action, e.g. `hazard_evidence_view`.
    pub action: &'a str,
    /// The record the file is attached to: its table and key.
    pub entity: &'a str,
    pub key: &'a str,
    pub file_id: i64,
    pub file_name: &'a str,
}

impl<'a> FileView<'a> {
    /// The audit action and the record (table and key) the file is attached to.
    pub fn of(action: &'a str, entity: &'a str, key: &'a str) -> Self {
        FileView {
            action,
            entity,
            key,
            file_id: 0,
            file_name: "",
        }
    }

    /// The file itself: its row id and name.
    pub fn file(self, file_id: i64, file_name: &'a str) -> Self {
        FileView {
            file_id,
            file_name,
            ..self
        }
    }
}

/// Reads an attached file for an account that may see it and records the view in the audit
/// log: every kind of attachment is opened through here, so no download goes unaudited.
pub async fn open_audited(
    db: &Db,
    account: &crate::auth::Account,
    source: &str,
    stored_key: &str,
    view: FileView<'_>,
) -> Result<Vec<u8>> {
    let bytes = Attachments::of(db).read(stored_key).await?;
    let mut tx = db.begin().await?;
    emis_storage::audit::Entry::new(account.county(), view.action, view.entity, view.key)
        .after_json(&serde_json::json!({"file_id": view.file_id, "file": view.file_name}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(bytes)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut part = tempfile::NamedTempFile::new_in(dir)?;
    part.write_all(bytes)?;
    part.as_file().sync_all()?;
    part.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_kept_once_under_their_hash_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Attachments::at(dir.path());
        let pdf = b"%PDF-1.4\n%evidence\n";
        let first = store.put("C:\\扫描\\复学登记表.pdf", pdf).expect("kept");
        let again = store.put("copy.pdf", pdf).expect("kept");
        assert_eq!(first.key, again.key);
        assert!(first.key.starts_with("files/") && first.key.ends_with(".pdf"));
        assert_eq!(first.file_name, "复学登记表.pdf");
        assert_eq!(first.mime(), "application/pdf");
        let path = store.path(&first.key).expect("path");
        assert!(path.starts_with(dir.path()));
        assert_eq!(std::fs::read(&path).expect("read"), pdf);
        // No temporary file is left beside it.
        let folder = path.parent().expect("folder");
        assert_eq!(std::fs::read_dir(folder).expect("list").count(), 1);
    }

    #[test]
    fn refused_files_write_nothing_and_keys_stay_inside() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Attachments::at(dir.path());
        assert!(matches!(
            store.put("a.exe", b"MZ\x90\x00"),
            Err(PutError::Refused(reason)) if reason.contains("只接受")
        ));
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
        assert!(store.path("../secret").is_none());
        assert!(store.path("files/../../secret").is_none());
        assert!(store.path("files/ab/x.pdf").is_some());
    }
}
