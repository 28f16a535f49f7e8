//! The poverty list (建档立卡): imported once, it marks the suspected children of poor
//! households.

use super::*;

async fn poverty_list_marks_the_suspected(t: &TestDb) {
    with_roll(t).await;
    let list = t.path("poverty.csv");
    std::fs::write(
        &list,
        format!(
            "身份证件号,姓名,户主姓名\n{},失学儿童,监护人甲\n{},学生1,家长1\n",
            missing_child(),
            student_id(2012, 1)
        ),
    )
    .expect("write");
    let poverty = || async {
        dropout::import_poverty_file(&t.db, COUNTY, &list, &Actor::cli())
            .await
            .expect("poverty")
    };
    let report = poverty().await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.inserted, 2);
    let again = poverty().await;
    assert!(!again.committed);
    assert_eq!(again.unchanged, 2);

    let report = import(t, &population_file(t)).await;
    assert!(report.import.committed);
    // Only the suspected child is marked: 学生1 is in school.
    assert_eq!(report.counts.poverty_household, 1);
    let suspected = suspected(t, store::LedgerQuery::of(store::Ledger::Suspected)).await;
    let marked: Vec<&str> = suspected
        .iter()
        .filter(|p| p.poverty)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(marked, vec!["失学儿童"]);
}

on_both_engines!(dropout_poverty, super::poverty_list_marks_the_suspected);
