//! 报表定义: a form is defined from its JSON (a file, the command line, the page's editor);
//! a changed definition becomes the next version, an unchanged one changes nothing, and
//! every version stays stored so earlier responses read as they were filled.

use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_domain::forms::{self as rules, Definition, PeriodKind, RespondentKind};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{forms as store, Db};

/// What defining did: the form's code and current version, and whether it is new.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Defined {
    pub code: String,
    pub version: i64,
    /// False when the definition equals the stored latest version (nothing written).
    pub changed: bool,
}

/// Defines a form or its next version from JSON (CONTRACTS.md, "Forms"), audited.
pub async fn define(db: &Db, account: &Account, json: &str, source: &str) -> Result<Defined> {
    crate::require(account.role, Permission::KeepForms)?;
    if json.len() > MAX_DEFINITION_BYTES {
        return Err(AppError::Refused(format!(
            "报表定义不能超过{}KB",
            MAX_DEFINITION_BYTES / 1024
        )));
    }
    let def = rules::parse_definition(json).map_err(AppError::Refused)?;
    define_checked(db, account.county(), &def, &account.actor(source)).await
}

/// Defines a form or its next version from a definition built in the browser's designer,
/// audited; refused as a whole with the reason when it does not hold.
pub async fn define_built(
    db: &Db,
    account: &Account,
    def: &Definition,
    source: &str,
) -> Result<Defined> {
    crate::require(account.role, Permission::KeepForms)?;
    rules::check_definition(def).map_err(AppError::Refused)?;
    define_checked(db, account.county(), def, &account.actor(source)).await
}

/// A definition file, at most.
pub const MAX_DEFINITION_BYTES: usize = 256 * 1024;

/// Stores a checked definition as the next version unless it equals the latest.
pub(crate) async fn define_checked(
    db: &Db,
    county: &str,
    def: &Definition,
    actor: &Actor,
) -> Result<Defined> {
    let json = serde_json::to_string(def).map_err(|e| AppError::Refused(e.to_string()))?;
    let versions = store::versions(db, county, &def.code).await?;
    if let Some(latest) = versions.last() {
        if latest.definition_json == json {
            return Ok(Defined {
                code: def.code.clone(),
                version: latest.version,
                changed: false,
            });
        }
    }
    let version = versions.last().map_or(1, |v| v.version + 1);
    let row = store::DefinitionRow {
        code: def.code.clone(),
        version,
        title: def.title.trim().to_string(),
        definition_json: json,
        created_by: actor.name.clone(),
        created_at: emis_storage::now_text(),
    };
    let mut tx = db.begin().await?;
    store::insert_definition(&mut tx, county, &row).await?;
    Entry::new(
        county,
        "form_define",
        "form",
        &format!("{}#{version}", def.code),
    )
    .after(Some(row.definition_json.clone()))
    .record(&mut tx, actor)
    .await?;
    emis_storage::commit(tx).await?;
    Ok(Defined {
        code: def.code.clone(),
        version,
        changed: true,
    })
}

/// A stored version, read back (it was checked when defined).
pub async fn stored(db: &Db, county: &str, code: &str, version: i64) -> Result<Definition> {
    let row = store::versions(db, county, code)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or(AppError::NotFound)?;
    read(&row)
}

fn read(row: &store::DefinitionRow) -> Result<Definition> {
    serde_json::from_str(&row.definition_json).map_err(|e| {
        emis_storage::StorageError::Document {
            what: "form definition",
            detail: e.to_string(),
        }
        .into()
    })
}

/// The latest version of a form, if it is defined.
pub async fn latest(db: &Db, county: &str, code: &str) -> Result<Option<(i64, Definition)>> {
    match store::versions(db, county, code).await?.last() {
        Some(row) => Ok(Some((row.version, read(row)?))),
        None => Ok(None),
    }
}

/// A form as the list shows it.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FormLine {
    pub code: String,
    pub title: String,
    pub version: i64,
    pub period: PeriodKind,
    pub respondent: RespondentKind,
    pub fields: usize,
    pub created_at: String,
}

/// Every form of the county, latest versions.
pub async fn list(db: &Db, account: &Account) -> Result<Vec<FormLine>> {
    crate::require(account.role, Permission::KeepForms)?;
    store::latest_definitions(db, account.county())
        .await?
        .iter()
        .map(|row| {
            let def = read(row)?;
            Ok(FormLine {
                code: row.code.clone(),
                title: row.title.clone(),
                version: row.version,
                period: def.period,
                respondent: def.respondent,
                fields: def.fields.len(),
                created_at: row.created_at.clone(),
            })
        })
        .collect()
}

/// The forms shipped with the product (README, "数据采集"): the demo and a new county start
/// from these; an office edits them into new versions.
pub const STARTERS: &[&str] = &[
    include_str!("../../forms/covid_vaccination.json"),
    include_str!("../../forms/morning_checks.json"),
    include_str!("../../forms/safety_education.json"),
    include_str!("../../forms/canteens.json"),
    include_str!("../../forms/counselling.json"),
    include_str!("../../forms/facilities.json"),
    include_str!("../../forms/household_visits.json"),
    include_str!("../../forms/donations.json"),
];

/// Defines the starter forms a county does not have yet (an edited one is left as it is).
pub async fn install_starters(db: &Db, county: &str, actor: &Actor) -> Result<usize> {
    let mut added = 0;
    for json in STARTERS {
        let def = rules::parse_definition(json).map_err(AppError::Refused)?;
        if latest(db, county, &def.code).await?.is_none() {
            define_checked(db, county, &def, actor).await?;
            added += 1;
        }
    }
    Ok(added)
}
