//! 发放批次: a batch's status follows the payments imported back.

use super::*;

/// A batch's stored status follows the payments imported back: 待发放 when approved,
/// 部分发放 when one of its two lines is paid, 已发放 when both are; each change audited
/// and named in the import report.
async fn batch_status(t: &TestDb) {
    let ids = county_with_students(t).await;
    let county = county_scope();
    approved(t, &county, SENIOR_HIGH).await;
    let status = || async {
        let batches = aid::batches(&t.db, &county, None).await.expect("batches");
        assert_eq!(batches.len(), 1);
        (batches[0].id, batches[0].lines, batches[0].status.label())
    };
    let (batch, lines, before) = status().await;
    assert_eq!((lines, before), (2, "待发放"));

    let pay = |name: &str, rows: &[(&str, &str)]| {
        let mut text = String::from("学校标识码,身份证件号,资助项目,学期,金额(元)\n");
        for (policy, amount) in rows {
            text.push_str(&format!(
                "{SENIOR_HIGH},{},{policy},2021-autumn,{amount}\n",
                ids.senior
            ));
        }
        t.write(name, text)
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
    assert_eq!((again.inserted, status().await.2), (0, "已发放"));

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
