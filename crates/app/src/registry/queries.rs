//! Read models of the registry (学籍): the scoped lists of schools, classes, students and
//! staff, the terms with roll data and the county's schools for pickers. Each read takes
//! the caller's account and filters by its scope; the rows are the views the pages and the
//! API show (ID numbers are masked where they are shown, as before).

use crate::auth::Account;
use crate::Result;
use emis_domain::registry::School;
use emis_storage::{indicators, lists, registry, Db};

pub use emis_storage::lists::{
    ClassRow, Page, SchoolQuery, SchoolRow, StaffRow, StudentDetail, StudentQuery, StudentRow,
    SEARCH_COUNT_CAP,
};
pub use emis_storage::transfers::{TransferRow, ACCEPTED, DECLINED, PENDING};

/// Every term that has roll data in the county, oldest first.
pub async fn all_terms(db: &Db, county: &str) -> Result<Vec<String>> {
    Ok(indicators::all_terms(db, county).await?)
}

/// The county's schools, by code: the pickers of every module list them all.
pub async fn county_schools(db: &Db, county: &str) -> Result<Vec<School>> {
    Ok(registry::schools(db, county).await?)
}

/// Whether the database answers (the health check).
pub async fn database_ok(db: &Db) -> bool {
    registry::counties(db).await.is_ok()
}

/// A page of the schools in the account's scope.
pub async fn schools(db: &Db, account: &Account, q: &SchoolQuery) -> Result<Page<SchoolRow>> {
    Ok(lists::schools(db, &account.scope, q).await?)
}

/// One school in the account's scope, with its figures for the term.
pub async fn school(
    db: &Db,
    account: &Account,
    code: &str,
    term: &str,
) -> Result<Option<SchoolRow>> {
    Ok(lists::school(db, &account.scope, code, term).await?)
}

/// The classes of the term in the account's scope, of one school if given, of at least
/// `min_size` pupils if given.
pub async fn classes(
    db: &Db,
    account: &Account,
    term: &str,
    school: Option<&str>,
    min_size: Option<i64>,
) -> Result<Vec<ClassRow>> {
    Ok(lists::classes(db, &account.scope, term, school, min_size).await?)
}

/// (classes, classes of at least `large_from` pupils) of the term in the account's scope.
pub async fn class_counts(
    db: &Db,
    account: &Account,
    term: &str,
    large_from: i64,
) -> Result<(i64, i64)> {
    Ok(lists::class_counts(db, &account.scope, term, large_from).await?)
}

/// A page of the students in the account's scope; `per_page` 0 lists every match.
pub async fn students(db: &Db, account: &Account, q: &StudentQuery) -> Result<Page<StudentRow>> {
    Ok(lists::students(db, &account.scope, q).await?)
}

/// A page of the staff in the account's scope.
pub async fn staff(
    db: &Db,
    account: &Account,
    q: Option<&str>,
    school: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<StaffRow>> {
    Ok(lists::staff(db, &account.scope, q, school, page, per_page).await?)
}

/// The townships in the account's scope as (code, name), for filters.
pub async fn townships(db: &Db, account: &Account) -> Result<Vec<(String, String)>> {
    Ok(lists::townships(db, &account.scope).await?)
}

/// The county's schools the account's scope admits, by code: the pickers of forms that
/// record for a school.
pub async fn schools_in_scope(db: &Db, account: &Account) -> Result<Vec<School>> {
    Ok(registry::schools(db, account.county())
        .await?
        .into_iter()
        .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
        .collect())
}
