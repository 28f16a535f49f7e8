//! The teacher imports: every bad row named by row, column and reason with nothing written;
//! `--skip-invalid`; the same file twice changes nothing; changed values update; the
//! account's scope holds; county-only kinds refuse other accounts.

use super::*;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_domain::access::Scope;

async fn staffed(t: &TestDb) {
    county_with_schools(t).await;
    let staff = t.write("staff.csv", staff_csv());
    import_committed(t, ImportKind::Staff, &staff, &Default::default()).await;
}

async fn person_times(t: &TestDb) -> (i64, i64) {
    emis_storage::teachers::year_person_times(&t.db, "431224", 2021)
        .await
        .expect("count")
}

async fn trainings_checked_and_idempotent(t: &TestDb) {
    staffed(t).await;
    let stranger = student_id(1985, 7);
    let text = format!(
        "溆浦县2021年教师培训名册\n\
         培训项目,级别,开始日期,结束日期,身份证件号,姓名,学时,结业\n\
         国培计划小学数学,国家级,2021-07-10,2021-07-20,{a},,60,是\n\
         国培计划小学数学,国家级,2021-07-10,2021-07-20,{b},舒建国,60,是\n\
         国培计划小学数学,国家级,2021-07-10,2021-07-20,{a},,60,是\n\
         县级班主任培训,区级,2021-08-01,2021-08-02,{c},,16,是\n\
         县级班主任培训,县级,2021-08-05,2021-08-02,{c},,16,是\n\
         县级班主任培训,县级,2021-08-01,2021-08-02,{stranger},,16,是\n\
         县级班主任培训,县级,2021-08-01,2021-08-02,{d},张三,16,是\n\
         国培计划小学数学,省级,2021-07-10,2021-07-20,{d},,60,是\n\
         县级班主任培训,县级,2021-08-01,2021-08-02,{e},,八,是\n\
         县级班主任培训,县级,2021-08-01,2021-08-02,{e},,16,否\n",
        a = teacher_id(0),
        b = teacher_id(1),
        c = teacher_id(2),
        d = teacher_id(3),
        e = teacher_id(4),
    );
    let file = t.write("trainings.csv", text);
    let report = import_with(t, ImportKind::Trainings, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 5, column 身份证件号: 与第3行重复",
            "row 6, column 级别: 级别“区级”无法识别",
            "row 7, column 结束日期: 结束日期 2021-08-02 早于开始日期 2021-08-05",
            "row 8, column 身份证件号: 身份证件号 431224",
            "row 9, column 姓名: 姓名“张三”与教职工名册中该身份证件号的姓名“李明”不一致",
            "row 10, column 培训项目: 同一培训项目（名称与开始日期相同）的级别或结束日期与第3行不一致",
            "row 11, column 学时: 学时“八”无法识别",
        ],
    );
    assert!(report
        .problems
        .iter()
        .any(|p| p.reason.contains("不在教职工名册中")));
    assert_eq!(
        person_times(t).await,
        (0, 0),
        "a refused import writes nothing"
    );

    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Trainings, &file, &skip).await;
    assert!(report.committed);
    assert_eq!((report.valid_rows, report.inserted), (3, 3));
    // The 结业 否 row is stored but not a person-time.
    assert_eq!(person_times(t).await, (2, 2));
    let again = import_with(t, ImportKind::Trainings, &file, &skip).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));

    // The same pair with other hours or 结业 is updated, not added.
    let changed = t.write(
        "changed.csv",
        format!(
            "培训项目,级别,开始日期,结束日期,身份证件号,学时,结业\n\
             县级班主任培训,县级,2021-08-01,2021-08-02,{},16,是\n",
            teacher_id(4)
        ),
    );
    let report = import_committed(t, ImportKind::Trainings, &changed, &Default::default()).await;
    assert_eq!((report.inserted, report.updated), (0, 1));
    assert_eq!(person_times(t).await, (3, 3));
    // A stored training's level cannot be changed by a later file.
    let clash = t.write(
        "clash.csv",
        format!(
            "培训项目,级别,开始日期,结束日期,身份证件号,学时\n\
             县级班主任培训,市级,2021-08-01,2021-08-02,{},16\n",
            teacher_id(5)
        ),
    );
    let report = import_with(t, ImportKind::Trainings, &clash, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &["row 2, column 培训项目: 培训项目“县级班主任培训”（2021-08-01开始）已导入为县级"],
    );

    // The export writes the template's layout and imports again unchanged.
    let out = t.path("trainings-export.xlsx");
    let options = emis_app::exports::ExportOptions {
        unmasked: true,
        ..Default::default()
    };
    let rows = emis_app::exports::export(
        &t.db,
        "431224",
        ImportKind::Trainings,
        &out,
        &options,
        &emis_app::Actor::cli(),
    )
    .await
    .expect("export");
    assert_eq!(rows, 3);
    let back = import_with(t, ImportKind::Trainings, &out, &ImportOptions::default()).await;
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!((back.inserted, back.updated, back.unchanged), (0, 0, 3));
}
crate::on_both_engines!(trainings, super::trainings_checked_and_idempotent);

/// A school imports its own teachers' trainings only; the county-only kinds refuse it.
async fn scope_of_teacher_imports(t: &TestDb) {
    staffed(t).await;
    let school = ImportOptions {
        scope: Some(Scope::School {
            county: "431224".into(),
            school: URBAN_PRIMARY.into(),
        }),
        ..ImportOptions::default()
    };
    let file = t.write(
        "ours.csv",
        format!(
            "培训项目,级别,开始日期,结束日期,身份证件号,学时\n\
             校本研修,校本,2021-09-10,2021-09-10,{},4\n\
             校本研修,校本,2021-09-10,2021-09-10,{},4\n",
            teacher_id(0),
            teacher_id(4)
        ),
    );
    let report = import_with(t, ImportKind::Trainings, &file, &school).await;
    assert_refused(
        &report,
        &["row 3, column 身份证件号: 学校 龙潭镇中学（2143000002）不在您的管理范围内"],
    );
    let studios = t.write(
        "s.csv",
        "工作室名称,类别,主持人身份证件号,成立日期\n甲,学科工作室,x,2021-01-01\n",
    );
    let refused = emis_app::imports::import_file(
        &t.db,
        "431224",
        ImportKind::Studios,
        &studios,
        &school,
        &emis_app::Actor::cli(),
        &emis_app::NoProgress,
    )
    .await;
    assert!(
        matches!(refused, Err(emis_app::AppError::Forbidden)),
        "{refused:?}"
    );
}
crate::on_both_engines!(scope, super::scope_of_teacher_imports);

/// 公费定向师范生: the import's checks, placement by the staff record's ID number, and the
/// standing read from it.
async fn funded_normal_trainees(t: &TestDb) {
    staffed(t).await;
    let placed = teacher_id(5);
    let text = format!(
        "姓名,身份证件号,选拔年度,生源,培养院校,定向学段,定向学科,定向乡镇,预计毕业年度\n\
         刘芳,{placed},2017,高中毕业,湖南第一师范学院,初中,语文,龙潭镇,2021\n\
         未安置,{late},2015,高中毕业,怀化学院,小学,,卢峰镇,2019\n\
         新选拔,{new},2021,初中毕业,长沙师范学院,小学,,卢峰镇,\n\
         错误,{new2},2021,大学毕业,长沙师范学院,小学,,火星镇,2020\n",
        late = student_id(1997, 3),
        new = student_id(2005, 4),
        new2 = student_id(2005, 5),
    );
    let file = t.write("funded.csv", text);
    let report = import_with(
        t,
        ImportKind::FundedNormal,
        &file,
        &ImportOptions::default(),
    )
    .await;
    assert_refused(
        &report,
        &[
            "row 5, column 生源: 生源“大学毕业”无法识别",
            "row 5, column 定向乡镇: 定向乡镇“火星镇”不是本县的乡镇",
            "row 5, column 预计毕业年度: 预计毕业年度 2020 不晚于选拔年度 2021",
        ],
    );
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::FundedNormal, &file, &skip).await;
    assert_eq!(report.inserted, 3);
    let again = import_with(t, ImportKind::FundedNormal, &file, &skip).await;
    assert_eq!(again.unchanged, 3);
    let officer = account_of(
        "officer",
        emis_domain::access::Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let list = emis_app::teachers::trainees::list(&t.db, &officer, None, day)
        .await
        .expect("list");
    let standing = |name: &str| {
        list.iter()
            .find(|v| v.trainee.name == name)
            .map(|v| v.obligation.standing.label())
            .expect("listed")
    };
    assert_eq!(standing("刘芳"), "履约中");
    assert_eq!(standing("未安置"), "逾期未安置");
    assert_eq!(standing("新选拔"), "在校培养");
    // 初中毕业: six years of training by default.
    assert_eq!(
        list.iter()
            .find(|v| v.trainee.name == "新选拔")
            .map(|v| v.trainee.expected_graduation),
        Some(2027)
    );
    // Warnings first, and ID numbers masked.
    assert_eq!(list[0].obligation.standing.label(), "逾期未安置");
    assert!(list.iter().all(|v| v.trainee.id_number.contains('*')));
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        set.get("staff.funded_normal.selected"),
        Some(emis_domain::indicators::Value::Count(1))
    );
}
crate::on_both_engines!(funded_normal, super::funded_normal_trainees);

/// Studios: host and members on the roll, counted while active at the year's end; awards
/// already granted import once.
async fn studios_and_granted_awards(t: &TestDb) {
    staffed(t).await;
    let text = format!(
        "工作室名称,类别,主持人身份证件号,成立日期,学科,撤销日期,成员身份证件号\n\
         向春花名师工作室,名师工作室,{a},2019-05-01,语文,,{b}、{c}\n\
         溆浦县小学数学学科工作室,学科工作室,{b},2020-03-01,数学,2021-06-30,{d}\n\
         溆浦县初中英语学科工作室,学科工作室,{g},2021-03-01,英语,,{g}\n\
         不存在的工作室,学科工作室,{x},2021-03-01,英语,,\n",
        a = teacher_id(0),
        b = teacher_id(1),
        c = teacher_id(2),
        d = teacher_id(3),
        g = teacher_id(6),
        x = student_id(1980, 1),
    );
    let file = t.write("studios.csv", text);
    let report = import_with(t, ImportKind::Studios, &file, &ImportOptions::default()).await;
    assert_refused(
        &report,
        &[
            "row 4, column 成员身份证件号: 主持人陈刚不必再列为成员",
            "row 5, column 主持人身份证件号: 身份证件号",
        ],
    );
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    assert_eq!(
        import_with(t, ImportKind::Studios, &file, &skip)
            .await
            .inserted,
        2
    );
    assert_eq!(
        import_with(t, ImportKind::Studios, &file, &skip)
            .await
            .unchanged,
        2
    );
    let awards = t.write(
        "awards.csv",
        format!(
            "荣誉称号,授予单位,授予日期,身份证件号,姓名,奖金(元)\n\
             优秀教师,溆浦县人民政府,2021-09-10,{a},向春花,5000\n\
             最美乡村教师,溆浦县教育局,2021-09-10,{e},,20000.50\n\
             优秀教师,溆浦县人民政府,2021-09-10,{a},向春花,5000\n",
            a = teacher_id(0),
            e = teacher_id(4),
        ),
    );
    let report = import_with(t, ImportKind::Awards, &awards, &ImportOptions::default()).await;
    assert_refused(&report, &["row 4, column 身份证件号: 与第2行重复"]);
    let report = import_with(t, ImportKind::Awards, &awards, &skip).await;
    assert_eq!(report.inserted, 2);
    assert_eq!(
        import_with(t, ImportKind::Awards, &awards, &skip)
            .await
            .unchanged,
        2
    );
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    use emis_domain::indicators::Value::{Count, Fen};
    // One master studio active at the year's end; the math studio closed in June.
    assert_eq!(set.get("staff.studios.master"), Some(Count(1)));
    assert_eq!(set.get("staff.studios.subject"), Some(Count(0)));
    assert_eq!(set.get("staff.awarded"), Some(Count(2)));
    assert_eq!(set.get("staff.award_amount"), Some(Fen(2_500_050)));
    // The roll's channels: 2021 starts by channel, their sum, and the year-end totals.
    assert_eq!(set.get("staff.recruited"), Some(Count(2)));
    assert_eq!(set.get("staff.recruited.open"), Some(Count(1)));
    assert_eq!(set.get("staff.recruited.funded_normal"), Some(Count(1)));
    assert_eq!(set.get("staff.teachers"), Some(Count(7)));
}
crate::on_both_engines!(studios_and_awards, super::studios_and_granted_awards);
