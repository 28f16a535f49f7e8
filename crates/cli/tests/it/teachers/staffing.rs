//! The staffing picture: required teachers by the standard for the students on the roll,
//! shortages per school, missing subjects, the county's own standard, and scope.

use super::*;
use emis_domain::access::{Role, Scope};

async fn staffing_by_standard(t: &TestDb) {
    county_with_schools(t).await;
    // 40 third-graders at the urban primary school, 30 eighth-graders at the town school.
    let mut rows: Vec<Vec<String>> = (0..40)
        .map(|n| student_row(URBAN_PRIMARY, n, "三年级", 1))
        .collect();
    rows.extend((100..130).map(|n| student_row(TOWN_JUNIOR, n, "八年级", 1)));
    autumn_roll(t, &rows).await;
    let staff = t.write("staff.csv", staff_csv());
    import_committed(
        t,
        emis_app::imports::ImportKind::Staff,
        &staff,
        &Default::default(),
    )
    .await;
    let officer = account_of(
        "officer",
        Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let p = emis_app::teachers::staffing::picture(&t.db, &officer, None)
        .await
        .expect("picture");
    assert_eq!(p.term.as_deref(), Some("2021-autumn"));
    let school = |code: &str| {
        p.schools
            .iter()
            .find(|s| s.code == code)
            .expect("school")
            .staffing
            .clone()
    };
    // 40 / 19 → 3 required, 4 teachers: one over. 30 / 13.5 → 3 required, 3 teachers.
    let urban = school(URBAN_PRIMARY);
    assert_eq!(
        (urban.students, urban.required, urban.actual, urban.surplus),
        (40, 3, 4, 1)
    );
    assert!(urban.missing_subjects.contains(&"科学".to_string()));
    assert!(!urban.missing_subjects.contains(&"数学".to_string()));
    let town = school(TOWN_JUNIOR);
    assert_eq!((town.required, town.actual, town.shortage), (3, 3, 0));
    assert!(town.missing_subjects.contains(&"化学".to_string()));
    // The senior school has no students and no teachers: nothing required.
    assert_eq!(school(SENIOR_HIGH).required, 0);
    assert_eq!(
        (p.total.required, p.total.actual, p.total.surplus),
        (6, 7, 1)
    );

    // The county's own standard: 1:10 in primary schools makes the urban school short.
    let (mut standard, hours) = emis_app::teachers::staffing::settings(&t.db, &officer)
        .await
        .expect("settings");
    standard.primary = 100;
    emis_app::teachers::staffing::set_standard(&t.db, &officer, standard, hours, "test")
        .await
        .expect("saved");
    let p = emis_app::teachers::staffing::picture(&t.db, &officer, None)
        .await
        .expect("picture");
    let urban = &p.schools[0];
    assert_eq!(
        (
            urban.code.as_str(),
            urban.staffing.required,
            urban.staffing.shortage
        ),
        (URBAN_PRIMARY, 4, 0)
    );
    standard.primary = 80;
    emis_app::teachers::staffing::set_standard(&t.db, &officer, standard, hours, "test")
        .await
        .expect("saved");
    let p = emis_app::teachers::staffing::picture(&t.db, &officer, None)
        .await
        .expect("picture");
    assert_eq!(
        (
            p.schools[0].staffing.required,
            p.schools[0].staffing.shortage
        ),
        (5, 1)
    );
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.entity == "teacher_settings")
            .count(),
        2
    );
    // A township sees its schools only; a school may not change the standard.
    let township = account_of(
        "longtan",
        Role::Township,
        Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        },
    );
    let p = emis_app::teachers::staffing::picture(&t.db, &township, None)
        .await
        .expect("picture");
    assert_eq!(
        p.schools
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>(),
        [TOWN_JUNIOR]
    );
    assert_eq!(p.townships.len(), 1);
    let refused =
        emis_app::teachers::staffing::set_standard(&t.db, &township, standard, hours, "test").await;
    assert!(matches!(refused, Err(emis_app::AppError::Forbidden)));
}
crate::on_both_engines!(staffing, super::staffing_by_standard);

/// The recruitment plan by channel, 学段 and subject against the staff who started in 2021.
async fn recruitment_against_the_roll(t: &TestDb) {
    county_with_schools(t).await;
    let staff = t.write("staff.csv", staff_csv());
    import_committed(
        t,
        emis_app::imports::ImportKind::Staff,
        &staff,
        &Default::default(),
    )
    .await;
    use emis_app::teachers::recruitment::{fulfilment, save_line, RecruitmentPlanForm};
    let officer = account_of(
        "officer",
        Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let line = |channel: &str, stage: &str, subject: &str, planned: &str| RecruitmentPlanForm {
        channel: channel.into(),
        stage: stage.into(),
        subject: subject.into(),
        planned: planned.into(),
    };
    for l in [
        line("公开招聘", "小学", "", "3"),
        line("公开招聘", "初级中学", "", "2"),
        line("公费师范生", "", "语文", "1"),
        line("调入", "", "", "4"),
    ] {
        save_line(&t.db, &officer, 2021, &l, "test")
            .await
            .expect("saved");
    }
    let bad = save_line(
        &t.db,
        &officer,
        2021,
        &line("公开招聘", "大学", "", "1"),
        "test",
    )
    .await;
    assert!(
        matches!(bad, Err(emis_app::AppError::Invalid { field: "stage", .. })),
        "{bad:?}"
    );
    let bad = save_line(
        &t.db,
        &officer,
        2021,
        &line("公开招聘", "", "", "-1"),
        "test",
    )
    .await;
    assert!(
        matches!(
            bad,
            Err(emis_app::AppError::Invalid {
                field: "planned",
                ..
            })
        ),
        "{bad:?}"
    );
    // 0 removes a line.
    save_line(&t.db, &officer, 2021, &line("调入", "", "", "0"), "test")
        .await
        .expect("removed");
    let lines = fulfilment(&t.db, &officer, 2021).await.expect("plan");
    let got: Vec<(&str, &str, &str, i64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l.channel.as_str(),
                l.stage.as_str(),
                l.subject.as_str(),
                l.planned,
                l.recruited,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("公开招聘", "小学", "", 3, 1),
            ("公开招聘", "初级中学", "", 2, 0),
            ("公费师范生", "", "语文", 1, 1),
        ]
    );
}
crate::on_both_engines!(recruitment, super::recruitment_against_the_roll);
