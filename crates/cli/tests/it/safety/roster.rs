//! The patrol roster (巡查排班) and the patrol check it feeds.

use super::*;

/// The patrol roster: a township keeps the roster of its own waters only, a bad phone or
/// period is refused, a blank phone on edit keeps the one on file, every change is audited;
/// the patrol check names who was due and missed, and flags days nobody was rostered.
async fn roster(t: &TestDb) {
    use emis_app::safety::roster::{self, RosterForm};
    county_with_schools(t).await;
    let db = &t.db;
    let water = insert_water(db, "431224104", "桐木河段", "河段").await;
    let elsewhere = insert_water(db, "431224100", "桐木河段", "河段").await;
    let town = longtan();
    let form = |who: &str, phone: &str, slot: &str, from: &str, to: &str| RosterForm {
        patroller: who.into(),
        phone: phone.into(),
        slot: slot.into(),
        from_day: from.into(),
        to_day: to.into(),
    };
    let at_noon = |phone: &str, from: &str, to: &str| form("向老师", phone, "中午", from, to);
    let add = |who: Account, water: i64, shift: RosterForm| async move {
        roster::add_shift(db, &who, water, &shift, "test").await
    };
    let bad = add(
        town.clone(),
        water,
        at_noon("1380745", "2021-07-01", "2021-08-31"),
    )
    .await;
    assert_eq!(bad.refused("bad phone").field, "phone");
    let backwards = at_noon("13807451234", "2021-08-31", "2021-07-01");
    let backwards = add(town.clone(), water, backwards).await;
    assert_eq!(backwards.refused("backwards").field, "to_day");
    let summer = || at_noon("13807451234", "2021-07-01", "2021-08-31");
    assert!(matches!(
        add(town.clone(), elsewhere, summer()).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        add(school(TOWN_JUNIOR), water, summer()).await,
        Err(AppError::Forbidden)
    ));
    let noon = add(town.clone(), water, summer())
        .await
        .accepted("noon shift");
    let july = form(
        "舒老师",
        "13907459876",
        "放学后",
        "2021-07-01",
        "2021-07-31",
    );
    let after_school = add(town.clone(), water, july)
        .await
        .accepted("after-school shift");
    // A blank phone keeps the one on file; the slot and the days change.
    let later = form("舒老师", "", "放学后", "2021-07-05", "2021-07-31");
    roster::edit_shift(db, &town, after_school, &later, "test")
        .await
        .accepted("edit");
    let entries = emis_storage::safety::roster(db, "431224", water)
        .await
        .expect("roster");
    assert_eq!(entries.len(), 2);
    let edited = entries
        .iter()
        .find(|r| r.id == after_school)
        .expect("edited");
    assert_eq!(edited.phone, "13907459876");
    assert_eq!(edited.from_day, "2021-07-05");
    let audit = audit_of(t, "patrol_roster", &after_school.to_string()).await;
    assert!(
        audit.contains(&"roster_add".to_string()) && audit.contains(&"roster_edit".to_string()),
        "{audit:?}"
    );

    // One noon patrol on 7月10日: 舒老师 (放学后) was due and is named; before 7月5日 only the
    // noon slot is rostered, and August has one slot a day: both are roster gaps.
    patrol(db, &town, water, "2021-07-10", "中午").await;
    let end = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let report = roster::patrol_report(db, &town.scope, 2021, end)
        .await
        .expect("report");
    let missing = |day: &str| {
        report
            .missing
            .iter()
            .find(|m| m.water_id == water && m.day.to_string() == day)
    };
    let july10 = missing("2021-07-10").expect("7月10日 is missing a patrol");
    assert_eq!(july10.done, 1);
    assert_eq!(july10.due, vec!["舒老师（放学后）".to_string()]);
    let july11 = missing("2021-07-11").expect("7月11日");
    assert_eq!(july11.due.len(), 2);
    assert!(!july11.unrostered);
    let gap = report
        .roster_gaps
        .iter()
        .find(|g| g.water_id == water)
        .expect("gap");
    assert_eq!(gap.first.to_string(), "2021-07-01");
    assert_eq!(gap.days, 4 + 31);
    // Removing the noon shift leaves August unrostered.
    roster::remove_shift(db, &town, noon, "test")
        .await
        .expect("remove");
    let report = roster::patrol_report(db, &town.scope, 2021, end)
        .await
        .expect("report");
    assert!(report
        .missing
        .iter()
        .any(|m| m.water_id == water && m.day.to_string() == "2021-08-15" && m.unrostered));
    assert!(audit_of(t, "patrol_roster", &noon.to_string())
        .await
        .contains(&"roster_remove".to_string()));
}

crate::on_both_engines!(patrol_roster, super::roster);
