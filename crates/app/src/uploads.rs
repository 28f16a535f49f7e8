//! 上传暂存: an uploaded sheet waits between its preview and the confirmation in a private
//! folder under the data directory (owner-only: 0700, files 0600), under a random name.
//! It is removed when the import is confirmed, and swept an hour after its upload if it
//! never is: a roll holds every student's full ID number.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long an unconfirmed upload is kept.
pub const KEEP_UNCONFIRMED: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug)]
pub struct Staging {
    dir: PathBuf,
}

impl Staging {
    /// The staging folder of a database's data directory.
    pub fn of(db: &crate::Db) -> Staging {
        Staging {
            dir: crate::attachments::data_dir(db).join("uploads"),
        }
    }

    pub fn at(dir: impl Into<PathBuf>) -> Staging {
        Staging { dir: dir.into() }
    }

    /// Where an upload named `token` is kept. The caller checks the token's shape.
    pub fn path(&self, token: &str) -> PathBuf {
        self.dir.join(token)
    }

    /// Keeps `bytes` under `token`, readable by this process's user only, and sweeps
    /// uploads left unconfirmed for longer than [`KEEP_UNCONFIRMED`].
    pub async fn store(&self, token: &str, bytes: Vec<u8>) -> std::io::Result<PathBuf> {
        let dir = self.dir.clone();
        let path = self.path(token);
        tokio::task::spawn_blocking(move || {
            private_dir(&dir)?;
            sweep(&dir, KEEP_UNCONFIRMED);
            write_private(&path, &bytes)?;
            Ok(path)
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Keeps the name the file had on the user's computer beside it (`<token>.name`), for
    /// the audit log and the import page's 最近导入.
    pub async fn name_as(&self, token: &str, name: &str) -> std::io::Result<()> {
        let path = self.path(&format!("{token}.name"));
        let name = name.to_string();
        tokio::task::spawn_blocking(move || write_private(&path, name.as_bytes()))
            .await
            .map_err(std::io::Error::other)?
    }

    /// The name kept by [`Staging::name_as`], if any.
    pub fn name(&self, token: &str) -> Option<String> {
        std::fs::read_to_string(self.path(&format!("{token}.name")))
            .ok()
            .filter(|n| !n.trim().is_empty())
    }

    pub async fn remove(&self, token: &str) {
        let _ = tokio::fs::remove_file(self.path(token)).await;
        let _ = tokio::fs::remove_file(self.path(&format!("{token}.name"))).await;
    }

    /// Removes uploads older than `age`; returns how many went.
    pub fn sweep(&self, age: Duration) -> usize {
        sweep(&self.dir, age)
    }
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    // A folder made earlier (or by an older version) is narrowed too.
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn sweep(dir: &Path, age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|elapsed| elapsed >= age);
        if old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn uploads_are_private_and_swept() {
        let root = tempfile::tempdir().expect("temp");
        let staging = Staging::at(root.path().join("uploads"));
        let path = staging
            .store("students.2021-autumn.ab.xlsx", b"PK".to_vec())
            .await
            .expect("stored");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&root.path().join("uploads")), 0o700);
        }
        assert_eq!(staging.sweep(Duration::from_secs(3600)), 0);
        assert!(path.exists());
        assert_eq!(staging.sweep(Duration::ZERO), 1);
        assert!(!path.exists());
    }
}
