//! The population import (户籍适龄人口): compared with the roll, cases opened once, bad
//! rows named with nothing changed, an empty roll refused.

use super::*;

async fn population_import_compares_and_opens_cases(t: &TestDb) {
    with_roll(t).await;
    let path = population_file(t);
    let report = import(t, &path).await;
    assert!(report.import.committed, "{:?}", report.import.problems);
    assert_eq!(report.term, "2021-autumn");
    assert_eq!(report.counts.school_age, 11);
    assert_eq!(report.counts.in_school, 9);
    assert_eq!(report.counts.suspected, 2);
    assert_eq!(report.counts.probable, 1);
    assert_eq!(report.cases_created, 2);

    let snapshot = store::snapshot_by_date(&t.db, COUNTY, "2021-09-15")
        .await
        .expect("snapshot")
        .expect("stored");
    assert_eq!(snapshot.suspected, 2);
    let suspected = suspected(t, store::LedgerQuery::of(store::Ledger::Suspected)).await;
    assert_eq!(suspected.len(), 2);
    let probable = suspected
        .iter()
        .find(|p| p.name == "学生3")
        .expect("probable in ledger");
    assert_eq!(
        probable.candidate_id.as_deref(),
        Some(student_id(2012, 3).as_str())
    );
    assert!(probable
        .candidate_reason
        .as_deref()
        .is_some_and(|r| r.contains("姓名、出生日期、性别相同")));
    let case_id = cases(t)
        .await
        .into_iter()
        .find(|c| c.name == "学生3")
        .expect("case")
        .id;
    let view = dropout::case(&t.db, &county_scope(), case_id, as_of())
        .await
        .expect("case view");
    assert_eq!(
        view.person.and_then(|p| p.candidate_id),
        Some(student_id(2012, 3))
    );

    // Re-importing the same snapshot changes nothing: no new case, no audit entry.
    let audit_before = audit_count(t).await;
    let again = import(t, &path).await;
    assert!(!again.import.committed);
    assert_eq!(again.import.unchanged, 12);
    assert_eq!(again.cases_created, 0);
    assert_eq!(audit_count(t).await, audit_before);

    // A later snapshot with the same children does not duplicate the open cases.
    let october = NaiveDate::from_ymd_opt(2021, 10, 15).expect("d");
    let later = import_as_of(t, &path, october, None).await.expect("later");
    assert!(later.import.committed);
    assert_eq!(later.cases_created, 0);
    assert_eq!(cases(t).await.len(), 2);
}
on_both_engines!(
    population_import,
    super::population_import_compares_and_opens_cases
);

async fn bad_rows_are_named_and_nothing_changes(t: &TestDb) {
    with_roll(t).await;
    let mut rows = population_rows();
    rows[0][1] = if rows[0][1] == "男" { "女" } else { "男" }.into();
    rows[1][3] = "火星镇".into();
    rows[2][2] = "12345".into();
    rows[4][1] = rows[5][1].clone();
    rows[4][2] = rows[5][2].clone();
    let path = t.path("bad.csv");
    write_gbk(&path, &rows);
    let audit_before = audit_count(t).await;
    let report = import(t, &path).await;
    assert!(!report.import.committed);
    let lines: Vec<String> = report
        .import
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect();
    // The header is on line 2, so the first person is row 3.
    assert!(
        lines.contains(&"row 3, column 性别: 性别“女”与身份证件号不一致".to_string())
            || lines.contains(&"row 3, column 性别: 性别“男”与身份证件号不一致".to_string()),
        "{lines:?}"
    );
    for start in [
        "row 4, column 户籍乡镇:",
        "row 5, column 身份证件号:",
        "row 8, column 身份证件号: 与第7行重复",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(start)), "{lines:?}");
    }
    assert_nothing_stored(t, audit_before).await;
}
on_both_engines!(
    population_bad_rows,
    super::bad_rows_are_named_and_nothing_changes
);

/// A snapshot dated in a term without a roll is not compared (every child would look like a
/// dropout): refused naming the empty term, nothing stored; `--term` picks the roll to use.
async fn empty_roll_is_refused_and_term_chooses_the_roll(t: &TestDb) {
    with_roll(t).await;
    let path = population_file(t);
    let spring = NaiveDate::from_ymd_opt(2022, 3, 1).expect("date");
    let audit_before = audit_count(t).await;
    let refused = import_as_of(t, &path, spring, None)
        .await
        .expect_err("empty spring roll");
    let message = refused.to_string();
    assert!(message.contains("2022年春季学期没有学籍数据"), "{message}");
    assert_nothing_stored(t, audit_before).await;

    // Compared with the autumn roll instead, only the children not on it are suspected.
    let report = import_as_of(t, &path, spring, Some(Term::autumn(2021)))
        .await
        .expect("compared with autumn");
    assert!(report.import.committed, "{:?}", report.import.problems);
    assert_eq!(report.term, "2021-autumn");
    let cases = cases(t).await;
    assert!(!cases.is_empty() && cases.len() < population_rows().len());
}
on_both_engines!(
    empty_roll,
    super::empty_roll_is_refused_and_term_chooses_the_roll
);
