//! Hazard evidence (隐患照片与佐证): files checked by content and size, stored next to the
//! database, scoped; uploads through the page forms.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_checked_stored_and_scoped() {
    let t = sqlite().await;
    county_with_schools(&t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let id = safety::record_hazard(
        db,
        &own,
        &hazard_form("2021-05-06"),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("record")
    .expect("valid");
    let exe = Upload {
        file_name: "photo.jpg",
        bytes: b"MZ\x90\x00\x03",
    };
    let refused = safety::add_evidence(db, &own, id, "发现", &exe, "test")
        .await
        .field_refusal()
        .expect("call");
    assert!(refused.expect_err("not an image").reason.contains("JPG"));
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(10 * 1024 * 1024 + 1, 0);
    let too_big = Upload {
        file_name: "big.jpg",
        bytes: &big,
    };
    let refused = safety::add_evidence(db, &own, id, "发现", &too_big, "test")
        .await
        .field_refusal()
        .expect("call");
    assert!(refused.expect_err("too big").reason.contains("10 MB"));
    let photo = Upload {
        file_name: "../../etc/现场.png",
        bytes: PNG,
    };
    let evidence = safety::add_evidence(db, &own, id, "发现", &photo, "test")
        .await
        .field_refusal()
        .expect("call")
        .expect("stored");
    let (meta, bytes) = safety::evidence_file(db, &own, evidence)
        .await
        .expect("read back");
    assert_eq!(bytes, PNG);
    assert_eq!(meta.mime, "image/png");
    assert_eq!(meta.file_name, "现场.png");
    assert!(t
        .dir
        .path()
        .join("emis-files")
        .join(&meta.stored_name)
        .exists());
    assert!(matches!(
        safety::evidence_file(db, &school(TOWN_JUNIOR), evidence).await,
        Err(AppError::NotFound)
    ));
    // Rectification with a photo stores it as 整改 evidence, in the same step.
    safety::assign(
        db,
        &own,
        id,
        &AssignForm {
            responsible: "舒主任".into(),
            measures: "修复".into(),
            deadline: "2021-05-20".into(),
            budget: "0".into(),
        },
        "test",
    )
    .await
    .field_refusal()
    .expect("assign")
    .expect("valid");
    let jpg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    safety::rectify(
        db,
        &own,
        id,
        &RectifyForm {
            result: "已修复".into(),
            rectified_on: "2021-05-10".into(),
        },
        Some(&Upload {
            file_name: "after.jpg",
            bytes: &jpg,
        }),
        "test",
    )
    .await
    .field_refusal()
    .expect("rectify")
    .expect("valid");
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
            "hazard_assign",
            "hazard_rectify"
        ]
    );
}

/// Photos up to 10 MB go through the page form (the route lifts the default body limit);
/// larger ones are refused next to the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_photos_upload_up_to_ten_megabytes() {
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let boundary = "BoUnDaRy";
    let upload = |size: usize| {
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xE0];
        file.resize(size, 7);
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"stage\"\r\n\r\n发现\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
        body.extend_from_slice(&file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let uri = format!("/safety/hazards/{}/evidence", f.own_hazard);
    let ok = school
        .send(
            Method::POST,
            &uri,
            Some(ct.as_str()),
            upload(6 * 1024 * 1024),
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::SEE_OTHER,
        "{}",
        ok.body.chars().take(300).collect::<String>()
    );
    let too_big = school
        .send(
            Method::POST,
            &uri,
            Some(ct.as_str()),
            upload(10 * 1024 * 1024 + 1),
        )
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
    use crate::web::{fixture, Client, PASSWORD};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut school = Client::new(&f.app);
    school.login("xiaoxue", PASSWORD).await;
    let boundary = "HazardB0undary";
    let form = |photo: &[u8]| {
        let mut body = Vec::new();
        for (k, v) in [
            ("place", "围墙"),
            ("category", "校舍建筑"),
            ("grade", "一般"),
            ("description", "围墙墙体开裂"),
            ("found_on", "2021-10-09"),
        ] {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"wall.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend_from_slice(photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
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
        .send(
            Method::POST,
            "/safety/hazards",
            Some(ct.as_str()),
            form(b"GIF89a"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("field-error") && refused.body.contains("只接受"));
    assert!(count(f.t.db.clone()).await.is_empty(), "nothing recorded");
    let done = school
        .send(
            Method::POST,
            "/safety/hazards",
            Some(ct.as_str()),
            form(PNG),
        )
        .await;
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
