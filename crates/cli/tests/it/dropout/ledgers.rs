//! The ledgers (台账): exports masked unless asked and audited, following the page's
//! filters; ledger rows and cases link to each other.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_masks_unless_asked_and_audits_unmasked() {
    let t = sqlite().await;
    imported(&t).await;
    let out = t.path("ledger.csv");
    let rows = dropout::export_ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        &out,
        false,
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert_eq!(rows, 2);
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(!text.contains(&missing_child()));
    assert!(text.contains("139****5678"));
    let before = audit_count(&t).await;
    dropout::export_ledger(
        &t.db,
        &county_scope(),
        &store::LedgerQuery::of(store::Ledger::Suspected),
        &out,
        true,
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert!(std::fs::read_to_string(&out)
        .expect("read")
        .contains(&missing_child()));
    assert_eq!(audit_count(&t).await, before + 1);
}

/// The export writes what the page lists: the same filters (township, school, search).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_export_follows_the_filters() {
    let t = sqlite().await;
    imported(&t).await;
    let out = t.path("ledger.csv");
    let export = |query: store::LedgerQuery| {
        let out = out.clone();
        let t = &t;
        async move {
            dropout::export_ledger(&t.db, &county_scope(), &query, &out, false, &Actor::cli())
                .await
                .expect("export");
            std::fs::read_to_string(&out).expect("read")
        }
    };
    let all = export(store::LedgerQuery::of(store::Ledger::SchoolAge)).await;
    assert!(all.contains("失学儿童") && all.contains("学生0"));
    let query =
        store::LedgerQuery::from_params(Some("school-age"), None, Some(LONGTAN), None, Some(" "));
    let longtan = export(query.clone()).await;
    assert!(longtan.contains("失学儿童") && !longtan.contains("学生0"));
    let (_, listed) = dropout::ledger(&t.db, &county_scope(), &query, 100)
        .await
        .expect("ledger");
    assert_eq!(listed.len(), 1);
    let by_name = export(store::LedgerQuery::from_params(
        Some("school-age"),
        None,
        None,
        None,
        Some("学生"),
    ))
    .await;
    assert!(!by_name.contains("失学儿童") && by_name.contains("学生9"));
    let by_school = export(store::LedgerQuery::from_params(
        Some("school-age"),
        None,
        None,
        Some(URBAN_PRIMARY),
        None,
    ))
    .await;
    assert!(by_school.contains("学生0") && !by_school.contains("失学儿童"));
}

/// Ledger rows link to their 一人一案, and a case links back to its child's row in the
/// ledger of the case's snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_rows_and_cases_link_to_each_other() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::StatusCode;
    let f = fixture(sqlite().await).await;
    let mut officer = Client::new(&f.app);
    officer.login("officer", PASSWORD).await;
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
