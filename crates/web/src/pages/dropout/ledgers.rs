//! 台账 pages: the three ledgers with filters and their xlsx export.

use super::{bad, township_name};
use crate::error::PageResult;
use crate::list::{resolve, Choices, Filter, List, Paging};
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
    #[serde(flatten)]
    paging: Paging,
}

impl LedgerParams {
    /// The one reading of the page's filters, for the page and its export alike: the school
    /// picked by name (or code) resolved in the account's scope, with the filters as shown.
    async fn query(
        &self,
        state: &crate::AppState,
        account: &emis_app::auth::Account,
    ) -> Result<(LedgerQuery, Vec<Filter>), crate::error::PageError> {
        let choices = Choices::of(state, account).await?;
        let school = resolve(self.school.as_deref(), &choices.schools, "学校");
        // 户籍乡镇 typed or picked by name (a code from a link works too).
        let township = resolve(self.township.as_deref(), &choices.townships, "乡镇");
        let query = LedgerQuery::from_params(
            self.ledger.as_deref(),
            self.snapshot.as_deref(),
            township.code.as_deref(),
            school.code.as_deref(),
            self.q.as_deref(),
        );
        let snapshots: Vec<(String, String)> = queries::snapshots(&state.db, account)
            .await?
            .into_iter()
            .map(|s| (s.snapshot_date.clone(), s.snapshot_date))
            .collect();
        let snapshot = query
            .snapshot
            .clone()
            .or_else(|| snapshots.first().map(|s| s.0.clone()))
            .unwrap_or_default();
        let filters = vec![
            Filter::select(
                "ledger",
                "台账",
                query.ledger.code(),
                "",
                [Ledger::SchoolAge, Ledger::Suspected, Ledger::NotInSchool]
                    .iter()
                    .map(|l| (l.code().to_string(), l.label().to_string()))
                    .collect(),
            ),
            Filter::select("snapshot", "名册日期", &snapshot, "", snapshots),
            Filter::pick("township", "户籍乡镇", &township, &choices.townships),
            Filter::pick("school", "学校", &school, &choices.schools),
            Filter::text(
                "q",
                "姓名或证件号",
                query.q.as_deref().unwrap_or_default(),
                "",
            ),
        ];
        Ok((query, filters))
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
    snapshot: String,
    rows: Vec<LedgerLine>,
    list: List,
    /// Whether the role may export full ID and phone numbers (`&unmasked=1`).
    unmasked_export: bool,
}

pub async fn ledger(Ctx { state, caller }: Ctx, Query(params): Query<LedgerParams>) -> PageResult {
    let account = caller.account()?;
    let (query, filters) = params.query(&state, account).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let size = params.paging.size();
    let (list, total) = if refused {
        (None, 0)
    } else {
        let (list, total) =
            queries::ledger_page_with_cases(&state.db, account, &query, params.paging.page(), size)
                .await?;
        (Some(list.into_inner()), total)
    };
    let which = query.ledger;
    let chrome = Chrome::new(
        &caller,
        &format!("{}台账", which.label()),
        "dropout-ledger",
        &[("控辍保学", "/dropout"), ("台账", "/dropout/ledger")],
    )?;
    let (snapshot, rows) = match list {
        Some(list) => (
            list.snapshot.map(|s| s.snapshot_date).unwrap_or_default(),
            list.items
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
        ),
        None => (String::new(), Vec::new()),
    };
    let list = List::new("/dropout/ledger", filters, &params.paging, &[], total)
        .with_export("/dropout/ledger/export");
    Ok(render(&LedgerPage {
        chrome,
        snapshot,
        rows,
        list,
        unmasked_export: account
            .role
            .permits(emis_domain::access::Permission::SeePersonalData),
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
    let (query, filters) = params.query(&state, account).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(emis_app::AppError::Refused(f.error.clone()).into());
    }
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
