use crate::support::*;
use emis_app::imports::{import_file, ImportKind, ImportOptions, ImportReport};
use emis_app::Actor;
use emis_domain::term::Term;
use emis_storage::registry;
use std::path::Path;

fn autumn() -> ImportOptions {
    ImportOptions {
        term: Some(Term::autumn(2021)),
        ..ImportOptions::default()
    }
}

async fn import(
    t: &TestDb,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> ImportReport {
    import_with(t, kind, path, options).await
}

async fn with_schools(t: &TestDb) {
    let report = schools_without_term(t).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.inserted, 3);
}

async fn counts(t: &TestDb) -> (i64, i64, i64, i64) {
    let c = |table| registry::count(&t.db, table, "431224");
    (
        c("students").await.expect("students"),
        c("enrollments").await.expect("enrollments"),
        c("classes").await.expect("classes"),
        c("audit_log").await.expect("audit"),
    )
}

async fn students_import_as_schools_send_them(t: &TestDb) {
    with_schools(t).await;
    // Columns in another order, extra column, full-width digits and a lower-case x.
    let headers = [
        "姓名",
        "备注",
        "身份证件号",
        "学校标识码",
        "性别",
        "年级",
        "班级",
    ];
    let mut rows = Vec::new();
    for n in 0..30 {
        let r = student_row(URBAN_PRIMARY, n, "三年级", 1 + n % 2);
        rows.push(vec![
            r[1].clone(),
            "转入".into(),
            r[3].to_lowercase(),
            r[0].clone(),
            r[2].clone(),
            r[4].clone(),
            format!("（{}）班", r[5]),
        ]);
    }
    rows[0][3] = "２１４３０００００１".into();
    let path = t.path("students.xlsx");
    write_xlsx(&path, &headers, &rows);

    let report = import(t, ImportKind::Students, &path, &autumn()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.committed);
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (30, 0, 0)
    );
    let after_first = counts(t).await;
    assert_eq!((after_first.0, after_first.1, after_first.2), (30, 30, 2));

    // The same file again changes nothing, not even the audit log.
    let again = import(t, ImportKind::Students, &path, &autumn()).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 30));
    assert_eq!(counts(t).await, after_first);

    // A changed class is an update, audited with before and after.
    rows[1][6] = if rows[1][6] == "（2）班" {
        "1".into()
    } else {
        "2".into()
    };
    write_xlsx(&path, &headers, &rows);
    let changed = import(t, ImportKind::Students, &path, &autumn()).await;
    assert_eq!(
        (changed.inserted, changed.updated, changed.unchanged),
        (0, 1, 29)
    );
    assert_eq!(
        counts(t).await.3,
        after_first.3 + 2,
        "one update entry and one batch entry"
    );
}
crate::on_both_engines!(students_import, super::students_import_as_schools_send_them);

async fn bad_rows_are_all_named_and_nothing_changes(t: &TestDb) {
    with_schools(t).await;
    let before = counts(t).await;
    let mut rows = urban_rows(6, "三年级");
    let wrong_check = if rows[1][3].ends_with('1') { "0" } else { "1" };
    rows[1][3].replace_range(17..18, wrong_check); // wrong check character
    rows[2][2] = if rows[2][2] == "男" {
        "女".into()
    } else {
        "男".into()
    }; // sex contradicts the ID
    rows[3][0] = "2143999999".into(); // unknown school
    rows[4][4] = "八年级".into(); // a primary school has no grade eight
    rows[5][5] = "三班".into(); // not a class number
    let path = t.path("bad.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let report = import(t, ImportKind::Students, &path, &autumn()).await;
    assert!(report.refused());
    assert_eq!(
        rows_and_columns(&report.problems),
        vec![
            (5, "身份证件号"),
            (6, "性别"),
            (7, "学校标识码"),
            (8, "年级"),
            (9, "班级")
        ]
    );
    assert!(
        report.problems[0].reason.contains("校验位"),
        "{}",
        report.problems[0]
    );
    assert!(report.problems[0]
        .to_string()
        .starts_with("row 5, column 身份证件号: "));
    assert_eq!(counts(t).await, before, "a refused import changes nothing");

    // --skip-invalid imports the good row and writes the refused ones with their reasons.
    let errors = t.path("errors.xlsx");
    let options = ImportOptions {
        skip_invalid: true,
        errors_out: Some(errors.clone()),
        ..autumn()
    };
    let report = import(t, ImportKind::Students, &path, &options).await;
    assert!(report.committed);
    assert_eq!(report.inserted, 1);
    let spec = [
        emis_io::Column::required("原行号"),
        emis_io::Column::required("错误原因"),
    ];
    let table = emis_io::read_table(&errors, &spec).expect("errors file reads");
    let refused: Vec<&str> = table.rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(refused, vec!["5", "6", "7", "8", "9"]);
    assert!(table.rows[2].cells[1].contains("不在本县学校名单中"));
}
crate::on_both_engines!(bad_rows, super::bad_rows_are_all_named_and_nothing_changes);

async fn one_school_per_student_per_term(t: &TestDb) {
    with_schools(t).await;
    let first = t.path("first.xlsx");
    write_xlsx(
        &first,
        &STUDENT_HEADERS,
        &[student_row(TOWN_JUNIOR, 7, "八年级", 1)],
    );
    assert!(
        import(t, ImportKind::Students, &first, &autumn())
            .await
            .committed
    );

    // Another school claims the same student in the same term: refused, naming the first.
    let mut row = student_row(TOWN_JUNIOR, 7, "八年级", 1);
    row[0] = SENIOR_HIGH.into();
    row[4] = "高二".into();
    let second = t.path("second.xlsx");
    write_xlsx(&second, &STUDENT_HEADERS, &[row.clone()]);
    let report = import(t, ImportKind::Students, &second, &autumn()).await;
    assert!(report.refused());
    assert!(
        report.problems[0].reason.contains("龙潭镇中学"),
        "{}",
        report.problems[0]
    );

    // Inside one file, the second row is refused and names the first row's school.
    let both = t.path("both.xlsx");
    let mut again = student_row(URBAN_PRIMARY, 8, "三年级", 1);
    let mut dup = again.clone();
    dup[0] = TOWN_JUNIOR.into();
    dup[4] = "八年级".into();
    again[5] = "2".into();
    write_xlsx(&both, &STUDENT_HEADERS, &[again, dup]);
    let report = import(t, ImportKind::Students, &both, &autumn()).await;
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].row, 5);
    assert!(
        report.problems[0].reason.contains("第4行")
            && report.problems[0].reason.contains(URBAN_PRIMARY)
    );

    // A different term is another roll: the same student may be elsewhere then.
    let spring = ImportOptions {
        term: Some(Term::spring(2022)),
        ..ImportOptions::default()
    };
    assert!(
        import(t, ImportKind::Students, &second, &spring)
            .await
            .committed
    );
}
crate::on_both_engines!(one_school_per_term, super::one_school_per_student_per_term);

async fn gbk_csv_with_legacy_numbers(t: &TestDb) {
    with_schools(t).await;
    let id = emis_domain::identity::IdNumber::compose(
        "431224",
        chrono::NaiveDate::from_ymd_opt(2007, 12, 31).expect("date"),
        2,
    );
    let text = format!(
        "学校标识码,姓名,性别,身份证件号,年级,班级,出生日期,寄宿生,家庭经济困难类型,学期\n\
         {TOWN_JUNIOR},舒小红,女,{id},初二,2,2007年12月31日,是,脱贫家庭,2021年秋季学期\n"
    );
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let path = t.path("gbk.csv");
    std::fs::write(&path, &bytes).expect("write gbk");
    let report = import(t, ImportKind::Students, &path, &ImportOptions::default()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let roll = registry::roll(&t.db, "431224", "2021-autumn")
        .await
        .expect("roll");
    assert_eq!(roll.len(), 1);
    assert_eq!(roll[0].name, "舒小红");
    assert_eq!(roll[0].grade, emis_domain::registry::Grade::G8);
    assert!(roll[0].boarding);
    assert_eq!(roll[0].hardship, emis_domain::registry::Hardship::LiftedOut);

    // Staff with a legacy 15-digit number: stored upgraded to 18 digits.
    let text = format!("学校标识码,姓名,性别,身份证件号,岗位类别,补充渠道,入职日期\n{TOWN_JUNIOR},向老师,女,431224711231002,专任教师,特岗,2021/9/1\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let path = t.path("staff.csv");
    std::fs::write(&path, &bytes).expect("write gbk");
    let report = import(t, ImportKind::Staff, &path, &ImportOptions::default()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let staff = registry::load_staff(&t.db, "431224").await.expect("staff");
    let upgraded = emis_domain::identity::IdNumber::parse("431224711231002").expect("legacy");
    let teacher = staff
        .get(upgraded.as_str())
        .expect("stored under the 18-digit number");
    assert_eq!(
        teacher.channel,
        Some(emis_domain::registry::RecruitChannel::Tegang)
    );
    assert_eq!(
        teacher.start_date,
        chrono::NaiveDate::from_ymd_opt(2021, 9, 1)
    );
}
crate::on_both_engines!(gbk_csv, super::gbk_csv_with_legacy_numbers);

async fn export_masks_and_round_trips(t: &TestDb) {
    with_schools(t).await;
    let rows = urban_rows(5, "一年级");
    let path = t.path("in.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    assert!(
        import(t, ImportKind::Students, &path, &autumn())
            .await
            .committed
    );

    let masked = t.path("masked.xlsx");
    let options = emis_app::exports::ExportOptions::default();
    let audit_before = counts(t).await.3;
    assert_eq!(
        emis_app::exports::export(
            &t.db,
            "431224",
            ImportKind::Students,
            &masked,
            &options,
            &Actor::cli()
        )
        .await
        .expect("export"),
        5
    );
    let table = emis_io::read_table(&masked, ImportKind::Students.columns()).expect("masked reads");
    assert!(
        table.rows.iter().all(|r| r.cells[3].contains("**********")),
        "ID numbers are masked"
    );
    assert_eq!(
        counts(t).await.3,
        audit_before + 1,
        "a masked export is audited too (one entry)"
    );
    let audit_before = counts(t).await.3;

    let full = t.path("full.xlsx");
    let options = emis_app::exports::ExportOptions {
        unmasked: true,
        ..Default::default()
    };
    emis_app::exports::export(
        &t.db,
        "431224",
        ImportKind::Students,
        &full,
        &options,
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert_eq!(
        counts(t).await.3,
        audit_before + 1,
        "an unmasked export is audited"
    );
    // The export is the import template: importing it back changes nothing.
    let report = import(t, ImportKind::Students, &full, &ImportOptions::default()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 0, 5)
    );
}
crate::on_both_engines!(export_round_trip, super::export_masks_and_round_trips);

async fn annual_report_counts_large_classes_from_rows(t: &TestDb) {
    with_schools(t).await;
    let mut rows = Vec::new();
    let mut n = 0;
    // Spring: a primary class of 56 and one of 66; a senior class of 57; a small class.
    for (school, grade, class, size) in [
        (URBAN_PRIMARY, "三年级", 1, 56),
        (URBAN_PRIMARY, "三年级", 2, 66),
        (SENIOR_HIGH, "高二", 1, 57),
        (TOWN_JUNIOR, "八年级", 1, 30),
    ] {
        for _ in 0..size {
            rows.push(student_row(school, n, grade, class));
            n += 1;
        }
    }
    // One more student in the 56-class who is 休学 does not make it bigger.
    let mut suspended = student_row(URBAN_PRIMARY, 9999, "三年级", 1);
    suspended.push("休学".into());
    rows.push(suspended);
    let mut headers: Vec<&str> = STUDENT_HEADERS.to_vec();
    headers.push("学籍状态");
    let path = t.path("spring.xlsx");
    write_xlsx(&path, &headers, &rows);
    let spring = ImportOptions {
        term: Some(Term::spring(2021)),
        ..ImportOptions::default()
    };
    let report = import(t, ImportKind::Students, &path, &spring).await;
    assert!(report.committed, "{:?}", report.problems);

    // Autumn: the first class only, split small.
    let autumn_rows: Vec<Vec<String>> = rows[..40].to_vec();
    let path = t.path("autumn.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &autumn_rows);
    assert!(
        import(t, ImportKind::Students, &path, &autumn())
            .await
            .committed
    );

    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    use emis_domain::indicators::Value::Count;
    assert_eq!(set.get("classes.large.compulsory.spring"), Some(Count(2)));
    assert_eq!(
        set.get("classes.oversize.compulsory.spring"),
        Some(Count(1))
    );
    assert_eq!(set.get("classes.large.senior.spring"), Some(Count(1)));
    assert_eq!(set.get("classes.oversize.senior.spring"), Some(Count(0)));
    assert_eq!(set.get("classes.large.compulsory.autumn"), Some(Count(0)));
    assert_eq!(
        set.get("students.enrolled"),
        Some(Count(40)),
        "the latest term with data is autumn"
    );
    let json = emis_app::report::annual_report(
        &t.db,
        "431224",
        2021,
        emis_app::report::ReportFormat::Json,
        chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("a date"),
    )
    .await
    .expect("json");
    let parsed: serde_json::Value = serde_json::from_slice(&json).expect("valid json");
    assert_eq!(parsed["indicators"]["classes.large.compulsory.spring"], 2);
    assert_eq!(parsed["county"], "431224");
}
crate::on_both_engines!(
    annual_report,
    super::annual_report_counts_large_classes_from_rows
);

async fn one_file_may_hold_two_terms_of_a_student(t: &TestDb) {
    with_schools(t).await;
    let mut headers: Vec<&str> = STUDENT_HEADERS.to_vec();
    headers.push("学期");
    let mut spring = student_row(URBAN_PRIMARY, 40, "三年级", 1);
    spring.push("2021-spring".into());
    let mut autumn = student_row(URBAN_PRIMARY, 40, "三年级", 2);
    autumn[4] = "四年级".into();
    autumn.push("2021-autumn".into());
    let path = t.path("two-terms.xlsx");
    write_xlsx(&path, &headers, &[spring, autumn]);
    let report = import(t, ImportKind::Students, &path, &ImportOptions::default()).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(counts(t).await.0, 1, "one student");
    assert_eq!(counts(t).await.1, 2, "on two terms' rolls");
    let autumn_roll = registry::roll(&t.db, "431224", "2021-autumn")
        .await
        .expect("roll");
    assert_eq!(
        (autumn_roll[0].grade.label(), autumn_roll[0].class_number),
        ("四年级", 2)
    );
}
crate::on_both_engines!(
    two_terms_in_one_file,
    super::one_file_may_hold_two_terms_of_a_student
);

/// Holds an import at its write stage until the test lets it go, so that another import
/// can run in between: the interleaving two uploads at the same moment can produce.
struct PauseBeforeWrite {
    reached: std::sync::atomic::AtomicBool,
    release: std::sync::atomic::AtomicBool,
}

impl emis_app::Progress for PauseBeforeWrite {
    fn stage(&self, name: &str, _total: u64) {
        use std::sync::atomic::Ordering;
        if name == "写入数据库" && !self.reached.swap(true, Ordering::SeqCst) {
            // The worker's queued tasks (a pooled connection going back) move to another
            // thread meanwhile.
            tokio::task::block_in_place(|| {
                while !self.release.load(Ordering::SeqCst) {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            });
        }
    }
    fn advance(&self, _by: u64) {}
}

/// A student import of `path` held at its write stage (see [`PauseBeforeWrite`]): it has
/// read the roll and checked its rows, and writes when the pause is released.
async fn import_paused_before_write(
    t: &TestDb,
    path: std::path::PathBuf,
) -> (
    tokio::task::JoinHandle<emis_app::Result<ImportReport>>,
    std::sync::Arc<PauseBeforeWrite>,
) {
    use std::sync::atomic::Ordering;
    let pause = std::sync::Arc::new(PauseBeforeWrite {
        reached: false.into(),
        release: false.into(),
    });
    let (db, paused) = (t.db.clone(), pause.clone());
    let import = tokio::spawn(async move {
        import_file(
            &db,
            "431224",
            ImportKind::Students,
            &path,
            &autumn(),
            &Actor::cli(),
            &*paused,
        )
        .await
    });
    while !pause.reached.load(Ordering::SeqCst) {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    (import, pause)
}

async fn concurrent_imports_cannot_both_enrol(t: &TestDb) {
    use std::sync::atomic::Ordering;
    with_schools(t).await;
    // The same 50 new students, sent by two schools at once.
    let rows = |school: &str, grade: &str| -> Vec<Vec<String>> {
        (0..50)
            .map(|n| {
                let mut row = student_row(school, 300 + n, "八年级", 1);
                row[4] = grade.into();
                row
            })
            .collect()
    };
    let a_path = t.path("a.xlsx");
    write_xlsx(&a_path, &STUDENT_HEADERS, &rows(TOWN_JUNIOR, "八年级"));
    let b_path = t.path("b.xlsx");
    write_xlsx(&b_path, &STUDENT_HEADERS, &rows(SENIOR_HIGH, "高二"));

    let (first, pause) = import_paused_before_write(t, a_path).await;
    // A has checked its rows against an empty roll; B now enrols the same students.
    let second = import(t, ImportKind::Students, &b_path, &autumn()).await;
    assert!(second.committed && second.inserted == 50, "{second:?}");
    pause.release.store(true, Ordering::SeqCst);
    let first = first.await.expect("first import").expect("import runs");

    // A checks again against B's roll: every row is refused, naming B's school.
    assert!(first.refused(), "{:?}", first.summary(ImportKind::Students));
    assert_eq!(first.problems.len(), 50);
    assert!(first.problems[0].reason.contains("溆浦县第一中学"));
    let roll = registry::load_enrollments(&t.db, "431224", "2021-autumn")
        .await
        .expect("roll");
    assert_eq!(roll.len(), 50);
    assert!(roll.values().all(|e| e.school_code == SENIOR_HIGH));
}
crate::on_both_engines!(
    concurrent_imports,
    super::concurrent_imports_cannot_both_enrol
);

async fn a_student_written_meanwhile_refuses_the_whole_import(t: &TestDb) {
    use std::sync::atomic::Ordering;
    with_schools(t).await;
    let rows: Vec<Vec<String>> = (0..20)
        .map(|n| student_row(TOWN_JUNIOR, 400 + n, "八年级", 1))
        .collect();
    let path = t.path("new.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let (import, pause) = import_paused_before_write(t, path).await;
    // The import found all 20 new; a writer that takes no import turn now adds the 8th.
    sqlx::query(
        "INSERT INTO students (county, id_number, name, sex, birth_date, hardship) \
         VALUES ('431224', $1, '学生407', $2, '2007-01-01', '无')",
    )
    .bind(&rows[7][3])
    .bind(&rows[7][2])
    .execute(t.db.pool())
    .await
    .expect("the other writer");
    pause.release.store(true, Ordering::SeqCst);
    let refused = import.await.expect("import task").expect_err("refused");
    assert!(refused.to_string().contains("请重新导入"), "{refused}");
    // Nothing of the import was written: only the other writer's student is there.
    let (students, enrollments, classes, _) = counts(t).await;
    assert_eq!((students, enrollments, classes), (1, 0, 0));
}
crate::on_both_engines!(
    written_meanwhile,
    super::a_student_written_meanwhile_refuses_the_whole_import
);
