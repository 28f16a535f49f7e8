//! 公文登记, 安全事故 and 职业教育 of the demo county: every 文号 an institution's status
//! change carries is a registered document, the summary's documents are there, no incident
//! happened in school time and nobody drowned, and the 2021 五年制大专 intake is 38.

use super::*;
use emis_domain::documents::DocNumber;
use emis_domain::incidents::{year_figures, IncidentFacts, StepKind};
use emis_domain::vocational::five_year_intake;

#[test]
fn documents_resolve_the_institutions_numbers_and_name_the_summarys() {
    let d = demo();
    let docs = d.documents.clone();
    let numbers: Vec<DocNumber> = docs
        .iter()
        .map(|doc| DocNumber::parse(&doc.number).expect("a well-formed 文号"))
        .collect();
    let distinct: HashSet<&DocNumber> = numbers.iter().collect();
    assert_eq!(distinct.len(), docs.len(), "文号 are unique");
    for doc in &docs {
        let n = DocNumber::parse(&doc.number).expect("number");
        assert_eq!(
            n.year,
            chrono::Datelike::year(&doc.issued_on),
            "{}",
            doc.number
        );
        assert_eq!(n.to_string(), doc.number, "stored in its one spelling");
    }
    let mut cited = 0;
    for e in d
        .double_reduction
        .institutions
        .iter()
        .flat_map(|i| &i.events)
    {
        if let Some(text) = &e.document {
            cited += 1;
            assert!(
                numbers.iter().any(|n| n.cited_in(text)),
                "{text} is registered"
            );
        }
    }
    assert!(cited > 0, "the institutions carry 文号");
    for title in [
        "溆浦县教育局加强学校思想政治课建设的实施方案（2019-2021年）",
        "溆浦县学校思想政治课建设评价细则",
        "2021年溆浦县“师德师风建设年”工作方案",
        "2021年党风廉政建设与反腐败工作要点",
        "溆浦县中小学食堂委托经营管理的规定",
        "溆浦县教育系统关于在党史学习教育中开展“我为群众办实事”实践活动的方案",
    ] {
        assert!(docs.iter().any(|doc| doc.title == title), "{title}");
    }
}

#[test]
fn no_incident_in_school_and_no_drowning_in_2021() {
    let d = demo();
    let incidents = crate::incidents::generate(&d.schools);
    let facts: Vec<IncidentFacts> = incidents
        .iter()
        .map(|i| IncidentFacts {
            happened_on: i.happened_on,
            category: i.category,
            in_school: i.in_school,
            deaths: i.deaths,
            injuries: i.injuries,
        })
        .collect();
    let f = year_figures(2021, &facts);
    assert!(f.incidents >= 3);
    assert_eq!((f.in_school, f.deaths, f.drowning_deaths), (0, 0, 0));
    let codes: HashSet<&str> = d.schools.iter().map(|s| s.code.as_str()).collect();
    for i in &incidents {
        assert!(codes.contains(i.school_code.as_str()));
        assert_eq!(i.steps.last().map(|s| s.0), Some(StepKind::Close), "closed");
        assert!(i.steps.iter().all(|s| s.1 >= i.happened_on));
    }
}

#[test]
fn the_vocational_school_takes_38_five_year_students_in_2021() {
    let d = demo();
    let school = crate::vocational::school(&d.schools).expect("a vocational school");
    assert_eq!(school.name, "溆浦楚怡职业学校");
    let programmes = crate::vocational::generate(&d.schools);
    let rows = programmes
        .iter()
        .flat_map(|p| p.intakes.iter().map(move |(y, n)| (p.schooling, *y, *n)));
    assert_eq!(five_year_intake(2021, rows), 38);
    assert!(programmes
        .iter()
        .any(|p| p.partner == Some("湖南商贸职业技术学院") && p.agreement.is_some()));
}
