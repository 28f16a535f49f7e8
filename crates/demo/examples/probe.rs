use emis_domain::registry::{Grade, StudentStatus, UrbanRural};
use emis_domain::term::Term;
use std::collections::HashMap;
fn main() {
    let demo = emis_demo::generate(2021);
    let schools: HashMap<&str, &emis_domain::registry::School> = demo.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut sizes: HashMap<(&str, Grade, u32), (u32, u32)> = HashMap::new();
    for s in demo.students.iter().filter(|s| s.term == Term::autumn(2021)) {
        let e = sizes.entry((s.school_code.as_str(), s.grade, s.class_number)).or_default();
        if s.status == StudentStatus::Enrolled { e.0 += 1 } else { e.1 += 1 }
    }
    let mut v: Vec<_> = sizes.iter().filter(|(k, v)| schools[k.0].urban_rural == UrbanRural::Rural && v.0 < 12).collect();
    v.sort_by_key(|(k, _)| (k.0, k.1, k.2));
    for ((code, g, c), (n, o)) in v { println!("{} {} {} {} enrolled {} other", schools[code].name, g, c, n, o); }
}
