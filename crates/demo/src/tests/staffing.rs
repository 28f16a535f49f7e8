//! The staff: size and the 2021 recruits by channel.

use super::*;

#[test]
fn staff_size_and_2021_recruits_by_channel() {
    let d = demo();
    assert!(
        (8_700..=9_300).contains(&d.staff.len()),
        "{}",
        d.staff.len()
    );
    let schools = schools();
    let mut recruits: HashMap<RecruitChannel, usize> = HashMap::new();
    for s in &d.staff {
        let school = schools
            .get(s.school_code.as_str())
            .unwrap_or_else(|| panic!("unknown school {}", s.school_code));
        let start = s.start_date.expect("start date");
        let birth = IdNumber::parse(&s.id_number).expect("valid").birth_date();
        let age = full_years(birth, start);
        assert!((18..=60).contains(&age), "started at {age}");
        assert!(start <= NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"));
        if start.year() == 2021 {
            let channel = s.channel.expect("recruits have a channel");
            *recruits.entry(channel).or_default() += 1;
            assert_eq!(s.post_type, PostType::Teacher);
            if matches!(channel, RecruitChannel::Tegang) {
                assert_ne!(
                    school.urban_rural,
                    UrbanRural::Urban,
                    "特岗 serve rural schools"
                );
            }
        }
        assert_eq!(s.subject.is_some(), s.post_type == PostType::Teacher);
    }
    assert_eq!(recruits.get(&RecruitChannel::Tegang), Some(&142));
    assert_eq!(recruits.get(&RecruitChannel::Open), Some(&261));
    assert_eq!(recruits.get(&RecruitChannel::FundedNormal), Some(&267));
    assert_eq!(recruits.get(&RecruitChannel::Transfer), Some(&12));
    assert_eq!(recruits.values().sum::<usize>(), 682);

    let teachers = d
        .staff
        .iter()
        .filter(|s| s.post_type == PostType::Teacher)
        .count();
    assert!(teachers as f64 / d.staff.len() as f64 > 0.75);
    for title in ["二级教师", "一级教师", "高级教师"] {
        assert!(
            d.staff
                .iter()
                .filter(|s| s.title.as_deref() == Some(title))
                .count()
                > 500,
            "{title}"
        );
    }
    for subject in ["语文", "数学", "英语", "物理", "学前教育"] {
        assert!(
            d.staff
                .iter()
                .any(|s| s.subject.as_deref() == Some(subject)),
            "{subject}"
        );
    }
    // Every school with students has staff.
    let staffed: HashSet<&str> = d.staff.iter().map(|s| s.school_code.as_str()).collect();
    assert!(d
        .students
        .iter()
        .all(|s| staffed.contains(s.school_code.as_str())));
}
