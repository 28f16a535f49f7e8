//! Writing an import: the race check with other imports, keyed rows sorted against what is
//! stored, the audit of each update and of the file, the commit, and the refused rows'
//! errors file.

use super::*;

/// Rows refused by a `--skip-invalid` import, with the template columns and a reason column.
pub(super) fn write_error_rows(
    out: &Path,
    kind: ImportKind,
    table: &Table<'_>,
    problems: &[Problem],
) -> Result<()> {
    let columns = kind.columns();
    let mut headers: Vec<&str> = vec!["原行号"];
    headers.extend(columns.iter().map(|c| c.name));
    headers.push("错误原因");
    let rows = table.rows.iter().filter_map(|row| {
        let reasons: Vec<String> = problems
            .iter()
            .filter(|p| p.row == row.number)
            .map(|p| format!("{}：{}", p.column, p.reason))
            .collect();
        if reasons.is_empty() {
            return None;
        }
        let mut cells = vec![row.number.to_string()];
        cells.extend(row.cells.iter().cloned());
        cells.push(reasons.join("；"));
        Some(cells)
    });
    emis_io::write_sheet(out, "错误行", &headers, rows)?;
    Ok(())
}

/// Opens an import's write transaction, refusing it with `Conflict` when another import of
/// the county committed after this one read the database.
pub(crate) async fn begin_write(
    db: &Db,
    county: &str,
    report: &ImportReport,
) -> Result<emis_storage::Tx> {
    let mut tx = db.begin().await?;
    if !emis_storage::registry::claim_import(&mut tx, county, report.read_at).await? {
        return Err(AppError::Conflict(
            "导入期间另一个导入修改了本县的数据，请重新导入".into(),
        ));
    }
    Ok(tx)
}

/// Refuses the whole import unless `--skip-invalid`; returns whether to go on writing.
pub(crate) fn should_write(report: &ImportReport, options: &ImportOptions) -> bool {
    if options.dry_run {
        return false;
    }
    report.problems.is_empty() || options.skip_invalid
}

/// A keyed import's rows sorted against what is stored (counted in the report as
/// inserted, updated or unchanged): the rows to write, and each update with what it replaces.
pub(crate) struct Changes<'a, T> {
    pub write: Vec<&'a T>,
    pub updates: Vec<(&'a T, &'a T)>,
}

impl<'a, T: PartialEq> Changes<'a, T> {
    pub(crate) fn sort(
        rows: impl IntoIterator<Item = &'a T>,
        stored: impl Fn(&T) -> Option<&'a T>,
        report: &mut ImportReport,
    ) -> Changes<'a, T> {
        let mut changes = Changes {
            write: Vec::new(),
            updates: Vec::new(),
        };
        for row in rows {
            match stored(row) {
                None => report.inserted += 1,
                Some(old) if old == row => {
                    report.unchanged += 1;
                    continue;
                }
                Some(old) => {
                    report.updated += 1;
                    changes.updates.push((old, row));
                }
            }
            changes.write.push(row);
        }
        changes
    }
}

impl Run<'_> {
    /// Ends a keyed import's write: each update audited with its before and after, the
    /// batch audited, the transaction committed and the report marked committed.
    pub(crate) async fn finish<T: Serialize>(
        &self,
        mut tx: emis_storage::Tx,
        entity: &str,
        batch: &str,
        updates: &[(&T, &T)],
        key: impl Fn(&T) -> &str,
        report: &mut ImportReport,
    ) -> Result<()> {
        for (old, new) in updates {
            emis_storage::audit::Entry::new(self.county, "update", entity, key(new))
                .before_json(old)
                .after_json(new)
                .record(&mut tx, self.actor)
                .await?;
        }
        commit_batch(tx, self.county, self.actor, batch, self.source, report).await
    }
}

/// Ends an import: the audit entry for the whole file (what file, how many rows went in),
/// then the commit; only then is the report marked committed.
pub(crate) async fn commit_batch(
    mut tx: emis_storage::Tx,
    county: &str,
    actor: &emis_storage::audit::Actor,
    entity: &str,
    source: &str,
    report: &mut ImportReport,
) -> Result<()> {
    emis_storage::audit::Entry::new(county, "import", entity, source)
        .after_json(&serde_json::json!({
            "file": source,
            "rows": report.rows,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "refused_rows": report.rows - report.valid_rows,
        }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    report.committed = true;
    Ok(())
}
