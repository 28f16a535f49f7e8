//! A campaign's checklist (检查清单), ticked per school; a monthly inspection is done once
//! its school has checked every item.

use super::*;
use emis_app::safety::checklist::{self, ChecksForm};

/// The items ticked for a school (blank: the account's own) on 2021-06-08.
async fn tick(
    db: &emis_storage::Db,
    who: &Account,
    inspection: i64,
    items: &[&str],
    school: &str,
) -> emis_app::Result<usize> {
    let form = ChecksForm {
        school: school.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
        checked_on: "2021-06-08".into(),
        note: "已排查".into(),
    };
    checklist::record_checks(db, who, inspection, &form, "test", today()).await
}

/// A campaign's checklist, ticked per school: a school ticks for itself only, items off the
/// list are refused, progress shows what each school still has to check, and a monthly
/// inspection is done once its school has checked every item.
async fn checklists(t: &TestDb) {
    county_with_schools(t).await;
    let db = &t.db;
    let (title, items) = ("防溺水专项行动", "警示标牌、救生设施、家长告知");
    let campaign = safety::schedule_campaign(
        db,
        &officer(),
        &campaign_form(title, "2021-06-01", items),
        "test",
    )
    .await
    .accepted("campaign");
    let own = school(URBAN_PRIMARY);
    let off_list = tick(db, &own, campaign, &["消防设施"], "")
        .await
        .refused("off the list");
    assert!(off_list.reason.contains("不在本次排查的检查清单"));
    // A school account ticks its own school: naming another is refused, not rewritten.
    let two = ["警示标牌", "救生设施"];
    let foreign = tick(db, &own, campaign, &two, TOWN_JUNIOR)
        .await
        .refused("another school");
    assert!(foreign.is_out_of_scope());
    let n = tick(db, &own, campaign, &two, "").await.accepted("ticked");
    assert_eq!(n, 2);
    let refused = tick(db, &longtan(), campaign, &["警示标牌"], URBAN_PRIMARY)
        .await
        .refused("outside 龙潭镇");
    assert_eq!(refused.field, "school");
    let inspection = checklist::visible_inspection(db, &officer(), campaign)
        .await
        .expect("campaign");
    let progress = checklist::progress(db, &officer(), &inspection)
        .await
        .expect("progress");
    let of = |code: &str| progress.iter().find(|p| p.school_code == code);
    assert_eq!(of(URBAN_PRIMARY).expect("urban").checked.len(), 2);
    assert!(of(TOWN_JUNIOR).expect("town").checked.is_empty());
    // 龙潭镇 sees its own schools' progress only.
    let seen = checklist::progress(db, &longtan(), &inspection)
        .await
        .expect("progress");
    assert!(seen.iter().all(|p| p.school_code != URBAN_PRIMARY));

    // A monthly inspection: done when the last item is ticked.
    safety::schedule_monthly(db, &officer(), 2021, 6, "test")
        .await
        .accepted("scheduled");
    let monthly = emis_storage::safety::inspections(
        db,
        &own.scope,
        emis_domain::safety::Area::Safety,
        2021,
        Some("月度排查"),
        10,
    )
    .await
    .expect("monthly")
    .into_iter()
    .find(|i| i.school_code.as_deref() == Some(URBAN_PRIMARY))
    .expect("own monthly");
    assert!(matches!(
        checklist::visible_inspection(db, &school(TOWN_JUNIOR), monthly.id).await,
        Err(AppError::NotFound)
    ));
    let done_on = || async {
        checklist::visible_inspection(db, &own, monthly.id)
            .await
            .expect("m")
            .done_on
    };
    let (first, rest) = monthly.checklist.split_at(1);
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    tick(db, &own, monthly.id, &first, "")
        .await
        .accepted("first");
    assert_eq!(done_on().await, None);
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    tick(db, &own, monthly.id, &rest, "").await.accepted("rest");
    assert_eq!(done_on().await.as_deref(), Some("2021-06-08"));
    assert!(audit_of(t, "safety_inspection", &monthly.id.to_string())
        .await
        .contains(&"inspection_checks".to_string()));
}

crate::on_both_engines!(inspection_checklists, super::checklists);
