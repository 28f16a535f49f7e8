//! 职业教育: programmes with partner agreements and yearly intake (the 职成股's forms, each
//! refusal on its field), the `vocational.five_year_intake` figure, and 曾用名 recorded when
//! the schools import renames a stored school.

use crate::support::*;
use emis_app::imports::ImportKind;
use emis_app::vocational::{self as service, IntakeForm, ProgrammeForm};
use emis_domain::indicators::Value;

pub const VOCATIONAL: &str = "2143000009";

/// The county's vocational school (under its former name), as the schools import adds it.
pub async fn add_vocational_school(t: &TestDb) {
    let file = t.write(
        "vocational_school.csv",
        format!(
            "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
             {VOCATIONAL},溆浦县职业中等专业学校,中等职业学校,卢峰镇,城区,公办,是\n"
        ),
    );
    import_committed(t, ImportKind::Schools, &file, &autumn_2021()).await;
}

fn five_year() -> ProgrammeForm {
    ProgrammeForm {
        school: VOCATIONAL.into(),
        name: "电子商务".into(),
        code: "730701".into(),
        schooling: "五年制大专".into(),
        partner: "湖南商贸职业技术学院".into(),
        agreement: "五年制大专人才培养合作协议书".into(),
        signed_on: "2021-05-28".into(),
        years: "5".into(),
    }
}

async fn programmes_and_intake(t: &TestDb) {
    county_with_schools(t).await;
    add_vocational_school(t).await;
    let officer = county_officer("office");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    assert!(matches!(
        service::record_programme(&t.db, &school_admin(VOCATIONAL), &five_year(), day, "test")
            .await,
        Err(emis_app::AppError::Forbidden)
    ));
    for (bad, field) in [
        (
            ProgrammeForm {
                school: URBAN_PRIMARY.into(),
                ..five_year()
            },
            "school",
        ),
        (
            ProgrammeForm {
                schooling: "四年制".into(),
                ..five_year()
            },
            "schooling",
        ),
        (
            ProgrammeForm {
                name: String::new(),
                ..five_year()
            },
            "name",
        ),
        (
            ProgrammeForm {
                partner: String::new(),
                ..five_year()
            },
            "partner",
        ),
        (
            ProgrammeForm {
                years: "0".into(),
                ..five_year()
            },
            "years",
        ),
        (
            ProgrammeForm {
                signed_on: "2022-02-01".into(),
                ..five_year()
            },
            "signed_on",
        ),
    ] {
        assert_eq!(
            service::record_programme(&t.db, &officer, &bad, day, "test")
                .await
                .refused(field)
                .field,
            field
        );
    }
    let five = service::record_programme(&t.db, &officer, &five_year(), day, "test")
        .await
        .accepted("five-year");
    let three_form = ProgrammeForm {
        name: "计算机应用".into(),
        code: String::new(),
        schooling: "三年制".into(),
        partner: String::new(),
        agreement: String::new(),
        signed_on: String::new(),
        years: String::new(),
        ..five_year()
    };
    let three = service::record_programme(&t.db, &officer, &three_form, day, "test")
        .await
        .accepted("three-year");
    let intake = |programme: i64, year: &str, students: &str| IntakeForm {
        programme: programme.to_string(),
        year: year.into(),
        students: students.into(),
    };
    for (bad, field) in [
        (intake(five, "2021", "-1"), "students"),
        (intake(five, "2021", "5001"), "students"),
        (intake(five, "1999", "10"), "year"),
        (intake(five + three + 99, "2021", "10"), "programme"),
    ] {
        assert_eq!(
            service::record_intake(&t.db, &officer, &bad, day, "test")
                .await
                .refused(field)
                .field,
            field
        );
    }
    for form in [
        intake(five, "2021", "36"),
        intake(five, "2021年", "38"),
        intake(three, "2021", "100"),
        intake(three, "2020", "90"),
    ] {
        service::record_intake(&t.db, &officer, &form, day, "test")
            .await
            .accepted("intake");
    }
    let o = service::overview(&t.db, &school_admin(URBAN_PRIMARY))
        .await
        .expect("every reader sees the programmes");
    assert_eq!(o.programmes.len(), 2);
    let years: Vec<(i64, i64, i64)> = o
        .years
        .iter()
        .map(|y| (y.year, y.total, y.five_year))
        .collect();
    assert_eq!(years, [(2020, 90, 0), (2021, 138, 38)]);
    let ecommerce = o
        .programmes
        .iter()
        .find(|p| p.programme.id == five)
        .expect("programme");
    assert_eq!(ecommerce.agreements.len(), 1);
    assert_eq!(
        ecommerce.agreements[0].runs_until.as_deref(),
        Some("2026-05-27")
    );
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        set.get("vocational.five_year_intake"),
        Some(Value::Count(38))
    );
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "vocational_intake" && a.before_json.is_some()));
}
crate::on_both_engines!(programmes, super::programmes_and_intake);

async fn a_renamed_school_keeps_its_former_name(t: &TestDb) {
    county_with_schools(t).await;
    add_vocational_school(t).await;
    let renamed = t.write(
        "renamed.csv",
        format!(
            "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,办学性质,寄宿制\n\
             {VOCATIONAL},溆浦楚怡职业学校,中等职业学校,卢峰镇,城区,公办,是\n"
        ),
    );
    import_committed(t, ImportKind::Schools, &renamed, &autumn_2021()).await;
    // The same file again changes nothing: no second rename.
    let again = import_with(t, ImportKind::Schools, &renamed, &autumn_2021()).await;
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    let former = emis_storage::school_names::former_names(&t.db, "431224", VOCATIONAL)
        .await
        .expect("former names");
    assert_eq!(former.len(), 1, "{former:?}");
    assert_eq!(former[0].former_name, "溆浦县职业中等专业学校");
    assert_eq!(former[0].until_on, today().to_string());
}
crate::on_both_engines!(rename, super::a_renamed_school_keeps_its_former_name);
