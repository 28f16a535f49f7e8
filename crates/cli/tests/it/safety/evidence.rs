//! Hazard evidence (隐患照片与佐证): files checked by content and size, stored next to the
//! database, scoped; uploads through the page forms.

use super::*;
use crate::web::{fixture, Client, Multipart};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_checked_stored_and_scoped() {
    let t = sqlite().await;
    county_with_schools(&t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let id = record(&t, "2021-05-06").await;
    let add = |file_name: &'static str, bytes: Vec<u8>| {
        let own = own.clone();
        async move {
            let upload = Upload {
                file_name,
                bytes: &bytes,
            };
            safety::add_evidence(db, &own, id, "发现", &upload, "test").await
        }
    };
    let refused = add("photo.jpg", b"MZ\x90\x00\x03".to_vec())
        .await
        .refused("not an image");
    assert!(refused.reason.contains("JPG"));
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(10 * 1024 * 1024 + 1, 0);
    let refused = add("big.jpg", big).await.refused("too big");
    assert!(refused.reason.contains("10 MB"));
    let evidence = add("../../etc/现场.png", PNG.to_vec())
        .await
        .accepted("stored");
    let (meta, bytes) = safety::evidence_file(db, &own, evidence, "test")
        .await
        .expect("read back");
    assert_eq!(bytes, PNG);
    assert_eq!(meta.mime, "image/png");
    assert_eq!(meta.file_name, "现场.png");
    let stored = t.dir.path().join("emis-files").join(&meta.stored_name);
    assert!(stored.exists());
    assert!(matches!(
        safety::evidence_file(db, &school(TOWN_JUNIOR), evidence, "test").await,
        Err(AppError::NotFound)
    ));
    // The download is a full view of the file: audited (in the list below); the refused
    // one is not.
    // Rectification with a photo stores it as 整改 evidence, in the same step.
    let repair = assignment("舒主任", "修复", "2021-05-20", "0");
    safety::assign(db, &own, id, &repair, "test")
        .await
        .accepted("assign");
    let jpg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let after = Upload {
        file_name: "after.jpg",
        bytes: &jpg,
    };
    let repaired = rectification("已修复", "2021-05-10");
    safety::rectify(db, &own, id, &repaired, Some(&after), "test")
        .await
        .accepted("rectify");
    let all = emis_storage::safety::evidence_of(db, id)
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].stage, "整改");
    assert_eq!(
        audit_actions(&t, &id.to_string()).await,
        vec![
            "hazard_record",
            "hazard_evidence",
            "hazard_evidence_view",
            "hazard_assign",
            "hazard_rectify"
        ]
    );
}

/// Photos up to 10 MB go through the page form (the route lifts the default body limit);
/// larger ones are refused next to the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_photos_upload_up_to_ten_megabytes() {
    let f = fixture(sqlite().await).await;
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let upload = |size: usize| {
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xE0];
        file.resize(size, 7);
        Multipart::new()
            .text("stage", "发现")
            .file("file", "big.jpg", "image/jpeg", &file)
    };
    let uri = format!("/safety/hazards/{}/evidence", f.own_hazard);
    let ok = school.post_multipart(&uri, upload(6 * 1024 * 1024)).await;
    assert_eq!(
        ok.status,
        StatusCode::SEE_OTHER,
        "{}",
        ok.body.chars().take(300).collect::<String>()
    );
    let too_big = school
        .post_multipart(&uri, upload(10 * 1024 * 1024 + 1))
        .await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_big.body.contains("10 MB"),
        "{}",
        too_big.body.chars().take(300).collect::<String>()
    );
    let all = emis_storage::safety::evidence_of(&f.t.db, f.own_hazard)
        .await
        .expect("list");
    assert_eq!(all.len(), 2, "the fixture's photo and the 6 MB one");
}

/// A hazard recorded from the page with its photo: a disguised file is refused next to the
/// field and nothing is recorded; a real photo is kept as the hazard's 发现 evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hazard_is_recorded_with_its_photo() {
    let f = fixture(sqlite().await).await;
    let mut school = Client::signed_in(&f.app, "xiaoxue").await;
    let form = |photo: &[u8]| {
        Multipart::new()
            .text("place", "围墙")
            .text("category", "校舍建筑")
            .text("grade", "一般")
            .text("description", "围墙墙体开裂")
            .text("found_on", "2021-10-09")
            .file("photo", "wall.png", "image/png", photo)
    };
    let count = |db: emis_storage::Db| async move {
        emis_storage::safety::hazards(
            &db,
            &Scope::County { county: county() },
            &emis_storage::safety::HazardQuery {
                q: Some("围墙墙体开裂".into()),
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .expect("hazards")
        .items
    };
    let refused = school
        .post_multipart("/safety/hazards", form(b"GIF89a"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error") && refused.body.contains("只接受"));
    assert!(count(f.t.db.clone()).await.is_empty(), "nothing recorded");
    let done = school.post_multipart("/safety/hazards", form(PNG)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let found = count(f.t.db.clone()).await;
    assert_eq!(found.len(), 1);
    let files = emis_storage::safety::evidence_of(&f.t.db, found[0].id)
        .await
        .expect("files");
    assert_eq!(files.len(), 1);
    assert_eq!(
        (files[0].stage.as_str(), files[0].file_name.as_str()),
        ("发现", "wall.png")
    );
}
