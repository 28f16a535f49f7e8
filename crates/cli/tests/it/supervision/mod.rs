//! 督导评估: a 督导检查 is a campaign of area 督导 (its problems kept apart from the safety
//! and 双减 ones, closed on the same steps); the yearly assessment's scheme refused by its
//! line, the inspectors' scores bounded by their items, every school computed and ranked
//! from the records, published and then frozen, and a school reading only its own row and
//! the county's averages.

use crate::support::*;
use emis_app::safety::campaigns::{self, LaunchForm};
use emis_app::safety::HazardForm;
use emis_app::supervision::assessment::{self as service, SchemeForm, ScoreForm};
use emis_app::AppError;
use emis_domain::safety::Area;

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date")
}

async fn visits_are_their_own_area(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let office = county_officer("dudao");
    let launch = LaunchForm {
        title: "2021年秋季学期责任督学挂牌督导".into(),
        planned_on: "2021-10-12".into(),
        ..LaunchForm::default()
    };
    let visit = campaigns::launch(db, &office, Area::Supervision, &launch, "test")
        .await
        .accepted("launched");
    let problem = HazardForm {
        school: TOWN_JUNIOR.into(),
        place: "八年级".into(),
        category: "办学行为".into(),
        grade: "一般".into(),
        description: "课程表与实际上课不一致".into(),
        found_on: "2021-10-12".into(),
        inspection: visit.to_string(),
    };
    // A 双减 category is not a 督导 one.
    let wrong = HazardForm {
        category: "作业总量与时长".into(),
        ..problem.clone()
    };
    assert_eq!(
        campaigns::record_problem(db, &office, Area::Supervision, &wrong, "t", day())
            .await
            .refused("a 双减 category")
            .field,
        "category"
    );
    campaigns::record_problem(db, &office, Area::Supervision, &problem, "t", day())
        .await
        .accepted("recorded");
    let p = campaigns::picture(db, &office, Area::Supervision, 2021, day())
        .await
        .expect("picture");
    assert_eq!((p.campaigns.len(), p.found), (1, 1));
    assert_eq!(p.campaigns[0].campaign.kind, "督导检查");
    for other in [Area::Safety, Area::DoubleReduction] {
        let theirs = campaigns::picture(db, &office, other, 2021, day())
            .await
            .expect("picture");
        assert_eq!(theirs.found, 0, "{other}");
    }
    // 龙潭镇's school reads its problem; the urban school does not.
    let own = campaigns::picture(
        db,
        &school_admin(TOWN_JUNIOR),
        Area::Supervision,
        2021,
        day(),
    )
    .await
    .expect("picture");
    assert_eq!(own.found, 1);
    let other = campaigns::picture(
        db,
        &school_admin(URBAN_PRIMARY),
        Area::Supervision,
        2021,
        day(),
    )
    .await
    .expect("picture");
    assert_eq!(other.found, 0);
}
crate::on_both_engines!(visits, super::visits_are_their_own_area);

const SCHEME: &str = "教育教学质量，60，督学评分\n消除大班额，20，classes.large 每个扣 10\n课后服务，20，after_school.offered 比率";

async fn assessment_computed_and_published(t: &TestDb) {
    county_with_schools(t).await;
    // One class of 60 at the urban primary school: a 大班额, 10 points off.
    autumn_roll(t, &urban_rows(60, "一年级")).await;
    let db = &t.db;
    let office = county_officer("dudao");
    let bad = SchemeForm {
        year: "2021".into(),
        items: "教育教学质量，60，督学评分\n消除大班额，40，天气 比率".into(),
        document: String::new(),
    };
    let refusal = service::save_scheme(db, &office, &bad, day(), "t")
        .await
        .refused("an unknown metric");
    assert_eq!(refusal.field, "items");
    assert!(refusal.reason.starts_with("第2行："), "{}", refusal.reason);
    let form = SchemeForm {
        year: "2021".into(),
        items: SCHEME.into(),
        document: String::new(),
    };
    assert!(matches!(
        service::save_scheme(db, &school_admin(URBAN_PRIMARY), &form, day(), "t").await,
        Err(AppError::Forbidden)
    ));
    service::save_scheme(db, &office, &form, day(), "t")
        .await
        .accepted("saved");
    let scores = |school: &str, score: &str| ScoreForm {
        year: "2021".into(),
        school: school.into(),
        scores: [("教育教学质量".to_string(), score.to_string())].into(),
        note: String::new(),
    };
    assert_eq!(
        service::record_scores(db, &office, &scores(URBAN_PRIMARY, "61"), day(), "t")
            .await
            .refused("above the weight")
            .field,
        "scores"
    );
    service::record_scores(db, &office, &scores(URBAN_PRIMARY, "58"), day(), "t")
        .await
        .accepted("scored");
    service::record_scores(db, &office, &scores(TOWN_JUNIOR, "50"), day(), "t")
        .await
        .accepted("scored");
    assert_eq!(
        service::compute(db, &office, 2021, day(), "t")
            .await
            .accepted("computed"),
        3
    );
    let all = service::results(db, &office, 2021).await.expect("results");
    let shown: Vec<(&str, f64, u32)> = all
        .results
        .iter()
        .map(|r| (r.school_code.as_str(), r.total, r.rank))
        .collect();
    // Urban primary: 58 + (20 − 10) + 0 (no after-school record) = 68; town junior: 50 +
    // 20 + 0 = 70; the senior high school: no score, no compulsory grade, so 0 + 20 + 20.
    assert_eq!(
        shown,
        [
            (TOWN_JUNIOR, 70.0, 1),
            (URBAN_PRIMARY, 68.0, 2),
            (SENIOR_HIGH, 40.0, 3)
        ]
    );
    assert_eq!(all.results[2].unscored, 1);
    // Before publication a school reads nothing; after it, its own row and the averages.
    let own = school_admin(URBAN_PRIMARY);
    assert!(service::results(db, &own, 2021)
        .await
        .expect("results")
        .results
        .is_empty());
    service::publish(db, &office, 2021, "t")
        .await
        .accepted("published");
    let mine = service::results(db, &own, 2021).await.expect("results");
    assert_eq!(mine.results.len(), 1);
    assert_eq!(mine.results[0].rank, 2);
    assert_eq!((mine.schools, mine.average), (3, 59.33));
    let longtan = service::results(db, &longtan_office(), 2021)
        .await
        .expect("results");
    assert_eq!(
        longtan
            .results
            .iter()
            .map(|r| r.school_code.as_str())
            .collect::<Vec<_>>(),
        [TOWN_JUNIOR]
    );
    // Published results are frozen: no new scheme, score or computation for the year.
    assert_eq!(
        service::compute(db, &office, 2021, day(), "t")
            .await
            .refused("recompute")
            .field,
        "year"
    );
    assert_eq!(
        service::save_scheme(db, &office, &form, day(), "t")
            .await
            .refused("a new scheme")
            .field,
        "items"
    );
    assert_eq!(
        service::publish(db, &office, 2021, "t")
            .await
            .refused("twice")
            .field,
        "year"
    );
    let audit = emis_storage::testing::all_audit(db).await.expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "assessment_results" && a.action == "publish"));
}
crate::on_both_engines!(assessment, super::assessment_computed_and_published);
