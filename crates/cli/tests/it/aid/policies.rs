//! 资助政策: catalog edits change the eligibility computed afterwards.

use super::*;

/// Editing the catalog changes the eligibility computed afterwards; refusals name the
/// field and write nothing; only the county edits; copying makes the next year's catalog.
async fn catalog_edits(t: &TestDb) {
    let ids = county_with_students(t).await;
    let actor = Actor::cli();
    let eligible = |check: &aid::AidCheck, id: &str, policy: &str| {
        check
            .entitlements
            .iter()
            .find(|e| e.id_number == id && e.policy == policy)
            .map(|e| e.fen)
    };
    let before = check(t).await;
    assert_eq!(eligible(&before, &ids.none, "non_boarding"), None);
    assert_eq!(eligible(&before, &ids.lifted, "non_boarding"), Some(25_000));

    // 非寄宿生生活费补助 opened to every non-boarder, primary raised to 300 yuan.
    let catalog = aid::catalog(&t.db, "431224", 2021).await.expect("catalog");
    let mut form = PolicyForm::of(
        catalog
            .iter()
            .find(|p| p.code == "non_boarding")
            .expect("policy"),
    );
    // Through the condition fields: only 非寄宿生, no hardship group ticked.
    form.hardship = String::new();
    form.disabled = String::new();
    form.by_stage = "小学=300；初中=312.5".into();
    let bad = PolicyForm {
        by_stage: "小学=三百".into(),
        ..form.clone()
    };
    let e = aid::save_policy(&t.db, &county_scope(), 2021, &bad, &actor)
        .await
        .refused("refused expected");
    assert_eq!(e.field, "by_stage");
    assert!(e.reason.contains("三百"), "{e:?}");
    assert!(matches!(
        aid::save_policy(&t.db, &longtan(), 2021, &form, &actor).await,
        Err(AppError::Forbidden)
    ));
    assert!(emis_storage::aid::policies(&t.db, "431224", 2021)
        .await
        .expect("stored")
        .is_empty());
    aid::save_policy(&t.db, &county_scope(), 2021, &form, &actor)
        .await
        .expect("save");
    let stored = emis_storage::aid::policies(&t.db, "431224", 2021)
        .await
        .expect("stored");
    assert_eq!(stored.len(), catalog.len(), "the other policies are kept");
    let after = check(t).await;
    assert_eq!(eligible(&after, &ids.none, "non_boarding"), Some(30_000));
    assert_eq!(eligible(&after, &ids.lifted, "non_boarding"), Some(30_000));
    assert_eq!(
        eligible(&after, &ids.boarder, "boarding"),
        eligible(&before, &ids.boarder, "boarding")
    );
    let audit = audit_of(t, "2021/non_boarding").await;
    assert!(audit
        .iter()
        .any(|r| r.entity == "aid_policy" && r.action == "update"));

    // Copy to 2022; a second copy is refused.
    assert_eq!(
        aid::copy_catalog(&t.db, &county_scope(), 2021, 2022, &actor)
            .await
            .expect("copy"),
        catalog.len()
    );
    let next = aid::catalog(&t.db, "431224", 2022).await.expect("2022");
    assert!(next.iter().all(|p| p.year == 2022));
    assert_eq!(
        next.iter()
            .find(|p| p.code == "non_boarding")
            .map(|p| &p.who),
        Some(&form.policy(2021).expect("p").who)
    );
    assert!(matches!(
        aid::copy_catalog(&t.db, &county_scope(), 2021, 2022, &actor).await,
        Err(AppError::Refused(_))
    ));
}

crate::on_both_engines!(aid_catalog_edits_change_eligibility, super::catalog_edits);
