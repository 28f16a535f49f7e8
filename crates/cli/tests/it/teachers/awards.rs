//! The award workflow (school → township → bureau) within the fund, the conduct flag, and
//! conduct cases seen only by the roles that handle them.

use super::*;
use emis_app::teachers::{awards, conduct};
use emis_app::AppError;
use emis_domain::access::{Role, Scope};
use emis_domain::teachers::awards::{AwardDecision, AwardStatus};

fn county() -> Scope {
    Scope::County {
        county: "431224".into(),
    }
}

async fn workflow_within_the_fund(t: &TestDb) {
    county_with_schools(t).await;
    let records = teacher_records(t).await;
    let officer = account_of("officer", Role::Officer, county());
    let township = account_of(
        "longtan",
        Role::Township,
        Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        },
    );
    let school = account_of(
        "longtan-school",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: TOWN_JUNIOR.into(),
        },
    );
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 10).expect("date");
    let staff_6 = emis_storage::teachers::staff_id(&t.db, "431224", &teacher_id(6))
        .await
        .expect("read")
        .expect("staff");
    let form = awards::Proposal {
        staff: staff_6.to_string(),
        title: "最美乡村教师".into(),
        granting_body: String::new(),
        amount: "5000".into(),
        merits: "扎根乡村二十年".into(),
    };
    // The school proposes its own teacher; another school's teacher is not there for it.
    let id = awards::propose(&t.db, &school, &form, day, "test")
        .await
        .expect("proposed");
    let stranger = awards::Proposal {
        staff: records.own_staff.to_string(),
        ..form.clone()
    };
    assert!(matches!(
        awards::propose(&t.db, &school, &stranger, day, "test").await,
        Err(AppError::NotFound)
    ));
    let twice = awards::propose(&t.db, &school, &form, day, "test").await;
    assert!(
        matches!(twice, Err(AppError::Invalid { field: "title", .. })),
        "{twice:?}"
    );
    let blank = awards::Proposal {
        merits: " ".into(),
        ..form.clone()
    };
    assert!(matches!(
        awards::propose(&t.db, &school, &blank, day, "test").await,
        Err(AppError::Invalid {
            field: "merits",
            ..
        })
    ));

    // The bureau cannot grant before the township checks.
    let early = awards::decide(&t.db, &officer, id, AwardDecision::Pass, "", day, "test").await;
    assert!(
        matches!(&early, Err(AppError::Refused(m)) if m.contains("待乡镇审核")),
        "{early:?}"
    );
    assert_eq!(
        awards::decide(&t.db, &township, id, AwardDecision::Pass, "", day, "test")
            .await
            .expect("checked"),
        AwardStatus::Checked
    );
    // No fund yet: the grant would overspend it.
    let over = awards::decide(&t.db, &officer, id, AwardDecision::Pass, "", day, "test").await;
    assert!(
        matches!(&over, Err(AppError::Refused(m)) if m.contains("超出奖励资金余额")),
        "{over:?}"
    );
    awards::set_fund(&t.db, &officer, 2021, "8000", "test")
        .await
        .expect("fund");
    assert_eq!(
        awards::decide(&t.db, &officer, id, AwardDecision::Pass, "", day, "test")
            .await
            .expect("granted"),
        AwardStatus::Granted
    );
    let fund = awards::fund(&t.db, "431224", 2021).await.expect("fund");
    assert_eq!(
        (fund.fund, fund.granted, fund.balance, fund.awarded),
        (800_000, 500_000, 300_000, 1)
    );
    // The fixture's two proposals (3000 each, by the bureau, so already checked): one fits.
    assert!(awards::decide(
        &t.db,
        &officer,
        records.own_award,
        AwardDecision::Pass,
        "",
        day,
        "test"
    )
    .await
    .is_ok());
    let last = awards::decide(
        &t.db,
        &officer,
        records.other_award,
        AwardDecision::Pass,
        "",
        day,
        "test",
    )
    .await;
    assert!(matches!(last, Err(AppError::Refused(_))));
    // The fund may not be set below what is granted; sending back needs a reason.
    assert!(matches!(
        awards::set_fund(&t.db, &officer, 2021, "7999", "test").await,
        Err(AppError::Invalid { field: "fund", .. })
    ));
    let no_reason = awards::decide(
        &t.db,
        &officer,
        records.other_award,
        AwardDecision::SendBack,
        " ",
        day,
        "test",
    )
    .await;
    assert!(matches!(no_reason, Err(AppError::Refused(_))));
    let back = awards::decide(
        &t.db,
        &officer,
        records.other_award,
        AwardDecision::SendBack,
        "事迹材料不全",
        day,
        "test",
    )
    .await;
    assert_eq!(back.expect("sent back"), AwardStatus::SentBack);
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        set.get("staff.awarded"),
        Some(emis_domain::indicators::Value::Count(2))
    );
    assert_eq!(
        set.get("staff.award_amount"),
        Some(emis_domain::indicators::Value::Fen(800_000))
    );
    // Every step is in the audit log.
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit.iter().filter(|a| a.entity == "award").count() >= 6);
}
crate::on_both_engines!(workflow, super::workflow_within_the_fund);

async fn sanctioned_teacher_is_flagged(t: &TestDb) {
    county_with_schools(t).await;
    let records = teacher_records(t).await;
    let officer = account_of("officer", Role::Officer, county());
    let leader = account_of("leader", Role::Leader, county());
    let school = account_of(
        "xiaoxue",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: URBAN_PRIMARY.into(),
        },
    );
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 10).expect("date");
    // Only the handling office sees conduct cases.
    assert!(matches!(
        conduct::book(&t.db, &school).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        conduct::book(&t.db, &leader).await,
        Err(AppError::Forbidden)
    ));
    let case = records.conduct_case;
    let decide = conduct::StepForm {
        findings: Some("经查属实".into()),
        sanction: Some("警告".into()),
        decided_on: Some("2021-12-01".into()),
    };
    // Report → investigation → decision; the decision needs its sanction.
    let status = conduct::advance_case(
        &t.db,
        &officer,
        case,
        &conduct::StepForm::default(),
        day,
        "test",
    )
    .await
    .expect("step");
    assert_eq!(status.label(), "调查核实");
    let missing = conduct::StepForm {
        sanction: None,
        ..decide.clone()
    };
    assert!(matches!(
        conduct::advance_case(&t.db, &officer, case, &missing, day, "test").await,
        Err(AppError::Invalid {
            field: "sanction",
            ..
        })
    ));
    let early = conduct::StepForm {
        decided_on: Some("2021-11-01".into()),
        ..decide.clone()
    };
    assert!(matches!(
        conduct::advance_case(&t.db, &officer, case, &early, day, "test").await,
        Err(AppError::Invalid {
            field: "decided_on",
            ..
        })
    ));
    assert_eq!(
        conduct::advance_case(&t.db, &officer, case, &decide, day, "test")
            .await
            .expect("decided")
            .label(),
        "已处理"
    );
    assert!(matches!(
        conduct::advance_case(&t.db, &officer, case, &decide, day, "test").await,
        Err(AppError::Refused(_))
    ));
    // The sanctioned teacher, proposed again, carries the flag for the reviewers.
    let form = awards::Proposal {
        staff: records.other_staff.to_string(),
        title: "师德楷模".into(),
        granting_body: String::new(),
        amount: String::new(),
        merits: "见推荐表".into(),
    };
    let id = awards::propose(&t.db, &officer, &form, day, "test")
        .await
        .expect("proposed");
    let listed = awards::list(&t.db, &officer, 2021, Some(AwardStatus::Checked))
        .await
        .expect("list");
    let flagged = listed.iter().find(|a| a.id == id).expect("listed");
    assert!(
        flagged
            .conduct_flag
            .as_deref()
            .is_some_and(|f| f.contains("警告")),
        "{:?}",
        flagged.conduct_flag
    );
    let clean = listed
        .iter()
        .find(|a| a.id == records.own_award)
        .expect("listed");
    assert_eq!(clean.conduct_flag, None);
    // The teacher's page shows the case to the office and not to the school.
    let history =
        emis_app::teachers::roll::teacher(&t.db, &officer, records.other_staff, 2021, day)
            .await
            .expect("page");
    assert_eq!(history.conduct.as_ref().map(Vec::len), Some(1));
    let leader_view =
        emis_app::teachers::roll::teacher(&t.db, &leader, records.other_staff, 2021, day)
            .await
            .expect("page");
    assert!(leader_view.conduct.is_none());
}
crate::on_both_engines!(conduct_flag, super::sanctioned_teacher_is_flagged);
