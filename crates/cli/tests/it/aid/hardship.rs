//! The hardship import (家庭经济困难认定): validated, scoped, kept by later rolls.

use super::*;

/// The hardship import: refused rows name row, column and reason and write nothing; a good
/// file sets the type eligibility reads and keeps the certificate; a school imports only
/// its own students; re-importing changes nothing.
async fn hardship_import(t: &TestDb) {
    let ids = county_with_students(t).await;
    let before = check(t).await;
    assert!(!before.entitlements.iter().any(|e| e.id_number == ids.none));

    let bad = t.write(
        "hardship_bad.csv",
        format!(
            "身份证件号,困难类型,证书编号\n{},低保家庭,DB-001\n{},低保,\n{},富裕,X1\n110101200001011234,孤儿,GE1\n{},孤儿,GE2\n",
            ids.none, ids.lifted, ids.senior, ids.none
        ),
    );
    let report = import(t, ImportKind::Hardship, &bad).await;
    assert_refused(
        &report,
        &[
            "row 3, column 证书编号",
            "row 4, column 困难类型",
            "row 5, column 身份证件号",
            "row 6, column 身份证件号",
        ],
    );
    assert!(emis_storage::aid::all_evidence(&t.db, "431224")
        .await
        .expect("evidence")
        .is_empty());

    let certificate = format!(
        "身份证件号,困难类型,证书编号\n{},低保家庭,db431224001\n",
        ids.none
    );
    let good = t.write("hardship.csv", certificate);
    // A school outside the student's school may not import them.
    let options = ImportOptions {
        scope: Some(school_scope(TOWN_JUNIOR)),
        ..autumn_2021()
    };
    let scoped = import_with(t, ImportKind::Hardship, &good, &options).await;
    assert!(scoped.refused(), "{scoped:?}");
    let report = import(t, ImportKind::Hardship, &good).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.updated, 1);
    let again = import(t, ImportKind::Hardship, &good).await;
    assert_eq!((again.updated, again.unchanged), (0, 1));
    assert_eq!(
        emis_storage::aid::evidence(&t.db, "431224", &ids.none)
            .await
            .expect("evidence"),
        vec![("低保家庭".to_string(), "DB431224001".to_string())]
    );
    let after = check(t).await;
    let policies: Vec<&str> = after
        .entitlements
        .iter()
        .filter(|e| e.id_number == ids.none)
        .map(|e| e.policy.as_str())
        .collect();
    assert_eq!(policies, vec!["non_boarding"]);

    // A later students sheet: an empty 家庭经济困难类型 keeps the certified type (noted);
    // a stated other type wins, with a warning naming the row, and is audited.
    let roll = |hardship: &str| {
        let row = student_row(URBAN_PRIMARY, 4, "一年级", 1).join(",");
        t.write(
            &format!("students_again_{}.csv", hardship.len()),
            format!("学校标识码,姓名,性别,身份证件号,年级,班级,寄宿生,家庭经济困难类型\n{row},否,{hardship}\n"),
        )
    };
    let hardship_now = || async {
        emis_storage::registry::load_students(&t.db, "431224")
            .await
            .expect("students")[&ids.none]
            .hardship
            .clone()
    };
    let report = import(t, ImportKind::Students, &roll("")).await;
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(
        report.unchanged, 1,
        "nothing to change: the certified type is kept"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("保留已有证书的困难认定")),
        "{:?}",
        report.notes
    );
    assert_eq!(hardship_now().await, "低保家庭");
    let report = import(t, ImportKind::Students, &roll("其他困难")).await;
    assert!(report.committed, "{:?}", report.problems);
    let warnings = problem_lines(&report.warnings);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("row 2, column 家庭经济困难类型")
                && w.contains("低保家庭")
                && w.contains("其他困难")),
        "{warnings:?}"
    );
    assert_eq!(hardship_now().await, "其他困难");
    let audit = audit_of(t, &ids.none).await;
    assert!(audit.iter().any(|r| r.entity == "student"
        && r.action == "update"
        && r.before_json
            .as_deref()
            .is_some_and(|b| b.contains("低保家庭"))));
}

crate::on_both_engines!(aid_hardship_import, super::hardship_import);
