//! 建设项目: the import's checks (each refusal by row and column, nothing written), a
//! project's years of money, the year's figures, the export read back unchanged, the
//! office's progress form, and a completion raising the school's capacity on the
//! class-size monitor from the term it is in use.

use crate::support::*;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_app::projects::{self as service, InvestmentForm, ProgressForm, ProjectFilter};
use emis_domain::indicators::Value;
use emis_domain::term::Term;

const HEADER: &str = "项目名称,项目类别,年度,本年投资(万元),开工日期,学校标识码,竣工日期,\
新增学位(义务教育),新增学位(普通高中),新增学位(中职),新增学位(公办学前),教室间数,宿舍套数,资金来源\n";

async fn figures(t: &TestDb, year: i32) -> Vec<Option<Value>> {
    let set = emis_app::report::annual_indicators(&t.db, "431224", year)
        .await
        .expect("indicators");
    [
        "projects.investment",
        "degrees.added.compulsory",
        "degrees.added.senior",
        "degrees.added.vocational",
        "degrees.added.preschool_public",
        "staff_housing.units",
    ]
    .iter()
    .map(|c| set.get(c))
    .collect()
}

/// Two projects for the route walk: one at the urban primary school (卢峰镇) and one at
/// the town junior school (龙潭镇): (own, other).
pub async fn project_records(t: &TestDb) -> (i64, i64) {
    let file = t.write(
        "projects.csv",
        format!(
            "{HEADER}卢峰镇第一小学教学楼扩建,改扩建,2021,800,2021-03-01,{URBAN_PRIMARY},,,,,,6,,县本级\n\
             龙潭镇中学周转宿舍,教师周转宿舍,2021,300,2021-03-01,{TOWN_JUNIOR},,,,,,,24,省级专项\n"
        ),
    );
    import_committed(t, ImportKind::Projects, &file, &Default::default()).await;
    let all = emis_storage::projects::projects(&t.db, "431224")
        .await
        .expect("projects");
    let id = |school: &str| {
        all.iter()
            .find(|p| p.school_code.as_deref() == Some(school))
            .expect("stored")
            .id
    };
    (id(URBAN_PRIMARY), id(TOWN_JUNIOR))
}

async fn import_money_and_figures(t: &TestDb) {
    county_with_schools(t).await;
    let text = format!(
        "{HEADER}\
         溆浦县第一中学扩建,改扩建,2020,1200,2020-05-01,{SENIOR_HIGH},2021-08-25,,1500,,,30,,债券资金\n\
         溆浦县第一中学扩建,改扩建,2021,2518.5,2020-05-01,{SENIOR_HIGH},2021-08-25,,1500,,,30,,县本级\n\
         龙潭镇中学周转宿舍,教师周转宿舍,2021,300,2021-03-01,{TOWN_JUNIOR},2021-12-10,,,,,,48,省级专项\n\
         卢峰镇第一小学扩建,改扩建,2021,800,2021-03-01,{URBAN_PRIMARY},,900,,,,20,,\n\
         职业学校分校,新建学校,2021,3718,2021-02-01,,2021-08-30,,,601,,,,省级专项\n\
         城区公办幼儿园,幼儿园建设,2021,500,2021-03-10,,2021-08-15,,,,360,,,\n\
         坏类别,装修,2021,10,2021-03-01,,,,,,,,,\n\
         倒着的日期,维修改造,2021,10,2021-03-01,,2021-02-01,,,,,,,\n\
         坏金额,维修改造,2021,十万,2021-03-01,,,,,,,,,\n\
         不在的学校,维修改造,2021,10,2021-03-01,2143999999,,,,,,,,\n\
         负数教室,维修改造,2021,10,2021-03-01,,,,,,,-3,,\n\
         溆浦县第一中学扩建,新建学校,2022,10,2020-05-01,{SENIOR_HIGH},2021-08-25,,1500,,,30,,\n\
         龙潭镇中学周转宿舍,教师周转宿舍,2021,300,2021-03-01,{TOWN_JUNIOR},2021-12-10,,,,,,48,省级专项\n"
    );
    let file = t.write("projects.csv", text);
    let report = import_with(t, ImportKind::Projects, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 8, column 项目类别: 项目类别“装修”无法识别",
            "row 9, column 竣工日期: 竣工日期 2021-02-01 早于开工日期 2021-03-01",
            "row 10, column 本年投资(万元): 本年投资“十万”应为万元金额",
            "row 11, column 学校标识码: 学校标识码 2143999999 不在本县学校名单中",
            "row 12, column 教室间数: 教室间数“-3”应为0–100000的整数",
            "row 13, column 项目名称: 与第2行同名项目的类别、学校、日期或新增数量不一致",
            "row 14, column 年度: 与第4行重复（同一项目同一年度）",
        ],
    );
    assert_eq!(report.problems.len(), 7, "{:?}", report.problems);
    assert!(emis_storage::projects::projects(&t.db, "431224")
        .await
        .expect("read")
        .is_empty());
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Projects, &file, &skip).await;
    assert!(report.committed);
    assert_eq!(report.inserted, 6, "six rows of five projects");
    // 2021: 2518.5 + 300 + 800 + 3718 + 500 万元; what the four completed projects add.
    assert_eq!(
        figures(t, 2021).await,
        [
            Some(Value::Fen(7_836_500_000)),
            Some(Value::Count(0)),
            Some(Value::Count(1500 + 601)),
            Some(Value::Count(601)),
            Some(Value::Count(360)),
            Some(Value::Count(48)),
        ]
    );
    assert_eq!(figures(t, 2020).await[0], Some(Value::Fen(1_200_000_000)));
    assert_eq!(figures(t, 2020).await[2], Some(Value::Count(0)));
    // The same file again changes nothing.
    let again = import_with(t, ImportKind::Projects, &file, &skip).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 6));

    // The export, read back in, changes nothing either.
    let out = t.path("projects-export.xlsx");
    emis_app::exports::export(
        &t.db,
        "431224",
        ImportKind::Projects,
        &out,
        &Default::default(),
        &emis_app::Actor::cli(),
    )
    .await
    .expect("export");
    let back = import_with(t, ImportKind::Projects, &out, &Default::default()).await;
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!((back.inserted, back.updated, back.unchanged), (0, 0, 6));

    // The register of 2021 lists the projects with money, a start or a completion in it.
    let officer = county_officer("planning");
    let filter = ProjectFilter {
        year: Some(2021),
        ..ProjectFilter::default()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let register = service::register(&t.db, &officer, &filter, day)
        .await
        .expect("register");
    assert_eq!(register.rows.len(), 5);
    assert_eq!(
        register.figures.expect("figures").investment_fen,
        7_836_500_000
    );
    let building: Vec<_> = register
        .rows
        .iter()
        .filter(|r| r.status.label() == "在建")
        .map(|r| r.project.name.as_str())
        .collect();
    assert_eq!(building, ["卢峰镇第一小学扩建"]);
    // 龙潭镇 reads its own school's project only, and its figures are its own.
    let longtan = longtan_office();
    let theirs = service::register(&t.db, &longtan, &filter, day)
        .await
        .expect("register");
    assert_eq!(
        theirs
            .rows
            .iter()
            .map(|r| r.project.name.as_str())
            .collect::<Vec<_>>(),
        ["龙潭镇中学周转宿舍"]
    );
    assert_eq!(theirs.figures.expect("figures").adds.housing_units, 48);
}
crate::on_both_engines!(import, super::import_money_and_figures);

async fn completion_raises_capacity(t: &TestDb) {
    county_with_schools(t).await;
    autumn_roll(t, &urban_rows(50, "一年级")).await;
    let (own, other) = project_records(t).await;
    let officer = county_officer("planning");
    let capacity = |term: Term| {
        let db = t.db.clone();
        async move {
            let scope = emis_domain::access::Scope::County {
                county: "431224".into(),
            };
            let m = emis_app::enrollment::monitor(&db, &scope, term)
                .await
                .expect("monitor");
            let row = m
                .by_school
                .iter()
                .find(|r| r.code == URBAN_PRIMARY)
                .expect("the school's row")
                .clone();
            (row.capacity, row.added_classrooms)
        }
    };
    // One class of 50, no classrooms recorded: one room of 45 places, estimated.
    assert_eq!(capacity(Term::autumn(2021)).await, (Some(45), 0));
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let done = ProgressForm {
        progress: String::new(),
        completed_on: "2021-08-20".into(),
    };
    // A school cannot record it; a completion before the start or in the future is refused.
    let school = school_admin(URBAN_PRIMARY);
    assert!(matches!(
        service::record_progress(&t.db, &school, own, &done, day, "test").await,
        Err(emis_app::AppError::Forbidden)
    ));
    for (bad, field) in [
        ("2021-02-01", "completed_on"),
        ("2022-01-05", "completed_on"),
    ] {
        let form = ProgressForm {
            completed_on: bad.into(),
            ..done.clone()
        };
        assert_eq!(
            service::record_progress(&t.db, &officer, own, &form, day, "test")
                .await
                .refused(bad)
                .field,
            field
        );
    }
    let half = ProgressForm {
        progress: "60".into(),
        completed_on: "2021-08-20".into(),
    };
    assert_eq!(
        service::record_progress(&t.db, &officer, own, &half, day, "test")
            .await
            .refused("completed at 60%")
            .field,
        "progress"
    );
    service::record_progress(&t.db, &officer, own, &done, day, "test")
        .await
        .expect("completed");
    // Six rooms of 45 from the autumn term on; the spring term before is as it was.
    assert_eq!(capacity(Term::autumn(2021)).await, (Some(45 + 6 * 45), 6));
    let d = service::detail(&t.db, &officer, own, day)
        .await
        .expect("detail");
    assert_eq!(d.status.label(), "已竣工");
    assert_eq!(d.project.progress, Some(100));

    // A year's money recorded on the form: 万元 read to the fen, refused when not money.
    let money = InvestmentForm {
        year: "2022".into(),
        amount: "120.5".into(),
        source: "县本级".into(),
    };
    service::record_investment(&t.db, &officer, own, &money, day, "test")
        .await
        .expect("recorded");
    let bad = InvestmentForm {
        amount: "一百万".into(),
        ..money.clone()
    };
    assert_eq!(
        service::record_investment(&t.db, &officer, own, &bad, day, "test")
            .await
            .refused("not money")
            .field,
        "amount"
    );
    assert_eq!(figures(t, 2022).await[0], Some(Value::Fen(120_500_000)));
    // 龙潭镇 does not see the urban school's project.
    assert!(matches!(
        service::detail(&t.db, &longtan_office(), own, day).await,
        Err(emis_app::AppError::NotFound)
    ));
    service::detail(&t.db, &longtan_office(), other, day)
        .await
        .expect("its own school's project");
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "project" && a.action == "update"));
    assert!(audit.iter().any(|a| a.entity == "project_investment"));
}
crate::on_both_engines!(capacity, super::completion_raises_capacity);

/// Three kindergartens, 公办 (2143000011), 普惠性民办 (…12) and 民办 (…13), beside the three
/// test schools.
async fn kindergartens(t: &TestDb) {
    let kindergartens = t.path("kindergartens.csv");
    std::fs::write(
        &kindergartens,
        "学校标识码,学校名称,办学类型,所在乡镇,办学性质\n\
         2143000011,溆浦县第二幼儿园,幼儿园,卢峰镇,公办\n\
         2143000012,卢峰镇阳光幼儿园,幼儿园,卢峰镇,普惠性民办\n\
         2143000013,卢峰镇蓝天幼儿园,幼儿园,卢峰镇,民办\n",
    )
    .expect("write");
    import_committed(t, ImportKind::Schools, &kindergartens, &autumn_2021()).await;
}

/// 混龄班: a kindergarten class of children of several ages is judged by its 规程 size of
/// 30 (31 is over it, 30 is not), counts among the kindergarten children of 普及普惠, and
/// is refused by row and column in a school without kindergarten classes.
async fn mixed_age_classes(t: &TestDb) {
    county_with_schools(t).await;
    kindergartens(t).await;
    let mut rows: Vec<Vec<String>> = (0..31)
        .map(|n| student_row("2143000011", n, "混龄班", 1))
        .collect();
    rows.extend((100..130).map(|n| student_row("2143000011", n, "混龄班", 2)));
    autumn_roll(t, &rows).await;
    let scope = emis_domain::access::Scope::County {
        county: "431224".into(),
    };
    let m = emis_app::enrollment::monitor(&t.db, &scope, Term::autumn(2021))
        .await
        .expect("monitor");
    let over: Vec<_> = m
        .large_classes
        .iter()
        .map(|c| (c.class.grade.label(), c.class.number, c.band, c.standard))
        .collect();
    assert_eq!(over, [("混龄班", 1, "超过规程班额", 30)]);
    let kindergarten = m
        .by_stage
        .iter()
        .find(|r| r.label == "学前教育")
        .expect("the preschool row");
    assert_eq!((kindergarten.now.classes, kindergarten.now.large), (2, 1));
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        set.get("preschool.public_share").map(|v| v.to_json()),
        Some("1".into()),
        "61 children, all in the 公办 kindergarten"
    );
    // Large-class indicators count 义务教育 and 普通高中 only.
    assert_eq!(
        set.get("classes.large.compulsory.autumn")
            .map(|v| v.to_json()),
        Some("0".into())
    );

    let file = t.path("mixed-in-primary.xlsx");
    write_xlsx(
        &file,
        &STUDENT_HEADERS,
        &[
            student_row(URBAN_PRIMARY, 500, "一年级", 1),
            student_row(URBAN_PRIMARY, 501, "混龄班", 1),
        ],
    );
    let report = import_with(t, ImportKind::Students, &file, &autumn_2021()).await;
    // A title row and a blank row above the header: the second pupil is on row 5.
    assert_refused(
        &report,
        &["row 5, column 年级: 溆浦县卢峰镇第一小学（小学）不设混龄班"],
    );
}
crate::on_both_engines!(mixed_age, super::mixed_age_classes);

/// 普及普惠: the kindergarten children of the latest term by their school's 办学性质 (公办,
/// 普惠性民办, 民办) give the 公办 and 普惠 shares; a county without children has no figure.
async fn preschool_shares(t: &TestDb) {
    county_with_schools(t).await;
    let shares = |t: &TestDb| {
        let db = t.db.clone();
        async move {
            let set = emis_app::report::annual_indicators(&db, "431224", 2021)
                .await
                .expect("indicators");
            let json = |c: &str| set.get(c).map(|v| v.to_json());
            (
                json("preschool.public_share"),
                json("preschool.inclusive_share"),
            )
        }
    };
    assert_eq!(
        shares(t).await,
        (Some("null".into()), Some("null".into())),
        "no children: no figure"
    );
    kindergartens(t).await;
    let mut rows = Vec::new();
    for (school, children, first) in [
        ("2143000011", 12, 0),
        ("2143000012", 6, 100),
        ("2143000013", 6, 200),
    ] {
        // 小班 children born in 2018: their ID numbers differ from the pupils'.
        rows.extend((first..first + children).map(|n| student_row(school, n, "小班", 1)));
    }
    // Pupils of a primary school are not kindergarten children.
    rows.extend(urban_rows(5, "一年级"));
    autumn_roll(t, &rows).await;
    assert_eq!(shares(t).await, (Some("0.5".into()), Some("0.75".into())));
    let schools = emis_storage::registry::schools(&t.db, "431224")
        .await
        .expect("schools");
    let sunny = schools
        .iter()
        .find(|s| s.code == "2143000012")
        .expect("stored");
    assert_eq!(sunny.ownership.label(), "普惠性民办");
}
crate::on_both_engines!(preschool, super::preschool_shares);
