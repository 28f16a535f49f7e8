//! The 九长 chain: links at every level, kept to the scope, phones masked, targets checked
//! against the registry.

use super::*;
use emis_app::safety::chain::{self, PersonForm, TargetForm};

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

fn person(role: &str, name: &str, phone: &str) -> PersonForm {
    PersonForm {
        role: role.into(),
        person: name.into(),
        phone: phone.into(),
    }
}

fn class(grade: &str, number: &str) -> TargetForm {
    TargetForm {
        level: "班级".into(),
        grade: grade.into(),
        class_number: number.into(),
        ..TargetForm::default()
    }
}

fn village(township: &str, name: &str) -> TargetForm {
    TargetForm {
        level: "村".into(),
        township: township.into(),
        village: name.into(),
        ..TargetForm::default()
    }
}

/// A link added by the account: who keeps what.
async fn link(
    db: &emis_storage::Db,
    who: &Account,
    target: &TargetForm,
    keeper: &PersonForm,
) -> emis_app::Result<i64> {
    chain::add_link(db, who, target, keeper, "test").await
}

/// The 九长 chain beyond water bodies: a school keeps its own school and class links, not
/// another school's nor a village's; a township keeps its villages; a 班主任 sees its own class
/// link only and cannot see phones in full; a keeper's full view is audited.
async fn chain_links(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let mi = person("班长", "米老师", "13807450001");
    let mine = link(db, &own, &class("三年级", "1"), &mi)
        .await
        .accepted("own class");
    let he = person("班长", "贺老师", "13807450002");
    let other_class = link(db, &own, &class("三年级", "2班"), &he)
        .await
        .accepted("another class");
    let bad_grade = link(db, &own, &class("三年", "2"), &he).await;
    assert_eq!(bad_grade.refused("grade").field, "grade");
    let mut head = TargetForm {
        level: "学校".into(),
        school: TOWN_JUNIOR.into(),
        ..TargetForm::default()
    };
    let principal = person("校长", "向校长", "13807450003");
    // A school naming another school is refused; left out, the school is its own.
    let foreign = link(db, &own, &head, &principal)
        .await
        .refused("another school");
    assert!(foreign.is_out_of_scope(), "{foreign:?}");
    head.school = String::new();
    let school_link = link(db, &own, &head, &principal)
        .await
        .accepted("school link");
    assert_eq!(
        chain::visible_link(db, &own, school_link)
            .await
            .expect("link")
            .school_code
            .as_deref(),
        Some(URBAN_PRIMARY)
    );
    let nowhere = TargetForm {
        school: "9999999999".into(),
        ..head.clone()
    };
    let refused = link(db, &officer(), &nowhere, &principal).await;
    assert_eq!(refused.refused("no such school").field, "school");
    let tongmu = village("431224104", "桐木村");
    let shu = person("村长", "舒村长", "13807450004");
    assert!(matches!(
        link(db, &own, &tongmu, &shu).await,
        Err(AppError::Forbidden)
    ));
    let village_link = link(db, &longtan(), &tongmu, &shu)
        .await
        .accepted("village link");
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
        .accepted("edit");
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
    county_with_schools(t).await;
    let db = &t.db;
    autumn_roll(t, &[student_row(URBAN_PRIMARY, 1, "三年级", 1)]).await;
    let mi = person("班长", "米老师", "13907450002");
    let own = school(URBAN_PRIMARY);
    link(db, &own, &class("三年级", "1班"), &mi)
        .await
        .accepted("三年级1班 is on the roll");
    let missing = link(db, &own, &class("三年级", "9"), &mi)
        .await
        .refused("no such class");
    assert_eq!(missing.field, "class_number");
    assert!(missing.reason.contains("三年级9班"), "{}", missing.reason);
    assert!(
        missing.reason.contains("2021年秋季学期"),
        "{}",
        missing.reason
    );
    let other_grade = link(db, &own, &class("四年级", "1"), &mi).await;
    assert_eq!(other_grade.refused("no such grade").field, "class_number");

    // 龙潭镇 knows 桐木村 from its water; 低庄镇 knows no village, so any name is taken.
    add_water(db, &officer(), &water_form("431224104", "桐木山塘", "高")).await;
    let shu = person("村长", "舒村长", "13907450001");
    link(db, &longtan(), &village("431224104", "桐木村"), &shu)
        .await
        .accepted("known village");
    let unknown = link(db, &longtan(), &village("431224104", "无名村"), &shu)
        .await
        .refused("unknown village");
    assert_eq!(unknown.field, "village");
    assert!(unknown.reason.contains("桐木村"), "{}", unknown.reason);
    link(db, &officer(), &village("431224102", "新村"), &shu)
        .await
        .accepted("no villages known for 低庄镇");
}

crate::on_both_engines!(chain_targets_are_registered, super::chain_targets);
