//! Case evidence files (佐证材料): type-checked, stored next to the database, downloaded
//! under their name from the pages (audited, 404 outside the scope).

use super::*;
use crate::web::{fixture, Client};
use axum::http::{header, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_files_are_type_checked_and_stored_next_to_the_database() {
    let t = sqlite().await;
    let (missing, _) = imported(&t).await;
    let attach = |who: Account, name: &'static str, bytes: Vec<u8>| {
        let db = &t.db;
        async move { dropout::attach(db, &who, missing, name, &bytes, "test").await }
    };
    let refused = attach(officer(), "note.txt", b"hello".to_vec())
        .await
        .refused("not an image or pdf");
    assert_eq!(refused.field, "file");
    let too_big = vec![0xFFu8; emis_domain::files::MAX_FILE_BYTES + 1];
    let refused = attach(officer(), "big.jpg", too_big)
        .await
        .refused("too big");
    assert!(refused.reason.contains("10 MB"));
    let pdf = b"%PDF-1.4\n%evidence\n";
    attach(officer(), "复学登记表.pdf", pdf.to_vec())
        .await
        .accepted("stored");
    let view = dropout::case(&t.db, &county_scope(), missing, as_of())
        .await
        .expect("case");
    assert_eq!(view.attachments.len(), 1);
    let a = &view.attachments[0];
    assert_eq!(a.mime, "application/pdf");
    assert_eq!(a.file_name, "复学登记表.pdf");
    let stored = emis_app::attachments::Attachments::of(&t.db)
        .path(&a.stored_path)
        .expect("a key inside the data directory");
    assert!(stored.starts_with(t.dir.path()));
    assert_eq!(std::fs::read(&stored).expect("file"), pdf);
    // Another township's office cannot attach to the case.
    let err = attach(township(LUFENG), "x.pdf", pdf.to_vec()).await;
    assert!(matches!(err, Err(emis_app::AppError::NotFound)));
}

/// On the pages: the export link carries the page's filters, and evidence files download
/// under their name (audited, 404 outside the scope).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_export_with_filters_and_download_evidence() {
    let f = fixture(sqlite().await).await;
    let mut officer = Client::signed_in(&f.app, "officer").await;
    let page = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&township={LONGTAN}&q=%E5%A4%B1%E5%AD%A6"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // The 户籍乡镇 is a picker by name: the code from a link shows as the name, and the
    // export link carries the name.
    let longtan = crate::web::enc("龙潭镇");
    assert!(page.body.contains("<datalist id=\"dl-township\">"));
    assert!(page.body.contains("id=\"f-township\" value=\"龙潭镇\""));
    assert!(
        page.body.contains(&format!(
            "/dropout/ledger/export?ledger=school-age&#38;snapshot=2021-09-15&#38;township={longtan}&#38;q=%E5%A4%B1%E5%AD%A6"
        )),
        "{}",
        page.body
    );
    let by_name = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&township={longtan}&q=%E5%A4%B1%E5%AD%A6"
        ))
        .await;
    let rows = |body: &str| body.matches("<tr><td>").count();
    assert_eq!(rows(&by_name.body), rows(&page.body));
    assert!(rows(&page.body) > 0);
    let unknown = officer
        .get(&format!(
            "/dropout/ledger?ledger=school-age&township={}",
            crate::web::enc("没有这个乡镇")
        ))
        .await;
    assert!(unknown.body.contains("id=\"error-township\""));
    assert_eq!(rows(&unknown.body), 0);
    let export = officer
        .get(&format!(
            "/dropout/ledger/export?ledger=school-age&township={LONGTAN}"
        ))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    // 送教上门 per term: the fixture's one plan, autumn 2021.
    let plans = officer.get("/dropout/home-teaching?term=2021-autumn").await;
    let per_term = plans
        .body
        .split("id=\"per-term\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("per-term line");
    assert!(
        per_term.contains("秋季") && per_term.contains(" 1 人"),
        "{per_term}"
    );

    let href = format!(
        "/dropout/cases/{}/attachments/{}",
        f.other_case, f.other_attachment
    );
    let case_page = officer
        .get(&format!("/dropout/cases/{}", f.other_case))
        .await;
    assert!(case_page.body.contains(&href), "{}", case_page.body);
    let before = audit_count(&f.t).await;
    let file = officer.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = file.disposition();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("UTF-8''%E5%A4%8D%E5%AD%A6%E8%AF%81%E6%98%8E.pdf"),
        "{disposition}"
    );
    assert!(file.body.starts_with("%PDF-"));
    assert_eq!(audit_count(&f.t).await, before + 1);
    // The urban school's accounts do not see the case: not found (a 班主任 is refused
    // dropout records altogether), nothing audited.
    for (user, status) in [
        ("xiaoxue", StatusCode::NOT_FOUND),
        ("banzhuren", StatusCode::FORBIDDEN),
    ] {
        let mut other = Client::signed_in(&f.app, user).await;
        let before = audit_count(&f.t).await;
        assert_eq!(other.get(&href).await.status, status, "{user}");
        assert_eq!(audit_count(&f.t).await, before);
    }
    // Another case's id with this file's id: not found either.
    let wrong = format!(
        "/dropout/cases/{}/attachments/{}",
        f.other_case + 1000,
        f.other_attachment
    );
    assert_eq!(officer.get(&wrong).await.status, StatusCode::NOT_FOUND);
}
