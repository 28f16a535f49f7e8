//! Student aid (学生资助) on both engines, one file a part as in the services: `policies`
//! (the catalog and its edits), `review` (the workflow end to end: eligibility, 学校申报 →
//! 乡镇审核 → 县审批, payments imported, gaps and indicators), `batches` (a batch's status
//! following the payments), `hardship` (the hardship import) and `proposals` (proposals and
//! batches over the JSON API). Here: the county with the students aid looks at, and the
//! readers the parts share.

use crate::support::*;
use emis_app::aid::{self, Decision, APPROVED, CHECKED, SENT_BACK};
use emis_app::imports::{import_file, ImportKind, ImportOptions};
use emis_app::{Actor, AppError, NoProgress};
use emis_domain::access::Scope;
use emis_domain::aid::PolicyForm;
use emis_domain::indicators::Value;
use emis_domain::term::Term;

mod batches;
mod hardship;
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
    emis_storage::registry::ensure_county(&t.db, &emis_domain::divisions::XUPU)
        .await
        .expect("county");
    let schools = t.path("schools.csv");
    write_schools_csv(&schools);
    assert!(import(t, ImportKind::Schools, &schools).await.committed);
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
    let students = t.path("students.csv");
    std::fs::write(&students, text).expect("write");
    let report = import(t, ImportKind::Students, &students).await;
    assert!(report.committed, "{:?}", report.problems);
    Ids {
        boarder: rows[0].0[3].clone(),
        lifted: rows[1].0[3].clone(),
        senior: rows[2].0[3].clone(),
        none: rows[3].0[3].clone(),
    }
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
