//! Issue #20: the national 学籍 system's export imported as it comes (coded values, 8-digit
//! dates, grade-bearing class names, documents other than the 居民身份证, the 留守 / 随迁 /
//! 孤儿 flags), the national layout exported back, and the round trip between them.

use crate::support::*;
use emis_app::exports::{export, ExportOptions};
use emis_app::imports::ImportKind;
use emis_app::Actor;
use emis_domain::identity::IdNumber;
use emis_domain::national::LeftBehind;
use emis_domain::registry::{Grade, Sex, StudentRecord};
use emis_storage::registry;

/// The national export's column names, in its order (not ours).
pub(crate) const NATIONAL_HEADERS: [&str; 18] = [
    "学校标识码",
    "姓名",
    "性别",
    "出生日期",
    "身份证件类型",
    "身份证件号",
    "民族",
    "年级",
    "班级名称",
    "全国学籍号",
    "学籍辅号",
    "就读方式",
    "户口性质",
    "港澳台侨外",
    "国籍/地区",
    "是否留守儿童",
    "是否进城务工人员随迁子女",
    "是否孤儿",
];

/// A third-grader of the urban primary school with a 居民身份证, in the national form.
fn national_row(n: u32, class: &str) -> Vec<String> {
    let id = student_id(2012, n);
    let number = IdNumber::parse(&id).expect("valid");
    let sex = match number.sex() {
        Sex::Male => "1-男",
        Sex::Female => "2-女",
    };
    let row = [
        URBAN_PRIMARY,
        &format!("学生{n}"),
        sex,
        &number.birth_date().format("%Y%m%d").to_string(),
        "1-居民身份证",
        &id,
        "15-土家族",
        "三年级",
        class,
        &format!("G{id}"),
        "",
        "2-住校",
        "1-农业户口",
        "0-否",
        "156-中国",
        "1-单亲留守儿童",
        "1-是",
        "0-否",
    ];
    row.iter().map(|c| c.to_string()).collect()
}

/// A student holding another document: (type, number, 学籍辅号).
fn document_row(n: u32, kind: &str, number: &str, aux: &str) -> Vec<String> {
    let mut row = national_row(n, "三年级(1)班");
    row[2] = "2-女".into();
    row[3] = "20120305".into();
    row[4] = kind.into();
    row[5] = number.into();
    row[9] = String::new();
    row[10] = aux.into();
    row[11] = "1-走读".into();
    row[14] = "344-中国香港".into();
    row[15] = "0-非留守儿童".into();
    row[16] = "0-否".into();
    row[17] = "1-是".into();
    row
}

/// The national sheet of the tests: six resident students (class names in two national
/// spellings), a passport holder, a Hong Kong resident and a `Z-其他` without a number.
pub(crate) fn national_sheet() -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = (0..6)
        .map(|n| {
            national_row(
                n,
                if n % 2 == 0 {
                    "三年级(2)班"
                } else {
                    "小三(02)班"
                },
            )
        })
        .collect();
    rows.push(document_row(50, "A-护照", "e1234 5678", ""));
    rows.push(document_row(51, "6-香港特区护照/身份证明", "H12345678", ""));
    rows.push(document_row(52, "Z-其他", "", "FZ2021000052"));
    rows
}

async fn autumn_records(t: &TestDb) -> Vec<StudentRecord> {
    registry::roll(&t.db, "431224", "2021-autumn")
        .await
        .expect("roll")
}

async fn audit_entries(t: &TestDb) -> i64 {
    registry::count(&t.db, "audit_log", "431224")
        .await
        .expect("audit")
}

async fn national_sheet_imports_as_it_comes(t: &TestDb) {
    county_with_schools(t).await;
    let path = t.path("national.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &national_sheet());
    // The preview (a dry run) shows the rows as read: labels for codes, each document.
    let dry_run = emis_app::imports::ImportOptions {
        dry_run: true,
        ..autumn_2021()
    };
    let preview = import_with(t, ImportKind::Students, &path, &dry_run).await;
    let read = preview
        .read_as
        .expect("a students preview shows the rows read");
    assert_eq!(read.rows.len(), 9);
    let column = |name: &str| read.columns.iter().position(|c| *c == name).expect(name);
    let (row, first) = &read.rows[0];
    assert_eq!(*row, 4);
    assert_eq!(first[column("民族")], "土家族");
    assert_eq!(first[column("就读方式")], "住校");
    assert_eq!(first[column("班级")], "2班");
    assert_eq!(first[column("留守儿童")], "单亲留守儿童");
    let (_, passport) = &read.rows[6];
    assert_eq!(passport[column("身份证件类型")], "护照");
    assert_eq!(passport[column("身份证件号")], "E1*****78");
    assert_eq!(passport[column("出生日期")], "2012-03-05");

    let report = import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert_eq!((report.inserted, report.problems.len()), (9, 0));

    let records = autumn_records(t).await;
    assert_eq!(records.len(), 9);
    let resident = records
        .iter()
        .find(|r| r.id_number == student_id(2012, 0))
        .expect("resident student");
    assert_eq!(resident.ethnicity.as_deref(), Some("土家族"));
    assert_eq!((resident.grade, resident.class_number), (Grade::G3, 2));
    assert!(resident.boarding, "2-住校 is a boarder");
    assert_eq!(resident.national.left_behind, Some(LeftBehind::OneParent));
    assert_eq!(
        (resident.national.migrant, resident.national.orphan),
        (Some(true), Some(false))
    );
    assert_eq!(
        resident.national.household_type.as_deref(),
        Some("1-农业户口")
    );
    assert_eq!(resident.national.nationality.as_deref(), Some("156-中国"));
    assert_eq!(
        records.iter().filter(|r| r.class_number == 2).count(),
        6,
        "三年级(2)班 and 小三(02)班 are one class"
    );

    // Other documents: identified by type and number, sex and birth date from the columns.
    let passport = records
        .iter()
        .find(|r| r.id_number == "A:E12345678")
        .expect("the passport holder, number folded and upper-cased");
    assert_eq!(passport.sex, Sex::Female);
    assert_eq!(passport.birth_date.to_string(), "2012-03-05");
    assert!(!passport.boarding);
    assert_eq!(passport.national.orphan, Some(true));
    assert!(records.iter().any(|r| r.id_number == "6:H12345678"));
    let other = records
        .iter()
        .find(|r| r.id_number == "Z#FZ2021000052")
        .expect("Z-其他 known by 学籍辅号");
    assert_eq!(other.national.aux_no.as_deref(), Some("FZ2021000052"));

    // The registry's search finds a student by a passport or permit number, or 学籍辅号.
    let county = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    for (q, found) in [("e12345678", 1), ("FZ2021000052", 1), ("H99999999", 0)] {
        let query = emis_storage::lists::StudentQuery {
            term: "2021-autumn".into(),
            q: Some(q.into()),
            per_page: 20,
            ..Default::default()
        };
        let page = emis_storage::lists::students(&t.db, &county, &query)
            .await
            .expect("search");
        assert_eq!((page.items.len(), page.total), (found, found as i64), "{q}");
    }

    // The same sheet again changes nothing.
    let audit = audit_entries(t).await;
    let again = import_with(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 9));
    assert_eq!(audit_entries(t).await, audit);

    // A changed flag is an update.
    let mut rows = national_sheet();
    rows[0][15] = "2-双亲留守儿童".into();
    write_xlsx(&path, &NATIONAL_HEADERS, &rows);
    let changed = import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert_eq!((changed.updated, changed.unchanged), (1, 8));
}
crate::on_both_engines!(national_sheet, super::national_sheet_imports_as_it_comes);

/// One sheet holding national and plain values side by side, in our template's columns.
async fn mixed_national_and_plain_values(t: &TestDb) {
    county_with_schools(t).await;
    let headers = [
        "学校标识码",
        "姓名",
        "性别",
        "身份证件号",
        "年级",
        "班级",
        "出生日期",
        "民族",
        "寄宿生",
        "就读方式",
        "留守儿童",
        "随迁子女",
        "身份证件类型",
    ];
    let mut rows = Vec::new();
    for n in 0..4 {
        let r = student_row(URBAN_PRIMARY, n, "三年级", 3);
        let national = n % 2 == 0;
        let birth = IdNumber::parse(&r[3]).expect("valid").birth_date();
        rows.push(vec![
            r[0].clone(),
            r[1].clone(),
            if national {
                format!("{}-{}", if r[2] == "男" { 1 } else { 2 }, r[2])
            } else {
                r[2].clone()
            },
            r[3].clone(),
            if national {
                "13-三年级"
            } else {
                "三年级"
            }
            .into(),
            if national { "三年级(3)班" } else { "3" }.into(),
            if national {
                birth.format("%Y%m%d").to_string()
            } else {
                birth.to_string()
            },
            if national { "06-苗族" } else { "苗族" }.into(),
            if national { "" } else { "是" }.into(),
            if national { "2-住校" } else { "" }.into(),
            if national {
                "0-非留守儿童"
            } else {
                "双亲留守儿童"
            }
            .into(),
            if national { "1-是" } else { "否" }.into(),
            if national { "1-居民身份证" } else { "" }.into(),
        ]);
    }
    let path = t.path("mixed.xlsx");
    write_xlsx(&path, &headers, &rows);
    let report = import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert_eq!(report.inserted, 4);
    let records = autumn_records(t).await;
    assert!(records.iter().all(|r| r.class_number == 3
        && r.grade == Grade::G3
        && r.boarding
        && r.ethnicity.as_deref() == Some("苗族")));
    let left_behind: Vec<_> = records.iter().map(|r| r.national.left_behind).collect();
    assert_eq!(
        left_behind
            .iter()
            .filter(|l| **l == Some(LeftBehind::BothParents))
            .count(),
        2
    );
    assert_eq!(
        records
            .iter()
            .filter(|r| r.national.migrant == Some(true))
            .count(),
        2
    );
}
crate::on_both_engines!(mixed_sheet, super::mixed_national_and_plain_values);

/// Every refusal of the national columns by its row and column, in Chinese; nothing written.
async fn national_refusals_name_row_and_column(t: &TestDb) {
    county_with_schools(t).await;
    let mut rows = national_sheet();
    rows[0][8] = "四年级(2)班".into(); // row 4: the class's grade is not 年级's
    rows[1][2] = "2-男".into(); // row 5: code 2 is 女
    rows[2][11] = "3-住校".into(); // row 6: 就读方式 has no code 3
    rows[6][5] = "E12".into(); // row 10: a passport number too short
    rows[7][3] = String::new(); // row 11: no birth date for a document without one
    rows[8][10] = String::new(); // row 12: Z-其他 with neither number nor 学籍辅号
    let path = t.path("refused.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &rows);
    let report = import_with(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert_eq!(
        rows_and_columns(&report.problems),
        vec![
            (4, "班级"),
            (5, "性别"),
            (6, "就读方式"),
            (10, "身份证件号"),
            (11, "出生日期"),
            (12, "身份证件号"),
        ]
    );
    assert_refused(
        &report,
        &[
            "row 4, column 班级: 班级“四年级(2)班”属于四年级，与年级列的“三年级”不一致",
            "row 5, column 性别: 性别“2-男”：代码“2”表示“女”，与名称“男”不一致",
            "row 6, column 就读方式: 就读方式“3-住校”：代码“3”不在",
            "row 10, column 身份证件号: 护照号码“E12”格式不对",
            "row 11, column 出生日期: 证件类型为“香港特区护照/身份证明”的学生须填写出生日期",
            "row 12, column 身份证件号: 证件类型为“Z-其他”且无证件号的学生以学籍辅号识别",
        ],
    );
    assert_eq!(
        registry::count(&t.db, "students", "431224")
            .await
            .expect("count"),
        0
    );

    // 就读方式 and 寄宿生 are one fact.
    let headers = [
        "学校标识码",
        "姓名",
        "性别",
        "身份证件号",
        "年级",
        "班级",
        "寄宿生",
        "就读方式",
    ];
    let mut row = student_row(URBAN_PRIMARY, 1, "三年级", 1);
    row.extend(["否".to_string(), "2-住校".to_string()]);
    write_xlsx(&path, &headers, &[row]);
    let report = import_with(t, ImportKind::Students, &path, &autumn_2021()).await;
    assert_refused(
        &report,
        &["row 4, column 就读方式: 就读方式“2-住校”与寄宿生“否”不一致"],
    );
}
crate::on_both_engines!(
    national_refusals,
    super::national_refusals_name_row_and_column
);

async fn export_students(t: &TestDb, path: &std::path::Path, options: ExportOptions) -> u64 {
    export(
        &t.db,
        "431224",
        ImportKind::Students,
        path,
        &options,
        &Actor::cli(),
    )
    .await
    .expect("export")
}

/// The national layout exported (masked by default, in full only when asked, both audited)
/// and imported back: nothing changes.
async fn national_export_round_trips(t: &TestDb) {
    county_with_schools(t).await;
    let path = t.path("national.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &national_sheet());
    import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;
    let before = autumn_records(t).await;

    let masked = t.path("masked.xlsx");
    let audit = audit_entries(t).await;
    let national = ExportOptions {
        national: true,
        ..ExportOptions::default()
    };
    assert_eq!(export_students(t, &masked, national.clone()).await, 9);
    assert_eq!(
        audit_entries(t).await,
        audit + 1,
        "a masked export is audited"
    );
    let headers: Vec<emis_io::Column> = emis_app::imports::NATIONAL_STUDENT_HEADERS
        .iter()
        .map(|h| emis_io::Column::optional(h))
        .collect();
    let sheet = emis_io::read_table(&masked, &headers).expect("masked export reads");
    let cells = |row: usize| &sheet.rows[row].cells;
    let resident = sheet
        .rows
        .iter()
        .position(|r| r.cells[1] == "学生0")
        .expect("学生0");
    assert!(["1-男", "2-女"].contains(&cells(resident)[2].as_str()));
    assert!(cells(resident)[5].contains("**********"), "ID masked");
    assert_eq!(cells(resident)[6], "15-土家族");
    assert_eq!(cells(resident)[8], "三年级(2)班");
    assert_eq!(cells(resident)[11], "2-住校");
    assert_eq!(cells(resident)[16], "1-单亲留守儿童");
    assert_eq!(cells(resident)[3].len(), 8, "dates as 8 digits");
    let passport = sheet
        .rows
        .iter()
        .position(|r| r.cells[4] == "A-护照")
        .expect("passport row");
    assert_eq!(
        cells(passport)[5],
        "E1*****78",
        "other documents masked too"
    );

    let full = t.path("full.xlsx");
    let audit = audit_entries(t).await;
    let unmasked = ExportOptions {
        unmasked: true,
        ..national
    };
    export_students(t, &full, unmasked).await;
    assert_eq!(
        audit_entries(t).await,
        audit + 1,
        "an unmasked export is audited"
    );
    let report = import_with(t, ImportKind::Students, &full, &autumn_2021()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 0, 9),
        "{:?}",
        report.warnings
    );
    assert_eq!(autumn_records(t).await, before);

    // Our own layout carries the national columns too, and round-trips the same way.
    let ours = t.path("ours.xlsx");
    export_students(
        t,
        &ours,
        ExportOptions {
            unmasked: true,
            ..ExportOptions::default()
        },
    )
    .await;
    let report = import_with(t, ImportKind::Students, &ours, &autumn_2021()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 0, 9)
    );
    assert_eq!(autumn_records(t).await, before);
}
crate::on_both_engines!(national_round_trip, super::national_export_round_trips);

/// The flags are used: dropout control lists 留守 and 随迁 children among its risk groups
/// (in the account's scope), aid eligibility reads 孤儿.
async fn flags_reach_dropout_and_aid(t: &TestDb) {
    county_with_schools(t).await;
    let mut rows = national_sheet();
    rows[0][17] = "1-是".into(); // a boarder whose 孤儿 flag is set, no hardship type
    let path = t.path("national.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &rows);
    import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;

    let today = chrono::NaiveDate::from_ymd_opt(2021, 10, 8).expect("date");
    let county = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    let dashboard = emis_app::dropout::dashboard(&t.db, &county, today)
        .await
        .expect("dashboard");
    let groups = &dashboard.risk_groups;
    assert_eq!((groups.left_behind, groups.migrant), (6, 6));
    assert_eq!(groups.students.len(), 6);
    assert!(groups
        .students
        .iter()
        .all(|s| s.groups == "单亲留守儿童、随迁子女" && s.id_masked.contains("**********")));
    let other_school = school_admin(TOWN_JUNIOR).scope;
    let elsewhere = emis_app::dropout::dashboard(&t.db, &other_school, today)
        .await
        .expect("dashboard");
    assert_eq!(elsewhere.risk_groups.left_behind, 0, "outside the scope");

    let check = emis_app::aid::check(&t.db, "431224", &[emis_domain::term::Term::autumn(2021)])
        .await
        .expect("aid check");
    let orphan = student_id(2012, 0);
    let policies: Vec<&str> = check
        .entitlements
        .iter()
        .filter(|e| e.id_number == orphan)
        .map(|e| e.policy.as_str())
        .collect();
    assert_eq!(
        policies,
        vec!["boarding"],
        "a boarding 孤儿 gets the boarding subsidy"
    );
    assert!(
        !check
            .entitlements
            .iter()
            .any(|e| e.id_number == student_id(2012, 1)),
        "a boarder without hardship or 孤儿 flag gets nothing"
    );
}
crate::on_both_engines!(flags_used, super::flags_reach_dropout_and_aid);

/// The same reading for staff, the police household roll and aid payments: coded values,
/// 8-digit dates and the other systems' column names (公民身份号码, 户籍地址, 资助项目名称,
/// 发放金额(元)); a passport holder is paid under the registry's key.
async fn staff_population_and_aid_as_they_come(t: &TestDb) {
    county_with_schools(t).await;
    let path = t.path("national.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &national_sheet());
    import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;

    // Staff in the personnel system's columns.
    let teacher = IdNumber::compose(
        "431224",
        chrono::NaiveDate::from_ymd_opt(1990, 5, 6).expect("date"),
        42,
    );
    let staff = t.path("staff.xlsx");
    write_xlsx(
        &staff,
        &[
            "学校标识码",
            "姓名",
            "性别",
            "公民身份号码",
            "岗位类型",
            "主要任教学科",
            "入职时间",
        ],
        &[vec![
            URBAN_PRIMARY.into(),
            "李老师".into(),
            "2-女".into(),
            teacher.as_str().into(),
            "专任教师".into(),
            "语文".into(),
            "20150901".into(),
        ]],
    );
    import_committed(t, ImportKind::Staff, &staff, &autumn_2021()).await;
    let stored = registry::load_staff(&t.db, "431224").await.expect("staff");
    let member = &stored[teacher.as_str()];
    assert_eq!(member.sex, Sex::Female);
    assert_eq!(
        member.start_date.map(|d| d.to_string()).as_deref(),
        Some("2015-09-01")
    );

    // The household roll as the police send it: the township read out of the address.
    let roll = t.path("population.xlsx");
    let enrolled = student_id(2012, 0);
    let unknown = student_id(2012, 30);
    let sex_of = |id: &str| match IdNumber::parse(id).expect("valid").sex() {
        Sex::Male => "1-男",
        Sex::Female => "2-女",
    };
    write_xlsx(
        &roll,
        &[
            "姓名",
            "性别",
            "公民身份号码",
            "户籍地址",
            "监护人姓名",
            "监护人联系电话",
        ],
        &[
            vec![
                "学生0".into(),
                sex_of(&enrolled).into(),
                enrolled.clone(),
                "湖南省怀化市溆浦县卢峰镇城东社区".into(),
                "学生0家长".into(),
                "13800000000".into(),
            ],
            vec![
                "未入学".into(),
                sex_of(&unknown).into(),
                unknown.clone(),
                "溆浦县龙潭镇岩板村3组".into(),
                String::new(),
                String::new(),
            ],
        ],
    );
    let day = chrono::NaiveDate::from_ymd_opt(2021, 10, 8).expect("date");
    let report = emis_app::dropout::import_population_file(
        &t.db,
        "431224",
        &roll,
        day,
        None,
        false,
        &Actor::cli(),
    )
    .await
    .expect("population import");
    assert!(
        report.import.problems.is_empty(),
        "{:?}",
        report.import.problems
    );
    assert_eq!((report.counts.school_age, report.counts.suspected), (2, 1));
    let snapshot = emis_storage::dropout::snapshots(&t.db, "431224")
        .await
        .expect("snapshots")[0]
        .id;
    let persons = emis_storage::dropout::persons(&t.db, snapshot)
        .await
        .expect("persons");
    let township = |id: &str| {
        persons
            .iter()
            .find(|p| p.id_number == id)
            .map(|p| p.township_code.clone())
    };
    assert_eq!(township(&enrolled).as_deref(), Some("431224100"));
    assert_eq!(township(&unknown).as_deref(), Some("431224104"));

    // Aid payments in the national aid system's columns, one for the passport holder.
    let aid = t.path("aid.xlsx");
    let headers = [
        "学校代码",
        "身份证件类型",
        "身份证件号码",
        "资助项目名称",
        "资助学期",
        "发放金额(元)",
        "发放时间",
    ];
    let payment = |kind: &str, number: &str| -> Vec<String> {
        [
            URBAN_PRIMARY,
            kind,
            number,
            "家庭经济困难寄宿生生活费补助",
            "2021年秋季学期",
            "500",
            "20211015",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect()
    };
    write_xlsx(
        &aid,
        &headers,
        &[
            payment("1-居民身份证", &enrolled),
            payment("A-护照", "E12345678"),
        ],
    );
    let report = import_committed(t, ImportKind::Aid, &aid, &autumn_2021()).await;
    assert_eq!(report.inserted, 2);
    let history = emis_app::aid::history(&t.db, "431224", "A:E12345678")
        .await
        .expect("history");
    assert_eq!(history.len(), 1, "paid under the passport holder's key");

    // A passport number of the wrong shape is refused by its row and column.
    write_xlsx(&aid, &headers, &[payment("A-护照", "E1")]);
    let report = import_with(t, ImportKind::Aid, &aid, &autumn_2021()).await;
    assert_refused(&report, &["row 4, column 身份证件号: 护照号码“E1”格式不对"]);
}
crate::on_both_engines!(other_systems, super::staff_population_and_aid_as_they_come);

/// 家庭经济困难认定 for students without a mainland ID card: the sheet names them by
/// 身份证件类型 and number (or 学籍辅号 for a `Z-其他` without one); a wrongly shaped number
/// is refused by row and column; the export writes the same cells back and importing it
/// again changes nothing.
async fn hardship_of_other_documents(t: &TestDb) {
    county_with_schools(t).await;
    let path = t.path("national.xlsx");
    write_xlsx(&path, &NATIONAL_HEADERS, &national_sheet());
    import_committed(t, ImportKind::Students, &path, &autumn_2021()).await;
    let headers = [
        "身份证件号",
        "困难类型",
        "证书编号",
        "姓名",
        "证件类型",
        "学籍辅号",
    ];
    let row = |cells: [&str; 6]| cells.map(str::to_string).to_vec();
    let bad = t.path("hardship-bad.xlsx");
    write_xlsx(
        &bad,
        &headers,
        &[
            row(["E1", "孤儿", "GE-9", "", "A-护照", ""]),
            row(["", "低保家庭", "DB-1", "", "Z-其他", ""]),
        ],
    );
    let report = import_with(t, ImportKind::Hardship, &bad, &Default::default()).await;
    assert_refused(
        &report,
        &[
            "row 4, column 身份证件号: 护照号码“E1”格式不对",
            "row 5, column 身份证件号: ",
        ],
    );
    let good = t.path("hardship.xlsx");
    write_xlsx(
        &good,
        &headers,
        &[
            row(["E12345678", "孤儿", "GE-9", "", "A-护照", ""]),
            row(["", "低保家庭", "DB-1", "", "Z-其他", "FZ2021000052"]),
        ],
    );
    let report = import_committed(t, ImportKind::Hardship, &good, &Default::default()).await;
    assert_eq!(report.updated, 2);
    let hardship = |key: &str| {
        let records = autumn_records(t);
        let key = key.to_string();
        async move {
            records
                .await
                .into_iter()
                .find(|s| s.id_number == key)
                .map(|s| s.hardship.label())
        }
    };
    assert_eq!(hardship("A:E12345678").await, Some("孤儿"));
    assert_eq!(hardship("Z#FZ2021000052").await, Some("低保家庭"));
    assert_eq!(
        emis_storage::aid::evidence(&t.db, "431224", "A:E12345678")
            .await
            .expect("evidence"),
        vec![("孤儿".to_string(), "GE-9".to_string())]
    );

    let exported = t.path("hardship-export.xlsx");
    let options = ExportOptions {
        unmasked: true,
        ..ExportOptions::default()
    };
    export(
        &t.db,
        "431224",
        ImportKind::Hardship,
        &exported,
        &options,
        &Actor::cli(),
    )
    .await
    .expect("export");
    let again = import_with(t, ImportKind::Hardship, &exported, &Default::default()).await;
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    assert_eq!((again.updated, again.unchanged), (0, 2));
}
crate::on_both_engines!(hardship_documents, super::hardship_of_other_documents);
