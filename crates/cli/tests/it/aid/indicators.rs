//! The `aid.*` indicators, counted by the database (the payments summed, the roll and the
//! paid keys grouped by the facts eligibility reads), are the figures of the check made
//! student by student: before and after payments, over both terms, for students with and
//! without a hardship type, and under a 名额.

use super::*;
use emis_app::imports::ImportOptions;

/// The year's figures as the check gives them over its two terms.
async fn checked(t: &TestDb) -> Vec<(&'static str, Value)> {
    let c = aid::check(&t.db, "431224", &Term::of_year(2021))
        .await
        .expect("check");
    vec![
        (
            "aid.person_times",
            Value::Count(c.summary.person_times as i64),
        ),
        ("aid.amount", Value::Fen(c.summary.fen)),
        ("aid.missed", Value::Count(c.gaps.missed.len() as i64)),
    ]
}

async fn indicators(t: &TestDb) -> Vec<(&'static str, Value)> {
    aid::indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators")
}

async fn counted_like_the_check(t: &TestDb) {
    let ids = county_with_students(t).await;
    // The same four on the spring roll: each of their entitlements is owed in both terms.
    let spring = ImportOptions {
        term: Some(Term::spring(2021)),
        ..ImportOptions::default()
    };
    import_committed(t, ImportKind::Students, &t.path("students.csv"), &spring).await;
    let before = indicators(t).await;
    assert_eq!(before, checked(t).await);
    assert_eq!(
        before,
        vec![
            ("aid.person_times", Value::Count(0)),
            ("aid.amount", Value::Fen(0)),
            ("aid.missed", Value::Count(8)),
        ]
    );

    // The boarder paid in both terms, the senior's fee paid twice in autumn (one 人次, two
    // amounts), and a payment to a student who is not eligible (no entitlement paid).
    let payments = t.write(
        "aid.csv",
        format!(
            "学校标识码,身份证件号,资助项目,学期,金额(元)\n\
             {TOWN_JUNIOR},{b},家庭经济困难寄宿生生活费补助,2021-autumn,625\n\
             {TOWN_JUNIOR},{b},家庭经济困难寄宿生生活费补助,2021-spring,625\n\
             {SENIOR_HIGH},{s},普通高中免学杂费,2021-autumn,800\n\
             {SENIOR_HIGH},{s},普通高中免学杂费,2021-autumn,800\n\
             {URBAN_PRIMARY},{n},非寄宿生生活费补助,2021-autumn,250\n",
            b = ids.boarder,
            s = ids.senior,
            n = ids.none
        ),
    );
    let report = import(t, ImportKind::Aid, &payments).await;
    assert!(report.committed, "{:?}", report.problems);
    let paid = indicators(t).await;
    assert_eq!(paid, checked(t).await);
    assert_eq!(
        paid,
        vec![
            ("aid.person_times", Value::Count(4)),
            ("aid.amount", Value::Fen(62_500 * 2 + 80_000 * 2 + 25_000)),
            ("aid.missed", Value::Count(5)),
        ]
    );

    // 非寄宿生生活费补助 opened to every non-boarder: the student without a hardship type
    // (counted from the roll entries alone) is owed it in both terms, and was paid in autumn.
    let catalog = aid::catalog(&t.db, "431224", 2021).await.expect("catalog");
    let non_boarding = catalog
        .iter()
        .find(|p| p.code == "non_boarding")
        .expect("policy");
    let form = PolicyForm {
        hardship: String::new(),
        disabled: String::new(),
        ..PolicyForm::of(non_boarding)
    };
    aid::save_policy(&t.db, &county_scope(), 2021, &form, &Actor::cli())
        .await
        .expect("save");
    let opened = indicators(t).await;
    assert_eq!(opened, checked(t).await);
    assert_eq!(opened[2], ("aid.missed", Value::Count(6)));

    // A 名额 of none for 普通高中国家助学金: the students are ranked one by one, and the
    // senior's grant is no longer owed in either term.
    let grant = catalog
        .iter()
        .find(|p| p.code == "senior_grant")
        .expect("policy");
    let form = PolicyForm {
        quota_spring: "0".into(),
        quota_autumn: "0".into(),
        ..PolicyForm::of(grant)
    };
    aid::save_policy(&t.db, &county_scope(), 2021, &form, &Actor::cli())
        .await
        .expect("save");
    let quota = indicators(t).await;
    assert_eq!(quota, checked(t).await);
    assert_eq!(quota[2], ("aid.missed", Value::Count(4)));
}

crate::on_both_engines!(
    aid_indicators_count_like_the_check,
    super::counted_like_the_check
);
