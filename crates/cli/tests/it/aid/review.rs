//! The aid workflow end to end: eligibility and gaps from the stored roll, the proposal
//! reviewed with scope and audit, the `aid` import (validated, all-or-nothing, re-import
//! unchanged), the indicators, and the batch matched against the payments.

use super::*;

async fn aid_end_to_end(t: &TestDb) {
    let ids = county_with_students(t).await;
    let autumn = [Term::autumn(2021)];

    // Eligibility from the stored roll: four student-policies, all missed before payment.
    let eligible = check(t).await;
    let mut got: Vec<(String, String, i64)> = eligible
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
    assert_eq!(eligible.gaps.missed.len(), 4);

    // Workflow: the school proposes, its township checks, the county approves.
    let school = school_scope(TOWN_JUNIOR);
    let other = school_scope(URBAN_PRIMARY);
    let actor = Actor::cli();
    let id = propose(t, &school, TOWN_JUNIOR).await.expect("propose");
    assert!(matches!(
        propose(t, &other, TOWN_JUNIOR).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        decide(t, &other, id, Decision::Pass).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        decide(t, &school, id, Decision::Pass).await,
        Err(AppError::Forbidden)
    ));
    let blank = Decision::SendBack("  ".into());
    assert!(matches!(
        decide(t, &longtan(), id, blank).await,
        Err(AppError::Refused(_))
    ));
    let reason = Decision::SendBack("名单缺少证明".into());
    let status = decide(t, &longtan(), id, reason).await.expect("send back");
    assert_eq!(status, SENT_BACK);
    let p = aid::proposal_in_scope(&t.db, &school, id)
        .await
        .expect("seen");
    assert_eq!(p.sent_back_reason.as_deref(), Some("名单缺少证明"));
    let id = propose(t, &school, TOWN_JUNIOR)
        .await
        .expect("propose again");
    let checked = decide(t, &longtan(), id, Decision::Pass).await;
    assert_eq!(checked.expect("check"), CHECKED);
    assert!(matches!(
        decide(t, &longtan(), id, Decision::Pass).await,
        Err(AppError::Forbidden)
    ));
    let approved = decide(t, &county_scope(), id, Decision::Pass).await;
    assert_eq!(approved.expect("approve"), APPROVED);
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
    let listed = aid::proposals(&t.db, &other, None).await.expect("list");
    assert_eq!(listed.len(), 0);

    // A refused import lists every problem and changes nothing.
    let bad = t.write(
        "aid_bad.csv",
        format!(
            "身份证件号,资助项目,学期,金额(元)\n{},家庭经济困难寄宿生生活费补助,2021-autumn,625\n123,奖学金,2021-autumn,-5\n",
            ids.boarder
        ),
    );
    let report = import(t, ImportKind::Aid, &bad).await;
    assert_refused(
        &report,
        &[
            "row 3, column 身份证件号",
            "row 3, column 资助项目",
            "row 3, column 金额(元)",
        ],
    );
    assert!(emis_storage::aid::payment_rows(&t.db, "431224", None)
        .await
        .expect("rows")
        .is_empty());

    // Payments: everyone eligible paid, plus one not eligible and one paid twice.
    let good = t.write(
        "aid.csv",
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
    );
    let report = import(t, ImportKind::Aid, &good).await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.inserted, 6);
    let again = import(t, ImportKind::Aid, &good).await;
    assert_eq!((again.inserted, again.unchanged), (0, 6));
    let paid = emis_storage::aid::batches(&t.db, "431224")
        .await
        .expect("batches");
    assert_eq!(paid[0].status.label(), "已发放", "its one line was paid");

    let paid_check = check(t).await;
    let gaps = &paid_check.gaps;
    assert!(gaps.missed.is_empty());
    assert_eq!(gaps.duplicates.len(), 1);
    assert_eq!(gaps.not_eligible.len(), 1);
    assert_eq!(gaps.not_eligible[0].id_number, ids.none);
    assert!(gaps.off_roll.is_empty());
    assert_eq!(paid_check.summary.person_times, 5);

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
    let options = emis_app::exports::ExportOptions::default();
    let n = emis_app::exports::export(&t.db, "431224", ImportKind::Aid, &out, &options, &actor)
        .await
        .expect("export");
    assert_eq!(n, 6);

    // Gap lists and breakdowns as xlsx, limited to the scope.
    let gaps = t.path("gaps.xlsx");
    let gaps_of = |scope: Scope| {
        let gaps = gaps.clone();
        async move {
            aid::write_gaps(&t.db, &scope, &autumn, &gaps, &Actor::cli())
                .await
                .expect("gaps")
        }
    };
    assert_eq!(gaps_of(county_scope()).await, 1 + 2);
    assert_eq!(gaps_of(school_scope(TOWN_JUNIOR)).await, 0);
    // A 班主任's list holds its class only: 一年级1班 has the payment to a child not
    // eligible, 三年级1班 (the school's other class) none.
    let class = |grade: &str| Scope::Class {
        county: "431224".into(),
        school: URBAN_PRIMARY.into(),
        grade: emis_domain::registry::Grade::parse(grade).expect("grade"),
        number: 1,
    };
    assert_eq!(gaps_of(class("一年级")).await, 1);
    assert_eq!(gaps_of(class("三年级")).await, 0);
    assert_eq!(gaps_of(school_scope(URBAN_PRIMARY)).await, 1);
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
    let extra = t.write(
        "aid_extra.csv",
        format!(
            "学校标识码,身份证件号,资助项目,学期,金额(元)\n{TOWN_JUNIOR},{},非寄宿生生活费补助,2021-autumn,312.5\n",
            ids.lifted
        ),
    );
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
