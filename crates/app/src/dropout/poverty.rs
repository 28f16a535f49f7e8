//! 脱贫户 the list of persons of poverty-alleviated households.

use crate::imports::ImportReport;
use crate::Result;
use emis_storage::audit::Actor;
use emis_storage::Db;
use std::path::Path;

/// Imports the 脱贫户 list (persons of poverty-alleviated households) through the common
/// import (`ImportKind::Poverty`, the same as the web's upload and preview); the next
/// population comparison marks the suspected and not-in-school children on it.
/// All-or-nothing; importing the same file again changes nothing.
pub async fn import_poverty_file(
    db: &Db,
    county: &str,
    path: &Path,
    actor: &Actor,
) -> Result<ImportReport> {
    crate::imports::import_file(
        db,
        county,
        crate::imports::ImportKind::Poverty,
        path,
        &crate::imports::ImportOptions::default(),
        actor,
        &crate::NoProgress,
    )
    .await
}
