//! After-school service: the import bounded by the registry's roll, the school's form, the
//! rates for the county, a township and a school.

use super::*;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_domain::access::{Role, Scope};
use emis_domain::indicators::Value;

async fn service_and_rates(t: &TestDb) {
    county_with_schools(t).await;
    // 10 pupils at the urban primary school, 6 at the town junior school (autumn 2021).
    let mut rows: Vec<Vec<String>> = (0..10)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
        .collect();
    rows.extend((100..106).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    autumn_roll(t, &rows).await;
    let text = format!(
        "学校标识码,学期,开展,每周天数,每天时长(分钟),参加学生数,参与教师数\n\
         {URBAN_PRIMARY},2021-autumn,是,5,120,11,3\n\
         {TOWN_JUNIOR},2021-autumn,是,4,90,5,2\n\
         {SENIOR_HIGH},2021-autumn,是,5,120,1,1\n\
         {URBAN_PRIMARY},2021-autumn,否,5,0,0,\n"
    );
    let file = t.write("after.csv", text);
    let report = import_with(t, ImportKind::AfterSchool, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 2, column 参加学生数: 参加学生数11超过该校2021年秋季学期在籍学生数10",
            "row 4, column 学校标识码: 溆浦县第一中学不是义务教育学校",
            "row 5, column 开展: 未开展课后服务时",
        ],
    );
    let fixed = t.write(
        "fixed.csv",
        format!(
            "学校标识码,学期,开展,每周天数,每天时长(分钟),参加学生数\n\
             {URBAN_PRIMARY},2021-autumn,是,5,120,9\n\
             {TOWN_JUNIOR},2021-autumn,是,4,90,5\n"
        ),
    );
    let report = import_committed(t, ImportKind::AfterSchool, &fixed, &Default::default()).await;
    assert_eq!(report.inserted, 2);
    assert_eq!(
        import_with(
            t,
            ImportKind::AfterSchool,
            &fixed,
            &ImportOptions::default()
        )
        .await
        .unchanged,
        2
    );
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    let rate = |code: &str| match set.get(code) {
        Some(Value::Rate(r)) => r,
        other => panic!("{code}: {other:?}"),
    };
    // Two compulsory schools, both offering; one meets 5+2; 14 of 16 pupils take part.
    assert_eq!(rate("after_school.coverage"), 1.0);
    assert_eq!(rate("after_school.time_compliance"), 0.5);
    assert!((rate("after_school.participation") - 14.0 / 16.0).abs() < 1e-9);

    // The town school fixes its hours on the form; its own page shows only itself.
    use emis_app::double_reduction::after_school::{picture, save, ServiceForm};
    let school = account_of(
        "longtan-school",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: TOWN_JUNIOR.into(),
        },
    );
    let mut form = ServiceForm {
        school: TOWN_JUNIOR.into(),
        term: "2021-autumn".into(),
        offered: "是".into(),
        days_a_week: "5".into(),
        minutes_a_day: "120".into(),
        students: "7".into(),
        teachers: "2".into(),
    };
    let over = save(&t.db, &school, &form, "test").await;
    assert!(
        matches!(&over, Err(emis_app::AppError::Invalid { field: "students", message }) if message.contains("在籍学生数6")),
        "{over:?}"
    );
    form.students = "6".into();
    save(&t.db, &school, &form, "test").await.expect("saved");
    let other = ServiceForm {
        school: URBAN_PRIMARY.into(),
        ..form.clone()
    };
    assert!(matches!(
        save(&t.db, &school, &other, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "school",
            ..
        })
    ));
    let own = picture(&t.db, &school, "2021-autumn")
        .await
        .expect("picture");
    assert_eq!(own.schools.len(), 1);
    assert_eq!(own.total.time_compliance(), 1.0);
    let county = emis_app::double_reduction::indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert!(county.contains(&("after_school.time_compliance", Value::Rate(1.0))));
    // A township's figures are its own schools'.
    let longtan = account_of(
        "longtan",
        Role::Township,
        Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        },
    );
    let figures = emis_app::double_reduction::indicators_for(&t.db, &longtan, 2021)
        .await
        .expect("figures");
    assert!(figures.contains(&("after_school.participation", Value::Rate(1.0))));
}
crate::on_both_engines!(service, super::service_and_rates);

/// 五项管理: a school's self-check read against the rules, findings by item for the scope.
async fn five_managements(t: &TestDb) {
    county_with_schools(t).await;
    use emis_app::double_reduction::five::{picture, save, FiveForm};
    let school = account_of(
        "xiaoxue",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: URBAN_PRIMARY.into(),
        },
    );
    let form = FiveForm {
        school: URBAN_PRIMARY.into(),
        term: "2021-autumn".into(),
        homework_g12: "15".into(),
        homework_g36: "50".into(),
        sleep_primary: "9.5".into(),
        pe_primary: "4".into(),
        phones_out_of_class: Some("on".into()),
        reading_reviewed: Some("on".into()),
        no_written_exams_g12: Some("on".into()),
        ..FiveForm::default()
    };
    let bad = FiveForm {
        sleep_primary: "九".into(),
        ..form.clone()
    };
    assert!(matches!(
        save(&t.db, &school, &bad, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "sleep_primary",
            ..
        })
    ));
    let other = FiveForm {
        school: TOWN_JUNIOR.into(),
        ..form.clone()
    };
    assert!(matches!(
        save(&t.db, &school, &other, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "school",
            ..
        })
    ));
    let found = save(&t.db, &school, &form, "test").await.expect("saved");
    let reasons: Vec<&str> = found.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "一二年级书面作业15分钟，超过0分钟",
            "小学睡眠时间9.5小时，少于10小时"
        ]
    );
    let officer = account_of(
        "officer",
        Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let p = picture(&t.db, &officer, "2021-autumn")
        .await
        .expect("picture");
    assert_eq!((p.schools.len(), p.reported, p.compliant), (3, 1, 0));
    let by_item: Vec<(&str, usize)> = p.by_item.iter().map(|(i, n)| (i.label(), *n)).collect();
    assert_eq!(
        by_item,
        [
            ("作业", 1),
            ("睡眠", 1),
            ("手机", 0),
            ("读物", 0),
            ("体质", 0),
            ("考试", 0)
        ]
    );
    // The school fixes both; the picture shows it compliant.
    let fixed = FiveForm {
        homework_g12: "0".into(),
        sleep_primary: "10".into(),
        ..form
    };
    assert!(save(&t.db, &school, &fixed, "test")
        .await
        .expect("saved")
        .is_empty());
    assert_eq!(
        picture(&t.db, &officer, "2021-autumn")
            .await
            .expect("picture")
            .compliant,
        1
    );
}
crate::on_both_engines!(five, super::five_managements);
