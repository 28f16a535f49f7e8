//! Student aid on both engines: eligibility and gaps from the stored roll, the proposal
//! workflow with scope and audit, the `aid` import (validated, all-or-nothing, re-import
//! unchanged) and the indicators.

use crate::support::*;
use emis_app::aid::{self, Decision, APPROVED, CHECKED, SENT_BACK};
use emis_app::imports::{import_file, ImportKind, ImportOptions};
use emis_app::{Actor, AppError, NoProgress};
use emis_domain::access::Scope;
use emis_domain::aid::PolicyForm;
use emis_domain::indicators::Value;
use emis_domain::term::Term;

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

async fn aid_end_to_end(t: &TestDb) {
    let ids = county_with_students(t).await;
    let autumn = [Term::autumn(2021)];

    // Eligibility from the stored roll: four student-policies, all missed before payment.
    let check = aid::check(&t.db, "431224", &autumn).await.expect("check");
    let mut got: Vec<(String, String, i64)> = check
        .entitlements
        .iter()
        .map(|e| (e.id_number.clone(), e.policy.clone(), e.fen))
        .collect();
    got.sort();
    let mut want = vec![
        (ids.boarder.clone(), "boarding".to_string(), 62_500),
        (ids.lifted.clone(), "non_boarding".to_string(), 25_000),
        (ids.senior.clone(), "senior_fee".to_string(), 80_000),
        (ids.senior.clone(), "senior_grant".to_string(), 150_000),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(check.gaps.missed.len(), 4);

    // Workflow: the school proposes, its township checks, the county approves.
    let school = school_scope(TOWN_JUNIOR);
    let other = school_scope(URBAN_PRIMARY);
    let actor = Actor::cli();
    let id = aid::propose(&t.db, &school, TOWN_JUNIOR, Term::autumn(2021), &actor)
        .await
        .expect("propose");
    assert!(matches!(
        aid::propose(&t.db, &other, TOWN_JUNIOR, Term::autumn(2021), &actor).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        aid::decide(&t.db, &other, id, Decision::Pass, &actor).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        aid::decide(&t.db, &school, id, Decision::Pass, &actor).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        aid::decide(
            &t.db,
            &longtan(),
            id,
            Decision::SendBack("  ".into()),
            &actor
        )
        .await,
        Err(AppError::Refused(_))
    ));
    let status = aid::decide(
        &t.db,
        &longtan(),
        id,
        Decision::SendBack("名单缺少证明".into()),
        &actor,
    )
    .await
    .expect("send back");
    assert_eq!(status, SENT_BACK);
    let p = aid::proposal_in_scope(&t.db, &school, id)
        .await
        .expect("seen");
    assert_eq!(p.sent_back_reason.as_deref(), Some("名单缺少证明"));
    let id = aid::propose(&t.db, &school, TOWN_JUNIOR, Term::autumn(2021), &actor)
        .await
        .expect("propose again");
    assert_eq!(
        aid::decide(&t.db, &longtan(), id, Decision::Pass, &actor)
            .await
            .expect("check"),
        CHECKED
    );
    assert!(matches!(
        aid::decide(&t.db, &longtan(), id, Decision::Pass, &actor).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(
        aid::decide(&t.db, &county_scope(), id, Decision::Pass, &actor)
            .await
            .expect("approve"),
        APPROVED
    );
    let p = aid::proposal_in_scope(&t.db, &county_scope(), id)
        .await
        .expect("p");
    assert_eq!((p.lines, p.fen), (1, 62_500));
    let batches = emis_storage::aid::batches(&t.db, "431224")
        .await
        .expect("batches");
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].fen, 62_500);
    let actions = audit_actions(t, &id.to_string()).await;
    assert!(actions.len() >= 3, "{actions:?}");
    assert_eq!(
        aid::proposals(&t.db, &other, None)
            .await
            .expect("list")
            .len(),
        0
    );

    // A refused import lists every problem and changes nothing.
    let bad = t.path("aid_bad.csv");
    std::fs::write(
        &bad,
        format!(
            "身份证件号,资助项目,学期,金额(元)\n{},家庭经济困难寄宿生生活费补助,2021-autumn,625\n123,奖学金,2021-autumn,-5\n",
            ids.boarder
        ),
    )
    .expect("write");
    let report = import(t, ImportKind::Aid, &bad).await;
    assert!(report.refused());
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 3, column 身份证件号")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 3, column 资助项目")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("row 3, column 金额(元)")),
        "{lines:?}"
    );
    assert!(emis_storage::aid::payment_rows(&t.db, "431224", None)
        .await
        .expect("rows")
        .is_empty());

    // Payments: everyone eligible paid, plus one not eligible and one paid twice.
    let good = t.path("aid.csv");
    std::fs::write(
        &good,
        format!(
            "资助发放表\n\n学校标识码,身份证件号,资助项目,学期,金额（元）,发放日期\n\
             {TOWN_JUNIOR},{},家庭经济困难寄宿生生活费补助,2021年秋季学期,625.00,2021/11/20\n\
             {URBAN_PRIMARY},{},非寄宿生生活费补助,2021-autumn,250,2021-11-20\n\
             {SENIOR_HIGH},{},普通高中国家助学金,2021-autumn,1500,\n\
             {SENIOR_HIGH},{},普通高中免学杂费,2021-autumn,800,\n\
             {SENIOR_HIGH},{},普通高中免学杂费,2021-autumn,800,\n\
             {URBAN_PRIMARY},{},非寄宿生生活费补助,2021-autumn,250,\n",
            ids.boarder, ids.lifted, ids.senior, ids.senior, ids.senior, ids.none
        ),
    )
    .expect("write");
    let report = import(t, ImportKind::Aid, &good).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.inserted, 6);
    let again = import(t, ImportKind::Aid, &good).await;
    assert_eq!((again.inserted, again.unchanged), (0, 6));
    let paid = emis_storage::aid::batches(&t.db, "431224")
        .await
        .expect("batches");
    assert_eq!(paid[0].status, "已发放", "its one line was paid");

    let check = aid::check(&t.db, "431224", &autumn).await.expect("check");
    assert!(check.gaps.missed.is_empty());
    assert_eq!(check.gaps.duplicates.len(), 1);
    assert_eq!(check.gaps.not_eligible.len(), 1);
    assert_eq!(check.gaps.not_eligible[0].id_number, ids.none);
    assert!(check.gaps.off_roll.is_empty());
    assert_eq!(check.summary.person_times, 5);

    let values = aid::indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    assert_eq!(values[0], ("aid.person_times", Value::Count(5)));
    assert_eq!(
        values[1],
        (
            "aid.amount",
            Value::Fen(62_500 + 25_000 + 150_000 + 160_000 + 25_000)
        )
    );
    assert_eq!(values[2], ("aid.missed", Value::Count(0)));

    let history = aid::history(&t.db, "431224", &ids.senior)
        .await
        .expect("history");
    assert_eq!(history.len(), 3);

    // Export: the template's columns, ID numbers masked.
    let out = t.path("aid_out.xlsx");
    let n = emis_app::exports::export(
        &t.db,
        "431224",
        ImportKind::Aid,
        &out,
        &emis_app::exports::ExportOptions::default(),
        &Actor::cli(),
    )
    .await
    .expect("export");
    assert_eq!(n, 6);

    // Gap lists and breakdowns as xlsx, limited to the scope.
    let gaps = t.path("gaps.xlsx");
    let n = aid::write_gaps(&t.db, &county_scope(), &autumn, &gaps, &Actor::cli())
        .await
        .expect("gaps");
    assert_eq!(n, 1 + 2);
    let n = aid::write_gaps(
        &t.db,
        &school_scope(TOWN_JUNIOR),
        &autumn,
        &gaps,
        &Actor::cli(),
    )
    .await
    .expect("gaps");
    assert_eq!(n, 0);
    // A 班主任's list holds its class only: 一年级1班 has the payment to a child not
    // eligible, 三年级1班 (the school's other class) none.
    let class = |grade: &str| Scope::Class {
        county: "431224".into(),
        school: URBAN_PRIMARY.into(),
        grade: emis_domain::registry::Grade::parse(grade).expect("grade"),
        number: 1,
    };
    let in_class = |grade: &'static str| {
        let scope = class(grade);
        let gaps = gaps.clone();
        async move {
            aid::write_gaps(&t.db, &scope, &autumn, &gaps, &Actor::cli())
                .await
                .expect("gaps")
        }
    };
    assert_eq!(in_class("一年级").await, 1);
    assert_eq!(in_class("三年级").await, 0);
    assert_eq!(
        aid::write_gaps(
            &t.db,
            &school_scope(URBAN_PRIMARY),
            &autumn,
            &gaps,
            &Actor::cli()
        )
        .await
        .expect("gaps"),
        1
    );
    // Every gap export, masked, is audited with its row count and scope.
    let exports: Vec<_> = audit_of(t, "2021-autumn")
        .await
        .into_iter()
        .filter(|r| r.entity == "aid_gaps" && r.action == "export")
        .collect();
    assert_eq!(exports.len(), 5, "{exports:?}");
    let newest: serde_json::Value =
        serde_json::from_str(exports[0].after_json.as_deref().unwrap_or("{}")).expect("json");
    assert_eq!(newest["rows"], 1);
    assert_eq!(newest["masked"], true);
    assert_eq!(newest["filter"]["scope"]["school"], URBAN_PRIMARY);
    let breakdown = t.path("breakdown.xlsx");
    let n = aid::write_breakdown(&t.db, &county_scope(), &autumn, &breakdown)
        .await
        .expect("breakdown");
    // 4 policies, 3 stages, 2 townships, 3 schools.
    assert_eq!(n, 4 + 3 + 2 + 3);
    // Read by people: policy, township and school names, not codes alone.
    let columns = [
        emis_io::Column::required("维度"),
        emis_io::Column::required("名称"),
        emis_io::Column::required("人次"),
    ];
    let sheet = emis_io::read_table(&breakdown, &columns[..]).expect("read");
    let named = |dimension: &str, text: &str| {
        sheet
            .rows
            .iter()
            .any(|r| r.cells[0] == dimension && r.cells[1].contains(text))
    };
    assert!(named("资助项目", "普通高中免学杂费"));
    assert!(named("乡镇", "龙潭镇"));
    assert!(named("学校", TOWN_JUNIOR));

    // The batch matched against the payments imported back: its one line paid; a payment
    // at the school for a student not on the batch is extra; another school sees nothing.
    let batch = batches[0].id;
    let m = aid::batch_match(&t.db, &school, batch)
        .await
        .expect("batch");
    assert_eq!(m.lines.len(), 1);
    assert_eq!(m.count(aid::LineState::Paid), 1);
    assert!(m.extra.is_empty());
    assert!(matches!(
        aid::batch_match(&t.db, &other, batch).await,
        Err(AppError::NotFound)
    ));
    let extra = t.path("aid_extra.csv");
    std::fs::write(
        &extra,
        format!(
            "学校标识码,身份证件号,资助项目,学期,金额(元)\n{TOWN_JUNIOR},{},非寄宿生生活费补助,2021-autumn,312.5\n",
            ids.lifted
        ),
    )
    .expect("write");
    assert!(import(t, ImportKind::Aid, &extra).await.committed);
    let m = aid::batch_match(&t.db, &county_scope(), batch)
        .await
        .expect("batch");
    assert_eq!(m.extra.len(), 1);
    assert_eq!(m.extra[0].id_number, ids.lifted);
    assert_eq!(m.totals().get("boarding"), Some(&(1, 62_500, 1, 62_500)));
    let sheet = t.path("batch.xlsx");
    assert_eq!(
        aid::write_batch(&t.db, &county_scope(), batch, true, &actor, &sheet)
            .await
            .expect("export"),
        1
    );
    // The export is in the import template's columns, full ID numbers for the payer, audited.
    let table = emis_io::read_table(&sheet, ImportKind::Aid.columns()).expect("read");
    assert_eq!(table.rows[0].cells[0], ids.boarder);
    let page = audit_of(t, &batch.to_string()).await;
    assert!(page
        .iter()
        .any(|r| r.entity == "aid_batch" && r.action == "export_unmasked"));
}

crate::on_both_engines!(aid_workflow_import_and_gaps, super::aid_end_to_end);

/// A batch's stored status follows the payments imported back: 待发放 when approved,
/// 部分发放 when one of its two lines is paid, 已发放 when both are; each change audited
/// and named in the import report.
async fn batch_status(t: &TestDb) {
    let ids = county_with_students(t).await;
    let (county, actor) = (county_scope(), Actor::cli());
    let id = aid::propose(&t.db, &county, SENIOR_HIGH, Term::autumn(2021), &actor)
        .await
        .expect("propose");
    aid::decide(&t.db, &county, id, Decision::Pass, &actor)
        .await
        .expect("check");
    aid::decide(&t.db, &county, id, Decision::Pass, &actor)
        .await
        .expect("approve");
    let status = || async {
        let batches = aid::batches(&t.db, &county, None).await.expect("batches");
        assert_eq!(batches.len(), 1);
        (batches[0].id, batches[0].lines, batches[0].status.clone())
    };
    let (batch, lines, before) = status().await;
    assert_eq!((lines, before.as_str()), (2, "待发放"));

    let pay = |name: &str, rows: &[(&str, &str)]| {
        let path = t.path(name);
        let mut text = String::from("学校标识码,身份证件号,资助项目,学期,金额(元)\n");
        for (policy, amount) in rows {
            text.push_str(&format!(
                "{SENIOR_HIGH},{},{policy},2021-autumn,{amount}\n",
                ids.senior
            ));
        }
        std::fs::write(&path, text).expect("write");
        path
    };
    let grant = pay("grant.csv", &[("普通高中国家助学金", "1500")]);
    let report = import(t, ImportKind::Aid, &grant).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(status().await.2, "部分发放");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains(&format!("发放批次 {batch} 状态：待发放 → 部分发放"))),
        "{:?}",
        report.notes
    );
    let fee = pay("fee.csv", &[("普通高中免学杂费", "800")]);
    assert!(import(t, ImportKind::Aid, &fee).await.committed);
    assert_eq!(status().await.2, "已发放");
    // The same payments again: nothing new, the status stays.
    let again = import(t, ImportKind::Aid, &fee).await;
    assert_eq!(
        (again.inserted, status().await.2),
        (0, "已发放".to_string())
    );

    let audit = audit_of(t, &batch.to_string()).await;
    let mut changes: Vec<String> = audit
        .into_iter()
        .filter(|r| r.entity == "aid_batch" && r.action == "update")
        .map(|r| r.after_json.unwrap_or_default())
        .collect();
    changes.reverse();
    assert_eq!(
        changes,
        ["{\"status\":\"部分发放\"}", "{\"status\":\"已发放\"}"]
    );
}

crate::on_both_engines!(aid_batch_status_follows_payments, super::batch_status);

/// Editing the catalog changes the eligibility computed afterwards; refusals name the
/// field and write nothing; only the county edits; copying makes the next year's catalog.
async fn catalog_edits(t: &TestDb) {
    let ids = county_with_students(t).await;
    let autumn = [Term::autumn(2021)];
    let actor = Actor::cli();
    let eligible = |check: &aid::AidCheck, id: &str, policy: &str| {
        check
            .entitlements
            .iter()
            .find(|e| e.id_number == id && e.policy == policy)
            .map(|e| e.fen)
    };
    let before = aid::check(&t.db, "431224", &autumn).await.expect("check");
    assert_eq!(eligible(&before, &ids.none, "non_boarding"), None);
    assert_eq!(eligible(&before, &ids.lifted, "non_boarding"), Some(25_000));

    // 非寄宿生生活费补助 opened to every non-boarder, primary raised to 300 yuan.
    let catalog = aid::catalog(&t.db, "431224", 2021).await.expect("catalog");
    let mut form = PolicyForm::of(
        catalog
            .iter()
            .find(|p| p.code == "non_boarding")
            .expect("policy"),
    );
    // Through the condition fields: only 非寄宿生, no hardship group ticked.
    form.hardship = String::new();
    form.disabled = String::new();
    form.by_stage = "小学=300；初中=312.5".into();
    let bad = PolicyForm {
        by_stage: "小学=三百".into(),
        ..form.clone()
    };
    match aid::save_policy(&t.db, &county_scope(), 2021, &bad, &actor)
        .await
        .field_refusal()
    {
        Ok(Err(e)) => {
            assert_eq!(e.field, "by_stage");
            assert!(e.reason.contains("三百"), "{e:?}");
        }
        other => panic!("refused expected: {other:?}"),
    }
    assert!(matches!(
        aid::save_policy(&t.db, &longtan(), 2021, &form, &actor).await,
        Err(AppError::Forbidden)
    ));
    assert!(emis_storage::aid::policies(&t.db, "431224", 2021)
        .await
        .expect("stored")
        .is_empty());
    aid::save_policy(&t.db, &county_scope(), 2021, &form, &actor)
        .await
        .expect("save");
    let stored = emis_storage::aid::policies(&t.db, "431224", 2021)
        .await
        .expect("stored");
    assert_eq!(stored.len(), catalog.len(), "the other policies are kept");
    let after = aid::check(&t.db, "431224", &autumn).await.expect("check");
    assert_eq!(eligible(&after, &ids.none, "non_boarding"), Some(30_000));
    assert_eq!(eligible(&after, &ids.lifted, "non_boarding"), Some(30_000));
    assert_eq!(
        eligible(&after, &ids.boarder, "boarding"),
        eligible(&before, &ids.boarder, "boarding")
    );
    let audit = audit_of(t, "2021/non_boarding").await;
    assert!(audit
        .iter()
        .any(|r| r.entity == "aid_policy" && r.action == "update"));

    // Copy to 2022; a second copy is refused.
    assert_eq!(
        aid::copy_catalog(&t.db, &county_scope(), 2021, 2022, &actor)
            .await
            .expect("copy"),
        catalog.len()
    );
    let next = aid::catalog(&t.db, "431224", 2022).await.expect("2022");
    assert!(next.iter().all(|p| p.year == 2022));
    assert_eq!(
        next.iter()
            .find(|p| p.code == "non_boarding")
            .map(|p| &p.who),
        Some(&form.policy(2021).expect("p").who)
    );
    assert!(matches!(
        aid::copy_catalog(&t.db, &county_scope(), 2021, 2022, &actor).await,
        Err(AppError::Refused(_))
    ));
}

crate::on_both_engines!(aid_catalog_edits_change_eligibility, super::catalog_edits);

/// The hardship import: refused rows name row, column and reason and write nothing; a good
/// file sets the type eligibility reads and keeps the certificate; a school imports only
/// its own students; re-importing changes nothing.
async fn hardship_import(t: &TestDb) {
    let ids = county_with_students(t).await;
    let autumn = [Term::autumn(2021)];
    let before = aid::check(&t.db, "431224", &autumn).await.expect("check");
    assert!(!before.entitlements.iter().any(|e| e.id_number == ids.none));

    let bad = t.path("hardship_bad.csv");
    std::fs::write(
        &bad,
        format!(
            "身份证件号,困难类型,证书编号\n{},低保家庭,DB-001\n{},低保,\n{},富裕,X1\n110101200001011234,孤儿,GE1\n{},孤儿,GE2\n",
            ids.none, ids.lifted, ids.senior, ids.none
        ),
    )
    .expect("write");
    let report = import(t, ImportKind::Hardship, &bad).await;
    assert!(report.refused());
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    for prefix in [
        "row 3, column 证书编号",
        "row 4, column 困难类型",
        "row 5, column 身份证件号",
        "row 6, column 身份证件号",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(prefix)),
            "{prefix}: {lines:?}"
        );
    }
    assert!(emis_storage::aid::all_evidence(&t.db, "431224")
        .await
        .expect("evidence")
        .is_empty());

    let good = t.path("hardship.csv");
    std::fs::write(
        &good,
        format!(
            "身份证件号,困难类型,证书编号\n{},低保家庭,db431224001\n",
            ids.none
        ),
    )
    .expect("write");
    // A school outside the student's school may not import them.
    let options = ImportOptions {
        term: Some(Term::autumn(2021)),
        scope: Some(school_scope(TOWN_JUNIOR)),
        ..ImportOptions::default()
    };
    let scoped = import_file(
        &t.db,
        "431224",
        ImportKind::Hardship,
        &good,
        &options,
        &Actor::cli(),
        &NoProgress,
    )
    .await
    .expect("import");
    assert!(scoped.refused(), "{scoped:?}");
    let report = import(t, ImportKind::Hardship, &good).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.updated, 1);
    let again = import(t, ImportKind::Hardship, &good).await;
    assert_eq!((again.updated, again.unchanged), (0, 1));
    assert_eq!(
        emis_storage::aid::evidence(&t.db, "431224", &ids.none)
            .await
            .expect("evidence"),
        vec![("低保家庭".to_string(), "DB431224001".to_string())]
    );
    let after = aid::check(&t.db, "431224", &autumn).await.expect("check");
    let policies: Vec<&str> = after
        .entitlements
        .iter()
        .filter(|e| e.id_number == ids.none)
        .map(|e| e.policy.as_str())
        .collect();
    assert_eq!(policies, vec!["non_boarding"]);

    // A later students sheet: an empty 家庭经济困难类型 keeps the certified type (noted);
    // a stated other type wins, with a warning naming the row, and is audited.
    let roll = |hardship: &str| {
        let path = t.path(&format!("students_again_{}.csv", hardship.len()));
        let row = student_row(URBAN_PRIMARY, 4, "一年级", 1).join(",");
        std::fs::write(
            &path,
            format!("学校标识码,姓名,性别,身份证件号,年级,班级,寄宿生,家庭经济困难类型\n{row},否,{hardship}\n"),
        )
        .expect("write");
        path
    };
    let hardship_now = || async {
        emis_storage::registry::load_students(&t.db, "431224")
            .await
            .expect("students")[&ids.none]
            .hardship
            .clone()
    };
    let report = import(t, ImportKind::Students, &roll("")).await;
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(
        report.unchanged, 1,
        "nothing to change: the certified type is kept"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("保留已有证书的困难认定")),
        "{:?}",
        report.notes
    );
    assert_eq!(hardship_now().await, "低保家庭");
    let report = import(t, ImportKind::Students, &roll("其他困难")).await;
    assert!(report.committed, "{:?}", report.problems);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("row 2, column 家庭经济困难类型")
                && w.contains("低保家庭")
                && w.contains("其他困难")),
        "{warnings:?}"
    );
    assert_eq!(hardship_now().await, "其他困难");
    let audit = audit_of(t, &ids.none).await;
    assert!(audit.iter().any(|r| r.entity == "student"
        && r.action == "update"
        && r.before_json
            .as_deref()
            .is_some_and(|b| b.contains("低保家庭"))));
}

crate::on_both_engines!(aid_hardship_import, super::hardship_import);

/// One JSON API call with a bearer token.
async fn api(
    app: &axum::Router,
    token: &str,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        ))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

/// The same operations through the JSON API: catalog edits (officers only, refusals name
/// the field), copy, a proposal with chosen lines, and a batch with its matching.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aid_json_api() {
    let f = crate::web::fixture(sqlite().await).await;
    let admin = emis_app::auth::login(&f.t.db, "admin", crate::web::PASSWORD, "test")
        .await
        .expect("login")
        .account;
    let token = |user: &'static str| {
        let db = f.t.db.clone();
        let admin = admin.clone();
        async move {
            emis_app::auth::create_token(&db, &admin, user, "测试", "test")
                .await
                .expect("token")
        }
    };
    let (officer, township, school) = (
        token("officer").await,
        token("longtan").await,
        token("xiaoxue").await,
    );

    let mut form =
        serde_json::to_value(PolicyForm::of(&emis_domain::aid::catalog_2021()[2])).expect("form");
    form["year"] = 2021.into();
    // The advanced mode: rule data instead of the condition fields.
    form["rule_mode"] = "json".into();
    form["who"] = "{\"not\":\"boarding\"}".into();
    let (status, _) = api(
        &f.app,
        &township,
        "POST",
        "/api/v1/aid/policies",
        Some(form.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let mut bad = form.clone();
    bad["days"] = "x".into();
    bad["amount_kind"] = "per_day".into();
    let (status, body) = api(&f.app, &officer, "POST", "/api/v1/aid/policies", Some(bad)).await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap_or("").contains("天数"),
        "{body}"
    );
    let (status, body) = api(&f.app, &officer, "POST", "/api/v1/aid/policies", Some(form)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["policy"]["who"],
        serde_json::json!({"not": "boarding"})
    );
    let (status, body) = api(
        &f.app,
        &officer,
        "POST",
        "/api/v1/aid/policies/copy",
        Some(serde_json::json!({"from": 2021, "to": 2022})),
    )
    .await;
    assert_eq!((status.as_u16(), body["copied"].as_u64()), (200, Some(9)));

    // Every non-boarder of the urban school is now eligible for 非寄宿生生活费补助: the
    // school proposes two of them.
    let check = aid::check(&f.t.db, "431224", &[Term::autumn(2021)])
        .await
        .expect("check");
    let ours: Vec<_> = check
        .entitlements
        .iter()
        .filter(|e| e.school_code == URBAN_PRIMARY && e.policy == "non_boarding")
        .take(2)
        .map(|e| serde_json::json!({"id_number": e.id_number, "policy": e.policy}))
        .collect();
    assert_eq!(ours.len(), 2);
    // Only eligible students can be proposed.
    let stray = serde_json::json!([{"id_number": ours[0]["id_number"], "policy": "senior_grant"}]);
    let (status, body) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": stray})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("senior_grant"),
        "{body}"
    );
    let (status, body) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": URBAN_PRIMARY, "term": "2021-autumn", "lines": ours})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_i64().expect("id");
    let (status, _) = api(
        &f.app,
        &school,
        "POST",
        "/api/v1/aid/proposals",
        Some(serde_json::json!({"school": TOWN_JUNIOR, "term": "2021-autumn"})),
    )
    .await;
    assert_eq!(status, 404, "another school is out of scope");
    for who in [&officer, &officer] {
        let (status, body) = api(
            &f.app,
            who,
            "POST",
            "/api/v1/aid/decisions",
            Some(serde_json::json!({"proposal": id, "pass": true})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, body) = api(&f.app, &school, "GET", "/api/v1/aid/batches", None).await;
    let batch = body["batches"][0]["id"].as_i64().expect("batch");
    assert_eq!(body["batches"][0]["lines"], 2);
    let (status, body) = api(
        &f.app,
        &school,
        "GET",
        &format!("/api/v1/aid/batches/{batch}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["lines"].as_array().map(Vec::len), Some(2));
    assert!(body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .all(|l| l["state"] == "未发放"));
    let (status, _) = api(
        &f.app,
        &township,
        "GET",
        &format!("/api/v1/aid/batches/{batch}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "the urban school is outside 龙潭镇");
}
