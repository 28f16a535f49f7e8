//! Student aid (学生资助) on both engines, one file a part as in the services: `policies`
//! (the catalog and its edits), `review` (the workflow end to end: eligibility, 学校申报 →
//! 乡镇审核 → 县审批, payments imported, gaps and indicators), `batches` (a batch's status
//! following the payments), `hardship` (the hardship import), `proposals` (proposals and
//! batches over the JSON API) and `indicators` (the `aid.*` figures against the check).
//! Here: the county with the students aid looks at, and the readers the parts share.

use crate::support::*;
use emis_app::aid::{self, Decision, APPROVED, CHECKED, SENT_BACK};
use emis_app::imports::{ImportKind, ImportOptions};
use emis_app::{Actor, AppError};
use emis_domain::access::Scope;
use emis_domain::aid::PolicyForm;
use emis_domain::indicators::Value;
use emis_domain::term::Term;

mod batches;
mod hardship;
mod indicators;
mod policies;
mod proposals;
mod review;

fn county_scope() -> Scope {
    Scope::County {
        county: "431224".into(),
    }
}

fn longtan() -> Scope {
    Scope::Township {
        county: "431224".into(),
        township: "431224104".into(),
    }
}

fn school_scope(code: &str) -> Scope {
    Scope::School {
        county: "431224".into(),
        school: code.into(),
    }
}

pub(crate) struct Ids {
    pub boarder: String,
    pub lifted: String,
    pub senior: String,
    pub none: String,
}

async fn import(
    t: &TestDb,
    kind: ImportKind,
    path: &std::path::Path,
) -> emis_app::imports::ImportReport {
    import_with(t, kind, path, &autumn_2021()).await
}

/// Three schools and four students with the facts aid looks at.
pub(crate) async fn county_with_students(t: &TestDb) -> Ids {
    county_with_schools(t).await;
    let rows = [
        (student_row(TOWN_JUNIOR, 1, "八年级", 1), "是", "低保家庭"),
        (student_row(URBAN_PRIMARY, 2, "三年级", 1), "否", "脱贫家庭"),
        (student_row(SENIOR_HIGH, 3, "高二", 1), "是", "特困供养"),
        (student_row(URBAN_PRIMARY, 4, "一年级", 1), "否", "无"),
    ];
    let mut text =
        String::from("学校标识码,姓名,性别,身份证件号,年级,班级,寄宿生,家庭经济困难类型\n");
    for (r, boarding, hardship) in &rows {
        text.push_str(&format!("{},{boarding},{hardship}\n", r.join(",")));
    }
    let students = t.write("students.csv", text);
    import_committed(t, ImportKind::Students, &students, &autumn_2021()).await;
    Ids {
        boarder: rows[0].0[3].clone(),
        lifted: rows[1].0[3].clone(),
        senior: rows[2].0[3].clone(),
        none: rows[3].0[3].clone(),
    }
}

/// A school's proposal for 2021 autumn, made by an account of the scope.
async fn propose(t: &TestDb, scope: &Scope, school: &str) -> emis_app::Result<i64> {
    aid::propose(&t.db, scope, school, Term::autumn(2021), &Actor::cli()).await
}

/// A decision on a proposal by an account of the scope: the proposal's new status.
async fn decide(
    t: &TestDb,
    scope: &Scope,
    id: i64,
    decision: Decision,
) -> emis_app::Result<String> {
    aid::decide(&t.db, scope, id, decision, &Actor::cli()).await
}

/// A school's proposal, made by an account of the scope and passed twice by the county
/// (checked, then approved into a batch).
pub(crate) async fn approved(t: &TestDb, proposer: &Scope, school: &str) -> i64 {
    let id = propose(t, proposer, school).await.expect("propose");
    for step in ["check", "approve"] {
        decide(t, &county_scope(), id, Decision::Pass)
            .await
            .expect(step);
    }
    id
}

/// Eligibility and gaps of 2021 autumn.
async fn check(t: &TestDb) -> aid::AidCheck {
    aid::check(&t.db, "431224", &[Term::autumn(2021)])
        .await
        .expect("check")
}

/// The audit entries of a record key, newest first.
async fn audit_of(t: &TestDb, key: &str) -> Vec<emis_storage::lists::AuditRow> {
    emis_storage::lists::audit(&t.db, "431224", None, Some(key), None, None, 1)
        .await
        .expect("audit")
        .items
}

async fn audit_actions(t: &TestDb, key: &str) -> Vec<String> {
    audit_of(t, key)
        .await
        .into_iter()
        .rev()
        .filter(|r| r.entity == "aid_proposal")
        .map(|r| r.action)
        .collect()
}
