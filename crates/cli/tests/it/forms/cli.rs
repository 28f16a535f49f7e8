//! `emis forms define|assign|status` on a fresh county.

use crate::cli::{arg, county_db, emis, text};

#[test]
fn define_assign_and_status_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let file = dir.path().join("form.json");
    std::fs::write(&file, super::FORM).expect("write");
    let out = emis(&db, &["forms", "define", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("已保存报表 covid_vaccination 第1版"));
    let out = emis(&db, &["forms", "define", arg(&file)]);
    assert!(text(&out).contains("第1版未改变"), "{}", text(&out));

    std::fs::write(&file, super::FORM.replace("\"once\"", "\"weekly\"")).expect("write");
    let out = emis(&db, &["forms", "define", arg(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("报表定义不是有效的 JSON"),
        "{}",
        text(&out)
    );

    let out = emis(
        &db,
        &[
            "forms",
            "assign",
            "covid_vaccination",
            "--period",
            "2021-autumn",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("应如 2021"), "{}", text(&out));
    let out = emis(
        &db,
        &[
            "forms",
            "assign",
            "covid_vaccination",
            "--period",
            "2021",
            "--due",
            "2021-10-15",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("填报单位3个"), "{}", text(&out));
    let out = emis(
        &db,
        &[
            "forms",
            "status",
            "covid_vaccination",
            "--period",
            "2021",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["assigned"], 3);
    assert_eq!(v["submitted"], 0);
    assert_eq!(v["rate"], 0.0);
}
