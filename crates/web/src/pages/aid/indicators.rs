//! 资助统计 export: person-times and amounts by policy, stage, township and school.

use super::{internal, term_of, xlsx_response, AidQuery};
use crate::error::PageResult;
use crate::session::Ctx;
use axum::extract::Query;
use emis_app::aid as service;

/// `/aid/breakdown.xlsx?term=`: person-times and amounts by policy, stage, township, school.
pub async fn export_breakdown(Ctx { state, caller }: Ctx, Query(q): Query<AidQuery>) -> PageResult {
    let account = caller.account()?;
    let term = term_of(q.term.as_deref())?;
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join("breakdown.xlsx");
    service::write_breakdown(&state.db, &account.scope, &[term], &path).await?;
    let bytes = tokio::fs::read(&path).await.map_err(internal)?;
    Ok(xlsx_response(
        bytes,
        "aid-breakdown.xlsx",
        "资助分类汇总.xlsx",
    ))
}
