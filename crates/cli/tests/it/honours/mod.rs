//! 荣誉与竞赛: the import and the offices' form read a row by the same rules (each refusal by
//! row and column, or by field), the `schools.titled.*` figures, the year's competition
//! results by event, level and prize, scope, masking and the export read back unchanged.

use crate::support::*;
use crate::teachers::{staff_csv, teacher_id};
use emis_app::honours::{self as service, HonourFilter, HonourForm};
use emis_app::imports::{ImportKind, ImportOptions};
use emis_domain::indicators::Value;

const HEADER: &str = "对象类型,对象,名称,类别,级别,授予单位,日期,等次,项目,姓名,学校标识码\n";

async fn with_people(t: &TestDb) -> String {
    county_with_schools(t).await;
    let staff = t.write("staff.csv", staff_csv());
    import_committed(t, ImportKind::Staff, &staff, &autumn_2021()).await;
    let pupils: Vec<Vec<String>> = (0..3)
        .map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1))
        .collect();
    autumn_roll(t, &pupils).await;
    pupils[0][3].clone()
}

async fn titled(t: &TestDb) -> Vec<Option<Value>> {
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    emis_domain::honours::TITLED
        .iter()
        .map(|c| set.get(c))
        .collect()
}

async fn import_and_summary(t: &TestDb) {
    let pupil = with_people(t).await;
    let teacher = teacher_id(0);
    let text = format!(
        "{HEADER}\
         学校,{URBAN_PRIMARY},全国青少年校园足球特色学校,特色学校,国家级,教育部,2021-11-20,,,,\n\
         学校,{TOWN_JUNIOR},全国青少年校园足球特色学校,特色学校,国家级,教育部,2021-11-20,,,,\n\
         学校,{SENIOR_HIGH},书香校园,荣誉称号,市级,怀化市教育局,2021-06-01,,,,\n\
         团体,溆浦县初中男子篮球队,怀化市初中学生篮球比赛,竞赛,市级,怀化市教育局,2021-05-20,第一名,男子组,,\n\
         学生,{pupil},怀化市中小学艺术展演,竞赛,市级,怀化市教育局,2021-10-15,一等奖,独唱,,\n\
         教师,{teacher},怀化市中小学教师教学竞赛,竞赛,市级,怀化市教育局,2021-11-02,二等奖,,向春花,\n\
         学校,2143999999,书香校园,荣誉称号,市级,怀化市教育局,2021-06-01,,,,\n\
         教师,{unknown},优秀教师,荣誉称号,县级,溆浦县人民政府,2021-09-10,,,,\n\
         教师,{teacher},优秀教师,荣誉称号,县级,溆浦县人民政府,2021-09-10,,,李四,\n\
         学生,{pupil},怀化市中小学艺术展演,竞赛,市级,怀化市教育局,2021-10-15,,舞蹈,,\n\
         团体,溆浦县代表队,怀化市第六届运动会田径比赛,竞赛,省部级,怀化市体育局,2021-08-01,第二名,,,\n\
         学校,{URBAN_PRIMARY},全国青少年校园足球特色学校,特色学校,国家级,教育部,2021-11-20,,,,\n",
        unknown = teacher_id(99),
    );
    let file = t.write("honours.csv", text);
    let report = import_with(t, ImportKind::Honours, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 8, column 对象: 学校标识码 2143999999 不在本县学校名单中",
            "row 9, column 对象: 身份证件号",
            "row 10, column 姓名: 姓名“李四”与教职工名册中该身份证件号的姓名“向春花”不一致",
            "row 11, column 等次: 竞赛须填写等次",
            "row 12, column 级别: 级别“省部级”无法识别",
            "row 13, column 名称: 与第2行重复",
        ],
    );
    assert_eq!(report.problems.len(), 6, "{:?}", report.problems);
    assert!(emis_storage::honours::honours(&t.db, "431224")
        .await
        .expect("read")
        .is_empty());
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Honours, &file, &skip).await;
    assert_eq!(report.inserted, 6);
    assert_eq!(
        titled(t).await,
        [
            Some(Value::Count(2)),
            Some(Value::Count(0)),
            Some(Value::Count(1))
        ]
    );
    let again = import_with(t, ImportKind::Honours, &file, &skip).await;
    assert_eq!((again.inserted, again.unchanged), (0, 6));

    // The unmasked export reads back as nothing new.
    let out = t.path("honours-export.xlsx");
    let unmasked = emis_app::exports::ExportOptions {
        unmasked: true,
        ..Default::default()
    };
    emis_app::exports::export(
        &t.db,
        "431224",
        ImportKind::Honours,
        &out,
        &unmasked,
        &emis_app::Actor::cli(),
    )
    .await
    .expect("export");
    let back = import_with(t, ImportKind::Honours, &out, &Default::default()).await;
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!((back.inserted, back.unchanged), (0, 6));

    // The year's summary: the competitions by event, level and prize; IDs masked.
    let officer = county_officer("office");
    let filter = HonourFilter {
        year: Some(2021),
        ..HonourFilter::default()
    };
    let r = service::register(&t.db, &officer, &filter)
        .await
        .expect("register");
    let prizes: Vec<(&str, &str, u32)> = r
        .prizes
        .iter()
        .map(|p| (p.event.as_str(), p.prize.as_str(), p.count))
        .collect();
    assert_eq!(
        prizes,
        [
            ("怀化市初中学生篮球比赛", "第1名", 1),
            ("怀化市中小学艺术展演", "一等奖", 1),
            ("怀化市中小学教师教学竞赛", "二等奖", 1)
        ]
    );
    let person = r
        .rows
        .iter()
        .find(|h| h.honour.subject_kind.label() == "学生")
        .expect("the student's prize");
    assert!(person.subject.starts_with("学生0（") && !person.subject.contains(&pupil));
    // 龙潭镇 reads the honours of its own school and its people only.
    let theirs = service::register(&t.db, &longtan_office(), &filter)
        .await
        .expect("register");
    assert_eq!(
        theirs.rows.len(),
        2,
        "the town junior school's title and its pupil's prize"
    );
}
crate::on_both_engines!(import, super::import_and_summary);

async fn the_offices_form(t: &TestDb) {
    with_people(t).await;
    let officer = county_officer("office");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let form = HonourForm {
        subject_kind: "学校".into(),
        subject: TOWN_JUNIOR.into(),
        title: "全国青少年校园篮球特色学校".into(),
        kind: "特色学校".into(),
        level: "国家级".into(),
        granted_by: "教育部".into(),
        granted_on: "2021-11-20".into(),
        ..HonourForm::default()
    };
    assert!(matches!(
        service::record(&t.db, &school_admin(TOWN_JUNIOR), &form, day, "test").await,
        Err(emis_app::AppError::Forbidden)
    ));
    for (bad, field) in [
        (
            HonourForm {
                level: "乡级".into(),
                ..form.clone()
            },
            "level",
        ),
        (
            HonourForm {
                granted_on: "2022-03-01".into(),
                ..form.clone()
            },
            "granted_on",
        ),
        (
            HonourForm {
                subject_kind: "教师".into(),
                subject: "123".into(),
                ..form.clone()
            },
            "subject",
        ),
    ] {
        assert_eq!(
            service::record(&t.db, &officer, &bad, day, "test")
                .await
                .refused(field)
                .field,
            field
        );
    }
    service::record(&t.db, &officer, &form, day, "test")
        .await
        .accepted("recorded");
    assert_eq!(
        service::record(&t.db, &officer, &form, day, "test")
            .await
            .refused("twice")
            .field,
        "title"
    );
    assert_eq!(titled(t).await[1], Some(Value::Count(1)));
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "honour" && a.action == "create"));
}
crate::on_both_engines!(form, super::the_offices_form);
