//! 台账 pages: the three ledgers with filters and their xlsx export.

use super::{bad, township_name, townships};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use emis_app::dropout as service;
use emis_app::dropout::queries::{self, Ledger, LedgerQuery};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LedgerParams {
    ledger: Option<String>,
    township: Option<String>,
    snapshot: Option<String>,
    school: Option<String>,
    q: Option<String>,
}

impl LedgerParams {
    /// The one reading of the page's filters, for the page and its export alike.
    fn query(&self) -> LedgerQuery {
        LedgerQuery::from_params(
            self.ledger.as_deref(),
            self.snapshot.as_deref(),
            self.township.as_deref(),
            self.school.as_deref(),
            self.q.as_deref(),
        )
    }
}

pub struct LedgerLine {
    pub township: String,
    pub village: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub id_masked: String,
    pub guardian: String,
    pub phone: String,
    pub finding: String,
    pub school_code: String,
    pub candidate: String,
    pub poverty: bool,
    /// The child's 一人一案, linked from the row.
    pub case_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "dropout_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    ledger: String,
    ledgers: Vec<(String, String)>,
    township: String,
    townships: Vec<(String, String)>,
    school: String,
    q: String,
    snapshot: String,
    snapshots: Vec<String>,
    rows: Vec<LedgerLine>,
    export_href: String,
    /// Whether the role may export full ID and phone numbers (`&unmasked=1`).
    unmasked_export: bool,
    limit: i64,
}

const LEDGER_LIMIT: i64 = 2000;

pub async fn ledger(Ctx { state, caller }: Ctx, Query(params): Query<LedgerParams>) -> PageResult {
    let account = caller.account()?;
    let query = params.query();
    let list = queries::ledger_with_cases(&state.db, account, &query, LEDGER_LIMIT)
        .await?
        .into_inner();
    let snapshots = queries::snapshots(&state.db, account)
        .await?
        .into_iter()
        .map(|s| s.snapshot_date)
        .collect();
    let which = query.ledger;
    let chrome = Chrome::new(
        &caller,
        &format!("{}台账", which.label()),
        "dropout-ledger",
        &[("控辍保学", "/dropout"), ("台账", "/dropout/ledger")],
    )?;
    let snapshot_date = list.snapshot.map(|s| s.snapshot_date).unwrap_or_default();
    let given = |v: &Option<String>| v.clone().unwrap_or_default();
    let encoded = |v: &Option<String>| crate::session::urlencode(&given(v));
    Ok(render(&LedgerPage {
        chrome,
        ledger: which.code().to_string(),
        ledgers: [Ledger::SchoolAge, Ledger::Suspected, Ledger::NotInSchool]
            .iter()
            .map(|l| (l.code().to_string(), l.label().to_string()))
            .collect(),
        export_href: format!(
            "/dropout/ledger/export?ledger={}&snapshot={}&township={}&school={}&q={}",
            which.code(),
            crate::session::urlencode(&snapshot_date),
            encoded(&query.township),
            encoded(&query.school),
            encoded(&query.q),
        ),
        unmasked_export: account
            .role
            .permits(emis_domain::access::Permission::SeePersonalData),
        township: given(&query.township),
        townships: townships(),
        school: given(&query.school),
        q: given(&query.q),
        snapshot: snapshot_date,
        snapshots,
        rows: list
            .items
            .into_iter()
            .zip(list.case_ids)
            .map(|(p, case_id)| LedgerLine {
                case_id,
                township: township_name(&p.township_code),
                village: p.village.unwrap_or_default(),
                id_masked: p.id_number,
                name: p.name,
                sex: p.sex,
                birth_date: p.birth_date,
                guardian: p.guardian.unwrap_or_default(),
                phone: p.phone.unwrap_or_default(),
                finding: p.finding.unwrap_or_default(),
                school_code: p.school_code.unwrap_or_default(),
                candidate: p.candidate_reason.unwrap_or_default(),
                poverty: p.poverty,
            })
            .collect(),
        limit: LEDGER_LIMIT,
    })?
    .into_response())
}

/// The ledger as xlsx in the county layout, ID and phone masked; `&unmasked=1` gives full
/// ones to the roles that may see them. Every export is audited.
pub async fn ledger_export(
    Ctx { state, caller }: Ctx,
    Query(params): Query<LedgerParams>,
    Query(mask): Query<crate::pages::ExportMask>,
) -> PageResult {
    let account = caller.account()?;
    let unmasked = mask.unmasked(account)?;
    let query = params.query();
    let which = query.ledger;
    let dir = tempfile::tempdir().map_err(|e| bad(e.to_string()))?;
    let path = dir.path().join("ledger.xlsx");
    service::export_ledger(
        &state.db,
        &account.scope,
        &query,
        &path,
        unmasked,
        &account.actor(&caller.source),
    )
    .await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| bad(e.to_string()))?;
    Ok(crate::download::xlsx(
        bytes,
        &format!("dropout-{}.xlsx", which.code()),
        &format!("{}台账.xlsx", which.label()),
    ))
}
