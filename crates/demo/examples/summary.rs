//! Prints a summary of the demo county: `cargo run -p emis-demo --release --example summary [SEED]`.

use emis_domain::class_size::{count_large_classes, ClassFact, ClassSizeRules};
use emis_domain::registry::{Grade, SchoolType, StudentStatus};
use emis_domain::term::Term;
use std::collections::{BTreeMap, HashMap};

fn main() {
    let seed = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2021);
    let started = std::time::Instant::now();
    let demo = emis_demo::generate(seed);
    println!("generated in {:?}", started.elapsed());

    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &demo.schools {
        *types.entry(s.school_type.label()).or_default() += 1;
    }
    println!("{} schools: {types:?}", demo.schools.len());
    let schools: HashMap<&str, SchoolType> = demo
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.school_type))
        .collect();

    for term in Term::of_year(2021) {
        let records: Vec<_> = demo.students.iter().filter(|s| s.term == term).collect();
        let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
        let mut grades: BTreeMap<Grade, usize> = BTreeMap::new();
        let mut classes: HashMap<(&str, Grade, u32), u32> = HashMap::new();
        for s in &records {
            *statuses.entry(s.status.label()).or_default() += 1;
            *grades.entry(s.grade).or_default() += 1;
            let size = classes
                .entry((s.school_code.as_str(), s.grade, s.class_number))
                .or_default();
            if s.status == StudentStatus::Enrolled {
                *size += 1;
            }
        }
        let facts: Vec<ClassFact> = classes
            .iter()
            .map(|((code, grade, _), size)| ClassFact {
                school_type: schools[code],
                grade: *grade,
                size: *size,
            })
            .collect();
        println!("{term}: {} records {statuses:?}", records.len());
        println!(
            "  grades: {}",
            grades
                .iter()
                .map(|(g, n)| format!("{}={n}", g.label()))
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!(
            "  {} classes; {:?}",
            facts.len(),
            count_large_classes(&ClassSizeRules::default(), &facts)
        );
    }
    let mut posts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &demo.staff {
        *posts.entry(s.post_type.label()).or_default() += 1;
    }
    println!("{} staff: {posts:?}", demo.staff.len());
    let mut recruits: BTreeMap<&str, usize> = BTreeMap::new();
    for s in demo.staff.iter().filter(|s| {
        s.start_date
            .is_some_and(|d| chrono::Datelike::year(&d) == 2021)
    }) {
        *recruits
            .entry(s.channel.map_or("-", |c| c.label()))
            .or_default() += 1;
    }
    println!("recruits 2021: {recruits:?}");
    let mut hardship: BTreeMap<&str, usize> = BTreeMap::new();
    for s in demo
        .students
        .iter()
        .filter(|s| s.term == Term::autumn(2021))
    {
        *hardship.entry(s.hardship.label()).or_default() += 1;
    }
    println!("hardship (autumn): {hardship:?}");
    let setting: HashMap<&str, (&str, &str)> = demo
        .schools
        .iter()
        .map(|s| (s.code.as_str(), (s.urban_rural.label(), s.name.as_str())))
        .collect();
    for term in Term::of_year(2021) {
        let mut sizes: HashMap<(&str, Grade, u32), u32> = HashMap::new();
        for s in demo.students.iter().filter(|s| s.term == term) {
            let e = sizes
                .entry((s.school_code.as_str(), s.grade, s.class_number))
                .or_default();
            if s.status == StudentStatus::Enrolled {
                *e += 1;
            }
        }
        let mut hist: BTreeMap<(&str, bool, u32), usize> = BTreeMap::new();
        let mut large_by_setting: BTreeMap<&str, usize> = BTreeMap::new();
        for ((code, grade, _), size) in &sizes {
            let kg = grade.stage() == emis_domain::registry::Stage::Preschool;
            *hist.entry((setting[code].0, kg, size / 5 * 5)).or_default() += 1;
            if *size >= 56 {
                *large_by_setting.entry(setting[code].0).or_default() += 1;
            }
        }
        println!("{term} large by setting {large_by_setting:?}");
        println!("{term} size histogram (setting, kindergarten, from): {hist:?}");
        let mut per_school: BTreeMap<&str, usize> = BTreeMap::new();
        for s in demo.students.iter().filter(|s| s.term == term) {
            *per_school
                .entry(setting[s.school_code.as_str()].1)
                .or_default() += 1;
        }
        for name in [
            "溆浦县雅堂芙蓉学校",
            "溆浦县第一中学",
            "溆浦县实验小学",
            "卢峰镇中学",
            "水东镇中学",
            "龙潭镇大华学校",
            "溆浦楚怡职业学校",
            "溆浦县特殊教育学校",
        ] {
            print!("{name}={} ", per_school.get(name).copied().unwrap_or(0));
        }
        println!();
    }
}
