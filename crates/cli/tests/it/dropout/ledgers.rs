//! The ledgers (台账): exports masked unless asked and audited, following the page's
//! filters; ledger rows and cases link to each other.

use super::*;
use crate::web::{fixture, Client};
use axum::http::StatusCode;

/// The county's ledger exported as `ledger.csv`: the rows written and the file's text.
async fn export(t: &TestDb, query: &store::LedgerQuery, unmasked: bool) -> (usize, String) {
    let out = t.path("ledger.csv");
    let scope = county_scope();
    let rows = dropout::export_ledger(&t.db, &scope, query, &out, unmasked, &Actor::cli())
        .await
        .expect("export");
    (rows, std::fs::read_to_string(&out).expect("read"))
}

/// The school-age ledger with the page's filters: township, school and search.
fn school_age(township: Option<&str>, school: Option<&str>, q: Option<&str>) -> store::LedgerQuery {
    store::LedgerQuery::from_params(Some("school-age"), None, township, school, q)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_masks_unless_asked_and_audits_unmasked() {
    let t = sqlite().await;
    imported(&t).await;
    let query = store::LedgerQuery::of(store::Ledger::Suspected);
    let (rows, text) = export(&t, &query, false).await;
    assert_eq!(rows, 2);
    assert!(!text.contains(&missing_child()));
    assert!(text.contains("139****5678"));
    let before = audit_count(&t).await;
    let (_, text) = export(&t, &query, true).await;
    assert!(text.contains(&missing_child()));
    assert_eq!(audit_count(&t).await, before + 1);
}

/// The export writes what the page lists: the same filters (township, school, search).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_follows_the_filters() {
    let t = sqlite().await;
    imported(&t).await;
    let text = |query: store::LedgerQuery| {
        let t = &t;
        async move { export(t, &query, false).await.1 }
    };
    let all = text(store::LedgerQuery::of(store::Ledger::SchoolAge)).await;
    assert!(all.contains("失学儿童") && all.contains("学生0"));
    let query = school_age(Some(LONGTAN), None, Some(" "));
    let longtan = text(query.clone()).await;
    assert!(longtan.contains("失学儿童") && !longtan.contains("学生0"));
    assert_eq!(suspected(&t, query).await.len(), 1);
    let by_name = text(school_age(None, None, Some("学生"))).await;
    assert!(!by_name.contains("失学儿童") && by_name.contains("学生9"));
    let by_school = text(school_age(None, Some(URBAN_PRIMARY), None)).await;
    assert!(by_school.contains("学生0") && !by_school.contains("失学儿童"));
}

/// Ledger rows link to their 一人一案, and a case links back to its child's row in the
/// ledger of the case's snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_rows_and_cases_link_to_each_other() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let case_href = format!("/dropout/cases/{}\"", f.other_case);
    let suspected = officer.get("/dropout/ledger?ledger=suspected").await;
    assert_eq!(suspected.status, StatusCode::OK);
    assert!(suspected.body.contains(&case_href), "{}", suspected.body);
    // every suspected child has a case, so every row links to one
    let rows = suspected.body.matches("<tr><td>").count();
    assert!(rows > 0);
    assert_eq!(suspected.body.matches("class=\"case-link\"").count(), rows);
    // children in school have no case
    let in_school = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&school={URBAN_PRIMARY}"
        ))
        .await;
    assert!(in_school.body.matches("<tr><td>").count() > 0);
    assert!(!in_school.body.contains("class=\"case-link\""));

    let case_page = officer
        .get(&format!("/dropout/cases/{}", f.other_case))
        .await;
    let ledger_href = case_page
        .body
        .split("id=\"case-ledger-link\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the ledger")
        .replace("&#38;", "&");
    assert!(
        ledger_href.starts_with("/dropout/ledger?ledger=school-age&snapshot=2021-09-15&"),
        "{ledger_href}"
    );
    let ledger = officer.get(&ledger_href).await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert_eq!(
        ledger.body.matches("<tr><td>").count(),
        1,
        "{}",
        ledger.body
    );
    assert!(ledger.body.contains(&case_href), "{}", ledger.body);
}
