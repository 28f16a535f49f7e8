//! Issue #11: bounded sheets, field lengths and the values the domain knows (民族, 户籍乡镇,
//! classes), and exports that cannot fail on a long value.

use crate::cli::{
    add_teacher, assert_prints, count, county_db, import_students, refused_stdout, text,
};
use crate::support::*;
use emis_app::imports::{ImportKind, ImportReport};
use emis_app::Actor;
use emis_storage::registry;
use std::path::Path;
use std::time::{Duration, Instant};

fn student_count(db: &str) -> i64 {
    count(db, "students")
}

#[test]
fn bombs_are_refused_in_chinese_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let cases = [
        (
            "xfd.xlsx",
            emis_io::crafted::xfd_bomb(),
            "第1048576行第XFD列超出允许的范围：工作表最多300000行数据、256列",
        ),
        (
            "bomb.xlsx",
            emis_io::crafted::deflate_bomb(300 * 1024 * 1024),
            "工作簿解压后超过256MB",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 this is not really a workbook".to_vec(),
            "文件不是有效的 .xlsx 工作簿",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        let started = Instant::now();
        let out = import_students(&db, &path, &[]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
        assert!(text(&out).contains(message), "{name}: {}", text(&out));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(student_count(&db), 0, "{name}: nothing imported");
    }
}

#[test]
fn a_100000_character_name_is_refused_with_row_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let mut rows = urban_rows(3, "一年级");
    rows[1][1] = "张".repeat(100_000);
    // Excel and rust_xlsxwriter refuse to write such a cell; other tools do not.
    let mut xml = String::from(r#"<row r="1">"#);
    for (c, h) in STUDENT_HEADERS.iter().enumerate() {
        xml.push_str(&emis_io::crafted::cell(
            &format!("{}1", emis_io::column_letters(c as u64)),
            h,
        ));
    }
    xml.push_str("</row>");
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!(r#"<row r="{}">"#, r + 2));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", emis_io::column_letters(c as u64), r + 2);
            xml.push_str(&emis_io::crafted::cell(&at, v));
        }
        xml.push_str("</row>");
    }
    let path = dir.path().join("long.xlsx");
    std::fs::write(&path, emis_io::crafted::xlsx_with_rows(&xml)).expect("write");
    let out = import_students(&db, &path, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("第3行第B列的内容有100000个字符，超过单元格允许的32767个字符"),
        "{}",
        text(&out)
    );
    // Below Excel's limit the domain's limit for names applies, row and column named.
    rows[1][1] = "张".repeat(5_000);
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    let stdout = refused_stdout(&import_students(&db, &path, &[]));
    assert_prints(
        &stdout,
        "row 5, column 姓名: 姓名不能超过50个字（现有5000个字）",
    );
    assert_eq!(student_count(&db), 0);
}

#[test]
fn csv_rows_are_numbered_as_the_sheet_shows_them() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let mut csv = String::from("溆浦县学生名册\r\n");
    csv.push_str(&STUDENT_HEADERS.join(","));
    csv.push_str("\r\n");
    for n in 0..3 {
        let mut row = student_row(URBAN_PRIMARY, n, "一年级", 1);
        if n == 2 {
            row[3] = "43122420140101".into();
        }
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    let path = dir.path().join("students.csv");
    std::fs::write(&path, csv).expect("write");
    let stdout = refused_stdout(&import_students(&db, &path, &[]));
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("row 5, column 身份证件号:")),
        "the bad row is on line 5: {stdout}"
    );
}

async fn import(t: &TestDb, path: &Path) -> ImportReport {
    import_with(t, ImportKind::Students, path, &autumn_2021()).await
}

async fn ethnicity_and_township_are_known_values(t: &TestDb) {
    schools_without_term(t).await;
    let mut headers: Vec<&str> = STUDENT_HEADERS.to_vec();
    headers.extend(["民族", "户籍乡镇"]);
    let mut rows = Vec::new();
    for (n, (ethnicity, township)) in [
        ("苗族", "卢峰镇"),
        ("火星族", "卢峰镇"),
        ("汉", "不存在镇"),
        ("土家", "431224104"),
        ("", ""),
    ]
    .iter()
    .enumerate()
    {
        let mut row = student_row(URBAN_PRIMARY, n as u32, "一年级", 1);
        row.push(ethnicity.to_string());
        row.push(township.to_string());
        rows.push(row);
    }
    let path = t.path("known.xlsx");
    write_xlsx(&path, &headers, &rows);
    let report = import(t, &path).await;
    assert!(!report.committed);
    assert_eq!(
        rows_and_columns(&report.problems),
        vec![(5, "民族"), (6, "户籍乡镇")],
        "{:?}",
        report.problems
    );
    assert!(report.problems[0].reason.contains("火星族"));
    assert!(report.problems[1].reason.contains("不是本县的乡镇"));

    // Without the two bad rows: stored with the normalised names.
    rows.remove(2);
    rows.remove(1);
    write_xlsx(&path, &headers, &rows);
    let report = import(t, &path).await;
    assert!(report.committed, "{:?}", report.problems);
    let detail = |id: String| async move {
        let stored = registry::load_students(&t.db, "431224")
            .await
            .expect("students");
        let (_, s) = stored
            .into_iter()
            .find(|(_, s)| s.id_number == id)
            .expect("stored");
        (s.ethnicity, s.household_township)
    };
    assert_eq!(
        detail(rows[1][3].clone()).await,
        (Some("土家族".to_string()), Some("龙潭镇".to_string()))
    );
}
crate::on_both_engines!(
    ethnicity_and_township,
    super::ethnicity_and_township_are_known_values
);

async fn exports_survive_a_long_stored_value(t: &TestDb) {
    schools_without_term(t).await;
    let rows = urban_rows(2, "一年级");
    let path = t.path("in.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    assert!(import(t, &path).await.committed);
    // Bypass every check: a 100,000-character value straight into the table (not the
    // name: PostgreSQL's index on names cannot hold one that long).
    sqlx::query("UPDATE students SET household_township = $1 WHERE county = '431224'")
        .bind("张".repeat(100_000))
        .execute(t.db.pool())
        .await
        .expect("update");
    for name in ["long.xlsx", "long.csv"] {
        let out = t.path(name);
        let n = emis_app::exports::export(
            &t.db,
            "431224",
            ImportKind::Students,
            &out,
            &emis_app::exports::ExportOptions::default(),
            &Actor::cli(),
        )
        .await
        .expect("export succeeds");
        assert_eq!(n, 2);
        let table = emis_io::read_table(&out, ImportKind::Students.columns()).expect("reads");
        assert_eq!(table.rows[0].cells[8].chars().count(), 32_767);
    }
}
crate::on_both_engines!(
    long_values_export,
    super::exports_survive_a_long_stored_value
);

#[test]
fn a_class_teacher_gets_a_class_the_school_has() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    // A primary school has no 九年级.
    let out = add_teacher(&db, "wang", "九年级99班");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("不设九年级"), "{}", text(&out));
    // Once the school has a roll, only its classes.
    let rows = urban_rows(2, "一年级");
    let path = dir.path().join("roll.xlsx");
    write_xlsx(&path, &STUDENT_HEADERS, &rows);
    assert!(import_students(&db, &path, &[]).status.success());
    let out = add_teacher(&db, "wang", "一年级9班");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("不在"), "{}", text(&out));
    let out = add_teacher(&db, "wang", "一年级1班");
    assert!(out.status.success(), "{}", text(&out));
}
