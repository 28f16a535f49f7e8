use super::*;
use proptest::prelude::*;

#[test]
fn numbers_fold_to_one_spelling() {
    for raw in [
        "溆教发〔2021〕45号",
        "溆教发[2021]45号",
        "溆教发［２０２１］４５号",
        "溆教发【2021】045号",
        " 溆教发（2021）45号 ",
    ] {
        let n = DocNumber::parse(raw).expect(raw);
        assert_eq!(n.to_string(), "溆教发〔2021〕45号", "{raw}");
    }
    let n = DocNumber::parse("溆政办发〔2019〕3号").expect("number");
    assert_eq!((n.issuer.as_str(), n.year, n.serial), ("溆政办发", 2019, 3));
}

#[test]
fn bad_shapes_are_refused() {
    for raw in [
        "",
        "45号",
        "〔2021〕45号",
        "溆教发2021年45号",
        "溆教发〔21〕45号",
        "溆教发〔2021〕45",
        "溆教发〔2021〕号",
        "溆教发〔2021〕0号",
        "溆教1发〔2021〕4号",
        "溆教发〔1800〕4号",
        "溆教发〔2021〕1234567号",
    ] {
        assert!(DocNumber::parse(raw).is_err(), "{raw}");
    }
}

#[test]
fn citations_are_found_in_any_bracket() {
    let n = DocNumber::parse("溆教发〔2021〕45号").expect("number");
    assert!(n.cited_in("溆教发[2021]45号"));
    assert!(n.cited_in("依据溆教发（2021）45号文件"));
    assert!(!n.cited_in("溆教发〔2021〕4号"));
    assert!(!n.cited_in("溆教发〔2021〕145号"));
    assert!(!n.cited_in("溆教通〔2021〕45号"));
    assert!(!n.cited_in(""));
}

#[test]
fn the_issue_date_is_in_the_numbers_year() {
    let n = DocNumber::parse("溆教发〔2021〕45号").expect("number");
    let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    assert!(check_year(&n, day("2021-03-01")).is_ok());
    assert!(check_year(&n, day("2020-12-31")).is_err());
    assert_eq!(DocCategory::parse("实施方案"), Some(DocCategory::Plan));
    assert_eq!(DocCategory::parse("通知"), Some(DocCategory::Notice));
}

proptest! {
    #[test]
    fn a_number_reads_back_as_written(
        issuer in "[溆教发通政办湘怀]{1,6}",
        year in 1949i32..=2100,
        serial in 1u32..=999_999,
    ) {
        let n = DocNumber { issuer, year, serial };
        let text = n.to_string();
        prop_assert_eq!(DocNumber::parse(&text), Ok(n.clone()));
        prop_assert_eq!(DocNumber::parse(&text.replace('〔', "[").replace('〕', "]")), Ok(n.clone()));
        let cited = format!("根据{}执行", text);
        prop_assert!(n.cited_in(&cited));
    }

    #[test]
    fn parsing_never_panics(raw in ".{0,40}") {
        let _ = DocNumber::parse(&raw);
    }
}
