//! The GB 11643 parser: any text is refused or gives a number that parses again to itself.
#![no_main]
use emis_domain::identity::IdNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(id) = IdNumber::parse(text) {
        assert_eq!(id.as_str().len(), 18);
        let again = IdNumber::parse(id.as_str()).expect("a parsed number parses again");
        assert_eq!(again.as_str(), id.as_str());
        let _ = (id.birth_date(), id.sex());
    }
});
