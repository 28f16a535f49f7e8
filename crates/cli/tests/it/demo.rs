//! The demo county: the seed's figures come out of the records through the indicators.

use crate::cli::emis;

#[test]
fn demo_county_gives_the_seed_figures_through_the_indicators() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let out = emis(&db, &["demo", "--seed", "2021"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("初始密码"));
    // 怀化市's office over the demo county, made with the administrator.
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("怀化市教育局账号（市州，只读各县汇总）：huaihua"));

    let annual = |year: &str| -> serde_json::Value {
        let out = emis(
            &db,
            &["report", "annual", "--year", year, "--format", "json"],
        );
        assert!(out.status.success(), "{year}");
        serde_json::from_slice(&out.stdout).expect("json report")
    };
    let report = annual("2021");
    let i = &report["indicators"];
    assert_eq!(report["year"], 2021);
    assert_eq!(report["county"], "431224");
    assert_eq!(i["students.enrolled"], 148955);
    assert_eq!(i["classes.large.compulsory.spring"], 664);
    assert_eq!(i["classes.oversize.compulsory.spring"], 108);
    assert_eq!(i["classes.large.senior.spring"], 68);
    assert_eq!(i["classes.oversize.senior.spring"], 3);
    for code in [
        "classes.large.compulsory.autumn",
        "classes.oversize.compulsory.autumn",
        "classes.large.senior.autumn",
        "classes.oversize.senior.autumn",
    ] {
        assert_eq!(i[code], 0, "{code}");
    }
    // 控辍保学: every suspected child's case is closed by year end; 送教上门 from the plans.
    // emis_demo::dropout::NOT_ON_ROLL (48) + MISTYPED (6)
    assert_eq!(i["dropout.suspected"], 54);
    assert_eq!(i["dropout.probable"], 0);
    assert_eq!(i["dropout.unresolved"], 0);
    assert_eq!(i["dropout.home_teaching.spring"], 265);
    assert_eq!(i["dropout.home_teaching.autumn"], 256);
    // 2020, for the year-over-year figures: its own comparison of 2020-09-10 with the
    // autumn 2020 roll, its cases and 送教上门 plans; a county whose control work has since
    // improved (more suspected children, some still open).
    let earlier = annual("2020");
    let e = &earlier["indicators"];
    let figure = |code: &str| {
        e[code]
            .as_i64()
            .unwrap_or_else(|| panic!("2020 {code}: {}", e[code]))
    };
    let records = crate::cli::with_db(&db, async |db| {
        let count = async |sql: &str| -> i64 {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(db.pool())
                .await
                .expect(sql)
        };
        let snapshot = "(SELECT id FROM population_snapshots WHERE snapshot_date = '2020-09-10' AND term = '2020-autumn')";
        [
            count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM population_persons WHERE snapshot_id = {snapshot} AND finding IN ('疑似辍学', '疑似匹配待确认')")).await,
            count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM dropout_cases WHERE snapshot_id = {snapshot}")).await,
            count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM dropout_cases WHERE snapshot_id = {snapshot} AND status <> '已销号'")).await,
            count("SELECT CAST(COUNT(*) AS BIGINT) FROM home_teaching_plans WHERE term = '2020-spring'").await,
            count("SELECT CAST(COUNT(*) AS BIGINT) FROM home_teaching_plans WHERE term = '2020-autumn'").await,
        ]
    });
    let [persons, cases, open, spring_plans, autumn_plans] = records;
    // The figures are the records': each suspected child of the 2020 snapshot has a case.
    assert_eq!(figure("dropout.suspected"), persons);
    assert_eq!(cases, persons, "一人一案");
    assert_eq!(figure("dropout.unresolved"), open);
    assert_eq!(figure("dropout.home_teaching.spring"), spring_plans);
    assert_eq!(figure("dropout.home_teaching.autumn"), autumn_plans);
    // emis_demo::dropout::{PREVIOUS_MISTYPED_OPEN (2), PREVIOUS_OPEN (3)}
    assert_eq!(figure("dropout.probable"), 2);
    assert_eq!(open, 5);
    assert!(
        (60..=80).contains(&persons),
        "2020: {persons} suspected against 54"
    );
    // 2020's roll carries 2021's spring roll back, thinned: a few fewer 送教上门.
    assert!(
        (240..265).contains(&spring_plans) && (230..256).contains(&autumn_plans),
        "2020: {spring_plans} / {autumn_plans} 送教上门"
    );

    // Safety: 300+ hazards found in 2021, all rectified and closed, none overdue; every
    // dangerous water equipped; summer patrols with a few missing; nearly all letters signed.
    let found = i["safety.hazards.found"].as_i64().expect("found");
    assert!((300..=340).contains(&found), "{found}");
    assert_eq!(i["safety.hazards.rectified"], found);
    assert_eq!(i["safety.hazards.overdue"], 0);
    assert_eq!(i["drowning.waters.equipped"], 1);
    let patrol = i["drowning.patrol.compliance"].as_f64().expect("rate");
    assert!(patrol > 0.99 && patrol < 1.0, "{patrol}");
    let letters = i["drowning.letters.signed"].as_f64().expect("rate");
    assert!(letters > 0.99 && letters < 1.0, "{letters}");

    // 学生资助: the real eligibility over the rolls, paid through the workflow: 79067 人次,
    // 4982.49万元, 应助尽助.
    assert_eq!(i["aid.person_times"], 79067);
    assert_eq!(i["aid.amount"].as_f64(), Some(49_824_900.00));
    assert_eq!(i["aid.missed"], 0);
    // 教师队伍: 682 recruits by channel, 258 selected, 5 + 24 studios, 36,122 person-times,
    // 229 awards and 200万元, on a roll of 9,000 or more.
    assert!(i["staff.total"].as_i64().expect("staff") >= 9_000);
    assert!(i["staff.teachers"].as_i64() < i["staff.total"].as_i64());
    assert_eq!(i["staff.recruited"], 682);
    assert_eq!(i["staff.recruited.tegang"], 142);
    assert_eq!(i["staff.recruited.open"], 261);
    assert_eq!(i["staff.recruited.funded_normal"], 267);
    assert_eq!(i["staff.recruited.transfer"], 12);
    assert_eq!(i["staff.funded_normal.selected"], 258);
    assert_eq!(i["staff.studios.master"], 5);
    assert_eq!(i["staff.studios.subject"], 24);
    assert_eq!(i["staff.training.person_times"], 36122);
    assert!(i["staff.training.persons"].as_i64().expect("persons") > 7_000);
    assert_eq!(i["staff.awarded"], 229);
    assert_eq!(i["staff.award_amount"].as_f64(), Some(2_000_000.00));
    // 双减: 1 unlicensed closed, 12 deregistered, 20 transformed; after-school service
    // everywhere in autumn, every school meeting 5+2.
    assert_eq!(i["double_reduction.institutions.closed"], 1);
    assert_eq!(i["double_reduction.institutions.deregistered"], 12);
    assert_eq!(i["double_reduction.institutions.transformed"], 20);
    // 党建: 50 入党积极分子, 62 预备党员, 42 转正 in 2021.
    assert_eq!(i["party.activists"], 50);
    assert_eq!(i["party.probationary"], 62);
    assert_eq!(i["party.confirmed"], 42);
    assert_eq!(i["after_school.coverage"], 1);
    assert_eq!(i["after_school.time_compliance"], 1);
    let participation = i["after_school.participation"].as_f64().expect("rate");
    assert!(
        participation > 0.7 && participation < 1.0,
        "{participation}"
    );
    // 数据采集: the seed's vaccination and household-visit figures through the forms; the
    // vaccinated roll and staff are the registry's, prefilled.
    assert_eq!(i["form.covid_vaccination.vaccinated"], 148955);
    assert_eq!(i["form.covid_vaccination.enrolled"], i["students.enrolled"]);
    assert_eq!(
        i["form.covid_vaccination.staff_vaccinated"],
        i["staff.total"]
    );
    assert_eq!(i["form.household_visits.households"], 857);
    assert_eq!(i["form.household_visits.people"], 2149);
    assert_eq!(i["form.household_visits.urged"], 93);
    assert_eq!(i["form.donations.amount"].as_f64(), Some(67.0));
    // 建设项目: 3.7344亿元, the summary's 新增学位 and 524 teacher-housing units.
    assert_eq!(i["projects.investment"].as_f64(), Some(373_440_000.0));
    assert_eq!(i["degrees.added.compulsory"], 2500);
    assert_eq!(i["degrees.added.senior"], 2500);
    assert_eq!(i["degrees.added.vocational"], 601);
    assert_eq!(i["degrees.added.preschool_public"], 900);
    assert_eq!(i["staff_housing.units"], 524);
    // 普及普惠: 普惠性民办 kindergartens count with the 公办 ones.
    let share = |code: &str| i[code].as_f64().expect(code);
    let (public, inclusive) = (
        share("preschool.public_share"),
        share("preschool.inclusive_share"),
    );
    assert!(
        0.0 < public && public < inclusive && inclusive < 1.0,
        "{public} {inclusive}"
    );
    // 荣誉与竞赛: 7 football, 2 basketball schools, 7 书香校园.
    assert_eq!(i["schools.titled.football"], 7);
    assert_eq!(i["schools.titled.basketball"], 2);
    assert_eq!(i["schools.titled.reading"], 7);
    // 安全事故: a few out-of-school incidents, none in school, nobody died or drowned.
    assert_eq!(i["safety.incidents"], 3);
    assert_eq!(i["safety.incidents.in_school"], 0);
    assert_eq!(i["safety.incidents.deaths"], 0);
    assert_eq!(i["drowning.deaths"], 0);
    // 职业教育: 38 五年制大专 students with 湖南商贸职业技术学院.
    assert_eq!(i["vocational.five_year_intake"], 38);
    let out = emis(
        &db,
        &[
            "forms",
            "status",
            "morning_checks",
            "--period",
            "2021-12",
            "--format",
            "json",
        ],
    );
    let december: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rate = december["rate"].as_f64().expect("rate");
    assert!(rate > 0.9 && rate < 1.0, "{rate}");
    // The ledger in the 整改销号登记表 layout, from the command line.
    let ledger = dir.path().join("ledger.xlsx");
    let ledger_arg = ledger.display().to_string();
    let out = emis(
        &db,
        &["safety", "ledger", "--year", "2021", "-o", &ledger_arg],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("已导出{found}条")));
    assert!(std::fs::metadata(&ledger).expect("ledger").len() > 10_000);

    // The 年度工作总结 written from these records, in the seed's units.
    crate::summary::demo_summary(&db, dir.path());

    // 怀化市's roll-up over the demo county: its one county, and the county's own figures.
    crate::cli::with_db(&db, async |db| {
        let huaihua = emis_app::auth::Account {
            username: "huaihua".into(),
            display_name: "huaihua".into(),
            role: emis_domain::access::Role::Region,
            org_code: "431200".into(),
            org_name: "怀化市".into(),
            scope: emis_domain::access::Scope::Region {
                code: "431200".into(),
            },
            must_change_password: false,
        };
        let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
        let rollup = emis_app::region::rollup(db, &huaihua, None, today)
            .await
            .expect("roll-up");
        assert_eq!(rollup.year, 2021, "the latest year with a roll");
        assert_eq!(rollup.counties.len(), 1);
        assert_eq!(rollup.counties[0].name, "溆浦县");
        for code in [
            "students.enrolled",
            "aid.amount",
            "classes.large.compulsory.spring",
        ] {
            assert_eq!(rollup.total.indicators[code], i[code], "{code}");
        }
    });

    // Loading the demo twice changes nothing and creates no second administrator.
    let again = emis(&db, &["demo", "--seed", "2021"]);
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stdout).contains("初始密码"));
    assert_eq!(report, annual("2021"));
    // 2020's comparison is not run again: no second case for its children.
    assert_eq!(earlier, annual("2020"));

    // The seat's autumn intake in the records is the published allocation and the
    // balanced classes: re-running the engine on the stored applicants, zones, plans and
    // distances gives the stored result, and each recorded class is an autumn class.
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(intake_comes_from_the_allocation(&db));
}

async fn intake_comes_from_the_allocation(url: &str) {
    use emis_domain::registry::Grade;
    use std::collections::HashMap;
    let db = emis_app::Db::open(url).await.expect("open");
    let county = "431224";
    let runs = emis_storage::enrollment::runs(&db, county)
        .await
        .expect("runs");
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r.published && r.unplaced == 0));
    let roll = emis_storage::registry::roll(&db, county, "2021-autumn")
        .await
        .expect("roll");
    let seat: HashMap<&str, (&str, Grade, u32)> = roll
        .iter()
        .map(|s| {
            (
                s.id_number.as_str(),
                (s.school_code.as_str(), s.grade, s.class_number),
            )
        })
        .collect();
    for run in &runs {
        let grade = run.grade;
        let input = emis_app::enrollment::load_input(&db, county, 2021, grade)
            .await
            .expect("input");
        assert!(input.applicants.len() > 1_000);
        let (_, json) = emis_storage::enrollment::run(&db, county, run.id)
            .await
            .expect("run")
            .expect("stored");
        let stored: emis_domain::enrollment::AllocationResult =
            serde_json::from_str(&json).expect("result");
        // The same outcome (placements are listed in input order, which storage may change).
        let again = emis_domain::enrollment::allocate(&input);
        let sorted = |r: &emis_domain::enrollment::AllocationResult| {
            let mut p = r.placements.clone();
            p.sort_by(|a, b| a.applicant_id.cmp(&b.applicant_id));
            p
        };
        assert_eq!(sorted(&again), sorted(&stored));
        assert_eq!(again.schools, stored.schools);
        assert_eq!(again.unplaced, stored.unplaced);
        let formed = emis_storage::enrollment::balanced(&db, county, run.id, None)
            .await
            .expect("balanced");
        assert!(!formed.is_empty());
        for b in formed {
            let groups: Vec<Vec<String>> = serde_json::from_str(&b.classes_json).expect("json");
            for (c, ids) in groups.iter().enumerate() {
                assert!(ids.len() as i64 <= b.class_size);
                for id in ids {
                    assert_eq!(
                        seat[id.as_str()],
                        (b.school_code.as_str(), grade, c as u32 + 1),
                        "{id}"
                    );
                }
            }
        }
    }
    // The spring 大班额 ledger is closed off class by class.
    let ledger = emis_storage::enrollment::ledger(&db, county)
        .await
        .expect("ledger");
    assert!(ledger.len() >= 664 + 68, "{}", ledger.len());
    assert!(ledger.iter().all(|e| e.closed_on.is_some()));
    supervision_found_and_closed(&db).await;
}

/// The autumn 专项督查: 30 schools visited on the whole list, 6 problems found and closed,
/// none on the safety ledger; the 五项管理 self-checks of both terms are in.
async fn supervision_found_and_closed(db: &emis_app::Db) {
    // emis_demo::double_reduction::supervision::{VISITED, PROBLEMS}
    const VISITED: usize = 30;
    const PROBLEMS: usize = 6;
    let office = crate::support::county_officer("shuangjian");
    let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let area = emis_domain::safety::Area::DoubleReduction;
    let p = one_campaign_closed(db, &office, area, today, VISITED, PROBLEMS).await;
    let by_item: usize = p.by_item.iter().map(|i| i.found).sum();
    assert_eq!(by_item, PROBLEMS);
    for term in ["2021-spring", "2021-autumn"] {
        let five = emis_app::double_reduction::five::picture(db, &office, term)
            .await
            .expect("five");
        assert_eq!(five.reported, five.schools.len(), "{term}");
        let all_comply = five.compliant == five.reported;
        assert_eq!(all_comply, term == "2021-autumn", "{term}");
    }
    supervision_visits_and_assessment(db, today).await;
}

/// The year's one campaign of an area: every one of `visited` schools inspected on the
/// whole list, `problems` found and all closed, none overdue.
async fn one_campaign_closed(
    db: &emis_app::Db,
    office: &emis_app::auth::Account,
    area: emis_domain::safety::Area,
    today: chrono::NaiveDate,
    visited: usize,
    problems: usize,
) -> emis_app::safety::campaigns::CampaignPicture {
    let p = emis_app::safety::campaigns::picture(db, office, area, 2021, today)
        .await
        .expect("picture");
    assert_eq!(p.campaigns.len(), 1, "{area:?}");
    assert_eq!(p.campaigns[0].inspected, visited, "{area:?}");
    assert_eq!((p.found, p.closed, p.overdue), (problems, problems, 0));
    p
}

/// The 督导检查 of autumn (40 schools, 8 problems found and closed, on their own area) and
/// the 2021 assessment: every school scored by the inspectors and from its records, ranked
/// and published; a school reads its own row beside the county's averages.
async fn supervision_visits_and_assessment(db: &emis_app::Db, today: chrono::NaiveDate) {
    use emis_domain::access::{Role, Scope};
    // emis_demo::supervision::{VISITED, PROBLEMS}
    const VISITED: usize = 40;
    const PROBLEMS: usize = 8;
    let county = "431224";
    let office = crate::support::county_officer("dudao");
    let area = emis_domain::safety::Area::Supervision;
    let p = one_campaign_closed(db, &office, area, today, VISITED, PROBLEMS).await;
    // The visits and the scheme link to the registered documents they are issued under.
    let registered = |d: Option<&emis_app::documents::DocLink>| d.and_then(|d| d.id).is_some();
    assert!(registered(p.campaigns[0].document.as_ref()));
    let scheme = emis_app::supervision::assessment::scheme(db, &office, 2021)
        .await
        .expect("scheme");
    assert!(scheme.saved && registered(scheme.document.as_ref()));

    let all = emis_app::supervision::assessment::results(db, &office, 2021)
        .await
        .expect("results");
    let schools = emis_storage::registry::schools(db, county)
        .await
        .expect("schools");
    assert!(all.published_at.is_some());
    assert_eq!(all.schools, schools.len());
    assert_eq!(all.results.len(), schools.len());
    assert!(all.results.iter().all(|r| r.unscored == 0));
    assert_eq!(all.results[0].rank, 1);
    assert!(all.results.windows(2).all(|w| w[0].total >= w[1].total));
    // A school's total is its points, and the points come partly from its records: the
    // schools do not all score full marks on the system's items.
    for r in &all.results {
        let sum: f64 = r.points.iter().sum();
        assert!((sum - r.total).abs() < 0.01, "{r:?}");
    }
    let distinct: std::collections::HashSet<String> = all
        .results
        .iter()
        .map(|r| format!("{:.2}", r.total))
        .collect();
    assert!(distinct.len() > 20, "{}", distinct.len());
    // The published result is frozen.
    let again = emis_app::supervision::assessment::compute(db, &office, 2021, today, "test").await;
    assert!(again.is_err());
    let school = &all.results[all.results.len() / 2];
    let principal = crate::support::account_of(
        "xiaozhang",
        Role::SchoolAdmin,
        Scope::School {
            county: county.into(),
            school: school.school_code.clone(),
        },
    );
    let own = emis_app::supervision::assessment::results(db, &principal, 2021)
        .await
        .expect("own");
    assert_eq!(own.results, vec![school.clone()]);
    assert_eq!(own.average, all.average);
}

/// 模拟县: a synthetic county loaded beside a county with its own roll keeps to itself. Its
/// figures come from its own records (the demo generator's: 54 suspected children), the
/// first county's figures do not move, and each county's officer lists only its students.
async fn a_synthetic_county_keeps_to_itself(t: &crate::support::TestDb) {
    use crate::support::*;
    county_with_schools(t).await;
    autumn_roll(t, &urban_rows(10, "三年级")).await;
    let before = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");

    let loaded = emis_app::demo::province::load_county(&t.db, 0, &emis_app::Actor::cli())
        .await
        .expect("loaded");
    assert!(loaded.loaded);
    assert_eq!(loaded.code, "430121");
    assert!(loaded.student_rows > 250_000, "{}", loaded.student_rows);
    // Loading it again writes nothing.
    let again = emis_app::demo::province::load_county(&t.db, 0, &emis_app::Actor::cli())
        .await
        .expect("again");
    assert!(!again.loaded);

    let after = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(
        format!("{:?}", before.values),
        format!("{:?}", after.values)
    );
    let synthetic = emis_app::report::annual_indicators(&t.db, "430121", 2021)
        .await
        .expect("indicators");
    let count = |code: &str| match synthetic.get(code) {
        Some(emis_domain::indicators::Value::Count(n)) => n,
        other => panic!("{code}: {other:?}"),
    };
    assert!(count("students.enrolled") > 140_000);
    assert_eq!(count("dropout.suspected"), 54);
    // Only the comparison is loaded, not the year's casework: every case is still open.
    assert_eq!(count("dropout.unresolved"), 54);
    assert_eq!(count("aid.person_times"), loaded.payments as i64);
    assert_eq!(count("safety.hazards.found"), loaded.hazards as i64);
    // Its townships are known to the rules, as 溆浦县's are.
    let division = emis_domain::divisions::county("430121").expect("known");
    assert_eq!(division.townships.len(), 25);

    let officer = |county: &str| {
        account_of(
            "officer",
            emis_domain::access::Role::Officer,
            emis_domain::access::Scope::County {
                county: county.into(),
            },
        )
    };
    let query = emis_storage::lists::StudentQuery {
        term: "2021-autumn".into(),
        per_page: 20,
        page: 1,
        ..Default::default()
    };
    let own = emis_app::registry::queries::students(&t.db, &officer("431224"), &query)
        .await
        .expect("list");
    assert_eq!(own.total, 10);
    let other = emis_app::registry::queries::students(&t.db, &officer("430121"), &query)
        .await
        .expect("list");
    assert!(other.total > 140_000);
    let theirs = other.items[0].clone().into_inner();
    // 溆浦县's officer cannot open a student of 模拟1县 by id.
    assert!(
        emis_app::registry::queries::student(&t.db, &officer("431224"), theirs.id)
            .await
            .is_err()
    );
}
crate::on_both_engines!(synthetic_county, super::a_synthetic_county_keeps_to_itself);
