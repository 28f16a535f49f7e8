//! 安全事故登记: schools record their own incidents (a township its schools', the bureau
//! any), each refusal on its field; steps until the bureau's 结案; the register's counts and
//! the year's figures through the annual report.

use crate::support::*;
use emis_app::incidents::{self as service, IncidentFilter, IncidentForm, IncidentStepForm};
use emis_domain::indicators::Value;

fn form(school: &str) -> IncidentForm {
    IncidentForm {
        school: school.into(),
        happened_on: "2021-03-20".into(),
        category: "交通".into(),
        in_school: "否".into(),
        deaths: "0".into(),
        injuries: "2".into(),
        account: "周末搭乘无牌摩托车回家途中与农用车剐蹭".into(),
    }
}

/// An incident of the urban primary school and one of the town junior school, for the
/// route walk: (own, other).
pub async fn incident_records(t: &TestDb) -> (i64, i64) {
    let officer = county_officer("office");
    let mut ids = Vec::new();
    for school in [URBAN_PRIMARY, TOWN_JUNIOR] {
        ids.push(
            service::record(&t.db, &officer, &form(school), today(), "test")
                .await
                .accepted("incident"),
        );
    }
    (ids[0], ids[1])
}

async fn indicator(t: &TestDb, code: &str) -> Option<Value> {
    emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators")
        .get(code)
}

async fn record_follow_up_and_close(t: &TestDb) {
    county_with_schools(t).await;
    let officer = county_officer("office");
    let school = school_admin(URBAN_PRIMARY);
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let own = service::record(&t.db, &school, &form(URBAN_PRIMARY), day, "test")
        .await
        .accepted("the school's own");
    assert_eq!(
        service::record(&t.db, &school, &form(TOWN_JUNIOR), day, "test")
            .await
            .refused("another school")
            .field,
        "school"
    );
    for (bad, field) in [
        (
            IncidentForm {
                category: "地震".into(),
                ..form(URBAN_PRIMARY)
            },
            "category",
        ),
        (
            IncidentForm {
                deaths: "-1".into(),
                ..form(URBAN_PRIMARY)
            },
            "deaths",
        ),
        (
            IncidentForm {
                injuries: "1001".into(),
                ..form(URBAN_PRIMARY)
            },
            "injuries",
        ),
        (
            IncidentForm {
                in_school: "也许".into(),
                ..form(URBAN_PRIMARY)
            },
            "in_school",
        ),
        (
            IncidentForm {
                happened_on: "2022-01-02".into(),
                ..form(URBAN_PRIMARY)
            },
            "happened_on",
        ),
        (
            IncidentForm {
                account: String::new(),
                ..form(URBAN_PRIMARY)
            },
            "account",
        ),
        (
            IncidentForm {
                school: "2143999999".into(),
                ..form(URBAN_PRIMARY)
            },
            "school",
        ),
    ] {
        assert_eq!(
            service::record(&t.db, &school, &bad, day, "test")
                .await
                .refused(field)
                .field,
            field
        );
    }
    // 龙潭镇 records a drowning at its school; the bureau an in-school accident of 2020.
    let drowning = IncidentForm {
        happened_on: "2021-07-15".into(),
        category: "溺水".into(),
        deaths: "1".into(),
        injuries: String::new(),
        ..form(TOWN_JUNIOR)
    };
    service::record(&t.db, &longtan_office(), &drowning, day, "test")
        .await
        .accepted("township");
    let earlier = IncidentForm {
        happened_on: "2020-05-11".into(),
        category: "意外伤害".into(),
        in_school: "是".into(),
        ..form(SENIOR_HIGH)
    };
    service::record(&t.db, &officer, &earlier, day, "test")
        .await
        .accepted("bureau");

    // Steps: the school handles and reports; 结案 is the bureau's; nothing after it.
    let step = |kind: &str, on: &str| IncidentStepForm {
        kind: kind.into(),
        happened_on: on.into(),
        note: "记录".into(),
    };
    service::add_step(
        &t.db,
        &school,
        own,
        &step("处置", "2021-03-20"),
        day,
        "test",
    )
    .await
    .accepted("handled");
    assert_eq!(
        service::add_step(
            &t.db,
            &school,
            own,
            &step("报告", "2021-03-19"),
            day,
            "test"
        )
        .await
        .refused("before the incident")
        .field,
        "happened_on"
    );
    assert_eq!(
        service::add_step(
            &t.db,
            &school,
            own,
            &step("回访", "2021-03-21"),
            day,
            "test"
        )
        .await
        .refused("kind")
        .field,
        "kind"
    );
    assert!(matches!(
        service::add_step(
            &t.db,
            &school,
            own,
            &step("结案", "2021-04-01"),
            day,
            "test"
        )
        .await,
        Err(emis_app::AppError::Forbidden)
    ));
    assert!(matches!(
        service::add_step(
            &t.db,
            &longtan_office(),
            own,
            &step("报告", "2021-03-22"),
            day,
            "test"
        )
        .await,
        Err(emis_app::AppError::NotFound)
    ));
    service::add_step(
        &t.db,
        &officer,
        own,
        &step("结案", "2021-04-12"),
        day,
        "test",
    )
    .await
    .accepted("closed");
    let after = service::add_step(
        &t.db,
        &school,
        own,
        &step("整改", "2021-05-01"),
        day,
        "test",
    )
    .await
    .refused("after closing");
    assert!(after.reason.contains("已结案"), "{}", after.reason);
    let d = service::detail(&t.db, &school, own).await.expect("detail");
    assert_eq!(d.incident.closed_on.as_deref(), Some("2021-04-12"));
    let kinds: Vec<&str> = d.steps.iter().map(|s| s.kind.label()).collect();
    assert_eq!(kinds, ["处置", "结案"]);
    assert!(matches!(
        service::detail(&t.db, &longtan_office(), own).await,
        Err(emis_app::AppError::NotFound)
    ));

    // The register's counts and the year's figures.
    let year = IncidentFilter {
        year: Some(2021),
        ..IncidentFilter::default()
    };
    let r = service::register(&t.db, &officer, &year)
        .await
        .expect("register");
    assert_eq!(r.rows.len(), 2);
    assert_eq!(
        (
            r.figures.incidents,
            r.figures.in_school,
            r.figures.out_of_school,
            r.figures.deaths,
            r.figures.injuries,
            r.figures.drowning_deaths
        ),
        (2, 0, 2, 1, 2, 1)
    );
    let theirs = service::register(&t.db, &longtan_office(), &year)
        .await
        .expect("register");
    assert_eq!(theirs.rows.len(), 1);
    let traffic = IncidentFilter {
        category: Some("交通".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(
        service::register(&t.db, &officer, &traffic)
            .await
            .expect("register")
            .rows
            .len(),
        1
    );
    assert_eq!(
        indicator(t, "safety.incidents").await,
        Some(Value::Count(2))
    );
    assert_eq!(
        indicator(t, "safety.incidents.in_school").await,
        Some(Value::Count(0))
    );
    assert_eq!(
        indicator(t, "safety.incidents.deaths").await,
        Some(Value::Count(1))
    );
    assert_eq!(indicator(t, "drowning.deaths").await, Some(Value::Count(1)));
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "incident" && a.action == "create"));
    assert!(audit
        .iter()
        .any(|a| a.entity == "incident" && a.action == "update"));
}
crate::on_both_engines!(steps, super::record_follow_up_and_close);
