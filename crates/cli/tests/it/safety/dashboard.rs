//! The safety dashboard: overdue hazards and their escalation, and the home card's totals
//! against the dashboard's coverage rows.

use super::*;

async fn overdue(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let own = school(URBAN_PRIMARY);
    let id = record(t, "2021-11-02").await;
    let railing = assignment("舒主任", "加装护栏", "2021-11-30", "");
    safety::assign(db, &own, id, &railing, "test")
        .await
        .accepted("assign");
    let on = |who: Account, day: &str| {
        let day = emis_domain::dates::parse_date(day).expect("date");
        async move { safety::dashboard(db, &who, day).await.expect("dash") }
    };
    let before = on(officer(), "2021-11-30").await;
    assert_eq!(before.counts.overdue, 0);
    assert_eq!(before.counts.open, 1);
    let after = on(officer(), "2021-12-01").await;
    assert_eq!(after.counts.overdue, 1);
    assert_eq!(after.overdue[0].id, id);
    // A 一般 hazard goes up to the township at once and to the bureau after 7 days late.
    assert_eq!((after.escalated_township, after.escalated_county), (1, 0));
    let week = on(officer(), "2021-12-07").await;
    assert_eq!((week.escalated_township, week.escalated_county), (1, 0));
    let late = on(officer(), "2021-12-08").await;
    assert_eq!((late.escalated_township, late.escalated_county), (0, 1));
    // The township sees no overdue hazard outside it; the school sees its own.
    assert_eq!(on(longtan(), "2021-12-01").await.counts.overdue, 0);
    assert_eq!(on(own, "2021-12-01").await.counts.overdue, 1);
    assert_eq!(hazard_counts(db).await, [1, 0, 1].map(counted));
}

crate::on_both_engines!(overdue_hazards, super::overdue);

/// The home card and the dashboard of 2021 as an account sees them at the end of the year.
async fn card_and_dashboard(
    db: &emis_storage::Db,
    account: &Account,
) -> (safety::HomeCard, safety::Dashboard) {
    let today = emis_domain::dates::parse_date("2021-12-31").expect("date");
    let card = safety::home_card(db, account, today).await.expect("card");
    let dashboard = safety::dashboard_of_year(db, account, today, 2021)
        .await
        .expect("dashboard");
    (card, dashboard)
}

/// The home card counts its totals in the database, the dashboard row by row: they agree in
/// every scope, and each student's letter is counted once on the dashboard.
async fn home_card_totals(t: &TestDb) {
    use emis_app::safety::{LetterForm, MeasuresForm};
    county_with_schools(t).await;
    let db = &t.db;
    let rows = vec![
        student_row(URBAN_PRIMARY, 1, "三年级", 1),
        student_row(URBAN_PRIMARY, 2, "三年级", 1),
        student_row(URBAN_PRIMARY, 3, "一年级", 2),
        student_row(TOWN_JUNIOR, 4, "八年级", 1),
        student_row(TOWN_JUNIOR, 5, "八年级", 1),
    ];
    autumn_roll(t, &rows).await;
    for row in [&rows[0], &rows[1], &rows[3]] {
        let form = LetterForm {
            year: 2021,
            id_number: row[3].clone(),
            signed_on: "2021-09-10".into(),
        };
        safety::sign_letter(db, &officer(), &form, "test")
            .await
            .accepted("on the roll");
    }
    let on = || Some("1".to_string());
    // 龙潭镇: a 高 water equipped, a 较高 one not; 卢峰镇: a 高 water backfilled (equipped,
    // no patrols due) and an 一般 one (neither counted).
    let waters = [
        (
            "431224104",
            "龙潭山塘",
            "高",
            MeasuresForm {
                sign: on(),
                pole: on(),
                ring: on(),
                rope: on(),
                ..Default::default()
            },
        ),
        (
            "431224104",
            "龙潭河段",
            "较高",
            MeasuresForm {
                sign: on(),
                ..Default::default()
            },
        ),
        (
            "431224100",
            "卢峰水库",
            "高",
            MeasuresForm {
                backfilled: on(),
                ..Default::default()
            },
        ),
        ("431224100", "卢峰河段", "一般", MeasuresForm::default()),
    ];
    let mut ids = Vec::new();
    for (township, name, risk, measures) in waters {
        let id = add_water(db, &officer(), &water_form(township, name, risk)).await;
        let measures = MeasuresForm {
            risk: risk.into(),
            ..measures
        };
        safety::save_measures(db, &officer(), id, &measures, "test")
            .await
            .accepted("measures");
        ids.push(id);
    }
    // Compliant (two or more patrols): 龙潭山塘 on 7月1日, 龙潭河段 on 7月3日 and 7月4日;
    // one patrol on 7月2日 is not enough; the backfilled water's patrols are not due.
    let patrols = [
        (ids[0], "2021-07-01", 2),
        (ids[0], "2021-07-02", 1),
        (ids[1], "2021-07-03", 2),
        (ids[1], "2021-07-04", 3),
        (ids[2], "2021-07-01", 2),
        (ids[3], "2021-07-01", 2),
    ];
    for (water, day, times) in patrols {
        for slot in &drowning_slots()[..times] {
            patrol(db, &officer(), water, day, slot).await;
        }
    }
    let (card, dashboard) = card_and_dashboard(db, &officer()).await;
    assert_eq!(card.year, 2021);
    assert_eq!(card.letter_rate, Some(3.0 / 5.0));
    assert_eq!(card.equipped_rate, Some(2.0 / 3.0));
    assert_eq!(card.patrol_rate, Some(3.0 / (2.0 * 62.0)));
    let signed: i64 = dashboard.schools.iter().map(|s| s.signed).sum();
    let on_roll: i64 = dashboard.schools.iter().map(|s| s.on_roll).sum();
    assert_eq!((signed, on_roll), (3, 5), "each student's letter once");

    for account in [
        officer(),
        longtan(),
        school(URBAN_PRIMARY),
        school(TOWN_JUNIOR),
    ] {
        let (card, d) = card_and_dashboard(db, &account).await;
        let sum = |f: fn(&safety::TownshipCoverage) -> (usize, usize)| {
            d.coverage
                .iter()
                .map(f)
                .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
        };
        let rate = |(part, whole): (usize, usize)| emis_domain::safety::drowning::rate(part, whole);
        let who = &account.username;
        assert_eq!(
            card.equipped_rate,
            rate(sum(|c| (c.equipped_waters, c.dangerous_waters))),
            "{who}"
        );
        assert_eq!(
            card.patrol_rate,
            rate(sum(|c| (
                c.patrol_compliant as usize,
                c.patrol_required as usize
            ))),
            "{who}"
        );
        assert_eq!(
            card.letter_rate,
            rate(sum(|c| (c.signed as usize, c.on_roll as usize))),
            "{who}"
        );
        assert_eq!(card.counts.total, d.counts.total, "{who}");
    }
    // A school sees its own letters and its township's waters.
    let (own, _) = card_and_dashboard(db, &school(TOWN_JUNIOR)).await;
    assert_eq!(own.letter_rate, Some(1.0 / 2.0));
    assert_eq!(own.equipped_rate, Some(1.0 / 2.0));

    // A student who signed and then left the roll counts neither on the roll nor as signed.
    let signed_student = crate::web::student_key(db, &rows[1][3]).await;
    let mut tx = db.begin().await.expect("tx");
    emis_storage::registry::set_status(&mut tx, &county(), signed_student, "2021-autumn", "转出")
        .await
        .expect("status");
    emis_storage::commit(tx).await.expect("commit");
    for account in [officer(), school(URBAN_PRIMARY)] {
        let (card, d) = card_and_dashboard(db, &account).await;
        let (signed, on_roll) = d
            .schools
            .iter()
            .fold((0, 0), |(a, b), s| (a + s.signed, b + s.on_roll));
        assert_eq!(card.letter_rate, Some(signed as f64 / on_roll as f64));
    }
    let (card, _) = card_and_dashboard(db, &officer()).await;
    assert_eq!(card.letter_rate, Some(2.0 / 4.0));
}
crate::on_both_engines!(home_card_counts_in_the_database, super::home_card_totals);

fn drowning_slots() -> &'static [&'static str] {
    emis_domain::safety::drowning::PATROL_SLOTS
}
