//! 年度工作总结: drafted by section by its office from the default template, refused by line
//! and column, submitted, sent back, published with its figures frozen (later records do
//! not change it; the change is shown against the live figures), audited; written as docx,
//! html and markdown from the records, a module without records marked 未录入. The demo
//! county's summary (called from the demo test, which loads the demo once) gives the
//! seed's figures in the seed's units, and LibreOffice opens its docx.

use crate::support::*;
use emis_app::summary::{self as service, RETURNED, SUBMITTED};
use emis_app::AppError;
use emis_domain::access::{Role, Scope};
use std::io::Read;
use std::time::Instant;

fn leader() -> emis_app::auth::Account {
    account_of(
        "juzhang",
        Role::Leader,
        Scope::County {
            county: "431224".into(),
        },
    )
}

fn issued() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("date")
}

/// The text a reader sees in a docx's body: runs joined, a line per paragraph.
pub fn docx_text(bytes: &[u8]) -> String {
    let xml = docx_part(bytes, "word/document.xml").replace("</w:p>", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The text of one part of a docx.
pub fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect("the part")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

async fn drafted_published_and_frozen(t: &TestDb) {
    county_with_schools(t).await;
    autumn_roll(t, &urban_rows(60, "三年级")).await;
    let db = &t.db;
    // Each officer drafts the sections of their own office; the administrator any.
    for (name, office) in [
        ("bangongshi", "办公室"),
        ("zizhu", "资助中心"),
        ("renshi", "人事股"),
    ] {
        emis_app::accounts::add_user(
            db,
            "431224",
            name,
            Role::Officer,
            "431224",
            None,
            Some(office),
            &emis_app::Actor::cli(),
        )
        .await
        .expect("officer");
    }
    let office = county_officer("bangongshi");
    let aid_office = county_officer("zizhu");
    let personnel = county_officer("renshi");
    let admin = account_of(
        "admin",
        Role::Admin,
        Scope::County {
            county: "431224".into(),
        },
    );
    let boss = leader();

    // Reading and drafting are the bureau's; a school reads nothing of it.
    assert!(matches!(
        service::view(db, &school_admin(URBAN_PRIMARY), 2021).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        service::start(db, &boss, 2021, "test").await,
        Err(AppError::Forbidden)
    ));
    let laid = service::start(db, &office, 2021, "test")
        .await
        .expect("started");
    assert!(laid > 10, "{laid} sections");
    assert!(service::start(db, &office, 2021, "test").await.is_err());
    let view = service::view(db, &office, 2021).await.expect("view");
    assert_eq!(view.sections.len(), laid);
    assert_eq!(view.pending, laid);
    assert_eq!(view.sections[0].office, "办公室");
    let aid = view
        .sections
        .iter()
        .find(|s| s.office == "资助中心")
        .expect("the aid office's section")
        .clone();
    assert_eq!(aid.level, 3);

    // Only the aid office drafts the aid section: another office, and an officer without
    // one, are refused in Chinese; the leader reviews, not drafts.
    assert!(!aid.editable, "办公室 does not edit 资助中心's section");
    let theirs = service::view(db, &aid_office, 2021).await.expect("view");
    assert_eq!(theirs.office.as_deref(), Some("资助中心"));
    let editable: Vec<&str> = theirs
        .sections
        .iter()
        .filter(|s| s.editable)
        .map(|s| s.office.as_str())
        .collect();
    assert!(
        !editable.is_empty() && editable.iter().all(|o| *o == "资助中心"),
        "{editable:?}"
    );
    let refused = service::save_section(db, &personnel, aid.id, &aid.source, false, "test")
        .await
        .refused("another office");
    assert_eq!(refused.field, "text");
    assert_eq!(
        refused.reason,
        "本节由资助中心起草，只有资助中心的股室账号和系统管理员可以修改；您的账号属于人事"
    );
    let nobody = county_officer("weishezhi");
    let refused = service::save_section(db, &nobody, aid.id, &aid.source, false, "test")
        .await
        .refused("no office");
    assert!(
        refused.reason.contains("您的账号未设置股室"),
        "{}",
        refused.reason
    );
    assert!(matches!(
        service::save_section(db, &boss, aid.id, &aid.source, false, "test").await,
        Err(AppError::Forbidden)
    ));
    let office = aid_office;

    // A bad placeholder is refused by line and column, and nothing is written.
    let bad = format!(
        "{}\n全年资助{{aid.persons}}人次",
        aid.source.lines().next().expect("heading")
    );
    let refused = service::save_section(db, &office, aid.id, &bad, false, "test")
        .await
        .refused("unknown code");
    assert_eq!(refused.field, "text");
    assert!(
        refused
            .reason
            .contains("第2行第5列：未知指标代码“aid.persons”"),
        "{}",
        refused.reason
    );
    let moved = aid.source.replace("@资助中心", "@人事");
    let refused = service::save_section(db, &office, aid.id, &moved, false, "test")
        .await
        .refused("another office");
    assert!(
        refused.reason.contains("本节由资助中心起草"),
        "{}",
        refused.reason
    );
    let still = service::view(db, &office, 2021).await.expect("view");
    assert_eq!(
        still
            .sections
            .iter()
            .find(|s| s.id == aid.id)
            .expect("aid")
            .source,
        aid.source
    );

    // The aid office rewrites its sentence; publishing waits for every section.
    let heading = aid.source.lines().next().expect("heading");
    let mine = format!(
        "{heading}\n全年共资助学生{{aid.person_times}}人次、资助资金共计{{aid.amount|万元}}万元。"
    );
    service::save_section(db, &office, aid.id, &mine, true, "test")
        .await
        .expect("submitted");
    let refused = service::publish(db, &boss, 2021, issued(), "test")
        .await
        .refused("sections pending");
    assert!(
        refused.reason.contains("以下章节尚未提交"),
        "{}",
        refused.reason
    );
    assert!(matches!(
        service::publish(db, &office, 2021, issued(), "test").await,
        Err(AppError::Forbidden)
    ));
    // A submitted section is the leader's to send back, not the office's to change.
    assert!(matches!(
        service::save_section(db, &office, aid.id, &mine, false, "test").await,
        Err(AppError::Conflict(_))
    ));
    service::send_back(db, &boss, aid.id, "请补充送教上门情况", "test")
        .await
        .expect("sent back");
    let view = service::view(db, &office, 2021).await.expect("view");
    let returned = view.sections.iter().find(|s| s.id == aid.id).expect("aid");
    assert_eq!(returned.status, RETURNED);
    assert_eq!(returned.note.as_deref(), Some("请补充送教上门情况"));
    for section in &view.sections {
        service::save_section(db, &admin, section.id, &section.source, true, "test")
            .await
            .expect("submitted");
    }
    let view = service::view(db, &office, 2021).await.expect("view");
    assert_eq!(view.pending, 0);
    assert!(view.sections.iter().all(|s| s.status == SUBMITTED));
    let version = service::publish(db, &boss, 2021, issued(), "test")
        .await
        .expect("published");
    assert_eq!(version, 1);

    // What was published: the records' figures, 未录入 for a module without records.
    let published = service::published(db, &boss, 2021, None)
        .await
        .expect("published");
    assert_eq!(published.version.issued_on, "2022-01-10");
    let html = emis_domain::summary::to_html_body(&published.document, true);
    assert!(
        html.contains(
            "学籍在册学生<a class=\"fig\" data-code=\"students.enrolled\" href=\"/students\""
        ),
        "{html}"
    );
    assert!(html.contains(">60人</a>"));
    assert!(html.contains(
        "href=\"/classes?term=2021-autumn&amp;min=56\" title=\"义务教育大班额数（秋季）（classes.large.compulsory.autumn）\">1个</a>"
    ));
    assert!(html.contains("【未录入：资助学生人次】"));
    assert!(published.changes.is_empty());

    // Ten more pupils later: the published text keeps 60, and the change is listed.
    autumn_roll(t, &urban_rows(70, "三年级")).await;
    let later = service::published(db, &boss, 2021, Some(1))
        .await
        .expect("published");
    let text = emis_domain::summary::to_markdown(&later.document);
    assert!(text.contains("学籍在册学生60人"), "{text}");
    let change = later
        .changes
        .iter()
        .find(|c| c.code == "students.enrolled")
        .expect("the roll changed");
    assert_eq!(
        (change.published.as_str(), change.live.as_str()),
        ("60人", "70人")
    );
    // The class stays one large class: only the roll's figure changed.
    let codes: Vec<&str> = later.changes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["students.enrolled"]);
    let live = service::document(db, "431224", 2021, issued())
        .await
        .expect("live");
    assert!(emis_domain::summary::to_markdown(&live).contains("学籍在册学生70人"));

    // Every step is in the audit log.
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, entity FROM audit_log WHERE entity LIKE 'summary%' ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .expect("audit");
    for (action, entity) in [
        ("start", "summary"),
        ("submit", "summary_section"),
        ("return", "summary_section"),
        ("publish", "summary"),
    ] {
        assert!(
            actions.iter().any(|(a, e)| a == action && e == entity),
            "{action} {entity}: {actions:?}"
        );
    }

    // The same document as docx: the figures are in document.xml.
    let bytes = emis_app::report::annual_report(
        db,
        "431224",
        2021,
        emis_app::report::ReportFormat::Docx,
        issued(),
    )
    .await
    .expect("docx");
    let xml = docx_text(&bytes);
    assert!(xml.contains("学籍在册学生70人"));
    assert!(xml.contains("【未录入：资助学生人次】"));
}

crate::on_both_engines!(workflow, super::drafted_published_and_frozen);

/// Called by the demo test on the demo county: the 2021 summary through the command line,
/// in the seed's units, timed; LibreOffice reads the docx when it is installed.
pub fn demo_summary(db: &str, dir: &std::path::Path) {
    use crate::cli::emis;
    let docx = dir.join("summary.docx");
    let html = dir.join("summary.html");
    let started = Instant::now();
    let docx_arg = docx.display().to_string();
    let out = emis(
        db,
        &[
            "report", "annual", "--year", "2021", "--format", "docx", "-o", &docx_arg,
        ],
    );
    let docx_time = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started = Instant::now();
    let html_arg = html.display().to_string();
    let out = emis(
        db,
        &[
            "report", "annual", "--year", "2021", "--format", "html", "-o", &html_arg,
        ],
    );
    let html_time = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("demo 2021 summary: docx {docx_time:?}, html {html_time:?} (debug build, process start included)");

    let bytes = std::fs::read(&docx).expect("docx");
    let xml = docx_text(&bytes);
    let seed = [
        "79067人次",
        "4982.49万元",
        "3.7344亿元",
        "义务教育大班额664个（含超大班额108个）",
        "普通高中大班额68个（含超大班额3个）",
        "春季学期送教265人，秋季学期送教256人",
        "共补充教师682人",
        "特岗招聘142人",
        "面向社会公开招聘261人",
        "安置公费师范生267人",
        "外县调入12人",
        "选拔258名学生",
        "名师名校长工作室5个、学科工作室24个",
        "开展教师培训36122人次",
        "表彰优秀教师229人次",
        "200.00万元",
        "培养入党积极分子50人，发展预备党员62人，预备党员按期转正42人",
        "校园足球特色学校7所",
        "校园篮球特色学校2所",
        "7所学校获评",
        "关停无证培训机构1家，注销学科类培训机构12家，转型20家",
        "课后服务开展率100%，服务时间达标率100%",
        "五年制大专全年招收学生38人",
        "新增中职学位601个",
        "新增义务教育学位2500个、高中及中职学位2500个、公办学前教育学位900个",
        "教师周转宿舍524套",
        "学籍在册学生148955人",
    ];
    for figure in seed {
        assert!(xml.contains(figure), "docx lacks {figure}");
    }
    assert!(
        !xml.contains("未录入"),
        "the demo county records every module"
    );
    // Charts beside the figures they draw: native chart parts holding the same values.
    let document = docx_part(&bytes, "word/document.xml");
    let charts: Vec<String> = (1..=3)
        .map(|n| {
            assert!(
                document.contains(&format!("r:id=\"rIdChart{n}\"")),
                "chart {n}"
            );
            docx_part(&bytes, &format!("word/charts/chart{n}.xml"))
        })
        .collect();
    assert!(charts[0].contains("2021年大班额化解情况"));
    for value in ["664", "108", "68", "3"] {
        assert!(
            charts[0].contains(&format!("<c:v>{value}</c:v>")),
            "classes chart lacks {value}"
        );
    }
    assert!(charts[1].contains("2021年控辍保学情况"));
    for value in ["265", "256"] {
        assert!(
            charts[1].contains(&format!("<c:v>{value}</c:v>")),
            "dropout chart lacks {value}"
        );
    }
    assert!(charts[2].contains("2021年安全隐患排查整改情况"));
    assert!(
        charts[2].contains("<c:v>2020年</c:v>"),
        "hazards against 2020"
    );
    let page = std::fs::read_to_string(&html).expect("html");
    // Year over year: the demo's 2020 (payments and hazards a year earlier) gives the
    // previous year's figure in the 口径 appendix and beside each figure of the preview.
    let previous = |code: &str| -> String {
        let row = page
            .split(&format!("<tr><td><code>{code}</code></td>"))
            .nth(1)
            .unwrap_or_else(|| panic!("no row for {code}"));
        let row = row.split("</tr>").next().unwrap_or_default();
        row.split("<td class=\"num\">")
            .nth(2)
            .and_then(|cell| cell.split("</td>").next())
            .unwrap_or_default()
            .to_string()
    };
    for (code, unit) in [
        ("aid.person_times", "人次"),
        ("aid.amount", "万元"),
        ("safety.hazards.found", "个"),
        ("safety.hazards.rectified", "个"),
        ("students.enrolled", "人"),
        ("classes.large.compulsory.spring", "个"),
        ("classes.large.compulsory.autumn", "个"),
        ("classes.large.senior.spring", "个"),
        ("dropout.home_teaching.spring", "人"),
        ("dropout.home_teaching.autumn", "人"),
        ("dropout.suspected", "人"),
        ("dropout.unresolved", "人"),
    ] {
        let before = previous(code);
        assert!(before.ends_with(unit), "{code} 2020: {before}");
    }
    // 2020's roll is 2021's spring roll carried back, thinned: a little smaller.
    let count =
        |text: String, unit: &str| -> i64 { text.trim_end_matches(unit).parse().expect("a count") };
    let roll_2020 = count(previous("students.enrolled"), "人");
    assert!(
        (120_000..148_955).contains(&roll_2020),
        "2020 roll: {roll_2020}"
    );
    let large_2020 = count(previous("classes.large.compulsory.spring"), "个");
    assert!(
        (1..=664).contains(&large_2020),
        "2020 large classes: {large_2020}"
    );
    // 2020's comparison turned up more children, and left some cases open: the control
    // work improved (2021: 54 suspected, none open).
    let suspected_2020 = count(previous("dropout.suspected"), "人");
    let unresolved_2020 = count(previous("dropout.unresolved"), "人");
    assert!(
        (55..=80).contains(&suspected_2020),
        "2020 suspected: {suspected_2020}"
    );
    assert!(
        (1..suspected_2020).contains(&unresolved_2020),
        "2020 unresolved: {unresolved_2020}"
    );
    let home_2020 = [
        count(previous("dropout.home_teaching.spring"), "人"),
        count(previous("dropout.home_teaching.autumn"), "人"),
    ];
    assert!(home_2020 != [265, 256], "2020 送教上门: {home_2020:?}");
    assert!(
        charts[1].contains("<c:v>2020年</c:v>"),
        "dropout against 2020"
    );
    for value in [suspected_2020, unresolved_2020] {
        assert!(
            charts[1].contains(&format!("<c:v>{value}</c:v>")),
            "dropout chart lacks 2020's {value}"
        );
    }
    let fewer: i64 = previous("aid.person_times")
        .trim_end_matches("人次")
        .parse()
        .expect("a count");
    assert!((70_000..79_067).contains(&fewer), "2020: {fewer}人次");
    crate::cli::with_db(db, async |db| {
        let live = service::document(
            db,
            "431224",
            2021,
            chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("date"),
        )
        .await
        .expect("document");
        let preview = emis_domain::summary::to_html_compared(&live);
        assert!(
            preview.contains(&format!(
                "79067人次</a><span class=\"prev\">（2020年{fewer}人次）</span>"
            )),
            "the preview shows 2020 beside 2021"
        );
        assert!(
            preview.contains(&format!(
                "54人</a><span class=\"prev\">（2020年{suspected_2020}人）</span>"
            )),
            "the preview shows 2020's suspected children beside 2021's"
        );
    });
    assert!(page.contains("href=\"/classes?term=2021-spring&amp;min=56\""));
    assert!(page.contains(">664个</a>"));
    assert!(page.contains("附：数字口径"));

    // An office suite opens it: LibreOffice converts it to text with the figures in it.
    match std::process::Command::new("soffice")
        .arg("--version")
        .output()
    {
        Ok(o) if o.status.success() => {
            let out = std::process::Command::new("soffice")
                .args([
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "txt:Text (encoded):UTF8",
                    "--outdir",
                ])
                .arg(dir)
                .arg(&docx)
                .env("HOME", dir)
                .output()
                .expect("soffice runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = std::fs::read_to_string(dir.join("summary.txt")).expect("converted text");
            assert!(text.contains("2021年教育工作总结"), "{text}");
            for figure in ["79067人次", "4982.49万元", "3.7344亿元", "664个"] {
                assert!(text.contains(figure), "LibreOffice text lacks {figure}");
            }
            // With its charts: LibreOffice lays the document out as pdf, and reads each
            // chart as a chart object of its own (the odt holds one per chart, with the data).
            let convert = |to: &str| {
                let out = std::process::Command::new("soffice")
                    .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
                    .arg(dir)
                    .arg(&docx)
                    .env("HOME", dir)
                    .output()
                    .expect("soffice runs");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            convert("pdf");
            let pdf = std::fs::read(dir.join("summary.pdf")).expect("converted pdf");
            assert!(pdf.starts_with(b"%PDF"), "a pdf");
            let pages = String::from_utf8_lossy(&pdf)
                .replace("/Type /Page", "/Type/Page")
                .matches("/Type/Page")
                .count()
                - String::from_utf8_lossy(&pdf)
                    .replace("/Type /Pages", "/Type/Pages")
                    .matches("/Type/Pages")
                    .count();
            assert!((3..=40).contains(&pages), "{pages} pages");
            println!("LibreOffice: the summary with its charts is {pages} pages of pdf");
            convert("odt");
            let odt = std::fs::read(dir.join("summary.odt")).expect("converted odt");
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(odt)).expect("an odt");
            let objects: Vec<String> = (0..archive.len())
                .filter_map(|i| Some(archive.by_index(i).ok()?.name().ok()?.to_string()))
                .filter(|n| n.starts_with("Object") && n.ends_with("/content.xml"))
                .collect();
            assert_eq!(objects.len(), 3, "{objects:?}");
            let mut classes = false;
            for name in &objects {
                let mut xml = String::new();
                archive
                    .by_name(name)
                    .expect("the object")
                    .read_to_string(&mut xml)
                    .expect("utf-8");
                assert!(xml.contains("<chart:chart"), "{name} is a chart");
                classes |= xml.contains("大班额化解情况") && xml.contains("664");
            }
            assert!(
                classes,
                "LibreOffice reads the classes chart with its values"
            );
        }
        _ => println!("soffice is not installed: the docx was checked by its XML only"),
    }
}

/// A county without water bodies, patrols or parents' letters: every rate over that empty
/// set is no figure — null in the json report, 无数据 in the catalog, on the pages and the
/// home card, 【无数据：…】 in the summary — never 100%. 2020, a year without records, shows
/// no 100.0% either.
async fn a_rate_over_nothing_is_no_figure(t: &TestDb) {
    use crate::web::{add_account, Client};
    county_with_schools(t).await;
    autumn_roll(t, &urban_rows(20, "三年级")).await;
    let db = &t.db;
    let set = emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("indicators");
    let json: serde_json::Value = serde_json::from_str(&set.to_json(2021, "431224")).expect("json");
    for code in ["drowning.waters.equipped", "drowning.patrol.compliance"] {
        assert!(json["indicators"][code].is_null(), "{code}: {json}");
        assert_eq!(set.get(code).expect(code).display(), "无数据", "{code}");
    }
    // 2020 has no records at all: every rate is no figure.
    let empty = emis_app::report::annual_indicators(db, "431224", 2020)
        .await
        .expect("2020");
    for (code, value) in &empty.values {
        if let emis_domain::indicators::Value::Rate(_) = value {
            assert_eq!(value.display(), "无数据", "2020 {code}");
        }
    }

    // The pages say so too.
    add_account(t, "leader", Role::Leader, "431224", None).await;
    add_account(t, "officer", Role::Officer, "431224", None).await;
    let app = emis_web::app(emis_web::AppState::new(db.clone(), "431224".into()));
    let mut officer = Client::signed_in(&app, "officer").await;
    for uri in [
        "/reports/annual?year=2020",
        "/reports/annual?year=2021",
        "/",
    ] {
        let page = officer.get(uri).await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{uri}");
        assert!(!page.body.contains("100.0%"), "{uri}: {}", page.body);
        assert!(page.body.contains("无数据"), "{uri}");
    }
    let home = officer.get("/").await;
    assert!(
        home.body.contains("id=\"home-equipped\">无数据<"),
        "{}",
        home.body
    );
    assert!(home.body.contains("id=\"home-patrols\">无数据<"));
    for uri in ["/safety?year=2021", "/safety/patrols?year=2021"] {
        let page = officer.get(uri).await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{uri}");
        assert!(!page.body.contains("100.0%"), "{uri}: {}", page.body);
    }
    let api = officer.json("/api/v1/reports/annual?year=2020").await;
    assert!(
        api["indicators"]["drowning.letters.signed"].is_null(),
        "{api}"
    );
    let coverage = officer.json("/api/v1/safety/patrols?year=2021").await;
    assert!(coverage["rate"].is_null(), "{coverage}");
    // A water body of low risk: the module has records, yet no dangerous water to equip
    // or patrol, so the summary writes 无数据 (not 未录入, not 100%).
    let mut tx = db.begin().await.expect("tx");
    let low = emis_storage::safety::WaterRow {
        township_code: "431224100".into(),
        village: "桐木村".into(),
        name: "村前小溪".into(),
        kind: "溪流".into(),
        risk: "一般".into(),
        ..Default::default()
    };
    emis_storage::safety::insert_water(&mut tx, "431224", &low)
        .await
        .expect("water");
    emis_storage::commit(tx).await.expect("commit");
    let live = service::document(db, "431224", 2021, issued())
        .await
        .expect("document");
    let text = emis_domain::summary::to_markdown(&live);
    assert!(
        text.contains("重点水域防护设施到位率【无数据：重点水域防护设施到位率】"),
        "{text}"
    );
    assert!(
        text.contains("【无数据：暑期重点水域巡查达标率】"),
        "{text}"
    );
    let mut leader = Client::signed_in(&app, "leader").await;
    let preview = leader.get("/reports/summary?year=2021").await;
    assert!(preview.body.contains("【无数据：重点水域防护设施到位率】"));
    assert!(!preview.body.contains("到位率100%"));
    let dashboard = leader.get("/reports/dashboard?year=2021").await;
    assert!(dashboard
        .body
        .contains("【无数据：暑期重点水域巡查达标率】"));
}

crate::on_both_engines!(no_figure, super::a_rate_over_nothing_is_no_figure);
