//! 公文登记: the register of the documents the bureau issues (方案, 细则, 通知 …) under their
//! 文号 (checked, folded to one spelling, unique per county), with an optional file in the
//! one attachments store; one document's page lists the records that cite its 文号
//! (校外培训机构状态变更, 资助政策, the campaigns of every area and the 考核方案), and those
//! records link back to it ([`basis`] reads the 文号 a form gives, [`Register::link`] shows it).

use crate::attachments::{open_audited, Attachments, FileView, PutError};
use crate::auth::Account;
use crate::fields::{invalid, past_date, required_text};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::Permission;
use emis_domain::documents::{check_year, DocCategory, DocNumber};
use emis_domain::limits::{ORG_NAME, SHORT_TEXT};
use emis_storage::audit::Entry;
use emis_storage::documents::{self as store, CitingRow, NewDocument};
use emis_storage::Db;

pub use emis_storage::documents::DocumentRow;

/// A document as the form and the API send it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DocumentForm {
    /// 文号, e.g. 溆教发〔2021〕45号 (any bracket, any width).
    pub number: String,
    pub title: String,
    /// 成文日期.
    pub issued_on: String,
    /// 发文单位.
    pub office: String,
    /// 类别: 方案 / 细则 / 通知 / 意见 / 办法 / 其他.
    pub category: String,
}

/// An attached file as uploaded.
pub struct DocumentUpload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// What the register is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DocumentFilter {
    pub year: Option<i32>,
    pub category: Option<String>,
    pub office: Option<String>,
}

/// The register with the offices that issued any document (for the filter).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DocumentRegister {
    pub rows: Vec<DocumentRow>,
    pub offices: Vec<String>,
}

pub async fn register(
    db: &Db,
    account: &Account,
    filter: &DocumentFilter,
) -> Result<DocumentRegister> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let all = store::documents(db, account.county()).await?;
    let mut offices: Vec<String> = all.iter().map(|d| d.office.clone()).collect();
    offices.sort();
    offices.dedup();
    let pick = |raw: &Option<String>| raw.clone().filter(|t| !t.trim().is_empty());
    let category = pick(&filter.category).and_then(|c| DocCategory::parse(&c));
    let office = pick(&filter.office);
    let rows = all
        .into_iter()
        .filter(|d| filter.year.is_none_or(|y| d.issue_year == i64::from(y)))
        .filter(|d| category.is_none_or(|c| c == d.category))
        .filter(|d| office.as_deref().is_none_or(|o| o.trim() == d.office))
        .collect();
    Ok(DocumentRegister { rows, offices })
}

/// The records of one kind that cite a document.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CitationGroup {
    /// What the records are, e.g. 校外培训机构状态变更.
    pub kind: String,
    /// The page of a record: the prefix its id follows.
    pub href: String,
    pub records: Vec<CitingRow>,
}

/// One document with the records that cite its 文号.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DocumentDetail {
    pub document: DocumentRow,
    pub citations: Vec<CitationGroup>,
}

pub async fn detail(db: &Db, account: &Account, id: i64) -> Result<DocumentDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let document = store::document(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(DocumentDetail {
        citations: citations_of(db, account, &document.number).await?,
        document,
    })
}

/// The 文号 a form gives as the document a record is issued under (依据文号): blank is
/// none; otherwise it must be a 文号, kept in its one spelling. Refused on `field`.
pub fn basis(field: &'static str, raw: &str) -> Result<Option<String>> {
    match raw.trim() {
        "" => Ok(None),
        raw => DocNumber::parse(raw)
            .map(|n| Some(n.to_string()))
            .map_err(|m| invalid(field, m)),
    }
}

/// A 文号 as a page shows it: linked to the register when the document is registered.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct DocLink {
    pub number: String,
    /// The registered document's id (its page is `/documents/{id}`); none when the county
    /// has not registered it.
    pub id: Option<i64>,
    pub title: Option<String>,
}

/// The county's registered documents by 文号, to link the 文号 records carry.
pub struct Register(std::collections::HashMap<String, (i64, String)>);

impl Register {
    pub async fn load(db: &Db, county: &str) -> Result<Register> {
        Ok(Register(
            store::documents(db, county)
                .await?
                .into_iter()
                .map(|d| (d.number, (d.id, d.title)))
                .collect(),
        ))
    }

    pub fn link(&self, number: Option<&str>) -> Option<DocLink> {
        let number = number.filter(|n| !n.trim().is_empty())?;
        let found = self.0.get(number);
        Some(DocLink {
            number: number.to_string(),
            id: found.map(|(id, _)| *id),
            title: found.map(|(_, title)| title.clone()),
        })
    }
}

/// Every column that holds a 文号, searched for this one: 校外培训机构状态变更, 资助政策,
/// campaigns and 考核方案. The records are the reader's (institutions of the townships its
/// scope reads; the county's policies, campaigns and schemes).
async fn citations_of(db: &Db, account: &Account, number: &str) -> Result<Vec<CitationGroup>> {
    let Ok(wanted) = DocNumber::parse(number) else {
        return Ok(Vec::new());
    };
    let townships: std::collections::HashSet<String> =
        emis_storage::lists::townships(db, &account.scope)
            .await?
            .into_iter()
            .map(|(code, _)| code)
            .collect();
    let institutions: Vec<CitingRow> = store::institution_citations(db, account.county())
        .await?
        .into_iter()
        .filter(|c| townships.contains(&c.township_code))
        .filter(|c| wanted.cited_in(&c.document))
        .collect();
    let county = account.county();
    let mut groups = vec![CitationGroup {
        kind: "校外培训机构状态变更".into(),
        href: "/double-reduction/institutions/".into(),
        records: institutions,
    }];
    // 资助政策: every year's catalog; the record is the year's catalog page.
    let mut policies = Vec::new();
    for year in emis_storage::aid::policy_years(db, county).await? {
        for p in crate::aid::catalog(db, county, year).await? {
            if let Some(doc) = p.document.filter(|d| wanted.cited_in(d)) {
                policies.push(CitingRow {
                    record_id: i64::from(year),
                    record_name: format!("{year}年 {}", p.name),
                    township_code: String::new(),
                    what: "资助政策".into(),
                    happened_on: year.to_string(),
                    document: doc,
                });
            }
        }
    }
    groups.push(CitationGroup {
        kind: "资助政策".into(),
        href: "/aid/policies?year=".into(),
        records: policies,
    });
    // Campaigns, by area; each has its own page.
    let campaigns = emis_storage::safety::campaign_citations(db, county).await?;
    for area in emis_domain::safety::Area::ALL {
        let records: Vec<CitingRow> = campaigns
            .iter()
            .filter(|c| c.area == *area && wanted.cited_in(&c.document))
            .map(|c| CitingRow {
                record_id: c.id,
                record_name: c.title.clone(),
                township_code: String::new(),
                what: area.campaign_kind().into(),
                happened_on: c.planned_on.clone(),
                document: c.document.clone(),
            })
            .collect();
        groups.push(CitationGroup {
            kind: area.campaign_kind().into(),
            href: "/safety/inspections/".into(),
            records,
        });
    }
    let schemes = emis_storage::supervision::scheme_citations(db, county).await?;
    groups.push(CitationGroup {
        kind: "绩效目标管理评估方案".into(),
        href: "/supervision/assessment?year=".into(),
        records: schemes
            .into_iter()
            .filter_map(|s| {
                let doc = s.document.filter(|d| wanted.cited_in(d))?;
                Some(CitingRow {
                    record_id: s.year,
                    record_name: format!("{}年考核方案", s.year),
                    township_code: String::new(),
                    what: "考核方案".into(),
                    happened_on: s.year.to_string(),
                    document: doc,
                })
            })
            .collect(),
    });
    Ok(groups)
}

/// Registers a document (county officers), with its file if one is attached; audited.
/// A 文号 of the wrong shape or already registered is refused on its field.
pub async fn record(
    db: &Db,
    account: &Account,
    form: &DocumentForm,
    file: Option<DocumentUpload<'_>>,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::KeepDocuments)?;
    let county = account.county();
    let number = DocNumber::parse(&form.number).map_err(|m| invalid("number", m))?;
    let title = required_text("title", "标题", &form.title, SHORT_TEXT)?
        .trim_start_matches('《')
        .trim_end_matches('》')
        .to_string();
    let issued_on = past_date("issued_on", "成文日期", &form.issued_on, today)?;
    check_year(&number, issued_on).map_err(|m| invalid("issued_on", m))?;
    let office = required_text("office", "发文单位", &form.office, ORG_NAME)?.to_string();
    let category = DocCategory::parse(&form.category).ok_or_else(|| {
        invalid(
            "category",
            format!("请选择类别：{}", DocCategory::choices()),
        )
    })?;
    let spelled = number.to_string();
    if let Some(had) = store::document_by_number(db, county, &spelled).await? {
        return Err(invalid(
            "number",
            format!("文号 {spelled} 已登记：《{}》", had.title),
        ));
    }
    let stored = match file {
        Some(f) if !f.bytes.is_empty() => Some(
            Attachments::of(db)
                .put_document(f.file_name, f.bytes)
                .map_err(|e| match e {
                    PutError::Refused(reason) => invalid("file", reason),
                    PutError::Io(e) => AppError::Refused(format!("无法保存文件：{e}")),
                })?,
        ),
        _ => None,
    };
    let row = NewDocument {
        number: spelled.clone(),
        issue_year: number.year,
        title,
        issued_on: issued_on.to_string(),
        office,
        category,
        file_name: stored.as_ref().map(|s| s.file_name.clone()),
        file_mime: stored.as_ref().map(|s| s.mime().to_string()),
        file_size: stored.as_ref().map(|s| s.size as i64),
        file_key: stored.map(|s| s.key),
    };
    let mut tx = db.begin().await?;
    store::insert_documents(
        &mut tx,
        county,
        std::slice::from_ref(&row),
        &account.username,
    )
    .await?;
    Entry::new(county, "create", "document", &spelled)
        .after_json(&row)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    store::document_by_number(db, county, &spelled)
        .await?
        .map(|d| d.id)
        .ok_or(AppError::NotFound)
}

/// A document's file with its bytes; the view is audited.
pub async fn file(
    db: &Db,
    account: &Account,
    id: i64,
    source: &str,
) -> Result<(DocumentRow, Vec<u8>)> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let document = store::document(db, account.county(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = document.file_key.clone().ok_or(AppError::NotFound)?;
    let name = document.file_name.clone().unwrap_or_default();
    let view = FileView::of("document_file_view", "document", &document.number).file(id, &name);
    let bytes = open_audited(db, account, source, &key, view).await?;
    Ok((document, bytes))
}
