use super::render::write_value;
use super::*;
use crate::indicators::{IndicatorSet, Value};
use proptest::prelude::*;

fn date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2022, 1, 10).expect("a date")
}

fn seed_figures() -> FigureSet {
    let mut set = IndicatorSet::default();
    set.push("aid.person_times", Value::Count(79_067));
    set.push("aid.amount", Value::Fen(4_982_490_000));
    set.push("projects.investment", Value::Fen(37_344_000_000));
    set.push("after_school.coverage", Value::Rate(1.0));
    set.push("drowning.waters.equipped", Value::Rate(f64::NAN));
    set.push("classes.large.compulsory.spring", Value::Count(664));
    set.push("party.activists", Value::Count(0));
    FigureSet::new(2021, &set, ["党员发展"])
}

fn one(text: &str, figures: &FigureSet) -> Rendered {
    let template = parse(text).expect("a template");
    render(&template, figures, None, "溆浦县教育局", date())
}

fn paragraph_text(doc: &Rendered, block: usize) -> String {
    doc.text_of(&doc.blocks[block].paragraphs[0])
}

#[test]
fn figures_are_written_in_the_bureaus_units() {
    let doc = one(
        "全年共资助学生{aid.person_times}人次、资助资金共计{aid.amount|万元}万元，投资{projects.investment|亿元}，开展率达{after_school.coverage}%。",
        &seed_figures(),
    );
    assert_eq!(
        paragraph_text(&doc, 0),
        "全年共资助学生79067人次、资助资金共计4982.49万元，投资3.7344亿元，开展率达100%。"
    );
    assert_eq!(doc.title, "2021年教育工作总结");
    assert_eq!(doc.date, "2022年1月10日");
    assert_eq!(doc.figures.len(), 4);
    assert_eq!(doc.figures[1].json, "49824900.00");
}

#[test]
fn a_module_without_records_is_marked_not_invented() {
    let doc = one(
        "培养入党积极分子{party.activists}人，大班额{classes.large.compulsory.spring}个。",
        &seed_figures(),
    );
    // The unit goes with the figure: no dangling 人 after the mark.
    assert_eq!(
        paragraph_text(&doc, 0),
        "培养入党积极分子【未录入：培养入党积极分子人数】，大班额664个。"
    );
    assert_eq!(doc.figures[0].state, FigureState::Unrecorded);
    assert_eq!(doc.figures[0].json, "null");
}

#[test]
fn a_rate_over_nothing_is_no_data() {
    let doc = one("到位率{drowning.waters.equipped}。", &seed_figures());
    assert_eq!(
        paragraph_text(&doc, 0),
        "到位率【无数据：重点水域防护设施到位率】。"
    );
    assert_eq!(doc.figures[0].state, FigureState::NoData);
    assert_eq!(doc.figures[0].json, "null");
}

#[test]
fn a_figure_missing_from_the_set_is_unrecorded() {
    let doc = one(
        "接种{form.covid_vaccination.vaccinated}人。",
        &seed_figures(),
    );
    assert!(
        paragraph_text(&doc, 0).contains("【未录入：报表填报 form.covid_vaccination.vaccinated】")
    );
}

#[test]
fn values_in_every_format() {
    assert_eq!(
        write_value(Value::Count(79_067), Format::Count("人次")),
        "79067人次"
    );
    assert_eq!(
        write_value(Value::Fen(4_982_490_000), Format::Wan),
        "4982.49万元"
    );
    assert_eq!(
        write_value(Value::Fen(200_000_000), Format::Wan),
        "200.00万元"
    );
    assert_eq!(
        write_value(Value::Fen(37_344_000_000), Format::Yi),
        "3.7344亿元"
    );
    assert_eq!(write_value(Value::Fen(12_345), Format::Yuan), "123.45元");
    assert_eq!(
        write_value(Value::Fen(5_000), Format::Wan),
        "0.01万元",
        "half rounds up"
    );
    assert_eq!(write_value(Value::Fen(4_999), Format::Wan), "0.00万元");
    assert_eq!(write_value(Value::Rate(1.0), Format::Percent), "100%");
    assert_eq!(write_value(Value::Rate(0.855), Format::Percent), "85.5%");
    assert_eq!(write_value(Value::Rate(0.0), Format::Percent), "0%");
    assert_eq!(
        write_value(Value::Hundredths(6_750), Format::Count("")),
        "67.50"
    );
}

#[test]
fn errors_name_line_column_and_reason() {
    let errors = parse("第一段\n全年{aid.persons}人次，{aid.amount|千元}，{aid.amount|人}\n# 标题 @财务股\n共{aid.person_times").expect_err("refused");
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        text,
        vec![
            "第2行第3列：未知指标代码“aid.persons”（见指标目录）".to_string(),
            format!("第2行第19列：未知格式“千元”（可用：{}）", Format::choices()),
            "第2行第35列：格式“人”不适用于指标“aid.amount”（金额指标，可用元、万元、亿元）"
                .to_string(),
            format!(
                "第3行第7列：未知股室“财务股”（可选：{}）",
                OFFICES.join("、")
            ),
            "第4行第2列：“{”没有对应的“}”".to_string(),
        ]
    );
}

#[test]
fn literal_braces_and_stray_closers() {
    let doc = one("括号{{示例}}", &seed_figures());
    assert_eq!(paragraph_text(&doc, 0), "括号{示例}");
    let errors = parse("多余}").expect_err("refused");
    assert_eq!(errors[0].line, 1);
    assert_eq!(errors[0].column, 3);
}

#[test]
fn limits_are_enforced() {
    let long = "字".repeat(MAX_TEMPLATE_CHARS + 1);
    assert!(parse(&long).expect_err("too long")[0]
        .message
        .contains("超过上限"));
    let line = "字".repeat(MAX_LINE_CHARS + 1);
    assert!(parse(&line).expect_err("too long")[0]
        .message
        .contains("一段不能超过"));
}

#[test]
fn headings_are_numbered_officially_and_keep_their_office() {
    let template =
        parse("前言\n# 工作开展情况 @办公室\n## 分项\n### 党建 @党建\n正文\n### 资助 @资助中心\n正文\n# 亮点\n### 教师 @人事\n正文")
            .expect("a template");
    let doc = render(&template, &seed_figures(), None, "溆浦县教育局", date());
    let numbers: Vec<&str> = doc.blocks.iter().map(|b| b.number.as_str()).collect();
    assert_eq!(numbers, ["", "一、", "（一）", "1.", "2.", "二、", "1."]);
    let offices: Vec<&str> = doc.blocks.iter().map(|b| b.office.as_str()).collect();
    assert_eq!(
        offices,
        [
            "办公室",
            "办公室",
            "办公室",
            "党建",
            "资助中心",
            "资助中心",
            "人事"
        ]
    );
    assert_eq!(chinese_numeral(12), "十二");
    assert_eq!(chinese_numeral(20), "二十");
    assert_eq!(chinese_numeral(35), "三十五");
}

#[test]
fn the_default_template_reads_and_uses_only_catalog_codes() {
    let template = parse(DEFAULT_TEMPLATE).expect("the default template is valid");
    let codes = template.codes();
    assert!(codes.len() >= 50, "{} figures", codes.len());
    for code in &codes {
        assert!(crate::indicators::find(code).is_some(), "{code}");
    }
    // The seed's shape: preface, 一、 with its items, 二、 with its items.
    let tops: Vec<_> = template.sections.iter().filter(|s| s.level == 1).collect();
    assert_eq!(tops.len(), 2);
    assert_eq!(template.sections[0].level, 0);
    // With no records at all, every figure is marked, none is invented.
    let doc = render(
        &template,
        &FigureSet::new(2021, &IndicatorSet::default(), []),
        None,
        "溆浦县教育局",
        date(),
    );
    assert!(doc
        .figures
        .iter()
        .all(|f| f.state == FigureState::Unrecorded));
}

#[test]
fn html_links_each_figure_to_its_records_and_lists_the_basis() {
    let mut previous = IndicatorSet::default();
    previous.push("classes.large.compulsory.spring", Value::Count(700));
    let previous = FigureSet::new(2020, &previous, []);
    let template = parse("大班额{classes.large.compulsory.spring}个").expect("a template");
    let doc = render(
        &template,
        &seed_figures(),
        Some(&previous),
        "溆浦县教育局",
        date(),
    );
    let html = to_html_document(&doc, true);
    assert!(html.contains(
        "<a class=\"fig\" data-code=\"classes.large.compulsory.spring\" href=\"/classes?term=2021-spring&amp;min=56\""
    ));
    assert!(html.contains(">664个</a>"));
    assert!(
        html.contains("<td class=\"num\">700个</td>"),
        "the previous year beside it"
    );
    assert!(html.contains("春季学期义务教育阶段56人及以上的班级数"));
    assert!(
        !html.contains("class=\"prev\""),
        "the issued document has no inline comparison"
    );
    assert!(
        to_html_compared(&doc).contains(">664个</a><span class=\"prev\">（2020年700个）</span>")
    );
    let md = to_markdown(&doc);
    assert!(md.contains("大班额664个"));
    assert!(md.contains(
        "| `classes.large.compulsory.spring` | 义务教育大班额数（春季） | 664个 | 700个 |"
    ));
}

#[test]
fn frozen_figures_read_back_exactly() {
    let figures = seed_figures();
    let json = figures.freeze().to_json();
    let back = Frozen::from_json(&json).expect("reads").thaw();
    assert_eq!(back.values.len(), figures.values.len());
    assert_eq!(back.unrecorded, figures.unrecorded);
    let template = parse(DEFAULT_TEMPLATE).expect("a template");
    assert_eq!(
        render(&template, &figures, None, "x", date()),
        render(&template, &back, None, "x", date())
    );
    assert!(Frozen::from_json("{").is_err());
}

#[test]
fn every_module_name_is_known() {
    let modules = modules();
    for i in crate::indicators::CATALOG {
        assert_ne!(module_of(i.code), "其他", "{}", i.code);
        assert!(drill_down(i.code, 2021).is_some(), "{}", i.code);
    }
    assert!(modules.contains(&"学生资助"));
}

proptest! {
    #[test]
    fn parsing_never_panics(text in "[{}|a-z._#@人万元%\\n 一-龥]{0,80}") {
        let _ = parse(&text);
    }

    #[test]
    fn wan_is_the_amount_to_the_hundred_yuan(fen in 0i64..1_000_000_000_000) {
        let text = write_value(Value::Fen(fen), Format::Wan);
        let number: f64 = text.trim_end_matches("万元").parse().expect("a number");
        prop_assert!(((number * 1_000_000.0) - fen as f64).abs() <= 5_000.0 + 1.0);
        prop_assert_eq!(text.split('.').nth(1).map(|d| d.trim_end_matches("万元").len()), Some(2));
    }

    #[test]
    fn a_figure_placeholder_renders_its_count(n in 0i64..10_000_000) {
        let mut set = IndicatorSet::default();
        set.push("aid.person_times", Value::Count(n));
        let doc = one("共{aid.person_times}人次。", &FigureSet::new(2021, &set, []));
        prop_assert_eq!(paragraph_text(&doc, 0), format!("共{n}人次。"));
    }
}

#[test]
fn the_template_splits_into_sections_and_joins_back() {
    let parts = split(DEFAULT_TEMPLATE).expect("splits");
    let template = parse(DEFAULT_TEMPLATE).expect("parses");
    assert_eq!(parts.len(), template.sections.len());
    assert_eq!(parts[0].level, 0);
    assert_eq!(parts[0].office, "办公室");
    assert!(parts.iter().any(|p| p.office == "资助中心"));
    let joined = join(parts.iter().map(|p| p.text.as_str()));
    assert_eq!(parse(&joined).expect("parses"), template);
    for p in &parts {
        assert_eq!(
            check_section(&p.text, p.level, &p.office).expect("its own text passes"),
            p.text
        );
    }
}

#[test]
fn a_section_keeps_its_level_and_office() {
    let text = "### 资助 @资助中心\n共{aid.person_times}人次";
    assert!(check_section(text, 3, "资助中心").is_ok());
    let e = check_section(text, 3, "人事").expect_err("another office");
    assert!(e[0].message.contains("本节由人事起草"));
    let e = check_section("正文", 3, "资助中心").expect_err("no heading");
    assert!(e[0].message.contains("第一行须是3级标题"));
    let e = check_section("### 甲 @安全\n### 乙 @安全", 3, "安全").expect_err("two");
    assert!(e[0].message.contains("一节只能有一个标题"));
    let e = check_section("# 甲", 0, "办公室").expect_err("preface with heading");
    assert!(e[0].message.contains("前言不能有标题"));
    let e = check_section("### 甲 @安全\n{aid.nothing}", 3, "安全").expect_err("bad code");
    assert_eq!(
        e[0].to_string(),
        "第2行第1列：未知指标代码“aid.nothing”（见指标目录）"
    );
}

#[test]
fn the_editor_posts_back_every_line_as_written() {
    // Joined back, the editor's pieces are the line itself, for every line of the default.
    for line in DEFAULT_TEMPLATE.lines() {
        let pieces = editor_line(line).expect("the default reads");
        let joined: String = pieces
            .iter()
            .map(|p| match p {
                EditorPiece::Text(t) => t.as_str(),
                EditorPiece::Figure { source, .. } => source.as_str(),
            })
            .collect();
        assert_eq!(joined, line);
    }
    let pieces =
        editor_line("资助{aid.person_times}人次、{aid.amount|万元}，{{括号}}").expect("reads");
    let sources: Vec<&str> = pieces
        .iter()
        .filter_map(|p| match p {
            EditorPiece::Figure { source, .. } => Some(source.as_str()),
            EditorPiece::Text(_) => None,
        })
        .collect();
    assert_eq!(sources, ["{aid.person_times}人次", "{aid.amount|万元}"]);
    assert_eq!(
        pieces.last(),
        Some(&EditorPiece::Text("，{{括号}}".to_string()))
    );
    assert_eq!(editor_line("未闭合{aid.amount"), None);
}

#[test]
fn editor_chips_show_the_value_and_carry_the_placeholder() {
    let html = editor_html(
        "### 资助 @资助中心\n全年资助{aid.person_times}人次，<b>{year}</b>",
        &seed_figures(),
    );
    assert!(html.starts_with("<div class=\"line\">### 资助 @资助中心</div>"));
    assert!(
        html.contains("<span class=\"chip\" contenteditable=\"false\" data-source=\"{aid.person_times}人次\" title=\"资助学生人次（aid.person_times），不可手改\">79067人次<small>aid.person_times</small></span>"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;"), "text is escaped: {html}");
    assert!(html.contains("data-source=\"{year}\""));
}

/// The html draws the same charts as the .docx, as inline SVG after the paragraphs of the
/// section discussing their figures: the classes chart in 大班额, the hazards chart (2020
/// beside 2021) in 安全, none for dropout control with no records; on the pages too.
#[test]
fn html_draws_each_chart_after_the_section_discussing_it() {
    let mut year = IndicatorSet::default();
    let mut before = IndicatorSet::default();
    for (code, n) in [
        ("classes.large.compulsory.spring", 664),
        ("classes.large.compulsory.autumn", 301),
        ("safety.hazards.found", 1520),
        ("safety.hazards.rectified", 1498),
        ("safety.hazards.overdue", 7),
    ] {
        year.push(code, Value::Count(n));
    }
    before.push("safety.hazards.found", Value::Count(1304));
    let template = parse("# 工作 @办公室\n### 大班额 @基础教育\n春季义务教育大班额{classes.large.compulsory.spring}个。\n另段。\n### 安全 @安全\n排查隐患{safety.hazards.found}个。\n### 控辍 @基础教育\n疑似辍学{dropout.suspected}人。")
        .expect("a template");
    let doc = render(
        &template,
        &FigureSet::new(2021, &year, ["控辍保学"]),
        Some(&FigureSet::new(2020, &before, ["控辍保学"])),
        "溆浦县教育局",
        date(),
    );
    assert_eq!(doc.charts.len(), 2);
    for html in [to_html_document(&doc, true), to_html_compared(&doc)] {
        assert_eq!(
            html.matches("<figure class=\"summary-chart\"><svg").count(),
            2
        );
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
        let classes_chart = at("aria-label=\"2021年大班额化解情况（春季、秋季学期）\"");
        let hazards_chart = at("aria-label=\"2021年安全隐患排查整改情况\"");
        assert!(at("另段。") < classes_chart && classes_chart < at("排查隐患"));
        assert!(at("排查隐患") < hazards_chart && hazards_chart < at("疑似辍学"));
        // The values the .docx caches, here as columns; 2020's missing figures are gaps.
        assert!(html.contains("<title>义务教育大班额（春季学期）：664个</title>"));
        assert!(html.contains("<title>义务教育大班额（秋季学期）：301个</title>"));
        assert!(html.contains("<title>排查发现（2020年）：1304个</title>"));
        assert!(html.contains("<title>排查发现（2021年）：1520个</title>"));
        assert!(!html.contains("整改销号（2020年）"));
        assert!(!html.contains("<script"));
    }
}
