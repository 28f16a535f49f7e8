use super::response::read_answer;
use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

const VACCINATION: &str = r#"{"code": "covid_vaccination", "title": "新冠疫苗接种情况", "period": "once",
  "respondent": "school", "fields": [
    {"code": "enrolled", "label": "在校生数", "type": "integer", "required": true, "min": 0,
     "prefill": "students.enrolled", "locked": true},
    {"code": "vaccinated", "label": "已接种学生数", "type": "integer", "required": true, "min": 0, "unit": "人"},
    {"code": "note", "label": "说明", "type": "text"}],
  "checks": [{"rule": "vaccinated <= enrolled", "message": "接种人数不能超过在校生数"}]}"#;

fn with(json: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("json");
    edit(&mut v);
    v.to_string()
}

fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn prefilled(enrolled: i64) -> BTreeMap<String, Answer> {
    BTreeMap::from([("enrolled".to_string(), Answer::Integer(enrolled))])
}

#[test]
fn the_contract_example_is_a_definition() {
    let def = parse_definition(VACCINATION).expect("valid");
    assert_eq!(def.period, PeriodKind::Once);
    assert_eq!(def.respondent, RespondentKind::School);
    assert_eq!(def.fields[0].prefill.as_deref(), Some("students.enrolled"));
    // Written back, it reads the same.
    let again = serde_json::to_string(&def).expect("json");
    assert_eq!(parse_definition(&again).expect("again"), def);
}

#[test]
fn malformed_definitions_are_refused_saying_where() {
    let refused = |json: String| parse_definition(&json).expect_err("refused");
    let e = refused(with(VACCINATION, |v| v["code"] = "Covid".into()));
    assert!(e.contains("报表代码“Covid”"), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["fields"][1]["code"] = "enrolled".into()
    }));
    assert_eq!(e, "第2个填报项（enrolled）：代码重复");
    let e = refused(with(VACCINATION, |v| {
        v["fields"][0]["prefill"] = "aid.amount".into()
    }));
    assert!(e.contains("预填指标“aid.amount”不能按填报单位计算"), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["fields"][2]["locked"] = true.into()
    }));
    assert_eq!(e, "第3个填报项（note）：只有预填的项才能锁定");
    let e = refused(with(VACCINATION, |v| {
        v["checks"][0]["rule"] = "vaccinated <= enroled".into()
    }));
    assert!(e.contains("没有代码为“enroled”的填报项"), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["checks"][0]["rule"] = "vaccinated <=".into()
    }));
    assert!(e.starts_with("第1条校验规则“vaccinated <=”："), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["checks"][0]["rule"] = "note <= enrolled".into()
    }));
    assert!(e.contains("“note”不是数值项"), "{e}");
    let e = refused(with(VACCINATION, |v| v["period"] = "weekly".into()));
    assert!(e.contains("不是有效的 JSON"), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["fields"][1]["min"] = 5.into();
        v["fields"][1]["max"] = 1.into();
    }));
    assert!(e.contains("最小值5大于最大值1"), "{e}");
    let e = refused(with(VACCINATION, |v| {
        v["fields"][2]["type"] = "choice".into()
    }));
    assert!(e.contains("选项类应列出"), "{e}");
}

#[test]
fn rules_read_sums_and_compare_on_hundredths() {
    let rule = Rule::parse("full_time + part_time >= 1").expect("rule");
    assert_eq!(rule.fields(), ["full_time", "part_time"]);
    let values = |a: f64, b: f64| HashMap::from([("full_time", a), ("part_time", b)]);
    assert_eq!(rule.holds(&values(0.0, 1.0)), Some(true));
    assert_eq!(rule.holds(&values(0.0, 0.0)), Some(false));
    assert_eq!(rule.holds(&HashMap::from([("full_time", 1.0)])), None);
    let tenth = Rule::parse("a - 0.1 == 0.2").expect("rule");
    assert_eq!(tenth.holds(&HashMap::from([("a", 0.3)])), Some(true));
    for bad in [
        "a <= b <= c",
        "a",
        "a <= ",
        "+ a <= b",
        "a <= b +",
        "A <= b",
        "a ! b",
    ] {
        assert!(Rule::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn periods_are_read_by_the_form_kind() {
    assert_eq!(PeriodKind::Once.read("2021"), Ok(Period::Year(2021)));
    assert_eq!(
        PeriodKind::Term.read("2021-autumn").map(Period::label),
        Ok("2021年秋季学期".to_string())
    );
    let month = PeriodKind::Month.read("2021-09").expect("month");
    assert_eq!(
        (month.code(), month.label(), month.year()),
        ("2021-09".to_string(), "2021年9月".to_string(), 2021)
    );
    for (kind, bad) in [
        (PeriodKind::Month, "2021-9"),
        (PeriodKind::Month, "2021-13"),
        (PeriodKind::Month, "2021"),
        (PeriodKind::Year, "2021-09"),
        (PeriodKind::Term, "2021"),
        (PeriodKind::Year, "21"),
    ] {
        let e = kind.read(bad).expect_err(bad);
        assert!(e.contains(bad) && e.contains("应如"), "{e}");
    }
}

#[test]
fn answers_are_read_with_prefill_lock_bounds_and_checks() {
    let def = parse_definition(VACCINATION).expect("valid");
    // The locked prefill fills the blank; the check holds.
    let ok = check_answers(
        &def,
        &raw(&[("vaccinated", "1,200")]),
        &prefilled(1250),
        true,
    )
    .expect("accepted");
    assert_eq!(ok.get("enrolled").map(String::as_str), Some("1250"));
    assert_eq!(ok.get("vaccinated").map(String::as_str), Some("1200"));
    assert!(!ok.contains_key("note"));
    // A changed locked value, and the cross-field check, are refused by field.
    let changed = check_answers(
        &def,
        &raw(&[("enrolled", "1300"), ("vaccinated", "1200")]),
        &prefilled(1250),
        true,
    )
    .expect_err("locked");
    assert_eq!(changed[0].field, "enrolled");
    assert!(
        changed[0].reason.contains("预填为1250，不能修改"),
        "{}",
        changed[0].reason
    );
    let over = check_answers(
        &def,
        &raw(&[("vaccinated", "1300")]),
        &prefilled(1250),
        true,
    )
    .expect_err("check");
    assert_eq!(
        over,
        [Refusal {
            field: "vaccinated".into(),
            reason: "接种人数不能超过在校生数".into()
        }]
    );
    // Required on submit, not in a draft; a bad value is refused either way.
    let blank = check_answers(&def, &raw(&[]), &BTreeMap::new(), true).expect_err("required");
    assert_eq!(blank.len(), 2);
    assert_eq!(blank[1].reason, "已接种学生数：必填");
    assert!(check_answers(&def, &raw(&[]), &BTreeMap::new(), false).is_ok());
    let negative = check_answers(&def, &raw(&[("vaccinated", "-3")]), &prefilled(10), false)
        .expect_err("bounds");
    assert_eq!(negative[0].reason, "已接种学生数：不能小于0人");
    let long = "字".repeat(MAX_TEXT + 1);
    let wordy =
        check_answers(&def, &raw(&[("note", &long)]), &prefilled(10), false).expect_err("long");
    assert!(wordy[0].reason.contains("不能超过500个字"));
}

#[test]
fn values_are_read_by_type() {
    let field = |kind: FieldType| Field {
        code: "x".into(),
        label: "X".into(),
        kind,
        required: false,
        min: None,
        max: None,
        unit: None,
        choices: vec!["自营".into(), "委托经营".into()],
        prefill: None,
        locked: false,
    };
    let read = |kind, raw: &str| read_answer(&field(kind), raw).map(|a| a.map(|a| a.canonical()));
    assert_eq!(read(FieldType::Decimal, "67.5"), Ok(Some("67.50".into())));
    assert_eq!(read(FieldType::Decimal, "６７"), Ok(Some("67.00".into())));
    assert!(read(FieldType::Decimal, "1.234").is_err());
    assert_eq!(read(FieldType::Bool, "有"), Ok(Some("是".into())));
    assert!(read(FieldType::Bool, "也许").is_err());
    assert_eq!(
        read(FieldType::Date, "2021/9/1"),
        Ok(Some("2021-09-01".into()))
    );
    assert_eq!(
        read(FieldType::Choice, "委托经营"),
        Ok(Some("委托经营".into()))
    );
    assert!(read(FieldType::Choice, "承包")
        .expect_err("not a choice")
        .contains("自营 / 委托经营"));
    assert_eq!(read(FieldType::Integer, "  "), Ok(None));
}

#[test]
fn a_task_goes_draft_submit_send_back_submit() {
    use TaskStatus::*;
    assert_eq!(step(Pending, Step::SaveDraft), Ok(Draft));
    assert_eq!(step(Draft, Step::Submit), Ok(Submitted));
    assert!(step(Submitted, Step::SaveDraft).is_err());
    assert!(step(Draft, Step::SendBack).is_err());
    assert_eq!(step(Submitted, Step::SendBack), Ok(SentBack));
    assert_eq!(step(SentBack, Step::SaveDraft), Ok(SentBack));
    assert_eq!(step(SentBack, Step::Submit), Ok(Submitted));
}

#[test]
fn completeness_counts_submitted_and_overdue() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2021, 10, d);
    let today = day(15).expect("day");
    let c = Completeness::of(
        [
            (TaskStatus::Submitted, day(10)),
            (TaskStatus::Draft, day(10)),
            (TaskStatus::Pending, day(20)),
            (TaskStatus::SentBack, None),
        ],
        today,
    );
    assert_eq!((c.assigned, c.submitted, c.overdue), (4, 1, 1));
    assert_eq!(c.rate, Some(0.25));
    assert_eq!(Completeness::of([], today).rate, None);
}

proptest! {
    #[test]
    fn any_text_is_a_rule_or_a_refusal(text in "\\PC{0,40}") {
        let _ = Rule::parse(&text);
    }

    #[test]
    fn a_comparison_holds_as_the_numbers_do(a in -10_000i64..10_000, b in -10_000i64..10_000) {
        let rule = Rule::parse("a <= b").expect("rule");
        let values = HashMap::from([("a", a as f64), ("b", b as f64)]);
        prop_assert_eq!(rule.holds(&values), Some(a <= b));
        let sum = Rule::parse("a + b == b + a").expect("rule");
        prop_assert_eq!(sum.holds(&values), Some(true));
    }

    #[test]
    fn decimals_read_back_as_written(h in -1_000_000_000i64..1_000_000_000) {
        let text = Answer::Decimal(h).canonical();
        let field = Field {
            code: "x".into(), label: "X".into(), kind: FieldType::Decimal, required: false,
            min: None, max: None, unit: None, choices: vec![], prefill: None, locked: false,
        };
        prop_assert_eq!(read_answer(&field, &text), Ok(Some(Answer::Decimal(h))));
    }
}
