//! The date, term, grade and text parsers people's typing goes through.
#![no_main]
use emis_domain::dates::{full_years, parse_date};
use emis_domain::text::{fold_width, header_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(d) = parse_date(text) {
        assert_eq!(parse_date(&d.to_string()), Some(d), "a date's own form parses back");
        let _ = full_years(d, d);
    }
    let folded = fold_width(text);
    assert_eq!(fold_width(&folded), folded, "folding is idempotent");
    let _ = header_key(text);
    let _ = emis_domain::term::Term::parse(text);
    let _ = emis_domain::registry::Grade::parse(text);
    let _ = emis_domain::registry::parse_class_number(text);
    let _ = emis_domain::ethnicity::parse(text);
});
