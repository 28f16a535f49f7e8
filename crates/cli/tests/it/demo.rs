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

    let out = emis(
        &db,
        &["report", "annual", "--year", "2021", "--format", "json"],
    );
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
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

    // Loading the demo twice changes nothing and creates no second administrator.
    let again = emis(&db, &["demo", "--seed", "2021"]);
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stdout).contains("初始密码"));
    let out = emis(
        &db,
        &["report", "annual", "--year", "2021", "--format", "json"],
    );
    let report2: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report, report2);
}
