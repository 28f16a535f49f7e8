//! 公文登记: the documents the bureau issues, and the stored records that cite a 文号.

use crate::sql::{county_row_by, county_rows, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::documents::DocCategory;

/// A document as stored. The file's key in the attachments store stays inside.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    /// 文号, in its one spelling.
    pub number: String,
    pub issue_year: i64,
    pub title: String,
    /// 成文日期.
    pub issued_on: String,
    /// 发文单位.
    pub office: String,
    #[sqlx(try_from = "Label")]
    pub category: DocCategory,
    #[serde(skip)]
    pub file_key: Option<String>,
    pub file_name: Option<String>,
    pub file_mime: Option<String>,
    pub file_size: Option<i64>,
    pub recorded_by: String,
}

const DOCUMENT_SELECT: &str = "SELECT id, number, issue_year, title, issued_on, office, category, \
     file_key, file_name, file_mime, file_size, recorded_by FROM documents WHERE county = $1";

/// Every document of the county, the latest first.
pub async fn documents(db: &Db, county: &str) -> Result<Vec<DocumentRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!("{DOCUMENT_SELECT} ORDER BY issued_on DESC, number")),
        county,
    )
    .await
}

pub async fn document(db: &Db, county: &str, id: i64) -> Result<Option<DocumentRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{DOCUMENT_SELECT} AND id = $2")),
        county,
        id,
    )
    .await
}

pub async fn document_by_number(
    db: &Db,
    county: &str,
    number: &str,
) -> Result<Option<DocumentRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{DOCUMENT_SELECT} AND number = $2")),
        county,
        number.to_string(),
    )
    .await
}

/// A document as the form, the API and the demo write it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewDocument {
    pub number: String,
    pub issue_year: i32,
    pub title: String,
    pub issued_on: String,
    pub office: String,
    pub category: DocCategory,
    pub file_key: Option<String>,
    pub file_name: Option<String>,
    pub file_mime: Option<String>,
    pub file_size: Option<i64>,
}

/// Inserts documents (a 文号 already registered is left as it is).
pub async fn insert_documents(
    tx: &mut Tx,
    county: &str,
    rows: &[NewDocument],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "documents",
        &[
            "county",
            "number",
            "issue_year",
            "title",
            "issued_on",
            "office",
            "category",
            "file_key",
            "file_name",
            "file_mime",
            "file_size",
            "recorded_by",
            "recorded_at",
        ],
        "ON CONFLICT (county, number) DO NOTHING",
        rows,
        |q, r| {
            q.bind(county)
                .bind(&r.number)
                .bind(i64::from(r.issue_year))
                .bind(&r.title)
                .bind(&r.issued_on)
                .bind(&r.office)
                .bind(r.category.label())
                .bind(&r.file_key)
                .bind(&r.file_name)
                .bind(&r.file_mime)
                .bind(r.file_size)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await
}

/// A stored record whose column holds a 文号: which table, which record, and the text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct CitingRow {
    /// 校外培训机构状态变更: the institution's id.
    pub record_id: i64,
    pub record_name: String,
    /// The township the record belongs to (scope).
    pub township_code: String,
    /// What the record says (the status it changed to).
    pub what: String,
    pub happened_on: String,
    /// The column's text as stored.
    pub document: String,
}

/// The columns that hold a 文号 today: `institution_events.document` (校外培训机构状态变更).
pub async fn institution_citations(db: &Db, county: &str) -> Result<Vec<CitingRow>> {
    county_rows(
        db,
        "SELECT i.id AS record_id, i.name AS record_name, i.township_code, e.status AS what, \
         e.happened_on, e.document FROM institution_events e \
         JOIN institutions i ON i.county = e.county AND i.id = e.institution_id \
         WHERE e.county = $1 AND e.document IS NOT NULL AND e.document <> '' \
         ORDER BY e.happened_on, i.name",
        county,
    )
    .await
}
