//! Read models of the registry (学籍): the scoped lists of schools, classes, students and
//! staff, a student's record, the transfers to receive, the terms with roll data and the
//! county's schools for pickers. Each read takes the caller's account and filters by its
//! scope; the rows are the views the pages and the API show, their ID numbers (and 学籍号)
//! masked when they are built (`Masked`). The full ID number is shown only through the
//! audited `registry::reveal_id`.

use crate::auth::Account;
use crate::masked;
use crate::Result;
use emis_domain::registry::School;
use emis_storage::{indicators, lists, registry, Db};

pub use crate::masked::Masked;
pub use emis_storage::aid::PaymentRow;
pub use emis_storage::lists::{
    walks_by_class, ClassQuery, ClassRow, ClassWalk, Page, SchoolQuery, SchoolRow, StaffRow,
    StudentDetail, StudentQuery, StudentRow, CLASS_SORTS, SEARCH_COUNT_CAP, STUDENT_SORTS,
};
pub use emis_storage::transfers::{TransferRow, ACCEPTED, DECLINED, PENDING};

masked::masks! {
    StudentRow { id: id_number }
    StudentDetail { id: id_number, optional_id: student_no }
    StaffRow { id: id_number }
    TransferRow { id: id_number }
}

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

/// A page of the classes of a term in the account's scope, filtered and sorted in the
/// database; `per_page` 0 lists every match.
pub async fn classes_page(db: &Db, account: &Account, q: &ClassQuery) -> Result<Page<ClassRow>> {
    Ok(lists::classes_page(db, &account.scope, q).await?)
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
pub async fn students(
    db: &Db,
    account: &Account,
    q: &StudentQuery,
) -> Result<Page<Masked<StudentRow>>> {
    Ok(masked::page(lists::students(db, &account.scope, q).await?))
}

/// The classes a student list in its default order walks through (`walks_by_class`), with
/// their students in the account's scope: the web layer keeps it a few seconds and reads
/// each page through it (`students_by_class`).
pub async fn class_walk(db: &Db, account: &Account, q: &StudentQuery) -> Result<ClassWalk> {
    Ok(lists::class_walk(db, &account.scope, q).await?)
}

/// A page of the students in the account's scope in the default order, read from the
/// classes the page covers in `walk` (the same query's `class_walk`).
pub async fn students_by_class(
    db: &Db,
    account: &Account,
    q: &StudentQuery,
    walk: &ClassWalk,
) -> Result<Page<Masked<StudentRow>>> {
    Ok(masked::page(
        lists::students_by_class(db, &account.scope, q, walk).await?,
    ))
}

/// A student in the account's scope with every term's roll entry, else `NotFound`.
pub async fn student(db: &Db, account: &Account, id: i64) -> Result<Masked<StudentDetail>> {
    Ok(Masked::new(super::visible_student(db, account, id).await?))
}

/// What a student's record page shows besides the roll: the aid paid to the student and
/// the hardship certificates (资助记录, 困难认定证明).
pub struct StudentRecord {
    pub student: Masked<StudentDetail>,
    pub payments: Vec<PaymentRow>,
    /// (类别, 证书编号): the number in full only when `revealed` (after the audited full
    /// view of the ID number), else masked.
    pub certificates: Vec<(String, String)>,
}

/// A student in the account's scope with the aid and certificates kept under the ID number.
pub async fn student_record(
    db: &Db,
    account: &Account,
    id: i64,
    revealed: bool,
) -> Result<StudentRecord> {
    let student = super::visible_student(db, account, id).await?;
    let payments = crate::aid::history(db, account.county(), &student.id_number).await?;
    let certificates =
        crate::aid::queries::student_evidence(db, account, &student.id_number, revealed).await?;
    Ok(StudentRecord {
        student: Masked::new(student),
        payments,
        certificates,
    })
}

/// The transfers the account sees (`registry::transfers_in_scope`), ID numbers masked.
pub async fn transfers(db: &Db, account: &Account, all: bool) -> Result<Vec<Masked<TransferRow>>> {
    Ok(Masked::all(
        super::transfers_in_scope(db, account, all).await?,
    ))
}

/// A page of the staff in the account's scope.
pub async fn staff(
    db: &Db,
    account: &Account,
    q: Option<&str>,
    township: Option<&str>,
    school: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<Masked<StaffRow>>> {
    Ok(masked::page(
        lists::staff(db, &account.scope, q, township, school, page, per_page).await?,
    ))
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
