//! A campaign's checklist (检查清单), ticked per school; a monthly inspection is done once
//! its school has checked every item.

use super::*;

/// A campaign's checklist, ticked per school: a school ticks for itself only, items off the
/// list are refused, progress shows what each school still has to check, and a monthly
/// inspection is done once its school has checked every item.
async fn checklists(t: &TestDb) {
    use emis_app::safety::checklist::{self, ChecksForm};
    county_with_schools(t).await;
    let db = &t.db;
    let campaign = safety::schedule_campaign(
        db,
        &officer(),
        "防溺水专项行动",
        "2021-06-01",
        "警示标牌、救生设施、家长告知",
        "test",
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("campaign");
    let ticks = |items: &[&str], school: &str| ChecksForm {
        school: school.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
        checked_on: "2021-06-08".into(),
        note: "已排查".into(),
    };
    let own = school(URBAN_PRIMARY);
    let off_list = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["消防设施"], ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs");
    assert!(off_list
        .expect_err("off the list")
        .reason
        .contains("不在本次排查的检查清单"));
    // A school account ticks its own school: naming another is refused, not rewritten.
    let foreign = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["警示标牌", "救生设施"], TOWN_JUNIOR),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect_err("another school");
    assert!(foreign.is_out_of_scope());
    let n = checklist::record_checks(
        db,
        &own,
        campaign,
        &ticks(&["警示标牌", "救生设施"], ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("ticked");
    assert_eq!(n, 2);
    let refused = checklist::record_checks(
        db,
        &longtan(),
        campaign,
        &ticks(&["警示标牌"], URBAN_PRIMARY),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs");
    assert_eq!(refused.expect_err("outside 龙潭镇").field, "school");
    let inspection = checklist::visible_inspection(db, &officer(), campaign)
        .await
        .expect("campaign");
    let progress = checklist::progress(db, &officer(), &inspection)
        .await
        .expect("progress");
    let urban = progress
        .iter()
        .find(|p| p.school_code == URBAN_PRIMARY)
        .expect("urban");
    assert_eq!(urban.checked.len(), 2);
    let town = progress
        .iter()
        .find(|p| p.school_code == TOWN_JUNIOR)
        .expect("town");
    assert!(town.checked.is_empty());
    // 龙潭镇 sees its own schools' progress only.
    let seen = checklist::progress(db, &longtan(), &inspection)
        .await
        .expect("progress");
    assert!(seen.iter().all(|p| p.school_code != URBAN_PRIMARY));

    // A monthly inspection: done when the last item is ticked.
    safety::schedule_monthly(db, &officer(), 2021, 6, "test")
        .await
        .field_refusal()
        .expect("runs")
        .expect("scheduled");
    let monthly = emis_storage::safety::inspections(db, &own.scope, 2021, Some("月度排查"), 10)
        .await
        .expect("monthly")
        .into_iter()
        .find(|i| i.school_code.as_deref() == Some(URBAN_PRIMARY))
        .expect("own monthly");
    assert!(matches!(
        checklist::visible_inspection(db, &school(TOWN_JUNIOR), monthly.id).await,
        Err(AppError::NotFound)
    ));
    let (first, rest) = monthly.checklist.split_at(1);
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    checklist::record_checks(
        db,
        &own,
        monthly.id,
        &ticks(&first, ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("first");
    assert_eq!(
        checklist::visible_inspection(db, &own, monthly.id)
            .await
            .expect("m")
            .done_on,
        None
    );
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    checklist::record_checks(
        db,
        &own,
        monthly.id,
        &ticks(&rest, ""),
        "test",
        crate::support::today(),
    )
    .await
    .field_refusal()
    .expect("runs")
    .expect("rest");
    assert_eq!(
        checklist::visible_inspection(db, &own, monthly.id)
            .await
            .expect("m")
            .done_on
            .as_deref(),
        Some("2021-06-08")
    );
    assert!(audit_of(t, "safety_inspection", &monthly.id.to_string())
        .await
        .contains(&"inspection_checks".to_string()));
}

crate::on_both_engines!(inspection_checklists, super::checklists);
