//! The list component on the pages (issue #13): totals, page size and jump, filters by
//! township / school picked by name, sort by a whitelisted column, 重置, 暂无数据, and 导出
//! writing exactly the filtered rows (every page) with every column the roll holds filled;
//! a township office offered only its own schools. On both engines: paging, filtering and
//! sorting happen in SQL.

use super::*;

const HEADERS: [&str; 11] = [
    "学校标识码",
    "姓名",
    "性别",
    "身份证件号",
    "年级",
    "班级",
    "民族",
    "户籍乡镇",
    "残疾类型",
    "学籍号",
    "寄宿生",
];

/// 45 三年级 and 5 一年级 pupils of the urban primary school (卢峰镇), 7 八年级 pupils of the
/// town junior school (龙潭镇); every one with 民族, 户籍乡镇, 残疾类型 and 学籍号.
async fn county(t: &TestDb) -> axum::Router {
    emis_web::app(county_state(t).await)
}

async fn county_state(t: &TestDb) -> emis_web::AppState {
    county_with_schools(t).await;
    let mut rows: Vec<Vec<String>> = (0..45)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1 + n % 3))
        .collect();
    rows.extend((200..205).map(|n| student_row(URBAN_PRIMARY, n, "一年级", 1)));
    rows.extend((100..107).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    for (i, r) in rows.iter_mut().enumerate() {
        r[1] = format!("学生{i:02}");
        let id = r[3].clone();
        r.extend([
            if i % 2 == 0 { "汉族" } else { "苗族" }.to_string(),
            if r[0] == URBAN_PRIMARY {
                "卢峰镇"
            } else {
                "龙潭镇"
            }
            .to_string(),
            "视力残疾".to_string(),
            format!("G{id}"),
            "否".to_string(),
        ]);
    }
    let file = t.path("students.xlsx");
    write_xlsx(&file, &HEADERS, &rows);
    import_committed(
        t,
        emis_app::imports::ImportKind::Students,
        &file,
        &autumn_2021(),
    )
    .await;
    for (name, role, org) in ROLES {
        add_account(t, name, role, org, None).await;
    }
    emis_web::AppState::new(t.db.clone(), "431224".into())
}

/// An exported students workbook read back by the import template's columns.
fn students_sheet(t: &TestDb, name: &str, bytes: &[u8]) -> emis_io::Table<'static> {
    let path = t.path(name);
    std::fs::write(&path, bytes).expect("write");
    let columns: Vec<emis_io::Column> = emis_app::imports::STUDENT_COLUMNS
        .iter()
        .map(|c| emis_io::Column::optional(c.name))
        .collect();
    emis_io::read_table(&path, &columns).expect("the export reads")
}

/// The names in the list's table, in order.
fn names(body: &str) -> Vec<String> {
    body.split("<td><a href=\"/students/")
        .skip(1)
        .filter_map(|cell| {
            let start = cell.find('>')? + 1;
            let end = cell.find("</a>")?;
            Some(cell[start..end].to_string())
        })
        .collect()
}

async fn students_page_total_size_jump_and_sort(t: &TestDb) {
    let app = county(t).await;
    let mut c = Client::signed_in(&app, "officer").await;
    let all = c.get("/students").await.with_status(StatusCode::OK);
    assert!(all.body.contains("<span id=\"total\">共 57 条</span>"));
    assert_eq!(names(&all.body).len(), 50, "50 a page by default");
    // 20 a page: three pages, the last one with 17; a page past the end shows the last.
    let p3 = c.get("/students?size=20&page=3").await;
    assert_eq!(names(&p3.body).len(), 17);
    assert!(p3.body.contains("第 <span id=\"page-no\">3</span> / 3 页"));
    let past = c.get("/students?size=20&page=99").await;
    assert_eq!(names(&past.body), names(&p3.body));
    // A size not offered falls back to 50; the jump form keeps the filters, not the token.
    let odd = c
        .get("/students?size=100000&grade=%E4%B8%89%E5%B9%B4%E7%BA%A7")
        .await;
    assert_eq!(names(&odd.body).len(), 45);
    let jump = odd.body.split("id=\"jump\"").nth(1).expect("jump form");
    let jump = &jump[..jump.find("</form>").expect("end")];
    assert!(jump.contains("name=\"grade\" value=\"三年级\""));
    assert!(!jump.contains("_csrf"), "GET forms carry no CSRF token");
    let filters = all
        .body
        .split("id=\"list-filters\"")
        .nth(1)
        .expect("filters");
    assert!(!filters[..filters.find("</form>").expect("end")].contains("_csrf"));

    // Sorted by name, both ways; an unknown column is ignored, never spliced into SQL.
    let up = names(&c.get("/students?sort=name&size=200").await.body);
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    let down = names(&c.get("/students?sort=name&desc=1&size=200").await.body);
    assert_eq!(down, up.iter().rev().cloned().collect::<Vec<_>>());
    let bad = c
        .get("/students?sort=name%3B%20DROP%20TABLE%20students&size=200")
        .await
        .with_status(StatusCode::OK);
    assert_eq!(names(&bad.body).len(), 57);
    assert!(c
        .get("/students?sort=name")
        .await
        .body
        .contains("class=\"sortable sorted\" data-sort=\"name\""));

    // Nothing matches: 暂无数据.
    let none = c.get("/students?status=%E6%AF%95%E4%B8%9A").await;
    assert!(none.body.contains("暂无数据"));
}
crate::on_both_engines!(
    students_paging,
    super::students_page_total_size_jump_and_sort
);

/// Paging in the default order through the class walk lists exactly the rows, in the same
/// order, of the query that sorts the whole roll: every page of every page size, both
/// directions, with filters and in a school's and a 班主任's scope.
async fn the_class_walk_pages_as_the_sorted_query(t: &TestDb) {
    use emis_domain::access::Scope;
    use emis_storage::lists::{self, StudentQuery};
    county_state(t).await;
    let county = || "431224".to_string();
    let scopes = [
        Scope::County { county: county() },
        Scope::School {
            county: county(),
            school: URBAN_PRIMARY.into(),
        },
        Scope::Class {
            county: county(),
            school: URBAN_PRIMARY.into(),
            grade: emis_domain::registry::Grade::G3,
            number: 2,
        },
    ];
    let filters = [
        StudentQuery::default(),
        StudentQuery {
            grade: Some("三年级".into()),
            ..Default::default()
        },
        StudentQuery {
            school: Some(TOWN_JUNIOR.into()),
            status: Some("在读".into()),
            ..Default::default()
        },
        StudentQuery {
            class_number: Some(1),
            ..Default::default()
        },
    ];
    let ids = |page: &lists::Page<lists::StudentRow>| -> Vec<i64> {
        page.items.iter().map(|s| s.id).collect()
    };
    let mut compared = 0;
    for scope in &scopes {
        for filter in &filters {
            for desc in [false, true] {
                for per_page in [3, 7, 50] {
                    let q = StudentQuery {
                        term: "2021-autumn".into(),
                        desc,
                        per_page,
                        ..filter.clone()
                    };
                    assert!(lists::walks_by_class(&q));
                    let walk = lists::class_walk(&t.db, scope, &q).await.expect("walk");
                    let pages = 57 / per_page + 2;
                    for page in 1..=pages {
                        let q = StudentQuery { page, ..q.clone() };
                        let sorted = lists::students(&t.db, scope, &q).await.expect("sorted");
                        let walked = lists::students_by_class(&t.db, scope, &q, &walk)
                            .await
                            .expect("walked");
                        assert_eq!(walked.total, sorted.total, "{scope:?} {q:?}");
                        assert_eq!(ids(&walked), ids(&sorted), "{scope:?} {q:?}");
                        compared += walked.items.len();
                    }
                }
            }
        }
    }
    assert!(compared > 500, "rows compared: {compared}");
    // A search or another order sorts in the database as before.
    for q in [
        StudentQuery {
            q: Some("学生".into()),
            per_page: 20,
            ..Default::default()
        },
        StudentQuery {
            sort: Some("name".into()),
            per_page: 20,
            ..Default::default()
        },
        StudentQuery {
            per_page: 0,
            ..Default::default()
        },
    ] {
        assert!(!lists::walks_by_class(&q), "{q:?}");
    }
}
crate::on_both_engines!(class_walk, super::the_class_walk_pages_as_the_sorted_query);

async fn filters_pick_by_name_and_export_exactly_the_filtered_rows(t: &TestDb) {
    let app = county(t).await;
    let mut c = Client::signed_in(&app, "officer").await;
    // The school picked by its name, the township by its name; a code from a link works too.
    let by_name = c
        .get(&format!(
            "/students?school={}&grade={}&size=20",
            enc("溆浦县卢峰镇第一小学"),
            enc("三年级")
        ))
        .await;
    assert!(by_name.body.contains("共 45 条"), "{}", by_name.body);
    assert!(by_name.body.contains("value=\"溆浦县卢峰镇第一小学\""));
    assert!(by_name.body.contains("<datalist id=\"dl-school\">"));
    let by_code = c.get(&format!("/students?school={URBAN_PRIMARY}")).await;
    assert!(by_code.body.contains("共 50 条"));
    let township = c
        .get(&format!("/students?township={}", enc("龙潭镇")))
        .await;
    assert!(township.body.contains("共 7 条"));
    // A name that is no school: refused beside the field, nothing listed.
    let unknown = c
        .get(&format!("/students?school={}", enc("不存在的学校")))
        .await;
    assert!(unknown.body.contains("id=\"error-school\""));
    assert!(unknown.body.contains("没有名为“不存在的学校”的学校"));
    assert!(unknown.body.contains("共 0 条"));

    // 导出 carries the same filters: all 45 rows (not the page's 20), every column filled.
    let href = by_name
        .body
        .split("id=\"export\"")
        .next()
        .and_then(|b| b.rsplit("href=\"").next())
        .map(|h| {
            h.trim_end_matches("\" ")
                .replace("&amp;", "&")
                .replace("&#38;", "&")
        })
        .expect("export link");
    assert!(href.starts_with("/students/export?"), "{href}");
    assert!(!href.contains("page=") && !href.contains("_csrf"));
    let export = c.get(&href).await.with_status(StatusCode::OK);
    let sheet = students_sheet(t, "export.xlsx", &export.bytes);
    assert_eq!(sheet.rows.len(), 45, "exactly the filtered rows of {href}");
    let header = |name: &str| {
        emis_app::imports::STUDENT_COLUMNS
            .iter()
            .position(|c| c.name == name)
            .expect(name)
    };
    for row in &sheet.rows {
        let cell = |name: &str| row.cells[header(name)].clone();
        assert_eq!(cell("学校标识码"), URBAN_PRIMARY);
        assert_eq!(cell("年级"), "三年级");
        for name in [
            "姓名",
            "性别",
            "身份证件号",
            "班级",
            "出生日期",
            "民族",
            "户籍乡镇",
            "寄宿生",
            "家庭经济困难类型",
            "残疾类型",
            "学籍状态",
            "学期",
            "学籍号",
            "身份证件类型",
            "就读方式",
        ] {
            assert!(!cell(name).is_empty(), "{name} is filled: {:?}", row.cells);
        }
        assert_eq!(cell("户籍乡镇"), "卢峰镇");
        assert_eq!(cell("残疾类型"), "视力残疾");
        assert!(cell("身份证件号").contains("**********"), "masked");
    }
    let audit = audit_entries(t).await;
    assert!(audit >= 1);

    // 重置 is the bare list.
    assert!(by_name
        .body
        .contains("<a class=\"button plain\" href=\"/students\" id=\"reset\">重置</a>"));
}
crate::on_both_engines!(
    students_filters_and_export,
    super::filters_pick_by_name_and_export_exactly_the_filtered_rows
);

async fn audit_entries(t: &TestDb) -> i64 {
    emis_storage::registry::count(&t.db, "audit_log", "431224")
        .await
        .expect("count")
}

async fn a_township_lists_and_picks_only_its_own(t: &TestDb) {
    let app = county(t).await;
    let mut c = Client::signed_in(&app, "longtan").await;
    let page = c.get("/students").await;
    assert!(page.body.contains("共 7 条"));
    assert!(page.body.contains("<option value=\"龙潭镇中学\">"));
    assert!(
        !page
            .body
            .contains("<option value=\"溆浦县卢峰镇第一小学\">"),
        "the picker offers only the township's schools"
    );
    // Another township's school by code or name: refused, nothing listed or exported.
    let other = c.get(&format!("/students?school={URBAN_PRIMARY}")).await;
    assert!(other.body.contains("id=\"error-school\"") && other.body.contains("共 0 条"));
    let export = c
        .get(&format!("/students/export?school={URBAN_PRIMARY}"))
        .await;
    assert_eq!(export.status, StatusCode::UNPROCESSABLE_ENTITY);
    let classes = c.get("/classes").await;
    assert!(classes.body.contains("龙潭镇中学") && !classes.body.contains("溆浦县卢峰镇第一小学"));
}
crate::on_both_engines!(
    township_lists_its_own,
    super::a_township_lists_and_picks_only_its_own
);

async fn classes_and_ledger_page_filter_sort_and_export(t: &TestDb) {
    let app = county(t).await;
    let mut c = Client::signed_in(&app, "officer").await;
    // 3 三年级 classes (15 each) and 1 一年级 class of the urban school, 1 八年级 class.
    let all = c.get("/classes").await.with_status(StatusCode::OK);
    assert!(all.body.contains("共 5 条"), "{}", all.body);
    let urban = c
        .get(&format!(
            "/classes?township={}&size=20&sort=size&desc=1",
            enc("卢峰镇")
        ))
        .await;
    assert!(urban.body.contains("共 4 条"));
    let table = &urban.body[urban.body.find("<tbody>").expect("table")..];
    let first = table.find("一年级").expect("一年级");
    let third = table.find("三年级").expect("三年级");
    assert!(third < first, "15-pupil classes before the 5-pupil one");
    let junior = c
        .get(&format!("/classes?school={}", enc("龙潭镇中学")))
        .await;
    assert!(junior.body.contains("共 1 条") && junior.body.contains("八年级"));
    let export = c
        .get(&format!("/classes/export?township={}", enc("卢峰镇")))
        .await
        .with_status(StatusCode::OK);
    let path = t.path("classes.xlsx");
    std::fs::write(&path, &export.bytes).expect("write");
    let columns: Vec<emis_io::Column> = ["学校标识码", "学校名称", "年级", "班级", "在读人数"]
        .iter()
        .map(|h| emis_io::Column::optional(h))
        .collect();
    let sheet = emis_io::read_table(&path, &columns).expect("reads");
    assert_eq!(sheet.rows.len(), 4);
    assert!(sheet
        .rows
        .iter()
        .all(|r| r.cells.iter().all(|c| !c.is_empty())));

    // The ledger: empty until a term is entered, then filtered by school and 销号 state.
    let empty = c
        .get("/enrollment/ledger")
        .await
        .with_status(StatusCode::OK);
    assert!(empty.body.contains("暂无数据"));
    let schools = c.get("/schools?sort=name&desc=1").await;
    assert!(schools.body.contains("共 3 条"));
    let staff = c.get("/staff").await.with_status(StatusCode::OK);
    assert!(staff.body.contains("暂无数据"));
}
crate::on_both_engines!(
    classes_and_ledger,
    super::classes_and_ledger_page_filter_sort_and_export
);

/// A download of more rows than the server answers at once runs as the account's job: the
/// export goes to the job's page, which ends with the file to download (every row in it),
/// for its owner only; a smaller one still downloads at once.
async fn a_large_export_is_made_by_a_job_with_its_file_to_download(t: &TestDb) {
    let mut state = county_state(t).await;
    state.download_job_rows = 10;
    let app = emis_web::app(state);
    let mut c = Client::signed_in(&app, "officer").await;
    let small = c
        .get(&format!("/students/export?township={}", enc("龙潭镇")))
        .await;
    assert_eq!(small.status, StatusCode::OK, "7 rows come at once");

    let started = c.get("/students/export").await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    assert!(
        started.location.starts_with("/jobs/"),
        "{}",
        started.location
    );
    let page = c.follow_job(&started.location).await;
    assert!(page.body.contains("id=\"job-download\""), "{}", page.body);
    assert!(
        page.body.contains("学生名册-2021-autumn.xlsx"),
        "{}",
        page.body
    );
    let link = format!("{}/download", started.location);
    assert!(page.body.contains(&link));
    let file = c.get(&link).await.with_status(StatusCode::OK);
    let sheet = students_sheet(t, "county.xlsx", &file.bytes);
    assert_eq!(sheet.rows.len(), 57, "every row of the county");

    let mut other = Client::signed_in(&app, "longtan").await;
    assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.get(&started.location).await.status,
        StatusCode::NOT_FOUND
    );
}
crate::on_both_engines!(
    large_export_as_a_job,
    super::a_large_export_is_made_by_a_job_with_its_file_to_download
);

/// The cells of an exported sheet under `headers`.
fn exported(t: &TestDb, bytes: &[u8], headers: &[&str]) -> Vec<Vec<String>> {
    let path = t.path("exported.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let columns: Vec<emis_io::Column> = headers
        .iter()
        .map(|h| emis_io::Column::optional(h))
        .collect();
    let sheet = emis_io::read_table(&path, &columns).expect("export reads");
    sheet.rows.into_iter().map(|r| r.cells).collect()
}

/// 致家长一封信: one row per school with its sums, filtered by township and 签收情况,
/// sorted by rate; 十有: every township and school, paged, filtered by kind and 落实情况; both
/// export exactly the filtered rows with every column filled.
async fn letters_and_ten_haves_on_the_list(t: &TestDb) {
    let app = county(t).await;
    let mut tx = t.db.begin().await.expect("tx");
    let roll = emis_storage::safety::roll_students(&mut tx, "431224", "2021-autumn")
        .await
        .expect("roll");
    // Every parent of the junior school signed, 10 of the urban school's 50.
    let junior: Vec<(i64, String)> = roll
        .iter()
        .filter(|(_, s)| s == TOWN_JUNIOR)
        .cloned()
        .collect();
    let urban: Vec<(i64, String)> = roll
        .iter()
        .filter(|(_, s)| s == URBAN_PRIMARY)
        .take(10)
        .cloned()
        .collect();
    for signed in [&junior, &urban] {
        emis_storage::safety::sign_letters(&mut tx, "431224", "2021-autumn", "2021-09-10", signed)
            .await
            .expect("letters");
    }
    let all_ten: Vec<(String, String, bool, String)> = emis_domain::safety::drowning::TEN_HAVES
        .iter()
        .map(|i| {
            (
                "431224104".to_string(),
                i.to_string(),
                true,
                "已落实".to_string(),
            )
        })
        .chain(
            emis_domain::safety::drowning::TEN_HAVES[..3]
                .iter()
                .map(|i| {
                    (
                        URBAN_PRIMARY.to_string(),
                        i.to_string(),
                        true,
                        String::new(),
                    )
                }),
        )
        .collect();
    emis_storage::safety::write_ten_haves(&mut tx, "431224", 2021, &all_ten)
        .await
        .expect("ten haves");
    emis_storage::commit(tx).await.expect("commit");
    let mut c = Client::signed_in(&app, "officer").await;

    let letters = c
        .get("/safety/letters?year=2021")
        .await
        .with_status(StatusCode::OK);
    assert!(letters.body.contains("共 2 条"), "{}", letters.body);
    assert!(letters.body.contains("在籍学生 57 人，家长已签收 17 人"));
    let open = c.get("/safety/letters?year=2021&state=open").await;
    assert!(open.body.contains("共 1 条") && open.body.contains("溆浦县卢峰镇第一小学"));
    assert!(!open.body.contains("<td>龙潭镇中学</td>"));
    let town = c
        .get(&format!(
            "/safety/letters?year=2021&township={}",
            enc("龙潭镇")
        ))
        .await;
    assert!(town.body.contains("共 1 条") && town.body.contains("<td>龙潭镇中学</td>"));
    let by_rate = c.get("/safety/letters?year=2021&sort=rate&desc=1").await;
    let table = &by_rate.body[by_rate.body.find("<tbody>").expect("table")..];
    assert!(
        table.find("龙潭镇中学") < table.find("卢峰镇第一小学"),
        "100% first"
    );
    let none = c
        .get(&format!(
            "/safety/letters?year=2021&school={}",
            enc("没有这所学校")
        ))
        .await;
    assert!(none.body.contains("id=\"error-school\"") && none.body.contains("共 0 条"));
    let export = c
        .get("/safety/letters/export?year=2021&state=open")
        .await
        .with_status(StatusCode::OK);
    let headers = [
        "学校标识码",
        "学校名称",
        "所属乡镇",
        "学期",
        "在籍学生",
        "已签收",
        "未签收",
        "签收率",
    ];
    let rows = exported(t, &export.bytes, &headers);
    assert_eq!(rows.len(), 1, "exactly the filtered schools");
    assert_eq!(rows[0][0], URBAN_PRIMARY);
    assert_eq!((rows[0][4].as_str(), rows[0][5].as_str()), ("50", "10"));
    assert!(rows[0].iter().all(|c| !c.is_empty()), "{:?}", rows[0]);

    // 十有: every township of the county and the three schools.
    let townships = emis_domain::divisions::county("431224")
        .expect("county")
        .townships
        .len();
    let orgs = townships + 3;
    let ten = c
        .get("/safety/ten-haves?year=2021&size=20")
        .await
        .with_status(StatusCode::OK);
    assert!(ten.body.contains(&format!("共 {orgs} 条")), "{}", ten.body);
    assert_eq!(ten.body.matches("<tr data-org=").count(), 20.min(orgs));
    let last = c
        .get(&format!(
            "/safety/ten-haves?year=2021&size=20&page={}",
            orgs / 20 + 1
        ))
        .await;
    assert_eq!(last.body.matches("<tr data-org=").count(), orgs % 20);
    let done = c.get("/safety/ten-haves?year=2021&state=done").await;
    assert!(done.body.contains("共 1 条") && done.body.contains("data-org=\"431224104\""));
    let schools = c
        .get("/safety/ten-haves?year=2021&kind=school&sort=done&desc=1")
        .await;
    assert!(schools.body.contains("共 3 条"));
    let table = &schools.body[schools.body.find("<tbody>").expect("table")..];
    assert!(
        table.find(URBAN_PRIMARY) < table.find(TOWN_JUNIOR),
        "3/10 first"
    );
    let longtan = c
        .get(&format!(
            "/safety/ten-haves?year=2021&township={}",
            enc("龙潭镇")
        ))
        .await;
    assert!(
        longtan.body.contains("共 2 条"),
        "the township and its school"
    );
    let export = c
        .get("/safety/ten-haves/export?year=2021&kind=school")
        .await
        .with_status(StatusCode::OK);
    let mut headers = vec!["机构代码", "机构名称", "类型", "所属乡镇", "年度", "已落实"];
    headers.extend(emis_domain::safety::drowning::TEN_HAVES.iter().copied());
    let rows = exported(t, &export.bytes, &headers);
    assert_eq!(rows.len(), 3, "exactly the filtered org units");
    assert!(
        rows.iter().all(|r| r.iter().all(|c| !c.is_empty())),
        "{rows:?}"
    );
    let urban = rows.iter().find(|r| r[0] == URBAN_PRIMARY).expect("urban");
    assert_eq!(urban[5], "3/10");
    assert_eq!(urban[3], "卢峰镇");

    // A township office sees itself and its school only.
    let mut town = Client::signed_in(&app, "longtan").await;
    let own = town.get("/safety/ten-haves?year=2021").await;
    assert!(own.body.contains("共 2 条"), "{}", own.body);
    let own_letters = town.get("/safety/letters?year=2021").await;
    assert!(own_letters.body.contains("共 1 条"));
}
crate::on_both_engines!(
    letters_and_ten_haves,
    super::letters_and_ten_haves_on_the_list
);

/// 隐患台账 on the list component: 25 hazards of the urban school (5 重大), 5 of the town
/// school; the home's links (?overdue=1, ?grade=重大&status=) keep working; the ledger's export
/// and print hold exactly the filtered hazards.
async fn hazards_on_the_list(t: &TestDb) {
    use emis_app::safety::{self, HazardForm};
    let app = county(t).await;
    for (school, n) in [(URBAN_PRIMARY, 25), (TOWN_JUNIOR, 5)] {
        let account = crate::safety::school(school);
        for i in 0..n {
            let form = HazardForm {
                school: school.into(),
                place: format!("部位{i:02}"),
                category: "消防".into(),
                grade: if school == URBAN_PRIMARY && i < 5 {
                    "重大"
                } else {
                    "一般"
                }
                .into(),
                description: "灭火器压力不足".into(),
                found_on: format!("2021-09-{:02}", 1 + i % 28),
                inspection: String::new(),
            };
            safety::record_hazard(&t.db, &account, &form, "test", today())
                .await
                .accepted("hazard");
        }
    }
    let mut c = Client::signed_in(&app, "officer").await;
    let all = c
        .get("/safety/hazards?size=20")
        .await
        .with_status(StatusCode::OK);
    assert!(all.body.contains("共 30 条"), "{}", all.body);
    assert_eq!(
        all.body.matches("<td><a href=\"/safety/hazards/").count(),
        20
    );
    let second = c.get("/safety/hazards?size=20&page=2").await;
    assert_eq!(
        second
            .body
            .matches("<td><a href=\"/safety/hazards/")
            .count(),
        10
    );
    let major = c
        .get(&format!("/safety/hazards?grade={}&status=", enc("重大")))
        .await
        .with_status(StatusCode::OK);
    assert!(major.body.contains("共 5 条"));
    let overdue = c
        .get("/safety/hazards?overdue=1")
        .await
        .with_status(StatusCode::OK);
    assert!(overdue.body.contains("共 0 条") && overdue.body.contains("暂无数据"));
    assert!(overdue
        .body
        .contains("name=\"overdue\" id=\"f-overdue\" value=\"1\" checked"));
    let town = c
        .get(&format!("/safety/hazards?township={}", enc("龙潭镇")))
        .await;
    assert!(town.body.contains("共 5 条"));
    let by_code = c
        .get(&format!("/safety/hazards?school={TOWN_JUNIOR}"))
        .await;
    assert!(by_code.body.contains("共 5 条") && by_code.body.contains("value=\"龙潭镇中学\""));
    let sorted = c.get("/safety/hazards?sort=school&size=20").await;
    let table = &sorted.body[sorted.body.find("<tbody>").expect("table")..];
    assert!(table.find("溆浦县卢峰镇第一小学") < table.find("龙潭镇中学"));
    let unknown = c
        .get(&format!("/safety/hazards?school={}", enc("没有这所学校")))
        .await;
    assert!(unknown.body.contains("id=\"error-school\"") && unknown.body.contains("共 0 条"));
    // The export of the urban school's 重大 hazards: exactly those, every page.
    let export = c
        .get(&format!(
            "/safety/hazards/export?school={}&grade={}",
            enc("溆浦县卢峰镇第一小学"),
            enc("重大")
        ))
        .await
        .with_status(StatusCode::OK);
    let rows = exported(t, &export.bytes, emis_app::safety::LEDGER_COLUMNS);
    assert_eq!(rows.len(), 5, "exactly the filtered hazards");
    let whole = c.get("/safety/hazards/export").await;
    assert_eq!(
        exported(t, &whole.bytes, emis_app::safety::LEDGER_COLUMNS).len(),
        30
    );
    let print = c
        .get(&format!("/safety/hazards/print?township={}", enc("龙潭镇")))
        .await
        .with_status(StatusCode::OK);
    assert_eq!(print.body.matches("部位0").count(), 5);
    // A school's account lists its own hazards, with no township or school picker.
    let mut school = Client::signed_in(&app, "xiaoxue").await;
    let own = school.get("/safety/hazards").await;
    assert!(own.body.contains("共 25 条") && !own.body.contains("id=\"f-school\""));
}
crate::on_both_engines!(hazards, super::hazards_on_the_list);

/// The audit log on the list component: page size and total.
async fn audit_log_on_the_list(t: &TestDb) {
    let app = county(t).await;
    let mut admin = Client::signed_in(&app, "admin").await;
    let total = audit_entries(t).await;
    let page = admin
        .get("/admin/audit?size=20")
        .await
        .with_status(StatusCode::OK);
    assert!(
        page.body.contains(&format!("共 {total} 条")),
        "{}",
        page.body
    );
    let rows = page.body.matches("<td class=\"changes\">").count() as i64;
    assert_eq!(rows, total.min(20));
    let nobody = admin.get("/admin/audit?actor=nobody").await;
    assert!(nobody.body.contains("共 0 条") && nobody.body.contains("暂无数据"));

    // 导出: every entry the filters leave (not the page's 20), as the page reads them.
    assert!(
        page.body.contains("href=\"/admin/audit/export"),
        "{}",
        page.body
    );
    let export = admin
        .get("/admin/audit/export")
        .await
        .with_status(StatusCode::OK);
    let path = t.path("audit.xlsx");
    std::fs::write(&path, &export.bytes).expect("write");
    let columns = ["时间", "操作人", "操作", "对象"].map(emis_io::Column::required);
    let sheet = emis_io::read_table(&path, &columns).expect("the export reads");
    assert_eq!(sheet.rows.len() as i64, total);
    assert!(sheet.rows.iter().all(|r| !r.cells[2].is_empty()));
    let none = admin.get("/admin/audit/export?actor=nobody").await;
    assert_eq!(none.status, StatusCode::OK);
}
crate::on_both_engines!(audit_log, super::audit_log_on_the_list);
