//! 公文登记: the officers' form (文号 shape, folding and uniqueness, the date's year, the
//! file's kind), the register's filters, the records that cite a 文号 in any bracket (within
//! the reader's scope), the audited file download.

use crate::support::*;
use emis_app::documents::{self as service, DocumentFilter, DocumentForm, DocumentUpload};
use emis_app::double_reduction::institutions::{record_change, ChangeForm};

const PDF: &[u8] = b"%PDF-1.4\n%notice\n";

fn form(number: &str) -> DocumentForm {
    DocumentForm {
        number: number.into(),
        title: "《关于对校外培训机构作出停业整顿处理的通知》".into(),
        issued_on: "2021-09-01".into(),
        office: "双减工作领导小组办公室".into(),
        category: "通知".into(),
    }
}

/// A county document with a PDF attached, for the route walk (every reader sees it).
pub async fn document_record(t: &TestDb) -> i64 {
    let officer = county_officer("office");
    let file = DocumentUpload {
        file_name: "通知.pdf",
        bytes: PDF,
    };
    service::record(
        &t.db,
        &officer,
        &form("溆教发〔2021〕88号"),
        Some(file),
        today(),
        "test",
    )
    .await
    .accepted("document")
}

async fn register_cite_and_download(t: &TestDb) {
    county_with_schools(t).await;
    let (own, other) = crate::double_reduction::institution_records(t).await;
    let officer = county_officer("office");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    // Two status changes name the number in other brackets.
    for (id, number) in [(own, "溆教发[2021]45号"), (other, "依据溆教发（2021）45号")] {
        let change = ChangeForm {
            status: "停业整顿".into(),
            happened_on: "2021-09-02".into(),
            document: number.into(),
            note: String::new(),
        };
        record_change(&t.db, &officer, id, &change, day, "test")
            .await
            .accepted("status change");
    }
    let pdf = || {
        Some(DocumentUpload {
            file_name: "C:\\公文\\通知.pdf",
            bytes: PDF,
        })
    };
    assert!(matches!(
        service::record(
            &t.db,
            &school_admin(URBAN_PRIMARY),
            &form("溆教发〔2021〕45号"),
            None,
            day,
            "test"
        )
        .await,
        Err(emis_app::AppError::Forbidden)
    ));
    for (bad, field) in [
        (form("2021年45号"), "number"),
        (form("溆教发〔2021〕45"), "number"),
        (
            DocumentForm {
                issued_on: "2020-12-30".into(),
                ..form("溆教发〔2021〕45号")
            },
            "issued_on",
        ),
        (
            DocumentForm {
                issued_on: "2022-01-05".into(),
                ..form("溆教发〔2022〕1号")
            },
            "issued_on",
        ),
        (
            DocumentForm {
                category: "公告".into(),
                ..form("溆教发〔2021〕45号")
            },
            "category",
        ),
        (
            DocumentForm {
                title: " ".into(),
                ..form("溆教发〔2021〕45号")
            },
            "title",
        ),
    ] {
        assert_eq!(
            service::record(&t.db, &officer, &bad, None, day, "test")
                .await
                .refused(field)
                .field,
            field
        );
    }
    let exe = Some(DocumentUpload {
        file_name: "a.exe",
        bytes: b"MZ\x90\x00",
    });
    let refused = service::record(
        &t.db,
        &officer,
        &form("溆教发〔2021〕45号"),
        exe,
        day,
        "test",
    )
    .await
    .refused("exe");
    assert_eq!(refused.field, "file");
    assert!(refused.reason.contains("PDF"), "{}", refused.reason);

    let id = service::record(
        &t.db,
        &officer,
        &form("溆教发［２０２１］４５号"),
        pdf(),
        day,
        "test",
    )
    .await
    .accepted("registered");
    let again = service::record(
        &t.db,
        &officer,
        &form("溆教发【2021】45号"),
        None,
        day,
        "test",
    )
    .await
    .refused("twice");
    assert_eq!(again.field, "number");
    assert!(again.reason.contains("已登记"), "{}", again.reason);
    let plan = DocumentForm {
        number: "溆教发〔2019〕16号".into(),
        title: "溆浦县教育局加强学校思想政治课建设的实施方案（2019-2021年）".into(),
        issued_on: "2019-03-28".into(),
        office: "基础教育股".into(),
        category: "方案".into(),
    };
    service::record(&t.db, &officer, &plan, None, day, "test")
        .await
        .accepted("plan");

    // The register by year, category and office.
    let count = |filter: DocumentFilter| {
        let officer = officer.clone();
        async move {
            service::register(&t.db, &officer, &filter)
                .await
                .expect("register")
                .rows
                .len()
        }
    };
    assert_eq!(count(DocumentFilter::default()).await, 2);
    let year = |y| DocumentFilter {
        year: Some(y),
        ..DocumentFilter::default()
    };
    assert_eq!(count(year(2021)).await, 1);
    assert_eq!(count(year(2018)).await, 0);
    let plans = DocumentFilter {
        category: Some("方案".into()),
        ..DocumentFilter::default()
    };
    assert_eq!(count(plans).await, 1);
    let office = DocumentFilter {
        office: Some("基础教育股".into()),
        ..DocumentFilter::default()
    };
    assert_eq!(count(office).await, 1);

    // The document page: its one spelling, and both status changes that cite it.
    let d = service::detail(&t.db, &officer, id).await.expect("detail");
    assert_eq!(d.document.number, "溆教发〔2021〕45号");
    assert_eq!(d.document.title, "关于对校外培训机构作出停业整顿处理的通知");
    assert_eq!(d.citations[0].kind, "校外培训机构状态变更");
    assert_eq!(d.citations[0].records.len(), 2);
    // 龙潭镇 reads the citation of its own institution only.
    let theirs = service::detail(&t.db, &longtan_office(), id)
        .await
        .expect("detail");
    assert_eq!(theirs.citations[0].records.len(), 1);
    assert_eq!(theirs.citations[0].records[0].record_id, other);
    assert!(matches!(
        service::detail(&t.db, &officer, id + 1000).await,
        Err(emis_app::AppError::NotFound)
    ));

    // The file comes back as it went in, the view audited.
    let (doc, bytes) = service::file(&t.db, &officer, id, "test")
        .await
        .expect("file");
    assert_eq!(bytes, PDF);
    assert_eq!(doc.file_name.as_deref(), Some("通知.pdf"));
    assert_eq!(doc.file_mime.as_deref(), Some("application/pdf"));
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "document" && a.action == "create"));
    assert!(audit
        .iter()
        .any(|a| a.entity == "document" && a.action == "document_file_view"));
}
crate::on_both_engines!(register, super::register_cite_and_download);

/// Work issued under a document: a campaign, a year's assessment scheme and an aid policy
/// carry its 文号 (any bracket, folded to one spelling; a malformed one refused on its
/// field), link to it when it is registered, and the document's page lists them.
async fn work_issued_under_a_document(t: &TestDb) {
    use emis_app::safety::campaigns;
    use emis_app::supervision::assessment;
    use emis_domain::safety::Area;
    county_with_schools(t).await;
    let officer = county_officer("dudao");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let plan = DocumentForm {
        number: "溆教发〔2021〕41号".into(),
        title: "中小学绩效目标管理评估方案".into(),
        issued_on: "2021-11-08".into(),
        office: "督导室".into(),
        category: "方案".into(),
    };
    let id = service::record(&t.db, &officer, &plan, None, day, "test")
        .await
        .accepted("plan");

    let visit = |document: &str| emis_app::safety::LaunchForm {
        document: document.into(),
        ..campaign_form("2021年秋季学期责任督学挂牌督导", "2021-11-08", "")
    };
    let refused = campaigns::launch(&t.db, &officer, Area::Supervision, &visit("41号"), "t")
        .await
        .refused("a malformed 文号");
    assert_eq!(refused.field, "document");
    campaigns::launch(
        &t.db,
        &officer,
        Area::Supervision,
        &visit("溆教发[2021]41号"),
        "t",
    )
    .await
    .accepted("visit");
    // A 双减 campaign under a document the county has not registered.
    campaigns::launch(
        &t.db,
        &officer,
        Area::DoubleReduction,
        &visit("溆教发〔2021〕35号"),
        "t",
    )
    .await
    .accepted("supervision");

    let scheme = assessment::SchemeForm {
        year: "2021".into(),
        items: assessment::scheme(&t.db, &officer, 2021)
            .await
            .expect("default")
            .text,
        document: "溆教发（2021）41号".into(),
    };
    assessment::save_scheme(&t.db, &officer, &scheme, day, "t")
        .await
        .accepted("scheme");
    let mut policy = emis_domain::aid::PolicyForm::of(&emis_domain::aid::catalog_2021()[0]);
    policy.document = "溆教发〔2021〕41号".into();
    emis_app::aid::save_policy(&t.db, &officer.scope, 2022, &policy, &officer.actor("t"))
        .await
        .expect("policy");

    // Each record links to the registered document; the unregistered one says so.
    let linked = assessment::scheme(&t.db, &officer, 2021)
        .await
        .expect("scheme")
        .document
        .expect("a 文号");
    assert_eq!(
        (linked.number.as_str(), linked.id),
        ("溆教发〔2021〕41号", Some(id))
    );
    let visits = campaigns::picture(&t.db, &officer, Area::Supervision, 2021, day)
        .await
        .expect("visits");
    assert_eq!(
        visits.campaigns[0].document.as_ref().and_then(|d| d.id),
        Some(id)
    );
    let double = campaigns::picture(&t.db, &officer, Area::DoubleReduction, 2021, day)
        .await
        .expect("double");
    let unregistered = double.campaigns[0].document.clone().expect("a 文号");
    assert_eq!(
        (unregistered.number.as_str(), unregistered.id),
        ("溆教发〔2021〕35号", None)
    );

    let d = service::detail(&t.db, &officer, id).await.expect("detail");
    let cited = |kind: &str| {
        d.citations
            .iter()
            .find(|g| g.kind == kind)
            .map_or(0, |g| g.records.len())
    };
    assert_eq!(cited("督导检查"), 1);
    assert_eq!(cited("专项督查"), 0);
    assert_eq!(cited("绩效目标管理评估方案"), 1);
    assert_eq!(cited("资助政策"), 1);
    let scheme_row = &d
        .citations
        .iter()
        .find(|g| g.kind == "绩效目标管理评估方案")
        .expect("schemes")
        .records[0];
    assert_eq!(scheme_row.record_id, 2021);
}
crate::on_both_engines!(issued_under, super::work_issued_under_a_document);

/// The browser's round trips of the three registers: a document with a Word file uploaded
/// through the form (a refused 文号 shown beside its field), its page and download; an
/// incident recorded and followed up from its page; a programme and its intake; and the
/// school page's 曾用名 after a rename.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registers_in_the_browser() {
    use crate::web::{fixture, Client, Multipart};
    use axum::http::{Method, StatusCode};
    let f = fixture(sqlite().await).await;
    let mut c = Client::signed_in(&f.app, "officer").await;
    let docx = b"PK\x03\x04\x14\x00\x00\x00word/document.xml....";
    let upload = |number: &str| {
        Multipart::new()
            .text("number", number)
            .text("title", "溆浦县中小学生课后服务方案")
            .text("issued_on", "2021-08-26")
            .text("office", "基础教育股")
            .text("category", "方案")
            .file(
                "file",
                "课后服务方案.docx",
                "application/octet-stream",
                docx,
            )
            .body()
    };
    let uri = format!("/documents?_csrf={}", c.csrf);
    let refused = c
        .send(
            Method::POST,
            &uri,
            Some(Multipart::CONTENT_TYPE),
            upload("课后服务方案"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("文号“课后服务方案”格式不对"));
    let done = c
        .send(
            Method::POST,
            &uri,
            Some(Multipart::CONTENT_TYPE),
            upload("溆教发[2021]31号"),
        )
        .await
        .with_status(StatusCode::SEE_OTHER);
    let page = c.get(&done.location).await.with_status(StatusCode::OK);
    assert!(page.body.contains("溆教发〔2021〕31号"));
    assert!(page.body.contains("校外培训机构状态变更 0 条"));
    let file = c.get(&format!("{}/file", done.location)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, docx);
    let register = c
        .get("/documents?year=2019")
        .await
        .with_status(StatusCode::OK);
    assert!(register.body.contains("暂无数据"));

    // An incident from the form, then its steps on its page.
    let school_admin = &mut Client::signed_in(&f.app, "xiaoxue").await;
    let recorded = school_admin
        .post_fields(
            "/incidents",
            &[
                ("school", URBAN_PRIMARY),
                ("happened_on", "2021-10-16"),
                ("category", "交通"),
                ("in_school", "否"),
                ("deaths", "0"),
                ("injuries", "1"),
                ("account", "周末骑车擦伤"),
            ],
        )
        .await
        .with_status(StatusCode::SEE_OTHER);
    let page = school_admin
        .get(&recorded.location)
        .await
        .with_status(StatusCode::OK);
    assert!(page.body.contains("处理中") && !page.body.contains("<option>结案</option>"));
    let step = format!("{}/steps", recorded.location);
    let refused = school_admin
        .post_fields(&step, &[("kind", "处置"), ("happened_on", "2021-10-15")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("早于事故发生日期"));
    c.post_fields(&step, &[("kind", "结案"), ("happened_on", "2021-11-05")])
        .await
        .with_status(StatusCode::SEE_OTHER);
    let page = c.get(&recorded.location).await;
    assert!(page.body.contains("2021-11-05 已结案"));
    let register = c
        .get("/incidents?year=2021")
        .await
        .with_status(StatusCode::OK);
    assert!(register.body.contains("未发生校内安全责任事故"));

    // 职业教育 and the school's former name.
    crate::vocational::add_vocational_school(&f.t).await;
    c.post_fields(
        "/vocational/programmes",
        &[
            ("school", crate::vocational::VOCATIONAL),
            ("name", "电子商务"),
            ("schooling", "五年制大专"),
            ("partner", "湖南商贸职业技术学院"),
            ("agreement", "五年制大专人才培养合作协议书"),
            ("signed_on", "2021-05-28"),
            ("years", "5"),
        ],
    )
    .await
    .with_status(StatusCode::SEE_OTHER);
    let page = c.get("/vocational").await.with_status(StatusCode::OK);
    assert!(page.body.contains("湖南商贸职业技术学院"));
    let renamed = f.t.write(
        "renamed.csv",
        format!(
            "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
             {},溆浦楚怡职业学校,中等职业学校,卢峰镇,城区,公办,是\n",
            crate::vocational::VOCATIONAL
        ),
    );
    import_committed(
        &f.t,
        emis_app::imports::ImportKind::Schools,
        &renamed,
        &autumn_2021(),
    )
    .await;
    let school = c
        .get(&format!("/schools/{}", crate::vocational::VOCATIONAL))
        .await
        .with_status(StatusCode::OK);
    assert!(school.body.contains("曾用名"));
    assert!(school.body.contains("溆浦县职业中等专业学校"));
}
