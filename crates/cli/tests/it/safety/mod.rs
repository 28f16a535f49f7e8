//! Safety (校园安全与防溺水), one file a part as in the services: `hazards` (the hazard
//! workflow, over the services and over the API and the pages), `evidence` (photos and
//! files of a hazard), `waters` (drowning records: waters, measures, patrols, 十有 and
//! letters, and their writes over the API and the pages), `roster`, `chain` (九长),
//! `checklist` (a campaign's checklist), `ten_haves` (十有 evidence files) and `dashboard`
//! (overdue hazards, the home card and coverage). Here: the accounts and records the parts
//! share, and the safety records of the web fixture.

use crate::support::*;
use emis_app::auth::Account;
use emis_app::safety::{self, AssignForm, HazardForm, RectifyForm, ReviewForm, Upload};
use emis_app::AppError;
use emis_domain::access::{Role, Scope};
use emis_domain::indicators::Value;

mod chain;
mod checklist;
mod dashboard;
mod evidence;
mod hazards;
mod roster;
mod ten_haves;
mod waters;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

fn account(name: &str, role: Role, scope: Scope) -> Account {
    account_of(name, role, scope)
}

fn county() -> String {
    "431224".into()
}

pub fn officer() -> Account {
    account("anquan", Role::Officer, Scope::County { county: county() })
}

pub fn school(code: &str) -> Account {
    account(
        &format!("school{code}"),
        Role::SchoolAdmin,
        Scope::School {
            county: county(),
            school: code.into(),
        },
    )
}

fn longtan() -> Account {
    account(
        "longtan",
        Role::Township,
        Scope::Township {
            county: county(),
            township: "431224104".into(),
        },
    )
}

fn hazard_form(found_on: &str) -> HazardForm {
    HazardForm {
        school: URBAN_PRIMARY.into(),
        place: "教学楼二楼走廊".into(),
        category: "用电".into(),
        grade: "一般".into(),
        description: "走廊插座面板破损，电线裸露".into(),
        found_on: found_on.into(),
        inspection: String::new(),
    }
}

async fn audit_actions(t: &TestDb, key: &str) -> Vec<String> {
    audit_of(t, "safety_hazard", key).await
}

/// The audited actions on one record, oldest first.
async fn audit_of(t: &TestDb, entity: &str, key: &str) -> Vec<String> {
    let page = emis_storage::lists::audit(&t.db, "431224", None, Some(key), None, None, 1)
        .await
        .expect("audit");
    page.items
        .into_iter()
        .rev()
        .filter(|r| r.entity == entity)
        .map(|r| r.action)
        .collect()
}

/// A hazard of the urban primary school found on the day, recorded by the school itself.
async fn record(t: &TestDb, found_on: &str) -> i64 {
    let own = school(URBAN_PRIMARY);
    safety::record_hazard(&t.db, &own, &hazard_form(found_on), "test", today())
        .await
        .accepted("record")
}

fn assignment(responsible: &str, measures: &str, deadline: &str, budget: &str) -> AssignForm {
    AssignForm {
        responsible: responsible.into(),
        measures: measures.into(),
        deadline: deadline.into(),
        budget: budget.into(),
    }
}

fn rectification(result: &str, rectified_on: &str) -> RectifyForm {
    RectifyForm {
        result: result.into(),
        rectified_on: rectified_on.into(),
    }
}

fn review(review: &str, closed_on: &str) -> ReviewForm {
    ReviewForm {
        review: review.into(),
        closed_on: closed_on.into(),
    }
}

/// The year's indicators of the county.
async fn indicators(db: &emis_storage::Db) -> emis_domain::indicators::IndicatorSet {
    emis_app::report::annual_indicators(db, "431224", 2021)
        .await
        .expect("indicators")
}

/// An indicator's count.
fn counted(n: i64) -> Option<Value> {
    Some(Value::Count(n))
}

/// The hazard counts of the year's indicators: found, rectified, overdue.
async fn hazard_counts(db: &emis_storage::Db) -> [Option<Value>; 3] {
    let set = indicators(db).await;
    ["found", "rectified", "overdue"].map(|n| set.get(&format!("safety.hazards.{n}")))
}

/// A 山塘 of 桐木村 in the township.
fn water_form(township: &str, name: &str, risk: &str) -> safety::WaterForm {
    safety::WaterForm {
        township: township.into(),
        village: "桐木村".into(),
        name: name.into(),
        kind: "山塘".into(),
        risk: risk.into(),
        ..Default::default()
    }
}

/// A water registered through the service.
async fn add_water(db: &emis_storage::Db, who: &Account, form: &safety::WaterForm) -> i64 {
    safety::add_water(db, who, form, "test")
        .await
        .accepted("add water")
}

/// One patrol of 向老师 at a water on a day's slot.
async fn patrol(db: &emis_storage::Db, who: &Account, water: i64, day: &str, slot: &str) {
    let form = safety::PatrolForm {
        water,
        day: day.into(),
        slot: slot.into(),
        patroller: "向老师".into(),
        note: String::new(),
    };
    safety::record_patrol(db, who, &form, "test")
        .await
        .accepted("patrol");
}

/// A high-risk water of the township in the village of 桐木村, as the bulk writer stores it.
pub async fn insert_water(db: &emis_storage::Db, township: &str, name: &str, kind: &str) -> i64 {
    let mut tx = db.begin().await.expect("tx");
    let w = emis_storage::safety::WaterRow {
        township_code: township.into(),
        village: "桐木村".into(),
        name: name.into(),
        kind: kind.into(),
        risk: "高".into(),
        ..Default::default()
    };
    let id = emis_storage::safety::insert_water(&mut tx, "431224", &w)
        .await
        .expect("water");
    emis_storage::commit(tx).await.expect("commit");
    id
}

/// 九长 links and roster shifts for the route walk: the own side is the urban primary
/// school (卢峰镇) and a water of 卢峰镇, the other side the town junior school and a water of
/// 龙潭镇.
#[derive(Clone, Copy, Debug, Default)]
pub struct DutyRecords {
    pub own_link: i64,
    pub other_link: i64,
    pub own_shift: i64,
    pub other_shift: i64,
    /// Monthly inspections of the two schools.
    pub own_inspection: i64,
    pub other_inspection: i64,
}

pub async fn duty_records(db: &emis_storage::Db, own_water: i64, other_water: i64) -> DutyRecords {
    use emis_storage::safety::{insert_chain, insert_roster, ChainRow, RosterRow};
    let mut tx = db.begin().await.expect("tx");
    let mut ids = Vec::new();
    for (school, township, water) in [
        (URBAN_PRIMARY, "431224100", own_water),
        (TOWN_JUNIOR, "431224104", other_water),
    ] {
        let link = ChainRow {
            level: "学校".into(),
            township_code: township.into(),
            school_code: Some(school.into()),
            role: "校长".into(),
            person: "向校长".into(),
            phone: "13807451234".into(),
            ..ChainRow::default()
        };
        ids.push(insert_chain(&mut tx, "431224", &link).await.expect("link"));
        let shift = RosterRow {
            water_id: water,
            patroller: "舒老师".into(),
            phone: "13907459876".into(),
            slot: "中午".into(),
            from_day: "2021-07-01".into(),
            to_day: "2021-08-31".into(),
            ..RosterRow::default()
        };
        ids.push(
            insert_roster(&mut tx, "431224", &shift)
                .await
                .expect("shift"),
        );
        let monthly = emis_storage::safety::NewInspection {
            area: emis_domain::safety::Area::Safety,
            kind: "月度排查".into(),
            title: "2021年9月安全隐患排查".into(),
            school_code: Some(school.into()),
            planned_on: "2021-09-10".into(),
            done_on: None,
            checklist: vec!["消防设施".into(), "防溺水".into()],
            document: None,
        };
        ids.push(
            emis_storage::safety::insert_inspection(&mut tx, "431224", "test", &monthly)
                .await
                .expect("inspection"),
        );
    }
    emis_storage::commit(tx).await.expect("commit");
    DutyRecords {
        own_link: ids[0],
        own_shift: ids[1],
        own_inspection: ids[2],
        other_link: ids[3],
        other_shift: ids[4],
        other_inspection: ids[5],
    }
}
