//! Read models of 安全管理: the scoped hazard ledger, inspections, waters with their 九长,
//! patrols and roster, 十有 and the letters' coverage. Each read takes the caller's account
//! and filters by its scope; reads of one record's parts take the record the account was
//! shown (`visible_hazard`, `visible_water`), so they are in scope by construction. The
//! 九长 links and the roster leave with their phones masked (`Masked`); a link's phone is
//! shown in full only through the audited `chain::reveal_phone`.

use crate::auth::Account;
use crate::masked;
use crate::Result;
use emis_domain::access::Scope;
pub use emis_domain::safety::Area;
use emis_storage::safety as store;
use emis_storage::Db;

pub use crate::masked::Masked;
pub use emis_storage::lists::Page;
pub use emis_storage::safety::{
    ChainQuery, ChainRow, EvidenceRow, HazardCounts, HazardQuery, HazardRow, InspectionRow,
    LetterCoverage, LetterPage, LetterQuery, PatrolRow, RosterRow, TenHaveFile, TenHaveOrgRow,
    TenHaveQuery, TenHaveRow, WaterRow,
};

/// A page of the hazards in the account's scope.
pub async fn hazards(db: &Db, account: &Account, q: &HazardQuery) -> Result<Page<HazardRow>> {
    Ok(store::hazards(db, &account.scope, q).await?)
}

/// The 整改 evidence of a hazard the account was shown.
pub async fn hazard_evidence(db: &Db, hazard: &HazardRow) -> Result<Vec<EvidenceRow>> {
    Ok(store::evidence_of(db, hazard.id).await?)
}

/// The inspections of an area and year in the account's scope, of one kind (月度排查 /
/// 专项行动 / 专项督查) if given, at most `limit`.
pub async fn inspections(
    db: &Db,
    account: &Account,
    area: Area,
    year: i32,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<InspectionRow>> {
    Ok(store::inspections(db, &account.scope, area, year, kind, limit).await?)
}

/// The waters in the account's scope.
pub async fn waters(db: &Db, account: &Account) -> Result<Vec<WaterRow>> {
    Ok(store::waters(db, &account.scope, None).await?)
}

masked::masks! {
    ChainRow { phone: phone }
    RosterRow { phone: phone }
}

/// The 九长 links of a water, as the account's scope sees them.
pub async fn water_chain(
    db: &Db,
    account: &Account,
    water: &WaterRow,
) -> Result<Vec<Masked<ChainRow>>> {
    Ok(Masked::all(
        store::chain(db, &account.scope, Some(water.id), None).await?,
    ))
}

/// The 九长 links the account sees, of one level (all levels when `None`).
pub async fn chain_links(
    db: &Db,
    account: &Account,
    level: Option<&str>,
) -> Result<Vec<Masked<ChainRow>>> {
    Ok(Masked::all(super::chain::links(db, account, level).await?))
}

/// A page of the 九长 links the account sees, filtered in the database, phones masked.
pub async fn chain_links_page(
    db: &Db,
    account: &Account,
    q: &ChainQuery,
) -> Result<emis_storage::lists::Page<Masked<ChainRow>>> {
    Ok(crate::masked::page(
        super::chain::links_page(db, account, q).await?,
    ))
}

/// One 九长 link the account sees, else `NotFound`.
pub async fn chain_link(db: &Db, account: &Account, id: i64) -> Result<Masked<ChainRow>> {
    Ok(Masked::new(
        super::chain::visible_link(db, account, id).await?,
    ))
}

/// The duty roster of a water the account was shown.
pub async fn water_roster(
    db: &Db,
    account: &Account,
    water: &WaterRow,
) -> Result<Vec<Masked<RosterRow>>> {
    Ok(Masked::all(
        store::roster(db, account.county(), water.id).await?,
    ))
}

/// One roster shift whose water lies in the account's scope, else `NotFound`.
pub async fn roster_shift(db: &Db, account: &Account, id: i64) -> Result<Masked<RosterRow>> {
    Ok(Masked::new(
        super::roster::visible_entry(db, account, id).await?,
    ))
}

/// Patrol logs in the account's scope between two days (ISO, inclusive), of one water if
/// given, newest first, at most `limit`.
pub async fn patrols(
    db: &Db,
    account: &Account,
    from: &str,
    to: &str,
    water: Option<i64>,
    limit: i64,
) -> Result<Vec<PatrolRow>> {
    Ok(store::patrols(db, &account.scope, from, to, water, limit).await?)
}

/// The villages known in the account's township (every township for a county account), as
/// (township code, village), offered for a village link.
pub async fn known_villages(db: &Db, account: &Account) -> Result<Vec<(String, String)>> {
    let township = match &account.scope {
        Scope::Township { township, .. } => Some(township.as_str()),
        _ => None,
    };
    Ok(store::known_villages(db, account.county(), township).await?)
}

/// The 十有 items of a year in the account's scope.
pub async fn ten_haves(db: &Db, account: &Account, year: i32) -> Result<Vec<TenHaveRow>> {
    Ok(store::ten_haves(db, &account.scope, year).await?)
}

/// The 十有 evidence files of a year in the account's scope.
pub async fn ten_have_files(db: &Db, account: &Account, year: i32) -> Result<Vec<TenHaveFile>> {
    Ok(store::ten_have_files(db, &account.scope, year).await?)
}

/// How far the 致家长信 of a term reached, by school in the account's scope.
pub async fn letter_coverage(
    db: &Db,
    account: &Account,
    term: &str,
) -> Result<Vec<LetterCoverage>> {
    Ok(store::letter_coverage(db, &account.scope, term).await?)
}

/// A page of the 致家长信 coverage by school in the account's scope, filtered and sorted in
/// the database, with the filtered schools' sums.
pub async fn letter_coverage_page(
    db: &Db,
    account: &Account,
    q: &LetterQuery,
) -> Result<LetterPage> {
    Ok(store::letter_coverage_page(db, &account.scope, q).await?)
}

/// A page of the townships and schools in the account's scope with their 十有 in place.
pub async fn ten_have_orgs(
    db: &Db,
    account: &Account,
    q: &TenHaveQuery,
) -> Result<Page<TenHaveOrgRow>> {
    Ok(store::ten_have_orgs(db, &account.scope, q).await?)
}

/// The 十有 entries of a year of the org units of a page the account was shown
/// ([`ten_have_orgs`]), so they are in scope by construction.
pub async fn ten_have_items(
    db: &Db,
    account: &Account,
    year: i32,
    shown: &[TenHaveOrgRow],
) -> Result<Vec<TenHaveRow>> {
    let codes: Vec<String> = shown.iter().map(|o| o.org_code.clone()).collect();
    Ok(store::ten_have_items(db, account.county(), year, &codes).await?)
}
