//! `emis forms define|assign|status` on a fresh county.

use crate::cli::{arg, county_db, emis, text};

#[test]
fn define_assign_and_status_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp");
    let db = county_db(dir.path());
    let status = || {
        emis(
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
        )
    };
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
    let out = status();
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["assigned"], 3);
    assert_eq!(v["submitted"], 0);
    assert_eq!(v["rate"], 0.0);

    // The sheet to fill: one row per school, the locked roll set and marked.
    let sheet = dir.path().join("filled.csv");
    let out = emis(
        &db,
        &[
            "forms",
            "template",
            "covid_vaccination",
            "--period",
            "2021",
            "-o",
            arg(&sheet),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let written = std::fs::read_to_string(&sheet).expect("sheet");
    let lines: Vec<&str> = written.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "填报单位代码,填报单位,在校生数（系统预填，不可修改）,已接种学生数"
    );
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with("2143000001,溆浦县卢峰镇第一小学,0,"),
        "{}",
        lines[1]
    );
    // Filled with a changed locked cell and a value above the roll: refused by row and column.
    let filled = |first: &str| {
        format!(
            "{}\n{first}\n{},0\n{},0\n",
            lines[0],
            lines[2].trim_end_matches(','),
            lines[3].trim_end_matches(',')
        )
    };
    let import = |file: &std::path::Path| {
        emis(
            &db,
            &[
                "forms",
                "import",
                "covid_vaccination",
                "--period",
                "2021",
                arg(file),
            ],
        )
    };
    std::fs::write(&sheet, filled("2143000001,溆浦县卢峰镇第一小学,5,1")).expect("write");
    let out = import(&sheet);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            "row 2, column 在校生数（系统预填，不可修改）: 在校生数：该项由系统按本单位记录预填为0，不能修改"
        ),
        "{}",
        text(&out)
    );
    std::fs::write(&sheet, filled("2143000001,溆浦县卢峰镇第一小学,0,1")).expect("write");
    let out = import(&sheet);
    assert!(
        text(&out).contains("row 2, column 已接种学生数: 接种人数不能超过在校生数"),
        "{}",
        text(&out)
    );
    std::fs::write(&sheet, filled("2143000001,溆浦县卢峰镇第一小学,0,0")).expect("write");
    let out = import(&sheet);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("共3行：提交3，未变0"), "{}", text(&out));
    let again = import(&sheet);
    assert!(text(&again).contains("提交0，未变3"), "{}", text(&again));
    let out = status();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (v["submitted"].as_i64(), v["rate"].as_f64()),
        (Some(3), Some(1.0))
    );
}
