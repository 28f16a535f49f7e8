//! The 九长 chain: links at every level, kept to the scope, phones masked, targets checked
//! against the registry.

use super::*;

fn class_teacher() -> Account {
    account(
        "banzhuren",
        Role::ClassTeacher,
        Scope::Class {
            county: county(),
            school: URBAN_PRIMARY.into(),
            grade: emis_domain::registry::Grade::parse("三年级").expect("grade"),
            number: 1,
        },
    )
}

/// The 九长 chain beyond water bodies: a school keeps its own school and class links, not
/// another school's nor a village's; a township keeps its villages; a 班主任 sees its own class
/// link only and cannot see phones in full; a keeper's full view is audited.
async fn chain_links(t: &TestDb) {
    use emis_app::safety::chain::{self, PersonForm, TargetForm};
    county_with_schools(t).await;
    let db = &t.db;
    let person = |role: &str, name: &str, phone: &str| PersonForm {
        role: role.into(),
        person: name.into(),
        phone: phone.into(),
    };
    let class = |grade: &str, number: &str| TargetForm {
        level: "班级".into(),
        grade: grade.into(),
        class_number: number.into(),
        ..TargetForm::default()
    };
    let own = school(URBAN_PRIMARY);
    let mine = chain::add_link(
        db,
        &own,
        &class("三年级", "1"),
        &person("班长", "米老师", "13807450001"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("own class");
    let other_class = chain::add_link(
        db,
        &own,
        &class("三年级", "2班"),
        &person("班长", "贺老师", "13807450002"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("another class");
    let bad_grade = chain::add_link(
        db,
        &own,
        &class("三年", "2"),
        &person("班长", "贺老师", "13807450002"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(bad_grade.expect_err("grade").field, "grade");
    let mut head = TargetForm {
        level: "学校".into(),
        school: TOWN_JUNIOR.into(),
        ..TargetForm::default()
    };
    // A school naming another school is refused; left out, the school is its own.
    let foreign = chain::add_link(
        db,
        &own,
        &head,
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("another school");
    assert!(foreign.is_out_of_scope(), "{foreign:?}");
    head.school = String::new();
    let school_link = chain::add_link(
        db,
        &own,
        &head,
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("school link");
    assert_eq!(
        chain::visible_link(db, &own, school_link)
            .await
            .expect("link")
            .school_code
            .as_deref(),
        Some(URBAN_PRIMARY)
    );
    let refused = chain::add_link(
        db,
        &officer(),
        &TargetForm {
            school: "9999999999".into(),
            ..head.clone()
        },
        &person("校长", "向校长", "13807450003"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(refused.expect_err("no such school").field, "school");
    let village = TargetForm {
        level: "村".into(),
        township: "431224104".into(),
        village: "桐木村".into(),
        ..TargetForm::default()
    };
    assert!(matches!(
        chain::add_link(
            db,
            &own,
            &village,
            &person("村长", "舒村长", "13807450004"),
            "test"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    let village_link = chain::add_link(
        db,
        &longtan(),
        &village,
        &person("村长", "舒村长", "13807450004"),
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("village link");
    // 龙潭镇 does not see 卢峰镇's school links; the urban school does not see 龙潭镇's village.
    assert!(matches!(
        chain::visible_link(db, &longtan(), mine).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        chain::visible_link(db, &own, village_link).await,
        Err(AppError::NotFound)
    ));

    // The 班主任 of 三年级1班 sees its class and its school, not the other class.
    let teacher = class_teacher();
    let seen: Vec<i64> = chain::links(db, &teacher, None)
        .await
        .expect("links")
        .iter()
        .map(|l| l.id)
        .collect();
    assert!(
        seen.contains(&mine) && seen.contains(&school_link),
        "{seen:?}"
    );
    assert!(!seen.contains(&other_class));
    assert!(matches!(
        chain::reveal_phone(db, &teacher, mine, "test").await,
        Err(AppError::Forbidden)
    ));
    let full = chain::reveal_phone(db, &own, mine, "test")
        .await
        .expect("reveal");
    assert_eq!(full.phone, "13807450001");
    let audit = audit_of(t, "drowning_chain", &mine.to_string()).await;
    assert!(audit.contains(&"view_unmasked".to_string()), "{audit:?}");

    // Edit keeps the phone when left blank; the audit log keeps phones masked.
    chain::edit_link(db, &own, mine, &person("班长", "米红", ""), "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("edit");
    let edited = chain::visible_link(db, &own, mine).await.expect("link");
    assert_eq!(
        (edited.person.as_str(), edited.phone.as_str()),
        ("米红", "13807450001")
    );
    let logged: Vec<String> =
        emis_storage::lists::audit(db, "431224", None, Some(&mine.to_string()), None, None, 1)
            .await
            .expect("audit")
            .items
            .into_iter()
            .filter(|r| r.entity == "drowning_chain" && r.action == "chain_edit")
            .filter_map(|r| r.after_json)
            .collect();
    assert_eq!(logged.len(), 1);
    assert!(
        logged
            .iter()
            .all(|a| a.contains("138****0001") && !a.contains("13807450001")),
        "{logged:?}"
    );
    chain::remove_link(db, &own, other_class, "test")
        .await
        .expect("remove");
    assert!(matches!(
        chain::visible_link(db, &own, other_class).await,
        Err(AppError::NotFound)
    ));
}

crate::on_both_engines!(chain_of_nine_heads, super::chain_links);

/// 九长 targets are checked against the registry: a class link names a class of the school's
/// roll of the latest term; a village link a village known for its township, where known.
async fn chain_targets(t: &TestDb) {
    use emis_app::safety::chain::{add_link, PersonForm, TargetForm};
    use emis_app::safety::WaterForm;
    county_with_schools(t).await;
    let db = &t.db;
    autumn_roll(t, &[student_row(URBAN_PRIMARY, 1, "三年级", 1)]).await;
    let person = PersonForm {
        role: "班长".into(),
        person: "米老师".into(),
        phone: "13907450002".into(),
    };
    let class = |grade: &str, number: &str| TargetForm {
        level: "班级".into(),
        grade: grade.into(),
        class_number: number.into(),
        ..TargetForm::default()
    };
    let own = school(URBAN_PRIMARY);
    add_link(db, &own, &class("三年级", "1班"), &person, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("三年级1班 is on the roll");
    let missing = add_link(db, &own, &class("三年级", "9"), &person, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect_err("no such class");
    assert_eq!(missing.field, "class_number");
    assert!(missing.reason.contains("三年级9班"), "{}", missing.reason);
    assert!(
        missing.reason.contains("2021年秋季学期"),
        "{}",
        missing.reason
    );
    let other_grade = add_link(db, &own, &class("四年级", "1"), &person, "test")
        .await
        .field_refusal()
        .expect("runs");
    assert_eq!(
        other_grade.expect_err("no such grade").field,
        "class_number"
    );

    // 龙潭镇 knows 桐木村 from its water; 低庄镇 knows no village, so any name is taken.
    let water = WaterForm {
        township: "431224104".into(),
        village: "桐木村".into(),
        name: "桐木山塘".into(),
        kind: "山塘".into(),
        risk: "高".into(),
        ..Default::default()
    };
    safety::add_water(db, &officer(), &water, "test")
        .await
        .field_refusal()
        .expect("add")
        .expect("water");
    let village = |township: &str, name: &str| TargetForm {
        level: "村".into(),
        township: township.into(),
        village: name.into(),
        ..TargetForm::default()
    };
    let head = PersonForm {
        role: "村长".into(),
        person: "舒村长".into(),
        phone: "13907450001".into(),
    };
    add_link(
        db,
        &longtan(),
        &village("431224104", "桐木村"),
        &head,
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("known village");
    let unknown = add_link(
        db,
        &longtan(),
        &village("431224104", "无名村"),
        &head,
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("unknown village");
    assert_eq!(unknown.field, "village");
    assert!(unknown.reason.contains("桐木村"), "{}", unknown.reason);
    add_link(db, &officer(), &village("431224102", "新村"), &head, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("no villages known for 低庄镇");
}

crate::on_both_engines!(chain_targets_are_registered, super::chain_targets);
