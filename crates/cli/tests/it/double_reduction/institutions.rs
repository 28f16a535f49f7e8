//! The institution register: the import's checks, status changes as events, the indicators
//! counting each change once, and the office's status form.

use super::*;
use emis_app::imports::{ImportKind, ImportOptions};
use emis_domain::access::{Role, Scope};
use emis_domain::indicators::Value;

const HEADER: &str = "机构名称,统一社会信用代码,类别,所在乡镇,办学许可证号,状态,状态日期,文号\n";

async fn figures(t: &TestDb) -> (Option<Value>, Option<Value>, Option<Value>) {
    let set = emis_app::report::annual_indicators(&t.db, "431224", 2021)
        .await
        .expect("indicators");
    (
        set.get("double_reduction.institutions.closed"),
        set.get("double_reduction.institutions.deregistered"),
        set.get("double_reduction.institutions.transformed"),
    )
}

async fn register_and_events(t: &TestDb) {
    with_county(t).await;
    let wrong = {
        let good = code(9);
        let last = good.chars().last().expect("check");
        format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' })
    };
    let expected = code(9).chars().last().expect("check");
    let text = format!(
        "{HEADER}\
         溆浦县启航文化培训学校,{a},学科类,卢峰镇,教民1431224700001号,,,\n\
         卢峰镇小博士托管中心,{b},学科类,卢峰镇,,关停,2021-08-20,溆教发〔2021〕45号\n\
         龙潭镇英才补习班,{wrong},学科类,龙潭镇,,,,\n\
         溆浦县艺林美术培训中心,{c},艺术类,卢峰镇,教民1431224700002号,,,\n\
         低庄镇新思维学校,{d},学科类,低庄镇,教民1431224700003号,注销,,\n\
         桥江镇英语角,{e},学科类,火星镇,教民1431224700004号,,,\n\
         重复的机构,{a},非学科类,卢峰镇,,,,\n",
        a = code(1),
        b = code(2),
        c = code(3),
        d = code(4),
        e = code(5),
    );
    let file = t.write("institutions.csv", text);
    let report = import_with(
        t,
        ImportKind::Institutions,
        &file,
        &ImportOptions::default(),
    )
    .await;
    assert_refused(
        &report,
        &[
            &format!("row 4, column 统一社会信用代码: 统一社会信用代码校验位应为“{expected}”"),
            "row 5, column 类别: 类别“艺术类”无法识别，应为 学科类 / 非学科类",
            "row 6, column 状态日期: 状态为“注销”时状态日期不能为空",
            "row 7, column 所在乡镇: 所在乡镇“火星镇”不是本县的乡镇",
            "row 8, column 统一社会信用代码: 与第2行重复",
        ],
    );
    assert_eq!(
        emis_storage::double_reduction::institutions(&t.db, "431224")
            .await
            .expect("read")
            .len(),
        0,
        "a refused import writes nothing"
    );
    let skip = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_with(t, ImportKind::Institutions, &file, &skip).await;
    assert_eq!(report.inserted, 2);
    let one = Value::Count(1);
    assert_eq!(
        figures(t).await,
        (Some(one), Some(Value::Count(0)), Some(Value::Count(0)))
    );
    // The same file again records nothing twice.
    let again = import_with(t, ImportKind::Institutions, &file, &skip).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(figures(t).await.0, Some(one));

    // A later file: the licensed subject-type institution is deregistered.
    let later = t.write(
        "later.csv",
        format!("{HEADER}溆浦县启航文化培训学校,{},学科类,卢峰镇,教民1431224700001号,注销,2021-10-08,溆教发〔2021〕60号\n", code(1)),
    );
    let report = import_committed(t, ImportKind::Institutions, &later, &Default::default()).await;
    assert_eq!(report.updated, 1);
    assert!(
        report.notes.iter().any(|n| n.contains("正常 → 注销")),
        "{:?}",
        report.notes
    );
    assert_eq!(figures(t).await.1, Some(one));

    // The office records a transformation on the page's form; the events are the history.
    let officer = account_of(
        "officer",
        Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let school = account_of(
        "xiaoxue",
        Role::SchoolAdmin,
        Scope::School {
            county: "431224".into(),
            school: URBAN_PRIMARY.into(),
        },
    );
    let list = emis_app::double_reduction::institutions::register(&t.db, &officer, None, None)
        .await
        .expect("list");
    let id = list
        .iter()
        .find(|i| i.credit_code == code(1))
        .expect("listed")
        .id;
    use emis_app::double_reduction::institutions::{detail, record_change, ChangeForm};
    let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let form = ChangeForm {
        status: "转型".into(),
        happened_on: "2021-11-01".into(),
        document: "溆教发〔2021〕66号".into(),
        note: String::new(),
    };
    assert!(matches!(
        record_change(&t.db, &school, id, &form, today, "test").await,
        Err(emis_app::AppError::Forbidden)
    ));
    let same = ChangeForm {
        status: "注销".into(),
        ..form.clone()
    };
    assert!(matches!(
        record_change(&t.db, &officer, id, &same, today, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "status",
            ..
        })
    ));
    let future = ChangeForm {
        happened_on: "2022-01-05".into(),
        ..form.clone()
    };
    assert!(matches!(
        record_change(&t.db, &officer, id, &future, today, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "happened_on",
            ..
        })
    ));
    record_change(&t.db, &officer, id, &form, today, "test")
        .await
        .expect("recorded");
    let d = detail(&t.db, &officer, id).await.expect("detail");
    assert_eq!(d.institution.status.label(), "转型");
    assert_eq!(
        d.events
            .iter()
            .map(|e| e.status.label())
            .collect::<Vec<_>>(),
        ["注销", "转型"]
    );
    assert_eq!(figures(t).await, (Some(one), Some(one), Some(one)));
    // A township reads its own institutions only; the 卢峰镇 ones are not 龙潭镇's.
    let longtan = account_of(
        "longtan",
        Role::Township,
        Scope::Township {
            county: "431224".into(),
            township: "431224104".into(),
        },
    );
    assert!(
        emis_app::double_reduction::institutions::register(&t.db, &longtan, None, None)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(matches!(
        detail(&t.db, &longtan, id).await,
        Err(emis_app::AppError::NotFound)
    ));
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|a| a.entity == "institution" && a.action == "update"));
}
crate::on_both_engines!(register, super::register_and_events);

/// A complaint opens a case against an institution; the office closes it with its outcome.
async fn complaint_cases(t: &TestDb) {
    with_county(t).await;
    county_with_schools(t).await;
    let (own, _) = super::institution_records(t).await;
    use emis_app::double_reduction::institutions::{
        close_case, detail, open_case, CaseForm, CloseForm,
    };
    let officer = account_of(
        "officer",
        Role::Officer,
        Scope::County {
            county: "431224".into(),
        },
    );
    let township = account_of(
        "luofeng",
        Role::Township,
        Scope::Township {
            county: "431224".into(),
            township: "431224100".into(),
        },
    );
    let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let form = CaseForm {
        source: "投诉举报".into(),
        opened_on: "2021-09-10".into(),
        summary: "周末违规开展学科类培训".into(),
    };
    assert!(matches!(
        open_case(&t.db, &township, own, &form, today, "test").await,
        Err(emis_app::AppError::Forbidden)
    ));
    let blank = CaseForm {
        summary: " ".into(),
        ..form.clone()
    };
    assert!(matches!(
        open_case(&t.db, &officer, own, &blank, today, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "summary",
            ..
        })
    ));
    let case = open_case(&t.db, &officer, own, &form, today, "test")
        .await
        .expect("opened");
    let close = CloseForm {
        case: case.to_string(),
        outcome: "责令停止违规培训，约谈举办者".into(),
        closed_on: "2021-09-01".into(),
    };
    assert!(matches!(
        close_case(&t.db, &officer, own, &close, today, "test").await,
        Err(emis_app::AppError::Invalid {
            field: "closed_on",
            ..
        })
    ));
    let close = CloseForm {
        closed_on: "2021-09-20".into(),
        ..close
    };
    close_case(&t.db, &officer, own, &close, today, "test")
        .await
        .expect("closed");
    assert!(matches!(
        close_case(&t.db, &officer, own, &close, today, "test").await,
        Err(emis_app::AppError::Invalid { field: "case", .. })
    ));
    // The township of 卢峰镇 reads the case on the institution's page.
    let d = detail(&t.db, &township, own).await.expect("detail");
    assert_eq!(d.cases.len(), 1);
    assert_eq!(d.cases[0].status.label(), "已办结");
    assert_eq!(
        d.cases[0].outcome.as_deref(),
        Some("责令停止违规培训，约谈举办者")
    );
    let audit = emis_storage::testing::all_audit(&t.db)
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.entity == "institution_case")
            .count(),
        2
    );
}
crate::on_both_engines!(cases, super::complaint_cases);
