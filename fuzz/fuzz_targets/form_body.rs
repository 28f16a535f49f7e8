//! Form bodies as the web decodes them (serde_urlencoded into form structs shaped like the
//! app's HazardForm and AssignForm), then through the parsers and checks those forms use.
#![no_main]
use emis_domain::limits;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
#[allow(dead_code)]
struct HazardForm {
    school: String,
    place: String,
    category: String,
    grade: String,
    description: String,
    found_on: String,
    inspection: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AssignForm {
    responsible: String,
    measures: String,
    deadline: String,
    budget: String,
    year: Option<i32>,
    water: Option<i64>,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(form) = serde_urlencoded::from_bytes::<HazardForm>(data) {
        let _ = limits::check_len("隐患部位", &form.place, limits::SHORT_TEXT);
        let _ = limits::check_len("隐患描述", &form.description, limits::FREE_TEXT);
        let _ = emis_domain::dates::parse_date(&form.found_on);
        let _ = emis_domain::safety::Grade::parse(&form.grade);
        let _ = emis_domain::safety::is_category(&form.category);
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<AssignForm>(data) {
        let _ = limits::check_len("整改责任人", &form.responsible, limits::NAME);
        let _ = limits::check_len("整改措施", &form.measures, limits::FREE_TEXT);
        let _ = emis_domain::dates::parse_date(&form.deadline);
        for fen in [
            emis_domain::safety::parse_yuan(&form.budget),
            emis_domain::aid::parse_yuan(&form.budget),
        ]
        .into_iter()
        .flatten()
        {
            if limits::check_fen("整改资金", fen).is_ok() {
                assert_eq!(
                    emis_domain::safety::parse_yuan(&emis_domain::safety::yuan(fen)),
                    Some(fen)
                );
            }
        }
        let _ = (form.year, form.water);
    }
});
